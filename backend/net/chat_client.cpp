#include "backend/net/chat_client.h"

#include "backend/common/errors.h"
#include "backend/net/http_transport.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <thread>

namespace vietllm::net {

namespace {

using nlohmann::json;

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string completionsUrl(const std::string& endpoint) {
    if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
        throw UserError("--endpoint: '" + endpoint + "' is not an http:// or https:// URL");
    }
    if (endsWith(endpoint, "/chat/completions")) {
        return endpoint;
    }
    std::string base = endpoint;
    while (endsWith(base, "/")) {
        base.pop_back();
    }
    return base + "/chat/completions";
}

std::vector<std::string> requestHeaders(const std::string& api_key_env) {
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (api_key_env.empty()) {
        return headers;
    }
    const char* key = std::getenv(api_key_env.c_str());
    if (key == nullptr || *key == '\0') {
        throw UserError("--api-key-env: the environment variable " + api_key_env + " is not set");
    }
    headers.push_back(std::string("Authorization: Bearer ") + key);
    return headers;
}

void checkOptions(const ChatClientOptions& options) {
    if (options.model.empty()) {
        throw UserError("--model: a model name is required");
    }
    if (options.concurrency < 1) {
        throw UserError("--concurrency: must be at least 1");
    }
    if (options.max_retries < 0) {
        throw UserError("--max-retries: must not be negative");
    }
    if (options.timeout_ms <= 0) {
        throw UserError("--timeout-ms: must be positive");
    }
    if (options.limits.requests_per_minute < 0 || options.limits.tokens_per_minute < 0) {
        throw UserError("--rpm/--tpm: must not be negative");
    }
}

json messagesJson(const std::vector<ChatMessage>& messages) {
    json list = json::array();
    for (const ChatMessage& message : messages) {
        list.push_back({{"role", message.role}, {"content", message.content}});
    }
    return list;
}

json parametersJson(const SamplingParameters& parameters) {
    json out = {{"max_tokens", parameters.max_tokens}, {"temperature", parameters.temperature}};
    if (parameters.top_p) {
        out["top_p"] = *parameters.top_p;
    }
    if (parameters.seed) {
        out["seed"] = *parameters.seed;
    }
    return out;
}

// Prompt tokens plus the completion budget, before the real usage is known: about 3 bytes per
// token is on the safe side for English and Vietnamese with current tokenizers.
std::int64_t estimatedTokens(const ChatRequest& request) {
    std::int64_t bytes = 0;
    for (const ChatMessage& message : request.messages) {
        bytes += static_cast<std::int64_t>(message.content.size()) + 8;
    }
    return bytes / 3 + request.parameters.max_tokens;
}

bool isRetryableStatus(long status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
}

bool isRequestRejection(long status) {
    return status == 400 || status == 413 || status == 422;
}

std::string bodyExcerpt(const std::string& body) {
    constexpr std::size_t kMaxBytes = 300;
    try {
        const json value = json::parse(body);
        if (value.contains("error")) {
            const json& error = value["error"];
            if (error.is_object() && error.contains("message") && error["message"].is_string()) {
                return error["message"].get<std::string>();
            }
            return error.dump();
        }
    } catch (const json::exception&) {
        // not JSON: the raw start of the body below
    }
    return body.size() <= kMaxBytes ? body : body.substr(0, kMaxBytes) + "...";
}

std::int64_t integerOr(const json& object, const char* key, std::int64_t fallback) {
    const auto found = object.find(key);
    return found != object.end() && found->is_number_integer() ? found->get<std::int64_t>() : fallback;
}

// Reads a non-streamed completion into `result`; returns an error description, empty when fine.
std::string readCompletion(const std::string& body, ChatResult& result) {
    json value;
    try {
        value = json::parse(body);
    } catch (const json::exception&) {
        return "the endpoint's reply is not JSON";
    }
    if (!value.is_object() || !value.contains("choices") || !value["choices"].is_array() ||
        value["choices"].empty() || !value["choices"][0].is_object()) {
        return "the endpoint's reply has no choices";
    }
    const json& choice = value["choices"][0];
    const auto message = choice.find("message");
    if (message == choice.end() || !message->is_object() || !message->contains("content") ||
        !(*message)["content"].is_string()) {
        return "the endpoint's reply has no message content";
    }
    result.content = (*message)["content"].get<std::string>();
    const auto finish = choice.find("finish_reason");
    result.finish_reason = finish != choice.end() && finish->is_string() ? finish->get<std::string>() : "";
    const auto usage = value.find("usage");
    if (usage != value.end() && usage->is_object()) {
        result.prompt_tokens = integerOr(*usage, "prompt_tokens", 0);
        result.completion_tokens = integerOr(*usage, "completion_tokens", 0);
    }
    return {};
}

}  // namespace

ChatClient::ChatClient(ChatClientOptions options)
    : m_options(std::move(options)),
      m_url(completionsUrl(m_options.endpoint)),
      m_headers(requestHeaders(m_options.api_key_env)),
      m_limiter(m_options.limits),
      m_random(m_options.jitter_seed != 0 ? m_options.jitter_seed : std::random_device{}()) {
    checkOptions(m_options);
    if (!m_options.cache_path.empty()) {
        m_cache = std::make_unique<ResponseCache>(m_options.cache_path);
    }
}

