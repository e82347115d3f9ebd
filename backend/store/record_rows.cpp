#include "backend/store/record_rows.h"

#include "backend/common/errors.h"

#include <stdexcept>
#include <utility>

namespace vietllm::store {

namespace {

MessageRow plainRow(const data::Message& message, std::optional<std::size_t> parent_position) {
    if (message.role == data::Role::Invalid) {
        throw UserError("a message has no valid role");
    }
    MessageRow row;
    row.parent_position = parent_position;
    row.role = message.role;
    row.content = message.content;
    return row;
}

// Appends `messages` as a chain under `parent_position`; returns the position of the last one.
std::optional<std::size_t> appendChain(std::vector<MessageRow>& rows,
                                       const std::vector<data::Message>& messages,
                                       std::optional<std::size_t> parent_position) {
    for (const data::Message& message : messages) {
        rows.push_back(plainRow(message, parent_position));
        parent_position = rows.size() - 1;
    }
    return parent_position;
}

void flattenConversation(const data::Conversation& conversation, RecordRows& rows) {
    appendChain(rows.messages, conversation.messages, std::nullopt);
    rows.provenance = conversation.provenance;
    rows.metadata = conversation.metadata;
}

void flattenPreference(const data::PreferencePair& pair, RecordRows& rows) {
    const std::optional<std::size_t> last_prompt = appendChain(rows.messages, pair.prompt, std::nullopt);
    MessageRow chosen = plainRow({data::Role::Assistant, pair.chosen}, last_prompt);
    chosen.slot = PreferenceSlot::Chosen;
    chosen.rating = pair.chosen_rating;
    MessageRow rejected = plainRow({data::Role::Assistant, pair.rejected}, last_prompt);
    rejected.slot = PreferenceSlot::Rejected;
    rejected.rating = pair.rejected_rating;
    rows.messages.push_back(std::move(chosen));
    rows.messages.push_back(std::move(rejected));
    rows.provenance = pair.provenance;
    rows.metadata = pair.metadata;
}

// Pre-order walk with an explicit stack: a hostile file cannot overflow the call stack.
void flattenTree(const data::ConversationTree& tree, RecordRows& rows) {
    std::vector<std::pair<const data::TreeNode*, std::optional<std::size_t>>> pending = {
        {&tree.root, std::nullopt}};
    while (!pending.empty()) {
        const auto [node, parent_position] = pending.back();
        pending.pop_back();
        MessageRow row = plainRow({node->role, node->content}, parent_position);
        row.external_id = node->id;
        row.rank = node->rank;
        row.lang = node->lang;
        row.metadata = node->metadata;
        rows.messages.push_back(std::move(row));
        const std::size_t position = rows.messages.size() - 1;
        for (auto reply = node->replies.rbegin(); reply != node->replies.rend(); ++reply) {
            pending.emplace_back(&*reply, position);
        }
    }
    rows.tree_id = tree.tree_id;
    rows.provenance = tree.provenance;
    rows.metadata = tree.metadata;
}

[[noreturn]] void damaged(const char* what) {
    throw std::runtime_error(std::string("damaged record in the project: ") + what);
}

data::Conversation assembleConversation(RecordRows&& rows) {
    data::Conversation conversation;
    for (MessageRow& row : rows.messages) {
        conversation.messages.push_back({row.role, std::move(row.content)});
    }
    conversation.provenance = std::move(rows.provenance);
    conversation.metadata = std::move(rows.metadata);
    return conversation;
}

data::PreferencePair assemblePreference(RecordRows&& rows) {
    data::PreferencePair pair;
    int replies_seen = 0;
    for (MessageRow& row : rows.messages) {
        if (row.slot == PreferenceSlot::Chosen) {
            pair.chosen = std::move(row.content);
            pair.chosen_rating = row.rating;
            ++replies_seen;
        } else if (row.slot == PreferenceSlot::Rejected) {
            pair.rejected = std::move(row.content);
            pair.rejected_rating = row.rating;
            ++replies_seen;
        } else {
            pair.prompt.push_back({row.role, std::move(row.content)});
        }
    }
    if (replies_seen != 2) {
        damaged("a preference pair without exactly one chosen and one rejected reply");
    }
    pair.provenance = std::move(rows.provenance);
    pair.metadata = std::move(rows.metadata);
    return pair;
}

// Rows are in pre-order, so every child comes after its parent: filling parents from the last
// row backwards finds each child already complete.
data::ConversationTree assembleTree(RecordRows&& rows) {
    const std::size_t count = rows.messages.size();
    if (count == 0 || rows.messages.front().parent_position) {
        damaged("a conversation tree without a root message");
    }
    std::vector<data::TreeNode> nodes(count);
    std::vector<std::vector<std::size_t>> children(count);
    for (std::size_t i = 0; i < count; ++i) {
        MessageRow& row = rows.messages[i];
        if (i > 0 && (!row.parent_position || *row.parent_position >= i)) {
            damaged("a conversation tree whose messages are not in pre-order");
        }
        if (i > 0) {
            children[*row.parent_position].push_back(i);
        }
        nodes[i].id = std::move(row.external_id);
        nodes[i].role = row.role;
        nodes[i].content = std::move(row.content);
        nodes[i].rank = row.rank;
        nodes[i].lang = std::move(row.lang);
        nodes[i].metadata = std::move(row.metadata);
    }
    for (std::size_t i = count; i-- > 0;) {
        for (const std::size_t child : children[i]) {
            nodes[i].replies.push_back(std::move(nodes[child]));
        }
    }
    data::ConversationTree tree;
    tree.tree_id = std::move(rows.tree_id);
    tree.root = std::move(nodes.front());
    tree.provenance = std::move(rows.provenance);
    tree.metadata = std::move(rows.metadata);
    return tree;
}

}  // namespace

const char* recordKindName(RecordKind kind) {
    switch (kind) {
        case RecordKind::Conversation:
            return "conversation";
        case RecordKind::Preference:
            return "preference";
        case RecordKind::Tree:
            return "tree";
        case RecordKind::Invalid:
            break;
    }
    return "invalid";
}

RecordKind parseRecordKind(std::string_view name) {
    for (const RecordKind kind : {RecordKind::Conversation, RecordKind::Preference, RecordKind::Tree}) {
        if (name == recordKindName(kind)) {
            return kind;
        }
    }
    return RecordKind::Invalid;
}

RecordKind kindOf(const data::Record& record) {
    if (std::holds_alternative<data::Conversation>(record)) {
        return RecordKind::Conversation;
    }
    if (std::holds_alternative<data::PreferencePair>(record)) {
        return RecordKind::Preference;
    }
    return RecordKind::Tree;
}

RecordRows flattenRecord(const data::Record& record) {
    RecordRows rows;
    rows.kind = kindOf(record);
    if (const auto* conversation = std::get_if<data::Conversation>(&record)) {
        flattenConversation(*conversation, rows);
    } else if (const auto* pair = std::get_if<data::PreferencePair>(&record)) {
        flattenPreference(*pair, rows);
    } else {
        flattenTree(std::get<data::ConversationTree>(record), rows);
    }
    return rows;
}

data::Record assembleRecord(RecordRows&& rows) {
    switch (rows.kind) {
        case RecordKind::Conversation:
            return assembleConversation(std::move(rows));
        case RecordKind::Preference:
            return assemblePreference(std::move(rows));
        case RecordKind::Tree:
            return assembleTree(std::move(rows));
        case RecordKind::Invalid:
            break;
    }
    damaged("an unknown record kind");
}

}  // namespace vietllm::store
