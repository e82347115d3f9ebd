#pragma once
// A real HTTP server for the tests of the chat client and of translate: cpp-httplib (Debian
// libcpp-httplib-dev) on 127.0.0.1 with an ephemeral port, in a helper thread, speaking the
// OpenAI chat-completions API. What it answers is decided per request by the test's responder:
// a JSON completion, an SSE stream, an error status with Retry-After, or a slow reply. It counts
// requests and the most requests it had in flight at once.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vietllm::testing {

struct FakeReply {
    int status = 200;
    std::string body;  ///< the JSON body, or ignored when `sse_events` is set
    std::map<std::string, std::string> headers;
    int delay_ms = 0;                     ///< sleep before answering (slow replies, timeouts)
    std::vector<std::string> sse_events;  ///< non-empty: answer as text/event-stream, one data: line each
};

/// The body of a successful non-streamed completion.
inline std::string completionBody(const std::string& content, const std::string& finish_reason = "stop",
                                  int prompt_tokens = 10, int completion_tokens = 5) {
    const nlohmann::json body = {{"id", "chatcmpl-test"},
                                 {"object", "chat.completion"},
                                 {"choices",
                                  {{{"index", 0},
                                    {"message", {{"role", "assistant"}, {"content", content}}},
                                    {"finish_reason", finish_reason}}}},
                                 {"usage",
                                  {{"prompt_tokens", prompt_tokens},
                                   {"completion_tokens", completion_tokens},
                                   {"total_tokens", prompt_tokens + completion_tokens}}}};
    return body.dump();
}

/// The SSE events of a streamed completion of `pieces`, with usage and [DONE].
inline std::vector<std::string> streamEvents(const std::vector<std::string>& pieces, int prompt_tokens = 10,
                                             int completion_tokens = 5) {
    std::vector<std::string> events;
    for (const std::string& piece : pieces) {
        const nlohmann::json chunk = {
            {"choices", {{{"index", 0}, {"delta", {{"content", piece}}}, {"finish_reason", nullptr}}}}};
        events.push_back(chunk.dump());
    }
    events.push_back(
        nlohmann::json(
            {{"choices", {{{"index", 0}, {"delta", nlohmann::json::object()}, {"finish_reason", "stop"}}}}})
            .dump());
    events.push_back(
        nlohmann::json(
            {{"choices", nlohmann::json::array()},
             {"usage", {{"prompt_tokens", prompt_tokens}, {"completion_tokens", completion_tokens}}}})
            .dump());
    events.push_back("[DONE]");
    return events;
}

class FakeChatServer {
public:
    /// Decides the reply to request number `index` (0-based, in arrival order) with body `request`.
    using Responder = std::function<FakeReply(const nlohmann::json& request, int index)>;

    explicit FakeChatServer(Responder responder) : m_responder(std::move(responder)) {
        m_server.new_task_queue = [] { return new httplib::ThreadPool(24); };
        m_server.Post("/v1/chat/completions",
                      [this](const httplib::Request& request, httplib::Response& response) {
                          handle(request, response);
                      });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        for (int i = 0; i < 500 && !m_server.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    ~FakeChatServer() {
        m_server.stop();
        m_thread.join();
    }
    FakeChatServer(const FakeChatServer&) = delete;
    FakeChatServer& operator=(const FakeChatServer&) = delete;

    /// The base URL clients use ("http://127.0.0.1:PORT/v1").
    std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/v1"; }
    int requestCount() const { return m_count; }
    int maxInFlight() const { return m_max_in_flight; }
    /// Every request body received, in arrival order.
    std::vector<nlohmann::json> requests() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_requests;
    }
    /// The Authorization header of the last request ("" when absent).
    std::string lastAuthorization() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_last_authorization;
    }

private:
    void handle(const httplib::Request& request, httplib::Response& response) {
        const int in_flight = ++m_in_flight;
        int previous_max = m_max_in_flight;
        while (in_flight > previous_max && !m_max_in_flight.compare_exchange_weak(previous_max, in_flight)) {
        }
        nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
        int index = 0;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            index = m_count++;
            m_requests.push_back(body);
            m_last_authorization = request.get_header_value("Authorization");
        }
        const FakeReply reply = m_responder(body, index);
        if (reply.delay_ms > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
        }
        response.status = reply.status;
        for (const auto& [name, value] : reply.headers) {
            response.set_header(name, value);
        }
        if (reply.sse_events.empty()) {
            response.set_content(reply.body, "application/json");
        } else {
            std::string stream;
            for (const std::string& event : reply.sse_events) {
                stream += "data: " + event + "\n\n";
            }
            response.set_content(stream, "text/event-stream");
        }
        --m_in_flight;
    }

    Responder m_responder;
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    std::atomic<int> m_count{0};
    std::atomic<int> m_in_flight{0};
    std::atomic<int> m_max_in_flight{0};
    mutable std::mutex m_mutex;
    std::vector<nlohmann::json> m_requests;
    std::string m_last_authorization;
};

}  // namespace vietllm::testing
