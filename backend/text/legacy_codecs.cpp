#include "backend/text/legacy_codecs.h"

#include "backend/common/utf8.h"
#include "backend/text/vietnamese_syllable.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <vector>

// The byte tables below are public facts: the TCVN3 one was generated with glibc's
// `iconv -f TCVN5712-1`, CP1258 is Microsoft's published code page, and VNI follows the
// VNI-Times font layout. VNI and CP1258 letters are built with encodeVietLetter() from a
// letter key and a tone rather than typed as code points.

namespace vietllm::text::legacy {

namespace {

// CP1252 code points of bytes 0x80-0x9F; 0 where CP1252 leaves the byte undefined.
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x0000, 0x017D, 0x0000,  // 88
    0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0000, 0x017E, 0x0178,  // 98
};

// TCVN 5712 VN1 bytes 0x80-0xFF (glibc TCVN5712-1); 0 where the byte keeps its CP1252 meaning
// (0xA0 no-break space, 0xB0-0xB4 combining tones, handled apart). 0xA1-0xFF is TCVN3 (ABC).
constexpr std::array<char32_t, 128> kTcvnHigh = {
    0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,  // 80
    0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,  // 88
    0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,  // 90
    0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,  // 98
    0x0000, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,  // A0
    0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,  // A8
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x00E0, 0x1EA3, 0x00E3,  // B0
    0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,  // B8
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,  // C0
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,  // C8
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,  // D0
    0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,  // D8
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,  // E0
    0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,  // E8
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,  // F0
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,  // F8
};

// VN1 capitals on C0 control bytes (tab, line feed and carriage return are left alone).
constexpr std::array<std::pair<int, char32_t>, 12> kTcvnControls = {{
    {0x01, 0x00DA},
    {0x02, 0x1EE4},
    {0x04, 0x1EEA},
    {0x05, 0x1EEC},
    {0x06, 0x1EEE},
    {0x11, 0x1EE8},
    {0x12, 0x1EF0},
    {0x13, 0x1EF2},
    {0x14, 0x1EF6},
    {0x15, 0x1EF8},
    {0x16, 0x00DD},
    {0x17, 0x1EF4},
}};

// 0x80-0x9F bytes whose CP1252 reading is everyday punctuation (€ ‚ „ … ‹ ‘ ’ “ ” • – — ›):
// read as a VN1 capital only when letters stand next to them.
constexpr std::array<int, 13> kTcvnPunctuationBytes = {0x80, 0x82, 0x84, 0x85, 0x8B, 0x91, 0x92,
                                                       0x93, 0x94, 0x95, 0x96, 0x97, 0x9B};

// TCVN3 combining tone bytes 0xB0-0xB4, in byte order.
constexpr std::array<Tone, 5> kTcvnToneBytes = {Tone::Grave, Tone::Hook, Tone::Tilde, Tone::Acute, Tone::Dot};

enum class Shape { Invalid = 0, None, Circumflex, Breve };

struct VniMark {
    int byte = 0;  // lower-case form; the upper-case form is 0x20 lower
    Shape shape = Shape::Invalid;
    Tone tone = Tone::Invalid;
};

// VNI mark bytes, written after the base vowel.
constexpr std::array<VniMark, 17> kVniMarks = {{
    {0xF9, Shape::None, Tone::Acute},
    {0xF8, Shape::None, Tone::Grave},
    {0xFB, Shape::None, Tone::Hook},
    {0xF5, Shape::None, Tone::Tilde},
    {0xEF, Shape::None, Tone::Dot},
    {0xE2, Shape::Circumflex, Tone::Level},
    {0xE1, Shape::Circumflex, Tone::Acute},
    {0xE0, Shape::Circumflex, Tone::Grave},
    {0xE5, Shape::Circumflex, Tone::Hook},
    {0xE3, Shape::Circumflex, Tone::Tilde},
    {0xE4, Shape::Circumflex, Tone::Dot},
    {0xEA, Shape::Breve, Tone::Level},
    {0xE9, Shape::Breve, Tone::Acute},
    {0xE8, Shape::Breve, Tone::Grave},
    {0xFA, Shape::Breve, Tone::Hook},
    {0xFC, Shape::Breve, Tone::Tilde},
    {0xEB, Shape::Breve, Tone::Dot},
}};

struct ByteLetter {
    int byte = 0;  // lower-case form; the upper-case form is 0x20 lower
    char key = 0;  // vietnamese_syllable.h letter key
    Tone tone = Tone::Invalid;
};

// VNI bytes that are whole letters: ơ, ư, đ, the toned i and ỵ.
constexpr std::array<ByteLetter, 9> kVniLetters = {{
    {0xF4, 'P', Tone::Level},
    {0xF6, 'W', Tone::Level},
    {0xF1, 'D', Tone::Level},
    {0xED, 'i', Tone::Acute},
    {0xEC, 'i', Tone::Grave},
    {0xE6, 'i', Tone::Hook},
    {0xF3, 'i', Tone::Tilde},
    {0xF2, 'i', Tone::Dot},
    {0xEE, 'y', Tone::Dot},
}};

// CP1258 letters where it differs from CP1252: ă, đ, ơ, ư.
constexpr std::array<ByteLetter, 4> kCp1258Letters = {{
    {0xE3, 'A', Tone::Level},
    {0xF0, 'D', Tone::Level},
    {0xF5, 'P', Tone::Level},
    {0xFD, 'W', Tone::Level},
}};

// CP1258 combining tone bytes.
constexpr std::array<std::pair<int, Tone>, 5> kCp1258Tones = {{
    {0xCC, Tone::Grave},
    {0xEC, Tone::Acute},
    {0xD2, Tone::Hook},
    {0xDE, Tone::Tilde},
    {0xF2, Tone::Dot},
}};

constexpr int kCp1258Dong = 0xFE;       // ₫
constexpr char32_t kDongSign = 0x20AB;  // ₫

// The lower-case form of a byte in 0xC0-0xFF (the Latin-1 letter rows).
int lowerByte(int byte) {
    return byte >= 0xC0 && byte < 0xE0 ? byte + 0x20 : byte;
}

bool isUpperByte(int byte) {
    return byte >= 0xC0 && byte < 0xE0;
}

// `letter` with `tone` added; 0 when it is no vowel or already carries a tone.
char32_t addTone(char32_t letter, Tone tone) {
    VietLetter split = decodeVietLetter(letter);
    if (split.key == 0 || split.tone != Tone::Level) {
        return 0;
    }
    split.tone = tone;
    return encodeVietLetter(split);
}

// `letter` (a plain vowel) with a VNI mark added; 0 when the mark does not fit the letter. VNI
// writes a toned i and ỵ as one byte each, so no mark byte follows i, and y takes no dot.
char32_t addVniMark(char32_t letter, const VniMark& mark) {
    VietLetter split = decodeVietLetter(letter);
    const bool whole_letter_byte = split.key == 'i' || (split.key == 'y' && mark.tone == Tone::Dot);
    if (split.key == 0 || split.tone != Tone::Level || whole_letter_byte) {
        return 0;
    }
    if (mark.shape == Shape::Circumflex) {
        if (split.key != 'a' && split.key != 'e' && split.key != 'o') {
            return 0;
        }
        split.key = split.key == 'a' ? 'B' : split.key == 'e' ? 'E' : 'O';
    } else if (mark.shape == Shape::Breve) {
        if (split.key != 'a') {
            return 0;
        }
        split.key = 'A';
    }
    split.tone = mark.tone;
    return encodeVietLetter(split);
}

template <std::size_t N>
std::optional<char32_t> letterForByte(const std::array<ByteLetter, N>& table, int byte) {
    const int lower = lowerByte(byte);
    const auto found = std::find_if(table.begin(), table.end(),
                                    [&](const ByteLetter& entry) { return entry.byte == lower; });
    if (found == table.end()) {
        return std::nullopt;
    }
    return encodeVietLetter({found->key, found->tone, isUpperByte(byte)});
}

const VniMark* vniMarkForByte(int byte) {
    const int lower = lowerByte(byte);
    const auto found = std::find_if(kVniMarks.begin(), kVniMarks.end(),
                                    [&](const VniMark& mark) { return mark.byte == lower; });
    return found == kVniMarks.end() ? nullptr : &*found;
}

bool isAsciiVowel(char32_t code_point) {
    constexpr std::u32string_view kVowels = U"aeiouyAEIOUY";
    return kVowels.find(code_point) != std::u32string_view::npos;
}

bool contains(const std::array<int, 13>& bytes, int byte) {
    return std::find(bytes.begin(), bytes.end(), byte) != bytes.end();
}

// One decoded TCVN3 code point with what it was read from, so that a guess can be undone.
struct TcvnPiece {
    char32_t code_point = 0;
    char32_t original = 0;
    bool tentative = false;        // a VN1 capital on a control or punctuation byte
    bool needs_neighbour = false;  // ... whose punctuation reading is common
};

// The TCVN 5712 reading of one code point as read through CP1252.
TcvnPiece tcvnPiece(char32_t code_point) {
    const int byte = cp1252Byte(code_point);
    TcvnPiece piece{code_point, code_point, false, false};
    if (byte >= 0x80) {
        const char32_t mapped = kTcvnHigh[static_cast<std::size_t>(byte - 0x80)];
        if (mapped != 0) {
            piece.code_point = mapped;
            piece.tentative = byte < 0xA0;
            piece.needs_neighbour = contains(kTcvnPunctuationBytes, byte);
        }
    } else if (byte >= 0) {
        for (const auto& [control, mapped] : kTcvnControls) {
            if (control == byte) {
                piece.code_point = mapped;
                piece.tentative = true;
            }
        }
    }
    return piece;
}

// Undoes the tentative VN1 capitals of the word pieces[begin, end) unless the word, read with
// them, is Vietnamese (and, for punctuation bytes, has other letters beside them).
void settleTentative(std::vector<TcvnPiece>& pieces, std::size_t begin, std::size_t end) {
    bool tentative = false;
    bool needs_neighbour = false;
    std::u32string word;
    for (std::size_t i = begin; i < end; ++i) {
        tentative = tentative || pieces[i].tentative;
        needs_neighbour = needs_neighbour || pieces[i].needs_neighbour;
        word.push_back(pieces[i].code_point);
    }
    if (!tentative) {
        return;
    }
    const bool keep = isVietnameseWord(word) && (!needs_neighbour || word.size() >= 2);
    if (keep) {
        return;
    }
    for (std::size_t i = begin; i < end; ++i) {
        if (pieces[i].tentative) {
            pieces[i].code_point = pieces[i].original;
        }
    }
}

}  // namespace

