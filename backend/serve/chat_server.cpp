#include "backend/serve/chat_server.h"

#include "backend/chat/chat_prompter.h"
#include "backend/common/errors.h"
#include "backend/sample/engine.h"
#include "backend/sample/sampler.h"
#include "backend/serve/generation_queue.h"
#include "backend/serve/openai_api.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>
#include <sstream>

namespace vietllm::serve {
namespace {

constexpr const char* kJson = "application/json";
constexpr std::size_t kMaxBodyBytes = 16 << 20;

// One completion request, checked and turned into what the engine runs.
struct PreparedCompletion {
    CompletionIdentity identity;
    std::vector<std::int32_t> prompt;
    sample::GenerationOptions generation;
    bool stream = false;
    bool include_usage = false;
    std::chrono::steady_clock::time_point start;
};

// What a streamed completion carries from its handler to its content provider.
struct StreamState {
    PreparedCompletion completion;
    std::optional<GenerationQueue::Ticket> ticket;
    std::int64_t completion_tokens = 0;
    std::string outcome;  // for the log line
};

FinishReason finishReason(sample::StopReason reason) {
    return reason == sample::StopReason::StopToken || reason == sample::StopReason::StopString
               ? FinishReason::Stop
               : FinishReason::Length;
}

void sendError(httplib::Response& response, const ApiError& error) {
    response.status = error.status();
    response.set_content(jsonText(error.body()), kJson);
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string completionLogLine(const PreparedCompletion& completion, std::int64_t completion_tokens,
                              const std::string& outcome) {
    const double seconds = secondsSince(completion.start);
    char timing[64];
    std::snprintf(timing, sizeof(timing), "%.2fs, %.1f tok/s", seconds,
                  seconds > 0 ? static_cast<double>(completion_tokens) / seconds : 0.0);
    return std::string("POST /v1/chat/completions ") + outcome + (completion.stream ? " stream" : "") +
           " prompt=" + std::to_string(completion.prompt.size()) +
           " completion=" + std::to_string(completion_tokens) + " (" + timing + ")";
}

}  // namespace

class ChatServer::Impl {
public:
    Impl(const sample::Engine& engine, ServerOptions options)
        : m_engine(engine),
          m_options(std::move(options)),
          m_prompter(checkedTokenizer(engine), m_options.template_kind, m_options.render_options),
          m_queue(m_options.max_waiting),
          m_created(static_cast<std::int64_t>(std::time(nullptr))),
          m_random(std::random_device{}()) {
        const std::size_t threads = m_options.max_waiting + 8;
        m_http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        m_http.set_payload_max_length(kMaxBodyBytes);
        m_http.set_keep_alive_timeout(2);
        addRoutes();
        m_port = m_options.port == 0
                     ? m_http.bind_to_any_port(m_options.host)
                     : (m_http.bind_to_port(m_options.host, m_options.port) ? m_options.port : -1);
        if (m_port < 0) {
            throw UserError("cannot listen on " + m_options.host + ":" + std::to_string(m_options.port) +
                            " (the port is in use, or the host is not an address of this machine)");
        }
    }

    int port() const { return m_port; }
    const ServerOptions& options() const { return m_options; }

    bool run() {
        if (m_stopping) {
            return true;
        }
        return m_http.listen_after_bind();
    }

    void stop() {
        m_stopping = true;
        m_queue.stop();
        m_http.stop();
    }

private:
    static const tokenizer::Tokenizer& checkedTokenizer(const sample::Engine& engine) {
        if (engine.tokenizer() == nullptr) {
            throw UserError(
                "the model folder has no tokenizer (tokenizer.json or tokenizer.model): the server "
                "needs one to read and write text");
        }
        return *engine.tokenizer();
    }

    void log(const std::string& line) const {
        if (m_options.log) {
            m_options.log(line);
        }
    }

    void addRoutes() {
        m_http.Get("/v1/models", [this](const httplib::Request&, httplib::Response& response) {
            response.set_content(jsonText(modelListJson(m_options.model_name, m_created)), kJson);
        });
        m_http.Get(R"(/v1/models/(.+))",
                   [this](const httplib::Request& request, httplib::Response& response) {
                       if (request.matches[1] != m_options.model_name) {
                           sendError(response, unknownModel(request.matches[1]));
                           return;
                       }
                       response.set_content(jsonText(modelJson(m_options.model_name, m_created)), kJson);
                   });
        m_http.Post("/v1/chat/completions",
                    [this](const httplib::Request& request, httplib::Response& response) {
                        handleCompletion(request, response);
                    });
        m_http.set_error_handler(httplib::Server::HandlerWithResponse(
            [](const httplib::Request& request, httplib::Response& response) {
                if (!response.body.empty()) {
                    return httplib::Server::HandlerResponse::Unhandled;
                }
                const std::string message =
                    response.status == 404   ? "unknown route: " + request.method + " " + request.path
                    : response.status == 413 ? std::string("the request body is too large")
                                             : "HTTP status " + std::to_string(response.status);
                sendError(response, ApiError(response.status, message));
                return httplib::Server::HandlerResponse::Handled;
            }));
        m_http.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
            // Completions that were answered log their own line, with token counts.
            if (request.path != "/v1/chat/completions" || response.status != 200) {
                log(request.method + " " + request.path + " " + std::to_string(response.status));
            }
        });
    }

