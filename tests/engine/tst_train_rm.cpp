// Reward-model training on a tiny random Llama: a separable synthetic preference (chosen replies end
// with a marker syllable pattern, rejected ones do not) reaches >= 95% held-out accuracy; the final
// folder is a one-label LlamaForSequenceClassification that RewardScorer reads with the trainer's own
// rewards; resume reproduces the uninterrupted curve; bad pairs, configs and folders get clear errors.

#include "backend/common/errors.h"
#include "backend/eval/eval_items.h"
#include "backend/eval/evaluator.h"
#include "backend/eval/task_spec.h"
#include "backend/sample/reward_scorer.h"
#include "backend/train/preference_data.h"
#include "backend/train/rm_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/random_model.h"
#include "backend/weights/safetensors.h"
#include "tests/common/test_support.h"
#include "tests/common/text_files.h"
#include "tests/common/train_fixtures.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

using namespace vietllm;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

struct Fixture : testing::TinyRunFolder {
    Fixture() {
        testing::writeMarkerPairs(train_file, 0, 240);
        testing::writeMarkerPairs(eval_file, 1000, 40);
    }

    json config(const std::string& output, bool lora) const {
        return testing::tinyRunConfig("rm", model, path(output),
                                      {{"train", {train_file}}, {"eval", {eval_file}}},
                                      {{"micro_batch_size", 8},
                                       {"max_steps", 40},
                                       {"schedule", {{"kind", "constant"}, {"warmup_steps", 2}}},
                                       {"seed", 3},
                                       {"eval_every_steps", 20},
                                       {"lora", lora ? testing::loraSection(8, 16, 0.0) : json(nullptr)}});
    }
};

using Run = testing::TrainerRun<train::RewardRunResult>;

// Reward-model training in process, recording its events; cancelled once step
// `cancel_after_step` is reported.
Run runTraining(const json& config_json, const std::string& source, bool resume, int cancel_after_step = 0) {
    return testing::runTrainer(train::runRewardModel, config_json, source, resume, cancel_after_step);
}

using testing::expectUserError;
using testing::stepLosses;

// A model whose every answer is `m_answer`, to evaluate known replies.
class FixedAnswerModel : public eval::ModelBackend {
public:
    explicit FixedAnswerModel(std::string answer) : m_answer(std::move(answer)) {}
    std::string describe() const override { return "fixed"; }
    bool canScore() const override { return false; }
    std::vector<eval::LoglikelihoodResult> loglikelihood(
        const std::vector<eval::LoglikelihoodRequest>&) override {
        return {};
    }
    eval::RollingResult rolling(const std::string&, std::int64_t) override { return {}; }
    std::vector<std::string> generate(const std::vector<eval::GenerationRequest>& requests) override {
        return std::vector<std::string>(requests.size(), m_answer);
    }

private:
    std::string m_answer;
};

// A two-item, two-turn chat task scored by the reward model (metric "reward"), in its own folders.
std::string writeRewardTask(const Fixture& fixture) {
    const std::string folder = fixture.path("reward_task");
    fs::create_directories(folder);
    std::ofstream(folder + "/reward_chat.json")
        << json({{"name", "reward_chat"},
                 {"description", "two-turn questions, answers scored by a reward model"},
                 {"language", "vi"},
                 {"format", "sea_mt_bench"},
                 {"data", "chat.jsonl"},
                 {"prompt", "{prompt}"},
                 {"chat", true},
                 {"max_new_tokens", 6},
                 {"reference_model", "ref"},
                 {"metric", "reward"}})
               .dump();
    std::ofstream data(folder + "/chat.jsonl");
    for (const char* id : {"q1", "q2"}) {
        data << json({{"question_id", id},
                      {"prompts", {{{"text", std::string("Câu ") + id + "?"}}, {{"text", "Còn gì nữa?"}}}},
                      {"baselines", {{"ref", {"a", "b"}}}}})
                    .dump()
             << "\n";
    }
    return folder;
}

