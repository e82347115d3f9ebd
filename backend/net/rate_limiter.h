#pragma once
// Requests-per-minute and tokens-per-minute limits for calls to a model endpoint. Each request
// books its share of a minute on a schedule (a leaky bucket): with 60 requests per minute, starts
// are one second apart; with 6000 tokens per minute, a 500-token request holds back the next one
// by five seconds. Bursts are not allowed, so a limit is never exceeded in any 60-second window.

#include <chrono>
#include <cstdint>
#include <mutex>

namespace vietllm::net {

struct RateLimits {
    double requests_per_minute = 0;  ///< 0: no limit
    double tokens_per_minute = 0;    ///< 0: no limit
};

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(RateLimits limits);

    /// Blocks until a request of `estimated_tokens` (prompt + max completion) may start. Thread-safe.
    void acquire(std::int64_t estimated_tokens);
    /// Books the difference once the real token count is known (from the response's usage), so
    /// that the token limit follows what was actually used. Thread-safe.
    void settle(std::int64_t estimated_tokens, std::int64_t actual_tokens);

private:
    RateLimits m_limits;
    std::mutex m_mutex;
    Clock::time_point m_next_request_start;
    Clock::time_point m_next_token_start;
};

}  // namespace vietllm::net
