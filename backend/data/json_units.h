#pragma once
// Splits an input file into JSON texts, one per record: the lines of a JSONL file, or the
// elements of a file that is one JSON array (as Alpaca data is shared). Used by the format
// readers; each text is then parsed on its own, so one broken record is one bad line.

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

namespace vietllm::data {

/// One record's JSON text and where it starts.
struct JsonUnit {
    std::size_t line_number = 0;             ///< 1-based line where the text starts
    std::optional<std::size_t> array_index;  ///< 0-based element index when the file is a JSON array
    std::string text;                        ///< the raw text (a JSONL line without its line end)
};

/// Calls `visit` for every JSON text of `input`. A file whose first non-blank character is '['
/// is read as one JSON array; otherwise as JSONL, where blank lines are skipped. A leading UTF-8
/// byte order mark is ignored. Throws UserError naming `file_name` and the line when an array is
/// not closed or has something other than ',' between its elements, since reading cannot go on.
void forEachJsonUnit(std::istream& input, const std::string& file_name,
                     const std::function<void(JsonUnit&&)>& visit);

}  // namespace vietllm::data
