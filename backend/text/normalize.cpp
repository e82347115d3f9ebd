#include "backend/text/normalize.h"

#include "backend/common/utf8.h"
#include "backend/text/legacy_encoding.h"
#include "backend/text/vietnamese_syllable.h"

#include <utf8proc.h>

#include <array>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

// normalize() runs over millions of lines, so it is written as two passes over bytes that
// allocate per line, never per character:
//   1. clean: drop invisible format characters and stray controls, turn every kind of space
//      and line end into one ASCII space, trim; note whether the line needs NFC at all (a
//      per-code-point table says which characters can change under NFC), and run utf8proc's NFC
//      only then;
//   2. syllables: find each run of letters, and only for runs that hold a Vietnamese letter
//      with a mark, analyse the syllable and move its tone mark (oa/oe/uy style, certain
//      misplacements) or map a leading Ð to Đ.
// Pure ASCII lines never reach the second pass.

namespace vietllm::text {

namespace {

constexpr char32_t kReplacementCharacter = 0xFFFD;
constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr char32_t kUpperEth = 0xD0;  // Ð, Icelandic eth, typed in place of Đ (U+0110)
constexpr char32_t kLowerEth = 0xF0;  // ð

// ---------------------------------------------------------------------------------------------
// Unicode NFC

std::string runUtf8procNfc(std::string_view valid_utf8) {
    utf8proc_uint8_t* composed = nullptr;
    const utf8proc_ssize_t length =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(valid_utf8.data()),
                     static_cast<utf8proc_ssize_t>(valid_utf8.size()), &composed,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    std::string result;
    if (length >= 0) {
        result.assign(reinterpret_cast<const char*>(composed), static_cast<std::size_t>(length));
    } else {
        result.assign(valid_utf8);  // only on allocation failure; callers pass valid UTF-8
    }
    std::free(composed);
    return result;
}

bool isHangulVowelOrTrailingJamo(char32_t code_point) {
    return (code_point >= 0x1161 && code_point <= 0x1175) || (code_point >= 0x11A8 && code_point <= 0x11C2);
}

// One bit per code point: true when the character is unchanged by NFC whatever surrounds it
// (combining class 0, never the second part of a composition, NFC maps it to itself). A line
// made only of such characters is already NFC, which spares utf8proc on almost every line.
// Built from utf8proc's data on first use; conservative (a false "unstable" only costs time).
std::vector<bool> buildNfcStableTable() {
    std::vector<bool> stable(kMaxCodePoint + 1, true);
    for (char32_t code_point = 0; code_point <= kMaxCodePoint; ++code_point) {
        const auto cp = static_cast<utf8proc_int32_t>(code_point);
        const utf8proc_property_t* property = utf8proc_get_property(cp);
        if (property->combining_class != 0 || isHangulVowelOrTrailingJamo(code_point)) {
            stable[code_point] = false;
        }
        if (property->decomp_seqindex == UINT16_MAX || property->decomp_type != 0) {
            continue;  // no canonical decomposition
        }
        std::array<utf8proc_int32_t, 8> parts{};
        int boundclass = 0;
        const utf8proc_ssize_t count = utf8proc_decompose_char(
            cp, parts.data(), static_cast<utf8proc_ssize_t>(parts.size()), UTF8PROC_DECOMPOSE, &boundclass);
        for (utf8proc_ssize_t i = 1; i < count && i < static_cast<utf8proc_ssize_t>(parts.size()); ++i) {
            stable[static_cast<char32_t>(parts[static_cast<std::size_t>(i)])] = false;
        }
        std::string alone;
        utf8::append(alone, code_point);
        if (runUtf8procNfc(alone) != alone) {
            stable[code_point] = false;
        }
    }
    return stable;
}

// Built once and never modified afterwards (a constant, not shared mutable state).
bool isNfcStable(char32_t code_point) {
    static const std::vector<bool> table = buildNfcStableTable();
    return code_point <= kMaxCodePoint && table[code_point];
}

// ---------------------------------------------------------------------------------------------
// UTF-8 decoding of one code point (hot path: inline, no allocation)

struct Decoded {
    char32_t code_point = kReplacementCharacter;
    std::size_t length = 1;  // bytes consumed; invalid bytes are consumed one at a time
    bool valid = false;
};

Decoded decodeAt(std::string_view text, std::size_t pos) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    std::size_t length = 0;
    char32_t code_point = 0;
    char32_t min_value = 0;
    if (lead < 0x80) {
        return {lead, 1, true};
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2;
        code_point = lead & 0x1FU;
        min_value = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        code_point = lead & 0x0FU;
        min_value = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        code_point = lead & 0x07U;
        min_value = 0x10000;
    } else {
        return {};
    }
    if (pos + length > text.size()) {
        return {};
    }
    for (std::size_t i = 1; i < length; ++i) {
        const unsigned char next = byte(pos + i);
        if ((next & 0xC0) != 0x80) {
            return {};
        }
        code_point = (code_point << 6) | (next & 0x3FU);
    }
    if (code_point < min_value || code_point > kMaxCodePoint ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
        return {};
    }
    return {code_point, length, true};
}

// ---------------------------------------------------------------------------------------------
// Pass 1: invisible characters, spaces, line ends, NFC

enum class CharAction : std::uint8_t { Invalid = 0, Keep, Space, Drop };

// Which characters become a space and which vanish:
//  - space: tab, VT, FF, CR, LF, NEL, no-break spaces (U+00A0, U+202F), U+1680, the typographic
//    spaces U+2000-U+200A, U+205F, the ideographic space U+3000, line/paragraph separators;
//  - dropped: other C0/C1 controls, soft hyphen, Arabic letter mark, Mongolian vowel separator,
//    zero-width space/joiners, LRM/RLM and the other bidi controls, word joiner and invisible
//    operators, BOM, interlinear annotation marks. They carry no text, and left in place they
//    split words invisibly and defeat dedup and search.
CharAction actionOf(char32_t code_point) {
    if (code_point < 0x80) {
        if (code_point == ' ' || (code_point >= '\t' && code_point <= '\r')) {
            return CharAction::Space;
        }
        return code_point < 0x20 || code_point == 0x7F ? CharAction::Drop : CharAction::Keep;
    }
    if (code_point <= 0x9F) {
        return code_point == 0x85 ? CharAction::Space : CharAction::Drop;
    }
    if (code_point == 0xA0 || code_point == 0x1680 || (code_point >= 0x2000 && code_point <= 0x200A) ||
        code_point == 0x2028 || code_point == 0x2029 || code_point == 0x202F || code_point == 0x205F ||
        code_point == 0x3000) {
        return CharAction::Space;
    }
    if (code_point == 0xAD || code_point == 0x61C || code_point == 0x180E ||
        (code_point >= 0x200B && code_point <= 0x200F) || (code_point >= 0x202A && code_point <= 0x202E) ||
        (code_point >= 0x2060 && code_point <= 0x2064) || (code_point >= 0x2066 && code_point <= 0x206F) ||
        code_point == 0xFEFF || (code_point >= 0xFFF9 && code_point <= 0xFFFB)) {
        return CharAction::Drop;
    }
    return CharAction::Keep;
}

// actionOf() for the 128 ASCII bytes, looked up per byte on the hot path.
constexpr std::array<CharAction, 128> buildAsciiActions() {
    std::array<CharAction, 128> actions{};
    for (std::size_t c = 0; c < actions.size(); ++c) {
        const bool space = c == ' ' || (c >= '\t' && c <= '\r');
        actions[c] =
            space ? CharAction::Space : (c < 0x20 || c == 0x7F ? CharAction::Drop : CharAction::Keep);
    }
    return actions;
}
constexpr std::array<CharAction, 128> kAsciiActions = buildAsciiActions();

struct CleanResult {
    std::string text;
    bool has_non_ascii = false;
};

// Drops invisible characters, folds whitespace, trims, and applies NFC where needed.
CleanResult cleanLine(std::string_view text) {
    CleanResult result;
    std::string& out = result.text;
    out.reserve(text.size());
    bool pending_space = false;
    bool needs_nfc = false;
    std::size_t pos = 0;
    const auto keep = [&](const char* bytes, std::size_t length) {
        if (pending_space && !out.empty()) {
            out.push_back(' ');
        }
        pending_space = false;
        out.append(bytes, length);
    };
    while (pos < text.size()) {
        const auto byte = static_cast<unsigned char>(text[pos]);
        if (byte < 0x80) {
            std::size_t end = pos;
            while (end < text.size() && static_cast<unsigned char>(text[end]) < 0x80 &&
                   kAsciiActions[static_cast<unsigned char>(text[end])] == CharAction::Keep) {
                ++end;
            }
            if (end > pos) {
                keep(text.data() + pos, end - pos);
                pos = end;
            } else {
                pending_space = pending_space || kAsciiActions[byte] == CharAction::Space;
                ++pos;
            }
            continue;
        }
        const Decoded decoded = decodeAt(text, pos);
        const CharAction action = actionOf(decoded.code_point);
        if (action == CharAction::Keep) {
            result.has_non_ascii = true;
            needs_nfc = needs_nfc || !isNfcStable(decoded.code_point);
            if (decoded.valid) {
                keep(text.data() + pos, decoded.length);
            } else {
                keep("\xEF\xBF\xBD", 3);  // U+FFFD
            }
        } else if (action == CharAction::Space) {
            pending_space = true;
        }
        pos += decoded.length;
    }
    if (needs_nfc) {
        out = runUtf8procNfc(out);
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// Pass 2: syllables

bool isLetterMarkOrNumber(char32_t code_point) {
    const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(code_point));
    return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_NO;
}

// A maximal run of letters, marks and digits, as the syllable pass sees it.
struct WordRun {
    std::size_t begin = 0;  // bytes
    std::size_t end = 0;
    std::array<VietLetter, kMaxSyllableLetters> letters{};
    std::size_t count = 0;
    bool foreign = false;     // holds a digit, mark or non-Vietnamese letter, or is too long
    bool has_marks = false;   // holds a non-ASCII Vietnamese letter or an eth
    bool eth_first = false;   // starts with Ð/ð
    bool eth_inside = false;  // has Ð/ð after its first letter

    void clear(std::size_t pos) { *this = WordRun{pos, pos}; }

    void add(const VietLetter& letter) {
        if (count == letters.size()) {
            foreign = true;
            return;
        }
        letters[count++] = letter;
    }
};

// Cheap pre-check that skips the analysis for most syllables: a tone can only move when there
// is one and at least one other vowel letter beside it.
bool toneMayMove(const WordRun& run) {
    bool toned = false;
    std::size_t vowels = 0;
    for (std::size_t i = 0; i < run.count; ++i) {
        toned = toned || run.letters[i].tone != Tone::Level;
        vowels += isVowelKey(run.letters[i].key) ? 1 : 0;
    }
    return toned && vowels >= 2;
}

// Moves the tone of a well-formed syllable where it belongs: for open oa/oe/uy to the vowel the
// style asks for; for any other syllable only out of a position no Vietnamese spelling allows
// (lựơng → lượng, baỏ → bảo, qúa → quá). Returns false when nothing moves.
bool placeTone(WordRun& run, ToneStyle style) {
    const SyllableAnalysis analysis = analyzeSyllable(run.letters.data(), run.count);
    if (!analysis.well_formed || !analysis.tone_fits_coda || analysis.tone_index < 0) {
        return false;
    }
    int target = analysis.tone_index;
    if (analysis.two_way_first_vowel >= 0) {
        target = analysis.two_way_first_vowel + (style == ToneStyle::OnSecondVowel ? 1 : 0);
    } else if (((analysis.allowed_tone_positions >> analysis.tone_index) & 1U) == 0) {
        target = analysis.canonical_tone_position;
    }
    if (target == analysis.tone_index) {
        return false;
    }
    auto& from = run.letters[static_cast<std::size_t>(analysis.tone_index)];
    auto& to = run.letters[static_cast<std::size_t>(target)];
    to.tone = from.tone;
    from.tone = Tone::Level;
    return true;
}

// Rewrites `run` when a rule applies; false leaves it as it is. Ð/ð becomes Đ/đ only at the
// start of a run that then spells a valid Vietnamese syllable (Ðà, ÐẠI), where it can only be a
// mistyped Đ; Icelandic words never start with ð, and a run with Ð elsewhere stays untouched.
bool rewriteRun(WordRun& run, ToneStyle style) {
    if (run.foreign || !run.has_marks || run.count == 0 || run.eth_inside) {
        return false;
    }
    if (run.eth_first && !analyzeSyllable(run.letters.data(), run.count).valid()) {
        return false;
    }
    const bool moved = toneMayMove(run) && placeTone(run, style);
    return moved || run.eth_first;
}

void appendRun(std::string& out, const WordRun& run) {
    for (std::size_t i = 0; i < run.count; ++i) {
        utf8::append(out, encodeVietLetter(run.letters[i]));
    }
}

// Applies the syllable rules to cleaned NFC text; returns true and fills `out` when anything
// changed.
bool applySyllableRules(std::string_view text, ToneStyle style, std::string& out) {
    WordRun run;
    std::size_t copied = 0;
    bool changed = false;
    const auto finishRun = [&](std::size_t pos) {
        if (run.end > run.begin && rewriteRun(run, style)) {
            out.append(text.substr(copied, run.begin - copied));
            appendRun(out, run);
            copied = run.end;
            changed = true;
        }
        run.clear(pos);
    };
    const VietLetter* letter_table = vietLetterTable();
    std::size_t pos = 0;
    while (pos < text.size()) {
        const Decoded decoded = decodeAt(text, pos);
        const char32_t code_point = decoded.code_point;
        VietLetter letter = code_point < kVietLetterTableSize ? letter_table[code_point] : VietLetter{};
        const bool eth = code_point == kUpperEth || code_point == kLowerEth;
        if (eth) {
            letter = {'D', Tone::Level, code_point == kUpperEth};
        }
        if (letter.key != 0) {
            if (eth) {
                (run.count == 0 ? run.eth_first : run.eth_inside) = true;
            }
            run.has_marks = run.has_marks || code_point >= 0x80;
            run.add(letter);
            run.end = pos + decoded.length;
        } else if (code_point < 0x80 ? (code_point >= '0' && code_point <= '9')
                                     : isLetterMarkOrNumber(code_point)) {
            run.foreign = true;
            run.end = pos + decoded.length;
        } else {
            finishRun(pos + decoded.length);
        }
        pos += decoded.length;
    }
    finishRun(pos);
    if (changed) {
        out.append(text.substr(copied));
    }
    return changed;
}

// ---------------------------------------------------------------------------------------------
// Diacritics

// Combining forms of the Vietnamese marks: grave, acute, circumflex, tilde, breve, hook above,
// horn, dot below.
bool isVietnameseCombiningMark(char32_t code_point) {
    return code_point == 0x300 || code_point == 0x301 || code_point == 0x302 || code_point == 0x303 ||
           code_point == 0x306 || code_point == 0x309 || code_point == 0x31B || code_point == 0x323;
}

char plainLetterOf(char key) {
    switch (key) {
        case 'A':
        case 'B':
            return 'a';
        case 'D':
            return 'd';
        case 'E':
            return 'e';
        case 'O':
        case 'P':
            return 'o';
        case 'W':
            return 'u';
        default:
            return key;
    }
}

}  // namespace

ToneStyle parseToneStyle(std::string_view name) {
    if (name == "hoa-first") {
        return ToneStyle::OnFirstVowel;
    }
    if (name == "hoa-second") {
        return ToneStyle::OnSecondVowel;
    }
    // "hóa"/"hoà" name the style by example, so any tone mark on the o or on the a will do.
    const std::u32string code_points = utf8::decode(toNfc(name));
    if (code_points.size() != 3) {
        return ToneStyle::Invalid;
    }
    const VietLetter h = decodeVietLetter(code_points[0]);
    const VietLetter o = decodeVietLetter(code_points[1]);
    const VietLetter a = decodeVietLetter(code_points[2]);
    if (h.key != 'h' || h.upper || o.key != 'o' || o.upper || a.key != 'a' || a.upper) {
        return ToneStyle::Invalid;
    }
    if (o.tone != Tone::Level && a.tone == Tone::Level) {
        return ToneStyle::OnFirstVowel;
    }
    if (o.tone == Tone::Level && a.tone != Tone::Level) {
        return ToneStyle::OnSecondVowel;
    }
    return ToneStyle::Invalid;
}

std::string toNfc(std::string_view text) {
    bool stable = true;
    bool valid = true;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const Decoded decoded = decodeAt(text, pos);
        valid = valid && decoded.valid;
        stable = stable && isNfcStable(decoded.code_point);
        pos += decoded.length;
    }
    if (stable && valid) {
        return std::string(text);
    }
    const std::string repaired = valid ? std::string(text) : utf8::encode(utf8::decode(text));
    return stable ? repaired : runUtf8procNfc(repaired);
}