ChatClient::~ChatClient() = default;

std::string ChatClient::cacheKeyJson(const ChatRequest& request) const {
    // json objects keep their keys sorted, so equal requests give equal text.
    const json key = {{"model", m_options.model},
                      {"parameters", parametersJson(request.parameters)},
                      {"messages", messagesJson(request.messages)}};
    return key.dump();
}

UsageTotals ChatClient::totals() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_totals;
}

void ChatClient::account(const ChatResult& result) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    ++m_totals.calls;
    m_totals.http_requests += result.attempts;
    m_totals.retries += std::max(0, result.attempts - 1);
    if (result.from_cache) {
        ++m_totals.cache_hits;
    }
    if (result.status != ChatStatus::Ok) {
        ++m_totals.failures;
    }
    if (!result.from_cache) {
        m_totals.prompt_tokens += result.prompt_tokens;
        m_totals.completion_tokens += result.completion_tokens;
        m_totals.cost_usd +=
            static_cast<double>(result.prompt_tokens) * m_options.input_usd_per_mtok / 1e6 +
            static_cast<double>(result.completion_tokens) * m_options.output_usd_per_mtok / 1e6;
    }
}

std::int64_t ChatClient::backoffDelayMs(int retry_number, std::optional<double> retry_after_s) {
    if (retry_after_s) {
        const double wanted_ms = *retry_after_s * 1000.0;
        return static_cast<std::int64_t>(
            std::min(wanted_ms, static_cast<double>(m_options.max_retry_after_ms)));
    }
    const double ceiling_ms =
        std::min(static_cast<double>(m_options.max_backoff_ms),
                 static_cast<double>(m_options.initial_backoff_ms) * std::pow(2.0, retry_number));
    // "Equal jitter": half the delay is fixed, half random, so that clients retrying together
    // spread out while each still backs off.
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    const std::lock_guard<std::mutex> lock(m_mutex);
    return static_cast<std::int64_t>(ceiling_ms * jitter(m_random));
}

ChatResult ChatClient::complete(const ChatRequest& request, const DeltaCallback& on_delta) {
    HttpTransport transport;
    return completeWith(transport, request, on_delta);
}

ChatResult ChatClient::completeWith(HttpTransport& transport, const ChatRequest& request,
                                    const DeltaCallback& on_delta) {
    if (request.parameters.max_tokens <= 0) {
        throw std::logic_error("ChatClient: max_tokens must be set explicitly");
    }
    const std::string key = cacheKeyJson(request);
    ChatResult result;
    if (m_cache) {
        if (const std::optional<CachedResponse> cached = m_cache->find(key)) {
            result = {ChatStatus::Ok,
                      cached->content,
                      cached->finish_reason,
                      cached->prompt_tokens,
                      cached->completion_tokens,
                      true,
                      0,
                      200,
                      {}};
            if (on_delta) {
                on_delta(result.content);
            }
            account(result);
            return result;
        }
    }
    json body = {{"model", m_options.model}, {"messages", messagesJson(request.messages)}};
    body.update(parametersJson(request.parameters));
    body["stream"] = m_options.stream;
    if (m_options.stream) {
        body["stream_options"] = {{"include_usage", true}};
    }
    const std::string body_text = body.dump();
    const std::int64_t estimate = estimatedTokens(request);

    for (int attempt = 0;; ++attempt) {
        m_limiter.acquire(estimate);
        SseChatAssembler assembler;
        BodyCallback on_body;
        if (m_options.stream) {
            on_body = [&](long status, std::string_view chunk) {
                if (status == 200) {
                    assembler.feed(chunk, on_delta);
                }
                return true;
            };
        }
        const HttpResponse response = transport.post(m_url, m_headers, body_text, m_options.timeout_ms,
                                                     m_options.connect_timeout_ms, on_body);
        result = ChatResult{};
        result.attempts = attempt + 1;
        result.http_status = response.status;
        bool retryable = true;
        if (response.error != TransportError::None) {
            result.error = (response.error == TransportError::Timeout ? "timed out: " : "no response: ") +
                           response.error_message;
        } else if (response.status == 200) {
            if (m_options.stream) {
                assembler.finish(on_delta);
                result.content = assembler.content();
                result.finish_reason = assembler.finishReason();
                result.prompt_tokens = assembler.promptTokens();
                result.completion_tokens = assembler.completionTokens();
                result.error = assembler.error();
                if (result.error.empty() && !assembler.done()) {
                    result.error = "the stream ended before [DONE]";
                }
            } else {
                result.error = readCompletion(response.body, result);
                if (result.error.empty() && on_delta) {
                    on_delta(result.content);
                }
            }
            if (result.error.empty()) {
                result.status = ChatStatus::Ok;
                m_limiter.settle(estimate, result.prompt_tokens + result.completion_tokens);
                if (m_cache) {
                    m_cache->store(key, m_options.model,
                                   {result.content, result.finish_reason, result.prompt_tokens,
                                    result.completion_tokens});
                }
                break;
            }
        } else {
            result.error = "HTTP " + std::to_string(response.status) + ": " + bodyExcerpt(response.body);
            retryable = isRetryableStatus(response.status);
        }
        if (!retryable || attempt >= m_options.max_retries) {
            result.status = !retryable && isRequestRejection(response.status) ? ChatStatus::Rejected
                                                                              : ChatStatus::Unavailable;
            if (retryable) {
                result.error += " (after " + std::to_string(attempt + 1) + " attempts)";
            }
            break;
        }
        std::this_thread::sleep_for(
            std::chrono::milliseconds(backoffDelayMs(attempt, response.retry_after_s)));
    }
    account(result);
    return result;
}

