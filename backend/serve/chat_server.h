#pragma once
// The OpenAI-compatible HTTP server (cpp-httplib, hidden behind a pimpl): GET /v1/models,
// GET /v1/models/{name} and POST /v1/chat/completions (JSON or SSE stream) over one loaded Engine.
// The engine is not re-entrant, so completions run one at a time in arrival order; at most
// `max_waiting` more wait their turn, and the next is refused with 429. A streamed request whose
// client goes away is cancelled at the next token; stop() cancels the running one.

#include "backend/chat/chat_template.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace vietllm::sample {
class Engine;
}

namespace vietllm::serve {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  ///< 0: any free port (see ChatServer::port())
    std::string model_name;
    chat::TemplateKind template_kind = chat::TemplateKind::Invalid;
    chat::RenderOptions render_options;  ///< the model's BOS/EOS texts
    std::size_t max_waiting = 8;         ///< requests waiting for the engine beyond the running one
    /// Receives one line per request (method, path, status, tokens, seconds); may be empty.
    std::function<void(const std::string& line)> log;
};

class ChatServer {
public:
    /// Binds `options.host`:`options.port` for `engine` (which must outlive the server and have a
    /// tokenizer). Throws UserError when the address cannot be bound or the options are invalid.
    ChatServer(const sample::Engine& engine, ServerOptions options);
    ~ChatServer();
    ChatServer(const ChatServer&) = delete;
    ChatServer& operator=(const ChatServer&) = delete;

    /// The port bound (the one chosen when options.port was 0).
    int port() const;
    /// "http://HOST:PORT/v1".
    std::string baseUrl() const;
    /// Serves requests until stop(); returns false when the server failed to listen.
    bool run();
    /// Makes run() return: cancels the running generation and refuses the waiting requests.
    /// Safe from any thread.
    void stop();

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vietllm::serve
