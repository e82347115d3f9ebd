#pragma once
// Agreement between annotators: Krippendorff's alpha for labels (nominal flags, ordinal and
// interval Likert scales, missing values allowed) and, for rankings, Kendall's tau-b and the share
// of candidate pairs two rankings order the same way. Plain algorithms over in-memory data; the
// store gathers the data (backend/store/consensus_store.h).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace vietllm::annotate {

enum class Measurement { Invalid = 0, Nominal, Ordinal, Interval };

/// "nominal", "ordinal", "interval".
const char* measurementName(Measurement measurement);

/// Reliability data: one row per unit (an item), one column per coder (an annotator); a missing
/// value is an annotator who did not code the unit. Rows may be shorter than the widest one.
using CodingMatrix = std::vector<std::vector<std::optional<double>>>;

/// Krippendorff's alpha, 1 − (n − 1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck over the coincidence matrix of
/// the pairable values (units with at least two values). None when it is undefined: fewer than
/// two pairable values, or no expected disagreement (every value the same).
std::optional<double> krippendorffAlpha(const CodingMatrix& data, Measurement measurement);

/// A ranking as places: places[i] is candidate i's place (0 = best; equal places tie). Two
/// rankings compared must list the same candidates in the same order.
using Places = std::vector<int>;

/// Kendall's tau-b, (concordant − discordant) / sqrt((n0 − ties1)(n0 − ties2)), which corrects for
/// ties on either side. None when either ranking ties every pair (or has fewer than two items).
std::optional<double> kendallTauB(const Places& first, const Places& second);

/// The share of candidate pairs that both rankings order the same way (both prefer the same
/// one, or both tie them). None for fewer than two candidates.
std::optional<double> pairwiseAgreement(const Places& first, const Places& second);

/// Places from place-ordered tiers (tiers[0] best) for `candidates`, or none when a candidate is
/// in no tier.
std::optional<Places> placesOf(const std::vector<std::int64_t>& candidates,
                               const std::vector<std::vector<std::int64_t>>& tiers);

}  // namespace vietllm::annotate
