#pragma once
// Merging several annotators' rankings of one set of candidates into a consensus ranking, and
// estimating how far each annotator can be trusted. Rankings are merged by ranked pairs (Tideman),
// as Open-Assistant did, with every vote weighted by its annotator's trust; trust comes from how
// well an annotator agrees with the consensus of the others, iterated a few rounds so that a
// careless or malicious annotator loses influence. The raw rankings are inputs only: nothing
// here changes them.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace vietllm::annotate {

/// A place-ordered ranking: tiers[0] holds the best candidate(s); candidates in one tier tie.
using Tiers = std::vector<std::vector<std::int64_t>>;

/// One annotator's ranking of an item's candidates.
struct Ballot {
    std::int64_t annotator_id = 0;
    bool not_rankable = false;  ///< the annotator flagged every candidate as unacceptable
    Tiers tiers;                ///< may be empty when not_rankable
};

/// Something annotators ranked: its candidates (in display order, which breaks exact ties) and
/// every ballot cast on it.
struct RankingItem {
    std::int64_t task_id = 0;
    std::vector<std::int64_t> candidates;
    std::vector<Ballot> ballots;
};

/// Trust weight per annotator id; an annotator absent from the map weighs 1.
using TrustWeights = std::map<std::int64_t, double>;

struct Consensus {
    Tiers tiers;                      ///< empty when no ballot orders any pair
    double not_rankable_share = 0.0;  ///< trust-weighted share of ballots flagging not rankable
    std::size_t ballots = 0;          ///< ballots that took part
    /// True when most of the (weighted) ballots flag the item as not rankable.
    bool notRankable() const { return not_rankable_share > 0.5; }
};

/// Ranked pairs over the weighted ballots of `item`, leaving out `left_out`'s ballot when given.
/// Pairs are locked by decreasing margin (then decreasing winning weight, then display order) and
/// skipped when they would close a cycle; candidates that are unbeaten at the same step form one
/// tier, listed in display order, so the result is deterministic.
Consensus rankedPairs(const RankingItem& item, const TrustWeights& weights,
                      std::optional<std::int64_t> left_out = std::nullopt);

/// Mean Kendall tau-b between each ballot and the consensus; none when no ballot is comparable.
std::optional<double> meanTauToConsensus(const RankingItem& item, const Consensus& consensus);

struct AnnotatorTrust {
    std::int64_t annotator_id = 0;
    std::size_t items = 0;            ///< items the annotator ranked
    std::size_t compared = 0;         ///< items with a defined tau against the others' consensus
    std::optional<double> agreement;  ///< mean tau-b with the leave-one-out consensus
    double trust = 0.0;               ///< in [0, 1]
};

struct TrustOptions {
    int max_rounds = 5;
    double tolerance = 1e-6;  ///< stop once no trust moves more than this
};

/// Estimates every annotator's trust: starting from equal weights, each round computes, for each
/// ballot, the consensus of the other ballots (current weights) and the ballot's tau-b to it; an
/// annotator's mean tau, shrunk toward 0 by one pseudo-item (mean = Σ tau / (compared + 1)), maps
/// to trust ((1 + mean) / 2)², so full agreement gives about 1, chance 0.25 and reversal 0.
/// Sorted by annotator id.
std::vector<AnnotatorTrust> estimateTrust(const std::vector<RankingItem>& items,
                                          const TrustOptions& options = {});

/// The weights of estimateTrust()'s result.
TrustWeights trustWeights(const std::vector<AnnotatorTrust>& trust);

}  // namespace vietllm::annotate
