// The whole RLHF chain on tiny random Llamas: SFT teaches a policy replies that end with "ạ ạ ạ" or
// with "nhé" (half each), a reward model learns the separable preference of tst_train_rm (chosen
// replies end with "ạ ạ ạ"), then GRPO-style RL of the SFT policy against it raises the mean reward
// from the first steps to the last (fixed seeds), with the KL to the starting policy finite, reported
// and zero before the first update, also in bf16 (CPU autocast, frozen models loaded in bf16); a run
// cancelled and resumed samples the same rollouts and ends with the same weights as a straight one;
// prompt files and reward models with mistakes get clear messages.

#include "backend/train/rl_trainer.h"
#include "backend/train/rm_trainer.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/random_model.h"
#include "backend/weights/safetensors.h"
#include "tests/common/test_support.h"
#include "tests/common/train_fixtures.h"

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

// SFT data: the marker set's replies, half ending with the marker and half with "nhé".
void writeReplies(const std::string& path, int count) {
    testing::writeJsonLinesFile(path, 0, count, [](int i) {
        return testing::conversationLine("Câu " + std::to_string(i) + "?",
                                         testing::markerWords(i) + (i % 2 == 0 ? " ạ ạ ạ" : " nhé"));
    });
}

using testing::expectUserError;

double mean(const std::vector<double>& values, std::size_t first, std::size_t count) {
    double total = 0.0;
    for (std::size_t i = first; i < first + count; ++i) total += values[i];
    return total / static_cast<double>(count);
}

// The step events of an RL run of `config`; `cancel_after` > 0 asks it to stop after that step.
std::vector<json> runRlSteps(const json& config, const std::string& source, bool resume = false,
                             int cancel_after = 0) {
    return testing::runTrainer(train::runRl, config, source, resume, cancel_after).of("step");
}

