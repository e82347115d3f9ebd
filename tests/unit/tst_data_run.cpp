// `vietllm-cli data run RECIPE.json`: a 3-step recipe (harvest -> evol-instruct -> clean) runs
// against a local OpenAI-compatible server; a run killed with SIGKILL in the middle of step 2
// resumes without repeating one answered request and without duplicating a record; a finished
// recipe re-runs for free; mistakes in a recipe name the file and the JSON path.

#include "backend/databuild/job_log.h"
#include "backend/store/jobs.h"
#include "backend/store/project_store.h"
#include "tests/common/fake_chat_server.h"
#include "tests/common/test_support.h"
#include "tests/common/text_files.h"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>

using vietllm::testing::completionBody;
using vietllm::testing::FakeChatServer;
using vietllm::testing::FakeReply;
using vietllm::testing::readJsonLines;
using vietllm::testing::runCli;
using vietllm::testing::writeText;

namespace {

std::string promptOf(const nlohmann::json& request) {
    return request["messages"].back()["content"].get<std::string>();
}

bool isHarvestRequest(const nlohmann::json& request) {
    return promptOf(request).find("Đoạn văn:\n") != std::string::npos;
}

// Answers harvest, evolution and answer prompts; once `stall_after` evolution-step requests are
// answered, further ones hang (they are in flight when the test kills the run). Records every
// request it answered.
class RecipeServer {
public:
    RecipeServer() : m_server([this](const nlohmann::json& request, int) { return respond(request); }) {}

    std::string endpoint() const { return m_server.endpoint(); }
    int requestCount() const { return m_server.requestCount(); }
    std::vector<nlohmann::json> requests() const { return m_server.requests(); }
    void stallAfter(int evol_requests) { m_stall_after = evol_requests; }
    int stalled() const { return m_stalled; }
    std::set<std::string> answered() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_answered;
    }

private:
    FakeReply respond(const nlohmann::json& request) {
        const std::string prompt = promptOf(request);
        FakeReply reply;
        if (isHarvestRequest(request)) {
            const std::string passage =
                prompt.substr(prompt.find("Đoạn văn:\n") + std::string("Đoạn văn:\n").size());
            reply.body = completionBody("Hãy trình bày về: " + passage.substr(0, passage.find(' ', 40)));
        } else if (m_stall_after >= 0 && m_evol_answered.fetch_add(1) >= m_stall_after) {
            ++m_stalled;
            reply.delay_ms = 4000;
            reply.status = 503;
            return reply;
        } else if (prompt.find("#Đề bài gốc#:") != std::string::npos) {
            const std::string open = "#Đề bài gốc#:\n";
            const std::size_t begin = prompt.rfind(open) + open.size();
            reply.body = completionBody(prompt.substr(begin, prompt.find("\n\n#Đề bài mới#", begin) - begin) +
                                        " Hãy trả lời thật chi tiết, có ví dụ minh họa cụ thể.");
        } else {
            reply.body = completionBody(
                "Đây là câu trả lời chi tiết cho yêu cầu của bạn, gồm nhiều ý được trình bày rõ ràng và một "
                "ví dụ "
                "minh họa cụ thể bằng tiếng Việt.");
        }
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_answered.insert(nlohmann::json(request).dump());
        return reply;
    }

    std::atomic<int> m_stall_after{-1};
    std::atomic<int> m_evol_answered{0};
    std::atomic<int> m_stalled{0};
    mutable std::mutex m_mutex;
    std::set<std::string> m_answered;
    FakeChatServer m_server;
};

nlohmann::json recipeJson(const QString& wiki, const QString& dir, const std::string& endpoint) {
    return {{"name", "test-recipe"},
            {"vars", {{"work", dir.toStdString()}}},
            {"endpoint", "${TEST_UNSET_ENDPOINT:-" + endpoint + "}"},
            {"model", "fake"},
            {"concurrency", 2},
            {"steps",
             {{{"id", "harvest"},
               {"step", "harvest"},
               {"in", wiki.toStdString()},
               {"out", "${work}/harvest.jsonl"},
               {"tasks", "reverse"},
               {"licence", "CC-BY-SA-3.0"},
               {"max_passages_per_article", 3}},
              {{"id", "evolve"},
               {"step", "evol-instruct"},
               {"in", "harvest"},
               {"out", "${work}/evolved.jsonl"},
               {"rounds", 1},
               {"operations", {"constraints", "deepen"}},
               {"batch-items", 2}},
              {{"id", "clean"},
               {"step", "clean"},
               {"in", "evolve"},
               {"out", "${work}/clean.jsonl"},
               {"threads", 1}}}}};
}