// The "reward" metric end to end: known answers get the scorer's rewards, and `eval run
// --reward-model` on a tiny model reports them.
void checkRewardMetric(const Fixture& fixture, const std::string& reward_dir,
                       const sample::RewardScorer& scorer) {
    const std::string folder = writeRewardTask(fixture);
    const std::vector<eval::TaskSpec> tasks = eval::loadTaskFolder(folder);
    const eval::TaskSpec& task = eval::findTask(tasks, "reward_chat");
    const std::vector<eval::EvalItem> items = eval::loadItems(task, folder);
    sample::RewardEvalBackend reward(scorer, reward_dir, 4);
    std::map<std::string, double> means;
    for (const std::string answer : {"mèo chim trời ạ ạ ạ", "mèo chim trời nhé"}) {
        FixedAnswerModel model(answer);
        eval::Evaluator evaluator(model, nullptr, eval::EvaluatorOptions());
        evaluator.setRewardModel(&reward);
        const eval::TaskResult result = evaluator.run(task, items, nullptr);
        QCOMPARE(result.metrics["n"].get<int>(), 2);
        const std::vector<float> expected = scorer.scoreConversations({{{data::Role::User, "Câu q1?"}},
                                                                       {{data::Role::User, "Câu q1?"},
                                                                        {data::Role::Assistant, answer},
                                                                        {data::Role::User, "Còn gì nữa?"}}},
                                                                      {answer, answer}, 2);
        QVERIFY(std::abs(*result.items[0].score - (expected[0] + expected[1]) / 2.0) < 1e-5);
        QCOMPARE(result.items[0].details["turn_rewards"].size(), std::size_t{2});
        means[answer] = result.metrics["reward"].get<double>();
    }
    QVERIFY(means["mèo chim trời ạ ạ ạ"] > means["mèo chim trời nhé"]);
    FixedAnswerModel model("x");
    eval::Evaluator no_reward(model, nullptr, eval::EvaluatorOptions());
    QVERIFY(expectUserError([&] { no_reward.run(task, items, nullptr); }).find("--reward-model") !=
            std::string::npos);

    const std::string out = fixture.path("reward_results.json");
    const testing::CliResult result = testing::runCli(
        {QStringLiteral("eval"), QStringLiteral("run"), QStringLiteral("--model"),
         QString::fromStdString(fixture.model), QStringLiteral("--tasks"), QStringLiteral("reward_chat"),
         QStringLiteral("--tasks-dir"), QString::fromStdString(folder), QStringLiteral("--data-dir"),
         QString::fromStdString(folder), QStringLiteral("--reward-model"), QString::fromStdString(reward_dir),
         QStringLiteral("--out"), QString::fromStdString(out), QStringLiteral("--threads"),
         QStringLiteral("1")});
    QVERIFY2(result.exit_code == 0, result.standard_error.constData());
    std::ifstream document_file(out);
    const json document = json::parse(document_file);
    const json& metrics = document["tasks"]["reward_chat"];
    QVERIFY2(std::isfinite(metrics["reward"].get<double>()), document.dump().c_str());
    QVERIFY(metrics["reward_min"].get<double>() <= metrics["reward"].get<double>());
    QVERIFY(metrics["reward"].get<double>() <= metrics["reward_max"].get<double>());
    QCOMPARE(QString::fromStdString(document["config"]["reward_model"].get<std::string>()),
             QString::fromStdString(reward_dir));
}

}  // namespace

