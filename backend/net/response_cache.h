#pragma once
// A persistent cache of chat-completion responses in an SQLite file, keyed by the SHA-256 of the
// request's model, parameters and messages. A re-run of a job finds every finished call here and
// sends nothing for it; a killed run loses no paid response, since each one is committed as it
// arrives. Safe to share between the worker threads of one client.

#include "backend/store/sqlite_db.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace vietllm::net {

struct CachedResponse {
    std::string content;
    std::string finish_reason;
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
};

class ResponseCache {
public:
    /// Opens (creating when missing) the cache file; throws UserError naming it when it cannot, or
    /// when the file is an SQLite database of something else.
    explicit ResponseCache(const std::string& path);

    /// The SHA-256 (hex) of a canonical request JSON: the cache key.
    static std::string keyOf(const std::string& canonical_request);

    /// The response stored for `canonical_request`, if any.
    std::optional<CachedResponse> find(const std::string& canonical_request);
    /// Stores (or replaces) the response to `canonical_request`, committed at once.
    void store(const std::string& canonical_request, const std::string& model,
               const CachedResponse& response);
    /// Number of stored responses.
    std::int64_t size();

private:
    std::mutex m_mutex;
    std::unique_ptr<store::Database> m_db;
};

}  // namespace vietllm::net
