#include "backend/eval/ifeval.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/text/langid.h"

#include <utf8proc.h>

#include <algorithm>
#include <functional>
#include <map>
#include <sstream>

namespace vietllm::eval {
namespace {

using Checker =
    std::function<bool(const nlohmann::json& kwargs, std::string_view reply, std::string_view language)>;

std::string lower(std::string_view text) {
    std::u32string chars = utf8::decode(text);
    for (char32_t& c : chars) {
        c = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
    }
    return utf8::encode(chars);
}

std::string trim(std::string_view text) {
    const std::size_t begin = text.find_first_not_of(" \t\r\n\v\f");
    if (begin == std::string_view::npos) {
        return {};
    }
    const std::size_t end = text.find_last_not_of(" \t\r\n\v\f");
    return std::string(text.substr(begin, end - begin + 1));
}

bool isWordChar(char32_t c) {
    const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return c == U'_' || (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_ND) ||
           category == UTF8PROC_CATEGORY_NL || category == UTF8PROC_CATEGORY_NO;
}

bool isPunctuation(char32_t c) {
    const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return category >= UTF8PROC_CATEGORY_PC && category <= UTF8PROC_CATEGORY_PO;
}

std::vector<std::string> lines(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find('\n', start);
        out.emplace_back(
            text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) {
            return out;
        }
        start = end + 1;
    }
}

std::string joinLines(const std::vector<std::string>& parts, std::size_t begin, std::size_t end) {
    std::string out;
    for (std::size_t i = begin; i < end; ++i) {
        out += (i > begin ? "\n" : "") + parts[i];
    }
    return out;
}

std::vector<std::string> splitWords(std::string_view text) {
    std::vector<std::string> words;
    std::istringstream stream{std::string(text)};
    std::string word;
    while (stream >> word) {
        words.push_back(word);
    }
    return words;
}

const nlohmann::json& requiredArgument(const nlohmann::json& kwargs, const char* name,
                                       std::string_view kind) {
    if (!kwargs.is_object() || !kwargs.contains(name) || kwargs.at(name).is_null()) {
        throw UserError("instruction " + std::string(kind) + ": missing argument '" + name + "'");
    }
    return kwargs.at(name);
}

std::string stringArgument(const nlohmann::json& kwargs, const char* name, std::string_view kind) {
    const nlohmann::json& value = requiredArgument(kwargs, name, kind);
    if (value.is_number_integer()) {
        return std::to_string(value.get<std::int64_t>());
    }
    if (!value.is_string()) {
        throw UserError("instruction " + std::string(kind) + ": argument '" + name + "' must be a string");
    }
    return value.get<std::string>();
}

std::int64_t intArgument(const nlohmann::json& kwargs, const char* name, std::string_view kind) {
    const nlohmann::json& value = requiredArgument(kwargs, name, kind);
    if (!value.is_number_integer()) {
        throw UserError("instruction " + std::string(kind) + ": argument '" + name + "' must be an integer");
    }
    return value.get<std::int64_t>();
}

std::vector<std::string> listArgument(const nlohmann::json& kwargs, const char* name, std::string_view kind) {
    const nlohmann::json& value = requiredArgument(kwargs, name, kind);
    if (!value.is_array()) {
        throw UserError("instruction " + std::string(kind) + ": argument '" + name + "' must be a list");
    }
    std::vector<std::string> out;
    for (const nlohmann::json& entry : value) {
        if (!entry.is_string()) {
            throw UserError("instruction " + std::string(kind) + ": argument '" + name +
                            "' must hold strings");
        }
        out.push_back(entry.get<std::string>());
    }
    return out;
}

// "less than", "at least" (IFEval) and "exactly" (SEA-IFEval's number frequency).
bool compareCount(std::int64_t count, const nlohmann::json& kwargs, std::int64_t target,
                  std::string_view kind) {
    const std::string relation = stringArgument(kwargs, "relation", kind);
    if (relation == "less than") {
        return count < target;
    }
    if (relation == "at least") {
        return count >= target;
    }
    if (relation == "exactly") {
        return count == target;
    }
    throw UserError("instruction " + std::string(kind) + ": unknown relation '" + relation +
                    "' (less than, at least, exactly)");
}

std::size_t countOccurrences(const std::string& haystack, const std::string& needle) {
    if (needle.empty()) {
        return 0;
    }
    std::size_t count = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + needle.size())) {
        ++count;
    }
    return count;
}

