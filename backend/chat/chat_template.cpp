#include "backend/chat/chat_template.h"

#include "backend/common/errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vietllm::chat {

namespace {

constexpr const char* kAlpacaPreamble =
    "Below is an instruction that describes a task. Write a response that appropriately completes the "
    "request.";
constexpr const char* kVicunaPreamble =
    "A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, "
    "detailed, and polite answers to the user's questions.";

struct Entry {
    TemplateKind kind;
    const char* name;
};
constexpr Entry kEntries[] = {
    {TemplateKind::ChatMl, "chatml"},   {TemplateKind::Llama2, "llama2"}, {TemplateKind::Llama3, "llama3"},
    {TemplateKind::Mistral, "mistral"}, {TemplateKind::Alpaca, "alpaca"}, {TemplateKind::Vicuna, "vicuna"},
    {TemplateKind::PhoGpt, "phogpt"},   {TemplateKind::Plain, "plain"},   {TemplateKind::Gemma, "gemma"},
};

std::string trim(const std::string& text) {
    const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    const auto begin = std::find_if_not(text.begin(), text.end(), space);
    const auto end =
        std::find_if_not(text.rbegin(), std::string::const_reverse_iterator(begin), space).base();
    return std::string(begin, end);
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// A conversation split into its optional leading system prompt and the user/assistant turns.
struct Turns {
    std::string system;
    bool has_system = false;
    std::vector<data::Message> turns;
};

Turns splitTurns(const std::vector<data::Message>& messages) {
    Turns out;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const data::Message& message = messages[i];
        if (message.role == data::Role::System) {
            if (i != 0) {
                throw UserError("messages[" + std::to_string(i) + "]: a system message may only come first");
            }
            out.system = message.content;
            out.has_system = true;
        } else if (message.role == data::Role::User || message.role == data::Role::Assistant) {
            out.turns.push_back(message);
        } else {
            throw UserError("messages[" + std::to_string(i) +
                            "]: the role must be system, user or assistant");
        }
    }
    return out;
}

class Builder {
public:
    void prompt(const std::string& text) { add(text, false); }
    void reply(const std::string& text) { add(text, true); }
    RenderedChat finish() { return std::move(m_chat); }

private:
    void add(const std::string& text, bool assistant) {
        if (text.empty()) return;
        if (!m_chat.segments.empty() && m_chat.segments.back().assistant == assistant) {
            m_chat.segments.back().text += text;
        } else {
            m_chat.segments.push_back({text, assistant});
        }
    }
    RenderedChat m_chat;
};

std::string orDefault(const std::string& value, const char* fallback) {
    return value.empty() ? fallback : value;
}

void renderChatMl(const std::vector<data::Message>& messages, const RenderOptions& options, Builder& out) {
    for (const data::Message& message : messages) {
        out.prompt(std::string("<|im_start|>") + data::roleName(message.role) + "\n");
        if (message.role == data::Role::Assistant) {
            out.reply(message.content + "<|im_end|>");
        } else {
            out.prompt(message.content + "<|im_end|>");
        }
        out.prompt("\n");
    }
    if (options.add_generation_prompt) out.prompt("<|im_start|>assistant\n");
}

void renderLlama3(const std::vector<data::Message>& messages, const RenderOptions& options, Builder& out) {
    out.prompt(orDefault(options.bos_token, "<|begin_of_text|>"));
    for (const data::Message& message : messages) {
        out.prompt(std::string("<|start_header_id|>") + data::roleName(message.role) +
                   "<|end_header_id|>\n\n");
        const std::string body = trim(message.content) + "<|eot_id|>";
        if (message.role == data::Role::Assistant) {
            out.reply(body);
        } else {
            out.prompt(body);
        }
    }
    if (options.add_generation_prompt) out.prompt("<|start_header_id|>assistant<|end_header_id|>\n\n");
}

// Llama-2-chat (Meta's reference form) and Mistral-Instruct differ in BOS per exchange and the
// place of the system prompt.
void renderInst(const Turns& turns, const RenderOptions& options, bool llama2, Builder& out) {
    const std::string bos = orDefault(options.bos_token, "<s>");
    const std::string eos = orDefault(options.eos_token, "</s>");
    bool first_user = true;
    if (!llama2) out.prompt(bos);
    for (const data::Message& message : turns.turns) {
        if (message.role == data::Role::User) {
            std::string system;
            if (first_user && turns.has_system) {
                system = llama2 ? "<<SYS>>\n" + trim(turns.system) + "\n<</SYS>>\n\n"
                                : trim(turns.system) + "\n\n";
            }
            out.prompt((llama2 ? bos : std::string()) + "[INST] " + system + trim(message.content) +
                       " [/INST]");
            first_user = false;
        } else {
            out.prompt(" ");
            out.reply(trim(message.content) + (llama2 ? " " : "") + eos);
        }
    }
}

void renderAlpaca(const Turns& turns, const RenderOptions& options, Builder& out) {
    out.prompt((turns.has_system ? turns.system : std::string(kAlpacaPreamble)) + "\n\n");
    for (const data::Message& message : turns.turns) {
        if (message.role == data::Role::User) {
            out.prompt("### Instruction:\n" + message.content + "\n\n### Response:");
        } else {
            out.reply(message.content + orDefault(options.eos_token, "</s>"));
            out.prompt("\n\n");
        }
    }
}

void renderVicuna(const Turns& turns, const RenderOptions& options, Builder& out) {
    out.prompt((turns.has_system ? turns.system : std::string(kVicunaPreamble)) + " ");
    for (const data::Message& message : turns.turns) {
        if (message.role == data::Role::User) {
            out.prompt("USER: " + message.content + " ASSISTANT:");
        } else {
            out.prompt(" ");
            out.reply(message.content + orDefault(options.eos_token, "</s>"));
        }
    }
}

void renderPhoGpt(const Turns& turns, const RenderOptions& options, Builder& out) {
    if (turns.has_system) out.prompt(turns.system + "\n");
    for (const data::Message& message : turns.turns) {
        if (message.role == data::Role::User) {
            out.prompt("### C\xC3\xA2u h\xE1\xBB\x8Fi: " + message.content +
                       "\n### Tr\xE1\xBA\xA3 l\xE1\xBB\x9Di:");
        } else {
            out.prompt(" ");
            out.reply(message.content + orDefault(options.eos_token, "</s>"));
            out.prompt("\n");
        }
    }
}

// Gemma 2/3 (the Jinja template of google/gemma-3 tokenizer_config.json): no system role, the system
// prompt opens the first user turn; turns must alternate user/assistant; contents are trimmed.
void renderGemma(const Turns& turns, const RenderOptions& options, Builder& out) {
    out.prompt(orDefault(options.bos_token, "<bos>"));
    for (std::size_t i = 0; i < turns.turns.size(); ++i) {
        const data::Message& message = turns.turns[i];
        const bool user = message.role == data::Role::User;
        if (user != (i % 2 == 0)) {
            throw UserError(
                "messages: the gemma template needs turns that alternate user/assistant, "
                "starting with user (turn " +
                std::to_string(i + 1) + " is " + data::roleName(message.role) + ")");
        }
        const std::string prefix = i == 0 && turns.has_system ? turns.system + "\n\n" : std::string();
        out.prompt(std::string("<start_of_turn>") + (user ? "user" : "model") + "\n" + prefix);
        if (user) {
            out.prompt(trim(message.content) + "<end_of_turn>");
        } else {
            out.reply(trim(message.content) + "<end_of_turn>");
        }
        out.prompt("\n");
    }
    if (options.add_generation_prompt) out.prompt("<start_of_turn>model\n");
}

void renderPlain(const std::vector<data::Message>& messages, Builder& out) {
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (i > 0) out.prompt("\n\n");
        if (messages[i].role == data::Role::Assistant) {
            out.reply(messages[i].content);
        } else {
            out.prompt(messages[i].content);
        }
    }
}

