#include "backend/text/vietnamese_syllable.h"

#include "backend/common/utf8.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>
#include <vector>

namespace vietllm::text {

namespace {

// ---------------------------------------------------------------------------------------------
// Letters

// The twelve vowel letters in key form, with their lower- and upper-case code points.
constexpr std::string_view kVowelKeys = "aABeEioOPuWy";
constexpr std::array<char32_t, 12> kLowerVowels = {0x61, 0x103, 0xE2,  0x65, 0xEA,  0x69,
                                                   0x6F, 0xF4,  0x1A1, 0x75, 0x1B0, 0x79};
constexpr std::array<char32_t, 12> kUpperVowels = {0x41, 0x102, 0xC2,  0x45, 0xCA,  0x49,
                                                   0x4F, 0xD4,  0x1A0, 0x55, 0x1AF, 0x59};
// Combining marks of the five written tones, in Tone order (Grave .. Dot).
constexpr std::array<char32_t, 5> kToneMarks = {0x300, 0x301, 0x309, 0x303, 0x323};
constexpr std::size_t kToneCount = 6;
constexpr char32_t kLetterTableEnd = kVietLetterTableSize;

constexpr char32_t kLowerDStroke = 0x111;
constexpr char32_t kUpperDStroke = 0x110;

struct LetterTables {
    std::vector<VietLetter> by_code_point = std::vector<VietLetter>(kLetterTableEnd);
    // [vowel][tone - 1][upper]
    std::array<std::array<std::array<char32_t, 2>, kToneCount>, kVowelKeys.size()> vowels{};
};

int vowelIndex(char key) {
    const std::size_t index = kVowelKeys.find(key);
    return index == std::string_view::npos ? -1 : static_cast<int>(index);
}

// Composes base + combining mark with utf8proc's NFC, so that no precomposed letter is typed in
// by hand; only used while the tables are built.
char32_t composeWithMark(char32_t base, char32_t mark) {
    std::string text;
    utf8::append(text, base);
    utf8::append(text, mark);
    utf8proc_uint8_t* composed = nullptr;
    const utf8proc_ssize_t length = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
        &composed, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    char32_t result = 0;
    if (length > 0) {
        const std::u32string code_points = utf8::decode(
            std::string_view(reinterpret_cast<const char*>(composed), static_cast<std::size_t>(length)));
        if (code_points.size() == 1) {
            result = code_points[0];
        }
    }
    std::free(composed);
    return result;
}

LetterTables buildLetterTables() {
    LetterTables tables;
    for (char c = 'a'; c <= 'z'; ++c) {
        tables.by_code_point[static_cast<unsigned char>(c)] = {c, Tone::Level, false};
        tables.by_code_point[static_cast<unsigned char>(c - 'a' + 'A')] = {c, Tone::Level, true};
    }
    tables.by_code_point[kLowerDStroke] = {'D', Tone::Level, false};
    tables.by_code_point[kUpperDStroke] = {'D', Tone::Level, true};
    for (std::size_t vowel = 0; vowel < kVowelKeys.size(); ++vowel) {
        for (std::size_t tone = 0; tone < kToneCount; ++tone) {
            for (int upper = 0; upper < 2; ++upper) {
                const char32_t base = upper != 0 ? kUpperVowels[vowel] : kLowerVowels[vowel];
                const char32_t code_point = tone == 0 ? base : composeWithMark(base, kToneMarks[tone - 1]);
                tables.vowels[vowel][tone][static_cast<std::size_t>(upper)] = code_point;
                if (code_point != 0 && code_point < kLetterTableEnd) {
                    tables.by_code_point[code_point] = {kVowelKeys[vowel], static_cast<Tone>(tone + 1),
                                                        upper != 0};
                }
            }
        }
    }
    return tables;
}

// Built once on first use and never modified afterwards (a constant, not shared mutable state).
const LetterTables& letterTables() {
    static const LetterTables tables = buildLetterTables();
    return tables;
}

// ---------------------------------------------------------------------------------------------
// Rimes
//
// A rime is what follows the onset: optional medial (o/u glide) + nucleus + optional coda.
// The lists below are the rimes of standard Vietnamese spelling, written in UTF-8 and turned
// into key strings when the tables are built.

// Rimes without a medial. iê… needs an onset (without one it is written yê…); ăk is for the
// Central Highlands names Đắk, Lắk; ưn for southern chưn, sừn.
constexpr std::string_view kPlainRimes =
    "a ai ao au ay am an ang anh ac ach ap at "
    "ăm ăn ăng ăc ăp ăt ăk "
    "âm ân âng âc âp ât âu ây "
    "e eo em en eng ec ep et "
    "ê êu êm ên ênh êch êp êt "
    "i ia iu im in inh ich ip it "
    "iêu iêm iên iêng iêc iêp iêt "
    "yêu yêm yên yêng yêt "
    "y "
    "o oi om on ong oc op ot oong ooc "
    "ô ôi ôm ôn ông ôc ôp ôt "
    "ơ ơi ơm ơn ơp ơt "
    "u ua ui um un ung uc up ut "
    "uôi uôm uôn uông uôc uôt "
    "ư ưa ưi ưu ưm ưn ưng ưc ưt "
    "ươi ươu ươm ươn ương ươc ươp ươt";
// What may follow the medial o (hoa, hoai, hoàng, hoặc, khoẻ, ngoẹo).
constexpr std::string_view kAfterMedialO =
    "a ai ao ay am an ang anh ac ach ap at ăm ăn ăng ăc ăp ăt e eo em en et";
// What may follow the medial u after onsets other than qu (thuê, huy, khuya, khuỷu, xuân, thuở).
constexpr std::string_view kAfterMedialU =
    "ê êu ênh êch ên êt y ya yu yn ynh ych yt yp yên yêt yêch ân âng ât ây âu ơ ơn";

enum class RimeKind : std::uint8_t { Invalid = 0, Plain, MedialO, MedialU };

struct Rime {
    std::uint64_t key = 0;  // up to five letter keys, first letter in the low byte
    RimeKind kind = RimeKind::Invalid;
    std::uint8_t allowed_tone_positions = 0;  // relative to the rime's first letter
    std::int8_t canonical_tone_position = 0;
    bool stop_coda = false;
    bool two_way = false;  // open oa, oe, uy
};

constexpr std::size_t kMaxRimeLetters = 5;  // uyêch (khuyếch)

std::uint64_t packKey(std::string_view keys) {
    std::uint64_t packed = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        packed |= static_cast<std::uint64_t>(static_cast<unsigned char>(keys[i])) << (8 * i);
    }
    return packed;
}

bool isShapedVowelKey(char key) {
    return key == 'A' || key == 'B' || key == 'E' || key == 'O' || key == 'P' || key == 'W';
}

// The standard tone position in a rime without medial: the last vowel with a shape mark (ươ →
// ơ, iê → ê); else the last vowel before a consonant coda (anh, oong); else the first vowel (ai,
// ao, ia, ua).
int plainTonePosition(std::string_view keys) {
    std::size_t vowel_end = 0;
    while (vowel_end < keys.size() && isVowelKey(keys[vowel_end])) {
        ++vowel_end;
    }
    int last_shaped = -1;
    for (std::size_t i = 0; i < vowel_end; ++i) {
        if (isShapedVowelKey(keys[i])) {
            last_shaped = static_cast<int>(i);
        }
    }
    if (last_shaped >= 0) {
        return last_shaped;
    }
    return vowel_end < keys.size() ? static_cast<int>(vowel_end) - 1 : 0;
}

bool endsInStopConsonant(std::string_view keys) {
    const char last = keys.back();
    return last == 'c' || last == 'p' || last == 't' || last == 'k' ||
           (last == 'h' && keys.size() >= 2 && keys[keys.size() - 2] == 'c');
}

std::string toKeys(std::string_view utf8_word) {
    std::string keys;
    for (const char32_t code_point : utf8::decode(utf8_word)) {
        keys.push_back(decodeVietLetter(code_point).key);
    }
    return keys;
}

Rime makeRime(RimeKind kind, std::string_view keys) {
    Rime rime;
    rime.key = packKey(keys);
    rime.kind = kind;
    rime.stop_coda = endsInStopConsonant(keys);
    if (kind == RimeKind::Plain) {
        rime.canonical_tone_position = static_cast<std::int8_t>(plainTonePosition(keys));
    } else {
        rime.canonical_tone_position = static_cast<std::int8_t>(1 + plainTonePosition(keys.substr(1)));
        rime.two_way = keys == "oa" || keys == "oe" || keys == "uy";
    }
    rime.allowed_tone_positions = static_cast<std::uint8_t>(1U << rime.canonical_tone_position);
    if (rime.two_way) {
        rime.allowed_tone_positions |= 1U;
    }
    return rime;
}

// After qu the tone of an open o + a/e never moves to the o (no "quòa").
Rime withoutTwoWay(Rime rime) {
    rime.two_way = false;
    rime.allowed_tone_positions = static_cast<std::uint8_t>(1U << rime.canonical_tone_position);
    return rime;
}

template <typename Visit>
void forEachWord(std::string_view list, Visit visit) {
    std::size_t start = 0;
    while (start < list.size()) {
        std::size_t end = list.find(' ', start);
        if (end == std::string_view::npos) {
            end = list.size();
        }
        if (end > start) {
            visit(list.substr(start, end - start));
        }
        start = end + 1;
    }
}

struct RimeTables {
    std::vector<Rime> ordinary;  // after any onset but qu
    std::vector<Rime> after_qu;  // after qu, whose u is the medial
};

// After qu: the plain rimes whose nucleus is not rounded and not the diphthong iê/ia (qua,
// quân, quê, quy, quyên, quơ), the y-rimes (quỳnh, quýt), quốc, and the rare qu + o forms
// (quoàng, quoắt).
bool plainRimeFollowsQu(std::string_view keys) {
    const char first = keys[0];
    const bool allowed_start = first == 'a' || first == 'A' || first == 'B' || first == 'e' || first == 'E' ||
                               first == 'i' || first == 'y' || first == 'P';
    const bool i_diphthong = first == 'i' && keys.size() >= 2 && isVowelKey(keys[1]);
    return (allowed_start && !i_diphthong) || keys == "Oc";
}

// Sorts by key for binary search; of two entries with one spelling the first added stays.
void sortRimes(std::vector<Rime>& rimes) {
    std::stable_sort(rimes.begin(), rimes.end(), [](const Rime& a, const Rime& b) { return a.key < b.key; });
    const auto same = [](const Rime& a, const Rime& b) { return a.key == b.key; };
    rimes.erase(std::unique(rimes.begin(), rimes.end(), same), rimes.end());
}

RimeTables buildRimeTables() {
    RimeTables tables;
    forEachWord(kPlainRimes, [&](std::string_view word) {
        const std::string keys = toKeys(word);
        tables.ordinary.push_back(makeRime(RimeKind::Plain, keys));
        if (plainRimeFollowsQu(keys)) {
            tables.after_qu.push_back(makeRime(RimeKind::Plain, keys));
        }
    });
    forEachWord(kAfterMedialO, [&](std::string_view word) {
        const std::string keys = "o" + toKeys(word);
        tables.ordinary.push_back(makeRime(RimeKind::MedialO, keys));
        tables.after_qu.push_back(withoutTwoWay(makeRime(RimeKind::MedialO, keys)));
    });
    forEachWord(kAfterMedialU, [&](std::string_view word) {
        const std::string keys = toKeys(word);
        tables.ordinary.push_back(makeRime(RimeKind::MedialU, "u" + keys));
        tables.after_qu.push_back(makeRime(RimeKind::Plain, keys));
    });
    sortRimes(tables.ordinary);
    sortRimes(tables.after_qu);
    return tables;
}

const RimeTables& rimeTables() {
    static const RimeTables tables = buildRimeTables();
    return tables;
}

const Rime* findRime(const std::vector<Rime>& rimes, std::string_view keys) {
    if (keys.empty() || keys.size() > kMaxRimeLetters) {
        return nullptr;
    }
    const std::uint64_t key = packKey(keys);
    const auto found = std::lower_bound(rimes.begin(), rimes.end(), key,
                                        [](const Rime& rime, std::uint64_t k) { return rime.key < k; });
    return found != rimes.end() && found->key == key ? &*found : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Onsets and the spelling rules that tie them to the rime

enum class Onset : std::uint8_t {
    Invalid = 0,
    None,
    B,
    C,
    Ch,
    D,
    DStroke,
    G,
    Gh,
    Gi,
    H,
    K,
    Kh,
    L,
    M,
    N,
    Ng,
    Ngh,
    Nh,
    P,
    Ph,
    Qu,
    R,
    S,
    T,
    Th,
    Tr,
    V,
    X
};

struct OnsetCandidate {
    Onset onset = Onset::Invalid;
    std::size_t length = 0;
};

// The onsets `keys` may start with, longest first ("ngh" before "ng" and "n", "gi" before "g");
// returns how many were written. A switch rather than a string table: this runs per syllable.
std::size_t onsetCandidates(std::string_view keys, std::array<OnsetCandidate, 3>& out) {
    const char first = keys[0];
    const char second = keys.size() > 1 ? keys[1] : '\0';
    const char third = keys.size() > 2 ? keys[2] : '\0';
    std::size_t count = 0;
    const auto add = [&](Onset onset, std::size_t length) { out[count++] = {onset, length}; };
    switch (first) {
        case 'n':
            if (second == 'g' && third == 'h') add(Onset::Ngh, 3);
            if (second == 'g') add(Onset::Ng, 2);
            if (second == 'h') add(Onset::Nh, 2);
            add(Onset::N, 1);
            break;
        case 'c':
            if (second == 'h') add(Onset::Ch, 2);
            add(Onset::C, 1);
            break;
        case 'g':
            if (second == 'h') add(Onset::Gh, 2);
            if (second == 'i') add(Onset::Gi, 2);
            add(Onset::G, 1);
            break;
        case 'k':
            if (second == 'h') add(Onset::Kh, 2);
            add(Onset::K, 1);
            break;
        case 'p':
            if (second == 'h') add(Onset::Ph, 2);
            add(Onset::P, 1);
            break;
        case 'q':
            if (second == 'u') add(Onset::Qu, 2);
            break;
        case 't':
            if (second == 'h') add(Onset::Th, 2);
            if (second == 'r') add(Onset::Tr, 2);
            add(Onset::T, 1);
            break;
        case 'b':
            add(Onset::B, 1);
            break;
        case 'd':
            add(Onset::D, 1);
            break;
        case 'D':
            add(Onset::DStroke, 1);
            break;
        case 'h':
            add(Onset::H, 1);
            break;
        case 'l':
            add(Onset::L, 1);
            break;
        case 'm':
            add(Onset::M, 1);
            break;
        case 'r':
            add(Onset::R, 1);
            break;
        case 's':
            add(Onset::S, 1);
            break;
        case 'v':
            add(Onset::V, 1);
            break;
        case 'x':
            add(Onset::X, 1);
            break;
        default:
            if (isVowelKey(first)) add(Onset::None, 0);
            break;  // f, j, w, z: no Vietnamese onset
    }
    return count;
}

bool isFrontVowelKey(char key) {
    return key == 'i' || key == 'y' || key == 'e' || key == 'E';
}

// Loanword syllables where a labial onset takes a medial, against the native rule: phuy,
// buýt, voan, moay(-ơ).
bool isLabialMedialLoan(Onset onset, std::string_view rest) {
    return (onset == Onset::Ph && rest == "uy") || (onset == Onset::B && rest == "uyt") ||
           (onset == Onset::V && rest == "oan") || (onset == Onset::M && rest == "oay");
}

// c/k, g/gh and ng/ngh split by the following vowel: k, gh, ngh before i, e, ê (k also y);
// c, g, ng elsewhere. g + i stands for gi + i (gì, gìn), never for gi + a diphthong.
bool onsetFitsFirstLetter(Onset onset, std::string_view rest) {
    const char first = rest[0];
    switch (onset) {
        case Onset::C:
        case Onset::Ng:
            return !isFrontVowelKey(first);
        case Onset::K:
            return isFrontVowelKey(first);
        case Onset::Gh:
        case Onset::Ngh:
            return first == 'i' || first == 'e' || first == 'E';
        case Onset::G:
            if (first == 'e' || first == 'E' || first == 'y') {
                return false;
            }
            return first != 'i' || rest.size() == 1 || !isVowelKey(rest[1]);
        default:
            return true;
    }
}

// Labial onsets (b, m, p, ph, v) take no medial, nor do c, k, gh, ngh (c + medial is spelled
// qu); the medial u follows only the onsets listed (thuê, huy, khuya, luật, nguyên, xuân, uy).
bool onsetTakesMedial(RimeKind kind, Onset onset, std::string_view rest) {
    switch (onset) {
        case Onset::B:
        case Onset::M:
        case Onset::P:
        case Onset::Ph:
        case Onset::V:
            return isLabialMedialLoan(onset, rest);
        case Onset::C:
        case Onset::K:
        case Onset::Gh:
        case Onset::Ngh:
            return false;
        case Onset::None:
        case Onset::Ch:
        case Onset::D:
        case Onset::DStroke:
        case Onset::H:
        case Onset::Kh:
        case Onset::L:
        case Onset::N:
        case Onset::Ng:
        case Onset::Nh:
        case Onset::R:
        case Onset::S:
        case Onset::T:
        case Onset::Th:
        case Onset::Tr:
        case Onset::X:
            return true;
        default:
            return kind == RimeKind::MedialO;
    }
}

// Plain rimes with their own onset rules: iê… needs an onset, yê… refuses one, and a bare y
// follows only h, k, l, m, s, t, v (hy, kỹ, lý, mỹ, sỹ, tỷ, vỹ) or nothing (ý).
bool onsetFitsPlainRime(Onset onset, std::string_view rest) {
    if (rest.size() >= 2 && rest[1] == 'E' && rest[0] == 'i') {
        return onset != Onset::None;
    }
    if (rest.size() >= 2 && rest[1] == 'E' && rest[0] == 'y') {
        return onset == Onset::None;
    }
    if (rest == "y") {
        return onset == Onset::None || onset == Onset::H || onset == Onset::K || onset == Onset::L ||
               onset == Onset::M || onset == Onset::S || onset == Onset::T || onset == Onset::V;
    }
    return true;
}

// The rime found after an onset, and how far its tone positions move (-1 for gi + ê…, written
// for gi + iê…).
struct RimeMatch {
    const Rime* rime = nullptr;
    int shift = 0;
};

RimeMatch matchAfterGi(std::string_view rest) {
    const RimeTables& tables = rimeTables();
    if (rest[0] == 'i' || rest[0] == 'y') {
        return {};
    }
    const Rime* rime = findRime(tables.ordinary, rest);
    if (rime != nullptr && rime->kind == RimeKind::Plain) {
        return {rime, 0};
    }
    if (rest[0] == 'E' && rest.size() < kMaxRimeLetters) {
        std::array<char, kMaxRimeLetters> with_i{'i'};
        std::copy(rest.begin(), rest.end(), with_i.begin() + 1);
        rime = findRime(tables.ordinary, std::string_view(with_i.data(), rest.size() + 1));
        if (rime != nullptr) {
            return {rime, -1};
        }
    }
    return {};
}

RimeMatch matchRime(Onset onset, std::string_view rest) {
    const RimeTables& tables = rimeTables();
    if (onset == Onset::Qu) {
        return {findRime(tables.after_qu, rest), 0};
    }
    if (onset == Onset::Gi) {
        return matchAfterGi(rest);
    }
    const Rime* rime = findRime(tables.ordinary, rest);
    if (rime == nullptr || !onsetFitsFirstLetter(onset, rest)) {
        return {};
    }
    const bool fits = rime->kind == RimeKind::Plain ? onsetFitsPlainRime(onset, rest)
                                                    : onsetTakesMedial(rime->kind, onset, rest);
    return fits ? RimeMatch{rime, 0} : RimeMatch{};
}

std::uint8_t shiftPositions(std::uint8_t positions, int shift) {
    return static_cast<std::uint8_t>(shift >= 0 ? positions << shift : positions >> -shift);
}

}  // namespace

bool isVowelKey(char key) {
    switch (key) {
        case 'a':
        case 'A':
        case 'B':
        case 'e':
        case 'E':
        case 'i':
        case 'o':
        case 'O':
        case 'P':
        case 'u':
        case 'W':
        case 'y':
            return true;
        default:
            return false;
    }
}

const VietLetter* vietLetterTable() {
    return letterTables().by_code_point.data();
}

VietLetter decodeVietLetter(char32_t code_point) {
    if (code_point >= kLetterTableEnd) {
        return {};
    }
    return letterTables().by_code_point[code_point];
}

char32_t encodeVietLetter(const VietLetter& letter) {
    if (letter.tone == Tone::Invalid) {
        return 0;
    }
    const int vowel = vowelIndex(letter.key);
    if (vowel >= 0) {
        const auto tone = static_cast<std::size_t>(letter.tone) - 1;
        return letterTables().vowels[static_cast<std::size_t>(vowel)][tone][letter.upper ? 1 : 0];
    }
    if (letter.tone != Tone::Level) {
        return 0;
    }
    if (letter.key == 'D') {
        return letter.upper ? kUpperDStroke : kLowerDStroke;
    }
    if (letter.key >= 'a' && letter.key <= 'z') {
        return static_cast<char32_t>(letter.upper ? letter.key - 'a' + 'A' : letter.key);
    }
    return 0;
}

bool SyllableAnalysis::valid() const {
    const bool tone_placed = tone_index < 0 || ((allowed_tone_positions >> tone_index) & 1U) != 0;
    return well_formed && tone_fits_coda && tone_placed;
}

SyllableAnalysis analyzeSyllable(const VietLetter* letters, std::size_t count) {
    SyllableAnalysis analysis;
    if (count == 0 || count > kMaxSyllableLetters) {
        return analysis;
    }
    std::array<char, kMaxSyllableLetters> key_buffer{};
    Tone tone = Tone::Level;
    for (std::size_t i = 0; i < count; ++i) {
        if (letters[i].key == 0) {
            return analysis;
        }
        key_buffer[i] = letters[i].key;
        if (letters[i].tone != Tone::Level) {
            if (analysis.tone_index >= 0) {
                return analysis;  // two tone marks
            }
            analysis.tone_index = static_cast<int>(i);
            tone = letters[i].tone;
        }
    }
    const std::string_view keys(key_buffer.data(), count);
    std::array<OnsetCandidate, 3> onsets{};
    const std::size_t onset_count = onsetCandidates(keys, onsets);
    for (std::size_t i = 0; i < onset_count; ++i) {
        const OnsetCandidate& onset = onsets[i];
        if (onset.length >= keys.size()) {
            continue;
        }
        const RimeMatch match = matchRime(onset.onset, keys.substr(onset.length));
        if (match.rime == nullptr) {
            continue;
        }
        const int start = static_cast<int>(onset.length) + match.shift;
        analysis.well_formed = true;
        analysis.tone_fits_coda = !match.rime->stop_coda || tone == Tone::Acute || tone == Tone::Dot;
        analysis.allowed_tone_positions = shiftPositions(match.rime->allowed_tone_positions, start);
        analysis.canonical_tone_position = start + match.rime->canonical_tone_position;
        analysis.two_way_first_vowel = match.rime->two_way ? start : -1;
        return analysis;
    }
    return analysis;
}

bool isValidSyllable(std::u32string_view code_points) {
    if (code_points.empty() || code_points.size() > kMaxSyllableLetters) {
        return false;
    }
    std::array<VietLetter, kMaxSyllableLetters> letters{};
    for (std::size_t i = 0; i < code_points.size(); ++i) {
        letters[i] = decodeVietLetter(code_points[i]);
    }
    return analyzeSyllable(letters.data(), code_points.size()).valid();
}

}  // namespace vietllm::text
