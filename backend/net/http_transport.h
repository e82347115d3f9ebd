#pragma once
// One HTTP connection slot over libcurl (Debian libcurl4-openssl-dev): POSTs a body and returns
// the status, the Retry-After header and the body, or a transport error (timeout, refused). A
// transport keeps its connection alive between requests, so one worker thread owns one.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::net {

enum class TransportError {
    Invalid = 0,
    None,        ///< a response arrived (any status)
    Timeout,     ///< no complete response within the time limit
    Connection,  ///< refused, reset, DNS failure, TLS failure
    Aborted,     ///< the body callback asked to stop
    Other,       ///< any other libcurl failure
};

struct HttpResponse {
    TransportError error = TransportError::Invalid;
    std::string error_message;  ///< libcurl's description when error != None
    long status = 0;            ///< HTTP status code when error == None
    /// Seconds the server asked us to wait (Retry-After as seconds or an HTTP date).
    std::optional<double> retry_after_s;
    std::string body;  ///< the whole body (also when streamed to `on_body`)
};

/// Receives body bytes as they arrive, with the response's status; returns false to abort.
using BodyCallback = std::function<bool(long status, std::string_view chunk)>;

class HttpTransport {
public:
    HttpTransport();
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    /// POSTs `body` to `url` with the given header lines ("Name: value"). `timeout_ms` bounds the
    /// whole transfer and `connect_timeout_ms` the connection. Never throws on network failures:
    /// they are reported in the response's `error`.
    HttpResponse post(const std::string& url, const std::vector<std::string>& headers,
                      const std::string& body, std::int64_t timeout_ms, std::int64_t connect_timeout_ms,
                      const BodyCallback& on_body = {});

    /// GETs `url` (a readiness probe such as /v1/models), with `timeout_ms` for the whole transfer.
    /// Never throws on network failures, like post().
    HttpResponse get(const std::string& url, std::int64_t timeout_ms);

private:
    void* m_curl = nullptr;  ///< CURL*, kept opaque so that callers need no curl header
};

/// Parses a Retry-After value: delay seconds ("120") or an HTTP date; nullopt when unreadable.
std::optional<double> parseRetryAfter(std::string_view value);

}  // namespace vietllm::net
