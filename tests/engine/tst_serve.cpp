// Tests of the OpenAI-compatible server (backend/serve/) over a tiny random model, in-process on
// a free port: the model list, completions with usage, a stream read by a plain HTTP client whose
// deltas add up to the same text, OpenAI-style errors and their codes, the queue's 429, a client
// disconnect cancelling a stream, our own ChatClient against our own server, and the engine's
// generation_config.json defaults. Request parsing and the JSON builders are tested alone too.

#include "backend/chat/chat_prompter.h"
#include "backend/common/errors.h"
#include "backend/net/chat_client.h"
#include "backend/sample/engine.h"
#include "backend/serve/chat_server.h"
#include "backend/serve/generation_queue.h"
#include "backend/serve/openai_api.h"
#include "backend/weights/random_model.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

using namespace vietllm;
using nlohmann::json;

namespace {

constexpr const char* kModelName = "tiny-llama";
constexpr int kLongReply = 100;  // new tokens; the prompt of requestBody() leaves room for them

std::string writeTinyModel(const QTemporaryDir& dir, const QString& name) {
    weights::RandomModelOptions options;
    options.architecture = weights::Architecture::Llama;
    options.vocab_size = 300;  // the byte-level tokenizer needs 259
    const std::string path = dir.filePath(name).toStdString();
    weights::writeRandomModel(path, options);
    return path;
}

sample::EngineOptions oneThread() {
    sample::EngineOptions options;
    options.num_threads = 1;
    return options;
}

// A ChatServer on a free port, serving from a helper thread, with its log lines kept.
class RunningServer {
public:
    RunningServer(const sample::Engine& engine, std::size_t max_waiting = 8)
        : m_server(engine, optionsWith(max_waiting)) {
        m_thread = std::thread([this] { m_server.run(); });
        httplib::Client probe("127.0.0.1", m_server.port());
        for (int i = 0; i < 500 && !probe.Get("/v1/models"); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    ~RunningServer() {
        m_server.stop();
        m_thread.join();
    }
    RunningServer(const RunningServer&) = delete;
    RunningServer& operator=(const RunningServer&) = delete;

    int port() const { return m_server.port(); }
    std::string baseUrl() const { return m_server.baseUrl(); }
    std::vector<std::string> logLines() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_log;
    }
    /// Waits up to `timeout_ms` for a log line containing `part`.
    bool waitForLog(const std::string& part, int timeout_ms = 20000) const {
        for (int waited = 0; waited < timeout_ms; waited += 10) {
            for (const std::string& line : logLines()) {
                if (line.find(part) != std::string::npos) return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

private:
    serve::ServerOptions optionsWith(std::size_t max_waiting) {
        serve::ServerOptions options;
        options.port = 0;
        options.model_name = kModelName;
        options.template_kind = chat::TemplateKind::ChatMl;
        options.max_waiting = max_waiting;
        options.log = [this](const std::string& line) {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_log.push_back(line);
        };
        return options;
    }

    mutable std::mutex m_mutex;
    std::vector<std::string> m_log;
    serve::ChatServer m_server;
    std::thread m_thread;
};

json requestBody(int max_tokens, bool stream, std::uint64_t seed = 7) {
    return {
        {"model", kModelName},
        {"messages",
         {{{"role", "system"}, {"content", "Bạn là trợ lý."}}, {{"role", "user"}, {"content", "Xin chào"}}}},
        {"temperature", 0},
        {"max_tokens", max_tokens},
        {"seed", seed},
        {"stream", stream}};
}

json postJson(int port, const json& body, int& status) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(120, 0);
    const httplib::Result result = client.Post("/v1/chat/completions", body.dump(), "application/json");
    if (!result) {
        status = -1;
        return json();
    }
    status = result->status;
    return json::parse(result->body, nullptr, false);
}

// The events of an SSE body: the JSON of each data: line, and whether [DONE] ended it.
struct SseStream {
    std::vector<json> chunks;
    bool done = false;
    std::string content;
};

SseStream parseSse(const std::string& body) {
    SseStream out;
    std::size_t start = 0;
    while (start < body.size()) {
        const std::size_t end = std::min(body.find('\n', start), body.size());
        const std::string line = body.substr(start, end - start);
        start = end + 1;
        if (line.rfind("data: ", 0) != 0) continue;
        const std::string data = line.substr(6);
        if (data == "[DONE]") {
            out.done = true;
            continue;
        }
        out.chunks.push_back(json::parse(data));
        const json& chunk = out.chunks.back();
        if (!chunk["choices"].empty() && chunk["choices"][0]["delta"].contains("content")) {
            out.content += chunk["choices"][0]["delta"]["content"].get<std::string>();
        }
    }
    return out;
}

std::string postRaw(int port, const json& body, int& status) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(120, 0);
    const httplib::Result result = client.Post("/v1/chat/completions", body.dump(), "application/json");
    status = result ? result->status : -1;
    return result ? result->body : std::string();
}

void expectError(const json& body, int status, int expected_status, const std::string& param,
                 const std::string& code) {
    QCOMPARE(status, expected_status);
    QVERIFY2(body.contains("error"), body.dump().c_str());
    const json& error = body["error"];
    QVERIFY(error["message"].is_string() && !error["message"].get<std::string>().empty());
    QCOMPARE(error["type"].get<std::string>(),
             std::string(expected_status == 429 ? "rate_limit_error" : "invalid_request_error"));
    QCOMPARE(error["param"].is_null() ? std::string() : error["param"].get<std::string>(), param);
    QCOMPARE(error["code"].is_null() ? std::string() : error["code"].get<std::string>(), code);
}

// Posts `request` and checks the error answer (the status is read after the request is sent).
void expectRequestError(int port, const json& request, int expected_status, const std::string& param,
                        const std::string& code) {
    int status = 0;
    const json body = postJson(port, request, status);
    expectError(body, status, expected_status, param, code);
}

}  // namespace

class TestServe : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_model = writeTinyModel(m_dir, QStringLiteral("tiny"));
        m_engine = std::make_unique<sample::Engine>(m_model, oneThread());
    }