    ApiError unknownModel(const std::string& name) const {
        return ApiError(
            404, "the model '" + name + "' does not exist; this server serves '" + m_options.model_name + "'",
            "model", "model_not_found");
    }

    std::string newCompletionId() {
        const std::lock_guard<std::mutex> lock(m_random_mutex);
        char text[40];
        std::snprintf(text, sizeof(text), "chatcmpl-%016llx%08llx",
                      static_cast<unsigned long long>(m_random()),
                      static_cast<unsigned long long>(m_random() & 0xffffffffULL));
        return text;
    }

    std::uint64_t randomSeed() {
        const std::lock_guard<std::mutex> lock(m_random_mutex);
        return m_random();
    }

    // Checks a request and builds its prompt and generation options; throws ApiError.
    PreparedCompletion prepare(const std::string& body) {
        const ChatCompletionRequest request = parseChatCompletionRequest(body);
        if (!request.model.empty() && request.model != m_options.model_name) {
            throw unknownModel(request.model);
        }
        PreparedCompletion out;
        out.start = std::chrono::steady_clock::now();
        out.identity = {newCompletionId(), static_cast<std::int64_t>(std::time(nullptr)),
                        m_options.model_name};
        out.stream = request.stream;
        out.include_usage = request.include_usage;
        try {
            out.prompt = m_prompter.encode(request.messages);
        } catch (const UserError& error) {
            throw ApiError(400, error.what(), "messages", "invalid_value");
        }
        const auto context = static_cast<std::size_t>(m_engine.config().max_positions);
        if (out.prompt.size() >= context) {
            throw ApiError(400,
                           "the prompt has " + std::to_string(out.prompt.size()) +
                               " tokens; the model's context is " + std::to_string(context) +
                               " tokens, which leaves no room for a reply",
                           "messages", "context_length_exceeded");
        }
        out.generation = generationOptions(request, out.prompt.size(), context);
        return out;
    }

    sample::GenerationOptions generationOptions(const ChatCompletionRequest& request,
                                                std::size_t prompt_tokens, std::size_t context) {
        const sample::GenerationDefaults& defaults = m_engine.generationDefaults();
        sample::GenerationOptions generation = sample::applyGenerationDefaults(defaults, prompt_tokens);
        if (!defaults.max_new_tokens && !defaults.max_length) {
            generation.max_new_tokens = static_cast<std::int64_t>(context - prompt_tokens);
        }
        sample::SamplingOptions& sampling = generation.sampling;
        sampling.temperature = request.temperature.value_or(sampling.temperature);
        sampling.top_p = request.top_p.value_or(sampling.top_p);
        if (sampling.top_p == 0.0) {  // OpenAI allows 0: only the most likely token
            sampling.top_p = 1.0;
            sampling.temperature = 0.0;
        }
        sampling.top_k = request.top_k.value_or(sampling.top_k);
        sampling.frequency_penalty = request.frequency_penalty.value_or(sampling.frequency_penalty);
        sampling.presence_penalty = request.presence_penalty.value_or(sampling.presence_penalty);
        sampling.seed = request.seed ? *request.seed : randomSeed();
        generation.max_new_tokens = request.max_tokens.value_or(generation.max_new_tokens);
        generation.stop_strings = request.stop;
        m_prompter.addEndOfTurnStops(generation.stop_token_ids, generation.stop_strings);
        try {
            sample::Sampler check(sampling, 1);
        } catch (const UserError& error) {
            throw ApiError(400, error.what(), "", "invalid_value");
        }
        return generation;
    }

    void handleCompletion(const httplib::Request& request, httplib::Response& response) {
        try {
            PreparedCompletion completion = prepare(request.body);
            std::optional<GenerationQueue::Ticket> ticket = m_queue.enter();
            if (!ticket) {
                response.set_header("Retry-After", "1");
                throw m_queue.stopped()
                    ? ApiError(503, "the server is shutting down", "", "shutting_down")
                    : ApiError(429,
                               "the server is busy: " + std::to_string(m_options.max_waiting) +
                                   " requests are already waiting; retry later",
                               "", "server_busy");
            }
            if (completion.stream) {
                startStream(std::move(completion), std::move(*ticket), response);
            } else {
                complete(completion, *ticket, response);
            }
        } catch (const ApiError& error) {
            sendError(response, error);
        } catch (const std::exception& error) {
            sendError(response, ApiError(500, std::string("internal error: ") + error.what()));
        }
    }