// Occurrences of `needle` whose neighbours are not word characters (a regex \b...\b).
std::size_t countWholeWord(std::string_view text, std::string_view word) {
    const std::u32string hay = utf8::decode(lower(text));
    const std::u32string needle = utf8::decode(lower(word));
    if (needle.empty()) {
        return 0;
    }
    std::size_t count = 0;
    for (std::size_t at = hay.find(needle); at != std::u32string::npos; at = hay.find(needle, at + 1)) {
        const bool left_ok = at == 0 || !isWordChar(hay[at - 1]) || !isWordChar(needle.front());
        const std::size_t end = at + needle.size();
        const bool right_ok = end == hay.size() || !isWordChar(hay[end]) || !isWordChar(needle.back());
        count += left_ok && right_ok ? 1 : 0;
    }
    return count;
}

// Standalone occurrences of a number: not inside a longer run of digits.
std::size_t countNumber(std::string_view text, const std::string& number) {
    std::size_t count = 0;
    for (std::size_t at = text.find(number); at != std::string_view::npos; at = text.find(number, at + 1)) {
        const bool left_ok = at == 0 || !std::isdigit(static_cast<unsigned char>(text[at - 1]));
        const std::size_t end = at + number.size();
        const bool right_ok = end >= text.size() || !std::isdigit(static_cast<unsigned char>(text[end]));
        count += left_ok && right_ok ? 1 : 0;
    }
    return count;
}

std::size_t countWords(std::string_view text) {
    std::size_t count = 0;
    bool in_word = false;
    for (const char32_t c : utf8::decode(text)) {
        const bool word = isWordChar(c);
        count += word && !in_word ? 1 : 0;
        in_word = word;
    }
    return count;
}

// Sentences end at . ! ? … (or their CJK forms) followed by a space or the end of the text.
std::size_t countSentences(std::string_view text) {
    const std::u32string chars = utf8::decode(trim(text));
    std::size_t count = 0;
    bool has_content = false;
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const char32_t c = chars[i];
        const bool terminal =
            c == U'.' || c == U'!' || c == U'?' || c == U'…' || c == U'。' || c == U'！' || c == U'？';
        if (isWordChar(c)) {
            has_content = true;
        }
        const bool boundary = i + 1 == chars.size() || chars[i + 1] == U' ' || chars[i + 1] == U'\n';
        if (terminal && boundary && has_content) {
            ++count;
            has_content = false;
        }
    }
    return count + (has_content ? 1 : 0);
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Split at `marker` (e.g. "***"), optionally surrounded by one whitespace character.
std::vector<std::string> splitAt(std::string_view text, std::string_view marker) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t at = text.find(marker); at != std::string_view::npos; at = text.find(marker, start)) {
        parts.emplace_back(text.substr(start, at - start));
        start = at + marker.size();
    }
    parts.emplace_back(text.substr(start));
    return parts;
}

bool strippedMarkupContent(std::string_view inner) {
    std::string content(inner);
    content.erase(std::remove(content.begin(), content.end(), '*'), content.end());
    return !trim(content).empty();
}

std::size_t countHighlights(std::string_view text) {
    std::size_t count = 0;
    // *text* spans on one line with no '*' inside, and **text** spans likewise.
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (text[at] != '*') {
            continue;
        }
        const bool bold = at + 1 < text.size() && text[at + 1] == '*';
        const std::size_t open = at + (bold ? 2 : 1);
        const std::size_t close = text.find_first_of("*\n", open);
        if (close == std::string_view::npos || text[close] != '*') {
            continue;
        }
        if (bold && (close + 1 >= text.size() || text[close + 1] != '*')) {
            continue;
        }
        if (strippedMarkupContent(text.substr(open, close - open))) {
            ++count;
        }
        at = close + (bold ? 1 : 0);
    }
    return count;
}

