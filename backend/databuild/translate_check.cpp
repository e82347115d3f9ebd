#include "backend/databuild/translate_check.h"

#include "backend/common/utf8.h"
#include "backend/text/langid.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace vietllm::databuild {

namespace {

// Language identification is unreliable on a few words ("OK", "Help"): shorter outputs skip it.
constexpr std::size_t kMinLettersForLangid = 20;

// English function words that are not also Vietnamese syllables written without marks (so "to",
// "an", "in", "do", "can", "ban" are left out: "to", "an toàn", "in ấn", "do đó" are Vietnamese).
const std::set<std::string>& englishFunctionWords() {
    static const std::set<std::string> words = {
        "the",    "of",    "and",  "is",    "are",   "was",  "were",  "that",  "this", "these", "those",
        "with",   "for",   "from", "which", "you",   "your", "have",  "has",   "had",  "will",  "would",
        "should", "could", "it",   "its",   "be",    "been", "not",   "or",    "by",   "at",    "as",
        "on",     "what",  "how",  "when",  "where", "who",  "there", "their", "they", "we",    "our",
        "if",     "then",  "than", "into",  "about", "does", "did",   "a",     "he",   "she",   "his",
        "her",    "my",    "i",    "all",   "some",  "any",  "more",  "most",  "also", "just"};
    return words;
}

std::string lowerAscii(std::string_view word) {
    std::string out(word);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// ASCII lower case, and Đ (C4 90) as đ (C4 91): enough to match the commentary openers below.
std::string lowerForMatching(std::string_view text) {
    std::string out = lowerAscii(text);
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        if (out[i] == '\xC4' && out[i + 1] == '\x90') {
            out[i + 1] = '\x91';
        }
    }
    return out;
}

// The word without leading and trailing punctuation; empty when it is not all ASCII letters
// (apostrophes and hyphens inside allowed).
std::string asciiWord(std::string_view token) {
    const auto is_letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    std::size_t begin = 0;
    std::size_t end = token.size();
    while (begin < end && !is_letter(token[begin]) && static_cast<unsigned char>(token[begin]) < 0x80) {
        ++begin;
    }
    while (end > begin && !is_letter(token[end - 1]) && static_cast<unsigned char>(token[end - 1]) < 0x80) {
        --end;
    }
    const std::string_view word = token.substr(begin, end - begin);
    if (word.empty()) {
        return {};
    }
    for (char c : word) {
        if (!is_letter(c) && c != '\'' && c != '-') {
            return {};
        }
    }
    return lowerAscii(word);
}

// Outputs identical to their source are untranslated from this many words on; shorter ones
// ("Linux", "OK") are often rightly kept as they are.
constexpr std::size_t kMinUntranslatedWords = 3;

std::size_t asciiWordCount(std::string_view text) {
    std::istringstream tokens{std::string(text)};
    std::string token;
    std::size_t count = 0;
    while (tokens >> token) {
        count += asciiWord(token).empty() ? 0 : 1;
    }
    return count;
}

std::size_t letterCount(std::string_view text) {
    std::size_t letters = 0;
    for (char32_t c : utf8::decode(text)) {
        if ((c < 0x80 && std::isalpha(static_cast<int>(c))) || c >= 0xC0) {
            ++letters;
        }
    }
    return letters;
}

bool startsWithAnyNoCase(std::string_view text, const std::vector<std::string_view>& prefixes) {
    const std::string lower = lowerForMatching(text.substr(0, 64));
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](std::string_view prefix) { return lower.rfind(prefix, 0) == 0; });
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : " ") + item;
    }
    return out;
}

void checkTokens(const MaskedText& source, std::string_view masked_output,
                 std::vector<TranslationProblem>& out) {
    const RestoreResult restored = restoreMasked(masked_output, source.spans);
    if (!restored.missing.empty()) {
        std::string detail;
        for (const std::string& token : restored.missing) {
            const std::size_t index = std::stoul(token.substr(3));
            detail += (detail.empty() ? "" : ", ") + token + " " +
                      protectedKindName(source.spans[index].kind) + " '" +
                      source.spans[index].text.substr(0, 40) + "'";
        }
        out.push_back({"placeholder_missing", detail});
    }
    if (!restored.duplicated.empty()) {
        out.push_back({"placeholder_duplicated", joined(restored.duplicated)});
    }
    if (!restored.unknown.empty()) {
        out.push_back({"placeholder_unknown", joined(restored.unknown)});
    }
}

