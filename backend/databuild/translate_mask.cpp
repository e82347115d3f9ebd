#include "backend/databuild/translate_mask.h"

#include <pcre2.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>

namespace vietllm::databuild {

namespace {

constexpr std::string_view kOpenBracket = "\xE2\x9F\xA6";   // ⟦ U+27E6
constexpr std::string_view kCloseBracket = "\xE2\x9F\xA7";  // ⟧ U+27E7

struct CodeDeleter {
    void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct MatchDataDeleter {
    void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

// One protection rule: a PCRE2 pattern (byte mode: every construct it matches on is ASCII, and
// non-ASCII bytes only ever fall inside a span, never split one) and the kind it protects.
class Rule {
public:
    Rule(ProtectedKind kind, const char* source) : m_kind(kind) {
        int error_code = 0;
        PCRE2_SIZE error_offset = 0;
        m_code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source), PCRE2_ZERO_TERMINATED, 0,
                                   &error_code, &error_offset, nullptr));
        if (!m_code) {
            throw std::logic_error("translate mask pattern does not compile at offset " +
                                   std::to_string(error_offset));
        }
    }

    ProtectedKind kind() const { return m_kind; }

    /// Byte ranges of every non-overlapping match in `text`.
    std::vector<std::pair<std::size_t, std::size_t>> findAll(std::string_view text) const {
        const std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
            pcre2_match_data_create_from_pattern(m_code.get(), nullptr));
        std::vector<std::pair<std::size_t, std::size_t>> ranges;
        std::size_t offset = 0;
        while (offset < text.size()) {
            const int rc = pcre2_match(m_code.get(), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                                       offset, 0, data.get(), nullptr);
            if (rc < 0) {
                break;
            }
            const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
            if (ovector[1] > ovector[0]) {
                ranges.emplace_back(ovector[0], ovector[1]);
            }
            offset = std::max<std::size_t>(ovector[1], ovector[0] + 1);
        }
        return ranges;
    }

private:
    ProtectedKind m_kind;
    std::unique_ptr<pcre2_code, CodeDeleter> m_code;
};

