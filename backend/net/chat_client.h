#pragma once
// A client for OpenAI-compatible chat-completion endpoints (vLLM, llama.cpp server, Ollama,
// OpenAI...): N requests in flight, retries with exponential backoff and jitter on 429, 5xx and
// timeouts (honouring Retry-After), optional request- and token-per-minute limits, SSE
// streaming, token and cost accounting from `usage`, and a persistent response cache so that a
// re-run sends nothing for calls already answered. max_tokens is always sent.

#include "backend/net/rate_limiter.h"
#include "backend/net/response_cache.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::net {

class HttpTransport;

struct ChatMessage {
    std::string role;  ///< "system", "user", "assistant"
    std::string content;
};

struct SamplingParameters {
    std::int64_t max_tokens = 0;  ///< required: a request without a positive max_tokens is a bug
    double temperature = 0;
    std::optional<double> top_p;
    std::optional<std::int64_t> seed;
};

struct ChatRequest {
    std::vector<ChatMessage> messages;
    SamplingParameters parameters;
};

enum class ChatStatus {
    Invalid = 0,
    Ok,
    Rejected,     ///< the endpoint refused this request (400, 413, 422...): retrying will not help
    Unavailable,  ///< no answer after every retry, or the endpoint refuses us (401, 403, 404)
};

struct ChatResult {
    ChatStatus status = ChatStatus::Invalid;
    std::string content;
    std::string finish_reason;  ///< "stop", "length", ... as the endpoint says
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    bool from_cache = false;
    int attempts = 0;      ///< HTTP requests sent for this call
    long http_status = 0;  ///< the last HTTP status, 0 when no response came
    std::string error;     ///< what went wrong when status != Ok
};

struct ChatClientOptions {
    std::string endpoint;     ///< base URL ("http://host:8000/v1") or the full .../chat/completions URL
    std::string model;        ///< the model name the endpoint serves
    std::string api_key_env;  ///< environment variable holding the API key; empty: send none
    int concurrency = 4;      ///< requests in flight at once
    int max_retries = 5;      ///< retries after the first attempt
    std::int64_t timeout_ms = 300000;
    std::int64_t connect_timeout_ms = 10000;
    std::int64_t initial_backoff_ms = 500;  ///< first retry waits about this long, doubling each time
    std::int64_t max_backoff_ms = 60000;
    std::int64_t max_retry_after_ms = 900000;  ///< a longer Retry-After is cut to this
    RateLimits limits;
    bool stream = false;             ///< ask for SSE and assemble the deltas
    double input_usd_per_mtok = 0;   ///< price per 1M prompt tokens
    double output_usd_per_mtok = 0;  ///< price per 1M completion tokens
    std::string cache_path;          ///< SQLite response cache; empty: no cache
    std::uint64_t jitter_seed = 0;   ///< 0: seeded from std::random_device
};

/// What a client has done so far.
struct UsageTotals {
    std::int64_t calls = 0;          ///< complete() calls answered (from the cache or not)
    std::int64_t cache_hits = 0;     ///< calls answered from the cache
    std::int64_t http_requests = 0;  ///< HTTP requests sent, retries included
    std::int64_t retries = 0;
    std::int64_t failures = 0;  ///< calls that ended Rejected or Unavailable
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    double cost_usd = 0;  ///< of the requests sent (cache hits cost nothing)
};

/// Receives streamed text as it arrives.
using DeltaCallback = std::function<void(std::string_view text)>;
/// Receives the result of request `index` of a batch; calls never overlap.
using ResultCallback = std::function<void(std::size_t index, ChatResult&& result)>;

class ChatClient {
public:
    /// Checks the options (throws UserError naming the option: a bad endpoint URL, a missing API
    /// key variable, concurrency < 1) and opens the cache.
    explicit ChatClient(ChatClientOptions options);
    ~ChatClient();
    ChatClient(const ChatClient&) = delete;
    ChatClient& operator=(const ChatClient&) = delete;

    /// One call, with retries; thread-safe. `on_delta` sees the text as it streams (with
    /// options.stream), or all of it at once otherwise; after a failed attempt that had streamed
    /// some text, the retry's text follows from the start.
    ChatResult complete(const ChatRequest& request, const DeltaCallback& on_delta = {});
    /// Runs every request with options.concurrency in flight and reports each result as it
    /// finishes. An exception in one (a cache file error) stops the others and is rethrown.
    void completeAll(const std::vector<ChatRequest>& requests, const ResultCallback& on_result);

    UsageTotals totals() const;
    const ChatClientOptions& options() const { return m_options; }
    /// The URL requests go to.
    const std::string& url() const { return m_url; }

    /// The canonical JSON that keys the cache: model, parameters and messages.
    std::string cacheKeyJson(const ChatRequest& request) const;

private:
    ChatResult completeWith(HttpTransport& transport, const ChatRequest& request,
                            const DeltaCallback& on_delta);
    std::int64_t backoffDelayMs(int retry_number, std::optional<double> retry_after_s);
    void account(const ChatResult& result);

    ChatClientOptions m_options;
    std::string m_url;
    std::vector<std::string> m_headers;
    RateLimiter m_limiter;
    std::unique_ptr<ResponseCache> m_cache;
    mutable std::mutex m_mutex;  ///< guards m_totals and m_random
    UsageTotals m_totals;
    std::mt19937_64 m_random;
};

/// Assembles a streamed (SSE) chat completion: `data:` lines carrying JSON chunks, ended by
/// `data: [DONE]`. Feed it bytes as they arrive.
class SseChatAssembler {
public:
    /// Consumes bytes; complete events are applied at once. `on_delta` sees each text delta.
    void feed(std::string_view bytes, const DeltaCallback& on_delta = {});
    /// Applies a last event that had no blank line after it.
    void finish(const DeltaCallback& on_delta = {});

    bool done() const { return m_done; }  ///< [DONE] was seen
    const std::string& content() const { return m_content; }
    const std::string& finishReason() const { return m_finish_reason; }
    std::int64_t promptTokens() const { return m_prompt_tokens; }
    std::int64_t completionTokens() const { return m_completion_tokens; }
    /// The first problem met (an error event, a malformed chunk); empty when none.
    const std::string& error() const { return m_error; }

private:
    void applyLine(std::string_view line, const DeltaCallback& on_delta);
    void applyEvent(const DeltaCallback& on_delta);

    std::string m_pending;  ///< bytes after the last line end
    std::string m_event_data;
    bool m_has_event_data = false;
    bool m_done = false;
    std::string m_content;
    std::string m_finish_reason;
    std::int64_t m_prompt_tokens = 0;
    std::int64_t m_completion_tokens = 0;
    std::string m_error;
};

}  // namespace vietllm::net