std::size_t countBullets(std::string_view text) {
    std::size_t count = 0;
    for (const std::string& line : lines(text)) {
        const std::string stripped = trim(line);
        const bool star = stripped.size() >= 2 && stripped[0] == '*' && stripped[1] != '*';
        const bool dash = !stripped.empty() && stripped[0] == '-';
        count += star || dash ? 1 : 0;
    }
    return count;
}

std::size_t countPlaceholders(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t at = text.find('['); at != std::string_view::npos; at = text.find('[', at + 1)) {
        const std::size_t close = text.find_first_of("]\n", at + 1);
        if (close != std::string_view::npos && text[close] == ']') {
            ++count;
            at = close;
        }
    }
    return count;
}

// Letters of `text` in the Unicode block [first, last], as a share of all letters.
double scriptShare(std::string_view text, char32_t first, char32_t last) {
    std::size_t in_block = 0;
    std::size_t letters = 0;
    for (const char32_t c : utf8::decode(text)) {
        const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
        if ((category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_MC)) {
            ++letters;
            in_block += c >= first && c <= last ? 1 : 0;
        }
    }
    return letters == 0 ? 0 : static_cast<double>(in_block) / static_cast<double>(letters);
}

// Tamil and Burmese are not in the language identifier's classes: their scripts decide.
bool isLanguage(std::string_view text, const std::string& language) {
    if (language == "ta") {
        return scriptShare(text, U'\u0B80', U'\u0BFF') > 0.5;
    }
    if (language == "my") {
        return scriptShare(text, U'\u1000', U'\u109F') > 0.5;
    }
    return text::identifyLanguage(text).lang == language;
}

bool checkJson(std::string_view reply) {
    std::string value = trim(reply);
    for (const char* fence : {"```json", "```Json", "```JSON", "```"}) {
        if (startsWith(value, fence)) {
            value = value.substr(std::string_view(fence).size());
            break;
        }
    }
    if (endsWith(value, "```")) {
        value = value.substr(0, value.size() - 3);
    }
    return nlohmann::json::accept(trim(value));
}

bool checkPostscript(const std::string& marker, std::string_view reply) {
    const std::string text = lower(reply);
    std::vector<std::string> forms;
    if (marker == "P.P.S") {
        forms = {"p.p.s", "p. p. s", "p.p. s", "p. p.s"};
    } else if (marker == "P.S.") {
        forms = {"p.s.", "p. s."};
    } else {
        forms = {lower(marker)};
    }
    // The marker must start a line (after optional spaces).
    for (const std::string& line : lines(text)) {
        const std::string stripped = trim(line);
        for (const std::string& form : forms) {
            if (startsWith(stripped, form)) {
                return true;
            }
        }
    }
    return false;
}

bool checkSections(const nlohmann::json& kwargs, std::string_view reply, std::string_view kind) {
    const std::string title = stringArgument(kwargs, "section_title", kind);
    const std::int64_t wanted = intArgument(kwargs, "num_sections", kind);
    std::int64_t sections = 0;
    for (std::size_t at = reply.find(title); at != std::string_view::npos; at = reply.find(title, at + 1)) {
        std::size_t next = at + title.size();
        while (next < reply.size() && reply[next] == ' ') {
            ++next;
        }
        sections += next < reply.size() && std::isdigit(static_cast<unsigned char>(reply[next])) ? 1 : 0;
    }
    return sections >= wanted;
}

bool checkParagraphs(std::int64_t wanted, std::string_view reply) {
    const std::vector<std::string> parts = splitAt(reply, "***");
    auto count = static_cast<std::int64_t>(parts.size());
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (trim(parts[i]).empty()) {
            if (i != 0 && i + 1 != parts.size()) {
                return false;
            }
            --count;
        }
    }
    return count == wanted;
}

bool checkTwoResponses(std::string_view reply) {
    const std::vector<std::string> parts = splitAt(reply, "******");
    std::vector<std::string> answers;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string part = trim(parts[i]);
        if (!part.empty()) {
            answers.push_back(part);
        } else if (i != 0 && i + 1 != parts.size()) {
            return false;
        }
    }
    return answers.size() == 2 && answers[0] != answers[1];
}

