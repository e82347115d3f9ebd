#include "backend/text/legacy_viqr.h"

#include "backend/text/legacy_codecs.h"
#include "backend/text/vietnamese_syllable.h"

#include <vector>

namespace vietllm::text::legacy {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr std::u32string_view kVowelKeys = U"aABeEioOPuWy";
constexpr std::u32string_view kClosers = U")]}\"'";

bool isAsciiLetter(char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isAsciiUpper(char32_t c) {
    return c >= 'A' && c <= 'Z';
}

bool isSpace(char32_t c) {
    return c == ' ' || c == '\t' || c == '\r' || c == 0xA0;
}

Tone toneForMark(char32_t c) {
    switch (c) {
        case '\'':
            return Tone::Acute;
        case '`':
            return Tone::Grave;
        case '?':
            return Tone::Hook;
        case '~':
            return Tone::Tilde;
        case '.':
            return Tone::Dot;
        default:
            return Tone::Invalid;
    }
}

// The letter key `key` becomes with the shape mark `mark` (^ ( +); 0 when it does not fit.
char shapedKey(char key, char32_t mark) {
    if (mark == '^') {
        return key == 'a' ? 'B' : key == 'e' ? 'E' : key == 'o' ? 'O' : 0;
    }
    if (mark == '(') {
        return key == 'a' ? 'A' : 0;
    }
    if (mark == '+') {
        return key == 'o' ? 'P' : key == 'u' ? 'W' : 0;
    }
    return 0;
}

bool isMark(char32_t c) {
    return toneForMark(c) != Tone::Invalid || shapedKey('a', c) != 0 || shapedKey('o', c) != 0;
}

// One letter run read as a VIQR syllable.
struct Syllable {
    std::vector<VietLetter> letters;
    std::size_t end = 0;          // one past its last code point in the line
    std::size_t tone_at = kNone;  // where its tone mark sits in the line
    int marks = 0;
    bool rare_mark = false;  // ^ ( + ` ~ or dd: never inside an English or French word
};

bool startsWithDd(std::u32string_view line, std::size_t at) {
    if (at + 1 >= line.size()) {
        return false;
    }
    const char32_t first = line[at];
    const char32_t second = line[at + 1];
    return (first == 'd' && second == 'd') || (first == 'D' && (second == 'd' || second == 'D'));
}

// Adds the mark at line[at] to the vowel just read; false when it does not attach there.
bool attachMark(Syllable& syllable, char32_t mark, std::size_t at) {
    if (syllable.letters.empty() ||
        kVowelKeys.find(static_cast<char32_t>(syllable.letters.back().key)) == std::u32string_view::npos) {
        return false;
    }
    VietLetter& vowel = syllable.letters.back();
    const Tone tone = toneForMark(mark);
    if (tone != Tone::Invalid) {
        if (syllable.tone_at != kNone) {
            return false;
        }
        vowel.tone = tone;
        syllable.tone_at = at;
        syllable.rare_mark = syllable.rare_mark || mark == '`' || mark == '~';
    } else {
        const char key = shapedKey(vowel.key, mark);
        if (key == 0) {
            return false;
        }
        vowel.key = key;
        syllable.rare_mark = true;
    }
    ++syllable.marks;
    return true;
}

// Reads letters and the marks right after their vowels from line[start] on.
Syllable readSyllable(std::u32string_view line, std::size_t start) {
    Syllable syllable;
    std::size_t at = start;
    if (startsWithDd(line, at)) {
        syllable.letters.push_back({'D', Tone::Level, line[at] == 'D'});
        syllable.rare_mark = true;
        ++syllable.marks;
        at += 2;
    }
    while (at < line.size()) {
        const char32_t c = line[at];
        if (isAsciiLetter(c)) {
            const bool upper = isAsciiUpper(c);
            syllable.letters.push_back({static_cast<char>(upper ? c - 'A' + 'a' : c), Tone::Level, upper});
        } else if (!attachMark(syllable, c, at)) {
            break;
        }
        ++at;
    }
    syllable.end = at;
    return syllable;
}

// Skips closing brackets and quotes, then spaces, from line[at] on.
std::size_t skipClosersAndSpaces(std::u32string_view line, std::size_t at) {
    while (at < line.size() && kClosers.find(line[at]) != std::u32string_view::npos) {
        ++at;
    }
    while (at < line.size() && isSpace(line[at])) {
        ++at;
    }
    return at;
}

// Whether the mark that ends a word starting at `word_start` is punctuation rather than a tone:
// a lone . or ? at the end of the line ("ba." ends it, "ba.." is "bạ." and "ba..." trails off),
// or a ' that closes a quotation opened before the word. Inside a line, a lone . before a
// capital is read as the dot below: in the news and Wikipedia samples a dotted syllable
// before a capital (Bộ Công an, Nguyễn Thị Hoa) is three times as common as a sentence that
// ends in the same syllable without its dot.
bool finalMarkIsPunctuation(std::u32string_view line, std::size_t mark_at, std::size_t word_start) {
    const char32_t mark = line[mark_at];
    std::size_t run_end = mark_at;
    while (run_end < line.size() && line[run_end] == mark) {
        ++run_end;
    }
    const std::size_t run = run_end - mark_at;
    const bool line_ends = skipClosersAndSpaces(line, run_end) == line.size();
    if (mark == '.') {
        return run >= 2 ? run % 3 == 0 : line_ends;
    }
    if (mark == '?') {
        return run == 1 && line_ends;
    }
    return mark == '\'' && word_start > 0 && line[word_start - 1] == '\'';
}

bool isAmbiguousMark(char32_t c) {
    return c == '.' || c == '?' || c == '\'';
}

// Whether word[begin, end) splits into at most `pieces` valid syllables.
bool splitsIntoSyllables(std::u32string_view word, std::size_t begin, int pieces) {
    if (begin == word.size()) {
        return true;
    }
    if (pieces == 0) {
        return false;
    }
    for (std::size_t length = 1; length <= kMaxSyllableLetters && begin + length <= word.size(); ++length) {
        if (isValidSyllable(word.substr(begin, length)) &&
            splitsIntoSyllables(word, begin + length, pieces - 1)) {
            return true;
        }
    }
    return false;
}

// One syllable, or a loanword written as one word of a few syllables (Ôtô, sêri, mililít);
// never a word with . or ? inside, which is a file or host name (dantri.com).
bool readsAsVietnamese(std::u32string_view word, bool dot_or_question_inside) {
    constexpr int kMaxPieces = 4;
    if (isVietnameseWord(word)) {
        return true;
    }
    return !dot_or_question_inside && hasConsistentCase(word) && splitsIntoSyllables(word, 0, kMaxPieces);
}

std::u32string encodeLetters(const std::vector<VietLetter>& letters) {
    std::u32string word;
    for (const VietLetter& letter : letters) {
        word.push_back(encodeVietLetter(letter));
    }
    return word;
}

void countConverted(const Syllable& syllable, ViqrMarks& marks) {
    if (syllable.rare_mark || syllable.marks >= 2) {
        ++marks.strong;
    } else if (syllable.tone_at + 1 < syllable.end) {
        ++marks.medium;
    } else {
        ++marks.weak;
    }
}

// Appends the syllable read from line[start, syllable.end), converted when it has marks and
// reads as Vietnamese; returns where reading goes on.
std::size_t emitSyllable(std::u32string_view line, std::size_t start, const Syllable& syllable,
                         ViqrLine& out) {
    const bool ambiguous = syllable.tone_at != kNone && isAmbiguousMark(line[syllable.tone_at]);
    const bool final_tone = ambiguous && syllable.tone_at + 1 == syllable.end;
    // The letters before an ambiguous mark, read again with the mark left as punctuation.
    const auto before_mark = [&] { return readSyllable(line.substr(0, syllable.tone_at), start); };
    if (final_tone && finalMarkIsPunctuation(line, syllable.tone_at, start)) {
        return emitSyllable(line, start, before_mark(), out);
    }
    if (syllable.marks > 0) {
        const std::u32string word = encodeLetters(syllable.letters);
        const char32_t tone_mark = syllable.tone_at == kNone ? 0 : line[syllable.tone_at];
        const bool dot_or_question_inside =
            (tone_mark == '.' || tone_mark == '?') && syllable.tone_at + 1 < syllable.end;
        if (readsAsVietnamese(word, dot_or_question_inside)) {
            out.text += word;
            countConverted(syllable, out.marks);
            return syllable.end;
        }
        // "what?" at the end, or "A.Thu+" (A. Thư) before a capital: the mark is punctuation.
        const bool capital_follows =
            ambiguous && syllable.tone_at + 1 < syllable.end && isAsciiUpper(line[syllable.tone_at + 1]);
        if (final_tone || capital_follows) {
            return emitSyllable(line, start, before_mark(), out);
        }
        ++out.marks.invalid;
    }
    out.text += line.substr(start, syllable.end - start);
    return syllable.end;
}

// The end of the run of ASCII letters from line[start] when it is an upper-case acronym that
// holds DD and no marks (HDDXX is HĐXX, CSDDT is CSĐT); kNone otherwise.
std::size_t acronymWithDdEnd(std::u32string_view line, std::size_t start) {
    std::size_t end = start;
    while (end < line.size() && isAsciiLetter(line[end])) {
        if (!isAsciiUpper(line[end])) {
            return kNone;
        }
        ++end;
    }
    const std::u32string_view run = line.substr(start, end - start);
    const bool marked = end < line.size() && isMark(line[end]);
    return run.size() >= 3 && run.find(U"DD") != std::u32string_view::npos && !marked ? end : kNone;
}

void appendAcronym(std::u32string_view acronym, std::u32string& out) {
    for (std::size_t i = 0; i < acronym.size(); ++i) {
        if (acronym[i] == 'D' && i + 1 < acronym.size() && acronym[i + 1] == 'D') {
            out.push_back(encodeVietLetter({'D', Tone::Level, true}));
            ++i;
        } else {
            out.push_back(acronym[i]);
        }
    }
}

}  // namespace

ViqrLine decodeViqrLine(std::u32string_view line) {
    ViqrLine out;
    out.text.reserve(line.size());
    std::size_t at = 0;
    while (at < line.size()) {
        const char32_t c = line[at];
        const bool after_word = at > 0 && (isAsciiLetter(line[at - 1]) || isMark(line[at - 1]));
        const bool escape = c == '\\' && after_word && at + 1 < line.size() && isMark(line[at + 1]);
        if (escape) {
            out.text.push_back(line[at + 1]);
            at += 2;
        } else if (isAsciiLetter(c)) {
            const std::size_t acronym_end = acronymWithDdEnd(line, at);
            if (acronym_end != kNone) {
                appendAcronym(line.substr(at, acronym_end - at), out.text);
                at = acronym_end;
            } else {
                at = emitSyllable(line, at, readSyllable(line, at), out);
            }
        } else {
            out.text.push_back(c);
            ++at;
        }
    }
    return out;
}

}  // namespace vietllm::text::legacy