void ChatClient::completeAll(const std::vector<ChatRequest>& requests, const ResultCallback& on_result) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex callback_mutex;
    std::exception_ptr first_error;
    auto work = [&] {
        try {
            HttpTransport transport;
            for (std::size_t index = next++; index < requests.size() && !stop; index = next++) {
                ChatResult result = completeWith(transport, requests[index], {});
                const std::lock_guard<std::mutex> lock(callback_mutex);
                if (!stop) {
                    on_result(index, std::move(result));
                }
            }
        } catch (...) {
            const std::lock_guard<std::mutex> lock(callback_mutex);
            if (!first_error) {
                first_error = std::current_exception();
            }
            stop = true;
        }
    };
    const std::size_t worker_count =
        std::min(requests.size(), static_cast<std::size_t>(std::max(1, m_options.concurrency)));
    std::vector<std::thread> workers;
    workers.reserve(worker_count);
    for (std::size_t i = 0; i < worker_count; ++i) {
        workers.emplace_back(work);
    }
    for (std::thread& worker : workers) {
        worker.join();
    }
    if (first_error) {
        std::rethrow_exception(first_error);
    }
}

void SseChatAssembler::feed(std::string_view bytes, const DeltaCallback& on_delta) {
    m_pending.append(bytes);
    std::size_t line_start = 0;
    for (std::size_t end = m_pending.find('\n'); end != std::string::npos;
         end = m_pending.find('\n', line_start)) {
        std::string_view line(m_pending.data() + line_start, end - line_start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        applyLine(line, on_delta);
        line_start = end + 1;
    }
    m_pending.erase(0, line_start);
}

void SseChatAssembler::finish(const DeltaCallback& on_delta) {
    if (!m_pending.empty()) {
        applyLine(m_pending, on_delta);
        m_pending.clear();
    }
    applyEvent(on_delta);
}

void SseChatAssembler::applyLine(std::string_view line, const DeltaCallback& on_delta) {
    if (line.empty()) {
        applyEvent(on_delta);  // a blank line ends an event
        return;
    }
    constexpr std::string_view kData = "data:";
    if (line.substr(0, kData.size()) != kData) {
        return;  // comments (": keep-alive"), event names and ids carry nothing we need
    }
    line.remove_prefix(kData.size());
    if (!line.empty() && line.front() == ' ') {
        line.remove_prefix(1);
    }
    if (m_has_event_data) {
        m_event_data += '\n';
    }
    m_event_data.append(line);
    m_has_event_data = true;
}

void SseChatAssembler::applyEvent(const DeltaCallback& on_delta) {
    if (!m_has_event_data) {
        return;
    }
    const std::string data = std::move(m_event_data);
    m_event_data.clear();
    m_has_event_data = false;
    if (data == "[DONE]") {
        m_done = true;
        return;
    }
    json chunk;
    try {
        chunk = json::parse(data);
    } catch (const json::exception&) {
        if (m_error.empty()) {
            m_error = "a streamed chunk is not JSON";
        }
        return;
    }
    if (!chunk.is_object()) {
        return;
    }
    if (chunk.contains("error") && m_error.empty()) {
        m_error = "the stream reported an error: " + bodyExcerpt(data);
    }
    const auto usage = chunk.find("usage");
    if (usage != chunk.end() && usage->is_object()) {
        m_prompt_tokens = integerOr(*usage, "prompt_tokens", m_prompt_tokens);
        m_completion_tokens = integerOr(*usage, "completion_tokens", m_completion_tokens);
    }
    const auto choices = chunk.find("choices");
    if (choices == chunk.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
        return;
    }
    const json& choice = (*choices)[0];
    const auto delta = choice.find("delta");
    if (delta != choice.end() && delta->is_object()) {
        const auto content = delta->find("content");
        if (content != delta->end() && content->is_string()) {
            const std::string& text = content->get_ref<const std::string&>();
            m_content += text;
            if (on_delta && !text.empty()) {
                on_delta(text);
            }
        }
    }
    const auto finish = choice.find("finish_reason");
    if (finish != choice.end() && finish->is_string()) {
        m_finish_reason = finish->get<std::string>();
    }
}

}  // namespace vietllm::net