class TestTrainRm : public QObject {
    Q_OBJECT

private slots:
    void loraRewardModelSeparatesAndScoresLikeTheTrainer() {
        Fixture fixture;
        const Run run = runTraining(fixture.config("lora", true), fixture.path("rm.json"), false);
        QVERIFY(!run.result.run.cancelled);
        const std::vector<json> evals = run.of("eval");
        for (const json& event : run.of("step")) {
            QVERIFY(event.contains("accuracy") && event.contains("margin"));
            QVERIFY(std::isfinite(event["loss"].get<double>()));
        }
        QVERIFY(evals.size() >= 2);
        const json& last = evals.back();
        QVERIFY2(last["accuracy"].get<double>() >= 0.95, last.dump().c_str());
        QVERIFY(last["margin"].get<double>() > 0.0);
        QVERIFY(last["eval_loss"].get<double>() < std::log(2.0));

        // The folder transformers loads as LlamaForSequenceClassification.
        const std::string final_dir = run.result.run.output;
        std::ifstream config_file(fs::path(final_dir) / "config.json");
        const json config = json::parse(config_file);
        QCOMPARE(QString::fromStdString(config["architectures"][0].get<std::string>()),
                 QStringLiteral("LlamaForSequenceClassification"));
        QCOMPARE(config["num_labels"].get<int>(), 1);
        QCOMPARE(config["id2label"].size(), std::size_t{1});
        QCOMPARE(QString::fromStdString(config["model_type"].get<std::string>()), QStringLiteral("llama"));
        QVERIFY(fs::exists(fs::path(final_dir) / "tokenizer.json"));
        const weights::WeightSet weights(final_dir);
        const weights::TensorView* score = weights.find("score.weight");
        QVERIFY(score != nullptr);
        QCOMPARE(score->shape, (std::vector<std::int64_t>{1, config["hidden_size"].get<std::int64_t>()}));
        QVERIFY(weights.find("lm_head.weight") == nullptr);
        QVERIFY(weights.find("model.layers.0.self_attn.q_proj.weight") != nullptr);
        for (const std::string& name : weights.names())
            QVERIFY2(name.find("lora") == std::string::npos, name.c_str());

        // The adapters are merged: the scorer needs no PEFT and agrees with the final eval.
        const sample::RewardScorer scorer(final_dir, sample::EngineOptions{});
        QCOMPARE(run.result.eval_rows.size(), std::size_t{80});
        const std::vector<float> rewards = scorer.scoreIds(run.result.eval_rows, 7);
        QCOMPARE(rewards.size(), run.result.eval_rewards.size());
        for (std::size_t i = 0; i < rewards.size(); ++i) {
            QVERIFY2(std::abs(rewards[i] - run.result.eval_rewards[i]) < 1e-4,
                     qPrintable(QStringLiteral("%1 vs %2").arg(rewards[i]).arg(run.result.eval_rewards[i])));
        }
        // Replies scored from text with the model's chat template: the marker wins.
        const std::vector<float> replies =
            scorer.scoreReplies({{data::Role::User, "Câu 5000?"}},
                                {"mèo chim trời ạ ạ ạ", "mèo chim trời nhé"}, 2, chat::TemplateKind::ChatMl);
        QVERIFY(replies[0] > replies[1]);
        // Without an override the template the model was trained with is used.
        QCOMPARE(QString::fromStdString(config["vietllm_chat_template"].get<std::string>()),
                 QStringLiteral("chatml"));
        const std::vector<float> trained_template = scorer.scoreReplies(
            {{data::Role::User, "Câu 5000?"}}, {"mèo chim trời ạ ạ ạ", "mèo chim trời nhé"}, 2);
        QCOMPARE(trained_template, replies);

        checkRewardMetric(fixture, final_dir, scorer);
    }

