#pragma once
// The text side of the project's full-text search: the forms a message is indexed under, the
// FTS5 query built from what a user typed, and the match spans read back from SQLite.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vietllm::store {

/// A half-open range [begin, end) of code points.
using CodePointSpan = std::pair<std::size_t, std::size_t>;

/// What message_fts indexes for one message: `exact` is the NFC text (diacritics kept),
/// `plain` the same text without Vietnamese diacritics (đ→d), for diacritic-insensitive search.
struct SearchForms {
    std::string exact;
    std::string plain;
};

/// The search forms of `content` (valid UTF-8).
SearchForms searchForms(std::string_view content);

/// Builds an FTS5 MATCH expression from a user's query: words and "quoted phrases" must all
/// occur; a trailing * makes a word a prefix. FTS5 operators typed by the user are taken as
/// words, so no input is a syntax error. With `ignore_diacritics` the query is stripped and
/// matched against the plain form. Throws UserError when the query has no words.
std::string ftsMatchExpression(std::string_view query, bool ignore_diacritics);

/// Marker strings our search queries ask highlight() to put around matches: Unicode
/// noncharacters, which are reserved for internal use and so never collide with real text.
inline constexpr std::string_view kMatchOpen = "\xEF\xB7\x90";   // U+FDD0
inline constexpr std::string_view kMatchClose = "\xEF\xB7\x91";  // U+FDD1

/// Removes the markers from `highlighted` and returns the matched code-point spans of the
/// remaining text.
std::vector<CodePointSpan> takeMatchSpans(std::string& highlighted);

/// A short excerpt of `text` around its first span, with the spans wrapped in `open`/`close`
/// and "…" where text was cut; `context_code_points` of context on each side.
std::string searchSnippet(std::string_view text, const std::vector<CodePointSpan>& spans,
                          std::size_t context_code_points, std::string_view open, std::string_view close);

}  // namespace vietllm::store
