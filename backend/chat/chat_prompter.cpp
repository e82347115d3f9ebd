#include "backend/chat/chat_prompter.h"

#include "backend/common/errors.h"
#include "backend/tokenizer/tokenizer.h"

#include <optional>
#include <utility>

namespace vietllm::chat {
namespace {

std::string joinedTemplateNames() {
    std::string names;
    for (const std::string& name : templateNames()) {
        names += (names.empty() ? "" : ", ") + name;
    }
    return names;
}

// Index of the first message after a leading system message.
std::size_t firstTurn(const std::vector<data::Message>& messages) {
    return !messages.empty() && messages.front().role == data::Role::System ? 1 : 0;
}

}  // namespace

TemplateKind resolveTemplate(const std::string& model_dir, TemplateKind requested, UnknownTemplate unknown) {
    if (requested != TemplateKind::Invalid) {
        return requested;
    }
    const TemplateKind kind = detectTemplateInFolder(model_dir);
    if (kind != TemplateKind::Invalid) {
        return kind;
    }
    if (unknown == UnknownTemplate::UsePlain) {
        return TemplateKind::Plain;
    }
    throw UserError(model_dir +
                    "/tokenizer_config.json: its chat_template is not one we know; name one with " +
                    "--template (" + joinedTemplateNames() + ")");
}

TemplateKind resolveTemplate(const std::string& model_dir, const std::string& name) {
    if (name.empty()) {
        return resolveTemplate(model_dir, TemplateKind::Invalid, UnknownTemplate::Refuse);
    }
    const TemplateKind kind = parseTemplateName(name);
    if (kind == TemplateKind::Invalid) {
        throw UserError("option --template: unknown chat template '" + name + "' (" + joinedTemplateNames() +
                        ")");
    }
    return kind;
}

ChatPrompter::ChatPrompter(const tokenizer::Tokenizer& tokenizer, TemplateKind kind,
                           RenderOptions render_options)
    : m_tokenizer(tokenizer), m_kind(kind), m_render_options(std::move(render_options)) {
    m_render_options.add_generation_prompt = true;
}

ChatPrompter ChatPrompter::forModel(const tokenizer::Tokenizer& tokenizer, const std::string& model_dir,
                                    TemplateKind requested, UnknownTemplate unknown) {
    return ChatPrompter(tokenizer, resolveTemplate(model_dir, requested, unknown),
                        renderOptionsInFolder(model_dir));
}

std::vector<std::int32_t> ChatPrompter::encode(const std::vector<data::Message>& messages) const {
    const std::string text = render(m_kind, messages, m_render_options).text();
    return m_tokenizer.encode(text, !templateWritesBos(m_kind));
}

void ChatPrompter::addEndOfTurnStops(std::vector<std::int32_t>& stop_ids,
                                     std::vector<std::string>& stop_strings) const {
    for (const std::string& marker : endOfTurnTokens(m_kind, m_render_options)) {
        if (const std::optional<tokenizer::TokenId> id = m_tokenizer.tokenId(marker)) {
            stop_ids.push_back(*id);
        } else {
            stop_strings.push_back(marker);
        }
    }
}

std::vector<std::int32_t> ChatPrompter::fit(std::vector<data::Message>& messages, std::size_t context,
                                            std::size_t reserve, std::size_t& dropped) const {
    dropped = 0;
    std::vector<std::int32_t> ids = encode(messages);
    const std::size_t first = firstTurn(messages);
    while (ids.size() + reserve > context && messages.size() > first + 1) {
        messages.erase(messages.begin() + static_cast<std::ptrdiff_t>(first));
        ++dropped;
        // A reply left without its question goes too, so turns still alternate.
        if (messages.size() > first + 1 && messages[first].role == data::Role::Assistant) {
            messages.erase(messages.begin() + static_cast<std::ptrdiff_t>(first));
            ++dropped;
        }
        ids = encode(messages);
    }
    return ids;
}

}  // namespace vietllm::chat