bool checkFirstWords(const std::string& first_word, std::string_view reply) {
    const std::vector<std::string> expected = splitWords(lower(first_word));
    const std::vector<std::string> words = splitWords(lower(trim(reply)));
    if (expected.empty() || words.size() < expected.size()) {
        return false;
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
        std::u32string word = utf8::decode(words[i]);
        while (!word.empty() && isPunctuation(word.back())) word.pop_back();
        while (!word.empty() && isPunctuation(word.front())) word.erase(word.begin());
        if (utf8::encode(word) != expected[i]) {
            return false;
        }
    }
    return true;
}

bool checkQuotation(std::string_view reply) {
    const std::string value = trim(reply);
    const bool straight = value.size() > 1 && value.front() == '"' && value.back() == '"';
    const bool curly = startsWith(value, "“") && endsWith(value, "”") && value.size() > 6;
    return straight || curly;
}

bool checkConstrained(std::string_view reply, std::string_view language) {
    static const std::map<std::string, std::vector<std::string>, std::less<>> options = {
        {"en", {"My answer is yes.", "My answer is no.", "My answer is maybe."}},
        {"vi",
         {"Câu trả lời của tôi là có.", "Câu trả lời của tôi là không.", "Câu trả lời của tôi là có thể."}},
    };
    const auto found = options.find(language);
    const std::vector<std::string>& phrases = found == options.end() ? options.at("en") : found->second;
    const std::string value = trim(reply);
    return std::any_of(phrases.begin(), phrases.end(),
                       [&](const std::string& phrase) { return value.find(phrase) != std::string::npos; });
}

const std::map<std::string, Checker, std::less<>>& checkers() {
    static const std::map<std::string, Checker, std::less<>> table = {
        {"combination:repeat_prompt",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return startsWith(lower(trim(r)),
                               lower(trim(stringArgument(a, "prompt_to_repeat", "repeat_prompt"))));
         }},
        {"combination:two_responses",
         [](const nlohmann::json&, std::string_view r, std::string_view) { return checkTwoResponses(r); }},
        {"detectable_content:number_placeholders",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return static_cast<std::int64_t>(countPlaceholders(r)) >=
                    intArgument(a, "num_placeholders", "number_placeholders");
         }},
        {"detectable_content:postscript",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return checkPostscript(stringArgument(a, "postscript_marker", "postscript"), r);
         }},
        {"detectable_format:constrained_response", [](const nlohmann::json&, std::string_view r,
                                                      std::string_view l) { return checkConstrained(r, l); }},
        {"detectable_format:json_format",
         [](const nlohmann::json&, std::string_view r, std::string_view) { return checkJson(r); }},
        {"detectable_format:multiple_sections",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return checkSections(a, r, "multiple_sections");
         }},
        {"detectable_format:number_bullet_lists",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return static_cast<std::int64_t>(countBullets(r)) ==
                    intArgument(a, "num_bullets", "number_bullet_lists");
         }},
        {"detectable_format:number_highlighted_sections",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return static_cast<std::int64_t>(countHighlights(r)) >=
                    intArgument(a, "num_highlights", "number_highlighted_sections");
         }},
        {"detectable_format:title",
         [](const nlohmann::json&, std::string_view r, std::string_view) {
             for (const std::string& line : lines(r)) {
                 const std::size_t open = line.find("<<");
                 const std::size_t close = open == std::string::npos ? open : line.find(">>", open + 2);
                 if (close != std::string::npos && !trim(line.substr(open + 2, close - open - 2)).empty()) {
                     return true;
                 }
             }
             return false;
         }},
        {"keywords:existence",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             const std::string text = lower(r);
             for (const std::string& keyword : listArgument(a, "keywords", "existence")) {
                 if (text.find(lower(keyword)) == std::string::npos) {
                     return false;
                 }
             }
             return true;
         }},
        {"keywords:forbidden_words",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             for (const std::string& word : listArgument(a, "forbidden_words", "forbidden_words")) {
                 if (countWholeWord(r, word) > 0) {
                     return false;
                 }
             }
             return true;
         }},
        {"keywords:frequency",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             const auto count = static_cast<std::int64_t>(
                 countOccurrences(lower(r), lower(stringArgument(a, "keyword", "keywords:frequency"))));
             return compareCount(count, a, intArgument(a, "frequency", "keywords:frequency"),
                                 "keywords:frequency");
         }},
        {"keywords:number_frequency",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             const auto count =
                 static_cast<std::int64_t>(countNumber(r, stringArgument(a, "number", "number_frequency")));
             return compareCount(count, a, intArgument(a, "frequency", "number_frequency"),
                                 "number_frequency");
         }},
        {"language:response_language",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return isLanguage(r, stringArgument(a, "response_language", "response_language"));
         }},
        {"length_constraints:number_paragraphs",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return checkParagraphs(intArgument(a, "num_paragraphs", "number_paragraphs"), r);
         }},
        {"length_constraints:number_sentences",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return compareCount(static_cast<std::int64_t>(countSentences(r)), a,
                                 intArgument(a, "num_sentences", "number_sentences"), "number_sentences");
         }},
        {"length_constraints:number_words",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return compareCount(static_cast<std::int64_t>(countWords(r)), a,
                                 intArgument(a, "num_words", "number_words"), "number_words");
         }},
        {"startend:end_checker",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return endsWith(lower(trim(r)), lower(trim(stringArgument(a, "end_phrase", "end_checker"))));
         }},
        {"startend:first_word",
         [](const nlohmann::json& a, std::string_view r, std::string_view) {
             return checkFirstWords(stringArgument(a, "first_word", "first_word"), r);
         }},
        {"startend:quotation",
         [](const nlohmann::json&, std::string_view r, std::string_view) { return checkQuotation(r); }},
    };
    return table;
}

