#pragma once
// Readers and writers for the instruction and preference data formats the community uses.
// Reading is streaming (one record at a time), so files larger than memory convert fine.

#include "backend/data/records.h"

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// Where a record starts in its input file.
struct RecordLocation {
    std::size_t line_number = 0;             ///< 1-based
    std::optional<std::size_t> array_index;  ///< 0-based element index when the file is one JSON array
};

/// `what` with "element N: " before it for an element of a JSON array, since whole arrays often
/// sit on one line and the line alone does not name the record. Used in every BadLine reason.
std::string recordReason(const RecordLocation& location, const std::string& what);

/// Receives a record and the 1-based line where it starts in its file.
using LocatedRecordSink = std::function<void(Record&&, std::size_t line_number)>;
/// Like readRecords(), and also tells the sink the line where each record starts, so that a
/// later problem with the record (it cannot be written in the target format) can name it.
void readLocatedRecords(Format format, std::istream& input, const std::string& file_name,
                        const ReadOptions& options, const LocatedRecordSink& sink);

/// Receives a record and where it starts in its file.
using RecordLocationSink = std::function<void(Record&&, const RecordLocation& location)>;
/// Like readLocatedRecords(), with the element index too when the file is one JSON array.
void readRecordsWithLocations(Format format, std::istream& input, const std::string& file_name,
                              const ReadOptions& options, const RecordLocationSink& sink);

/// Opens a file to read records from; gzip-compressed files (recognised by their first bytes,
/// whatever their name) are decompressed while reading. Throws UserError when it cannot be opened.
std::unique_ptr<std::istream> openInputFile(const std::string& path);

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

/// A writer for `format` onto `output`, one JSON object per line.
std::unique_ptr<RecordWriter> makeWriter(Format format, std::ostream& output);

/// How a writer lays records out.
enum class Layout {
    Invalid = 0,
    JsonLines,  ///< one JSON object per line (JSONL)
    JsonArray,  ///< one JSON array, one element per line (how Alpaca files are shared)
};

/// A writer for `format` onto `output` in `layout`.
std::unique_ptr<RecordWriter> makeWriter(Format format, std::ostream& output, Layout layout);

/// Why `format` cannot hold `record` (a conversation written as `preference`, a system message in
/// `hh-rlhf`, ...); empty when it can. RecordWriter::write() writes nothing for these records; it
/// may also write nothing for a record it can hold that yields no output (a tree without ranked
/// replies written as `preference`), so check this to tell the two apart.
std::string unsupportedReason(Format format, const Record& record);

// Conversions between record kinds; docs/formats.md gives the rules.

/// Every root-to-leaf path of the tree as a conversation, in depth-first order. Provenance is the
/// tree's; metadata names the tree and the path's message ids.
std::vector<Conversation> conversationsFromTree(const ConversationTree& tree);
/// The root-to-leaf paths cut after their last assistant message, each distinct path once, paths
/// with no assistant message left out: what the single-turn formats (alpaca, dolly,
/// prompt-response) can hold, since those need a reply to end on.
std::vector<Conversation> answeredConversationsFromTree(const ConversationTree& tree);
/// One pair for every two ranked assistant siblings with different ranks: the lower rank is
/// chosen, the prompt is the path from the root to their parent. Ranks go to metadata.
std::vector<PreferencePair> preferencePairsFromTree(const ConversationTree& tree);
/// The conversation a pair stands for in conversation formats: its prompt and the chosen reply.
Conversation chosenConversation(const PreferencePair& pair);
/// A single-path tree holding the conversation (ids derived from its original_id).
ConversationTree treeFromConversation(const Conversation& conversation);
/// A tree of the pair's prompt whose last turn has two replies: chosen (rank 0), rejected (rank 1).
ConversationTree treeFromPreferencePair(const PreferencePair& pair);

}  // namespace vietllm::data
