#include "backend/annotate/consensus.h"

#include "backend/annotate/agreement.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace vietllm::annotate {

namespace {

constexpr double kEpsilon = 1e-9;

double weightOf(const TrustWeights& weights, std::int64_t annotator_id) {
    const auto found = weights.find(annotator_id);
    return found == weights.end() ? 1.0 : found->second;
}

// tally[i][j]: weight of the ballots that put candidate i strictly above candidate j.
using Tally = std::vector<std::vector<double>>;

struct Pair {
    std::size_t winner = 0;
    std::size_t loser = 0;
    double margin = 0.0;
    double support = 0.0;
};

bool reaches(const std::vector<std::vector<bool>>& locked, std::size_t from, std::size_t to) {
    std::vector<bool> seen(locked.size(), false);
    std::vector<std::size_t> stack = {from};
    while (!stack.empty()) {
        const std::size_t node = stack.back();
        stack.pop_back();
        if (node == to) {
            return true;
        }
        if (seen[node]) {
            continue;
        }
        seen[node] = true;
        for (std::size_t next = 0; next < locked.size(); ++next) {
            if (locked[node][next] && !seen[next]) {
                stack.push_back(next);
            }
        }
    }
    return false;
}

std::vector<std::vector<bool>> lockPairs(const Tally& tally) {
    const std::size_t n = tally.size();
    std::vector<Pair> pairs;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            const double margin = tally[i][j] - tally[j][i];
            if (margin > kEpsilon) {
                pairs.push_back({i, j, margin, tally[i][j]});
            }
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
        return std::make_tuple(-a.margin, -a.support, a.winner, a.loser) <
               std::make_tuple(-b.margin, -b.support, b.winner, b.loser);
    });
    std::vector<std::vector<bool>> locked(n, std::vector<bool>(n, false));
    for (const Pair& pair : pairs) {
        if (!reaches(locked, pair.loser, pair.winner)) {
            locked[pair.winner][pair.loser] = true;
        }
    }
    return locked;
}

// Reads tiers off the locked graph: the candidates with no locked edge from a candidate still
// unplaced form the next tier.
Tiers readTiers(const std::vector<std::vector<bool>>& locked, const std::vector<std::int64_t>& candidates) {
    const std::size_t n = candidates.size();
    std::vector<bool> placed(n, false);
    Tiers tiers;
    for (std::size_t done = 0; done < n;) {
        std::vector<std::size_t> sources;
        for (std::size_t j = 0; j < n; ++j) {
            bool beaten = false;
            for (std::size_t i = 0; i < n && !placed[j] && !beaten; ++i) {
                beaten = !placed[i] && locked[i][j];
            }
            if (!placed[j] && !beaten) {
                sources.push_back(j);
            }
        }
        std::vector<std::int64_t> tier;
        for (const std::size_t source : sources) {
            tier.push_back(candidates[source]);
            placed[source] = true;
        }
        done += sources.size();
        tiers.push_back(std::move(tier));
    }
    return tiers;
}

}  // namespace

Consensus rankedPairs(const RankingItem& item, const TrustWeights& weights,
                      std::optional<std::int64_t> left_out) {
    const std::size_t n = item.candidates.size();
    Tally tally(n, std::vector<double>(n, 0.0));
    Consensus consensus;
    double total_weight = 0.0;
    double flagged_weight = 0.0;
    bool any_order = false;
    for (const Ballot& ballot : item.ballots) {
        if (left_out && ballot.annotator_id == *left_out) {
            continue;
        }
        const double weight = weightOf(weights, ballot.annotator_id);
        ++consensus.ballots;
        total_weight += weight;
        flagged_weight += ballot.not_rankable ? weight : 0.0;
        const std::optional<Places> places = placesOf(item.candidates, ballot.tiers);
        if (!places) {
            continue;
        }
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                if ((*places)[i] < (*places)[j]) {
                    tally[i][j] += weight;
                    any_order = true;
                }
            }
        }
    }
    consensus.not_rankable_share = total_weight > 0.0 ? flagged_weight / total_weight : 0.0;
    if (any_order) {
        consensus.tiers = readTiers(lockPairs(tally), item.candidates);
    }
    return consensus;
}

std::optional<double> meanTauToConsensus(const RankingItem& item, const Consensus& consensus) {
    const std::optional<Places> reference = placesOf(item.candidates, consensus.tiers);
    if (!reference) {
        return std::nullopt;
    }
    double sum = 0.0;
    std::size_t count = 0;
    for (const Ballot& ballot : item.ballots) {
        const std::optional<Places> places = placesOf(item.candidates, ballot.tiers);
        const std::optional<double> tau = places ? kendallTauB(*places, *reference) : std::nullopt;
        if (tau) {
            sum += *tau;
            ++count;
        }
    }
    return count == 0 ? std::nullopt : std::optional<double>(sum / static_cast<double>(count));
}

std::vector<AnnotatorTrust> estimateTrust(const std::vector<RankingItem>& items,
                                          const TrustOptions& options) {
    std::map<std::int64_t, AnnotatorTrust> trust;
    for (const RankingItem& item : items) {
        for (const Ballot& ballot : item.ballots) {
            AnnotatorTrust& entry = trust[ballot.annotator_id];
            entry.annotator_id = ballot.annotator_id;
            ++entry.items;
        }
    }
    TrustWeights weights;
    for (int round = 0; round < options.max_rounds; ++round) {
        std::map<std::int64_t, std::pair<double, std::size_t>> taus;
        for (const RankingItem& item : items) {
            for (const Ballot& ballot : item.ballots) {
                const std::optional<Places> places = placesOf(item.candidates, ballot.tiers);
                const Consensus others = rankedPairs(item, weights, ballot.annotator_id);
                const std::optional<Places> reference = placesOf(item.candidates, others.tiers);
                const std::optional<double> tau =
                    places && reference ? kendallTauB(*places, *reference) : std::nullopt;
                if (tau) {
                    taus[ballot.annotator_id].first += *tau;
                    ++taus[ballot.annotator_id].second;
                }
            }
        }
        double largest_change = 0.0;
        for (auto& [annotator_id, entry] : trust) {
            const auto& [sum, compared] = taus[annotator_id];
            const double shrunk = sum / static_cast<double>(compared + 1);
            const double updated = std::pow((1.0 + shrunk) / 2.0, 2.0);
            largest_change = std::max(largest_change, std::fabs(updated - weightOf(weights, annotator_id)));
            entry.compared = compared;
            entry.agreement =
                compared > 0 ? std::optional<double>(sum / static_cast<double>(compared)) : std::nullopt;
            entry.trust = updated;
            weights[annotator_id] = updated;
        }
        if (largest_change < options.tolerance) {
            break;
        }
    }
    std::vector<AnnotatorTrust> result;
    for (const auto& [annotator_id, entry] : trust) {
        result.push_back(entry);
    }
    return result;
}

TrustWeights trustWeights(const std::vector<AnnotatorTrust>& trust) {
    TrustWeights weights;
    for (const AnnotatorTrust& entry : trust) {
        weights[entry.annotator_id] = entry.trust;
    }
    return weights;
}

}  // namespace vietllm::annotate
