#pragma once
// Protecting what a translator must not touch. Before a text goes to the model, code blocks,
// inline code, URLs, emails, math, template and printf placeholders, markup tags and Markdown
// structure (list markers, headings, quotes, rules) are replaced by opaque tokens ⟦0⟧, ⟦1⟧...
// that the model is told to keep; after the call each token is put back. Masking and restoring
// without a translation in between gives the original text exactly.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::databuild {

enum class ProtectedKind {
    Invalid = 0,
    CodeBlock,    ///< ``` or ~~~ fenced block, fences included
    InlineCode,   ///< `code`
    Math,         ///< $...$, $$...$$, \(...\), \[...\]
    Url,          ///< http(s)://, ftp://, www.
    Email,        ///< name@domain.tld
    Placeholder,  ///< {name}, {{x}}, {% tag %}, ${var}, %s, %1$d, %(name)s, %%, %1
    Tag,          ///< <b>, </b>, <br/>, <name>, <!-- comment -->
    Markdown,     ///< line-start list marker, heading, quote or horizontal rule
    Bracket,      ///< a literal ⟦ or ⟧ of the input, so that tokens stay unambiguous
};

/// "code-block", "inline-code", "math", "url", "email", "placeholder", "tag", "markdown", "bracket".
const char* protectedKindName(ProtectedKind kind);

struct ProtectedSpan {
    ProtectedKind kind = ProtectedKind::Invalid;
    std::string text;  ///< the original bytes
};

struct MaskedText {
    std::string text;                  ///< the input with token i in place of spans[i]
    std::vector<ProtectedSpan> spans;  ///< in order of appearance
};

/// The token that stands for span `index`: "⟦index⟧".
std::string maskToken(std::size_t index);

/// Masks `text` (valid UTF-8). Spans never overlap; where candidates do, the earlier kind in
/// the list above wins (a URL inside inline code stays part of the code).
MaskedText maskForTranslation(std::string_view text);

struct RestoreResult {
    std::string text;                     ///< tokens replaced by their spans; unknown tokens left as they are
    std::vector<std::string> missing;     ///< tokens of spans absent from the translation
    std::vector<std::string> duplicated;  ///< tokens that appear more than once
    std::vector<std::string> unknown;     ///< tokens the source did not have
    bool ok() const { return missing.empty() && duplicated.empty() && unknown.empty(); }
};

/// Puts the spans back into a (translated) masked text. Spaces a model adds right after a
/// Markdown token that already ends in a space are dropped, so "- " does not become "-  ".
RestoreResult restoreMasked(std::string_view masked, const std::vector<ProtectedSpan>& spans);

/// The text the translator works on: `masked` without its tokens, spaces folded. Length ratios
/// and language checks look at this, not at protected code or URLs.
std::string translatableText(std::string_view masked);

}  // namespace vietllm::databuild
