#pragma once
// Checks on one translated field before it may be passed on. A translation fails when it is
// empty or truncated, is not Vietnamese, keeps a long stretch of English outside the protected
// spans, loses or repeats a token, has an implausible length for its source (bounds calibrated
// on the shared English-Vietnamese parallel samples), or looks like an answer to the source or
// carries translator commentary instead of being a translation.

#include "backend/databuild/translate_mask.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::databuild {

struct TranslationProblem {
    std::string reason;  ///< a stable key: "empty", "truncated", "not_vietnamese", ...
    std::string detail;  ///< for people
};

/// Plausible Vietnamese/English length ratios (code points of the translatable text).
struct LengthRatioBounds {
    double min_ratio = 0;
    double max_ratio = 0;
    std::size_t slack_code_points = 0;  ///< a difference this small always passes (short strings)
};

/// The bounds for a source of `source_code_points` translatable code points. Calibrated on
/// tatoeba (3311 short sentence pairs; p0.5-p99.5 of vi/en is 0.54-1.94) and the XQuAD
/// paragraphs (240; 0.86-1.23), widened so that at least 99% of both pass: short sources get
/// [0.40, 2.60] with 15 code points of slack, 40-199 get [0.45, 2.00], longer ones [0.60, 1.60].
LengthRatioBounds lengthRatioBounds(std::size_t source_code_points);

/// The longest run of consecutive English-looking words in `text` (ASCII words with at least
/// two distinct English function words among them), in words; 0 when there is none.
std::size_t longestEnglishRun(std::string_view text);

/// Words in a row that make "long English residue".
constexpr std::size_t kEnglishResidueWords = 6;

/// Reasons: "truncated", "empty", "placeholder_missing", "placeholder_duplicated",
/// "placeholder_unknown", "untranslated", "not_vietnamese", "english_residue", "length_ratio",
/// "answered_instead", "translator_note".
/// Every problem with `masked_output`, the model's reply to `source` (still masked: tokens are
/// checked here and restored by the caller). `finish_reason` is the endpoint's.
std::vector<TranslationProblem> checkTranslation(const MaskedText& source, std::string_view masked_output,
                                                 std::string_view finish_reason);

}  // namespace vietllm::databuild
