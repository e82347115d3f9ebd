// The whole RLHF chain on tiny random Llamas: SFT teaches a policy replies that end with "ạ ạ ạ" or
// with "nhé" (half each), a reward model learns the separable preference of tst_train_rm (chosen
// replies end with "ạ ạ ạ"), then GRPO-style RL of the SFT policy against it raises the mean reward
// from the first steps to the last (fixed seeds), with the KL to the starting policy finite, reported
// and zero before the first update; prompt files and reward models with mistakes get clear messages.

#include "backend/common/errors.h"
#include "backend/train/rl_trainer.h"
#include "backend/train/rm_trainer.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/random_model.h"
#include "tests/common/test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace vietllm;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

const char* const kWords[] = {"trời", "mưa", "nắng", "gió", "sông", "núi", "lúa", "thuyền", "mèo", "chim"};

void writePairs(const std::string& path, int count) {
    std::ofstream out(path);
    for (int i = 0; i < count; ++i) {
        std::string words;
        for (int k = 0; k < 3; ++k) words += std::string(k == 0 ? "" : " ") + kWords[(i * 7 + k * 3) % 10];
        out << json({{"prompt", {{{"role", "user"}, {"content", "Câu " + std::to_string(i) + "?"}}}},
                     {"chosen", words + " ạ ạ ạ"},
                     {"rejected", words + " nhé"}})
                   .dump()
            << "\n";
    }
}

// SFT data: the same replies, half ending with the marker and half with "nhé".
void writeReplies(const std::string& path, int count) {
    std::ofstream out(path);
    for (int i = 0; i < count; ++i) {
        std::string words;
        for (int k = 0; k < 3; ++k) words += std::string(k == 0 ? "" : " ") + kWords[(i * 7 + k * 3) % 10];
        out << json({{"messages",
                      {{{"role", "user"}, {"content", "Câu " + std::to_string(i) + "?"}},
                       {{"role", "assistant"}, {"content", words + (i % 2 == 0 ? " ạ ạ ạ" : " nhé")}}}}})
                   .dump()
            << "\n";
    }
}

using testing::expectUserError;

double mean(const std::vector<double>& values, std::size_t first, std::size_t count) {
    double total = 0.0;
    for (std::size_t i = first; i < first + count; ++i) total += values[i];
    return total / static_cast<double>(count);
}

}  // namespace

