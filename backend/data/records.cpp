#include "backend/data/records.h"

#include "backend/common/errors.h"

#include <cctype>
#include <initializer_list>
#include <utility>

namespace vietllm::data {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string fieldLabel(const std::string& field) {
    return "field \"" + field + "\"";
}

// Throws when `value` is not a string, naming the field and what it was instead.
const std::string& requireString(const json& value, const std::string& field) {
    if (!value.is_string()) {
        throw UserError(fieldLabel(field) + " must be a string, not " +
                        (value.is_null() ? std::string("null") : std::string(value.type_name())));
    }
    return value.get_ref<const std::string&>();
}

const json& requireKey(const json& object, const std::string& key, const std::string& field) {
    const auto found = object.find(key);
    if (found == object.end()) {
        throw UserError("missing " + fieldLabel(field));
    }
    return *found;
}

void requireObject(const json& value, const std::string& field) {
    if (!value.is_object()) {
        throw UserError(field.empty()
                            ? std::string("a record must be a JSON object, not ") + value.type_name()
                            : fieldLabel(field) + " must be an object, not " + value.type_name());
    }
}

std::optional<double> ratingFromJson(const json& object, const std::string& key) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return std::nullopt;
    }
    if (!found->is_number()) {
        throw UserError(fieldLabel(key) + " must be a number or null");
    }
    return found->get<double>();
}

ordered_json ratingToJson(const std::optional<double>& rating) {
    return rating ? ordered_json(*rating) : ordered_json(nullptr);
}

// Reads "chosen"/"rejected": a string, or TRL's list of one assistant message.
std::string replyFromJson(const json& object, const std::string& key) {
    const json& value = requireKey(object, key, key);
    if (value.is_array()) {
        const std::vector<Message> messages = messagesFromJson(value, key);
        if (messages.size() != 1 || messages.front().role != Role::Assistant) {
            throw UserError(fieldLabel(key) + " must be a string or a list of one assistant message");
        }
        return messages.front().content;
    }
    return requireString(value, key);
}

// Our formats keep unknown top-level keys in metadata so that nothing read is lost.
json metadataWithExtras(const json& object, std::initializer_list<const char*> own_keys) {
    json metadata = json::object();
    if (const auto found = object.find("metadata"); found != object.end() && !found->is_null()) {
        requireObject(*found, "metadata");
        metadata = *found;
    }
    for (const auto& [key, value] : object.items()) {
        bool own = key == "metadata";
        for (const char* own_key : own_keys) {
            own = own || key == own_key;
        }
        if (!own && !metadata.contains(key)) {
            metadata[key] = value;
        }
    }
    return metadata;
}

const char* oasstRoleName(Role role) {
    return role == Role::User ? "prompter" : roleName(role);
}

// Writes a node with its own fields first, then the kept source fields, then the replies.
ordered_json nodeToJson(const TreeNode& node, const std::string& parent_id) {
    ordered_json out;
    out["message_id"] = node.id;
    const json no_metadata = json::object();
    const json& metadata = node.metadata.is_object() ? node.metadata : no_metadata;
    if (const auto kept_parent = metadata.find("parent_id"); kept_parent != metadata.end()) {
        out["parent_id"] = *kept_parent;
    } else if (!parent_id.empty()) {
        out["parent_id"] = parent_id;
    }
    out["text"] = node.content;
    out["role"] = oasstRoleName(node.role);
    if (!node.lang.empty()) {
        out["lang"] = node.lang;
    }
    if (node.rank) {
        out["rank"] = *node.rank;
    }
    for (const auto& [key, value] : metadata.items()) {
        if (!out.contains(key) && key != "replies") {
            out[key] = value;
        }
    }
    ordered_json replies = ordered_json::array();
    for (const TreeNode& reply : node.replies) {
        replies.push_back(nodeToJson(reply, node.id));
    }
    out["replies"] = std::move(replies);
    return out;
}

