#include "backend/databuild/minhash.h"

#include "backend/databuild/hashing.h"
#include "backend/text/syllable_tokens.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vietllm::databuild {

namespace {

// Candidates are confirmed against the full signature, so a false positive of the banding costs one
// comparison while a false negative keeps a duplicate: the choice weighs misses nine times more.
constexpr double kFalsePositiveWeight = 0.1;

// Probability that two sets of Jaccard `s` share at least one band.
double collisionProbability(double s, const LshBands& bands) {
    return 1.0 -
           std::pow(1.0 - std::pow(s, static_cast<double>(bands.rows)), static_cast<double>(bands.bands));
}

// Midpoint-rule integral of f over [from, to].
template <typename F>
double integrate(const F& f, double from, double to) {
    constexpr int kSteps = 200;
    const double step = (to - from) / kSteps;
    double sum = 0;
    for (int i = 0; i < kSteps; ++i) {
        sum += f(from + (i + 0.5) * step);
    }
    return sum * step;
}

}  // namespace

std::vector<std::uint64_t> shingleSet(std::string_view text, std::size_t shingle_size) {
    const std::vector<text::SyllableToken> tokens = text::splitSyllables(text);
    std::vector<std::uint64_t> token_hashes;
    token_hashes.reserve(tokens.size());
    for (const text::SyllableToken& token : tokens) {
        token_hashes.push_back(hashBytes(token.lower));
    }
    std::vector<std::uint64_t> shingles;
    if (token_hashes.empty()) {
        return shingles;
    }
    const std::size_t n = std::max<std::size_t>(1, std::min(shingle_size, token_hashes.size()));
    shingles.reserve(token_hashes.size() - n + 1);
    for (std::size_t start = 0; start + n <= token_hashes.size(); ++start) {
        std::uint64_t hash = n;
        for (std::size_t i = start; i < start + n; ++i) {
            hash = combineHash(hash, token_hashes[i]);
        }
        shingles.push_back(hash);
    }
    std::sort(shingles.begin(), shingles.end());
    shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
    return shingles;
}

double exactJaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    if (a.empty() && b.empty()) {
        return 1.0;
    }
    std::size_t shared = 0;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i] == b[j]) {
            ++shared;
            ++i;
            ++j;
        } else if (a[i] < b[j]) {
            ++i;
        } else {
            ++j;
        }
    }
    return static_cast<double>(shared) / static_cast<double>(a.size() + b.size() - shared);
}

LshBands chooseBands(std::size_t permutations, double threshold) {
    LshBands best{permutations, 1};
    double best_error = std::numeric_limits<double>::infinity();
    for (std::size_t rows = 1; rows <= permutations; ++rows) {
        const LshBands candidate{permutations / rows, rows};
        const double false_positive =
            integrate([&](double s) { return collisionProbability(s, candidate); }, 0.0, threshold);
        const double false_negative =
            integrate([&](double s) { return 1.0 - collisionProbability(s, candidate); }, threshold, 1.0);
        const double error =
            kFalsePositiveWeight * false_positive + (1 - kFalsePositiveWeight) * false_negative;
        if (error < best_error) {
            best_error = error;
            best = candidate;
        }
    }
    return best;
}

MinHasher::MinHasher(std::size_t permutations, std::uint64_t seed) {
    m_seeds.reserve(permutations);
    std::uint64_t state = seed;
    for (std::size_t i = 0; i < permutations; ++i) {
        state += 0x9e3779b97f4a7c15ULL;
        m_seeds.push_back(mix64(state));
    }
}

std::vector<std::uint64_t> MinHasher::signature(const std::vector<std::uint64_t>& shingles) const {
    std::vector<std::uint64_t> minimums(m_seeds.size(), std::numeric_limits<std::uint64_t>::max());
    for (const std::uint64_t shingle : shingles) {
        for (std::size_t p = 0; p < m_seeds.size(); ++p) {
            minimums[p] = std::min(minimums[p], mix64(shingle ^ m_seeds[p]));
        }
    }
    return minimums;
}

double estimatedJaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    const std::size_t count = std::min(a.size(), b.size());
    std::size_t equal = 0;
    for (std::size_t i = 0; i < count; ++i) {
        equal += a[i] == b[i] ? 1 : 0;
    }
    return count == 0 ? 0.0 : static_cast<double>(equal) / static_cast<double>(count);
}

LshIndex::LshIndex(std::size_t permutations, double threshold)
    : m_permutations(permutations),
      m_threshold(threshold),
      m_bands(chooseBands(permutations, threshold)),
      m_buckets(m_bands.bands) {}

std::uint64_t LshIndex::bandKey(const std::vector<std::uint64_t>& signature, std::size_t band) const {
    std::uint64_t key = band;
    for (std::size_t row = band * m_bands.rows; row < (band + 1) * m_bands.rows; ++row) {
        key = combineHash(key, signature[row]);
    }
    return key;
}

std::pair<long long, double> LshIndex::findSimilar(const std::vector<std::uint64_t>& signature) const {
    long long best = -1;
    double best_similarity = 0;
    std::vector<std::uint32_t> checked;
    for (std::size_t band = 0; band < m_bands.bands; ++band) {
        const auto range = m_buckets[band].equal_range(bandKey(signature, band));
        for (auto entry = range.first; entry != range.second; ++entry) {
            const std::uint32_t item = entry->second;
            if (std::find(checked.begin(), checked.end(), item) != checked.end()) {
                continue;
            }
            checked.push_back(item);
            const std::uint32_t* rows = m_rows.data() + static_cast<std::size_t>(item) * m_permutations;
            std::size_t equal = 0;
            for (std::size_t p = 0; p < m_permutations; ++p) {
                equal += rows[p] == static_cast<std::uint32_t>(signature[p]) ? 1 : 0;
            }
            const double similarity = static_cast<double>(equal) / static_cast<double>(m_permutations);
            const bool better =
                similarity > best_similarity || (similarity == best_similarity && item < best);
            if (similarity >= m_threshold && better) {
                best = item;
                best_similarity = similarity;
            }
        }
    }
    return {best, best_similarity};
}

std::size_t LshIndex::insert(const std::vector<std::uint64_t>& signature) {
    const std::size_t item = m_count++;
    for (std::size_t p = 0; p < m_permutations; ++p) {
        m_rows.push_back(static_cast<std::uint32_t>(signature[p]));
    }
    for (std::size_t band = 0; band < m_bands.bands; ++band) {
        m_buckets[band].emplace(bandKey(signature, band), static_cast<std::uint32_t>(item));
    }
    return item;
}

}  // namespace vietllm::databuild
