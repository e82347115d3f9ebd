#include "backend/net/http_transport.h"

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <stdexcept>

namespace vietllm::net {

namespace {

// libcurl must be initialised once per process before any handle exists, and its init is not
// thread-safe on every build: a once-flag makes the first transport do it.
void ensureCurlInitialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("libcurl could not be initialised");
        }
    });
}

struct TransferState {
    CURL* curl = nullptr;
    HttpResponse* response = nullptr;
    const BodyCallback* on_body = nullptr;
};

size_t onBodyBytes(char* data, size_t size, size_t count, void* user) {
    auto* state = static_cast<TransferState*>(user);
    const std::string_view chunk(data, size * count);
    state->response->body.append(chunk);
    if (state->on_body != nullptr && *state->on_body) {
        long status = 0;
        curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &status);
        if (!(*state->on_body)(status, chunk)) {
            return 0;  // libcurl treats a short count as "abort"
        }
    }
    return chunk.size();
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) !=
            std::tolower(static_cast<unsigned char>(prefix[i]))) {
            return false;
        }
    }
    return true;
}

size_t onHeaderLine(char* data, size_t size, size_t count, void* user) {
    auto* state = static_cast<TransferState*>(user);
    const std::string_view line(data, size * count);
    constexpr std::string_view kRetryAfter = "retry-after:";
    if (startsWithNoCase(line, kRetryAfter)) {
        state->response->retry_after_s = parseRetryAfter(trim(line.substr(kRetryAfter.size())));
    }
    return line.size();
}

TransportError classify(CURLcode code) {
    switch (code) {
        case CURLE_OK:
            return TransportError::None;
        case CURLE_OPERATION_TIMEDOUT:
            return TransportError::Timeout;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_SSL_CONNECT_ERROR:
            return TransportError::Connection;
        case CURLE_WRITE_ERROR:
            return TransportError::Aborted;
        default:
            return TransportError::Other;
    }
}

}  // namespace

HttpTransport::HttpTransport() {
    ensureCurlInitialised();
    m_curl = curl_easy_init();
    if (m_curl == nullptr) {
        throw std::runtime_error("libcurl could not create a handle");
    }
}

HttpTransport::~HttpTransport() {
    curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

HttpResponse HttpTransport::post(const std::string& url, const std::vector<std::string>& headers,
                                 const std::string& body, std::int64_t timeout_ms,
                                 std::int64_t connect_timeout_ms, const BodyCallback& on_body) {
    CURL* curl = static_cast<CURL*>(m_curl);
    curl_easy_reset(curl);  // keeps the live connection, forgets the previous request's options
    HttpResponse response;
    TransferState state{curl, &response, &on_body};

    curl_slist* header_list = nullptr;
    for (const std::string& header : headers) {
        header_list = curl_slist_append(header_list, header.c_str());
    }
    // No "Expect: 100-continue" round trip before large bodies.
    header_list = curl_slist_append(header_list, "Expect:");

    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // required for timeouts in threaded programs
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBodyBytes);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeaderLine);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &state);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // any encoding libcurl can decode

    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(header_list);
    response.error = classify(code);
    if (response.error == TransportError::None) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    } else {
        response.error_message = curl_easy_strerror(code);
    }
    return response;
}

HttpResponse HttpTransport::get(const std::string& url, std::int64_t timeout_ms) {
    CURL* curl = static_cast<CURL*>(m_curl);
    curl_easy_reset(curl);
    HttpResponse response;
    const BodyCallback no_callback;
    TransferState state{curl, &response, &no_callback};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBodyBytes);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
    const CURLcode code = curl_easy_perform(curl);
    response.error = classify(code);
    if (response.error == TransportError::None) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    } else {
        response.error_message = curl_easy_strerror(code);
    }
    return response;
}

std::optional<double> parseRetryAfter(std::string_view value) {
    value = trim(value);
    if (value.empty()) {
        return std::nullopt;
    }
    const std::string text(value);
    char* end = nullptr;
    const double seconds = std::strtod(text.c_str(), &end);
    if (end != nullptr && *end == '\0') {
        return seconds >= 0 ? std::optional<double>(seconds) : std::nullopt;
    }
    // An HTTP date; libcurl parses the formats RFC 9110 allows.
    const std::time_t when = curl_getdate(text.c_str(), nullptr);
    if (when < 0) {
        return std::nullopt;
    }
    const double delay_s = std::difftime(when, std::time(nullptr));
    return delay_s > 0 ? delay_s : 0.0;
}

}  // namespace vietllm::net