// Reads one message node; source fields we do not model stay in metadata, as they were.
TreeNode nodeFromJson(const json& value, const std::string& field) {
    requireObject(value, field);
    TreeNode node;
    node.id = requireString(requireKey(value, "message_id", field + ".message_id"), field + ".message_id");
    node.content = requireString(requireKey(value, "text", field + ".text"), field + ".text");
    const std::string role = requireString(requireKey(value, "role", field + ".role"), field + ".role");
    node.role = parseRole(role);
    if (node.role == Role::Invalid) {
        throw UserError(fieldLabel(field + ".role") + ": unknown role \"" + role + "\"");
    }
    node.metadata = json::object();
    for (const auto& [key, item] : value.items()) {
        if (key == "lang" && item.is_string() && !item.get_ref<const std::string&>().empty()) {
            node.lang = item.get<std::string>();
        } else if (key == "rank" && item.is_number_integer()) {
            node.rank = item.get<int>();
        } else if (key != "message_id" && key != "text" && key != "role" && key != "replies") {
            node.metadata[key] = item;
        }
    }
    if (const auto replies = value.find("replies"); replies != value.end() && !replies->is_null()) {
        if (!replies->is_array()) {
            throw UserError(fieldLabel(field + ".replies") + " must be a list");
        }
        for (std::size_t i = 0; i < replies->size(); ++i) {
            node.replies.push_back(
                nodeFromJson((*replies)[i], field + ".replies[" + std::to_string(i) + "]"));
        }
    }
    return node;
}

}  // namespace

const char* roleName(Role role) {
    switch (role) {
        case Role::System:
            return "system";
        case Role::User:
            return "user";
        case Role::Assistant:
            return "assistant";
        case Role::Invalid:
            break;
    }
    return "invalid";
}

Role parseRole(std::string_view name) {
    std::string lower;
    for (const char c : name) {
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (lower == "system") {
        return Role::System;
    }
    if (lower == "user" || lower == "human" || lower == "prompter") {
        return Role::User;
    }
    if (lower == "assistant" || lower == "gpt" || lower == "bot" || lower == "model" || lower == "chatgpt") {
        return Role::Assistant;
    }
    return Role::Invalid;
}

ordered_json toJson(const Provenance& provenance) {
    ordered_json out;
    out["source"] = provenance.source;
    out["licence"] = provenance.licence;
    out["original_id"] = provenance.original_id;
    out["transformations"] = provenance.transformations;
    return out;
}

Provenance provenanceFromJson(const json& value) {
    requireObject(value, "provenance");
    Provenance provenance;
    const auto readString = [&](const char* key, std::string& target) {
        if (const auto found = value.find(key); found != value.end() && !found->is_null()) {
            target = requireString(*found, std::string("provenance.") + key);
        }
    };
    readString("source", provenance.source);
    readString("licence", provenance.licence);
    readString("original_id", provenance.original_id);
    if (const auto found = value.find("transformations"); found != value.end() && !found->is_null()) {
        if (!found->is_array()) {
            throw UserError(fieldLabel("provenance.transformations") + " must be a list of strings");
        }
        for (const json& step : *found) {
            provenance.transformations.push_back(requireString(step, "provenance.transformations"));
        }
    }
    return provenance;
}

ordered_json toJson(const std::vector<Message>& messages) {
    ordered_json list = ordered_json::array();
    for (const Message& message : messages) {
        ordered_json item;
        item["role"] = roleName(message.role);
        item["content"] = message.content;
        list.push_back(std::move(item));
    }
    return list;
}

std::vector<Message> messagesFromJson(const json& value, const std::string& field) {
    if (!value.is_array()) {
        throw UserError(fieldLabel(field) + " must be a list of {role, content} messages");
    }
    std::vector<Message> messages;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string item_field = field + "[" + std::to_string(i) + "]";
        requireObject(value[i], item_field);
        const std::string role =
            requireString(requireKey(value[i], "role", item_field + ".role"), item_field + ".role");
        Message message;
        message.role = parseRole(role);
        if (message.role == Role::Invalid) {
            throw UserError(fieldLabel(item_field + ".role") + ": unknown role \"" + role + "\"");
        }
        message.content =
            requireString(requireKey(value[i], "content", item_field + ".content"), item_field + ".content");
        messages.push_back(std::move(message));
    }
    return messages;
}

