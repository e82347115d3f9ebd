#pragma once
// Chat playground conversations kept in the project (tables chat and chat_message): each chat has
// a title and a settings JSON (model, sampling, system prompt, template); its messages form a
// tree through parent ids, so a regenerated reply is a sibling of the one it replaces and every
// draft is kept. The conversation on screen is the active path: from the root, always the newest
// child. Also saved system prompts (project_meta) and A/B verdicts, which become rankings in the
// ranking store so they are merged and exported like any other ranking.

#include "backend/data/records.h"
#include "backend/store/annotations.h"
#include "backend/store/project_store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::store {

struct ChatSummary {
    std::int64_t id = 0;
    std::string title;
    nlohmann::json settings = nlohmann::json::object();
    std::string created_at;  ///< UTC, ISO 8601
    std::string updated_at;  ///< last message added or changed
};

struct ChatMessage {
    std::int64_t id = 0;
    std::int64_t chat_id = 0;
    std::optional<std::int64_t> parent_id;
    data::Role role = data::Role::Invalid;
    std::string content;
    std::optional<std::int64_t> model_id;
    nlohmann::json metadata = nlohmann::json::object();  ///< e.g. stop reason, tokens/s, stopped
    std::string created_at;
};

struct SavedSystemPrompt {
    std::string name;
    std::string text;
};

enum class AbVerdict { Invalid = 0, LeftBetter, RightBetter, Tie, BothBad };

/// One side of an A/B comparison as shown: the reply and what produced it (model, settings).
struct AbReply {
    std::string text;
    nlohmann::json details = nlohmann::json::object();
};

struct AbComparison {
    std::vector<data::Message> prompt;  ///< optional system message, then turns ending with a user turn
    AbReply left;
    AbReply right;
    bool left_is_a = true;  ///< the blind mapping: configuration A was shown on the left
    AbVerdict verdict = AbVerdict::Invalid;
    std::string reason;     ///< optional; required wording is the caller's business
    std::string annotator;  ///< created as a human annotator on first use
};

struct AbStored {
    std::int64_t record_id = 0;
    std::int64_t task_id = 0;
    std::int64_t left_message_id = 0;
    std::int64_t right_message_id = 0;
};

/// Name of the dataset that collects A/B verdicts.
constexpr const char* kAbDatasetName = "Chat A/B";

class Chats {
public:
    /// Works on `store`, which must outlive this object.
    explicit Chats(ProjectStore& store) : m_store(store) {}

    /// Creates a chat and returns its id. `settings` must be a JSON object.
    std::int64_t createChat(const std::string& title, const nlohmann::json& settings);
    /// Renames a chat; throws UserError for an unknown id.
    void renameChat(std::int64_t chat_id, const std::string& title);
    /// Replaces a chat's settings (a JSON object); throws UserError for an unknown id or a non-object.
    void setSettings(std::int64_t chat_id, const nlohmann::json& settings);
    /// Deletes a chat with its messages; throws UserError for an unknown id.
    void deleteChat(std::int64_t chat_id);
    /// Every chat, most recently updated first.
    std::vector<ChatSummary> chats() const;
    /// One chat; throws UserError for an unknown id.
    ChatSummary chat(std::int64_t chat_id) const;

    /// Adds a message under `parent_id` (none: a root) and returns its id. Throws UserError for an
    /// unknown chat, a parent of another chat, or an invalid role.
    std::int64_t addMessage(std::int64_t chat_id, std::optional<std::int64_t> parent_id, data::Role role,
                            const std::string& content, std::optional<std::int64_t> model_id,
                            const nlohmann::json& metadata);
    /// Replaces a message's text (an edit before resending); throws UserError for an unknown id.
    void setMessageContent(std::int64_t message_id, const std::string& content);
    /// Deletes every reply below a message (the message stays): resending an edit truncates there.
    void deleteReplies(std::int64_t message_id);
    /// One message; throws UserError for an unknown id.
    ChatMessage message(std::int64_t message_id) const;
    /// Every message of a chat, in the order they were added.
    std::vector<ChatMessage> messages(std::int64_t chat_id) const;
    /// The conversation on screen: from the newest root, each time the newest child.
    std::vector<ChatMessage> activePath(std::int64_t chat_id) const;
    /// The message and its siblings (same parent), oldest first: the drafts of one turn.
    std::vector<ChatMessage> alternatives(std::int64_t message_id) const;

    /// The system prompts saved in the project, by name.
    std::vector<SavedSystemPrompt> savedSystemPrompts() const;
    /// Saves (or replaces) a named system prompt; throws UserError for an empty name.
    void saveSystemPrompt(const std::string& name, const std::string& text);
    /// Removes a saved system prompt; false when there was none of that name.
    bool removeSystemPrompt(const std::string& name);

    /// Stores an A/B verdict: a conversation-tree record in dataset kAbDatasetName (prompt chain,
    /// then both replies as sibling assistant messages, left first, each with its details), a
    /// ranking task over the two replies and the annotator's ranking: better side first, a tie as
    /// one tier of both, "both bad" as not rankable; the reason is the ranking's comment. Throws
    /// UserError for an invalid verdict, an empty reply or a prompt not ending with a user turn.
    AbStored recordAbVerdict(const AbComparison& comparison);

private:
    void requireChat(std::int64_t chat_id) const;
    void touch(std::int64_t chat_id);
    void writeSystemPrompts(const std::vector<SavedSystemPrompt>& prompts);

    ProjectStore& m_store;
};

/// "left_better", "right_better", "tie", "both_bad"; the verdict names stored with A/B records.
const char* abVerdictName(AbVerdict verdict);

}  // namespace vietllm::store