    void fullFineTuningResumesExactly() {
        Fixture fixture;
        json config = fixture.config("full", false);
        config["max_steps"] = 6;
        config["micro_batch_size"] = 4;
        config["gradient_accumulation"] = 2;
        config["eval_every_steps"] = 0;
        config["optimizer"]["lr"] = 1e-3;
        const Run whole = runTraining(config, fixture.path("whole.json"), false);
        const std::vector<double> expected = stepLosses(whole.events);
        QCOMPARE(expected.size(), std::size_t{6});
        QVERIFY(whole.result.eval_rewards.size() == 80);

        config["output_dir"] = fixture.path("parts");
        const Run first = runTraining(config, fixture.path("parts.json"), false, 3);
        QVERIFY(first.result.run.cancelled);
        QVERIFY(fs::exists(fs::path(fixture.path("parts")) / "checkpoint-3" / "optimizer.pt"));
        QVERIFY(expectUserError([&] {
                    runTraining(config, fixture.path("parts.json"), false);
                }).find("--resume") != std::string::npos);
        const Run second = runTraining(config, fixture.path("parts.json"), true);
        QCOMPARE(second.events.front()["resumed_from_step"].get<int>(), 3);
        QCOMPARE(QString::fromStdString(second.events.front()["method"].get<std::string>()),
                 QStringLiteral("rm"));
        std::vector<double> resumed = stepLosses(first.events);
        for (const double loss : stepLosses(second.events)) resumed.push_back(loss);
        QCOMPARE(resumed.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QVERIFY2(
                std::abs(resumed[i] - expected[i]) < 1e-6,
                qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(resumed[i]).arg(expected[i])));
        }
        for (std::size_t i = 0; i < whole.result.eval_rewards.size(); ++i) {
            QVERIFY(std::abs(whole.result.eval_rewards[i] - second.result.eval_rewards[i]) < 1e-4);
        }
    }

    void badPairsConfigsAndFoldersAreClearErrors() {
        Fixture fixture;
        // A malformed pair names its file and line.
        const std::string bad_file = fixture.path("bad.jsonl");
        {
            std::ofstream out(bad_file);
            out << json({{"prompt", {{{"role", "user"}, {"content", "Hỏi?"}}}},
                         {"chosen", "a"},
                         {"rejected", "b"}})
                       .dump()
                << "\n"
                << json({{"prompt", {{{"role", "user"}, {"content", "Hỏi?"}}}}, {"chosen", "a"}}).dump()
                << "\n";
        }
        json config = fixture.config("bad", false);
        config["data"]["train"] = json::array({bad_file});
        const std::string message =
            expectUserError([&] { runTraining(config, fixture.path("bad.json"), false); });
        QVERIFY2(message.find("bad.jsonl") != std::string::npos && message.find(":2") != std::string::npos,
                 message.c_str());
        QVERIFY(!fs::exists(fs::path(fixture.path("bad")) / "final"));

        // Conversations hold no pairs.
        const std::string chat_file = fixture.path("chat.jsonl");
        std::ofstream(chat_file) << testing::conversationLine("Chào", "Chào bạn").dump() << "\n";
        QVERIFY(expectUserError([&] {
                    train::readPreferencePairs({chat_file}, "auto");
                }).find("no preference pairs") != std::string::npos);

        // An rl config needs its reward model; unknown rl keys are named.
        json rl = fixture.config("rl", false);
        rl["method"] = "rl";
        QVERIFY(expectUserError([&] { train::parseTrainConfig(rl, "/cfg/rl.json"); }).find("$.rl") !=
                std::string::npos);
        rl["rl"] = {{"reward_model", "rm"}, {"kl_coeff", 0.1}};
        QVERIFY(expectUserError([&] { train::parseTrainConfig(rl, "/cfg/rl.json"); }).find("$.rl.kl_coeff") !=
                std::string::npos);

        // A language model is not a reward model.
        const std::string not_rm =
            expectUserError([&] { sample::RewardScorer scorer(fixture.model, sample::EngineOptions{}); });
        QVERIFY2(not_rm.find("not a reward model") != std::string::npos, not_rm.c_str());
    }

    void cliStreamsRewardModelEvents() {
        Fixture fixture;
        json config = fixture.config("cli", true);
        config["max_steps"] = 2;
        config["eval_every_steps"] = 0;
        const std::string config_path = fixture.path("cli.json");
        std::ofstream(config_path) << config.dump();
        const testing::CliResult result = testing::runCli({QStringLiteral("train"), QStringLiteral("rm"),
                                                           QString::fromStdString(config_path),
                                                           QStringLiteral("--threads"), QStringLiteral("1")});
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        const std::vector<json> events = testing::parseJsonLines(result.standard_output.toStdString());
        QCOMPARE(QString::fromStdString(events.front()["method"].get<std::string>()), QStringLiteral("rm"));
        QCOMPARE(QString::fromStdString(events.back()["event"].get<std::string>()), QStringLiteral("done"));
        bool eval_with_accuracy = false;
        for (const json& event : events)
            eval_with_accuracy |= event["event"] == "eval" && event.contains("accuracy");
        QVERIFY(eval_with_accuracy);
    }
};

QTEST_GUILESS_MAIN(TestTrainRm)
#include "tst_train_rm.moc"
