// Training runs without a trainer: the metrics protocol, run folders, presets, parameter counts
// and memory estimates that the Training panel relies on before and during a run.

#include "backend/common/errors.h"
#include "backend/runs/metrics_stream.h"
#include "backend/runs/run_history.h"
#include "backend/runs/run_setup.h"
#include "backend/runs/training_presets.h"
#include "backend/weights/model_config.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>

using namespace vietllm;

namespace {

void writeText(const QString& path, const std::string& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    std::ofstream output(path.toStdString(), std::ios::binary);
    output << text;
}

weights::ModelConfig configFrom(const nlohmann::json& json) {
    return weights::parseModelConfig(json, "config.json");
}

weights::ModelConfig qwen25HalfB() {
    return configFrom({{"model_type", "qwen2"},
                       {"vocab_size", 151936},
                       {"hidden_size", 896},
                       {"intermediate_size", 4864},
                       {"num_hidden_layers", 24},
                       {"num_attention_heads", 14},
                       {"num_key_value_heads", 2},
                       {"max_position_embeddings", 32768},
                       {"tie_word_embeddings", true},
                       {"rms_norm_eps", 1e-6},
                       {"rope_theta", 1000000.0}});
}

// A recorded stream, written with ' for " so the literal stays readable (moc cannot parse raw
// string literals spanning lines): a run resumed from step 2, an event from a newer trainer, and a
// last line cut off by a kill.
std::string recordedRun() {
    std::string text =
        "{'event':'start','method':'sft','total_steps':4,'parameters':1000,'trainable_parameters':10,'"
        "resumed_from_step':null}\n"
        "{'event':'step','step':1,'epoch':0.25,'loss':2.5,'lr':0.0001,'grad_norm':1.5,'tokens':100,'tokens_"
        "per_s':50,'elapsed_s':2}\n"
        "{'event':'step','step':2,'epoch':0.5,'loss':2.0,'lr':0.0002,'grad_norm':1.2,'tokens':200,'tokens_"
        "per_s':55,'elapsed_s':4}\n"
        "{'event':'eval','step':2,'eval_loss':2.2}\n"
        "{'event':'checkpoint','step':2,'path':'/runs/a/checkpoint-2'}\n"
        "{'event':'step','step':3,'epoch':0.75,'loss':1.8,'lr':0.0002,'grad_norm':1.0,'tokens':300,'tokens_"
        "per_s':52,'elapsed_s':6}\n"
        "{'event':'start','method':'sft','total_steps':4,'parameters':1000,'trainable_parameters':10,'"
        "resumed_from_step':2}\n"
        "{'event':'step','step':3,'epoch':0.75,'loss':1.7,'lr':0.0002,'grad_norm':0.9,'tokens':300,'tokens_"
        "per_s':51,'elapsed_s':6}\n"
        "{'event':'future_event','step':3}\n"
        "{'event':'done','step':3,'status':'finished','output':'/runs/a/final'}\n"
        "{'event':'step','step':4,'lo";
    std::replace(text.begin(), text.end(), '\'', '"');
    return text;
}

}  // namespace

class TestTrainingRuns : public QObject {
    Q_OBJECT

private slots:
    void parsesEveryEventKind() {
        const auto step = runs::parseMetricLine(
            R"({"event":"step","step":7,"loss":1.25,"lr":3e-4,"grad_norm":0.5,"tokens":900,"tokens_per_s":12.5})");
        QVERIFY(step);
        QCOMPARE(step->kind, runs::EventKind::Step);
        QCOMPARE(step->step, std::int64_t{7});
        QCOMPARE(*step->loss, 1.25);
        QCOMPARE(*step->learning_rate, 3e-4);
        QCOMPARE(step->tokens, std::int64_t{900});
        const auto done =
            runs::parseMetricLine(R"({"event":"done","step":9,"status":"cancelled","output":"/x"})");
        QVERIFY(done);
        QCOMPARE(done->path, std::string("/x"));
        QCOMPARE(done->status, std::string("cancelled"));
        QVERIFY(!runs::parseMetricLine("not json"));
        QVERIFY(!runs::parseMetricLine(R"({"event":"unknown"})"));
        QVERIFY(!runs::parseMetricLine("[1,2]"));
        QVERIFY(!runs::parseMetricLine(""));
    }

