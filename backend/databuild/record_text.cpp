#include "backend/databuild/record_text.h"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace vietllm::databuild {

namespace {

template <typename Node, typename Visit>
void visitTreeNode(Node& node, const Visit& visit) {
    visit(node.role, node.content);
    for (auto& reply : node.replies) {
        visitTreeNode(reply, visit);
    }
}

template <typename RecordT, typename Visit>
void visitTexts(RecordT& record, const Visit& visit) {
    std::visit(
        [&](auto& item) {
            using Item = std::decay_t<decltype(item)>;
            if constexpr (std::is_same_v<Item, data::Conversation>) {
                for (auto& message : item.messages) {
                    visit(message.role, message.content);
                }
            } else if constexpr (std::is_same_v<Item, data::PreferencePair>) {
                for (auto& message : item.prompt) {
                    visit(message.role, message.content);
                }
                visit(data::Role::Assistant, item.chosen);
                visit(data::Role::Assistant, item.rejected);
            } else {
                visitTreeNode(item.root, visit);
            }
        },
        record);
}

bool isFenceLine(std::string_view line) {
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return false;
    }
    const std::string_view rest = line.substr(first);
    return rest.rfind("```", 0) == 0 || rest.rfind("~~~", 0) == 0;
}

// Calls `on_line(line, inside_code)` for each line of `text` (without its line end; a CR before
// the LF is dropped). Fence lines themselves count as inside code.
template <typename OnLine>
void forEachLine(std::string_view text, const OnLine& on_line) {
    bool in_code = false;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        const bool last = end == std::string_view::npos;
        if (last) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        const bool fence = isFenceLine(line);
        on_line(line, in_code || fence, last);
        if (fence) {
            in_code = !in_code;
        }
        if (last) {
            break;
        }
        start = end + 1;
    }
}

}  // namespace

void forEachText(data::Record& record, const std::function<void(data::Role, std::string&)>& visit) {
    visitTexts(record, visit);
}

void forEachText(const data::Record& record,
                 const std::function<void(data::Role, const std::string&)>& visit) {
    visitTexts(record, visit);
}

data::Provenance& provenanceOf(data::Record& record) {
    return std::visit([](auto& item) -> data::Provenance& { return item.provenance; }, record);
}

const data::Provenance& provenanceOf(const data::Record& record) {
    return std::visit([](const auto& item) -> const data::Provenance& { return item.provenance; }, record);
}

std::string recordId(const data::Record& record) {
    return provenanceOf(record).original_id;
}

std::string sourceItemKey(const data::Record& record) {
    const data::Provenance& provenance = provenanceOf(record);
    std::string item = provenance.original_id;
    std::visit(
        [&](const auto& value) {
            using Item = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<Item, data::ConversationTree>) {
                if (!value.tree_id.empty()) {
                    item = value.tree_id;
                }
            } else {
                const auto tree_id = value.metadata.find("message_tree_id");
                if (tree_id != value.metadata.end() && tree_id->is_string()) {
                    item = tree_id->template get<std::string>();
                }
            }
        },
        record);
    return provenance.source + '\x1f' + item;
}

std::string proseText(std::string_view text) {
    std::string prose;
    prose.reserve(text.size());
    forEachLine(text, [&](std::string_view line, bool inside_code, bool) {
        if (!inside_code) {
            prose.append(line);
            prose.push_back('\n');
        }
    });
    return prose;
}

std::string normalizeMultiline(std::string_view text, const text::NormalizeOptions& options) {
    std::string out;
    out.reserve(text.size());
    forEachLine(text, [&](std::string_view line, bool inside_code, bool last) {
        if (inside_code) {
            out += text::toNfc(line);
        } else {
            const std::size_t indent = std::min(line.find_first_not_of(" \t"), line.size());
            const std::string body = text::normalize(line.substr(indent), options);
            if (!body.empty()) {
                out.append(line.substr(0, indent));
                out += body;
            }
        }
        if (!last) {
            out.push_back('\n');
        }
    });
    const std::size_t end = out.find_last_not_of('\n');
    out.erase(end == std::string::npos ? 0 : end + 1);
    return out;
}

std::string joinedText(const data::Record& record) {
    std::string joined;
    forEachText(record, [&](data::Role role, const std::string& text) {
        joined += data::roleName(role);
        joined += ": ";
        joined += text;
        joined += '\n';
    });
    return joined;
}

}  // namespace vietllm::databuild
