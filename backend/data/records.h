#pragma once
// The workbench's record types: conversations, preference pairs and Open-Assistant-shaped
// conversation trees, each with provenance. Every converter reads into these and writes from
// them, and the project store keeps them.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vietllm::data {

enum class Role { Invalid = 0, System, User, Assistant };

/// "system", "user", "assistant".
const char* roleName(Role role);
/// Parses our role names and the common aliases (human, gpt, prompter, bot, model...);
/// Role::Invalid when unknown.
Role parseRole(std::string_view name);

/// Where a record came from and what was done to it.
struct Provenance {
    std::string source;                        ///< dataset or file name
    std::string licence;                       ///< SPDX-like id when known ("Apache-2.0"), else empty
    std::string original_id;                   ///< id in the source, or "FILE:LINE"
    std::vector<std::string> transformations;  ///< e.g. "convert:alpaca->messages", "normalize"
};

struct Message {
    Role role = Role::Invalid;
    std::string content;
};

/// A chat transcript: optional system message, then alternating user/assistant turns.
struct Conversation {
    std::vector<Message> messages;
    Provenance provenance;
    nlohmann::json metadata = nlohmann::json::object();  ///< fields of the source we keep as is
};

/// One prompt (a conversation ending with a user turn) and two replies, chosen preferred.
struct PreferencePair {
    std::vector<Message> prompt;
    std::string chosen;
    std::string rejected;
    std::optional<double> chosen_rating;
    std::optional<double> rejected_rating;
    Provenance provenance;
    nlohmann::json metadata = nlohmann::json::object();
};

/// A message in a conversation tree (Open-Assistant shape): replies are alternatives.
struct TreeNode {
    std::string id;
    Role role = Role::Invalid;
    std::string content;
    std::optional<int> rank;  ///< 0 = best among siblings; absent when unranked
    std::string lang;
    nlohmann::json metadata = nlohmann::json::object();  ///< other source fields, kept for round trips
    std::vector<TreeNode> replies;
};

struct ConversationTree {
    std::string tree_id;
    TreeNode root;
    Provenance provenance;
    nlohmann::json metadata = nlohmann::json::object();  ///< tree-level source fields (tree_state, ...)
};

using Record = std::variant<Conversation, PreferencePair, ConversationTree>;

// JSON forms of the records, shared by the converters and the project store. Writers return
// ordered JSON so that files read naturally (role before content); readers take any JSON and
// throw UserError with a message naming the bad field (e.g. `field "messages[2].role": ...`);
// callers add the file and line.

/// {"source","licence","original_id","transformations"}.
nlohmann::ordered_json toJson(const Provenance& provenance);
/// Reads a provenance object; absent keys stay empty.
Provenance provenanceFromJson(const nlohmann::json& value);

/// [{"role","content"}], the message list of our formats.
nlohmann::ordered_json toJson(const std::vector<Message>& messages);
/// Reads a message list; `field` names it in errors. Roles may be any alias parseRole() knows.
std::vector<Message> messagesFromJson(const nlohmann::json& value, const std::string& field);

/// Our `messages` format: {"messages", "provenance", "metadata"}.
nlohmann::ordered_json toJson(const Conversation& conversation);
/// Reads our `messages` format; other top-level keys are kept in metadata.
Conversation conversationFromJson(const nlohmann::json& value);

/// Our `preference` format: {"prompt", "chosen", "rejected", "chosen_rating", "rejected_rating",
/// "provenance", "metadata"}; absent ratings are written as null.
nlohmann::ordered_json toJson(const PreferencePair& pair);
/// Reads our `preference` format. "chosen"/"rejected" may also be a list of one assistant
/// message (TRL's conversational shape). The prompt must end with a user turn.
PreferencePair preferencePairFromJson(const nlohmann::json& value);

/// The Open-Assistant export shape {"message_tree_id", ...metadata, "prompt": node} without provenance:
/// exactly what the oasst format holds.
nlohmann::ordered_json toOasstJson(const ConversationTree& tree);
/// The Open-Assistant shape plus "provenance" (for the store).
nlohmann::ordered_json toJson(const ConversationTree& tree);
/// Reads an Open-Assistant export tree (and "provenance" when present). Node fields other than
/// message_id, text, role, lang, an integer rank and replies are kept in the node's metadata, so
/// writing the tree back gives the same JSON.
ConversationTree treeFromJson(const nlohmann::json& value);

/// The JSON of any record in its natural form (messages, preference, or tree with provenance).
nlohmann::ordered_json toJson(const Record& record);

}  // namespace vietllm::data