// Whether two safetensors files hold the same float32 tensors to 1e-6.
bool sameTensors(const std::string& one_file, const std::string& two_file) {
    const weights::SafetensorsFile one(one_file);
    const weights::SafetensorsFile two(two_file);
    for (const weights::TensorView& view : one.tensors()) {
        const weights::TensorView* other = two.find(view.name);
        if (other == nullptr || other->shape != view.shape || view.dtype != weights::DType::F32) return false;
        const auto* a = reinterpret_cast<const float*>(view.data);
        const auto* b = reinterpret_cast<const float*>(other->data);
        for (std::int64_t i = 0; i < view.elementCount(); ++i) {
            if (std::fabs(a[i] - b[i]) > 1e-6F * std::max(1.0F, std::fabs(a[i]))) return false;
        }
    }
    return !one.tensors().empty();
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

    // A packed full fine-tuning run (sft or rm) of `steps` steps of 8 rows.
    json trainConfig(const std::string& method, const std::string& model, const std::string& output,
                     const std::string& data, int steps, double lr) const {
        return testing::tinyRunConfig(method, model, path(output), {{"train", {data}}},
                                      {{"max_seq_len", 128},
                                       {"packing", true},
                                       {"micro_batch_size", 8},
                                       {"max_steps", steps},
                                       {"optimizer", {{"lr", lr}}},
                                       {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                                       {"seed", 1}});
    }

    // RL of the SFT policy against the reward model: 16 steps of 8 prompts, 4 samples each.
    json rlConfig(const std::string& output) const {
        return testing::tinyRunConfig("rl", m_policy, path(output), {{"train", {m_prompts}}},
                                      {{"max_seq_len", 128},
                                       {"micro_batch_size", 8},
                                       {"max_steps", 16},
                                       {"optimizer", {{"lr", 5e-4}}},
                                       {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                                       {"seed", 5},
                                       {"rl",
                                        {{"reward_model", m_reward_model},
                                         {"samples_per_prompt", 4},
                                         {"max_new_tokens", 24},
                                         {"temperature", 1.0},
                                         {"top_p", 1.0},
                                         {"kl_coef", 0.05}}}});
    }

    // Runs RL as `config` says: 16 step events with finite metrics, a KL below `first_kl` at step 1
    // (the policy is the reference until the first update) and positive later, and a mean reward
    // of the last 4 steps clearly above that of the first 4; a complete model folder at the end.
    void checkRewardRises(const json& config, double first_kl) {
        const std::vector<json> steps = runRlSteps(config, config["output_dir"].get<std::string>() + ".json");
        QCOMPARE(steps.size(), std::size_t{16});
        std::vector<double> rewards;
        for (const json& step : steps) {
            for (const char* key : {"loss", "lr", "grad_norm", "tokens_per_s", "reward_mean", "reward_std",
                                    "kl", "model_tflops"}) {
                QVERIFY2(step.contains(key) && std::isfinite(step[key].get<double>()), key);
            }
            QVERIFY(step["kl"].get<double>() >= 0.0);
            QCOMPARE(step["world_size"].get<int>(), 1);
            rewards.push_back(step["reward_mean"].get<double>());
        }
        QVERIFY2(steps.front()["kl"].get<double>() < first_kl,
                 qPrintable(QString::number(steps.front()["kl"].get<double>())));
        QVERIFY(steps.back()["kl"].get<double>() > 0.0);
        const double first = mean(rewards, 0, 4);
        const double last = mean(rewards, rewards.size() - 4, 4);
        // Over seeds 1-8 (fp32 and bf16) the rise was 0.9 to 2.0; a margin of half that is behaviour.
        QVERIFY2(last > first + 0.5,
                 qPrintable(QStringLiteral("first steps %1, last steps %2").arg(first).arg(last)));
        const fs::path output = fs::path(config["output_dir"].get<std::string>()) / "final";
        QVERIFY(fs::exists(output / "model.safetensors"));
        QVERIFY(fs::exists(output / "config.json"));
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
        m_policy = testing::runTrainer(train::runSft, sft, path("sft.json"), false).result.output;
        const std::string pairs = path("pairs.jsonl");
        testing::writeMarkerPairs(pairs, 0, 160);
        json rm = trainConfig("rm", base, "rm", pairs, 30, 3e-3);
        rm["data"]["eval_fraction"] = 0.1;
        m_reward_model =
            testing::runTrainer(train::runRewardModel, rm, path("rm.json"), false).result.run.output;
        m_prompts = path("prompts.jsonl");
        testing::writeJsonLinesFile(m_prompts, 500, 8, [](int i) {
            return json{{"prompt", "Câu " + std::to_string(i) + "?"}};
        });
    }

    void rlRaisesTheMeanReward() { checkRewardRises(rlConfig("rl"), 1e-6); }

    void bf16RlRaisesTheMeanReward() {
        json config = rlConfig("rl_bf16");
        config["dtype"] = "bf16";
        // The bf16 reference differs from the fp32 master weights of the policy by bf16 rounding.
        checkRewardRises(config, 1e-2);
    }

    void resumedRunSamplesWhatAStraightRunDoes() {
        json config = rlConfig("straight");
        config["max_steps"] = 4;
        config["micro_batch_size"] = 2;
        config["gradient_accumulation"] = 2;
        const std::vector<json> straight = runRlSteps(config, path("straight.json"));
        config["output_dir"] = path("resumed");
        const std::vector<json> first = runRlSteps(config, path("resumed.json"), false, 2);
        QCOMPARE(first.size(), std::size_t{2});
        QVERIFY(fs::exists(fs::path(path("resumed")) / "checkpoint-2"));
        const std::vector<json> rest = runRlSteps(config, path("resumed.json"), true);
        QCOMPARE(straight.size(), std::size_t{4});
        QCOMPARE(rest.size(), std::size_t{2});
        for (std::size_t i = 0; i < 4; ++i) {
            const json& resumed = i < 2 ? first[i] : rest[i - 2];
            for (const char* key :
                 {"loss", "reward_mean", "reward_std", "kl", "completion_tokens", "tokens"}) {
                QVERIFY2(std::fabs(resumed[key].get<double>() - straight[i][key].get<double>()) <= 1e-6,
                         qPrintable(QStringLiteral("step %1 %2: %3 vs %4")
                                        .arg(i + 1)
                                        .arg(key)
                                        .arg(resumed[key].get<double>())
                                        .arg(straight[i][key].get<double>())));
            }
        }
        QVERIFY(sameTensors(path("straight") + "/final/model.safetensors",
                            path("resumed") + "/final/model.safetensors"));
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