// In priority order: a span found by an earlier rule wins over an overlapping later one.
std::vector<Rule> makeRules() {
    std::vector<Rule> rules;
    // Fenced code: closed by the same fence, or running to the end of the text when unclosed.
    rules.emplace_back(
        ProtectedKind::CodeBlock,
        R"((?m)^[ \t]*(`{3,}|~{3,})[^\n]*(?:\n(?s:.*?)\n[ \t]*\1[ \t]*(?=\n|\z)|\n[ \t]*\1[ \t]*(?=\n|\z)|(?s:.*)\z))");
    rules.emplace_back(ProtectedKind::InlineCode, R"((?<!`)(`+)(?!`)[^\n]+?(?<!`)\1(?!`))");
    rules.emplace_back(ProtectedKind::Math, R"(\$\$(?s:.+?)\$\$|\\\[(?s:.+?)\\\]|\\\((?s:.+?)\\\))");
    rules.emplace_back(ProtectedKind::Url, R"((?:\b(?:https?|ftp)://|\bwww\.)[^\s<>"'`]+)");
    rules.emplace_back(ProtectedKind::Email,
                       R"(\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)");
    // Inline $...$: no space just inside the dollars and no digit or letter right after, so that
    // prices ("$5 and $10") stay text.
    rules.emplace_back(ProtectedKind::Math,
                       R"((?<![\\$\w])\$(?:[^\s$\\]|[^\s$][^$\n]*?[^\s$\\])\$(?![\w$]))");
    rules.emplace_back(ProtectedKind::Bracket, "\xE2\x9F\xA6|\xE2\x9F\xA7");
    rules.emplace_back(ProtectedKind::Placeholder, R"(\{\{(?s:.*?)\}\}|\{%(?s:.*?)%\}|\$\{[^{}\n]*\})");
    rules.emplace_back(ProtectedKind::Placeholder,
                       R"(%\([A-Za-z_][A-Za-z0-9_]*\)[-+#0 ]*\d*(?:\.\d+)?[A-Za-z%])");
    // printf (with positions, flags, width, precision, length), %% and Qt's %1. No space flag:
    // "50% of" is prose, not "% o".
    rules.emplace_back(
        ProtectedKind::Placeholder,
        R"(%(?:\d+\$)?[-+#0']*(?:\d+|\*(?:\d+\$)?)?(?:\.(?:\d+|\*(?:\d+\$)?))?(?:hh|h|ll|l|L|q|j|z|t|I64|I32)?[A-Za-z]|%%|%\d+)");
    rules.emplace_back(ProtectedKind::Tag,
                       R"(<!--(?s:.*?)-->|</?[A-Za-z][A-Za-z0-9:_.-]*(?:\s+[^<>]*?)?\s*/?>)");
    // Python str.format / .NET fields: {}, {0}, {name}, {0:.2f}, {name!r}, {a.b[0]}.
    rules.emplace_back(ProtectedKind::Placeholder,
                       R"(\{[A-Za-z0-9_]*(?:[.\[][A-Za-z0-9_.\[\]]*)?(?:![rsa])?(?::[^{}\n]*)?\})");
    rules.emplace_back(
        ProtectedKind::Markdown,
        R"((?m)^[ \t]*(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$|^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+|^[ \t]*#{1,6}(?:[ \t]+|$)|^[ \t]*(?:>[ \t]*)+)");
    return rules;
}

const std::vector<Rule>& rules() {
    // Compiled once and read-only afterwards; pcre2_match() on shared code is thread-safe.
    static const std::vector<Rule> compiled = makeRules();
    return compiled;
}

// A URL ends before trailing sentence punctuation and before a ')' it did not open.
std::size_t trimUrlEnd(std::string_view text, std::size_t begin, std::size_t end) {
    while (end > begin) {
        const char last = text[end - 1];
        if (std::string_view(".,;:!?'\"").find(last) != std::string_view::npos) {
            --end;
            continue;
        }
        if (last == ')' || last == ']') {
            const char open = last == ')' ? '(' : '[';
            const std::string_view url = text.substr(begin, end - begin);
            if (std::count(url.begin(), url.end(), open) < std::count(url.begin(), url.end(), last)) {
                --end;
                continue;
            }
        }
        break;
    }
    return end;
}

// Accepted spans by start offset; a candidate is accepted only when it overlaps none of them.
class SpanSet {
public:
    bool tryAdd(std::size_t begin, std::size_t end, ProtectedKind kind) {
        auto next = m_spans.lower_bound(begin);
        if (next != m_spans.end() && next->first < end) {
            return false;
        }
        if (next != m_spans.begin() && std::prev(next)->second.first > begin) {
            return false;
        }
        m_spans.emplace(begin, std::make_pair(end, kind));
        return true;
    }
    const std::map<std::size_t, std::pair<std::size_t, ProtectedKind>>& spans() const { return m_spans; }

private:
    std::map<std::size_t, std::pair<std::size_t, ProtectedKind>> m_spans;
};

bool isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
}

// A token at `pos` of `text`: "⟦", optional spaces, digits, optional spaces, "⟧". Returns its
// end and index, or {0, 0} when there is none.
std::pair<std::size_t, std::size_t> tokenAt(std::string_view text, std::size_t pos) {
    if (text.substr(pos, kOpenBracket.size()) != kOpenBracket) {
        return {0, 0};
    }
    std::size_t i = pos + kOpenBracket.size();
    while (i < text.size() && text[i] == ' ') {
        ++i;
    }
    const std::size_t digits_begin = i;
    std::size_t index = 0;
    while (i < text.size() && isAsciiDigit(text[i]) && i - digits_begin < 9) {
        index = index * 10 + static_cast<std::size_t>(text[i] - '0');
        ++i;
    }
    if (i == digits_begin) {
        return {0, 0};
    }
    while (i < text.size() && text[i] == ' ') {
        ++i;
    }
    if (text.substr(i, kCloseBracket.size()) != kCloseBracket) {
        return {0, 0};
    }
    return {i + kCloseBracket.size(), index};
}