nlohmann::json readOptionalJson(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return nlohmann::json::object();
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    const nlohmann::json value = nlohmann::json::parse(content.str(), nullptr, false);
    if (value.is_discarded() || !value.is_object())
        throw UserError(path.string() + ": not a valid JSON object");
    return value;
}

}  // namespace

const char* templateName(TemplateKind kind) {
    for (const Entry& entry : kEntries) {
        if (entry.kind == kind) return entry.name;
    }
    return "invalid";
}

TemplateKind parseTemplateName(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    for (const Entry& entry : kEntries) {
        if (lower == entry.name) return entry.kind;
    }
    return TemplateKind::Invalid;
}

std::vector<std::string> templateNames() {
    std::vector<std::string> names;
    for (const Entry& entry : kEntries) names.emplace_back(entry.name);
    return names;
}

TemplateKind detectTemplate(const nlohmann::json& tokenizer_config, std::string_view model_type) {
    const auto found =
        tokenizer_config.is_object() ? tokenizer_config.find("chat_template") : tokenizer_config.end();
    const std::string* chat_template = tokenizer_config.is_object() && found != tokenizer_config.end()
                                           ? found->get_ptr<const std::string*>()
                                           : nullptr;
    if (chat_template == nullptr || chat_template->empty()) {
        if (model_type == "qwen2" || model_type == "qwen3") return TemplateKind::ChatMl;
        if (model_type == "mpt") return TemplateKind::PhoGpt;
        return TemplateKind::Plain;
    }
    // The markers llama.cpp's llm_chat_detect_template looks for, plus Alpaca's and PhoGPT's.
    const std::string_view text = *chat_template;
    if (contains(text, "<|im_start|>")) return TemplateKind::ChatMl;
    if (contains(text, "<start_of_turn>")) return TemplateKind::Gemma;
    if (contains(text, "<|start_header_id|>")) return TemplateKind::Llama3;
    if (contains(text, "[INST]"))
        return contains(text, "<<SYS>>") ? TemplateKind::Llama2 : TemplateKind::Mistral;
    if (contains(text, "USER:") && contains(text, "ASSISTANT:")) return TemplateKind::Vicuna;
    if (contains(text, "### C\xC3\xA2u h\xE1\xBB\x8Fi")) return TemplateKind::PhoGpt;
    if (contains(text, "### Instruction")) return TemplateKind::Alpaca;
    return TemplateKind::Invalid;
}

