#include "backend/serve/chat_prompt.h"

#include "backend/common/errors.h"
#include "backend/tokenizer/tokenizer.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace vietllm::serve {
namespace {

std::string joinedTemplateNames() {
    std::string names;
    for (const std::string& name : chat::templateNames()) {
        names += (names.empty() ? "" : ", ") + name;
    }
    return names;
}

// Index of the first message after a leading system message.
std::size_t firstTurn(const std::vector<data::Message>& messages) {
    return !messages.empty() && messages.front().role == data::Role::System ? 1 : 0;
}

}  // namespace

chat::TemplateKind resolveTemplate(const std::string& model_dir, const std::string& name) {
    if (!name.empty()) {
        const chat::TemplateKind kind = chat::parseTemplateName(name);
        if (kind == chat::TemplateKind::Invalid) {
            throw UserError("option --template: unknown chat template '" + name + "' (" +
                            joinedTemplateNames() + ")");
        }
        return kind;
    }
    const chat::TemplateKind kind = chat::detectTemplateInFolder(model_dir);
    if (kind == chat::TemplateKind::Invalid) {
        throw UserError(model_dir +
                        "/tokenizer_config.json: its chat_template is not one we know; name one with " +
                        "--template (" + joinedTemplateNames() + ")");
    }
    return kind;
}

ChatPrompter::ChatPrompter(const tokenizer::Tokenizer& tokenizer, chat::TemplateKind kind,
                           chat::RenderOptions render_options)
    : m_tokenizer(tokenizer), m_kind(kind), m_render_options(std::move(render_options)) {
    m_render_options.add_generation_prompt = true;
}

std::vector<std::int32_t> ChatPrompter::encode(const std::vector<data::Message>& messages) const {
    const std::string text = chat::render(m_kind, messages, m_render_options).text();
    return m_tokenizer.encode(text, !chat::templateWritesBos(m_kind));
}

void ChatPrompter::addEndOfTurnStops(sample::GenerationOptions& options) const {
    for (const std::string& marker : chat::endOfTurnTokens(m_kind, m_render_options)) {
        if (const std::optional<tokenizer::TokenId> id = m_tokenizer.tokenId(marker)) {
            options.stop_token_ids.push_back(*id);
        } else {
            options.stop_strings.push_back(marker);
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

}  // namespace vietllm::serve
