#pragma once
// The subset of OpenAI's chat-completions API the server speaks, as small functions with no
// network in them: request parsing and validation (each mistake an ApiError with the HTTP status,
// the offending parameter and OpenAI's error shape), and the JSON of completions, stream chunks,
// model lists and errors. See docs/serving.md for the fields supported.

#include "backend/data/records.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vietllm::serve {

/// A request the server refuses: HTTP status, message, the parameter at fault ("" for none) and an
/// error code ("" for none), sent as {"error": {"message", "type", "param", "code"}}.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, const std::string& message, std::string param = {}, std::string code = {});

    int status() const { return m_status; }
    const std::string& param() const { return m_param; }
    const std::string& code() const { return m_code; }
    /// "invalid_request_error" for 4xx but 429, "rate_limit_error" for 429, "server_error" for 5xx.
    std::string type() const;
    /// The response body.
    nlohmann::json body() const;

private:
    int m_status;
    std::string m_param;
    std::string m_code;
};

struct ChatCompletionRequest {
    std::string model;  ///< empty when the client did not name one
    std::vector<data::Message> messages;
    std::optional<double> temperature;
    std::optional<double> top_p;
    std::optional<std::int64_t> top_k;
    std::optional<double> frequency_penalty;
    std::optional<double> presence_penalty;
    std::optional<std::int64_t> max_tokens;  ///< max_tokens or max_completion_tokens
    std::vector<std::string> stop;
    std::optional<std::uint64_t> seed;
    bool stream = false;
    bool include_usage = false;  ///< stream_options.include_usage: a last chunk with usage
};

/// Parses and validates a POST /v1/chat/completions body. Throws ApiError (400) for bad JSON, a
/// missing or empty `messages`, a field of the wrong type or out of range, an unknown role, or
/// n != 1. Unknown fields are ignored, as most OpenAI-compatible servers do.
ChatCompletionRequest parseChatCompletionRequest(const std::string& body);

/// How a choice ended, as the API names it: "stop" (end of turn or a stop string) or "length".
enum class FinishReason { Invalid = 0, Stop, Length };
const char* finishReasonName(FinishReason reason);

/// What every completion object and chunk of one request shares.
struct CompletionIdentity {
    std::string id;  ///< "chatcmpl-..."
    std::int64_t created = 0;
    std::string model;
};

struct TokenUsage {
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
};

/// A non-streamed answer: object "chat.completion" with one choice and usage.
nlohmann::json completionJson(const CompletionIdentity& identity, const std::string& content,
                              FinishReason finish_reason, const TokenUsage& usage);
/// A stream chunk (object "chat.completion.chunk") whose one choice carries `delta`
/// ({"role": "assistant"}, {"content": ...} or {}), with a finish_reason on the last one.
nlohmann::json chunkJson(const CompletionIdentity& identity, const nlohmann::json& delta,
                         std::optional<FinishReason> finish_reason);
/// The usage chunk sent last when stream_options.include_usage is set: no choices.
nlohmann::json usageChunkJson(const CompletionIdentity& identity, const TokenUsage& usage);
/// `value` as compact JSON text; bytes that are not UTF-8 (a model can emit them) become U+FFFD.
std::string jsonText(const nlohmann::json& value);
/// One server-sent event: "data: JSON\n\n".
std::string sseEvent(const nlohmann::json& data);
/// The event that ends a stream: "data: [DONE]\n\n".
std::string sseDone();

/// GET /v1/models: a list holding the one model served.
nlohmann::json modelListJson(const std::string& model, std::int64_t created);
/// GET /v1/models/{model}: the model object.
nlohmann::json modelJson(const std::string& model, std::int64_t created);

}  // namespace vietllm::serve
