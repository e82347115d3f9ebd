// DPO on a tiny random Llama: the loss starts at log 2 (policy == reference), training raises the
// held-out chosen-minus-rejected margin, the reference log-probabilities are computed once and a
// resume reads them from the cache (and reproduces the uninterrupted loss curve), full fine-tuning
// writes a model folder, and bad pair lines and configs give messages naming file, line or key.

#include "backend/common/errors.h"
#include "backend/runs/run_setup.h"
#include "backend/runs/training_presets.h"
#include "backend/train/dpo_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/model_config.h"
#include "backend/weights/random_model.h"
#include "tests/common/test_support.h"
#include "tests/common/text_files.h"
#include "tests/common/train_fixtures.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace vietllm;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

// Pairs with a learnable preference: the chosen reply answers politely with a colour, the rejected
// one refuses. The prompt is a conversation (system + user), as the preference format allows.
void writePairFile(const std::string& path, int first, int count) {
    testing::writeJsonLinesFile(path, first, count, [](int i) {
        return testing::preferenceLine(json::array({testing::turn("system", "Trả lời ngắn gọn."),
                                                    testing::turn("user", testing::colourQuestion(i))}),
                                       "Dạ, màu " + testing::colourAnswer(i) + ".", "Tôi không biết!!");
    });
}

struct Fixture : testing::TinyRunFolder {
    Fixture() {
        writePairFile(train_file, 0, 32);
        writePairFile(eval_file, 100, 8);
    }

    json config(const std::string& output, bool lora) const {
        return testing::tinyRunConfig("dpo", model, path(output),
                                      {{"train", {train_file}}, {"eval", {eval_file}}},
                                      {{"packing", true},
                                       {"gradient_accumulation", 2},
                                       {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                                       {"dpo", {{"beta", 0.1}}},
                                       {"seed", 11},
                                       {"lora", lora ? testing::loraSection(4, 8, 0.1) : json(nullptr)}});
    }
};

using Run = testing::TrainerRun<train::RunResult>;

// DPO in process, recording its events; cancelled once step `cancel_after_step` is reported.
Run runDpo(const json& config_json, const std::string& source, bool resume, int cancel_after_step = 0) {
    return testing::runTrainer(train::runDpo, config_json, source, resume, cancel_after_step);
}

using testing::expectUserError;

}  // namespace

class TestTrainDpo : public QObject {
    Q_OBJECT

private slots:
    void lossStartsAtLog2AndHeldOutMarginRises() {
        Fixture fixture;
        json config = fixture.config("out", true);
        config["max_steps"] = 10;
        config["eval_every_steps"] = 5;
        config["optimizer"] = {{"lr", 2e-3}};  // slow enough that the margin still grows at step 10
        const Run run = runDpo(config, fixture.path("run.json"), false);
        const std::vector<json> steps = run.of("step");
        QCOMPARE(steps.size(), std::size_t{10});
        // Step 1's forward runs with B = 0 adapters: the policy is the reference, so every pair's
        // loss is -log sigmoid(0) = log 2 and both rewards are 0.
        QVERIFY2(std::abs(steps[0]["loss"].get<double>() - std::log(2.0)) < 1e-5, steps[0].dump().c_str());
        QVERIFY(std::abs(steps[0]["margin"].get<double>()) < 1e-5);
        QCOMPARE(steps[0]["accuracy"].get<double>(), 0.0);
        for (const char* key : {"rewards/chosen", "rewards/rejected", "lr", "grad_norm", "tokens"}) {
            QVERIFY2(steps[0].contains(key), key);
        }
        // Held-out pairs start at margin 0 (policy == reference); training raises it.
        const std::vector<json> evals = run.of("eval");
        QCOMPARE(evals.size(), std::size_t{2});
        const double mid_margin = evals[0]["eval_margin"].get<double>();
        const double final_margin = evals[1]["eval_margin"].get<double>();
        QVERIFY2(mid_margin > 0.0 && final_margin > mid_margin,
                 qPrintable(QStringLiteral("%1 then %2").arg(mid_margin).arg(final_margin)));
        QVERIFY(evals[1]["eval_accuracy"].get<double>() >= 0.75);
        QVERIFY(evals[1]["eval_loss"].get<double>() < std::log(2.0));
        QVERIFY(steps.back()["loss"].get<double>() < steps[0]["loss"].get<double>());
        const std::vector<json> start = run.of("start");
        QCOMPARE(start.at(0)["method"].get<std::string>(), std::string("dpo"));
        QCOMPARE(start.at(0)["reference"].get<std::string>(), std::string("computed"));
        QCOMPARE(start.at(0)["pairs"].get<int>(), 32);
        // A PEFT adapter like SFT's.
        QVERIFY(fs::is_regular_file(fs::path(run.result.output) / "adapter_config.json"));
        QVERIFY(fs::is_regular_file(fs::path(run.result.output) / "adapter_model.safetensors"));
    }

