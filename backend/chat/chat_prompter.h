#pragma once
// Conversations into prompt token ids for one model: which chat template it uses (named, or
// detected from the model folder), its BOS/EOS texts, whether the tokenizer adds BOS (not when the
// template writes it), the end-of-turn markers generation must stop at, and trimming of a long
// history to the model's context. The one place that decides this for every caller that prompts a
// model with a chat: `vietllm-cli chat`, the OpenAI-compatible server, evaluation's generation
// tasks, the Chat panel and the Ranking panel's candidates.

#include "backend/chat/chat_template.h"
#include "backend/data/records.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::tokenizer {
class Tokenizer;
}

namespace vietllm::chat {

/// What to do when a model folder's chat template is not one we know.
enum class UnknownTemplate {
    Invalid = 0,
    Refuse,    ///< UserError asking for --template (the CLI, where the user can name one)
    UsePlain,  ///< the plain form, which still lets the model continue the text (GUI, evaluation)
};

/// The chat template of `model_dir`: `requested` when not Invalid, else the one detected from its
/// tokenizer_config.json and config.json, an unknown one handled as `unknown` says.
TemplateKind resolveTemplate(const std::string& model_dir, TemplateKind requested, UnknownTemplate unknown);

/// The command-line form: the template called `name` when not empty (UserError naming --template
/// when unknown), else the folder's (UserError asking for --template when unknown).
TemplateKind resolveTemplate(const std::string& model_dir, const std::string& name);

class ChatPrompter {
public:
    /// A prompter for `tokenizer` (which must outlive it) and the template `kind` (not Invalid).
    ChatPrompter(const tokenizer::Tokenizer& tokenizer, TemplateKind kind, RenderOptions render_options);

    /// The prompter of the model in `model_dir`: the template resolveTemplate() gives and the
    /// BOS/EOS texts of the folder's tokenizer_config.json.
    static ChatPrompter forModel(const tokenizer::Tokenizer& tokenizer, const std::string& model_dir,
                                 TemplateKind requested, UnknownTemplate unknown);

    /// Token ids of `messages` rendered with the template and the opening of an assistant turn,
    /// with the tokenizer's BOS only when the template does not write it. Throws UserError when the
    /// roles do not fit the template.
    std::vector<std::int32_t> encode(const std::vector<data::Message>& messages) const;

    /// Appends the template's end-of-turn markers to a generation's stops: to `stop_ids` where
    /// the tokenizer has the marker as one token, to `stop_strings` otherwise.
    void addEndOfTurnStops(std::vector<std::int32_t>& stop_ids, std::vector<std::string>& stop_strings) const;

    /// Drops the oldest messages after the system message (a user turn with the reply that
    /// follows it) until the prompt plus `reserve` tokens fits in `context`, never the last
    /// message. Returns the prompt ids of what is left and sets `dropped` to the messages removed;
    /// the prompt may still be longer than `context` when only the last message is left.
    std::vector<std::int32_t> fit(std::vector<data::Message>& messages, std::size_t context,
                                  std::size_t reserve, std::size_t& dropped) const;

    TemplateKind kind() const { return m_kind; }

private:
    const tokenizer::Tokenizer& m_tokenizer;
    TemplateKind m_kind;
    RenderOptions m_render_options;
};

}  // namespace vietllm::chat
