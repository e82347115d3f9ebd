#pragma once
// Language identification with character n-gram models trained by us (tools/train_langid.py
// documents how). Vietnamese written without diacritics is labelled "vi", and Indonesian,
// Malay and Tagalog are not.

#include <string>
#include <string_view>

namespace vietllm::text {

struct LanguageGuess {
    std::string lang;  ///< ISO 639-1 code ("vi", "en", "id", ...), "und" when undecidable
    double score = 0;  ///< confidence in [0, 1]
};

/// Identifies the language of one line or document.
LanguageGuess identifyLanguage(std::string_view text);

}  // namespace vietllm::text
