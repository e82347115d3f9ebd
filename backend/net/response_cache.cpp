#include "backend/net/response_cache.h"

#include "backend/common/errors.h"

#include <openssl/evp.h>

#include <cstdio>
#include <stdexcept>

namespace vietllm::net {

namespace {

// PRAGMA application_id of response caches ("VLLC"), so that a project or another SQLite file
// given as --cache is refused instead of being written into.
constexpr std::int64_t kCacheApplicationId = 0x564C4C43;
constexpr int kBusyTimeoutMs = 10000;

constexpr const char* kCacheSchema = R"sql(
CREATE TABLE IF NOT EXISTS chat_response (
    request_key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    request TEXT NOT NULL,
    content TEXT NOT NULL,
    finish_reason TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;
)sql";

}  // namespace

ResponseCache::ResponseCache(const std::string& path)
    : m_db(std::make_unique<store::Database>(path, store::OpenMode::CreateReadWrite, kBusyTimeoutMs)) {
    const std::int64_t application_id = m_db->queryInt("PRAGMA application_id");
    if (application_id != 0 && application_id != kCacheApplicationId) {
        throw UserError(path + ": not a vietllm response cache (another kind of SQLite file)");
    }
    const std::int64_t tables =
        m_db->queryInt("SELECT count(*) FROM sqlite_schema WHERE name <> 'chat_response'");
    if (application_id == 0 && tables > 0) {
        throw UserError(path + ": not a vietllm response cache (an SQLite file with other tables)");
    }
    m_db->exec("PRAGMA journal_mode = WAL");
    // In WAL mode NORMAL cannot corrupt the file; a power cut loses at most the last responses.
    m_db->exec("PRAGMA synchronous = NORMAL");
    m_db->exec(kCacheSchema);
    m_db->exec("PRAGMA application_id = " + std::to_string(kCacheApplicationId));
}

std::string ResponseCache::keyOf(const std::string& canonical_request) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    if (EVP_Digest(canonical_request.data(), canonical_request.size(), digest, &digest_size, EVP_sha256(),
                   nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    std::string hex;
    hex.reserve(2 * digest_size);
    for (unsigned int i = 0; i < digest_size; ++i) {
        char pair[3];
        std::snprintf(pair, sizeof pair, "%02x", digest[i]);
        hex += pair;
    }
    return hex;
}

std::optional<CachedResponse> ResponseCache::find(const std::string& canonical_request) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    store::Statement query(*m_db,
                           "SELECT request, content, finish_reason, prompt_tokens, completion_tokens "
                           "FROM chat_response WHERE request_key = ?1");
    query.bindText(1, keyOf(canonical_request));
    // The stored request is compared too, so that even a hash collision cannot return the wrong text.
    if (!query.step() || query.columnText(0) != canonical_request) {
        return std::nullopt;
    }
    return CachedResponse{query.columnText(1), query.columnText(2), query.columnInt(3), query.columnInt(4)};
}

void ResponseCache::store(const std::string& canonical_request, const std::string& model,
                          const CachedResponse& response) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    store::Statement insert(
        *m_db,
        "INSERT OR REPLACE INTO chat_response (request_key, model, request, content, "
        "finish_reason, prompt_tokens, completion_tokens) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.bindText(1, keyOf(canonical_request))
        .bindText(2, model)
        .bindText(3, canonical_request)
        .bindText(4, response.content)
        .bindText(5, response.finish_reason)
        .bindInt(6, response.prompt_tokens)
        .bindInt(7, response.completion_tokens);
    insert.run();
}

std::int64_t ResponseCache::size() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_db->queryInt("SELECT count(*) FROM chat_response");
}

}  // namespace vietllm::net
