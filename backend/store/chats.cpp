#include "backend/store/chats.h"

#include "backend/common/errors.h"
#include "backend/store/import_session.h"

#include <algorithm>
#include <map>

namespace vietllm::store {

namespace {

constexpr const char* kSystemPromptsKey = "chat.system_prompts";
constexpr const char* kMessageColumns =
    "SELECT id, chat_id, parent_id, role, content, model_id, metadata, created_at FROM chat_message";

nlohmann::json parseObject(const std::string& text) {
    nlohmann::json value = nlohmann::json::parse(text.empty() ? "{}" : text, nullptr, false);
    return value.is_object() ? value : nlohmann::json::object();
}

std::string dumpJson(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ChatSummary readChat(const Statement& statement) {
    return {statement.columnInt(0), statement.columnText(1), parseObject(statement.columnText(2)),
            statement.columnText(3), statement.columnText(4)};
}

ChatMessage readMessage(const Statement& statement) {
    ChatMessage message;
    message.id = statement.columnInt(0);
    message.chat_id = statement.columnInt(1);
    message.parent_id = statement.columnOptionalInt(2);
    message.role = data::parseRole(statement.columnText(3));
    message.content = statement.columnText(4);
    message.model_id = statement.columnOptionalInt(5);
    message.metadata = parseObject(statement.columnText(6));
    message.created_at = statement.columnText(7);
    return message;
}

// The node of one A/B reply: an assistant message carrying what produced it.
data::TreeNode replyNode(const AbReply& reply, const char* side) {
    data::TreeNode node;
    node.role = data::Role::Assistant;
    node.content = reply.text;
    node.metadata = {{"side", side}, {"details", reply.details}};
    return node;
}

// The tree of an A/B comparison: the prompt as a chain, the two replies under its last message.
data::ConversationTree abTree(const AbComparison& comparison) {
    data::ConversationTree tree;
    tree.provenance.source = "chat playground A/B";
    tree.metadata = {{"verdict", abVerdictName(comparison.verdict)},
                     {"left_is_a", comparison.left_is_a},
                     {"reason", comparison.reason}};
    std::vector<data::TreeNode> chain;
    for (const data::Message& message : comparison.prompt) {
        data::TreeNode node;
        node.role = message.role;
        node.content = message.content;
        chain.push_back(std::move(node));
    }
    chain.back().replies = {replyNode(comparison.left, "left"), replyNode(comparison.right, "right")};
    for (std::size_t i = chain.size() - 1; i > 0; --i) {
        chain[i - 1].replies.push_back(std::move(chain[i]));
    }
    tree.root = std::move(chain.front());
    return tree;
}

void checkComparison(const AbComparison& comparison, const std::string& project) {
    if (comparison.verdict == AbVerdict::Invalid) {
        throw UserError(project + ": an A/B verdict must be left better, right better, tie or both bad");
    }
    if (comparison.prompt.empty() || comparison.prompt.back().role != data::Role::User) {
        throw UserError(project + ": an A/B prompt must end with a user message");
    }
    if (comparison.left.text.empty() || comparison.right.text.empty()) {
        throw UserError(project + ": both A/B replies need text");
    }
    if (comparison.annotator.empty()) {
        throw UserError(project + ": an A/B verdict needs an annotator name");
    }
}

RankingTiers abTiers(AbVerdict verdict, std::int64_t left, std::int64_t right) {
    switch (verdict) {
        case AbVerdict::LeftBetter:
            return {{left}, {right}};
        case AbVerdict::RightBetter:
            return {{right}, {left}};
        case AbVerdict::Tie:
            return {{left, right}};
        default:
            return {};
    }
}

}  // namespace

const char* abVerdictName(AbVerdict verdict) {
    switch (verdict) {
        case AbVerdict::LeftBetter:
            return "left_better";
        case AbVerdict::RightBetter:
            return "right_better";
        case AbVerdict::Tie:
            return "tie";
        case AbVerdict::BothBad:
            return "both_bad";
        default:
            return "invalid";
    }
}

std::int64_t Chats::createChat(const std::string& title, const nlohmann::json& settings) {
    m_store.requireWritable();
    if (!settings.is_object()) {
        throw UserError(m_store.path() + ": chat settings must be a JSON object");
    }
    Statement insert(m_store.database(), "INSERT INTO chat (title, settings) VALUES (?, ?)");
    insert.bindText(1, title).bindText(2, dumpJson(settings)).run();
    return m_store.database().lastInsertId();
}

void Chats::renameChat(std::int64_t chat_id, const std::string& title) {
    m_store.requireWritable();
    requireChat(chat_id);
    Statement update(m_store.database(), "UPDATE chat SET title = ? WHERE id = ?");
    update.bindText(1, title).bindInt(2, chat_id).run();
}

void Chats::setSettings(std::int64_t chat_id, const nlohmann::json& settings) {
    m_store.requireWritable();
    requireChat(chat_id);
    if (!settings.is_object()) {
        throw UserError(m_store.path() + ": settings of chat " + std::to_string(chat_id) +
                        " must be a JSON object");
    }
    Statement update(m_store.database(), "UPDATE chat SET settings = ? WHERE id = ?");
    update.bindText(1, dumpJson(settings)).bindInt(2, chat_id).run();
}

void Chats::deleteChat(std::int64_t chat_id) {
    m_store.requireWritable();
    requireChat(chat_id);
    Statement remove(m_store.database(), "DELETE FROM chat WHERE id = ?");
    remove.bindInt(1, chat_id).run();
}

std::vector<ChatSummary> Chats::chats() const {
    Statement statement(m_store.database(),
                        "SELECT id, title, settings, created_at, updated_at FROM chat "
                        "ORDER BY updated_at DESC, id DESC");
    std::vector<ChatSummary> result;
    while (statement.step()) {
        result.push_back(readChat(statement));
    }
    return result;
}

ChatSummary Chats::chat(std::int64_t chat_id) const {
    Statement statement(m_store.database(),
                        "SELECT id, title, settings, created_at, updated_at FROM chat WHERE id = ?");
    if (!statement.bindInt(1, chat_id).step()) {
        throw UserError(m_store.path() + ": no chat with id " + std::to_string(chat_id));
    }
    return readChat(statement);
}

std::int64_t Chats::addMessage(std::int64_t chat_id, std::optional<std::int64_t> parent_id, data::Role role,
                               const std::string& content, std::optional<std::int64_t> model_id,
                               const nlohmann::json& metadata) {
    m_store.requireWritable();
    requireChat(chat_id);
    if (role == data::Role::Invalid) {
        throw UserError(m_store.path() + ": a chat message needs a role (system, user or assistant)");
    }
    if (parent_id && message(*parent_id).chat_id != chat_id) {
        throw UserError(m_store.path() + ": message " + std::to_string(*parent_id) + " is not in chat " +
                        std::to_string(chat_id));
    }
    if (!metadata.is_object()) {
        throw UserError(m_store.path() + ": chat message metadata must be a JSON object");
    }
    Database& db = m_store.database();
    Transaction transaction(db);
    Statement insert(db,
                     "INSERT INTO chat_message (chat_id, parent_id, role, content, model_id, metadata) "
                     "VALUES (?, ?, ?, ?, ?, ?)");
    insert.bindInt(1, chat_id)
        .bindOptionalInt(2, parent_id)
        .bindText(3, data::roleName(role))
        .bindText(4, content)
        .bindOptionalInt(5, model_id)
        .bindText(6, dumpJson(metadata))
        .run();
    const std::int64_t id = db.lastInsertId();
    touch(chat_id);
    transaction.commit();
    return id;
}

void Chats::setMessageContent(std::int64_t message_id, const std::string& content) {
    m_store.requireWritable();
    const ChatMessage existing = message(message_id);
    Database& db = m_store.database();
    Transaction transaction(db);
    Statement update(db, "UPDATE chat_message SET content = ? WHERE id = ?");
    update.bindText(1, content).bindInt(2, message_id).run();
    touch(existing.chat_id);
    transaction.commit();
}

void Chats::deleteReplies(std::int64_t message_id) {
    m_store.requireWritable();
    const ChatMessage existing = message(message_id);
    Database& db = m_store.database();
    Transaction transaction(db);
    // Deleting the children cascades to their descendants through parent_id.
    Statement remove(db, "DELETE FROM chat_message WHERE parent_id = ?");
    remove.bindInt(1, message_id).run();
    touch(existing.chat_id);
    transaction.commit();
}

ChatMessage Chats::message(std::int64_t message_id) const {
    Statement statement(m_store.database(), std::string(kMessageColumns) + " WHERE id = ?");
    if (!statement.bindInt(1, message_id).step()) {
        throw UserError(m_store.path() + ": no chat message with id " + std::to_string(message_id));
    }
    return readMessage(statement);
}

std::vector<ChatMessage> Chats::messages(std::int64_t chat_id) const {
    requireChat(chat_id);
    Statement statement(m_store.database(), std::string(kMessageColumns) + " WHERE chat_id = ? ORDER BY id");
    statement.bindInt(1, chat_id);
    std::vector<ChatMessage> result;
    while (statement.step()) {
        result.push_back(readMessage(statement));
    }
    return result;
}

std::vector<ChatMessage> Chats::activePath(std::int64_t chat_id) const {
    const std::vector<ChatMessage> all = messages(chat_id);
    // Messages come in id order, so the last child seen for a parent is its newest.
    std::map<std::int64_t, std::size_t> newest_child;  // parent id (0: root) -> index in `all`
    for (std::size_t i = 0; i < all.size(); ++i) {
        newest_child[all[i].parent_id.value_or(0)] = i;
    }
    std::vector<ChatMessage> path;
    for (auto found = newest_child.find(0); found != newest_child.end();
         found = newest_child.find(path.back().id)) {
        path.push_back(all[found->second]);
    }
    return path;
}

std::vector<ChatMessage> Chats::alternatives(std::int64_t message_id) const {
    const ChatMessage target = message(message_id);
    Statement statement(m_store.database(),
                        std::string(kMessageColumns) + " WHERE chat_id = ? AND parent_id IS ? ORDER BY id");
    statement.bindInt(1, target.chat_id).bindOptionalInt(2, target.parent_id);
    std::vector<ChatMessage> result;
    while (statement.step()) {
        result.push_back(readMessage(statement));
    }
    return result;
}

std::vector<SavedSystemPrompt> Chats::savedSystemPrompts() const {
    Statement statement(m_store.database(), "SELECT value FROM project_meta WHERE key = ?");
    std::vector<SavedSystemPrompt> result;
    if (!statement.bindText(1, kSystemPromptsKey).step()) {
        return result;
    }
    const nlohmann::json saved = parseObject(statement.columnText(0));
    for (const auto& [name, text] : saved.items()) {
        if (text.is_string()) {
            result.push_back({name, text.get<std::string>()});
        }
    }
    return result;
}

void Chats::saveSystemPrompt(const std::string& name, const std::string& text) {
    m_store.requireWritable();
    if (name.empty()) {
        throw UserError(m_store.path() + ": a saved system prompt needs a name");
    }
    std::vector<SavedSystemPrompt> prompts = savedSystemPrompts();
    const auto same = std::find_if(prompts.begin(), prompts.end(),
                                   [&name](const SavedSystemPrompt& prompt) { return prompt.name == name; });
    if (same != prompts.end()) {
        same->text = text;
    } else {
        prompts.push_back({name, text});
    }
    writeSystemPrompts(prompts);
}

bool Chats::removeSystemPrompt(const std::string& name) {
    m_store.requireWritable();
    std::vector<SavedSystemPrompt> prompts = savedSystemPrompts();
    const auto kept =
        std::remove_if(prompts.begin(), prompts.end(),
                       [&name](const SavedSystemPrompt& prompt) { return prompt.name == name; });
    if (kept == prompts.end()) {
        return false;
    }
    prompts.erase(kept, prompts.end());
    writeSystemPrompts(prompts);
    return true;
}

AbStored Chats::recordAbVerdict(const AbComparison& comparison) {
    m_store.requireWritable();
    checkComparison(comparison, m_store.path());
    Annotations annotations(m_store);
    const std::optional<std::int64_t> known = annotations.findAnnotator(comparison.annotator);
    const std::int64_t annotator_id =
        known ? *known : annotations.addAnnotator(comparison.annotator, AnnotatorKind::Human);
    ImportSession session(m_store, {kAbDatasetName, "chat playground", "chat_ab", /*append=*/true});
    session.add(abTree(comparison));
    const ImportSummary summary = session.commit();
    Database& db = m_store.database();
    AbStored stored;
    stored.record_id =
        db.queryInt("SELECT max(id) FROM record WHERE import_id = " + std::to_string(summary.import_id));
    try {
        // The replies are the last two messages in pre-order: left, then right.
        Statement replies(
            db, "SELECT id, parent_id FROM message WHERE record_id = ? ORDER BY position DESC LIMIT 2");
        replies.bindInt(1, stored.record_id);
        replies.step();
        stored.right_message_id = replies.columnInt(0);
        replies.step();
        stored.left_message_id = replies.columnInt(0);
        const std::int64_t parent_id = replies.columnInt(1);
        stored.task_id = annotations.createRankingTask(parent_id, 1);
        annotations.submitRanking(
            stored.task_id, annotator_id,
            abTiers(comparison.verdict, stored.left_message_id, stored.right_message_id),
            comparison.verdict == AbVerdict::BothBad);
        Statement comment(db, "UPDATE ranking SET comment = ? WHERE task_id = ? AND annotator_id = ?");
        comment.bindText(1, comparison.reason).bindInt(2, stored.task_id).bindInt(3, annotator_id).run();
    } catch (...) {
        // Keep the store consistent: no A/B record without its ranking.
        Statement remove(db, "DELETE FROM record WHERE id = ?");
        remove.bindInt(1, stored.record_id).run();
        throw;
    }
    return stored;
}

void Chats::requireChat(std::int64_t chat_id) const {
    Statement statement(m_store.database(), "SELECT 1 FROM chat WHERE id = ?");
    if (!statement.bindInt(1, chat_id).step()) {
        throw UserError(m_store.path() + ": no chat with id " + std::to_string(chat_id));
    }
}

void Chats::touch(std::int64_t chat_id) {
    Statement update(m_store.database(),
                     "UPDATE chat SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?");
    update.bindInt(1, chat_id).run();
}

void Chats::writeSystemPrompts(const std::vector<SavedSystemPrompt>& prompts) {
    nlohmann::json saved = nlohmann::json::object();
    for (const SavedSystemPrompt& prompt : prompts) {
        saved[prompt.name] = prompt.text;
    }
    Statement upsert(m_store.database(),
                     "INSERT INTO project_meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    upsert.bindText(1, kSystemPromptsKey).bindText(2, dumpJson(saved)).run();
}

}  // namespace vietllm::store