std::vector<std::string> looseVariants(std::string_view reply) {
    const std::vector<std::string> parts = lines(reply);
    const std::size_t n = parts.size();
    std::vector<std::string> variants = {
        std::string(reply), trim(joinLines(parts, std::min<std::size_t>(1, n), n)),
        trim(joinLines(parts, 0, n > 0 ? n - 1 : 0)),
        trim(joinLines(parts, std::min<std::size_t>(1, n), n > 1 ? n - 1 : n))};
    const std::size_t plain = variants.size();
    for (std::size_t i = 0; i < plain; ++i) {
        std::string unstarred = variants[i];
        unstarred.erase(std::remove(unstarred.begin(), unstarred.end(), '*'), unstarred.end());
        variants.push_back(unstarred);
    }
    return variants;
}

const Checker& checkerFor(std::string_view kind) {
    const auto found = checkers().find(kind);
    if (found == checkers().end()) {
        throw UserError("unknown instruction kind '" + std::string(kind) + "'");
    }
    return found->second;
}

}  // namespace

const std::vector<std::string>& knownInstructionKinds() {
    static const std::vector<std::string> kinds = [] {
        std::vector<std::string> out;
        for (const auto& entry : checkers()) {
            out.push_back(entry.first);
        }
        return out;
    }();
    return kinds;
}

bool isKnownInstruction(std::string_view kind) {
    return checkers().count(kind) > 0;
}

bool followsInstruction(std::string_view kind, const nlohmann::json& kwargs, std::string_view reply,
                        std::string_view language) {
    return !trim(reply).empty() && checkerFor(kind)(kwargs, reply, language);
}

InstructionOutcome checkInstruction(std::string_view kind, const nlohmann::json& kwargs,
                                    std::string_view reply, std::string_view language) {
    InstructionOutcome outcome;
    outcome.kind = std::string(kind);
    outcome.strict = followsInstruction(kind, kwargs, reply, language);
    outcome.loose = outcome.strict;
    for (const std::string& variant : looseVariants(reply)) {
        if (outcome.loose) {
            break;
        }
        outcome.loose = followsInstruction(kind, kwargs, variant, language);
    }
    return outcome;
}

}  // namespace vietllm::eval