ordered_json toJson(const Conversation& conversation) {
    ordered_json out;
    out["messages"] = toJson(conversation.messages);
    out["provenance"] = toJson(conversation.provenance);
    out["metadata"] = conversation.metadata;
    return out;
}

Conversation conversationFromJson(const json& value) {
    requireObject(value, "");
    Conversation conversation;
    conversation.messages = messagesFromJson(requireKey(value, "messages", "messages"), "messages");
    if (conversation.messages.empty()) {
        throw UserError(fieldLabel("messages") + " is empty");
    }
    if (const auto found = value.find("provenance"); found != value.end() && !found->is_null()) {
        conversation.provenance = provenanceFromJson(*found);
    }
    conversation.metadata = metadataWithExtras(value, {"messages", "provenance"});
    return conversation;
}

ordered_json toJson(const PreferencePair& pair) {
    ordered_json out;
    out["prompt"] = toJson(pair.prompt);
    out["chosen"] = pair.chosen;
    out["rejected"] = pair.rejected;
    out["chosen_rating"] = ratingToJson(pair.chosen_rating);
    out["rejected_rating"] = ratingToJson(pair.rejected_rating);
    out["provenance"] = toJson(pair.provenance);
    out["metadata"] = pair.metadata;
    return out;
}

PreferencePair preferencePairFromJson(const json& value) {
    requireObject(value, "");
    PreferencePair pair;
    pair.prompt = messagesFromJson(requireKey(value, "prompt", "prompt"), "prompt");
    if (pair.prompt.empty() || pair.prompt.back().role != Role::User) {
        throw UserError(fieldLabel("prompt") + " must end with a user message");
    }
    pair.chosen = replyFromJson(value, "chosen");
    pair.rejected = replyFromJson(value, "rejected");
    pair.chosen_rating = ratingFromJson(value, "chosen_rating");
    pair.rejected_rating = ratingFromJson(value, "rejected_rating");
    if (const auto found = value.find("provenance"); found != value.end() && !found->is_null()) {
        pair.provenance = provenanceFromJson(*found);
    }
    pair.metadata = metadataWithExtras(
        value, {"prompt", "chosen", "rejected", "chosen_rating", "rejected_rating", "provenance"});
    return pair;
}

ordered_json toOasstJson(const ConversationTree& tree) {
    ordered_json out;
    out["message_tree_id"] = tree.tree_id;
    if (tree.metadata.is_object()) {
        for (const auto& [key, value] : tree.metadata.items()) {
            if (key != "message_tree_id" && key != "prompt") {
                out[key] = value;
            }
        }
    }
    out["prompt"] = nodeToJson(tree.root, "");
    return out;
}

ordered_json toJson(const ConversationTree& tree) {
    ordered_json out = toOasstJson(tree);
    out["provenance"] = toJson(tree.provenance);
    return out;
}

ConversationTree treeFromJson(const json& value) {
    requireObject(value, "");
    ConversationTree tree;
    tree.root = nodeFromJson(requireKey(value, "prompt", "prompt"), "prompt");
    tree.tree_id = tree.root.id;
    if (const auto found = value.find("message_tree_id"); found != value.end()) {
        tree.tree_id = requireString(*found, "message_tree_id");
    }
    if (const auto found = value.find("provenance"); found != value.end() && !found->is_null()) {
        tree.provenance = provenanceFromJson(*found);
    }
    for (const auto& [key, item] : value.items()) {
        if (key != "message_tree_id" && key != "prompt" && key != "provenance") {
            tree.metadata[key] = item;
        }
    }
    return tree;
}

ordered_json toJson(const Record& record) {
    return std::visit([](const auto& value) { return toJson(value); }, record);
}

}  // namespace vietllm::data
