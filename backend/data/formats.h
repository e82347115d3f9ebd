#pragma once
// Readers and writers for the instruction and preference data formats the community uses.
// Reading is streaming (one record at a time), so files larger than memory convert fine.

#include "backend/data/records.h"

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace vietllm::data {

enum class Format {
    Invalid = 0,
    Alpaca,          ///< {instruction, input, output}, JSON array or JSONL
    Dolly,           ///< {instruction, context, response, category}
    ShareGpt,        ///< {conversations: [{from, value}]}
    PromptResponse,  ///< {prompt, response}
    Oasst,           ///< Open-Assistant export message trees
    HhRlhf,          ///< {chosen, rejected} "\n\nHuman: ... \n\nAssistant: ..." transcripts
    Messages,        ///< ours: {messages: [{role, content}], provenance, metadata}
    Preference,      ///< ours: {prompt: [messages], chosen, rejected, ratings, provenance}
};

/// Parses a format name as given on the command line; Format::Invalid when unknown.
Format parseFormat(std::string_view name);
/// The command-line name of a format ("alpaca", "sharegpt", "prompt-response", ...).
const char* formatName(Format format);
/// All format names, comma separated, for error messages and --help.
std::string formatNameList();

/// A line of input that could not be read as a record.
struct BadLine {
    std::string file;
    std::size_t line_number = 0;  ///< 1-based; for a JSON array file, the line where the element starts
    std::string reason;
    std::string text;  ///< the raw line (for side files)
};

struct ReadOptions {
    /// When false, the first bad line throws UserError naming file and line. When true, bad lines
    /// go to `on_bad_line` and reading continues.
    bool skip_bad = false;
    std::function<void(const BadLine&)> on_bad_line;
    /// Provenance source for records that carry none (defaults to the file name).
    std::string source_name;
};

/// Reads every record of `input` (in `format`) and passes it to `sink`. `file_name` is used in
/// messages and provenance. Invalid UTF-8, broken JSON and missing fields are bad lines.
void readRecords(Format format, std::istream& input, const std::string& file_name, const ReadOptions& options,
                 const std::function<void(Record&&)>& sink);

/// Writes records in one format. A record of another kind is converted when the format can hold
/// it (a tree becomes its root-to-leaf conversations, or preference pairs from sibling ranks);
/// write() returns how many output records it produced, 0 when the format cannot hold it.
class RecordWriter {
public:
    virtual ~RecordWriter() = default;
    virtual std::size_t write(const Record& record) = 0;
    /// Completes the output (closes a JSON array); call once after the last write().
    virtual void finish() = 0;
};

/// A writer for `format` onto `output`.
std::unique_ptr<RecordWriter> makeWriter(Format format, std::ostream& output);

}  // namespace vietllm::data
