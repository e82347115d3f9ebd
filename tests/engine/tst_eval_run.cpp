// Evaluation on a real (tiny, random) model: batched scoring equals one row at a time, the scorer
// agrees with log-probabilities computed independently from Engine::logits, a random model scores
// near chance, bits per byte matches an independent computation, generation tasks produce their
// metrics, endpoints answer by letter (fake server), and `vietllm-cli eval` runs end to end.

#include "backend/common/errors.h"
#include "backend/eval/endpoint_backend.h"
#include "backend/eval/evaluator.h"
#include "backend/net/chat_client.h"
#include "backend/sample/engine.h"
#include "backend/sample/scoring.h"
#include "backend/store/evaluations.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/weights/random_model.h"
#include "tests/common/fake_chat_server.h"
#include "tests/common/test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <memory>

using namespace vietllm;

namespace {

std::string tasksFolder() {
    return std::string(VIETLLM_SOURCE_DIR) + "/resources/eval/tasks";
}

// log p(continuation | context) from full-sequence logits, in double precision.
double independentLogprob(const sample::Engine& engine, const std::vector<std::int32_t>& context,
                          const std::vector<std::int32_t>& continuation) {
    std::vector<std::int32_t> ids = context;
    ids.insert(ids.end(), continuation.begin(), continuation.end());
    const std::vector<std::vector<float>> logits = engine.logits(ids);
    double total = 0;
    for (std::size_t k = 0; k < continuation.size(); ++k) {
        const std::vector<float>& row = logits[context.size() - 1 + k];
        double max_logit = -1e300;
        for (const float v : row) max_logit = std::max(max_logit, static_cast<double>(v));
        double sum = 0;
        for (const float v : row) sum += std::exp(static_cast<double>(v) - max_logit);
        total +=
            static_cast<double>(row[static_cast<std::size_t>(continuation[k])]) - max_logit - std::log(sum);
    }
    return total;
}

eval::TaskSpec inlineTask(const std::string& format, const std::string& prompt, const std::string& style) {
    return eval::parseTaskSpec({{"name", "inline_" + format},
                                {"language", "vi"},
                                {"format", format},
                                {"data", "unused"},
                                {"prompt", prompt},
                                {"choice_style", style},
                                {"metric", "acc"}},
                               "inline.json");
}

}  // namespace

