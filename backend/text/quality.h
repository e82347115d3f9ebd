#pragma once
// Document quality signals adapted to Vietnamese, as used by pretraining-data filters.

#include <cstddef>
#include <string_view>

namespace vietllm::text {

struct QualitySignals {
    std::size_t chars = 0;                 ///< code points
    std::size_t words = 0;                 ///< whitespace-separated tokens
    double vietnamese_syllable_ratio = 0;  ///< share of letter tokens that are valid Vietnamese syllables
    double duplicate_line_ratio = 0;       ///< share of lines repeating an earlier line
    double top_ngram_ratio = 0;            ///< share of characters covered by the most common word 2-gram
    double duplicate_ngram_ratio = 0;      ///< share of characters in repeated word 5-grams
    double symbol_ratio = 0;               ///< share of non-letter, non-digit, non-space code points
    double digit_ratio = 0;                ///< share of digits
    double uppercase_ratio = 0;            ///< share of letters in upper case
    double mean_word_length = 0;           ///< code points per word
};

/// Computes the signals of one line or document.
QualitySignals computeQuality(std::string_view text);

/// True when `syllable` (one token, any case, NFC) is a well-formed Vietnamese syllable.
bool isVietnameseSyllable(std::string_view syllable);

}  // namespace vietllm::text