TemplateKind detectTemplateInFolder(const std::string& model_folder) {
    const std::filesystem::path folder = model_folder;
    const nlohmann::json tokenizer_config = readOptionalJson(folder / "tokenizer_config.json");
    const nlohmann::json config = readOptionalJson(folder / "config.json");
    const auto type = config.find("model_type");
    const std::string* model_type = type != config.end() ? type->get_ptr<const std::string*>() : nullptr;
    return detectTemplate(tokenizer_config, model_type ? *model_type : std::string());
}

std::string RenderedChat::text() const {
    std::string out;
    for (const Segment& segment : segments) out += segment.text;
    return out;
}

RenderedChat render(TemplateKind kind, const std::vector<data::Message>& messages,
                    const RenderOptions& options) {
    const Turns turns = splitTurns(messages);
    Builder out;
    switch (kind) {
        case TemplateKind::ChatMl:
            renderChatMl(messages, options, out);
            break;
        case TemplateKind::Llama3:
            renderLlama3(messages, options, out);
            break;
        case TemplateKind::Llama2:
            renderInst(turns, options, true, out);
            break;
        case TemplateKind::Mistral:
            renderInst(turns, options, false, out);
            break;
        case TemplateKind::Alpaca:
            renderAlpaca(turns, options, out);
            break;
        case TemplateKind::Vicuna:
            renderVicuna(turns, options, out);
            break;
        case TemplateKind::PhoGpt:
            renderPhoGpt(turns, options, out);
            break;
        case TemplateKind::Plain:
            renderPlain(messages, out);
            break;
        case TemplateKind::Gemma:
            renderGemma(turns, options, out);
            break;
        case TemplateKind::Invalid:
            throw UserError(
                "unknown chat template; use one of: chatml, llama2, llama3, mistral, alpaca, vicuna, "
                "phogpt, plain, gemma");
    }
    return out.finish();
}

RenderOptions renderOptionsInFolder(const std::string& model_folder) {
    const nlohmann::json config =
        readOptionalJson(std::filesystem::path(model_folder) / "tokenizer_config.json");
    const auto token_text = [&](const char* key) {
        const auto found = config.find(key);
        if (found == config.end()) return std::string();
        if (found->is_string()) return found->get<std::string>();
        if (found->is_object() && found->contains("content") && (*found)["content"].is_string())
            return (*found)["content"].get<std::string>();
        return std::string();
    };
    RenderOptions options;
    options.bos_token = token_text("bos_token");
    options.eos_token = token_text("eos_token");
    return options;
}

bool templateWritesBos(TemplateKind kind) {
    return kind == TemplateKind::Llama2 || kind == TemplateKind::Llama3 || kind == TemplateKind::Mistral ||
           kind == TemplateKind::Gemma;
}

std::vector<std::string> endOfTurnTokens(TemplateKind kind, const RenderOptions& options) {
    switch (kind) {
        case TemplateKind::ChatMl:
            return {"<|im_end|>"};
        case TemplateKind::Llama3:
            return {"<|eot_id|>"};
        case TemplateKind::Gemma:
            return {"<end_of_turn>"};
        case TemplateKind::Llama2:
        case TemplateKind::Mistral:
        case TemplateKind::Alpaca:
        case TemplateKind::Vicuna:
        case TemplateKind::PhoGpt:
            return {orDefault(options.eos_token, "</s>")};
        case TemplateKind::Plain:
        case TemplateKind::Invalid:
            break;
    }
    return {};
}

}  // namespace vietllm::chat
