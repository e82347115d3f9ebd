#pragma once
// Vietnamese offensive and hateful language, from our own curated lexicon with accented,
// unaccented and teencode spellings, and a score over the matches.

#include <cstddef>
#include <string_view>
#include <vector>

namespace vietllm::text {

struct ToxicSpan {
    std::size_t begin = 0;  ///< code points, end exclusive
    std::size_t end = 0;
};

struct ToxicityResult {
    bool toxic = false;
    double score = 0;  ///< in [0, 1]
    std::vector<ToxicSpan> spans;
};

/// Scores one line or document.
ToxicityResult scoreToxicity(std::string_view text);

}  // namespace vietllm::text
