// Conversions between record kinds: trees to conversations and preference pairs, and back.

#include "backend/data/formats.h"

#include <algorithm>
#include <set>

namespace vietllm::data {

namespace {

using Path = std::vector<const TreeNode*>;

void collectLeafPaths(const TreeNode& node, Path& path, std::vector<Path>& paths) {
    path.push_back(&node);
    if (node.replies.empty()) {
        paths.push_back(path);
    }
    for (const TreeNode& reply : node.replies) {
        collectLeafPaths(reply, path, paths);
    }
    path.pop_back();
}

std::vector<Message> pathMessages(const Path& path) {
    std::vector<Message> messages;
    for (const TreeNode* node : path) {
        messages.push_back({node->role, node->content});
    }
    return messages;
}

nlohmann::json pathIds(const Path& path) {
    nlohmann::json ids = nlohmann::json::array();
    for (const TreeNode* node : path) {
        ids.push_back(node->id);
    }
    return ids;
}

// Metadata naming where in the tree a derived record came from.
nlohmann::json treeMetadata(const ConversationTree& tree) {
    nlohmann::json metadata = {{"message_tree_id", tree.tree_id}};
    if (!tree.root.lang.empty()) {
        metadata["lang"] = tree.root.lang;
    }
    return metadata;
}

Conversation pathConversation(const ConversationTree& tree, const Path& path) {
    Conversation conversation;
    conversation.messages = pathMessages(path);
    conversation.provenance = tree.provenance;
    conversation.metadata = treeMetadata(tree);
    conversation.metadata["message_ids"] = pathIds(path);
    return conversation;
}

void collectPairs(const ConversationTree& tree, const TreeNode& node, Path& path,
                  std::vector<PreferencePair>& pairs) {
    path.push_back(&node);
    std::vector<const TreeNode*> ranked;
    for (const TreeNode& reply : node.replies) {
        if (reply.rank && reply.role == Role::Assistant) {
            ranked.push_back(&reply);
        }
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const TreeNode* left, const TreeNode* right) { return *left->rank < *right->rank; });
    for (std::size_t better = 0; node.role == Role::User && better < ranked.size(); ++better) {
        for (std::size_t worse = better + 1; worse < ranked.size(); ++worse) {
            if (*ranked[better]->rank == *ranked[worse]->rank) {
                continue;
            }
            PreferencePair pair;
            pair.prompt = pathMessages(path);
            pair.chosen = ranked[better]->content;
            pair.rejected = ranked[worse]->content;
            pair.provenance = tree.provenance;
            pair.metadata = treeMetadata(tree);
            pair.metadata["prompt_message_ids"] = pathIds(path);
            pair.metadata["chosen_message_id"] = ranked[better]->id;
            pair.metadata["rejected_message_id"] = ranked[worse]->id;
            pair.metadata["chosen_rank"] = *ranked[better]->rank;
            pair.metadata["rejected_rank"] = *ranked[worse]->rank;
            pairs.push_back(std::move(pair));
        }
    }
    for (const TreeNode& reply : node.replies) {
        collectPairs(tree, reply, path, pairs);
    }
    path.pop_back();
}

// Ids for generated trees: the record's original id (or "record") plus a suffix.
std::string nodeId(const Provenance& provenance, const std::string& suffix) {
    return (provenance.original_id.empty() ? std::string("record") : provenance.original_id) + "/" + suffix;
}

// Builds a chain of nodes for `messages` under `root` and returns the last node.
TreeNode* buildChain(const std::vector<Message>& messages, const Provenance& provenance, TreeNode& root) {
    TreeNode* last = nullptr;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        TreeNode* node = last == nullptr ? &root : &last->replies.emplace_back();
        node->id = nodeId(provenance, std::to_string(i));
        node->role = messages[i].role;
        node->content = messages[i].content;
        last = node;
    }
    return last;
}

}  // namespace

std::vector<Conversation> conversationsFromTree(const ConversationTree& tree) {
    std::vector<Path> paths;
    Path path;
    collectLeafPaths(tree.root, path, paths);
    std::vector<Conversation> conversations;
    for (const Path& leaf_path : paths) {
        conversations.push_back(pathConversation(tree, leaf_path));
    }
    return conversations;
}

std::vector<Conversation> answeredConversationsFromTree(const ConversationTree& tree) {
    std::vector<Path> paths;
    Path path;
    collectLeafPaths(tree.root, path, paths);
    std::set<const TreeNode*> written_ends;
    std::vector<Conversation> conversations;
    for (Path leaf_path : paths) {
        while (!leaf_path.empty() && leaf_path.back()->role != Role::Assistant) {
            leaf_path.pop_back();
        }
        if (!leaf_path.empty() && written_ends.insert(leaf_path.back()).second) {
            conversations.push_back(pathConversation(tree, leaf_path));
        }
    }
    return conversations;
}

std::vector<PreferencePair> preferencePairsFromTree(const ConversationTree& tree) {
    std::vector<PreferencePair> pairs;
    Path path;
    collectPairs(tree, tree.root, path, pairs);
    return pairs;
}

Conversation chosenConversation(const PreferencePair& pair) {
    Conversation conversation;
    conversation.messages = pair.prompt;
    conversation.messages.push_back({Role::Assistant, pair.chosen});
    conversation.provenance = pair.provenance;
    conversation.metadata = pair.metadata;
    if (pair.chosen_rating) {
        conversation.metadata["chosen_rating"] = *pair.chosen_rating;
    }
    return conversation;
}

ConversationTree treeFromConversation(const Conversation& conversation) {
    ConversationTree tree;
    buildChain(conversation.messages, conversation.provenance, tree.root);
    tree.tree_id = tree.root.id;
    tree.provenance = conversation.provenance;
    tree.metadata = conversation.metadata;
    return tree;
}

ConversationTree treeFromPreferencePair(const PreferencePair& pair) {
    ConversationTree tree;
    TreeNode* last = buildChain(pair.prompt, pair.provenance, tree.root);
    const auto addReply = [&](const std::string& content, int rank, const std::optional<double>& rating) {
        TreeNode& reply = last == nullptr ? tree.root : last->replies.emplace_back();
        reply.id = nodeId(pair.provenance, rank == 0 ? "chosen" : "rejected");
        reply.role = Role::Assistant;
        reply.content = content;
        reply.rank = rank;
        if (rating) {
            reply.metadata["rating"] = *rating;
        }
    };
    addReply(pair.chosen, 0, pair.chosen_rating);
    addReply(pair.rejected, 1, pair.rejected_rating);
    tree.tree_id = tree.root.id;
    tree.provenance = pair.provenance;
    tree.metadata = pair.metadata;
    return tree;
}

}  // namespace vietllm::data