    void resumeReadsCachedReferenceAndMatchesStraightRun() {
        Fixture fixture;
        const Run straight = runDpo(fixture.config("straight", true), fixture.path("a.json"), false);
        json config = fixture.config("resumed", true);
        config["save_every_steps"] = 3;
        const Run first = runDpo(config, fixture.path("b.json"), false, 3);
        QVERIFY(first.result.cancelled);
        const std::string cache = (fs::path(fixture.path("resumed")) / train::kReferenceLogpsFile).string();
        const std::string cached = testing::fileContents(cache);
        QVERIFY(!cached.empty());
        const auto written = fs::last_write_time(cache);
        const Run second = runDpo(config, fixture.path("b.json"), true);
        QCOMPARE(second.of("start").at(0)["reference"].get<std::string>(), std::string("cached"));
        QCOMPARE(second.of("start").at(0)["resumed_from_step"].get<int>(), 3);
        QVERIFY(fs::last_write_time(cache) == written);
        QVERIFY(testing::fileContents(cache) == cached);
        std::vector<double> resumed = testing::stepLosses(first.events);
        for (const double loss : testing::stepLosses(second.events)) resumed.push_back(loss);
        const std::vector<double> expected = testing::stepLosses(straight.events);
        QCOMPARE(resumed.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QVERIFY2(
                std::abs(resumed[i] - expected[i]) < 1e-6,
                qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(resumed[i]).arg(expected[i])));
        }
    }

    void fullFineTuningWritesModelFolder() {
        Fixture fixture;
        json config = fixture.config("full", false);
        config["max_steps"] = 3;
        config["packing"] = false;
        config["optimizer"] = {{"lr", 1e-3}};
        config["dpo"] = {{"beta", 0.5}, {"label_smoothing", 0.1}};
        const Run run = runDpo(config, fixture.path("full.json"), false);
        const std::vector<json> steps = run.of("step");
        QCOMPARE(steps.size(), std::size_t{3});
        // With label smoothing eps, the loss at d = 0 is still log 2: -(1 - eps) log 1/2 - eps log 1/2.
        QVERIFY(std::abs(steps[0]["loss"].get<double>() - std::log(2.0)) < 1e-5);
        QVERIFY(steps[2]["margin"].get<double>() > 0.0);
        QVERIFY(fs::is_regular_file(fs::path(run.result.output) / "model.safetensors"));
        QVERIFY(fs::is_regular_file(fs::path(run.result.output) / "config.json"));
    }

    void badPairsAndConfigsNameTheirPlace() {
        Fixture fixture;
        const std::string bad = fixture.path("bad.jsonl");
        {
            std::ofstream out(bad);
            const json prompt = {{{"role", "user"}, {"content", "Xin chào"}}};
            out << json({{"prompt", prompt}, {"chosen", "Chào bạn."}, {"rejected", "..."}}).dump() << "\n";
            out << json({{"prompt", prompt}, {"chosen", "Có."}}).dump() << "\n";
        }
        json config = fixture.config("bad", true);
        config["data"]["train"] = {bad};
        const std::string message = expectUserError([&] { runDpo(config, fixture.path("bad.json"), false); });
        QVERIFY2(message.find(bad + ":2") != std::string::npos, message.c_str());
        QVERIFY(!fs::exists(fs::path(fixture.path("bad")) / train::kReferenceLogpsFile));

        const std::string conversations = fixture.path("sft.jsonl");
        std::ofstream(conversations) << testing::conversationLine("Chào", "Chào bạn.").dump() << "\n";
        config["data"]["train"] = {conversations};
        const std::string not_pairs =
            expectUserError([&] { runDpo(config, fixture.path("bad.json"), false); });
        QVERIFY2(not_pairs.find(conversations) != std::string::npos &&
                     not_pairs.find("preference") != std::string::npos,
                 not_pairs.c_str());

        json typo = fixture.config("x", true);
        typo["dpo"] = {{"bta", 0.1}};
        QCOMPARE(
            QString::fromStdString(expectUserError([&] { train::parseTrainConfig(typo, "/c/run.json"); })),
            QStringLiteral("/c/run.json: $.dpo.bta: unknown key"));
        json range = fixture.config("x", true);
        range["dpo"] = {{"beta", 0.1}, {"label_smoothing", 0.7}};
        QVERIFY(expectUserError([&] {
                    train::parseTrainConfig(range, "/c/run.json");
                }).find("$.dpo.label_smoothing") != std::string::npos);
        json sft = fixture.config("x", true);
        sft["method"] = "sft";
        QVERIFY(expectUserError([&] { train::parseTrainConfig(sft, "/c/run.json"); }).find("$.dpo") !=
                std::string::npos);
        sft.erase("dpo");
        QVERIFY(expectUserError([&] { runDpo(sft, fixture.path("sft.json"), false); }).find("train sft") !=
                std::string::npos);
        // The config round-trips with its dpo section (checkpoints store it).
        const train::TrainConfig parsed = train::parseTrainConfig(fixture.config("x", true), "/c/run.json");
        const train::TrainConfig again =
            train::parseTrainConfig(json::parse(parsed.toJson().dump()), "/c/run.json");
        QCOMPARE(again.method, train::Method::Dpo);
        QCOMPARE(again.dpo.beta, 0.1);
    }

    void trainerAndPanelShareTheMemoryEstimate() {
        Fixture fixture;
        runs::RunSetup setup;
        setup.method = runs::TrainingMethod::Dpo;
        setup.model_dir = fixture.model;
        setup.output_dir = fixture.path("mem");
        setup.train_files = {fixture.train_file};
        setup.micro_batch_size = 3;
        setup.max_seq_len = 512;
        const train::TrainConfig config =
            train::parseTrainConfig(runs::trainerConfig(setup), fixture.path("mem.json"));
        const train::MemoryEstimate trainer = train::estimateMemory(config);
        const runs::MemoryEstimate panel =
            runs::estimateTrainingMemory(weights::loadModelConfig(fixture.model), runs::trainingShape(setup));
        QCOMPARE(trainer.total_bytes, panel.total_bytes);
        QCOMPARE(trainer.activations_bytes, panel.activations_bytes);
        // Pairs: twice the activations of SFT with the same shape; the reference adds nothing.
        setup.method = runs::TrainingMethod::Sft;
        const runs::MemoryEstimate sft =
            runs::estimateTrainingMemory(weights::loadModelConfig(fixture.model), runs::trainingShape(setup));
        QCOMPARE(panel.weights_bytes, sft.weights_bytes);
        QVERIFY(panel.activations_bytes > sft.activations_bytes * 19 / 10);
    }

    void cliStreamsDpoEvents() {
        Fixture fixture;
        const std::string config_path = fixture.path("cli.json");
        json config = fixture.config("cli", true);
        config["max_steps"] = 2;
        std::ofstream(config_path) << config.dump();
        const testing::CliResult result = testing::runCli({QStringLiteral("train"), QStringLiteral("dpo"),
                                                           QString::fromStdString(config_path),
                                                           QStringLiteral("--threads"), QStringLiteral("1")});
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        const std::vector<json> steps =
            testing::eventsNamed(testing::parseJsonLines(result.standard_output.toStdString()), "step");
        for (const json& event : steps) QVERIFY(event.contains("margin") && event.contains("accuracy"));
        QCOMPARE(steps.size(), std::size_t{2});
    }
};

QTEST_GUILESS_MAIN(TestTrainDpo)
#include "tst_train_dpo.moc"
