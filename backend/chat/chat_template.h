#pragma once
// Chat templates: render a conversation (data::Message list) into the exact prompt text a model
// family was trained on, with fixed C++ renderers per family (not a Jinja interpreter, as
// llama.cpp does). The result is a list of segments whose concatenation is the text; segments
// flagged `assistant` are what the model must learn to produce (the reply and its end-of-turn
// marker), so the trainer can mask everything else out of the loss.

#include "backend/data/records.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vietllm::chat {

enum class TemplateKind {
    Invalid = 0,
    ChatMl,   ///< <|im_start|>role\n...<|im_end|>\n (Qwen2/2.5/3 and many fine-tunes)
    Llama2,   ///< <s>[INST] <<SYS>>\n...\n<</SYS>>\n\nuser [/INST] answer </s> (Llama-2-chat, Vistral)
    Llama3,   ///< <|start_header_id|>role<|end_header_id|>\n\n...<|eot_id|>
    Mistral,  ///< <s>[INST] user [/INST] answer</s> (Mistral-Instruct v0.1/v0.2)
    Alpaca,   ///< Stanford Alpaca's "### Instruction:" / "### Response:" prompt
    Vicuna,   ///< FastChat vicuna_v1.1: "USER: ... ASSISTANT: ...</s>"
    PhoGpt,   ///< PhoGPT: "### Câu hỏi: ...\n### Trả lời:"
    Plain,    ///< base models: the contents, one per paragraph
    Gemma,    ///< <bos><start_of_turn>user\n...<end_of_turn>\n, replies as role "model" (Gemma 2/3)
};

/// The name used on the command line and in the store: "chatml", "llama2", "llama3", "mistral",
/// "alpaca", "vicuna", "phogpt", "plain", "gemma".
const char* templateName(TemplateKind kind);
/// Parses a name templateName() gives (case-insensitive); TemplateKind::Invalid otherwise.
TemplateKind parseTemplateName(std::string_view name);
/// Every name, for usage texts and error messages.
std::vector<std::string> templateNames();

/// Detects the family from tokenizer_config.json (its "chat_template" string, by the markers each
/// family's template contains) and, when there is no template, from config.json's model_type
/// (qwen2/qwen3 -> ChatML, mpt -> PhoGPT, otherwise Plain). Invalid for a template we do not know.
TemplateKind detectTemplate(const nlohmann::json& tokenizer_config, std::string_view model_type);

/// detectTemplate() over a model folder's tokenizer_config.json and config.json (either may be
/// absent). Throws UserError naming a file that exists but is not valid JSON.
TemplateKind detectTemplateInFolder(const std::string& model_folder);

struct RenderOptions {
    /// End with the opening of an assistant turn, for generation.
    bool add_generation_prompt = false;
    /// Text of the model's BOS and EOS tokens (tokenizer_config.json's bos_token/eos_token);
    /// empty means the family's usual one ("<s>"/"</s>", "<|begin_of_text|>").
    std::string bos_token;
    std::string eos_token;
};

struct Segment {
    std::string text;
    bool assistant = false;  ///< part of an assistant reply (content and its end-of-turn marker)
};

struct RenderedChat {
    std::vector<Segment> segments;
    /// The whole prompt: the segments joined.
    std::string text() const;
};

/// Renders `messages` (an optional system message first, then user/assistant turns). Throws
/// UserError when the roles do not fit the template (e.g. a system message after the first).
RenderedChat render(TemplateKind kind, const std::vector<data::Message>& messages,
                    const RenderOptions& options);

/// The BOS and EOS token texts of a model folder's tokenizer_config.json (a string or an
/// {"content": ...} object each), empty when absent. Throws UserError naming a file that exists
/// but is not valid JSON.
RenderOptions renderOptionsInFolder(const std::string& model_folder);

/// Whether render() writes the BOS token itself (Llama-2, Llama-3, Mistral, Gemma): the rendered
/// text must then be tokenized without the tokenizer's own BOS, or the model sees two.
bool templateWritesBos(TemplateKind kind);

/// The special tokens that end an assistant turn in `kind` ("<|im_end|>", "<|eot_id|>",
/// "<end_of_turn>", or the EOS text of `options` for the families that end with EOS; none for
/// Plain). Generation stops at them: as token ids where the tokenizer has them, else as text.
std::vector<std::string> endOfTurnTokens(TemplateKind kind, const RenderOptions& options);

}  // namespace vietllm::chat
