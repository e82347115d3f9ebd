#include "backend/store/search_text.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/text/normalize.h"

#include <algorithm>

namespace vietllm::store {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// An FTS5 string token: every character literal, so "OR", "NEAR", ":" or "^" typed by a user
// are searched for as words.
std::string quoted(std::string_view term) {
    std::string out = "\"";
    for (const char c : term) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + '"';
}

// Splits the query into FTS5 phrases: "quoted phrases" stay together, other text splits at
// spaces, and a word ending in * becomes a prefix query.
std::vector<std::string> queryPhrases(std::string_view query) {
    std::vector<std::string> phrases;
    std::size_t i = 0;
    while (i < query.size()) {
        if (isSpace(query[i])) {
            ++i;
        } else if (query[i] == '"') {
            const std::size_t close = query.find('"', i + 1);
            const std::size_t end = close == std::string_view::npos ? query.size() : close;
            const std::string_view phrase = query.substr(i + 1, end - i - 1);
            if (phrase.find_first_not_of(" \t\n\r\f\v") != std::string_view::npos) {
                phrases.push_back(quoted(phrase));
            }
            i = end + 1;
        } else {
            std::size_t end = i;
            while (end < query.size() && !isSpace(query[end]) && query[end] != '"') {
                ++end;
            }
            std::string_view word = query.substr(i, end - i);
            const bool prefix = word.size() > 1 && word.back() == '*';
            if (prefix) {
                word.remove_suffix(1);
            }
            phrases.push_back(quoted(word) + (prefix ? "*" : ""));
            i = end;
        }
    }
    return phrases;
}

std::size_t countCodePoints(std::string_view bytes) {
    return static_cast<std::size_t>(std::count_if(
        bytes.begin(), bytes.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

SearchForms searchForms(std::string_view content) {
    SearchForms forms;
    forms.exact = text::toNfc(content);
    forms.plain = text::stripDiacritics(forms.exact);
    return forms;
}

std::string ftsMatchExpression(std::string_view query, bool ignore_diacritics) {
    const std::string normalized = ignore_diacritics ? text::stripDiacritics(query) : text::toNfc(query);
    const std::vector<std::string> phrases = queryPhrases(normalized);
    if (phrases.empty()) {
        throw UserError("the search query is empty");
    }
    std::string expression = ignore_diacritics ? "plain : (" : "exact : (";
    for (std::size_t i = 0; i < phrases.size(); ++i) {
        expression += (i == 0 ? "" : " ") + phrases[i];
    }
    return expression + ")";
}

std::vector<CodePointSpan> takeMatchSpans(std::string& highlighted) {
    std::vector<CodePointSpan> spans;
    std::string plain;
    plain.reserve(highlighted.size());
    std::size_t code_points = 0;
    std::size_t position = 0;
    while (position < highlighted.size()) {
        const std::string_view rest = std::string_view(highlighted).substr(position);
        if (rest.substr(0, kMatchOpen.size()) == kMatchOpen) {
            spans.emplace_back(code_points, code_points);
            position += kMatchOpen.size();
        } else if (rest.substr(0, kMatchClose.size()) == kMatchClose) {
            if (!spans.empty()) {
                spans.back().second = code_points;
            }
            position += kMatchClose.size();
        } else {
            const std::size_t next = std::min(rest.find(kMatchOpen), rest.find(kMatchClose));
            const std::string_view chunk = rest.substr(0, next);
            plain += chunk;
            code_points += countCodePoints(chunk);
            position += chunk.size();
        }
    }
    highlighted = std::move(plain);
    return spans;
}

std::string searchSnippet(std::string_view text, const std::vector<CodePointSpan>& spans,
                          std::size_t context_code_points, std::string_view open, std::string_view close) {
    const std::u32string code_points = utf8::decode(text);
    const std::size_t first_begin = spans.empty() ? 0 : spans.front().first;
    const std::size_t first_end = spans.empty() ? 0 : spans.front().second;
    const std::size_t begin = first_begin > context_code_points ? first_begin - context_code_points : 0;
    std::size_t end = std::min(code_points.size(), first_end + context_code_points);
    for (const CodePointSpan& span : spans) {
        if (span.first < end && span.second > end) {
            end = std::min(code_points.size(), span.second);  // never cut a match in two
        }
    }
    std::string snippet = begin > 0 ? "…" : "";
    for (std::size_t i = begin; i < end; ++i) {
        for (const CodePointSpan& span : spans) {
            snippet += span.first == i ? open : std::string_view();
        }
        utf8::append(snippet, code_points[i]);
        for (const CodePointSpan& span : spans) {
            snippet += span.second == i + 1 ? close : std::string_view();
        }
    }
    return end < code_points.size() ? snippet + "…" : snippet;
}

}  // namespace vietllm::store