std::string stripDiacritics(std::string_view text) {
    const std::string composed = toNfc(text);
    std::string out;
    out.reserve(composed.size());
    bool dropped_mark = false;
    std::size_t pos = 0;
    while (pos < composed.size()) {
        const Decoded decoded = decodeAt(composed, pos);
        const char32_t code_point = decoded.code_point;
        const VietLetter letter = decodeVietLetter(code_point);
        if (code_point >= 0x80 && letter.key != 0) {
            const char plain = plainLetterOf(letter.key);
            out.push_back(letter.upper ? static_cast<char>(plain - 'a' + 'A') : plain);
        } else if (code_point == kUpperEth || code_point == kLowerEth) {
            out.push_back(code_point == kUpperEth ? 'D' : 'd');
        } else if (isVietnameseCombiningMark(code_point)) {
            dropped_mark = true;
        } else {
            out.append(composed, pos, decoded.length);
        }
        pos += decoded.length;
    }
    return dropped_mark ? toNfc(out) : out;
}

std::string normalize(std::string_view text, const NormalizeOptions& options) {
    std::string repaired;
    if (options.fix_legacy) {
        repaired = repairLegacy(text);
        text = repaired;
    }
    CleanResult cleaned = cleanLine(text);
    if (!cleaned.has_non_ascii) {
        return std::move(cleaned.text);
    }
    std::string rewritten;
    rewritten.reserve(cleaned.text.size() + 8);
    if (applySyllableRules(cleaned.text, options.tone_style, rewritten)) {
        return rewritten;
    }
    return std::move(cleaned.text);
}

}  // namespace vietllm::text
