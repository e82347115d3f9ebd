#include "backend/text/legacy_encoding.h"

#include "backend/common/utf8.h"
#include "backend/text/legacy_codecs.h"
#include "backend/text/legacy_viqr.h"
#include "backend/text/vietnamese_syllable.h"

#include <array>
#include <stdexcept>
#include <vector>

// Detection reads the text in every legacy encoding and asks what the reading produced: words
// that now spell Vietnamese syllables (evidence for), words that now spell nothing (against),
// and Vietnamese letters already present that no legacy text read as CP1252 can contain
// (against). A "strong" change is one that ordinary European text never produces, such as a
// symbol turning into a letter or a letter outside Latin-1 appearing.

namespace vietllm::text {

namespace {

constexpr std::array<LegacyEncoding, 4> kCandidates = {LegacyEncoding::Tcvn3, LegacyEncoding::Vni,
                                                       LegacyEncoding::Cp1258, LegacyEncoding::Viqr};

struct Evidence {
    int words = 0;               // letter runs, less single letters and acronyms that spell nothing
    int valid_words = 0;         // ... that spell a Vietnamese syllable once decoded
    int changed_valid = 0;       // chunks the decoding changed into Vietnamese
    int changed_letters = 0;     // chunks changed into single Vietnamese letters only (ë → ở)
    int changed_invalid = 0;     // chunks the decoding changed into something else
    int strong = 0;              // changed_valid chunks with a strong change (VIQR: rare marks)
    int medium = 0;              // VIQR only: syllables marked by ' . ? inside the word
    int unicode_vietnamese = 0;  // chunks holding Vietnamese letters that CP1252 lacks

    Evidence& operator+=(const Evidence& other) {
        words += other.words;
        valid_words += other.valid_words;
        changed_valid += other.changed_valid;
        changed_letters += other.changed_letters;
        changed_invalid += other.changed_invalid;
        strong += other.strong;
        medium += other.medium;
        unicode_vietnamese += other.unicode_vietnamese;
        return *this;
    }
};

using EvidenceSet = std::array<Evidence, kCandidates.size()>;

bool isSpace(char32_t c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' || c == 0xA0;
}

// Calls visit(begin, end) for each maximal run of code points for which in_run() holds.
template <typename InRun, typename Visit>
void forEachRun(std::u32string_view text, InRun in_run, Visit visit) {
    std::size_t begin = 0;
    while (begin < text.size()) {
        while (begin < text.size() && !in_run(text[begin])) {
            ++begin;
        }
        std::size_t end = begin;
        while (end < text.size() && in_run(text[end])) {
            ++end;
        }
        if (end > begin) {
            visit(begin, end);
        }
        begin = end;
    }
}

bool isNotSpace(char32_t c) {
    return !isSpace(c);
}

bool allUpper(std::u32string_view word) {
    for (const char32_t c : word) {
        if (!decodeVietLetter(c).upper) {
            return false;
        }
    }
    return true;
}

bool isAscii(std::u32string_view word) {
    for (const char32_t c : word) {
        if (c >= 0x80) {
            return false;
        }
    }
    return true;
}

// What the words of one chunk spell. Single letters and capitalised acronyms (TP, UBND, WHO)
// that spell nothing say little and are not counted as words.
struct WordTally {
    int vietnamese = 0;         // syllables of two letters or more
    int letters = 0;            // single letters that are syllables (à, ở)
    int foreign = 0;            // words that spell no syllable, acronyms aside
    int accented_acronyms = 0;  // acronyms with letters beyond ASCII (SEÑAL read as VNI is SEĐAL)

