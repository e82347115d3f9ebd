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

/// Parses a --tone-style value ("hóa" or "hoà", NFC or NFD, any tone mark: the vowel that
/// carries it names the style; also "hoa-first"/"hoa-second"). ToneStyle::Invalid otherwise.
ToneStyle parseToneStyle(std::string_view name);

/// Unicode NFC of valid UTF-8 text (invalid bytes become U+FFFD).
std::string toNfc(std::string_view text);

/// Removes Vietnamese diacritics (tone and shape marks; đ→d) and returns NFC text.
std::string stripDiacritics(std::string_view text);

/// Full normalization of one line, as `vietllm-cli text normalize` does. Idempotent:
/// normalize(normalize(x)) == normalize(x). In order:
///  - invisible format characters (BOM, ZWSP, ZWNJ/ZWJ, word joiner, soft hyphen, bidi marks)
///    and stray control characters are removed; every other kind of space and line end becomes
///    one ASCII space; runs of spaces collapse; the ends are trimmed;
///  - Unicode NFC;
///  - open syllables whose rime is exactly oa, oe or uy get the tone mark on the vowel that
///    `tone_style` asks for (qu-/gi- syllables and closed syllables are not such syllables);
///  - a tone mark that sits where no spelling allows it (lựơng, baỏ, qúa) moves to its only
///    valid place (lượng, bảo, quá);
///  - Ð/ð (U+00D0/U+00F0, Icelandic eth) starting a word that then spells a Vietnamese syllable
///    becomes Đ/đ (Ðà Nẵng → Đà Nẵng); other words with ð are left alone.
std::string normalize(std::string_view text, const NormalizeOptions& options = {});

}  // namespace vietllm::text
