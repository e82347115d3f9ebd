// Evaluation task files and loaders: the shipped tasks parse, each loader reads its shared sample
// with the expected item count, the VMLU fixture loads, prompts and few-shot draws are
// reproducible, and bad input gives one message naming the task, the file and the line.

#include "backend/common/errors.h"
#include "backend/eval/eval_items.h"
#include "backend/eval/task_spec.h"
#include "tests/common/test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <map>

using namespace vietllm;

namespace {

std::string tasksFolder() {
    return std::string(VIETLLM_SOURCE_DIR) + "/resources/eval/tasks";
}

const std::vector<eval::TaskSpec>& shippedTasks() {
    static const std::vector<eval::TaskSpec> tasks = eval::loadTaskFolder(tasksFolder());
    return tasks;
}

// The UserError message of `call`, or "" when it does not throw.
template <typename Call>
std::string errorOf(Call call) {
    try {
        call();
    } catch (const UserError& error) {
        return error.what();
    }
    return {};
}

void writeFile(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

eval::TaskSpec fixtureTask(const std::string& format, const std::string& data) {
    return eval::parseTaskSpec({{"name", "bad_" + format},
                                {"language", "vi"},
                                {"format", format},
                                {"data", data},
                                {"prompt", "{question}"},
                                {"metric", "acc"},
                                {"choices", {"đúng", "sai"}},
                                {"labels", {"entailment", "contradiction"}}},
                               "bad.json");
}

}  // namespace

class TestEvalTasks : public QObject {
    Q_OBJECT

private slots:
    void shippedTasksParse() {
        std::vector<std::string> names;
        for (const eval::TaskSpec& task : shippedTasks()) names.push_back(task.name);
        const std::vector<std::string> expected = {"belebele_en",      "belebele_vi",    "bpb_vi_news",
                                                   "bpb_vi_wikipedia", "global_mmlu_vi", "iwslt15_en_vi",
                                                   "iwslt15_vi_en",    "mt_bench_vi",    "mt_bench_vi_reward",
                                                   "sea_ifeval_en",    "sea_ifeval_vi",  "tatoeba_en_vi",
                                                   "tatoeba_vi_en",    "vmlu_vi",        "xcopa_vi",
                                                   "xnli_vi",          "xquad_vi"};
        QCOMPARE(names, expected);
        QCOMPARE(eval::findTask(shippedTasks(), "xquad_vi").kind, eval::TaskKind::ExtractiveQa);
        QCOMPARE(eval::findTask(shippedTasks(), "mt_bench_vi").kind, eval::TaskKind::Judged);
        const std::string unknown = errorOf([] { eval::findTask(shippedTasks(), "mmlu_klingon"); });
        QVERIFY(unknown.find("unknown task 'mmlu_klingon'") != std::string::npos);
        QVERIFY(unknown.find("xcopa_vi") != std::string::npos);
    }

    void loadersReadTheSharedSamples() {
        if (testing::sampleDataDir().isEmpty() || !QFileInfo::exists(testing::sampleDataDir() + "/eval")) {
            QSKIP("shared sample data absent (set VIETLLM_SAMPLE_DATA)");
        }
        const std::string data = testing::sampleDataDir().toStdString();
        const std::map<std::string, std::size_t> counts = {
            {"global_mmlu_vi", 215},   {"belebele_vi", 895},      {"belebele_en", 895},
            {"xcopa_vi", 100},         {"xnli_vi", 1000},         {"xquad_vi", 1190},
            {"tatoeba_en_vi", 3311},   {"tatoeba_vi_en", 3311},   {"iwslt15_en_vi", 1553},
            {"iwslt15_vi_en", 1553},   {"sea_ifeval_vi", 105},    {"sea_ifeval_en", 105},
            {"mt_bench_vi", 58},       {"bpb_vi_wikipedia", 150}, {"bpb_vi_news", 1000},
            {"mt_bench_vi_reward", 58}};
        for (const auto& [name, count] : counts) {
            const std::vector<eval::EvalItem> items =
                eval::loadItems(eval::findTask(shippedTasks(), name), data);
            QVERIFY2(items.size() == count, (name + ": " + std::to_string(items.size())).c_str());
        }
        const auto mmlu = eval::loadItems(eval::findTask(shippedTasks(), "global_mmlu_vi"), data);
        QCOMPARE(mmlu[0].choices.size(), std::size_t(4));
        QVERIFY(mmlu[0].answer >= 0 && mmlu[0].answer < 4);
        QCOMPARE(mmlu[0].id, std::string("astronomy/dev/0"));
        const auto xquad = eval::loadItems(eval::findTask(shippedTasks(), "xquad_vi"), data);
        QCOMPARE(xquad[0].references.front(), std::string("308"));
        const auto iwslt = eval::loadItems(eval::findTask(shippedTasks(), "iwslt15_en_vi"), data);
        // Detokenized: no space before the question mark, no Moses escapes left.
        QVERIFY(iwslt[0].fields.at("source").find("today?") != std::string::npos);
        for (const eval::EvalItem& item : iwslt) {
            QVERIFY(item.references[0].find("&apos;") == std::string::npos);
            QVERIFY(item.references[0].find("&quot;") == std::string::npos);
        }
        const auto ifeval = eval::loadItems(eval::findTask(shippedTasks(), "sea_ifeval_vi"), data);
        QCOMPARE(ifeval[0].constraints.front().kind, std::string("combination:repeat_prompt"));
        const auto mt_bench = eval::loadItems(eval::findTask(shippedTasks(), "mt_bench_vi"), data);
        QCOMPARE(mt_bench[0].turns.size(), std::size_t(2));
        QCOMPARE(mt_bench[0].reference_turns.size(), std::size_t(2));
        const auto xnli = eval::loadItems(eval::findTask(shippedTasks(), "xnli_vi"), data);
        QCOMPARE(xnli[0].answer, 2);  // "contradiction" is the third of the task's labels
    }

