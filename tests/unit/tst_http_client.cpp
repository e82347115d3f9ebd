// The chat-completion client against a real local HTTP server (cpp-httplib on 127.0.0.1):
// JSON and SSE replies, retries on 429 (Retry-After), 5xx and timeouts, no retry on 400,
// bounded concurrency, rate limits, the response cache and token/cost accounting.

#include "backend/common/errors.h"
#include "backend/net/chat_client.h"
#include "backend/net/http_transport.h"
#include "tests/common/fake_chat_server.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>

using vietllm::net::ChatClient;
using vietllm::net::ChatClientOptions;
using vietllm::net::ChatRequest;
using vietllm::net::ChatResult;
using vietllm::net::ChatStatus;
using vietllm::testing::completionBody;
using vietllm::testing::FakeChatServer;
using vietllm::testing::FakeReply;

namespace {

ChatClientOptions optionsFor(const FakeChatServer& server) {
    ChatClientOptions options;
    options.endpoint = server.endpoint();
    options.model = "test-model";
    options.initial_backoff_ms = 10;
    options.max_backoff_ms = 50;
    options.timeout_ms = 5000;
    options.jitter_seed = 7;
    return options;
}

ChatRequest requestOf(const std::string& text, std::int64_t max_tokens = 64) {
    ChatRequest request;
    request.messages = {{"system", "Translate."}, {"user", text}};
    request.parameters.max_tokens = max_tokens;
    return request;
}

FakeReply ok(const std::string& content) {
    FakeReply reply;
    reply.body = completionBody(content);
    return reply;
}

}  // namespace

class TestHttpClient : public QObject {
    Q_OBJECT

private slots:
    void jsonReplyUsageCostAndRequestShape() {
        FakeChatServer server([](const nlohmann::json&, int) { return ok("Xin chào"); });
        ::setenv("VIETLLM_TEST_KEY", "secret-123", 1);
        ChatClientOptions options = optionsFor(server);
        options.api_key_env = "VIETLLM_TEST_KEY";
        options.input_usd_per_mtok = 2.0;
        options.output_usd_per_mtok = 8.0;
        ChatClient client(options);
        const ChatResult result = client.complete(requestOf("Hello"));
        QCOMPARE(int(result.status), int(ChatStatus::Ok));
        QCOMPARE(result.content, std::string("Xin chào"));
        QCOMPARE(result.finish_reason, std::string("stop"));
        QCOMPARE(result.prompt_tokens, 10);
        QCOMPARE(result.completion_tokens, 5);
        QCOMPARE(result.attempts, 1);
        const auto totals = client.totals();
        QCOMPARE(totals.http_requests, 1);
        QVERIFY(std::abs(totals.cost_usd - (10 * 2.0 + 5 * 8.0) / 1e6) < 1e-12);
        const nlohmann::json sent = server.requests().at(0);
        QCOMPARE(sent["model"].get<std::string>(), std::string("test-model"));
        QCOMPARE(sent["max_tokens"].get<int>(), 64);
        QCOMPARE(sent["stream"].get<bool>(), false);
        QCOMPARE(sent["messages"][1]["content"].get<std::string>(), std::string("Hello"));
        QCOMPARE(server.lastAuthorization(), std::string("Bearer secret-123"));
    }

    void streamedReplyIsAssembled() {
        FakeChatServer server([](const nlohmann::json&, int) {
            FakeReply reply;
            reply.sse_events = vietllm::testing::streamEvents({"Xin ", "chào ", "bạn"}, 12, 3);
            return reply;
        });
        ChatClientOptions options = optionsFor(server);
        options.stream = true;
        ChatClient client(options);
        std::vector<std::string> deltas;
        const ChatResult result = client.complete(requestOf("Hello friend"),
                                                  [&](std::string_view text) { deltas.emplace_back(text); });
        QCOMPARE(int(result.status), int(ChatStatus::Ok));
        QCOMPARE(result.content, std::string("Xin chào bạn"));
        QCOMPARE(result.finish_reason, std::string("stop"));
        QCOMPARE(result.prompt_tokens, 12);
        QCOMPARE(result.completion_tokens, 3);
        QCOMPARE(deltas.size(), std::size_t(3));
        QCOMPARE(server.requests().at(0)["stream"].get<bool>(), true);
    }

