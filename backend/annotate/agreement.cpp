#include "backend/annotate/agreement.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace vietllm::annotate {

namespace {

// The coincidence matrix of Krippendorff's alpha over the distinct values (sorted): each unit
// with m ≥ 2 values adds 1/(m − 1) for every ordered pair of its values.
struct Coincidences {
    std::vector<double> values;
    std::vector<std::vector<double>> o;
    std::vector<double> totals;  ///< n_c, the row sums
    double n = 0.0;
};

Coincidences coincidences(const CodingMatrix& data) {
    Coincidences result;
    for (const auto& unit : data) {
        for (const auto& value : unit) {
            if (value) {
                result.values.push_back(*value);
            }
        }
    }
    std::sort(result.values.begin(), result.values.end());
    result.values.erase(std::unique(result.values.begin(), result.values.end()), result.values.end());
    const std::size_t size = result.values.size();
    result.o.assign(size, std::vector<double>(size, 0.0));
    const auto index = [&](double value) {
        return static_cast<std::size_t>(std::lower_bound(result.values.begin(), result.values.end(), value) -
                                        result.values.begin());
    };
    for (const auto& unit : data) {
        std::vector<std::size_t> coded;
        for (const auto& value : unit) {
            if (value) {
                coded.push_back(index(*value));
            }
        }
        if (coded.size() < 2) {
            continue;
        }
        const double weight = 1.0 / static_cast<double>(coded.size() - 1);
        for (std::size_t i = 0; i < coded.size(); ++i) {
            for (std::size_t j = 0; j < coded.size(); ++j) {
                if (i != j) {
                    result.o[coded[i]][coded[j]] += weight;
                }
            }
        }
    }
    result.totals.assign(size, 0.0);
    for (std::size_t c = 0; c < size; ++c) {
        for (std::size_t k = 0; k < size; ++k) {
            result.totals[c] += result.o[c][k];
        }
        result.n += result.totals[c];
    }
    return result;
}

// The squared difference δ² between values c and k (indices into the sorted values).
double squaredDifference(const Coincidences& table, std::size_t c, std::size_t k, Measurement measurement) {
    switch (measurement) {
        case Measurement::Nominal:
            return c == k ? 0.0 : 1.0;
        case Measurement::Interval: {
            const double difference = table.values[c] - table.values[k];
            return difference * difference;
        }
        case Measurement::Ordinal: {
            const std::size_t low = std::min(c, k);
            const std::size_t high = std::max(c, k);
            double between = 0.0;
            for (std::size_t g = low; g <= high; ++g) {
                between += table.totals[g];
            }
            between -= (table.totals[low] + table.totals[high]) / 2.0;
            return between * between;
        }
        case Measurement::Invalid:
            break;
    }
    return 0.0;
}

// -1, 0 or 1: how a ranking orders candidates i and j (negative: i is better).
int order(const Places& places, std::size_t i, std::size_t j) {
    return places[i] < places[j] ? -1 : (places[i] > places[j] ? 1 : 0);
}

}  // namespace

const char* measurementName(Measurement measurement) {
    switch (measurement) {
        case Measurement::Nominal:
            return "nominal";
        case Measurement::Ordinal:
            return "ordinal";
        case Measurement::Interval:
            return "interval";
        case Measurement::Invalid:
            break;
    }
    return "invalid";
}

std::optional<double> krippendorffAlpha(const CodingMatrix& data, Measurement measurement) {
    const Coincidences table = coincidences(data);
    if (table.n < 2.0 || measurement == Measurement::Invalid) {
        return std::nullopt;
    }
    double observed = 0.0;
    double expected = 0.0;
    for (std::size_t c = 0; c < table.values.size(); ++c) {
        for (std::size_t k = 0; k < table.values.size(); ++k) {
            const double delta = squaredDifference(table, c, k, measurement);
            observed += table.o[c][k] * delta;
            expected += table.totals[c] * table.totals[k] * delta;
        }
    }
    if (expected <= 0.0) {
        return std::nullopt;
    }
    return 1.0 - (table.n - 1.0) * observed / expected;
}

std::optional<double> kendallTauB(const Places& first, const Places& second) {
    const std::size_t n = std::min(first.size(), second.size());
    double concordant = 0.0;
    double discordant = 0.0;
    double untied_first = 0.0;
    double untied_second = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            const int a = order(first, i, j);
            const int b = order(second, i, j);
            untied_first += a != 0 ? 1.0 : 0.0;
            untied_second += b != 0 ? 1.0 : 0.0;
            if (a * b > 0) {
                concordant += 1.0;
            } else if (a * b < 0) {
                discordant += 1.0;
            }
        }
    }
    if (untied_first == 0.0 || untied_second == 0.0) {
        return std::nullopt;
    }
    return (concordant - discordant) / std::sqrt(untied_first * untied_second);
}

std::optional<double> pairwiseAgreement(const Places& first, const Places& second) {
    const std::size_t n = std::min(first.size(), second.size());
    double same = 0.0;
    double pairs = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            pairs += 1.0;
            same += order(first, i, j) == order(second, i, j) ? 1.0 : 0.0;
        }
    }
    if (pairs == 0.0) {
        return std::nullopt;
    }
    return same / pairs;
}

std::optional<Places> placesOf(const std::vector<std::int64_t>& candidates,
                               const std::vector<std::vector<std::int64_t>>& tiers) {
    std::map<std::int64_t, int> place_of;
    for (std::size_t place = 0; place < tiers.size(); ++place) {
        for (const std::int64_t candidate : tiers[place]) {
            place_of.emplace(candidate, static_cast<int>(place));
        }
    }
    Places places;
    for (const std::int64_t candidate : candidates) {
        const auto found = place_of.find(candidate);
        if (found == place_of.end()) {
            return std::nullopt;
        }
        places.push_back(found->second);
    }
    return places;
}

}  // namespace vietllm::annotate