    void vmluFixture() {
        const eval::TaskSpec& task = eval::findTask(shippedTasks(), "vmlu_vi");
        const std::vector<eval::EvalItem> items =
            eval::loadItems(task, std::string(VIETLLM_SOURCE_DIR) + "/tests/fixtures");
        QCOMPARE(items.size(), std::size_t(5));
        QCOMPARE(items[0].choices[0], std::string("Hà Nội"));  // "A. " prefix removed
        QCOMPARE(items[1].answer, 2);
        QCOMPARE(eval::renderPrompt(task, items[0]),
                 std::string(
                     "Câu hỏi: Thủ đô của Việt Nam là thành phố nào?\nA. Hà Nội\nB. Huế\nC. Đà Nẵng\nD. Cần "
                     "Thơ\nĐáp án:"));
        QCOMPARE(eval::choiceContinuation(task, items[0], 1), std::string(" B"));
        QCOMPARE(eval::goldContinuation(task, items[1]), std::string(" C"));
    }

    void fewshotIsReproducible() {
        eval::TaskSpec task = eval::findTask(shippedTasks(), "vmlu_vi");
        task.fewshot = 2;
        const std::vector<eval::EvalItem> items =
            eval::loadItems(task, std::string(VIETLLM_SOURCE_DIR) + "/tests/fixtures");
        const std::string first = eval::fewshotContext(task, items, 3);
        QCOMPARE(eval::fewshotContext(task, items, 3), first);
        // Two solved examples, then the item itself; never the item as its own example.
        QCOMPARE(std::count(first.begin(), first.end(), '?'), std::ptrdiff_t(3));
        QCOMPARE(first.find(eval::renderPrompt(task, items[3])),
                 first.size() - eval::renderPrompt(task, items[3]).size());
        QVERIFY(first.find(eval::renderPrompt(task, items[3])) ==
                first.rfind(eval::renderPrompt(task, items[3])));
        task.fewshot_seed = 99;
        bool differs = false;
        for (std::size_t i = 0; i < items.size(); ++i) {
            eval::TaskSpec base = task;
            base.fewshot_seed = 1234;
            differs = differs || eval::fewshotContext(task, items, i) != eval::fewshotContext(base, items, i);
        }
        QVERIFY(differs);
    }

    void xcopaRewritesTheConnector() {
        const eval::TaskSpec& task = eval::findTask(shippedTasks(), "xcopa_vi");
        eval::EvalItem item;
        item.fields = {{"premise", "Trời mưa."}, {"question", "effect"}};
        item.choices = {"Đường ướt.", "Trời nắng."};
        item.answer = 0;
        QCOMPARE(eval::renderPrompt(task, item), std::string("Trời mưa. vì vậy"));
        QCOMPARE(eval::choiceContinuation(task, item, 1), std::string(" Trời nắng."));
    }

    void badInputIsNamed() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        writeFile(root + "/vmlu.jsonl",
                  "{\"id\":\"1\",\"question\":\"q\",\"choices\":[\"A. x\",\"B. y\"],\"answer\":\"A\"}\n"
                  "{\"id\":\"2\",\"question\":\"q\",\"choices\":[\"A. x\",\"B. y\"],\"answer\":\"E\"}\n");
        std::string message = errorOf([&] { eval::loadItems(fixtureTask("vmlu", "vmlu.jsonl"), root); });
        QVERIFY2(message.find("task bad_vmlu") != std::string::npos, message.c_str());
        QVERIFY2(message.find("vmlu.jsonl:2") != std::string::npos, message.c_str());
        QVERIFY2(message.find("answer 'E'") != std::string::npos, message.c_str());

