#pragma once
// Conversations into prompt token ids for one model: its chat template (named or detected from
// the model folder), its BOS/EOS texts, the end-of-turn markers generation must stop at, and
// trimming of a long history to the model's context. Shared by `vietllm-cli chat` and the
// OpenAI-compatible server.

#include "backend/chat/chat_template.h"
#include "backend/data/records.h"
#include "backend/sample/engine.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::tokenizer {
class Tokenizer;
}

namespace vietllm::serve {

/// The chat template of `model_dir`: `name` when not empty (UserError naming --template when
/// unknown), else the one detected from its tokenizer_config.json and config.json (UserError
/// asking for --template when the folder's template is one we do not know).
chat::TemplateKind resolveTemplate(const std::string& model_dir, const std::string& name);

class ChatPrompter {
public:
    /// A prompter for `tokenizer` (which must outlive it) and the template `kind` (not Invalid).
    ChatPrompter(const tokenizer::Tokenizer& tokenizer, chat::TemplateKind kind,
                 chat::RenderOptions render_options);

    /// Token ids of `messages` rendered with the template and the opening of an assistant turn.
    /// Throws UserError when the roles do not fit the template.
    std::vector<std::int32_t> encode(const std::vector<data::Message>& messages) const;

    /// Adds the template's end-of-turn markers to `options`: as stop ids where the tokenizer has
    /// them as one token, as stop strings otherwise.
    void addEndOfTurnStops(sample::GenerationOptions& options) const;

    /// Drops the oldest messages after the system message (a user turn with the reply that
    /// follows it) until the prompt plus `reserve` tokens fits in `context`, never the last
    /// message. Returns the prompt ids of what is left and sets `dropped` to the messages removed;
    /// the prompt may still be longer than `context` when only the last message is left.
    std::vector<std::int32_t> fit(std::vector<data::Message>& messages, std::size_t context,
                                  std::size_t reserve, std::size_t& dropped) const;

    chat::TemplateKind kind() const { return m_kind; }

private:
    const tokenizer::Tokenizer& m_tokenizer;
    chat::TemplateKind m_kind;
    chat::RenderOptions m_render_options;
};

}  // namespace vietllm::serve