void checkLength(const std::string& source_text, const std::string& output_text,
                 std::vector<TranslationProblem>& out) {
    const std::size_t source_cp = utf8::codePointCount(source_text);
    const std::size_t output_cp = utf8::codePointCount(output_text);
    if (source_cp == 0) {
        return;
    }
    const LengthRatioBounds bounds = lengthRatioBounds(source_cp);
    const double ratio = static_cast<double>(output_cp) / static_cast<double>(source_cp);
    const std::size_t difference = output_cp > source_cp ? output_cp - source_cp : source_cp - output_cp;
    if ((ratio < bounds.min_ratio || ratio > bounds.max_ratio) && difference > bounds.slack_code_points) {
        std::ostringstream detail;
        detail.precision(2);
        detail << std::fixed << "vi/en length ratio " << ratio << " outside [" << bounds.min_ratio << ", "
               << bounds.max_ratio << "] (" << output_cp << " vs " << source_cp << " code points)";
        out.push_back({"length_ratio", detail.str()});
    }
}

void checkAnswerOrCommentary(const std::string& source_text, const std::string& output_text,
                             std::vector<TranslationProblem>& out) {
    const bool source_asks = source_text.find('?') != std::string::npos;
    const bool output_asks =
        output_text.find('?') != std::string::npos || output_text.find("\xEF\xBC\x9F") != std::string::npos;
    if (source_asks && !output_asks) {
        out.push_back({"answered_instead", "the source asks a question but the output has no question mark"});
    }
    static const std::vector<std::string_view> kCommentaryStarts = {
        "here is",
        "here's",
        "sure,",
        "sure!",
        "certainly",
        "translation:",
        "vietnamese:",
        "b\xE1\xBA\xA3n d\xE1\xBB\x8B"
        "ch",  // "bản dịch"
        "\xC4\x91\xC3\xA2y l\xC3\xA0 b\xE1\xBA\xA3n d\xE1\xBB\x8B"
        "ch",                                                                // "đây là bản dịch"
        "d\xC6\xB0\xE1\xBB\x9Bi \xC4\x91\xC3\xA2y l\xC3\xA0 b\xE1\xBA\xA3n"  // "dưới đây là bản"
    };
    if (startsWithAnyNoCase(output_text, kCommentaryStarts) &&
        !startsWithAnyNoCase(source_text, kCommentaryStarts)) {
        out.push_back({"translator_note", "the output starts with a comment about the translation"});
    }
}

}  // namespace

LengthRatioBounds lengthRatioBounds(std::size_t source_code_points) {
    if (source_code_points < 40) {
        return {0.40, 2.60, 15};
    }
    if (source_code_points < 200) {
        return {0.45, 2.00, 0};
    }
    return {0.60, 1.60, 0};
}

std::size_t longestEnglishRun(std::string_view text) {
    std::size_t longest = 0;
    std::size_t run = 0;
    std::set<std::string> function_words;
    std::istringstream tokens{std::string(text)};
    std::string token;
    const auto close_run = [&] {
        if (function_words.size() >= 2) {
            longest = std::max(longest, run);
        }
        run = 0;
        function_words.clear();
    };
    while (tokens >> token) {
        const std::string word = asciiWord(token);
        if (word.empty()) {
            close_run();
            continue;
        }
        ++run;
        if (englishFunctionWords().count(word) > 0) {
            function_words.insert(word);
        }
    }
    close_run();
    return longest;
}

std::vector<TranslationProblem> checkTranslation(const MaskedText& source, std::string_view masked_output,
                                                 std::string_view finish_reason) {
    std::vector<TranslationProblem> problems;
    const std::string output_text = translatableText(masked_output);
    const std::string source_text = translatableText(source.text);
    if (finish_reason == "length") {
        problems.push_back({"truncated", "the endpoint stopped at max_tokens"});
    }
    if (output_text.empty() && !source_text.empty()) {
        problems.push_back({"empty", "the translation has no text"});
        return problems;
    }
    checkTokens(source, masked_output, problems);
    if (output_text == source_text && asciiWordCount(output_text) >= kMinUntranslatedWords) {
        problems.push_back({"untranslated", "the output repeats the English source"});
    }
    if (letterCount(output_text) >= kMinLettersForLangid) {
        const text::LanguageGuess guess = text::identifyLanguage(output_text);
        if (guess.lang != "vi") {
            std::ostringstream detail;
            detail.precision(2);
            detail << std::fixed << "language identified as " << guess.lang << " (" << guess.score << ")";
            problems.push_back({"not_vietnamese", detail.str()});
        }
    }
    const std::size_t english_run = longestEnglishRun(output_text);
    if (english_run >= kEnglishResidueWords) {
        problems.push_back({"english_residue", std::to_string(english_run) + " English words in a row"});
    }
    checkLength(source_text, output_text, problems);
    checkAnswerOrCommentary(source_text, output_text, problems);
    return problems;
}

}  // namespace vietllm::databuild