        writeFile(root + "/broken.jsonl",
                  "{\"premise\":\"a\",\"choice1\":\"b\",\"choice2\":\"c\",\"question\":\"cause\","
                  "\"label\":1}\n{not json\n");
        message = errorOf([&] { eval::loadItems(fixtureTask("xcopa", "broken.jsonl"), root); });
        QVERIFY2(message.find("broken.jsonl:2") != std::string::npos &&
                     message.find("not a JSON object") != std::string::npos,
                 message.c_str());

        writeFile(root + "/missing.jsonl", "{\"premise\":\"a\",\"label\":\"entailment\"}\n");
        message = errorOf([&] { eval::loadItems(fixtureTask("xnli", "missing.jsonl"), root); });
        QVERIFY2(message.find("missing.jsonl:1") != std::string::npos &&
                     message.find("'hypothesis'") != std::string::npos,
                 message.c_str());

        writeFile(root + "/label.jsonl", "{\"premise\":\"a\",\"hypothesis\":\"b\",\"label\":\"neutral\"}\n");
        message = errorOf([&] { eval::loadItems(fixtureTask("xnli", "label.jsonl"), root); });
        QVERIFY2(message.find("label 'neutral'") != std::string::npos, message.c_str());

        writeFile(root + "/belebele.jsonl",
                  "{\"id\":1,\"passage\":\"p\",\"question\":\"q\",\"choices\":[\"a\",\"b\"],"
                  "\"answer_index\":4}\n");
        message = errorOf([&] { eval::loadItems(fixtureTask("belebele", "belebele.jsonl"), root); });
        QVERIFY2(message.find("answer_index 4") != std::string::npos, message.c_str());

        writeFile(root + "/pairs.tsv", "Hello\tXin chào\nno tab here\n");
        message = errorOf([&] { eval::loadItems(fixtureTask("parallel_tsv", "pairs.tsv"), root); });
        QVERIFY2(message.find("pairs.tsv:2") != std::string::npos, message.c_str());

        writeFile(root + "/ifeval.jsonl",
                  "{\"id\":1,\"prompts\":[{\"text\":\"t\"}],\"metadata\":{\"subcategory\":"
                  "\"keywords:unheard_of\"},\"kwargs\":[{}]}\n");
        message = errorOf([&] { eval::loadItems(fixtureTask("sea_ifeval", "ifeval.jsonl"), root); });
        QVERIFY2(message.find("ifeval.jsonl:1") != std::string::npos &&
                     message.find("unheard_of") != std::string::npos,
                 message.c_str());

        message = errorOf([&] { eval::loadItems(fixtureTask("xcopa", "absent.jsonl"), root); });
        QVERIFY2(message.find("absent.jsonl") != std::string::npos &&
                     message.find("not found") != std::string::npos,
                 message.c_str());
    }

    void badTaskFiles() {
        const nlohmann::json good = {{"name", "t"},       {"language", "vi"},      {"format", "xcopa"},
                                     {"data", "x.jsonl"}, {"prompt", "{premise}"}, {"metric", "acc"}};
        QCOMPARE(eval::parseTaskSpec(good, "t.json").kind, eval::TaskKind::MultipleChoice);
        nlohmann::json bad = good;
        bad["formt"] = "xcopa";
        QVERIFY(errorOf([&] { eval::parseTaskSpec(bad, "t.json"); }).find("t.json: unknown field 'formt'") !=
                std::string::npos);
        bad = good;
        bad["format"] = "csv";
        QVERIFY(errorOf([&] { eval::parseTaskSpec(bad, "t.json"); }).find("unknown format 'csv'") !=
                std::string::npos);
        bad = good;
        bad.erase("metric");
        QVERIFY(errorOf([&] { eval::parseTaskSpec(bad, "t.json"); }).find("missing field 'metric'") !=
                std::string::npos);
        bad = good;
        bad["fewshot"] = -1;
        QVERIFY(errorOf([&] { eval::parseTaskSpec(bad, "t.json"); }).find("'fewshot'") != std::string::npos);
        // A placeholder the format does not fill is named.
        eval::TaskSpec task = eval::parseTaskSpec(good, "t.json");
        task.prompt = "{premise} {nonsense}";
        eval::EvalItem item;
        item.id = "7";
        item.fields = {{"premise", "p"}};
        QVERIFY(errorOf([&] { eval::renderPrompt(task, item); }).find("{nonsense}") != std::string::npos);
    }

    void detokenizer() {
        QCOMPARE(eval::mosesDetokenize("It &apos;s a test , isn &apos;t it ?"),
                 std::string("It's a test, isn't it?"));
        QCOMPARE(eval::mosesDetokenize("He said &quot; hello &quot; ( twice ) ."),
                 std::string("He said \"hello\" (twice)."));
        QCOMPARE(eval::mosesDetokenize("Câu chuyện này chưa kết thúc ."),
                 std::string("Câu chuyện này chưa kết thúc."));
    }
};

QTEST_GUILESS_MAIN(TestEvalTasks)
#include "tst_eval_tasks.moc"