    void sseSplitAnywhereAssemblesTheSame() {
        const std::string stream =
            ": keep-alive\r\n\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"Một\"}}]}\r\n\r\n"
            "data: {\"choices\":[{\"delta\":{\"content\":\" hai\"},\"finish_reason\":\"length\"}]}\n\n"
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\n\ndata: "
            "[DONE]\n\n";
        vietllm::net::SseChatAssembler assembler;
        for (char byte : stream) {
            assembler.feed(std::string_view(&byte, 1));
        }
        assembler.finish();
        QVERIFY(assembler.done());
        QVERIFY(assembler.error().empty());
        QCOMPARE(assembler.content(), std::string("Một hai"));
        QCOMPARE(assembler.finishReason(), std::string("length"));
        QCOMPARE(assembler.promptTokens(), 4);
        QCOMPARE(assembler.completionTokens(), 2);

        vietllm::net::SseChatAssembler cut;
        cut.feed("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n");
        cut.finish();
        QVERIFY(!cut.done());
    }

    void retryAfterOn429IsHonoured() {
        FakeChatServer server([](const nlohmann::json&, int index) {
            if (index == 0) {
                FakeReply reply;
                reply.status = 429;
                reply.headers["Retry-After"] = "1";
                reply.body = R"({"error":{"message":"slow down"}})";
                return reply;
            }
            return ok("được");
        });
        ChatClient client(optionsFor(server));
        QElapsedTimer timer;
        timer.start();
        const ChatResult result = client.complete(requestOf("ok"));
        QCOMPARE(int(result.status), int(ChatStatus::Ok));
        QCOMPARE(result.attempts, 2);
        QVERIFY2(timer.elapsed() >= 950, "the client must wait as long as Retry-After says");
        QCOMPARE(server.requestCount(), 2);
        QCOMPARE(client.totals().retries, 1);
    }

    void serverErrorsAreRetriedThenReported() {
        FakeChatServer server([](const nlohmann::json&, int) {
            FakeReply reply;
            reply.status = 500;
            reply.body = "boom";
            return reply;
        });
        ChatClientOptions options = optionsFor(server);
        options.max_retries = 2;
        ChatClient client(options);
        const ChatResult result = client.complete(requestOf("x"));
        QCOMPARE(int(result.status), int(ChatStatus::Unavailable));
        QCOMPARE(server.requestCount(), 3);
        QVERIFY2(result.error.find("HTTP 500") != std::string::npos, result.error.c_str());
        QCOMPARE(client.totals().failures, 1);
    }

    void badRequestIsNotRetried() {
        FakeChatServer server([](const nlohmann::json&, int) {
            FakeReply reply;
            reply.status = 400;
            reply.body = R"({"error":{"message":"context too long"}})";
            return reply;
        });
        ChatClient client(optionsFor(server));
        const ChatResult result = client.complete(requestOf("x"));
        QCOMPARE(int(result.status), int(ChatStatus::Rejected));
        QCOMPARE(server.requestCount(), 1);
        QVERIFY2(result.error.find("context too long") != std::string::npos, result.error.c_str());
    }

    void slowReplyTimesOutAndIsRetried() {
        FakeChatServer server([](const nlohmann::json&, int index) {
            FakeReply reply = ok("nhanh");
            reply.delay_ms = index == 0 ? 1200 : 0;
            return reply;
        });
        ChatClientOptions options = optionsFor(server);
        options.timeout_ms = 300;
        ChatClient client(options);
        const ChatResult result = client.complete(requestOf("x"));
        QCOMPARE(int(result.status), int(ChatStatus::Ok));
        QCOMPARE(result.attempts, 2);
        QCOMPARE(result.content, std::string("nhanh"));
    }

    void unreachableEndpointIsUnavailable() {
        std::string endpoint;
        {
            FakeChatServer closed([](const nlohmann::json&, int) { return ok(""); });
            endpoint = closed.endpoint();
        }
        ChatClientOptions options;
        options.endpoint = endpoint;
        options.model = "m";
        options.max_retries = 1;
        options.initial_backoff_ms = 10;
        ChatClient client(options);
        const ChatResult result = client.complete(requestOf("x"));
        QCOMPARE(int(result.status), int(ChatStatus::Unavailable));
        QCOMPARE(result.attempts, 2);
    }