bool endsWithBlank(const std::string& text) {
    return !text.empty() && (text.back() == ' ' || text.back() == '\t');
}

}  // namespace

const char* protectedKindName(ProtectedKind kind) {
    switch (kind) {
        case ProtectedKind::CodeBlock:
            return "code-block";
        case ProtectedKind::InlineCode:
            return "inline-code";
        case ProtectedKind::Math:
            return "math";
        case ProtectedKind::Url:
            return "url";
        case ProtectedKind::Email:
            return "email";
        case ProtectedKind::Placeholder:
            return "placeholder";
        case ProtectedKind::Tag:
            return "tag";
        case ProtectedKind::Markdown:
            return "markdown";
        case ProtectedKind::Bracket:
            return "bracket";
        case ProtectedKind::Invalid:
            break;
    }
    return "invalid";
}

std::string maskToken(std::size_t index) {
    return std::string(kOpenBracket) + std::to_string(index) + std::string(kCloseBracket);
}

MaskedText maskForTranslation(std::string_view text) {
    SpanSet accepted;
    for (const Rule& rule : rules()) {
        for (auto [begin, end] : rule.findAll(text)) {
            if (rule.kind() == ProtectedKind::Url) {
                end = trimUrlEnd(text, begin, end);
            }
            if (end > begin) {
                accepted.tryAdd(begin, end, rule.kind());
            }
        }
    }
    MaskedText masked;
    std::size_t copied = 0;
    for (const auto& [begin, end_and_kind] : accepted.spans()) {
        masked.text.append(text.substr(copied, begin - copied));
        masked.text += maskToken(masked.spans.size());
        masked.spans.push_back(
            {end_and_kind.second, std::string(text.substr(begin, end_and_kind.first - begin))});
        copied = end_and_kind.first;
    }
    masked.text.append(text.substr(copied));
    return masked;
}

RestoreResult restoreMasked(std::string_view masked, const std::vector<ProtectedSpan>& spans) {
    RestoreResult result;
    std::vector<int> seen(spans.size(), 0);
    std::size_t pos = 0;
    while (pos < masked.size()) {
        const auto [token_end, index] = tokenAt(masked, pos);
        if (token_end == 0) {
            result.text.push_back(masked[pos]);
            ++pos;
            continue;
        }
        if (index >= spans.size()) {
            result.unknown.push_back(maskToken(index));
            result.text.append(masked.substr(pos, token_end - pos));
            pos = token_end;
            continue;
        }
        if (++seen[index] == 2) {
            result.duplicated.push_back(maskToken(index));
        }
        result.text += spans[index].text;
        pos = token_end;
        if (spans[index].kind == ProtectedKind::Markdown && endsWithBlank(spans[index].text)) {
            while (pos < masked.size() && (masked[pos] == ' ' || masked[pos] == '\t')) {
                ++pos;
            }
        }
    }
    for (std::size_t i = 0; i < spans.size(); ++i) {
        if (seen[i] == 0) {
            result.missing.push_back(maskToken(i));
        }
    }
    return result;
}

std::string translatableText(std::string_view masked) {
    std::string out;
    bool pending_space = false;
    std::size_t pos = 0;
    while (pos < masked.size()) {
        const std::size_t token_end = tokenAt(masked, pos).first;
        const char c = masked[pos];
        if (token_end != 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pending_space = true;
            pos = token_end != 0 ? token_end : pos + 1;
            continue;
        }
        if (pending_space && !out.empty()) {
            out.push_back(' ');
        }
        pending_space = false;
        out.push_back(c);
        ++pos;
    }
    return out;
}

}  // namespace vietllm::databuild