class TestTrainRl : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_policy;
    std::string m_reward_model;
    std::string m_prompts;

    std::string path(const std::string& name) const {
        return m_dir.filePath(QString::fromStdString(name)).toStdString();
    }

    json trainConfig(const std::string& method, const std::string& model, const std::string& output,
                     const std::string& data, int steps, double lr) const {
        return {{"method", method},
                {"model", model},
                {"output_dir", path(output)},
                {"data", {{"train", {data}}}},
                {"template", "chatml"},
                {"lora", nullptr},
                {"max_seq_len", 128},
                {"packing", true},
                {"micro_batch_size", 8},
                {"gradient_accumulation", 1},
                {"max_steps", steps},
                {"optimizer", {{"lr", lr}}},
                {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                {"seed", 1},
                {"eval_every_steps", 0},
                {"save_every_steps", 0}};
    }

    json rlConfig(const std::string& output) const {
        return {{"method", "rl"},
                {"model", m_policy},
                {"output_dir", path(output)},
                {"data", {{"train", {m_prompts}}}},
                {"template", "chatml"},
                {"lora", nullptr},
                {"max_seq_len", 128},
                {"micro_batch_size", 4},
                {"gradient_accumulation", 1},
                {"max_steps", 16},
                {"optimizer", {{"lr", 1e-3}}},
                {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                {"seed", 5},
                {"save_every_steps", 0},
                {"rl",
                 {{"reward_model", m_reward_model},
                  {"samples_per_prompt", 4},
                  {"max_new_tokens", 24},
                  {"temperature", 1.0},
                  {"top_p", 1.0},
                  {"kl_coef", 0.05}}}};
    }

private slots:
    void initTestCase() {
        weights::RandomModelOptions options;
        options.architecture = weights::Architecture::Llama;
        options.vocab_size = 300;
        const std::string base = path("base");
        weights::writeRandomModel(base, options);
        options.seed = 99;
        const std::string random_policy = path("random_policy");
        weights::writeRandomModel(random_policy, options);
        const std::string replies = path("replies.jsonl");
        writeReplies(replies, 200);
        json sft = trainConfig("sft", random_policy, "sft", replies, 60, 1e-2);
        sft["data"]["eval_fraction"] = 0.0;
        train::RunOptions run;
        run.num_threads = 1;
        m_policy = train::runSft(train::parseTrainConfig(sft, path("sft.json")), run).output;
        const std::string pairs = path("pairs.jsonl");
        writePairs(pairs, 160);
        json rm = trainConfig("rm", base, "rm", pairs, 30, 3e-3);
        rm["data"]["eval_fraction"] = 0.1;
        m_reward_model = train::runRewardModel(train::parseTrainConfig(rm, path("rm.json")), run).run.output;
        m_prompts = path("prompts.jsonl");
        std::ofstream out(m_prompts);
        for (int i = 0; i < 8; ++i)
            out << json({{"prompt", "Câu " + std::to_string(500 + i) + "?"}}).dump() << "\n";
    }

    void rlRaisesTheMeanReward() {
        std::vector<json> steps;
        train::RunOptions run;
        run.num_threads = 1;
        run.on_event = [&](const nlohmann::ordered_json& event) {
            if (event["event"] == "step") steps.push_back(json::parse(event.dump()));
        };
        const train::RunResult result =
            train::runRl(train::parseTrainConfig(rlConfig("rl"), path("rl.json")), run);
        QVERIFY(!result.cancelled);
        QCOMPARE(steps.size(), std::size_t{16});
        std::vector<double> rewards;
        for (const json& step : steps) {
            for (const char* key :
                 {"loss", "lr", "grad_norm", "tokens_per_s", "reward_mean", "reward_std", "kl"}) {
                QVERIFY2(step.contains(key) && std::isfinite(step[key].get<double>()), key);
            }
            QVERIFY(step["kl"].get<double>() >= 0.0);
            rewards.push_back(step["reward_mean"].get<double>());
        }
        QVERIFY(steps.front()["kl"].get<double>() <
                1e-6);  // the policy is the reference until the first update
        QVERIFY(steps.back()["kl"].get<double>() > 0.0);
        const double first = mean(rewards, 0, 4);
        const double last = mean(rewards, rewards.size() - 4, 4);
        QVERIFY2(last > first + 1.0,
                 qPrintable(QStringLiteral("first steps %1, last steps %2").arg(first).arg(last)));
        QVERIFY(fs::exists(fs::path(result.output) / "model.safetensors"));
        QVERIFY(fs::exists(fs::path(result.output) / "config.json"));
    }

    void badPromptsAndRewardModelsAreClearErrors() {
        const std::string bad = path("bad_prompts.jsonl");
        std::ofstream(bad) << json({{"prompt", "Câu hỏi?"}}).dump() << "\n"
                           << "{\"prompt\": 3}\n";
        const std::string message = expectUserError([&] { train::readPrompts({bad}, "auto"); });
        QVERIFY2(message.find("bad_prompts.jsonl:2") != std::string::npos, message.c_str());

        json config = rlConfig("not_rm");
        config["rl"]["reward_model"] = m_policy;  // a language model, not a reward model
        const std::string not_rm = expectUserError(
            [&] { train::runRl(train::parseTrainConfig(config, path("x.json")), train::RunOptions()); });
        QVERIFY2(not_rm.find("$.rl.reward_model") != std::string::npos &&
                     not_rm.find("not a reward model") != std::string::npos,
                 not_rm.c_str());
        QVERIFY(!fs::exists(fs::path(path("not_rm")) / "final"));
    }
};

QTEST_GUILESS_MAIN(TestTrainRl)
#include "tst_train_rl.moc"