QStringList runArguments(const QString& recipe, const QStringList& extra) {
    return QStringList{QStringLiteral("data"), QStringLiteral("run"), recipe, QStringLiteral("--progress"),
                       QStringLiteral("json")} +
           extra;
}

std::vector<nlohmann::json> events(const QByteArray& output) {
    std::vector<nlohmann::json> parsed;
    for (const QByteArray& line : output.split('\n')) {
        if (!line.trimmed().isEmpty()) parsed.push_back(nlohmann::json::parse(line.toStdString()));
    }
    return parsed;
}

std::string statusOf(const std::vector<nlohmann::json>& all, const std::string& id) {
    std::string status;
    for (const nlohmann::json& event : all) {
        if (event["event"] == "step" && event["id"] == id) status = event["status"];
    }
    return status;
}

}  // namespace

class TestDataRun : public QObject {
    Q_OBJECT

private slots:
    void killedRunResumesWithoutRepeats() {
        VIETLLM_REQUIRE_SAMPLE(wiki_sample, "text/vi_wikipedia_150docs.jsonl");
        QTemporaryDir dir;
        const QString wiki = dir.filePath(QStringLiteral("wiki5.jsonl"));
        {
            std::ifstream source(wiki_sample.toStdString());
            std::ofstream out(wiki.toStdString());
            std::string line;
            for (int i = 0; i < 5 && std::getline(source, line); ++i) out << line << '\n';
        }
        RecipeServer server;
        server.stallAfter(6);
        const QString recipe = dir.filePath(QStringLiteral("recipe.json"));
        writeText(recipe.toStdString(), recipeJson(wiki, dir.path(), server.endpoint()).dump(2));

        // First run: killed (SIGKILL) while step 2 has requests in flight.
        QProcess first;
        first.start(QStringLiteral(VIETLLM_CLI_PATH), runArguments(recipe, {}));
        QVERIFY(first.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        while (server.stalled() == 0 && timer.elapsed() < 30000) {
            first.waitForReadyRead(50);
        }
        QVERIFY2(server.stalled() > 0, first.readAllStandardError().constData());
        first.kill();
        QVERIFY(first.waitForFinished());
        const std::vector<nlohmann::json> first_events = events(first.readAllStandardOutput());
        QCOMPARE(statusOf(first_events, "harvest"), std::string("finished"));
        QCOMPARE(statusOf(first_events, "evolve"), std::string("running"));
        const std::string work = dir.path().toStdString();
        QVERIFY(!QFile::exists(QString::fromStdString(work + "/evolved.jsonl")));  // never half-written
        const auto evolve_record = vietllm::databuild::readJobRecord(work + "/evolved.jsonl.job.json");
        QVERIFY(evolve_record && evolve_record->status == "running");
        const std::set<std::string> answered = server.answered();
        const int first_count = server.requestCount();

        // Resume: step 1 skipped, step 2 continues from its cache, step 3 runs; recorded in a project.
        server.stallAfter(-1);
        const QString project = dir.filePath(QStringLiteral("p.vietllm"));
        QCOMPARE(runCli({QStringLiteral("project"), QStringLiteral("init"), project}).exit_code, 0);
        const auto resumed =
            runCli(runArguments(recipe, {QStringLiteral("--resume"), QStringLiteral("--project"), project}));
        QVERIFY2(resumed.exit_code == 0, resumed.standard_error.constData());
        const std::vector<nlohmann::json> resumed_events = events(resumed.standard_output);
        QCOMPARE(statusOf(resumed_events, "harvest"), std::string("skipped"));
        QCOMPARE(statusOf(resumed_events, "evolve"), std::string("finished"));
        QCOMPARE(statusOf(resumed_events, "clean"), std::string("finished"));
        const std::vector<nlohmann::json> requests = server.requests();
        int repeated = 0;
        for (std::size_t i = static_cast<std::size_t>(first_count); i < requests.size(); ++i) {
            QVERIFY(!isHarvestRequest(requests[i]));
            repeated += answered.count(requests[i].dump()) > 0 ? 1 : 0;
        }
        QCOMPARE(repeated, 0);

        // No record twice, and every evolved record reached the cleaned output.
        const std::vector<nlohmann::json> evolved = readJsonLines(work + "/evolved.jsonl");
        const std::vector<nlohmann::json> harvested = readJsonLines(work + "/harvest.jsonl");
        QCOMPARE(evolved.size(), harvested.size());
        std::set<std::string> ids;
        for (const nlohmann::json& record : evolved) {
            QVERIFY(ids.insert(record["provenance"]["original_id"].get<std::string>()).second);
        }
        QCOMPARE(readJsonLines(work + "/clean.jsonl").size(), evolved.size());

        // The project holds the two steps that ran.
        {
            const auto store =
                vietllm::store::ProjectStore::open(project.toStdString(), vietllm::store::OpenMode::ReadOnly);
            const std::vector<vietllm::store::DataJobRow> jobs = vietllm::store::dataJobs(store.database());
            QCOMPARE(jobs.size(), std::size_t{2});
            QCOMPARE(jobs[0].step_id, std::string("evolve"));
            QCOMPARE(jobs[1].step_id, std::string("clean"));
            QCOMPARE(jobs[0].output_sha256, vietllm::databuild::sha256OfPath(work + "/evolved.jsonl"));
        }

        // A finished recipe re-runs for free; a touched output makes its step run again (from cache).
        const int before = server.requestCount();
        const auto again = runCli(runArguments(recipe, {QStringLiteral("--resume")}));
        QCOMPARE(again.exit_code, 0);
        for (const char* id : {"harvest", "evolve", "clean"}) {
            QCOMPARE(statusOf(events(again.standard_output), id), std::string("skipped"));
        }
        std::ofstream(work + "/clean.jsonl", std::ios::app) << "\n";
        const auto touched = runCli(runArguments(recipe, {QStringLiteral("--resume")}));
        QCOMPARE(statusOf(events(touched.standard_output), "clean"), std::string("finished"));
        const auto from = runCli(runArguments(recipe, {QStringLiteral("--from"), QStringLiteral("evolve")}));
        QCOMPARE(statusOf(events(from.standard_output), "evolve"), std::string("finished"));
        QCOMPARE(server.requestCount(), before);
    }

    void shippedRecipesAreValid() {
        VIETLLM_REQUIRE_SAMPLE(seeds, "instruct/en_selfinstruct_seed_tasks.jsonl");
        qputenv("VIETLLM_SAMPLE_DATA", vietllm::testing::sampleDataDir().toUtf8());
        QTemporaryDir dir;
        qputenv("VIETLLM_RECIPE_OUT", dir.path().toUtf8());
        const QDir recipes(QStringLiteral(VIETLLM_SOURCE_DIR "/resources/recipes"));
        const QStringList files = recipes.entryList({QStringLiteral("*.json")}, QDir::Files);
        QVERIFY(files.size() >= 3);
        for (const QString& file : files) {
            const auto result =
                runCli({QStringLiteral("data"), QStringLiteral("run"), recipes.filePath(file),
                        QStringLiteral("--dry-run"), QStringLiteral("--progress"), QStringLiteral("json")});
            QVERIFY2(result.exit_code == 0, result.standard_error.constData());
            std::ifstream recipe(recipes.filePath(file).toStdString());
            const nlohmann::json json = nlohmann::json::parse(recipe);
            const std::vector<nlohmann::json> plan = events(result.standard_output);
            QCOMPARE(plan.size(), json["steps"].size());
            for (const nlohmann::json& step : plan) {
                const std::vector<std::string> arguments = step["arguments"];
                QVERIFY(std::find(arguments.begin(), arguments.end(), "http://127.0.0.1:8080/v1") !=
                            arguments.end() ||
                        step["step"] == "clean" || step["step"] == "dedup" ||
                        step["step"] == "decontaminate" || step["step"] == "export");
            }
        }
        qunsetenv("VIETLLM_RECIPE_OUT");
    }

    // Every step of the full demo can be sharded: the model steps get the shard, self-instruct one
    // pool for all shards, dedup a signature file for the cross-shard merge; --local-model replaces
    // the recipe's endpoint in every model step.
    void shardedLocalPlan() {
        VIETLLM_REQUIRE_SAMPLE(seeds, "instruct/en_selfinstruct_seed_tasks.jsonl");
        qputenv("VIETLLM_SAMPLE_DATA", vietllm::testing::sampleDataDir().toUtf8());
        QTemporaryDir dir;
        qputenv("VIETLLM_RECIPE_OUT", dir.path().toUtf8());
        const auto result = runCli({QStringLiteral("data"), QStringLiteral("run"),
                                    QStringLiteral(VIETLLM_SOURCE_DIR "/resources/recipes/offline_demo.json"),
                                    QStringLiteral("--dry-run"), QStringLiteral("--progress"),
                                    QStringLiteral("json"), QStringLiteral("--shard"), QStringLiteral("1/3"),
                                    QStringLiteral("--local-model"), dir.path()});
        qunsetenv("VIETLLM_RECIPE_OUT");
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        std::set<std::string> kinds;
        for (const nlohmann::json& step : events(result.standard_output)) {
            const std::vector<std::string> arguments = step["arguments"];
            const auto after = [&](const std::string& option) {
                const auto found = std::find(arguments.begin(), arguments.end(), option);
                return found == arguments.end() || found + 1 == arguments.end() ? std::string()
                                                                                : *(found + 1);
            };
            const std::string kind = step["step"];
            kinds.insert(kind);
            const bool model = kind == "translate" || kind == "harvest" || kind == "self-instruct" ||
                               kind == "evol-instruct";
            QCOMPARE(after("--local-model"), model ? dir.path().toStdString() : std::string());
            QCOMPARE(after("--endpoint"), std::string());
            QCOMPARE(after("--shard"), model || kind == "clean" ? std::string("1/3") : std::string());
            if (kind == "self-instruct") {
                const std::string pool = after("--pool");
                QVERIFY2(pool.size() > 11 && pool.find(".shard-") == std::string::npos &&
                             pool.compare(pool.size() - 11, 11, ".pool.jsonl") == 0,
                         pool.c_str());
            }
            if (kind == "dedup") {
                QVERIFY2(after("--signatures-out").find(".shard-1-of-3") != std::string::npos,
                         after("--signatures-out").c_str());
            }
        }
        for (const char* kind : {"translate", "self-instruct", "dedup"})
            QVERIFY2(kinds.count(kind) > 0, kind);
    }

    void recipeMistakesNameThePath() {
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("in.jsonl"));
        writeText(input.toStdString(), "{\"messages\":[{\"role\":\"user\",\"content\":\"Xin chào\"}]}\n");
        const auto check = [&](const nlohmann::json& recipe, const std::string& expected) {
            const QString path = dir.filePath(QStringLiteral("bad.json"));
            writeText(path.toStdString(), recipe.dump());
            const auto result = runCli({QStringLiteral("data"), QStringLiteral("run"), path});
            QCOMPARE(result.exit_code, 1);
            // The error is the last line (a step that ran before it reports itself above).
            const QList<QByteArray> lines = result.standard_error.trimmed().split('\n');
            const std::string message = lines.back().toStdString();
            QVERIFY2(message.find(path.toStdString() + ": " + expected) != std::string::npos,
                     message.c_str());
        };
        const nlohmann::json clean = {{"id", "c"},
                                      {"step", "clean"},
                                      {"in", input.toStdString()},
                                      {"out", dir.filePath(QStringLiteral("x.jsonl")).toStdString()}};
        nlohmann::json dedup = {{"id", "d"},
                                {"step", "dedup"},
                                {"in", "c"},
                                {"out", dir.filePath(QStringLiteral("y.jsonl")).toStdString()},
                                {"threshhold", 0.8}};
        check({{"name", "r"}, {"steps", {clean, dedup}}},
              "steps[1].threshhold: unknown option of step 'dedup'");
        dedup.erase("threshhold");
        dedup["threshold"] = 7;
        check({{"name", "r"}, {"steps", {clean, dedup}}}, "steps[1].threshold: '7' is not a number");
        dedup["threshold"] = true;
        check({{"name", "r"}, {"steps", {clean, dedup}}}, "steps[1].threshold: must be a string");
        nlohmann::json missing = clean;
        missing["in"] = dir.filePath(QStringLiteral("absent.jsonl")).toStdString();
        check({{"name", "r"}, {"steps", {missing}}}, "steps[0].in: no such file");
        nlohmann::json unknown = clean;
        unknown["step"] = "shuffle";
        check({{"name", "r"}, {"steps", {unknown}}}, "steps[0].step: unknown step 'shuffle'");
        check({{"name", "r"}, {"stepz", {clean}}}, "stepz: unknown key");
        check({{"name", "r"}, {"model", "${NO_SUCH_VARIABLE_HERE}"}, {"steps", {clean}}},
              "model: variable ${NO_SUCH_VARIABLE_HERE} is not set");
    }
};

QTEST_GUILESS_MAIN(TestDataRun)
#include "tst_data_run.moc"
