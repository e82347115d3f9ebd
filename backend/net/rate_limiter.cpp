#include "backend/net/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace vietllm::net {

namespace {

RateLimiter::Clock::duration minutesShare(double amount, double per_minute) {
    return std::chrono::duration_cast<RateLimiter::Clock::duration>(
        std::chrono::duration<double>(60.0 * amount / per_minute));
}

}  // namespace

RateLimiter::RateLimiter(RateLimits limits)
    : m_limits(limits), m_next_request_start(Clock::now()), m_next_token_start(Clock::now()) {}

void RateLimiter::acquire(std::int64_t estimated_tokens) {
    Clock::time_point start;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const Clock::time_point now = Clock::now();
        start = now;
        if (m_limits.requests_per_minute > 0) {
            start = std::max(start, m_next_request_start);
            m_next_request_start = start + minutesShare(1, m_limits.requests_per_minute);
        }
        if (m_limits.tokens_per_minute > 0) {
            // The schedule never lags far behind now, or an idle minute would allow a burst.
            m_next_token_start = std::max(m_next_token_start, now);
            start = std::max(start, m_next_token_start);
            m_next_token_start +=
                minutesShare(static_cast<double>(estimated_tokens), m_limits.tokens_per_minute);
        }
    }
    std::this_thread::sleep_until(start);
}

void RateLimiter::settle(std::int64_t estimated_tokens, std::int64_t actual_tokens) {
    if (m_limits.tokens_per_minute <= 0 || actual_tokens == estimated_tokens) {
        return;
    }
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_next_token_start +=
        minutesShare(static_cast<double>(actual_tokens - estimated_tokens), m_limits.tokens_per_minute);
}

}  // namespace vietllm::net
