#include "backend/serve/openai_api.h"

#include <algorithm>
#include <cmath>

namespace vietllm::serve {
namespace {

using nlohmann::json;

// The field `key` of `object`, or nullptr when absent or null (OpenAI treats null as "not set").
const json* field(const json& object, const char* key) {
    const auto found = object.find(key);
    return found == object.end() || found->is_null() ? nullptr : &*found;
}

ApiError wrongType(const std::string& param, const std::string& expected) {
    return ApiError(400, "'" + param + "' must be " + expected, param, "invalid_type");
}

std::optional<double> numberField(const json& body, const char* key, double low, double high) {
    const json* value = field(body, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number()) {
        throw wrongType(key, "a number");
    }
    const double number = value->get<double>();
    if (!std::isfinite(number) || number < low || number > high) {
        throw ApiError(400,
                       "'" + std::string(key) + "' must be between " + json(low).dump() + " and " +
                           json(high).dump() + ", got " + value->dump(),
                       key, "invalid_value");
    }
    return number;
}

std::optional<std::int64_t> integerField(const json& body, const char* key) {
    const json* value = field(body, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number_integer()) {
        throw wrongType(key, "an integer");
    }
    return value->get<std::int64_t>();
}

std::optional<bool> boolField(const json& body, const char* key, const std::string& param) {
    const json* value = field(body, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_boolean()) {
        throw wrongType(param, "true or false");
    }
    return value->get<bool>();
}

data::Role apiRole(const json& message, const std::string& param) {
    const json* role = field(message, "role");
    if (role == nullptr) {
        throw ApiError(400, "'" + param + "' is missing", param, "missing_field");
    }
    if (!role->is_string()) {
        throw wrongType(param, "a string");
    }
    const std::string name = role->get<std::string>();
    if (name == "system" || name == "developer") {
        return data::Role::System;
    }
    if (name == "user") {
        return data::Role::User;
    }
    if (name == "assistant") {
        return data::Role::Assistant;
    }
    throw ApiError(400,
                   "'" + param + "': unsupported role '" + name + "' (system, developer, user, assistant)",
                   param, "invalid_value");
}

// A message's content: a string, or a list of text parts (joined by newlines).
std::string apiContent(const json& message, const std::string& param, data::Role role) {
    const json* content = field(message, "content");
    if (content == nullptr) {
        if (role == data::Role::Assistant) {
            return {};
        }
        throw ApiError(400, "'" + param + "' is missing", param, "missing_field");
    }
    if (content->is_string()) {
        return content->get<std::string>();
    }
    if (!content->is_array()) {
        throw wrongType(param, "a string or a list of text parts");
    }
    std::string text;
    for (std::size_t i = 0; i < content->size(); ++i) {
        const json& part = (*content)[i];
        const std::string part_param = param + "[" + std::to_string(i) + "]";
        if (!part.is_object() || part.value("type", json()) != "text" || !part.contains("text") ||
            !part["text"].is_string()) {
            throw ApiError(
                400, "'" + part_param + "': only {\"type\": \"text\", \"text\": ...} parts are supported",
                part_param, "invalid_value");
        }
        text += (i > 0 ? "\n" : "") + part["text"].get<std::string>();
    }
    return text;
}

std::vector<data::Message> apiMessages(const json& body) {
    const json* messages = field(body, "messages");
    if (messages == nullptr) {
        throw ApiError(400, "'messages' is missing", "messages", "missing_field");
    }
    if (!messages->is_array() || messages->empty()) {
        throw ApiError(400, "'messages' must be a non-empty list of messages", "messages", "invalid_type");
    }
    std::vector<data::Message> out;
    for (std::size_t i = 0; i < messages->size(); ++i) {
        const json& message = (*messages)[i];
        const std::string param = "messages[" + std::to_string(i) + "]";
        if (!message.is_object()) {
            throw wrongType(param, "an object with role and content");
        }
        const data::Role role = apiRole(message, param + ".role");
        out.push_back({role, apiContent(message, param + ".content", role)});
    }
    return out;
}

std::vector<std::string> apiStop(const json& body) {
    const json* stop = field(body, "stop");
    if (stop == nullptr) {
        return {};
    }
    if (stop->is_string()) {
        return {stop->get<std::string>()};
    }
    if (!stop->is_array() || stop->size() > 4 ||
        !std::all_of(stop->begin(), stop->end(), [](const json& item) { return item.is_string(); })) {
        throw wrongType("stop", "a string or a list of at most 4 strings");
    }
    return stop->get<std::vector<std::string>>();
}

}  // namespace

ApiError::ApiError(int status, const std::string& message, std::string param, std::string code)
    : std::runtime_error(message), m_status(status), m_param(std::move(param)), m_code(std::move(code)) {}

std::string ApiError::type() const {
    if (m_status == 429) {
        return "rate_limit_error";
    }
    return m_status >= 500 ? "server_error" : "invalid_request_error";
}

nlohmann::json ApiError::body() const {
    const auto optional_text = [](const std::string& text) { return text.empty() ? json() : json(text); };
    return {{"error",
             {{"message", what()},
              {"type", type()},
              {"param", optional_text(m_param)},
              {"code", optional_text(m_code)}}}};
}

ChatCompletionRequest parseChatCompletionRequest(const std::string& body) {
    const json value = json::parse(body, nullptr, false);
    if (value.is_discarded()) {
        throw ApiError(400, "the request body is not valid JSON", "", "invalid_json");
    }
    if (!value.is_object()) {
        throw ApiError(400, "the request body must be a JSON object", "", "invalid_json");
    }
    ChatCompletionRequest request;
    if (const json* model = field(value, "model")) {
        if (!model->is_string()) {
            throw wrongType("model", "a string");
        }
        request.model = model->get<std::string>();
    }
    request.messages = apiMessages(value);
    request.temperature = numberField(value, "temperature", 0.0, 2.0);
    request.top_p = numberField(value, "top_p", 0.0, 1.0);
    request.frequency_penalty = numberField(value, "frequency_penalty", -2.0, 2.0);
    request.presence_penalty = numberField(value, "presence_penalty", -2.0, 2.0);
    request.top_k = integerField(value, "top_k");
    if (request.top_k && *request.top_k < 0) {
        throw ApiError(400, "'top_k' must be >= 0", "top_k", "invalid_value");
    }
    for (const char* key : {"max_completion_tokens", "max_tokens"}) {
        if (const std::optional<std::int64_t> max_tokens = integerField(value, key)) {
            if (*max_tokens < 1) {
                throw ApiError(400, "'" + std::string(key) + "' must be at least 1", key, "invalid_value");
            }
            request.max_tokens = max_tokens;
        }
    }
    request.stop = apiStop(value);
    if (const std::optional<std::int64_t> seed = integerField(value, "seed")) {
        request.seed = static_cast<std::uint64_t>(*seed);
    }
    if (const std::optional<std::int64_t> n = integerField(value, "n"); n && *n != 1) {
        throw ApiError(400, "only n=1 is supported", "n", "invalid_value");
    }
    request.stream = boolField(value, "stream", "stream").value_or(false);
    if (const json* options = field(value, "stream_options")) {
        if (!options->is_object()) {
            throw wrongType("stream_options", "an object");
        }
        request.include_usage =
            boolField(*options, "include_usage", "stream_options.include_usage").value_or(false);
    }
    return request;
}

const char* finishReasonName(FinishReason reason) {
    switch (reason) {
        case FinishReason::Stop:
            return "stop";
        case FinishReason::Length:
            return "length";
        case FinishReason::Invalid:
            break;
    }
    return "invalid";
}

nlohmann::json completionJson(const CompletionIdentity& identity, const std::string& content,
                              FinishReason finish_reason, const TokenUsage& usage) {
    return {{"id", identity.id},
            {"object", "chat.completion"},
            {"created", identity.created},
            {"model", identity.model},
            {"choices",
             {{{"index", 0},
               {"message", {{"role", "assistant"}, {"content", content}}},
               {"logprobs", nullptr},
               {"finish_reason", finishReasonName(finish_reason)}}}},
            {"usage",
             {{"prompt_tokens", usage.prompt_tokens},
              {"completion_tokens", usage.completion_tokens},
              {"total_tokens", usage.prompt_tokens + usage.completion_tokens}}}};
}

nlohmann::json chunkJson(const CompletionIdentity& identity, const nlohmann::json& delta,
                         std::optional<FinishReason> finish_reason) {
    return {{"id", identity.id},
            {"object", "chat.completion.chunk"},
            {"created", identity.created},
            {"model", identity.model},
            {"choices",
             {{{"index", 0},
               {"delta", delta},
               {"logprobs", nullptr},
               {"finish_reason", finish_reason ? json(finishReasonName(*finish_reason)) : json()}}}}};
}

nlohmann::json usageChunkJson(const CompletionIdentity& identity, const TokenUsage& usage) {
    json chunk = chunkJson(identity, json::object(), std::nullopt);
    chunk["choices"] = json::array();
    chunk["usage"] = {{"prompt_tokens", usage.prompt_tokens},
                      {"completion_tokens", usage.completion_tokens},
                      {"total_tokens", usage.prompt_tokens + usage.completion_tokens}};
    return chunk;
}

std::string jsonText(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string sseEvent(const nlohmann::json& data) {
    return "data: " + jsonText(data) + "\n\n";
}

std::string sseDone() {
    return "data: [DONE]\n\n";
}

nlohmann::json modelJson(const std::string& model, std::int64_t created) {
    return {{"id", model}, {"object", "model"}, {"created", created}, {"owned_by", "vietllm"}};
}

nlohmann::json modelListJson(const std::string& model, std::int64_t created) {
    return {{"object", "list"}, {"data", json::array({modelJson(model, created)})}};
}

}  // namespace vietllm::serve