int cp1252Byte(char32_t code_point) {
    if (code_point < 0x100) {
        return static_cast<int>(code_point);
    }
    const auto found = std::find(kCp1252High.begin(), kCp1252High.end(), code_point);
    return found == kCp1252High.end() ? -1 : 0x80 + static_cast<int>(found - kCp1252High.begin());
}

bool isWordCodePoint(char32_t code_point) {
    const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(code_point));
    return (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) ||
           category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_MC;
}

bool hasConsistentCase(std::u32string_view word) {
    std::size_t upper = 0;
    for (const char32_t code_point : word) {
        if (decodeVietLetter(code_point).upper) {
            ++upper;
        }
    }
    const bool title_case = upper == 1 && decodeVietLetter(word.front()).upper;
    return upper == 0 || upper == word.size() || title_case;
}

bool isVietnameseWord(std::u32string_view word) {
    return hasConsistentCase(word) && isValidSyllable(word);
}

std::u32string composeNfc(std::u32string_view code_points) {
    const std::string text = utf8::encode(code_points);
    utf8proc_uint8_t* composed = nullptr;
    const utf8proc_ssize_t length = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
        &composed, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    std::u32string result(code_points);
    if (length >= 0) {
        result = utf8::decode(
            std::string_view(reinterpret_cast<const char*>(composed), static_cast<std::size_t>(length)));
    }
    std::free(composed);
    return result;
}