class TestEvalRun : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_model_dir = m_dir.filePath("tiny").toStdString();
        weights::RandomModelOptions options;
        options.architecture = weights::Architecture::Llama;
        weights::writeRandomModel(m_model_dir, options);
        sample::EngineOptions engine_options;
        engine_options.num_threads = 1;
        m_engine = std::make_unique<sample::Engine>(m_model_dir, engine_options);
        m_tasks = eval::loadTaskFolder(tasksFolder());
    }

    void batchedEqualsOneAtATime() {
        const tokenizer::Tokenizer& tokens = *m_engine->tokenizer();
        std::vector<sample::ScoreRequest> requests;
        const std::vector<std::string> contexts = {"Người đàn ông bật vòi nước. vì vậy", "Trời mưa to",
                                                   "Câu hỏi: 2 + 2 = ?\nA. 3\nB. 4\nĐáp án:"};
        for (const std::string& context : contexts) {
            for (const char* choice : {" Nước chảy ra.", " A", " một câu trả lời dài hơn nhiều"}) {
                requests.push_back({tokens.encode(context, true), tokens.encode(choice, false)});
            }
        }
        const auto batched = sample::scoreContinuations(*m_engine, requests, 8);
        const auto single = sample::scoreContinuations(*m_engine, requests, 1);
        QCOMPARE(batched.size(), requests.size());
        for (std::size_t i = 0; i < requests.size(); ++i) {
            QVERIFY2(
                std::abs(batched[i].logprob - single[i].logprob) < 1e-4,
                (std::to_string(batched[i].logprob) + " vs " + std::to_string(single[i].logprob)).c_str());
            QCOMPARE(batched[i].tokens, requests[i].continuation.size());
            QCOMPARE(batched[i].greedy, single[i].greedy);
        }
    }

    void sharedPrefixEqualsPlainRows() {
        const tokenizer::Tokenizer& tokens = *m_engine->tokenizer();
        std::vector<sample::ScoreRequest> requests;
        // Options of one prompt interleaved with others, a single-token option, and a context
        // long enough to be cut from the left (the tiny model's window is short).
        const std::string long_context(3000, 'x');
        const std::vector<std::string> contexts = {"Người đàn ông bật vòi nước. vì vậy", "Trời mưa to",
                                                   long_context};
        for (const char* choice : {" Nước chảy ra.", " A", " một câu trả lời dài hơn nhiều"}) {
            for (const std::string& context : contexts) {
                requests.push_back({tokens.encode(context, true), tokens.encode(choice, false)});
            }
        }
        requests.push_back({tokens.encode("Trời mưa to", true), {tokens.encode("B", false).front()}});
        for (const std::size_t batch : {std::size_t{1}, std::size_t{4}, std::size_t{16}}) {
            const auto shared = sample::scoreContinuations(*m_engine, requests, batch, true);
            const auto plain = sample::scoreContinuations(*m_engine, requests, 1, false);
            QCOMPARE(shared.size(), requests.size());
            for (std::size_t i = 0; i < requests.size(); ++i) {
                QVERIFY2(
                    std::abs(shared[i].logprob - plain[i].logprob) < 1e-4,
                    (std::to_string(shared[i].logprob) + " vs " + std::to_string(plain[i].logprob)).c_str());
                QCOMPARE(shared[i].tokens, plain[i].tokens);
                QCOMPARE(shared[i].greedy, plain[i].greedy);
            }
        }
    }

    void scorerAgreesWithIndependentLogits() {
        const tokenizer::Tokenizer& tokens = *m_engine->tokenizer();
        eval::TaskSpec task = inlineTask("xcopa", "{premise} {question}", "text");
        std::vector<eval::EvalItem> items;
        const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
            {"Cô gái tìm thấy con bọ trong ngũ cốc.", {"Cô đổ sữa vào bát.", "Cô mất cảm giác ngon miệng."}},
            {"Người phụ nữ đã nghỉ hưu.", {"Cô ấy nhận lương hưu.", "Cô ấy trả hết nợ."}},
            {"abc abc abc", {"abc", "xyz xyz xyz"}}};
        for (const auto& [premise, choices] : cases) {
            eval::EvalItem item;
            item.id = std::to_string(items.size());
            item.fields = {{"premise", premise}, {"question", "vì vậy"}};
            item.choices = choices;
            item.answer = 0;
            items.push_back(item);
        }
        sample::EngineEvalBackend backend(*m_engine, m_model_dir, 4);
        eval::Evaluator evaluator(backend, nullptr, {});
        const eval::TaskResult result = evaluator.run(task, items, {});
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::vector<std::int32_t> context = tokens.encode(eval::renderPrompt(task, items[i]), true);
            std::vector<double> independent;
            for (std::size_t c = 0; c < items[i].choices.size(); ++c) {
                independent.push_back(independentLogprob(
                    *m_engine, context, tokens.encode(eval::choiceContinuation(task, items[i], c), false)));
                const double scored = result.items[i].details["logprobs"][c].get<double>();
                QVERIFY2(std::abs(scored - independent.back()) < 1e-4,
                         (std::to_string(scored) + " vs " + std::to_string(independent.back())).c_str());
            }
            const auto best = std::max_element(independent.begin(), independent.end()) - independent.begin();
            QCOMPARE(result.items[i].details["pred"].get<long>(), static_cast<long>(best));
            QCOMPARE(result.items[i].output, eval::choiceLetter(static_cast<std::size_t>(best)));
        }
        QVERIFY(result.metrics.contains("acc") && result.metrics.contains("acc_norm"));
    }

    void randomModelScoresNearChance() {
        VIETLLM_REQUIRE_SAMPLE(xcopa_path, "eval/vi_xcopa_val.jsonl");
        VIETLLM_REQUIRE_SAMPLE(belebele_path, "eval/vi_belebele_seahelm895.jsonl");
        const std::string data = testing::sampleDataDir().toStdString();
        sample::EngineEvalBackend backend(*m_engine, m_model_dir, 8);
        eval::EvaluatorOptions options;
        options.limit = 100;
        eval::Evaluator evaluator(backend, nullptr, options);
        std::vector<std::size_t> progress;
        const eval::TaskSpec& xcopa = eval::findTask(m_tasks, "xcopa_vi");
        const eval::TaskResult result = evaluator.run(xcopa, eval::loadItems(xcopa, data),
                                                      [&](const std::string&, std::size_t done, std::size_t) {
                                                          progress.push_back(done);
                                                          return true;
                                                      });
        const double acc = result.metrics["acc"].get<double>();
        QVERIFY2(acc >= 0.3 && acc <= 0.7, std::to_string(acc).c_str());
        QCOMPARE(result.metrics["n"].get<std::size_t>(), std::size_t(100));
        QCOMPARE(progress.front(), std::size_t(0));
        QCOMPARE(progress.back(), std::size_t(100));
        options.limit = 40;
        eval::Evaluator belebele_evaluator(backend, nullptr, options);
        const eval::TaskSpec& belebele = eval::findTask(m_tasks, "belebele_vi");
        const double belebele_acc = belebele_evaluator.run(belebele, eval::loadItems(belebele, data), {})
                                        .metrics["acc"]
                                        .get<double>();
        QVERIFY2(belebele_acc >= 0.05 && belebele_acc <= 0.5, std::to_string(belebele_acc).c_str());
    }

    void cancelStopsTheRun() {
        VIETLLM_REQUIRE_SAMPLE(xcopa_path, "eval/vi_xcopa_val.jsonl");
        sample::EngineEvalBackend backend(*m_engine, m_model_dir, 8);
        eval::Evaluator evaluator(backend, nullptr, {});
        const eval::TaskSpec& xcopa = eval::findTask(m_tasks, "xcopa_vi");
        const auto items = eval::loadItems(xcopa, testing::sampleDataDir().toStdString());
        QVERIFY_THROWS_EXCEPTION(eval::EvalCancelled, evaluator.run(xcopa, items,
                                                                    [](const std::string&, std::size_t done,
                                                                       std::size_t) { return done < 32; }));
    }

    void bitsPerByteMatchesIndependentComputation() {
        const tokenizer::Tokenizer& tokens = *m_engine->tokenizer();
        const std::string document = "Hà Nội là thủ đô của Việt Nam, một thành phố nghìn năm văn hiến.";
        sample::EngineEvalBackend backend(*m_engine, m_model_dir, 4);
        const eval::RollingResult rolling = backend.rolling(document, 512);
        std::vector<std::int32_t> ids = {*tokens.bosId()};
        const std::vector<std::int32_t> body = tokens.encode(document, false);
        ids.insert(ids.end(), body.begin(), body.end());
        const double independent = -independentLogprob(*m_engine, {ids.front()}, body);
        QCOMPARE(rolling.tokens, body.size());
        QVERIFY2(std::abs(rolling.nll_nats - independent) < 1e-3,
                 (std::to_string(rolling.nll_nats) + " vs " + std::to_string(independent)).c_str());
        // A long document: every token is scored once, whatever the window.
        std::string long_document;
        for (int i = 0; i < 12; ++i) long_document += document + " ";
        const std::size_t long_tokens = tokens.encode(long_document, false).size();
        QVERIFY(long_tokens > 256);
        const eval::RollingResult narrow = backend.rolling(long_document, 64);
        const eval::RollingResult wide = backend.rolling(long_document, 4096);
        QCOMPARE(narrow.tokens, long_tokens);
        QCOMPARE(wide.tokens, long_tokens);
        QVERIFY(std::isfinite(narrow.nll_nats) && narrow.nll_nats > 0);
        // The first window's tokens agree with a direct computation.
        const std::vector<std::int32_t> head(ids.begin(), ids.begin() + 40);
        const sample::RollingScore direct = sample::rollingNll(
            *m_engine, ids.front(), std::vector<std::int32_t>(head.begin() + 1, head.end()), 64, 2);
        QVERIFY(std::abs(direct.nll_nats +
                         independentLogprob(*m_engine, {ids.front()},
                                            std::vector<std::int32_t>(head.begin() + 1, head.end()))) < 1e-3);
        // Through the evaluator: bpb = nats / ln 2 / bytes.
        eval::TaskSpec task = eval::parseTaskSpec({{"name", "bpb"},
                                                   {"language", "vi"},
                                                   {"format", "text_lines"},
                                                   {"data", "unused"},
                                                   {"metric", "bits_per_byte"}},
                                                  "bpb.json");
        eval::EvalItem item;
        item.id = "1";
        item.text = document;
        eval::Evaluator evaluator(backend, nullptr, {});
        const eval::TaskResult result = evaluator.run(task, {item}, {});
        QVERIFY(std::abs(result.metrics["bits_per_byte"].get<double>() -
                         independent / std::log(2.0) / static_cast<double>(document.size())) < 1e-4);
    }

    void generationTasksProduceMetrics() {
        VIETLLM_REQUIRE_SAMPLE(ifeval_path, "eval/vi_sea_ifeval.jsonl");
        const std::string data = testing::sampleDataDir().toStdString();
        sample::EngineEvalBackend backend(*m_engine, m_model_dir, 4);
        eval::EvaluatorOptions options;
        options.limit = 3;
        eval::Evaluator evaluator(backend, nullptr, options);
        for (const char* name : {"sea_ifeval_vi", "xquad_vi", "tatoeba_en_vi"}) {
            const eval::TaskSpec& task = eval::findTask(m_tasks, name);
            const eval::TaskResult result = evaluator.run(task, eval::loadItems(task, data), {});
            QCOMPARE(result.items.size(), std::size_t(3));
            const double value = result.metrics[task.metric].get<double>();
            QVERIFY2(value >= 0 && value <= (task.metric == "chrf" ? 100 : 1), name);
        }
        // A judged task without a judge is refused with a clear message.
        const eval::TaskSpec& mt_bench = eval::findTask(m_tasks, "mt_bench_vi");
        QVERIFY_THROWS_EXCEPTION(UserError, evaluator.run(mt_bench, eval::loadItems(mt_bench, data), {}));
    }

    void endpointAnswersByLetter() {
        VIETLLM_REQUIRE_SAMPLE(xcopa_path, "eval/vi_xcopa_val.jsonl");
        testing::FakeChatServer server([](const nlohmann::json&, int) {
            testing::FakeReply reply;
            reply.body = testing::completionBody("Đáp án: B");
            return reply;
        });
        net::ChatClientOptions client_options;
        client_options.endpoint = server.endpoint();
        client_options.model = "fake";
        net::ChatClient client(client_options);
        eval::EndpointBackend backend(client);
        eval::EvaluatorOptions options;
        options.limit = 20;
        eval::Evaluator evaluator(backend, nullptr, options);
        const eval::TaskSpec& xcopa = eval::findTask(m_tasks, "xcopa_vi");
        const auto items = eval::loadItems(xcopa, testing::sampleDataDir().toStdString());
        const eval::TaskResult result = evaluator.run(xcopa, items, {});
        double expected = 0;
        for (std::size_t i = 0; i < 20; ++i) expected += items[i].answer == 1 ? 1 : 0;
        QCOMPARE(result.metrics["acc"].get<double>(), expected / 20);
        QCOMPARE(result.metrics["unparsed"].get<int>(), 0);
        QCOMPARE(server.requestCount(), 20);
        const std::string sent = server.requests().front()["messages"][0]["content"];
        QVERIFY(sent.find("\nA. ") != std::string::npos && sent.find("\nB. ") != std::string::npos);
        const eval::TaskSpec& bpb = eval::findTask(m_tasks, "bpb_vi_news");
        QVERIFY_THROWS_EXCEPTION(UserError, evaluator.run(bpb, {eval::EvalItem{}}, {}));
    }

    void cliRunsEndToEnd() {
        VIETLLM_REQUIRE_SAMPLE(xcopa_path, "eval/vi_xcopa_val.jsonl");
        const QString out = m_dir.filePath("results.json");
        const QString markdown = m_dir.filePath("results.md");
        const QString project = m_dir.filePath("p.vietllm");
        store::ProjectStore::create(project.toStdString(), false);
        const testing::CliResult run = testing::runCli({"eval",        "run",
                                                        "--model",     QString::fromStdString(m_model_dir),
                                                        "--tasks",     "xcopa_vi,vmlu_vi",
                                                        "--limit",     "10",
                                                        "--out",       out,
                                                        "--markdown",  markdown,
                                                        "--project",   project,
                                                        "--tasks-dir", QString::fromStdString(tasksFolder()),
                                                        "--data-dir",  testing::sampleDataDir(),
                                                        "--threads",   "1"});
        // vmlu_vi's data is not shared: the run stops before any work, naming the task.
        QCOMPARE(run.exit_code, 1);
        QVERIFY(run.standard_output.isEmpty());
        QVERIFY2(run.standard_error.contains("vmlu_vi"), run.standard_error.constData());
        const testing::CliResult ok = testing::runCli({"eval",        "run",
                                                       "--model",     QString::fromStdString(m_model_dir),
                                                       "--tasks",     "xcopa_vi",
                                                       "--limit",     "10",
                                                       "--out",       out,
                                                       "--markdown",  markdown,
                                                       "--project",   project,
                                                       "--tasks-dir", QString::fromStdString(tasksFolder()),
                                                       "--data-dir",  testing::sampleDataDir(),
                                                       "--threads",   "1",
                                                       "--run-name",  "tiny-xcopa"});
        QVERIFY2(ok.exit_code == 0, ok.standard_error.constData());
        std::vector<nlohmann::json> events;
        for (const QByteArray& line : ok.standard_output.split('\n')) {
            if (!line.isEmpty()) events.push_back(nlohmann::json::parse(line.toStdString()));
        }
        QVERIFY(events.size() >= 3);
        QCOMPARE(events.front()["event"].get<std::string>(), std::string("progress"));
        QCOMPARE(events.front()["total"].get<int>(), 10);
        QCOMPARE(events[events.size() - 2]["event"].get<std::string>(), std::string("result"));
        QCOMPARE(events.back()["event"].get<std::string>(), std::string("done"));
        std::ifstream in(out.toStdString());
        const nlohmann::json results = nlohmann::json::parse(in);
        QCOMPARE(results["tasks"]["xcopa_vi"]["n"].get<int>(), 10);
        QVERIFY(QFileInfo(markdown).size() > 0);
        store::ProjectStore store =
            store::ProjectStore::open(project.toStdString(), store::OpenMode::ReadOnly);
        store::Evaluations evaluations(store);
        const std::vector<store::EvaluationRun> runs = evaluations.runs();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].name, std::string("tiny-xcopa"));
        QCOMPARE(runs[0].benchmark, std::string("xcopa_vi"));
        QCOMPARE(runs[0].status, store::EvaluationStatus::Finished);
        QCOMPARE(runs[0].summary["n"].get<int>(), 10);
        QCOMPARE(evaluations.resultCount(runs[0].id), std::int64_t(10));
        const auto rows = evaluations.results(runs[0].id, 0, 1);
        QCOMPARE(rows[0].details["choices"].size(), std::size_t(2));
        QVERIFY(rows[0].correct.has_value());

        const testing::CliResult list =
            testing::runCli({"eval", "list", "--tasks-dir", QString::fromStdString(tasksFolder()),
                             "--data-dir", testing::sampleDataDir()});
        QCOMPARE(list.exit_code, 0);
        QVERIFY(list.standard_output.contains("xcopa_vi\tmultiple_choice\tacc\tfound"));
        QVERIFY(list.standard_output.contains("vmlu_vi\tmultiple_choice\tacc\tmissing"));
        const testing::CliResult unknown =
            testing::runCli({"eval", "run", "--model", QString::fromStdString(m_model_dir), "--tasks", "nope",
                             "--tasks-dir", QString::fromStdString(tasksFolder())});
        QCOMPARE(unknown.exit_code, 1);
        QVERIFY(unknown.standard_error.contains("unknown task 'nope'"));
    }

private:
    QTemporaryDir m_dir;
    std::string m_model_dir;
    std::unique_ptr<sample::Engine> m_engine;
    std::vector<eval::TaskSpec> m_tasks;
};

QTEST_GUILESS_MAIN(TestEvalRun)
#include "tst_eval_run.moc"