    void requestParsing() {
        const serve::ChatCompletionRequest request = serve::parseChatCompletionRequest(
            R"({"model": "m", "messages": [{"role": "developer", "content": "Be brief."},
                {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
                {"role": "assistant", "content": null}],
                "temperature": 0.5, "top_p": 0.9, "max_completion_tokens": 9, "stop": "x", "seed": 3,
                "n": 1, "stream": true, "stream_options": {"include_usage": true}, "user": "ignored"})");
        QCOMPARE(request.model, std::string("m"));
        QCOMPARE(request.messages.size(), std::size_t(3));
        QCOMPARE(request.messages[0].role, data::Role::System);
        QCOMPARE(request.messages[1].content, std::string("a\nb"));
        QCOMPARE(request.messages[2].content, std::string());
        QCOMPARE(*request.temperature, 0.5);
        QCOMPARE(*request.max_tokens, std::int64_t(9));
        QCOMPARE(request.stop, std::vector<std::string>{"x"});
        QCOMPARE(*request.seed, std::uint64_t(3));
        QVERIFY(request.stream && request.include_usage);

        const auto fails = [](const std::string& body, const std::string& param) {
            try {
                serve::parseChatCompletionRequest(body);
            } catch (const serve::ApiError& error) {
                return error.status() == 400 && error.param() == param;
            }
            return false;
        };
        QVERIFY(fails("{", ""));
        QVERIFY(fails("[1]", ""));
        QVERIFY(fails(R"({"model": "m"})", "messages"));
        QVERIFY(fails(R"({"messages": []})", "messages"));
        QVERIFY(fails(R"({"messages": [{"role": "tool", "content": "x"}]})", "messages[0].role"));
        QVERIFY(fails(R"({"messages": [{"role": "user"}]})", "messages[0].content"));
        QVERIFY(fails(R"({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]})",
                      "messages[0].content[0]"));
        QVERIFY(fails(R"({"messages": [{"role": "user", "content": "x"}], "temperature": "hot"})",
                      "temperature"));
        QVERIFY(
            fails(R"({"messages": [{"role": "user", "content": "x"}], "temperature": 3})", "temperature"));
        QVERIFY(fails(R"({"messages": [{"role": "user", "content": "x"}], "max_tokens": 0})", "max_tokens"));
        QVERIFY(fails(R"({"messages": [{"role": "user", "content": "x"}], "stop": [1]})", "stop"));
        QVERIFY(fails(R"({"messages": [{"role": "user", "content": "x"}], "n": 2})", "n"));
        QVERIFY(fails(R"({"messages": [{"role": "user", "content": "x"}], "stream": "yes"})", "stream"));
    }

    void responseJson() {
        const serve::CompletionIdentity identity{"chatcmpl-1", 1700000000, "m"};
        const json completion = serve::completionJson(identity, "Chào", serve::FinishReason::Length, {5, 3});
        QCOMPARE(completion["object"].get<std::string>(), std::string("chat.completion"));
        QCOMPARE(completion["choices"][0]["finish_reason"].get<std::string>(), std::string("length"));
        QCOMPARE(completion["usage"]["total_tokens"].get<int>(), 8);
        const json chunk = serve::chunkJson(identity, {{"content", "a"}}, std::nullopt);
        QVERIFY(chunk["choices"][0]["finish_reason"].is_null());
        QCOMPARE(serve::sseEvent(json{{"a", 1}}), std::string("data: {\"a\":1}\n\n"));
        // Bytes that are not UTF-8 must not make the JSON writer throw.
        QCOMPARE(serve::jsonText(json("a\xff")), std::string("\"a\xEF\xBF\xBD\""));
        const json error = serve::ApiError(404, "nope", "model", "model_not_found").body();
        QCOMPARE(error["error"]["type"].get<std::string>(), std::string("invalid_request_error"));
    }

    void queueOrderAndLimit() {
        serve::GenerationQueue queue(1);
        std::optional<serve::GenerationQueue::Ticket> first = queue.enter();
        std::optional<serve::GenerationQueue::Ticket> second = queue.enter();
        QVERIFY(first && second);
        QVERIFY(!queue.enter());  // one runs, one waits: the third is refused
        QVERIFY(first->waitTurn());
        std::atomic<bool> second_ran{false};
        std::thread waiter([&] { second_ran = second->waitTurn(); });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        QVERIFY(!second_ran);
        first.reset();
        waiter.join();
        QVERIFY(second_ran);
        QCOMPARE(queue.size(), std::size_t(1));
        std::optional<serve::GenerationQueue::Ticket> third = queue.enter();
        QVERIFY(third);
        std::thread stopped([&] { QVERIFY(!third->waitTurn()); });
        queue.stop();
        stopped.join();
        QVERIFY(!queue.enter());
    }

    void modelList() {
        RunningServer server(*m_engine);
        httplib::Client client("127.0.0.1", server.port());
        const httplib::Result list = client.Get("/v1/models");
        QVERIFY(list && list->status == 200);
        const json body = json::parse(list->body);
        QCOMPARE(body["object"].get<std::string>(), std::string("list"));
        QCOMPARE(body["data"][0]["id"].get<std::string>(), std::string(kModelName));
        const httplib::Result one = client.Get(std::string("/v1/models/") + kModelName);
        QVERIFY(one && one->status == 200);
        const httplib::Result other = client.Get("/v1/models/gpt-4");
        QVERIFY(other);
        expectError(json::parse(other->body), other->status, 404, "model", "model_not_found");
        QVERIFY(server.waitForLog("GET /v1/models 200"));
    }

    void completionWithUsage() {
        RunningServer server(*m_engine);
        int status = 0;
        const json body = postJson(server.port(), requestBody(12, false), status);
        QCOMPARE(status, 200);
        QCOMPARE(body["object"].get<std::string>(), std::string("chat.completion"));
        QVERIFY(body["id"].get<std::string>().rfind("chatcmpl-", 0) == 0);
        QCOMPARE(body["model"].get<std::string>(), std::string(kModelName));
        const json& choice = body["choices"][0];
        QCOMPARE(choice["message"]["role"].get<std::string>(), std::string("assistant"));
        QVERIFY(choice["message"]["content"].is_string());
        const std::string finish = choice["finish_reason"].get<std::string>();
        QVERIFY(finish == "stop" || finish == "length");
        // Usage counts the prompt as the template renders and the tokenizer encodes it.
        const chat::ChatPrompter prompter(*m_engine->tokenizer(), chat::TemplateKind::ChatMl, {});
        const std::vector<data::Message> messages = {{data::Role::System, "Bạn là trợ lý."},
                                                     {data::Role::User, "Xin chào"}};
        const json& usage = body["usage"];
        QCOMPARE(usage["prompt_tokens"].get<std::size_t>(), prompter.encode(messages).size());
        const auto completion_tokens = usage["completion_tokens"].get<int>();
        QVERIFY(completion_tokens >= 1 && completion_tokens <= 12);
        QCOMPARE(finish == "length", completion_tokens == 12);
        QCOMPARE(usage["total_tokens"].get<int>(), usage["prompt_tokens"].get<int>() + completion_tokens);
        QVERIFY(server.waitForLog("POST /v1/chat/completions 200 prompt="));
        // The same seed and greedy settings give the same text again.
        int again_status = 0;
        const json again = postJson(server.port(), requestBody(12, false), again_status);
        QCOMPARE(again["choices"][0]["message"]["content"], choice["message"]["content"]);
    }

    void streamMatchesCompletion() {
        RunningServer server(*m_engine);
        int status = 0;
        const json whole = postJson(server.port(), requestBody(40, false), status);
        QCOMPARE(status, 200);
        json stream_request = requestBody(40, true);
        stream_request["stream_options"] = {{"include_usage", true}};
        const std::string raw = postRaw(server.port(), stream_request, status);
        QCOMPARE(status, 200);
        const SseStream stream = parseSse(raw);
        QVERIFY(stream.done);
        QVERIFY(stream.chunks.size() >= 3);
        QCOMPARE(stream.chunks.front()["choices"][0]["delta"]["role"].get<std::string>(),
                 std::string("assistant"));
        for (const json& chunk : stream.chunks) {
            QCOMPARE(chunk["object"].get<std::string>(), std::string("chat.completion.chunk"));
            QCOMPARE(chunk["id"], stream.chunks.front()["id"]);
        }
        QCOMPARE(stream.content, whole["choices"][0]["message"]["content"].get<std::string>());
        const json& last_choice = stream.chunks[stream.chunks.size() - 2]["choices"][0];
        QCOMPARE(last_choice["finish_reason"], whole["choices"][0]["finish_reason"]);
        QVERIFY(last_choice["delta"].empty());
        const json& usage_chunk = stream.chunks.back();
        QVERIFY(usage_chunk["choices"].empty());
        QCOMPARE(usage_chunk["usage"], whole["usage"]);
        QVERIFY(server.waitForLog("200 stream prompt="));
    }

    void stopStrings() {
        RunningServer server(*m_engine);
        int status = 0;
        const std::string text =
            postJson(server.port(), requestBody(40, false), status)["choices"][0]["message"]["content"]
                .get<std::string>();
        // Stop at the first ASCII letter or digit of the text after its first character.
        std::size_t at = 1;
        while (at < text.size() && !std::isalnum(static_cast<unsigned char>(text[at]))) ++at;
        // The model and its seed are fixed, so its greedy reply is too; it has such a letter.
        QVERIFY2(at < text.size(), text.c_str());
        const std::string stop(1, text[at]);
        json request = requestBody(40, false);
        request["stop"] = json::array({"\x01never", stop});
        const json body = postJson(server.port(), request, status);
        QCOMPARE(status, 200);
        QCOMPARE(body["choices"][0]["message"]["content"].get<std::string>(),
                 text.substr(0, text.find(stop)));
        QCOMPARE(body["choices"][0]["finish_reason"].get<std::string>(), std::string("stop"));
        request["stream"] = true;
        const SseStream stream = parseSse(postRaw(server.port(), request, status));
        QCOMPARE(stream.content, text.substr(0, text.find(stop)));
    }

    void badRequests() {
        RunningServer server(*m_engine);
        httplib::Client client("127.0.0.1", server.port());
        const httplib::Result bad_json = client.Post("/v1/chat/completions", "{not json", "application/json");
        QVERIFY(bad_json);
        expectError(json::parse(bad_json->body), bad_json->status, 400, "", "invalid_json");
        expectRequestError(server.port(), {{"model", kModelName}}, 400, "messages", "missing_field");
        json wrong_type = requestBody(4, false);
        wrong_type["max_tokens"] = "four";
        expectRequestError(server.port(), wrong_type, 400, "max_tokens", "invalid_type");
        json bad_role = requestBody(4, false);
        bad_role["messages"][1]["role"] = "wizard";
        expectRequestError(server.port(), bad_role, 400, "messages[1].role", "invalid_value");
        json late_system = requestBody(4, false);
        late_system["messages"].push_back({{"role", "system"}, {"content", "late"}});
        expectRequestError(server.port(), late_system, 400, "messages", "invalid_value");
        json other_model = requestBody(4, false);
        other_model["model"] = "gpt-4o";
        expectRequestError(server.port(), other_model, 404, "model", "model_not_found");
        json too_long = requestBody(4, false);
        too_long["messages"][1]["content"] = std::string(300, 'a');
        expectRequestError(server.port(), too_long, 400, "messages", "context_length_exceeded");
        too_long["stream"] = true;
        expectRequestError(server.port(), too_long, 400, "messages", "context_length_exceeded");
        const httplib::Result route = client.Get("/v1/completions");
        QVERIFY(route);
        expectError(json::parse(route->body), route->status, 404, "", "");
        QVERIFY(server.waitForLog("GET /v1/completions 404"));
    }

    void busyServerAnswers429() {
        RunningServer server(*m_engine, 0);  // one generation, nobody waiting
        QVERIFY(longGreedyReply(server));
        std::promise<void> first_chunk;
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        std::thread streaming([&] {
            httplib::Client client("127.0.0.1", server.port());
            client.set_read_timeout(120, 0);
            httplib::Request request;
            request.method = "POST";
            request.path = "/v1/chat/completions";
            request.body = requestBody(kLongReply, true).dump();
            request.set_header("Content-Type", "application/json");
            bool first = true;
            request.content_receiver = [&](const char*, std::size_t, std::uint64_t, std::uint64_t) {
                if (first) {
                    first = false;
                    first_chunk.set_value();
                    released.wait();
                }
                return true;
            };
            client.send(request);
        });
        first_chunk.get_future().wait();
        int status = 0;
        const json refused = postJson(server.port(), requestBody(4, false), status);
        release.set_value();
        streaming.join();
        expectError(refused, status, 429, "", "server_busy");
    }

    void clientDisconnectCancelsStream() {
        RunningServer server(*m_engine);
        QVERIFY(longGreedyReply(server));
        {
            httplib::Client client("127.0.0.1", server.port());
            httplib::Request request;
            request.method = "POST";
            request.path = "/v1/chat/completions";
            request.body = requestBody(kLongReply, true).dump();
            request.set_header("Content-Type", "application/json");
            int chunks = 0;
            request.content_receiver = [&](const char*, std::size_t, std::uint64_t, std::uint64_t) {
                return ++chunks < 2;  // hang up after the first event
            };
            client.send(request);
        }
        QVERIFY(server.waitForLog("cancelled (client gone)"));
        for (const std::string& line : server.logLines()) {
            const std::size_t at = line.find("completion=");
            if (line.find("client gone") != std::string::npos && at != std::string::npos) {
                QVERIFY2(std::stoi(line.substr(at + 11)) < kLongReply, line.c_str());
            }
        }
        // The server is free for the next request.
        int status = 0;
        postJson(server.port(), requestBody(4, false), status);
        QCOMPARE(status, 200);
    }

    void ourClientAgainstOurServer() {
        RunningServer server(*m_engine);
        int status = 0;
        const json direct = postJson(server.port(), requestBody(16, false), status);
        for (const bool stream : {false, true}) {
            net::ChatClientOptions options;
            options.endpoint = server.baseUrl();
            options.model = kModelName;
            options.concurrency = 1;
            options.max_retries = 0;
            options.stream = stream;
            net::ChatClient client(options);
            net::ChatRequest request;
            request.messages = {{"system", "Bạn là trợ lý."}, {"user", "Xin chào"}};
            request.parameters.max_tokens = 16;
            request.parameters.temperature = 0;
            request.parameters.seed = 7;
            const net::ChatResult result = client.complete(request);
            QVERIFY2(result.status == net::ChatStatus::Ok, result.error.c_str());
            QCOMPARE(result.content, direct["choices"][0]["message"]["content"].get<std::string>());
            QCOMPARE(result.finish_reason, direct["choices"][0]["finish_reason"].get<std::string>());
            QCOMPARE(result.prompt_tokens, direct["usage"]["prompt_tokens"].get<std::int64_t>());
        }
    }

    void generationConfigDefaults() {
        QTemporaryDir dir;
        const std::string model = writeTinyModel(dir, QStringLiteral("configured"));
        const std::string config_path = model + "/generation_config.json";
        std::ofstream(config_path) << R"({"do_sample": false, "temperature": 0.6, "top_p": 0.9, "top_k": 20,
            "repetition_penalty": 1.1, "max_length": 30, "eos_token_id": [2, 7], "pad_token_id": 0,
            "bos_token_id": 1})";
        const sample::GenerationDefaults defaults = sample::loadGenerationDefaults(model);
        QCOMPARE(*defaults.do_sample, false);
        QCOMPARE(*defaults.top_k, std::int64_t(20));
        QCOMPARE(defaults.eos_token_ids, (std::vector<std::int32_t>{2, 7}));
        const sample::GenerationOptions options = sample::applyGenerationDefaults(defaults, 12);
        QCOMPARE(options.sampling.temperature, 0.0);  // do_sample false: greedy
        QCOMPARE(options.sampling.top_p, 0.9);
        QCOMPARE(options.sampling.repetition_penalty, 1.1);
        QCOMPARE(options.max_new_tokens, std::int64_t(18));  // max_length counts the prompt

        std::ofstream(config_path) << R"({"max_new_tokens": 5, "max_length": 100, "eos_token_id": 9})";
        QCOMPARE(sample::applyGenerationDefaults(sample::loadGenerationDefaults(model), 12).max_new_tokens,
                 std::int64_t(5));
        QCOMPARE(sample::applyGenerationDefaults({}, 12).sampling.temperature, 1.0);  // no file: our defaults

        // The server takes its defaults from the file: 5 tokens at most without max_tokens.
        {
            const sample::Engine engine(model, oneThread());
            RunningServer server(engine);
            json request = requestBody(4, false);
            request.erase("max_tokens");
            int status = 0;
            const json body = postJson(server.port(), request, status);
            QCOMPARE(status, 200);
            QVERIFY(body["usage"]["completion_tokens"].get<int>() <= 5);
        }

        for (const char* broken : {"{ broken", R"({"temperature": "warm"})", R"({"eos_token_id": ["x"]})"}) {
            std::ofstream(config_path) << broken;
            try {
                sample::Engine engine(model, oneThread());
                QFAIL("a bad generation_config.json must be a user error");
            } catch (const UserError& error) {
                QVERIFY2(std::string(error.what()).find("generation_config.json") != std::string::npos,
                         error.what());
            }
        }
    }

    void generationConfigEndOfSequence() {
        QTemporaryDir dir;
        const std::string model = writeTinyModel(dir, QStringLiteral("eos"));
        const std::vector<std::int32_t> prompt = {5, 6, 7};
        sample::GenerationOptions greedy;
        greedy.sampling.temperature = 0.0;
        greedy.max_new_tokens = 6;
        const std::int32_t first = [&] {
            const sample::Engine engine(model, oneThread());
            return engine.generate({prompt}, greedy, {}).front().token_ids.front();
        }();
        // generation_config.json's eos ids stop generation like config.json's.
        std::ofstream(model + "/generation_config.json") << json{{"eos_token_id", {first}}}.dump();
        const sample::Engine engine(model, oneThread());
        const sample::GenerationResult result = engine.generate({prompt}, greedy, {}).front();
        QCOMPARE(result.token_ids, std::vector<std::int32_t>{first});
        QCOMPARE(result.stop_reason, sample::StopReason::StopToken);
        greedy.ignore_eos = true;
        QCOMPARE(engine.generate({prompt}, greedy, {}).front().token_ids.size(), std::size_t(6));
    }

private:
    // The greedy reply to requestBody() runs to kLongReply tokens (no early end of turn), so a
    // stream of it keeps the engine busy for a while.
    bool longGreedyReply(const RunningServer& server) const {
        int status = 0;
        const json body = postJson(server.port(), requestBody(kLongReply, false), status);
        return status == 200 && body["usage"]["completion_tokens"].get<int>() == kLongReply;
    }

    QTemporaryDir m_dir;
    std::string m_model;
    std::unique_ptr<sample::Engine> m_engine;
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