    /// Every word is Vietnamese, and one has two letters or more (« » read as TCVN3 are ô ằ).
    bool allVietnamese() const { return vietnamese > 0 && foreign == 0 && accented_acronyms == 0; }
};

// Tallies the words of `text` and adds them to `evidence`. Letters right after % are a printf
// conversion (%s, %lu), not a word.
WordTally countWords(std::u32string_view text, Evidence& evidence) {
    WordTally tally;
    forEachRun(text, legacy::isWordCodePoint, [&](std::size_t begin, std::size_t end) {
        if (begin > 0 && text[begin - 1] == '%') {
            return;
        }
        const std::u32string_view word = text.substr(begin, end - begin);
        const bool vietnamese = legacy::isVietnameseWord(word);
        if (word.size() == 1) {
            tally.letters += vietnamese ? 1 : 0;
        } else if (vietnamese) {
            ++tally.vietnamese;
        } else if (allUpper(word)) {
            tally.accented_acronyms += isAscii(word) ? 0 : 1;
        } else {
            ++tally.foreign;
        }
    });
    evidence.words += tally.vietnamese + tally.foreign;
    evidence.valid_words += tally.vietnamese;
    return tally;
}

// Whether every word of `chunk` spells a Vietnamese syllable.
bool spellsVietnamese(std::u32string_view chunk) {
    Evidence ignored;
    return countWords(chunk, ignored).allVietnamese();
}

// A Vietnamese letter that CP1252 lacks (ơ, ư, đ, ạ...): the text is already Unicode.
bool hasUnicodeVietnamese(std::u32string_view chunk) {
    for (const char32_t c : chunk) {
        if (decodeVietLetter(c).key != 0 && legacy::cp1252Byte(c) < 0) {
            return true;
        }
    }
    return false;
}

// Whether some code point of `chunk` is a byte the decoders for `encoding` may change.
bool mayChange(std::u32string_view chunk, LegacyEncoding encoding) {
    for (const char32_t c : chunk) {
        const int byte = legacy::cp1252Byte(c);
        if (byte >= 0x80 || (encoding == LegacyEncoding::Tcvn3 && byte >= 0 && byte < 0x20 && !isSpace(c))) {
            return true;
        }
    }
    return false;
}

std::u32string decode8Bit(std::u32string_view text, LegacyEncoding encoding) {
    switch (encoding) {
        case LegacyEncoding::Tcvn3:
            return legacy::decodeTcvn3(text);
        case LegacyEncoding::Vni:
            return legacy::decodeVni(text);
        case LegacyEncoding::Cp1258:
            return legacy::decodeCp1258(text);
        default:
            return std::u32string(text);
    }
}

int letterCount(std::u32string_view text) {
    int count = 0;
    for (const char32_t c : text) {
        count += legacy::isWordCodePoint(c) ? 1 : 0;
    }
    return count;
}

bool hasLetterBeyondLatin1(std::u32string_view text) {
    for (const char32_t c : text) {
        if (c >= 0x100 && legacy::isWordCodePoint(c)) {
            return true;
        }
    }
    return false;
}

// A byte of the 0xA1-0xBF row, where TCVN3 keeps ă â ê ô ơ ư đ and the a-vowels but Western
// text has only symbols (µ ¸ ¹ ª ®).
bool hasSymbolRowByte(std::u32string_view text) {
    for (const char32_t c : text) {
        const int byte = legacy::cp1252Byte(c);
        if (byte >= 0xA1 && byte < 0xC0) {
            return true;
        }
    }
    return false;
}

// A change European text read through the same decoder does not show. All: a symbol became a
// letter (®Ìn → đèn). TCVN3: a symbol-row byte took part (c¸c → các), because its other bytes
// are the Latin-1 letters of European words (Lü → Lỹ). VNI and CP1258: a mark byte merged into
// its vowel (khaùng → kháng) or a letter beyond Latin-1 appeared (Phýõng → Phương).
bool isStrongChange(std::u32string_view before, std::u32string_view after, LegacyEncoding encoding) {
    const int letters_before = letterCount(before);
    const int letters_after = letterCount(after);
    if (letters_after > letters_before) {
        return true;
    }
    if (encoding == LegacyEncoding::Tcvn3) {
        return hasSymbolRowByte(before);
    }
    return letters_after < letters_before || hasLetterBeyondLatin1(after);
}

Evidence eightBitEvidence(std::u32string_view line, LegacyEncoding encoding) {
    Evidence evidence;
    forEachRun(line, isNotSpace, [&](std::size_t begin, std::size_t end) {
        const std::u32string_view chunk = line.substr(begin, end - begin);
        evidence.unicode_vietnamese += hasUnicodeVietnamese(chunk) ? 1 : 0;
        if (!mayChange(chunk, encoding)) {
            countWords(chunk, evidence);
            return;
        }
        const std::u32string decoded = legacy::composeNfc(decode8Bit(chunk, encoding));
        const WordTally tally = countWords(decoded, evidence);
        // Vietnamese both ways says nothing (Tháng reads as Thỏng in TCVN3, loài as lồi in VNI),
        // unless symbols became letters (®Ìn, whose "Ìn" alone spells a syllable, is đèn).
        const bool gained_letters = letterCount(decoded) > letterCount(chunk);
        if (decoded == chunk || (!gained_letters && spellsVietnamese(chunk))) {
            return;
        }
        if (tally.allVietnamese()) {
            ++evidence.changed_valid;
            evidence.strong += isStrongChange(chunk, decoded, encoding) ? 1 : 0;
        } else if (tally.foreign > 0) {
            ++evidence.changed_invalid;
        } else if (tally.letters > 0 && tally.accented_acronyms == 0) {
            ++evidence.changed_letters;
        }
    });
    return evidence;
}

Evidence viqrEvidence(std::u32string_view line, const legacy::ViqrLine& read) {
    Evidence evidence;
    countWords(read.text, evidence);
    forEachRun(line, isNotSpace, [&](std::size_t begin, std::size_t end) {
        evidence.unicode_vietnamese += hasUnicodeVietnamese(line.substr(begin, end - begin)) ? 1 : 0;
    });
    evidence.changed_valid = read.marks.strong + read.marks.medium + read.marks.weak;
    evidence.changed_invalid = read.marks.invalid;
    evidence.strong = read.marks.strong;
    evidence.medium = read.marks.medium;
    return evidence;
}

// The line without its line break ("\n" or "\r\n"), which VIQR reading must not see as text.
std::u32string_view withoutLineBreak(std::u32string_view line) {
    if (!line.empty() && line.back() == '\n') {
        line.remove_suffix(1);
    }
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

EvidenceSet lineEvidence(std::u32string_view line) {
    EvidenceSet set;
    for (std::size_t i = 0; i < kCandidates.size(); ++i) {
        if (kCandidates[i] == LegacyEncoding::Viqr) {
            const std::u32string_view content = withoutLineBreak(line);
            set[i] = viqrEvidence(content, legacy::decodeViqrLine(content));
        } else {
            set[i] = eightBitEvidence(line, kCandidates[i]);
        }
    }
    return set;
}

// 8-bit encodings: two words (or the one word of a text of one or two) turn Vietnamese, at
// least one in a way European text cannot or three in all, few turn into nonsense, most words
// then read as Vietnamese, and the text does not already hold Unicode Vietnamese.
bool passesEightBit(const Evidence& e) {
    if (e.changed_valid == 0 || (e.strong == 0 && e.changed_valid < 3)) {
        return false;
    }
    const bool enough = e.changed_valid >= 2 || e.words <= 2;
    const bool mostly_vietnamese = e.valid_words * 5 >= e.words * 3;
    return enough && mostly_vietnamese && e.changed_invalid * 3 <= e.changed_valid &&
           e.unicode_vietnamese * 4 <= e.changed_valid;
}

// VIQR is plain ASCII, so the bar is higher: 70% of the words read as Vietnamese syllables
// (English contractions like "I'm" stay rare), a fifth of them carry marks, and rare marks or
// marks inside words occur more than once.
bool passesViqr(const Evidence& e) {
    const int inside = e.strong + e.medium;
    if (inside == 0 || e.words == 0 || e.valid_words * 10 < e.words * 7 || e.changed_valid * 5 < e.words) {
        return false;
    }
    if (e.changed_invalid * 3 > inside || e.unicode_vietnamese * 4 > inside) {
        return false;
    }
    return e.strong >= 2 || (e.strong >= 1 && (inside >= 2 || e.words <= 3)) || e.medium >= 3;
}

bool passes(const Evidence& evidence, LegacyEncoding encoding) {
    return encoding == LegacyEncoding::Viqr ? passesViqr(evidence) : passesEightBit(evidence);
}

// The passing candidate that explains the most words; None when none passes.
LegacyEncoding decide(const EvidenceSet& set) {
    LegacyEncoding best = LegacyEncoding::None;
    const Evidence* best_evidence = nullptr;
    for (std::size_t i = 0; i < kCandidates.size(); ++i) {
        const Evidence& e = set[i];
        if (!passes(e, kCandidates[i])) {
            continue;
        }
        const bool better =
            best_evidence == nullptr || e.changed_valid > best_evidence->changed_valid ||
            (e.changed_valid == best_evidence->changed_valid && e.strong > best_evidence->strong);
        if (better) {
            best = kCandidates[i];
            best_evidence = &e;
        }
    }
    return best;
}

std::size_t candidateIndex(LegacyEncoding encoding) {
    for (std::size_t i = 0; i < kCandidates.size(); ++i) {
        if (kCandidates[i] == encoding) {
            return i;
        }
    }
    return kCandidates.size();
}

// Lines of `text`, each with its line feed (the last may have none).
std::vector<std::u32string_view> splitLines(std::u32string_view text) {
    std::vector<std::u32string_view> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t feed = text.find(U'\n', begin);
        const std::size_t end = feed == std::u32string_view::npos ? text.size() : feed + 1;
        lines.push_back(text.substr(begin, end - begin));
        begin = end;
    }
    return lines;
}

// Converts one VIQR line when the line as a whole reads as VIQR; otherwise leaves it.
std::u32string convertViqrLine(std::u32string_view line) {
    const std::u32string_view content = withoutLineBreak(line);
    const legacy::ViqrLine read = legacy::decodeViqrLine(content);
    if (!passesViqr(viqrEvidence(content, read))) {
        return std::u32string(line);
    }
    return read.text + std::u32string(line.substr(content.size()));
}

std::u32string convertCodePoints(std::u32string_view text, LegacyEncoding encoding) {
    if (encoding != LegacyEncoding::Viqr) {
        return legacy::composeNfc(decode8Bit(text, encoding));
    }
    std::u32string out;
    out.reserve(text.size());
    for (const std::u32string_view line : splitLines(text)) {
        out += convertViqrLine(line);
    }
    return legacy::composeNfc(out);
}

// A line too short to pass on its own still follows the document's 8-bit encoding when its
// changes all read as Vietnamese, single letters included (VIQR lines must pass on their own).
bool followsDocument(const Evidence& evidence) {
    return evidence.changed_valid + evidence.changed_letters > 0 && evidence.changed_invalid == 0 &&
           evidence.unicode_vietnamese == 0;
}

struct DocumentEvidence {
    std::vector<EvidenceSet> lines;
    EvidenceSet total;
};

DocumentEvidence documentEvidence(const std::vector<std::u32string_view>& lines) {
    DocumentEvidence document;
    document.lines.reserve(lines.size());
    for (const std::u32string_view line : lines) {
        document.lines.push_back(lineEvidence(line));
        for (std::size_t i = 0; i < kCandidates.size(); ++i) {
            document.total[i] += document.lines.back()[i];
        }
    }
    return document;
}

}  // namespace

LegacyEncoding detectLegacyEncoding(std::string_view text) {
    const std::u32string code_points = utf8::decode(text);
    return decide(documentEvidence(splitLines(code_points)).total);
}

std::string convertFromLegacy(std::string_view text, LegacyEncoding encoding) {
    switch (encoding) {
        case LegacyEncoding::None:
            return std::string(text);
        case LegacyEncoding::Tcvn3:
        case LegacyEncoding::Vni:
        case LegacyEncoding::Cp1258:
        case LegacyEncoding::Viqr:
            return utf8::encode(convertCodePoints(utf8::decode(text), encoding));
        case LegacyEncoding::Invalid:
            break;
    }
    throw std::invalid_argument("convertFromLegacy: LegacyEncoding::Invalid is no encoding");
}

std::string repairLegacy(std::string_view text) {
    const std::u32string code_points = utf8::decode(text);
    const std::vector<std::u32string_view> lines = splitLines(code_points);
    const DocumentEvidence evidence = documentEvidence(lines);
    const LegacyEncoding document = decide(evidence.total);
    const bool eight_bit_document = document != LegacyEncoding::None && document != LegacyEncoding::Viqr;
    std::u32string out;
    out.reserve(code_points.size());
    bool changed = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        LegacyEncoding encoding = decide(evidence.lines[i]);
        if (encoding == LegacyEncoding::None && eight_bit_document &&
            followsDocument(evidence.lines[i][candidateIndex(document)])) {
            encoding = document;
        }
        changed = changed || encoding != LegacyEncoding::None;
        out += encoding == LegacyEncoding::None ? std::u32string(lines[i])
                                                : convertCodePoints(lines[i], encoding);
    }
    return changed ? utf8::encode(out) : std::string(text);
}

const char* legacyEncodingName(LegacyEncoding encoding) {
    switch (encoding) {
        case LegacyEncoding::Tcvn3:
            return "tcvn3";
        case LegacyEncoding::Vni:
            return "vni";
        case LegacyEncoding::Viqr:
            return "viqr";
        case LegacyEncoding::Cp1258:
            return "cp1258";
        case LegacyEncoding::None:
            return "none";
        case LegacyEncoding::Invalid:
            break;
    }
    return "invalid";
}

}  // namespace vietllm::text