    void complete(const PreparedCompletion& completion, GenerationQueue::Ticket& ticket,
                  httplib::Response& response) {
        if (!ticket.waitTurn()) {
            throw ApiError(503, "the server is shutting down", "", "shutting_down");
        }
        sample::GenerationResult result;
        try {
            result = m_engine
                         .generate({completion.prompt}, completion.generation,
                                   [this](const sample::StreamChunk&) { return !m_stopping; })
                         .front();
        } catch (const UserError& error) {
            throw ApiError(400, error.what());
        }
        if (result.stop_reason == sample::StopReason::Cancelled) {
            throw ApiError(503, "the server is shutting down", "", "shutting_down");
        }
        const auto completion_tokens = static_cast<std::int64_t>(result.token_ids.size());
        const TokenUsage usage{static_cast<std::int64_t>(completion.prompt.size()), completion_tokens};
        response.set_content(jsonText(completionJson(completion.identity, result.text,
                                                     finishReason(result.stop_reason), usage)),
                             kJson);
        log(completionLogLine(completion, completion_tokens, "200"));
    }

    void startStream(PreparedCompletion completion, GenerationQueue::Ticket ticket,
                     httplib::Response& response) {
        auto state = std::make_shared<StreamState>();
        state->completion = std::move(completion);
        state->ticket.emplace(std::move(ticket));
        response.set_header("Cache-Control", "no-cache");
        response.set_chunked_content_provider(
            "text/event-stream",
            [this, state](std::size_t, httplib::DataSink& sink) { return stream(*state, sink); },
            [this, state](bool) {
                state->ticket.reset();
                log(completionLogLine(state->completion, state->completion_tokens, state->outcome));
            });
    }

    // Runs a streamed completion, writing its events to `sink`; false drops the connection.
    bool stream(StreamState& state, httplib::DataSink& sink) {
        const PreparedCompletion& completion = state.completion;
        const auto send = [&sink](const std::string& event) {
            return sink.write(event.data(), event.size());
        };
        state.outcome = "200 cancelled (server stopping)";
        if (!state.ticket->waitTurn()) {
            return false;
        }
        bool client_gone =
            !send(sseEvent(chunkJson(completion.identity, {{"role", "assistant"}, {"content", ""}}, {})));
        const sample::StreamCallback on_chunk = [&](const sample::StreamChunk& chunk) {
            ++state.completion_tokens;
            if (!chunk.text.empty() && !client_gone) {
                client_gone = !send(sseEvent(chunkJson(completion.identity, {{"content", chunk.text}}, {})));
            }
            return !client_gone && !m_stopping;
        };
        sample::GenerationResult result;
        try {
            result = m_engine.generate({completion.prompt}, completion.generation, on_chunk).front();
        } catch (const std::exception& error) {
            state.outcome = std::string("200 failed: ") + error.what();
            send(sseEvent(ApiError(500, error.what()).body()));
            return send(sseDone());
        }
        state.completion_tokens = static_cast<std::int64_t>(result.token_ids.size());
        if (result.stop_reason == sample::StopReason::Cancelled) {
            state.outcome = client_gone ? "200 cancelled (client gone)" : "200 cancelled (server stopping)";
            return false;
        }
        state.outcome = "200";
        const FinishReason finish = finishReason(result.stop_reason);
        bool ok = send(sseEvent(chunkJson(completion.identity, nlohmann::json::object(), finish)));
        if (ok && completion.include_usage) {
            ok = send(sseEvent(usageChunkJson(
                completion.identity,
                {static_cast<std::int64_t>(completion.prompt.size()), state.completion_tokens})));
        }
        ok = ok && send(sseDone());
        if (ok) {
            sink.done();
        }
        return ok;
    }

    const sample::Engine& m_engine;
    ServerOptions m_options;
    chat::ChatPrompter m_prompter;
    GenerationQueue m_queue;
    httplib::Server m_http;
    int m_port = -1;
    std::int64_t m_created;
    std::atomic<bool> m_stopping{false};
    std::mutex m_random_mutex;
    std::mt19937_64 m_random;
};

ChatServer::ChatServer(const sample::Engine& engine, ServerOptions options)
    : m_impl(std::make_unique<Impl>(engine, std::move(options))) {}

ChatServer::~ChatServer() = default;

int ChatServer::port() const {
    return m_impl->port();
}

std::string ChatServer::baseUrl() const {
    return "http://" + m_impl->options().host + ":" + std::to_string(m_impl->port()) + "/v1";
}

bool ChatServer::run() {
    return m_impl->run();
}

void ChatServer::stop() {
    m_impl->stop();
}

}  // namespace vietllm::serve
