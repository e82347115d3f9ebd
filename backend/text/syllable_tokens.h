#pragma once
// Splits text into syllable tokens (runs of letters, combining marks and digits) with their offsets
// and two folded spellings. Shared by the toxicity lexicon matcher and the PII keyword context, which
// both compare whole syllables (so "dm" never fires inside "admin") in accented and unaccented form.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::text {

struct SyllableToken {
    std::size_t begin = 0;  ///< code points, end exclusive
    std::size_t end = 0;
    std::size_t byte_begin = 0;  ///< UTF-8 bytes, end exclusive
    std::size_t byte_end = 0;
    std::string lower;  ///< NFC, lower-cased (Icelandic ð typed for đ is read as đ)
    std::string plain;  ///< lower-cased with every diacritic removed and đ → d: "đụ" → "du"

    /// True when the token carries any Vietnamese (or other) diacritic.
    bool hasDiacritics() const { return lower != plain; }
};

/// The syllable tokens of valid UTF-8 `text`, in order. A '*' between two letters stays inside the
/// token, because masked swear words ("đ*t", "l*n") are written that way.
std::vector<SyllableToken> splitSyllables(std::string_view text);

/// True when some token of `tokens` carries a diacritic, i.e. the writer types accented Vietnamese.
bool anyDiacritics(const std::vector<SyllableToken>& tokens);

}  // namespace vietllm::text