    void concurrencyIsBounded() {
        FakeChatServer server([](const nlohmann::json& request, int) {
            FakeReply reply = ok("vi:" + request["messages"][1]["content"].get<std::string>());
            reply.delay_ms = 200;
            return reply;
        });
        ChatClientOptions options = optionsFor(server);
        options.concurrency = 4;
        ChatClient client(options);
        std::vector<ChatRequest> requests;
        for (int i = 0; i < 8; ++i) {
            requests.push_back(requestOf("item " + std::to_string(i)));
        }
        std::vector<std::string> contents(requests.size());
        QElapsedTimer timer;
        timer.start();
        client.completeAll(requests,
                           [&](std::size_t index, ChatResult&& result) { contents[index] = result.content; });
        const qint64 elapsed_ms = timer.elapsed();
        qInfo("8 requests of 200 ms, 4 in flight: %lld ms (ideal bound 400 ms)",
              static_cast<long long>(elapsed_ms));
        QCOMPARE(server.maxInFlight(), 4);
        QVERIFY2(elapsed_ms >= 390 && elapsed_ms < 1400, qPrintable(QString::number(elapsed_ms)));
        for (std::size_t i = 0; i < contents.size(); ++i) {
            QCOMPARE(contents[i], "vi:item " + std::to_string(i));
        }
    }

    void requestsPerMinuteSpaceStarts() {
        FakeChatServer server([](const nlohmann::json&, int) { return ok("x"); });
        ChatClientOptions options = optionsFor(server);
        options.concurrency = 4;
        options.limits.requests_per_minute = 600;  // one start every 100 ms
        ChatClient client(options);
        const std::vector<ChatRequest> requests(4, requestOf("x"));
        QElapsedTimer timer;
        timer.start();
        client.completeAll(requests, [](std::size_t, ChatResult&&) {});
        QVERIFY2(timer.elapsed() >= 290, qPrintable(QString::number(timer.elapsed())));
    }

    void tokensPerMinuteSpaceStarts() {
        vietllm::net::RateLimiter limiter({0, 6000});  // 100 tokens per second
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 3; ++i) {
            limiter.acquire(30);
        }
        QVERIFY2(timer.elapsed() >= 580, qPrintable(QString::number(timer.elapsed())));
        limiter.settle(30, 0);  // unused tokens are given back: the next start comes sooner
        timer.restart();
        limiter.acquire(1);
        QVERIFY2(timer.elapsed() < 250, qPrintable(QString::number(timer.elapsed())));
    }

    void cacheMakesARerunFree() {
        QTemporaryDir dir;
        const std::string cache = dir.filePath("cache.sqlite").toStdString();
        FakeChatServer server([](const nlohmann::json& request, int) {
            return ok("vi:" + request["messages"][1]["content"].get<std::string>());
        });
        std::vector<ChatRequest> requests;
        for (int i = 0; i < 5; ++i) {
            requests.push_back(requestOf("row " + std::to_string(i)));
        }
        ChatClientOptions options = optionsFor(server);
        options.cache_path = cache;
        {
            ChatClient first(options);
            first.completeAll(requests, [](std::size_t, ChatResult&&) {});
        }
        QCOMPARE(server.requestCount(), 5);
        ChatClient second(options);
        std::vector<ChatResult> results(requests.size());
        second.completeAll(requests,
                           [&](std::size_t index, ChatResult&& result) { results[index] = result; });
        QCOMPARE(server.requestCount(), 5);
        QCOMPARE(second.totals().cache_hits, 5);
        QCOMPARE(second.totals().cost_usd, 0.0);
        QVERIFY(results[3].from_cache);
        QCOMPARE(results[3].content, std::string("vi:row 3"));
        ChatRequest other = requests[0];
        other.parameters.temperature = 0.7;  // other parameters: another key
        QVERIFY(!second.complete(other).from_cache);
        QCOMPARE(server.requestCount(), 6);
    }

    void badOptionsAreUserErrors() {
        ChatClientOptions options;
        options.model = "m";
        options.endpoint = "ftp://example.invalid";
        QVERIFY_THROWS_EXCEPTION(vietllm::UserError, ChatClient{options});
        options.endpoint = "http://127.0.0.1:9/v1";
        options.api_key_env = "VIETLLM_TEST_KEY_THAT_IS_NOT_SET";
        ::unsetenv("VIETLLM_TEST_KEY_THAT_IS_NOT_SET");
        try {
            ChatClient client(options);
            QFAIL("a missing key variable must be refused");
        } catch (const vietllm::UserError& error) {
            QVERIFY(std::string(error.what()).find("VIETLLM_TEST_KEY_THAT_IS_NOT_SET") != std::string::npos);
        }
    }

    void retryAfterValues() {
        QCOMPARE(vietllm::net::parseRetryAfter("120").value_or(-1), 120.0);
        QCOMPARE(vietllm::net::parseRetryAfter(" 0.5 ").value_or(-1), 0.5);
        QVERIFY(!vietllm::net::parseRetryAfter("soon").has_value());
        QCOMPARE(vietllm::net::parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT").value_or(-1), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_http_client.moc"
