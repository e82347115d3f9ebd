#pragma once
// Vietnamese text normalization: NFC, one consistent tone-mark placement for open syllables
// with oa/oe/uy, invisible characters removed, spaces folded. Written here rather than taken
// from a library because no Debian library knows Vietnamese tone placement.

#include <string>
#include <string_view>

namespace vietllm::text {

/// Where the tone mark of an open syllable ending in oa, oe or uy goes.
enum class ToneStyle {
    Invalid = 0,
    OnFirstVowel,   ///< hóa, thủy, khỏe, Hòa, Ủy, tùy: the majority in native text (default)
    OnSecondVowel,  ///< hoá, thuỷ, khoẻ, Hoà, Uỷ, tuỳ
};

struct NormalizeOptions {
    ToneStyle tone_style = ToneStyle::OnFirstVowel;
    /// Repair text in legacy Vietnamese encodings (TCVN3, VNI, VIQR, CP1258) first. Opt-in,
    /// because the detection can misfire on text that merely looks like them.
    bool fix_legacy = false;
};

/// Parses a --tone-style value ("hóa" or "hoà", NFC or NFD; also "hoa-first"/"hoa-second").
/// Returns ToneStyle::Invalid for anything else.
ToneStyle parseToneStyle(std::string_view name);

/// Unicode NFC of valid UTF-8 text (invalid bytes become U+FFFD).
std::string toNfc(std::string_view text);

/// Removes Vietnamese diacritics (tone and shape marks; đ→d) and returns NFC text.
std::string stripDiacritics(std::string_view text);

/// Full normalization of one line, as `vietllm-cli text normalize` does. Idempotent:
/// normalize(normalize(x)) == normalize(x). Line-end characters are stripped.
std::string normalize(std::string_view text, const NormalizeOptions& options = {});

}  // namespace vietllm::text