std::u32string decodeTcvn3(std::u32string_view text) {
    std::vector<TcvnPiece> pieces;
    pieces.reserve(text.size());
    for (const char32_t code_point : text) {
        const int byte = cp1252Byte(code_point);
        if (byte >= 0xB0 && byte <= 0xB4 && !pieces.empty()) {
            const char32_t toned =
                addTone(pieces.back().code_point, kTcvnToneBytes[static_cast<std::size_t>(byte - 0xB0)]);
            if (toned != 0) {
                pieces.back().code_point = toned;
                continue;
            }
        }
        pieces.push_back(tcvnPiece(code_point));
    }
    std::size_t word_begin = 0;
    for (std::size_t i = 0; i <= pieces.size(); ++i) {
        if (i == pieces.size() || !isWordCodePoint(pieces[i].code_point)) {
            settleTentative(pieces, word_begin, i);
            word_begin = i + 1;
        }
    }
    std::u32string out;
    out.reserve(pieces.size());
    for (const TcvnPiece& piece : pieces) {
        out.push_back(piece.code_point);
    }
    return out;
}

std::u32string decodeVni(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    bool vowel_open = false;  // the last code point out is a vowel still waiting for its marks
    for (const char32_t code_point : text) {
        const int byte = cp1252Byte(code_point);
        const VniMark* mark = byte >= 0xC0 ? vniMarkForByte(byte) : nullptr;
        if (mark != nullptr && vowel_open) {
            const char32_t marked = addVniMark(out.back(), *mark);
            if (marked != 0) {
                out.back() = marked;
                vowel_open = false;
                continue;
            }
        }
        const std::optional<char32_t> letter = byte >= 0xC0 ? letterForByte(kVniLetters, byte) : std::nullopt;
        if (letter) {
            out.push_back(*letter);
            const char key = decodeVietLetter(*letter).key;
            vowel_open = key == 'P' || key == 'W';
            continue;
        }
        out.push_back(code_point);
        vowel_open = isAsciiVowel(code_point);
    }
    return out;
}

std::u32string decodeCp1258(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (const char32_t code_point : text) {
        const int byte = cp1252Byte(code_point);
        const auto tone =
            std::find_if(kCp1258Tones.begin(), kCp1258Tones.end(),
                         [&](const std::pair<int, Tone>& entry) { return entry.first == byte; });
        if (tone != kCp1258Tones.end() && !out.empty()) {
            const char32_t toned = addTone(out.back(), tone->second);
            if (toned != 0) {
                out.back() = toned;
                continue;
            }
        }
        const std::optional<char32_t> letter =
            byte >= 0xC0 ? letterForByte(kCp1258Letters, byte) : std::nullopt;
        if (letter) {
            out.push_back(*letter);
        } else {
            out.push_back(byte == kCp1258Dong ? kDongSign : code_point);
        }
    }
    return out;
}

}  // namespace vietllm::text::legacy
