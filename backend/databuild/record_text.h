#pragma once
// Access to the text of any record kind (conversation, preference pair, conversation tree) for
// the data-building steps: every text field with its role, the prose outside code blocks, a
// multi-line normalization that keeps code and layout, and the ids a record is known by.

#include "backend/data/records.h"
#include "backend/text/normalize.h"

#include <functional>
#include <string>
#include <string_view>

namespace vietllm::databuild {

/// Calls `visit` with the role and text of every text field of `record` (messages, a pair's
/// prompt and both replies, every node of a tree), in reading order; the text may be changed.
void forEachText(data::Record& record, const std::function<void(data::Role, std::string&)>& visit);
/// Read-only variant of forEachText().
void forEachText(const data::Record& record,
                 const std::function<void(data::Role, const std::string&)>& visit);

/// The record's provenance, whatever its kind.
data::Provenance& provenanceOf(data::Record& record);
const data::Provenance& provenanceOf(const data::Record& record);

/// The id a record is reported by: its provenance original_id.
std::string recordId(const data::Record& record);

/// The source item a record derives from, so that records of one item stay together (export's
/// split): the metadata "message_tree_id" of records cut from one Open-Assistant tree, a tree's
/// own id, else the provenance original_id; prefixed with the provenance source.
std::string sourceItemKey(const data::Record& record);

/// `text` without the content of fenced code blocks (``` or ~~~ fences): the prose that language
/// identification and quality signals should judge.
std::string proseText(std::string_view text);

/// Normalizes multi-line text line by line. text::normalize() folds line ends and space runs
/// into one space, which would destroy Markdown and code, so: line ends are kept (CRLF becomes
/// LF), lines inside fenced code blocks only get NFC, and other lines keep their indentation and
/// get the full normalization after it.
std::string normalizeMultiline(std::string_view text, const text::NormalizeOptions& options);

/// All text of the record joined with a role tag per field ("user: ...\nassistant: ..."): the
/// content compared by exact and near-duplicate detection.
std::string joinedText(const data::Record& record);

}  // namespace vietllm::databuild