    void foldsARecordedRunWithResumeAndCutOffLine() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("metrics.jsonl"));
        writeText(path, recordedRun());
        const runs::RunMetrics metrics = runs::readMetricsFile(path.toStdString());
        // The resumed start drops the abandoned step 3 (loss 1.8); the cut-off last line is ignored.
        QCOMPARE(metrics.loss.size(), std::size_t{3});
        QCOMPARE(metrics.loss[2].step, std::int64_t{3});
        QCOMPARE(metrics.loss[2].value, 1.7);
        QCOMPARE(metrics.eval_loss.size(), std::size_t{1});
        QCOMPARE(metrics.checkpoints.size(), std::size_t{1});
        QCOMPARE(metrics.status, runs::RunStatus::Finished);
        QCOMPARE(metrics.final_output, std::string("/runs/a/final"));
        QCOMPARE(metrics.total_steps, std::int64_t{4});
        QCOMPARE(metrics.last_step, std::int64_t{3});
    }

    void errorEventMarksTheRunFailed() {
        runs::RunMetrics metrics;
        metrics.add(*runs::parseMetricLine(R"({"event":"start","method":"sft","total_steps":2})"));
        QCOMPARE(metrics.status, runs::RunStatus::Running);
        metrics.add(*runs::parseMetricLine(R"({"event":"error","message":"out of memory"})"));
        QCOMPARE(metrics.status, runs::RunStatus::Failed);
        QCOMPARE(metrics.error, std::string("out of memory"));
        QCOMPARE(runs::runStatusName(metrics.status), std::string("failed"));
    }

    void missingMetricsFileIsAUserError() {
        QVERIFY_THROWS_EXCEPTION(UserError, runs::readMetricsFile("/nonexistent/metrics.jsonl"));
    }

    void smoothingIsBiasCorrected() {
        const std::vector<runs::SeriesPoint> points = {{1, 4.0}, {2, 2.0}, {3, 2.0}};
        const auto raw = runs::smoothSeries(points, 0.0);
        QCOMPARE(raw[1].value, 2.0);
        const auto smoothed = runs::smoothSeries(points, 0.5);
        QCOMPARE(smoothed[0].value, 4.0);  // not pulled toward zero
        QVERIFY(smoothed[1].value < 4.0 && smoothed[1].value > 2.0);
        QCOMPARE(smoothed.size(), points.size());
    }

    void countsParametersOfRealModelShapes() {
        // Published parameter counts of the real checkpoints.
        QCOMPARE(runs::countParameters(qwen25HalfB()), std::int64_t{494032768});
        const auto llama = configFrom({{"model_type", "llama"},
                                       {"vocab_size", 128256},
                                       {"hidden_size", 2048},
                                       {"intermediate_size", 8192},
                                       {"num_hidden_layers", 16},
                                       {"num_attention_heads", 32},
                                       {"num_key_value_heads", 8},
                                       {"max_position_embeddings", 131072},
                                       {"tie_word_embeddings", true}});
        QCOMPARE(runs::countParameters(llama), std::int64_t{1235814400});
        const auto pythia = configFrom({{"model_type", "gpt_neox"},
                                        {"vocab_size", 50304},
                                        {"hidden_size", 2048},
                                        {"intermediate_size", 8192},
                                        {"num_hidden_layers", 16},
                                        {"num_attention_heads", 8},
                                        {"rotary_pct", 0.25},
                                        {"use_parallel_residual", true},
                                        {"max_position_embeddings", 2048},
                                        {"tie_word_embeddings", false}});
        QCOMPARE(runs::countParameters(pythia), std::int64_t{1011781632});
    }

    void loraCountsAndMemoryEstimates() {
        const auto config = qwen25HalfB();
        // q: 896→896, v: 896→128, rank 8: 8 * (1792 + 1024) per layer.
        QCOMPARE(runs::countLoraParameters(config, 8, {"q_proj", "v_proj"}),
                 std::int64_t{24 * 8 * (1792 + 1024)});
        runs::TrainingShape shape;
        shape.lora = false;
        shape.compute_bytes = 4;
        shape.micro_batch_size = 1;
        shape.max_seq_len = 512;
        const auto full = runs::estimateTrainingMemory(config, shape);
        QCOMPARE(full.weights_bytes + full.gradients_bytes + full.optimizer_bytes,
                 16 * runs::countParameters(config));
        shape.lora = true;
        shape.compute_bytes = 2;
        shape.target_modules = {"q_proj", "v_proj"};
        const auto lora = runs::estimateTrainingMemory(config, shape);
        QVERIFY(lora.total_bytes < full.total_bytes / 3);
        shape.micro_batch_size = 8;
        QVERIFY(runs::estimateTrainingMemory(config, shape).activations_bytes > 4 * lora.activations_bytes);
        QVERIFY(runs::estimateInferenceMemory(config, 2, 4096) > 2 * runs::countParameters(config));
        QVERIFY(runs::physicalMemoryBytes() > 0);
        QCOMPARE(runs::formatBytes(1600000000), std::string("1.6 GB"));
        QCOMPARE(runs::formatBytes(950000000), std::string("950 MB"));
    }

    void presetsMatchByShape() {
        QCOMPARE(runs::matchPreset(qwen25HalfB()).id, std::string("qwen2.5-0.5b"));
        auto other = qwen25HalfB();
        other.num_layers = 3;
        QCOMPARE(runs::matchPreset(other).id, std::string("generic"));
        QCOMPARE(runs::trainingPresets().size(), std::size_t{10});
        const runs::RunSetup setup = runs::setupFromPreset(runs::matchPreset(qwen25HalfB()));
        QVERIFY(!setup.lora);
        QCOMPARE(setup.learning_rate, 2e-5);
    }

    void trainerConfigHasTheDocumentedKeys() {
        runs::RunSetup setup;
        setup.model_dir = "/models/tiny";
        setup.output_dir = "/runs/x";
        setup.train_files = {"/data/a.jsonl"};
        const nlohmann::json config = runs::trainerConfig(setup);
        QCOMPARE(config["method"].get<std::string>(), std::string("sft"));
        QCOMPARE(config["lora"]["rank"].get<int>(), 16);
        QCOMPARE(config["data"]["eval_fraction"].get<double>(), 0.05);
        QCOMPARE(config["optimizer"]["lr"].get<double>(), 2e-4);
        setup.lora = false;
        setup.eval_files = {"/data/b.jsonl"};
        const nlohmann::json full = runs::trainerConfig(setup);
        QVERIFY(full["lora"].is_null());
        QVERIFY(!full["data"].contains("eval_fraction"));
        // The CPU trainer keeps fp32 weights whatever the precision; bf16 halves them on CUDA.
        QCOMPARE(runs::trainingShape(setup).compute_bytes, 4);
        setup.device = "cuda";
        QCOMPARE(runs::trainingShape(setup).compute_bytes, 2);
        QCOMPARE(runs::trainingShape(setup).sequences_per_example, 1);
        setup.method = runs::TrainingMethod::Dpo;
        setup.dpo_beta = 0.2;
        QCOMPARE(runs::trainingShape(setup).sequences_per_example, 2);  // chosen and rejected
        const nlohmann::json dpo = runs::trainerConfig(setup);
        QCOMPARE(dpo["method"].get<std::string>(), std::string("dpo"));
        QCOMPARE(dpo["dpo"]["beta"].get<double>(), 0.2);
        QVERIFY(!dpo.contains("beta") && !dpo.contains("rl"));
        setup.method = runs::TrainingMethod::Rl;
        setup.rl_reward_model_dir = "/runs/rm/final";
        setup.rl_samples_per_prompt = 6;
        const nlohmann::json rl = runs::trainerConfig(setup);
        QCOMPARE(rl["rl"]["reward_model"].get<std::string>(), std::string("/runs/rm/final"));
        QCOMPARE(rl["rl"]["samples_per_prompt"].get<int>(), 6);
        QVERIFY(!rl.contains("dpo"));
    }

    void listsRunFoldersNewestFirstWithCheckpoints() {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("demo.runs"));
        writeText(root + QStringLiteral("/old/config.json"), R"({"method":"sft","model":"/m/a"})");
        writeText(root + QStringLiteral("/old/metrics.jsonl"), recordedRun());
        QDir().mkpath(root + QStringLiteral("/old/checkpoint-10"));
        QDir().mkpath(root + QStringLiteral("/old/checkpoint-2"));
        QDir().mkpath(root + QStringLiteral("/old/final"));
        writeText(root + QStringLiteral("/old/final/adapter_config.json"), "{}");
        QDir().mkpath(root + QStringLiteral("/old/checkpoint-x"));
        QDir().mkpath(root + QStringLiteral("/not-a-run"));
        QTest::qWait(20);
        writeText(root + QStringLiteral("/new/config.json"), R"({"method":"dpo","model":"/m/b"})");
        const auto list = runs::listRuns(root.toStdString());
        QCOMPARE(list.size(), std::size_t{2});
        QCOMPARE(list[0].name, std::string("new"));
        QCOMPARE(list[0].method, std::string("dpo"));
        QCOMPARE(list[0].metrics.loss.size(), std::size_t{0});
        const auto& old = list[1];
        QCOMPARE(old.checkpoints.size(), std::size_t{3});
        QCOMPARE(old.checkpoints[0].step, std::int64_t{2});
        QCOMPARE(old.checkpoints[1].step, std::int64_t{10});
        QCOMPARE(old.checkpoints[2].step, std::int64_t{-1});
        QVERIFY(old.checkpoints[2].is_adapter);
        QVERIFY(runs::listRuns(dir.filePath(QStringLiteral("absent")).toStdString()).empty());
        QVERIFY_THROWS_EXCEPTION(UserError, runs::readRun(root.toStdString() + "/not-a-run"));
    }

    void runNamesAreUniqueAndClean() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        const std::string name = runs::newRunName(root, "sft", "/models/Qwen2.5 0.5B/", "20261126-0712");
        QCOMPARE(name, std::string("sft-qwen2.5-0.5b-20261126-0712"));
        QDir().mkpath(QString::fromStdString(root + "/" + name));
        QCOMPARE(runs::newRunName(root, "sft", "/models/Qwen2.5 0.5B/", "20261126-0712"), name + "-2");
        QCOMPARE(runs::runsFolderFor("/data/demo.vietllm"), std::string("/data/demo.runs"));
    }
};

QTEST_GUILESS_MAIN(TestTrainingRuns)
#include "tst_training_runs.moc"
