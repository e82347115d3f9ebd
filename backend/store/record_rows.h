#pragma once
// How the three record kinds map onto rows of the message table and back. Every kind becomes a
// list of messages in pre-order, each naming its parent by position: a conversation is a chain,
// a conversation tree keeps its branches in order, and a preference pair is its prompt chain
// with the chosen and rejected replies as the two children of the last prompt message.

#include "backend/data/records.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::store {

enum class RecordKind { Invalid = 0, Conversation, Preference, Tree };

/// "conversation", "preference", "tree": the names stored in record.kind and shown in stats.
const char* recordKindName(RecordKind kind);
/// Parses a stored kind name; RecordKind::Invalid when unknown.
RecordKind parseRecordKind(std::string_view name);
/// The kind of a record variant.
RecordKind kindOf(const data::Record& record);

/// Which reply of a preference pair a message is; None for every other message.
enum class PreferenceSlot { Invalid = 0, None, Chosen, Rejected };

/// One message as stored: its place in the record and the fields the record kinds carry.
struct MessageRow {
    std::optional<std::size_t> parent_position;  ///< position of the parent row; none for a root
    PreferenceSlot slot = PreferenceSlot::None;
    data::Role role = data::Role::Invalid;
    std::string content;
    std::string external_id;  ///< a tree node's id
    std::optional<int> rank;
    std::optional<double> rating;  ///< a preference reply's rating
    std::string lang;
    nlohmann::json metadata = nlohmann::json::object();
};

/// A record split into its header and its messages (index in `messages` = position).
struct RecordRows {
    RecordKind kind = RecordKind::Invalid;
    std::string tree_id;
    data::Provenance provenance;
    nlohmann::json metadata = nlohmann::json::object();
    std::vector<MessageRow> messages;
};

/// Splits a record into rows. Throws UserError when a message has no valid role.
RecordRows flattenRecord(const data::Record& record);

/// Rebuilds the record from its rows (messages in position order). Throws std::runtime_error
/// when the rows cannot come from flattenRecord (a damaged project).
data::Record assembleRecord(RecordRows&& rows);

}  // namespace vietllm::store
