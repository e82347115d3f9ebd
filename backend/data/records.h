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

}  // namespace vietllm::data
