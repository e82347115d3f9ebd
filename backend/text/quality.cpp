#include "backend/text/quality.h"

#include "backend/common/utf8.h"
#include "backend/text/normalize.h"
#include "backend/text/vietnamese_syllable.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace vietllm::text {

namespace {

constexpr std::size_t kTopNgramSize = 2;
constexpr std::size_t kDuplicateNgramSize = 5;
constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

bool isWhitespace(char32_t code_point, utf8proc_category_t category) {
    return (code_point >= '\t' && code_point <= '\r') || code_point == 0x85 ||
           category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
           category == UTF8PROC_CATEGORY_ZP;
}

bool isLetter(utf8proc_category_t category) {
    return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO;
}

bool isMark(utf8proc_category_t category) {
    return category >= UTF8PROC_CATEGORY_MN && category <= UTF8PROC_CATEGORY_ME;
}

bool hasMark(std::u32string_view code_points) {
    return std::any_of(code_points.begin(), code_points.end(), [](char32_t code_point) {
        return isMark(utf8proc_category(static_cast<utf8proc_int32_t>(code_point)));
    });
}

// Judges a run of letters; decomposed (NFD) input is composed first.
bool isSyllableCodePoints(std::u32string_view code_points) {
    if (!hasMark(code_points)) {
        return isValidSyllable(code_points);
    }
    return isValidSyllable(utf8::decode(toNfc(utf8::encode(code_points))));
}

// Words are compared case-insensitively through a 64-bit FNV-1a hash of their lower-case code
// points: the n-gram counts then need no string per word. A collision would merge two n-grams;
// at 2^-64 per pair that never matters for one document.
struct Word {
    std::uint64_t hash = kFnvOffset;
    std::size_t length = 0;  // code points
};

std::uint64_t combineHashes(const std::vector<Word>& words, std::size_t first, std::size_t count) {
    std::uint64_t hash = kFnvOffset;
    for (std::size_t i = first; i < first + count; ++i) {
        hash = (hash ^ words[i].hash) * kFnvPrime;
        hash ^= hash >> 29;
    }
    return hash;
}

std::size_t totalLength(const std::vector<Word>& words) {
    std::size_t total = 0;
    for (const Word& word : words) {
        total += word.length;
    }
    return total;
}

// Characters covered by the most frequent word n-gram (count × its length), as in the Gopher
// "top n-gram character fraction".
std::size_t topNgramCharacters(const std::vector<Word>& words, std::size_t n) {
    if (words.size() < n) {
        return 0;
    }
    std::unordered_map<std::uint64_t, std::size_t> counts;
    std::size_t best_count = 0;
    std::size_t best_characters = 0;
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
        const std::size_t count = ++counts[combineHashes(words, i, n)];
        std::size_t length = 0;
        for (std::size_t j = i; j < i + n; ++j) {
            length += words[j].length;
        }
        if (count > best_count || (count == best_count && count * length > best_characters)) {
            best_count = count;
            best_characters = count * length;
        }
    }
    return best_characters;
}

// Characters of the words that belong to any word n-gram occurring more than once.
std::size_t duplicateNgramCharacters(const std::vector<Word>& words, std::size_t n) {
    if (words.size() < n) {
        return 0;
    }
    std::unordered_map<std::uint64_t, std::size_t> counts;
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
        ++counts[combineHashes(words, i, n)];
    }
    std::vector<bool> covered(words.size(), false);
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
        if (counts[combineHashes(words, i, n)] > 1) {
            std::fill(covered.begin() + static_cast<std::ptrdiff_t>(i),
                      covered.begin() + static_cast<std::ptrdiff_t>(i + n), true);
        }
    }
    std::size_t characters = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
        characters += covered[i] ? words[i].length : 0;
    }
    return characters;
}

std::string_view trimmed(std::string_view line) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; };
    while (!line.empty() && blank(line.front())) {
        line.remove_prefix(1);
    }
    while (!line.empty() && blank(line.back())) {
        line.remove_suffix(1);
    }
    return line;
}

// Share of non-blank lines equal (after trimming) to an earlier line.
double duplicateLineRatio(std::string_view text) {
    std::unordered_set<std::string_view> seen;
    std::size_t lines = 0;
    std::size_t duplicates = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = trimmed(text.substr(start, end - start));
        if (!line.empty()) {
            ++lines;
            duplicates += seen.insert(line).second ? 0 : 1;
        }
        start = end + 1;
    }
    return lines == 0 ? 0.0 : static_cast<double>(duplicates) / static_cast<double>(lines);
}

double ratio(std::size_t part, std::size_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

// Counts gathered in one pass over the code points.
struct CharacterCounts {
    std::size_t chars = 0;
    std::size_t letters = 0;
    std::size_t uppercase = 0;
    std::size_t digits = 0;
    std::size_t symbols = 0;
    std::size_t letter_tokens = 0;
    std::size_t syllables = 0;
    std::vector<Word> words;
};

CharacterCounts countCharacters(std::string_view text) {
    CharacterCounts counts;
    const std::u32string code_points = utf8::decode(text);
    std::u32string letter_run;
    Word word;
    const auto endLetterRun = [&] {
        if (!letter_run.empty()) {
            ++counts.letter_tokens;
            counts.syllables += isSyllableCodePoints(letter_run) ? 1 : 0;
            letter_run.clear();
        }
    };
    const auto endWord = [&] {
        if (word.length > 0) {
            counts.words.push_back(word);
        }
        word = Word{};
    };
    for (const char32_t code_point : code_points) {
        ++counts.chars;
        const auto cp = static_cast<utf8proc_int32_t>(code_point);
        const utf8proc_category_t category = utf8proc_category(cp);
        if (isWhitespace(code_point, category)) {
            endLetterRun();
            endWord();
            continue;
        }
        ++word.length;
        word.hash = (word.hash ^ static_cast<std::uint64_t>(utf8proc_tolower(cp))) * kFnvPrime;
        if (isLetter(category) || isMark(category)) {
            letter_run.push_back(code_point);
            counts.letters += isLetter(category) ? 1 : 0;
            counts.uppercase += category == UTF8PROC_CATEGORY_LU || category == UTF8PROC_CATEGORY_LT ? 1 : 0;
            continue;
        }
        endLetterRun();
        if (category == UTF8PROC_CATEGORY_ND) {
            ++counts.digits;
        } else {
            ++counts.symbols;
        }
    }
    endLetterRun();
    endWord();
    return counts;
}

}  // namespace

QualitySignals computeQuality(std::string_view text) {
    const CharacterCounts counts = countCharacters(text);
    const std::size_t word_characters = totalLength(counts.words);
    QualitySignals signals;
    signals.chars = counts.chars;
    signals.words = counts.words.size();
    signals.vietnamese_syllable_ratio = ratio(counts.syllables, counts.letter_tokens);
    signals.duplicate_line_ratio = duplicateLineRatio(text);
    signals.top_ngram_ratio = ratio(topNgramCharacters(counts.words, kTopNgramSize), word_characters);
    signals.duplicate_ngram_ratio =
        ratio(duplicateNgramCharacters(counts.words, kDuplicateNgramSize), word_characters);
    signals.symbol_ratio = ratio(counts.symbols, counts.chars);
    signals.digit_ratio = ratio(counts.digits, counts.chars);
    signals.uppercase_ratio = ratio(counts.uppercase, counts.letters);
    signals.mean_word_length = ratio(word_characters, counts.words.size());
    return signals;
}

bool isVietnameseSyllable(std::string_view syllable) {
    return isSyllableCodePoints(utf8::decode(syllable));
}

}  // namespace vietllm::text
