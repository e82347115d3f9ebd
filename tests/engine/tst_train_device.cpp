// Device selection, bf16 autocast and throughput metrics of the trainers on a tiny random Llama:
// "cpu" / "cuda" / "cuda:N" parsing and the refusal when no GPU is visible (every method, before
// any compute), LOCAL_RANK picking the GPU, bf16 runs that keep learning after the first step (no
// stale autocast casts), LoRA on a base loaded in bf16, the MFU / peak-memory fields of step
// events, and DPO and reward-model runs in bf16 (CPU autocast, the code path they take on a GPU)
// that track their fp32 runs and resume exactly. On a machine with a GPU the same SFT LoRA run
// also trains on cuda and resumes there.

#include "backend/sample/devices.h"
#include "backend/train/dpo_trainer.h"
#include "backend/train/rl_trainer.h"
#include "backend/train/rm_trainer.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/safetensors.h"
#include "tests/common/test_support.h"
#include "tests/common/train_fixtures.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace vietllm;
using nlohmann::json;

namespace {

// A small learnable set: the reply's last word depends on the question number.
void writeData(const std::string& path, int count) {
    testing::writeJsonLinesFile(path, 0, count, [](int i) {
        return testing::conversationLine("Câu " + std::to_string(i) + ": bầu trời màu gì?",
                                         "Dạ, màu " + testing::colourAnswer(i) + ".");
    });
}

// DPO's learnable pairs: to a colour question, a polite colour answer is chosen over a refusal.
void writeColourPairs(const std::string& path, int first, int count) {
    testing::writeJsonLinesFile(path, first, count, [](int i) {
        return testing::preferenceLine(json::array({testing::turn("user", testing::colourQuestion(i))}),
                                       "Dạ, màu " + testing::colourAnswer(i) + ".", "Tôi không biết!!");
    });
}

struct Fixture : testing::TinyModelDir {
    std::string data = path("train.jsonl");
    std::string pairs = path("pairs.jsonl");
    std::string eval_pairs = path("eval_pairs.jsonl");
    std::string marker_pairs = path("marker_pairs.jsonl");
    std::string eval_marker_pairs = path("eval_marker_pairs.jsonl");

    Fixture() {
        writeData(data, 32);
        writeColourPairs(pairs, 0, 32);
        writeColourPairs(eval_pairs, 100, 8);
        testing::writeMarkerPairs(marker_pairs, 0, 160);
        testing::writeMarkerPairs(eval_marker_pairs, 1000, 40);
    }

    // An SFT run of 6 steps on the colour set, LoRA at lr 1e-2 or full fine-tuning at 3e-3.
    json config(const std::string& output, bool lora) const {
        return testing::tinyRunConfig("sft", model, path(output), {{"train", {data}}, {"eval_fraction", 0.0}},
                                      {{"max_seq_len", 128},
                                       {"optimizer", {{"lr", lora ? 1e-2 : 3e-3}}},
                                       {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                                       {"seed", 3},
                                       {"lora", lora ? testing::loraSection(4, 8, 0.1) : json(nullptr)}});
    }

    // A DPO LoRA run of 8 updates (2 packed micro-batches each) with held-out pairs evaluated at
    // step 4 and at the end; lr 2e-3 keeps the margin growing over the whole run.
    json dpoConfig(const std::string& output, const std::string& dtype) const {
        return testing::tinyRunConfig("dpo", model, path(output),
                                      {{"train", {pairs}}, {"eval", {eval_pairs}}},
                                      {{"dtype", dtype},
                                       {"packing", true},
                                       {"gradient_accumulation", 2},
                                       {"max_steps", 8},
                                       {"optimizer", {{"lr", 2e-3}}},
                                       {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                                       {"dpo", {{"beta", 0.1}}},
                                       {"seed", 11},
                                       {"eval_every_steps", 4},
                                       {"lora", testing::loraSection(4, 8, 0.1)}});
    }

    // A reward-model LoRA run of 12 updates of 8 marker pairs, evaluated at step 6 and the end; lr
    // 2e-3 keeps the held-out loss well above 0 (where bf16 and fp32 can be compared).
    json rmConfig(const std::string& output, const std::string& dtype) const {
        return testing::tinyRunConfig("rm", model, path(output),
                                      {{"train", {marker_pairs}}, {"eval", {eval_marker_pairs}}},
                                      {{"dtype", dtype},
                                       {"micro_batch_size", 8},
                                       {"max_steps", 12},
                                       {"optimizer", {{"lr", 2e-3}}},
                                       {"schedule", {{"kind", "constant"}, {"warmup_steps", 2}}},
                                       {"seed", 3},
                                       {"eval_every_steps", 6},
                                       {"lora", testing::loraSection(8, 16, 0.0)}});
    }
};

train::TrainConfig parse(const json& value) {
    return train::parseTrainConfig(value, "/cfg/run.json");
}

using testing::expectUserError;

// Every event of an SFT run of `config` read from "/cfg/run.json".
std::vector<json> run(const json& config, bool resume = false, int cancel_after_step = 0) {
    return testing::runTrainer(train::runSft, config, "/cfg/run.json", resume, cancel_after_step).events;
}

// The largest relative gap |a[i] - b[i]| / |b[i]| of two curves of the same length.
double largestRelativeGap(const std::vector<double>& a, const std::vector<double>& b) {
    double gap = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) gap = std::max(gap, std::abs(a[i] - b[i]) / std::abs(b[i]));
    return gap;
}

// The values of `key` in `events`, in order.
std::vector<double> valuesOf(const std::vector<json>& events, const std::string& key) {
    std::vector<double> out;
    for (const json& event : events) out.push_back(event[key].get<double>());
    return out;
}

bool cudaVisible() {
    for (const sample::ComputeDevice& device : sample::computeDevices()) {
        if (device.id.rfind("cuda", 0) == 0) return true;
    }
    return false;
}

}  // namespace

class TstTrainDevice : public QObject {
    Q_OBJECT

private slots:
    void deviceNamesParseAndRoundTrip() {
        Fixture fixture;
        json config = fixture.config("out", true);
        QVERIFY(parse(config).device == train::TrainDevice::Cpu);
        config["device"] = "cuda:2";
        const train::TrainConfig gpu = parse(config);
        QVERIFY(gpu.device == train::TrainDevice::Cuda);
        QCOMPARE(gpu.device_index, 2);
        QCOMPARE(QString::fromStdString(gpu.toJson()["device"].get<std::string>()), QStringLiteral("cuda:2"));
        config["device"] = "cuda";
        QCOMPARE(parse(config).device_index, -1);
        for (const char* bad : {"gpu", "cuda:", "cuda:x", "cuda:-1", "cuda:1 "}) {
            config["device"] = bad;
            QVERIFY2(expectUserError([&] { parse(config); }).find("$.device: must be cpu, cuda or cuda:N") !=
                         std::string::npos,
                     bad);
        }
        config["device"] = "cpu";
        config["peak_tflops"] = -1;
        QVERIFY(expectUserError([&] { parse(config); }).find("$.peak_tflops") != std::string::npos);
    }

    void runDeviceFollowsTheConfigAndLocalRank() {
        Fixture fixture;
        json config = fixture.config("out", true);
        QCOMPARE(train::runDeviceName(parse(config), 3), std::string("cpu"));
        config["device"] = "cuda";
        QCOMPARE(train::runDeviceName(parse(config), 3), std::string("cuda:3"));  // torchrun's LOCAL_RANK
        config["device"] = "cuda:1";
        QCOMPARE(train::runDeviceName(parse(config), 3), std::string("cuda:1"));
        if (cudaVisible()) return;
        // No GPU here: one error naming the field, the device and why, before any data or weights.
        json run_config = fixture.config("cuda_run", true);
        run_config["device"] = "cuda";
        const std::string message = expectUserError([&] { run(run_config); });
        QVERIFY2(message.find("/cfg/run.json: $.device: cuda:0: no CUDA device is visible") == 0,
                 message.c_str());
    }

    void everyMethodNeedsAVisibleCuda() {
        if (cudaVisible()) QSKIP("a CUDA device is visible: the refusal cannot happen here");
        Fixture fixture;
        train::RunOptions options;
        options.num_threads = 1;
        json dpo = fixture.dpoConfig("dpo", "bf16");
        json rm = fixture.rmConfig("rm", "bf16");
        json rl = fixture.config("rl", true);
        rl["method"] = "rl";
        rl["rl"] = {{"reward_model", fixture.model}};  // a folder with config.json: checked later
        const std::vector<std::pair<json*, std::function<void()>>> runs = {
            {&dpo, [&] { train::runDpo(parse(dpo), options); }},
            {&rm, [&] { train::runRewardModel(parse(rm), options); }},
            {&rl, [&] { train::runRl(parse(rl), options); }}};
        for (const auto& [config, action] : runs) {
            (*config)["device"] = "cuda";
            const std::string message = expectUserError(action);
            // The same error as sft, before any data is read, weights loaded or file written.
            QVERIFY2(message.find("/cfg/run.json: $.device: cuda:0: no CUDA device is visible") == 0,
                     message.c_str());
            QVERIFY(!QFileInfo::exists(QString::fromStdString((*config)["output_dir"].get<std::string>())));
        }
    }

    void stepEventsCarryMfuAndPeakMemory() {
        Fixture fixture;
        json config = fixture.config("metrics", true);
        const std::vector<json> without_peak = testing::eventsNamed(run(config), "step");
        QVERIFY(!without_peak.back().contains("mfu"));  // the CPU's peak is not in the table
        QVERIFY(without_peak.back()["model_tflops"].get<double>() > 0.0);
        config["output_dir"] = fixture.path("metrics_peak");
        config["peak_tflops"] = 0.5;
        for (const json& step : testing::eventsNamed(run(config), "step")) {
            // On the CPU the peak is the process's VmHWM: at least the mapped model.
            QVERIFY(step["peak_memory_bytes"].get<std::int64_t>() > 1'000'000);
            const double mfu = step["mfu"].get<double>();
            QVERIFY(mfu > 0.0);
            QVERIFY(std::abs(mfu - step["model_tflops"].get<double>() / 0.5) < 1e-12);
        }
    }

    void bf16FullFineTuningKeepsLearning() {
        // Autocast's cast cache would keep serving the bf16 copies of the step-1 weights for the whole
        // run; the bf16 curve must instead follow the fp32 one at every step.
        Fixture fixture;
        json config = fixture.config("fp32", false);
        const std::vector<double> fp32 = testing::stepLosses(run(config));
        config["output_dir"] = fixture.path("bf16");
        config["dtype"] = "bf16";
        const std::vector<double> bf16 = testing::stepLosses(run(config));
        QCOMPARE(bf16.size(), fp32.size());
        QVERIFY(fp32.back() < 0.8 * fp32.front());
        for (std::size_t i = 0; i < fp32.size(); ++i) {
            QVERIFY2(std::abs(bf16[i] - fp32[i]) < 0.05 * fp32[i],
                     qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(bf16[i]).arg(fp32[i])));
        }
    }

    void bf16LoraOnABf16BaseLearns() {
        Fixture fixture;
        json config = fixture.config("lora_bf16", true);
        config["dtype"] = "bf16";
        const std::vector<double> losses = testing::stepLosses(run(config));
        QVERIFY2(losses.back() < 0.8 * losses.front(),
                 qPrintable(QStringLiteral("%1 -> %2").arg(losses.front()).arg(losses.back())));
    }

    void dpoBf16TracksFp32AndRaisesTheMargin() {
        Fixture fixture;
        const auto run_dpo = [&](const std::string& dtype) {
            return testing::runTrainer(train::runDpo, fixture.dpoConfig("dpo_" + dtype, dtype),
                                       "/cfg/run.json", false);
        };
        const testing::TrainerRun<train::RunResult> fp32 = run_dpo("fp32");
        const testing::TrainerRun<train::RunResult> bf16 = run_dpo("bf16");
        // Held-out pairs start at margin 0 (the policy is the reference, in bf16 too: the reference
        // is computed by the same bf16 model); training raises it.
        const std::vector<double> margins = valuesOf(bf16.of("eval"), "eval_margin");
        QCOMPARE(margins.size(), std::size_t{2});
        QVERIFY2(margins[0] > 0.0 && margins[1] > margins[0],
                 qPrintable(QStringLiteral("%1 then %2").arg(margins[0]).arg(margins[1])));
        const std::vector<double> fp32_losses = testing::stepLosses(fp32.events);
        const std::vector<double> bf16_losses = testing::stepLosses(bf16.events);
        QCOMPARE(bf16_losses.size(), fp32_losses.size());
        QVERIFY(bf16_losses.back() < bf16_losses.front());
        // DPO's loss depends on differences of summed log-probabilities of whole replies, which bf16
        // matmuls (8 mantissa bits) round: measured on this machine, the bf16 curve (0.69 -> 0.034
        // in 8 steps) stays within 2.6% of the fp32 one (step 2; 1.4% or less after it) and the
        // final held-out margin within 0.4%. 5%, the SFT check's bound, leaves room for other BLAS.
        const double gap = largestRelativeGap(bf16_losses, fp32_losses);
        QVERIFY2(gap < 0.05, qPrintable(QStringLiteral("largest relative loss gap %1").arg(gap)));
        const std::vector<double> fp32_margins = valuesOf(fp32.of("eval"), "eval_margin");
        QVERIFY2(std::abs(margins[1] - fp32_margins[1]) < 0.05 * fp32_margins[1],
                 qPrintable(QStringLiteral("%1 vs %2").arg(margins[1]).arg(fp32_margins[1])));
        // Both sequences of every pair count as computed tokens.
        QVERIFY(bf16.of("step").back()["model_tflops"].get<double>() > 0.0);
    }

    void dpoBf16ResumeReproducesTheStraightRun() {
        Fixture fixture;
        json config = fixture.dpoConfig("straight", "bf16");
        config["eval_every_steps"] = 0;
        config["max_steps"] = 6;
        const std::vector<double> straight =
            testing::stepLosses(testing::runTrainer(train::runDpo, config, "/cfg/a.json", false).events);
        config["output_dir"] = fixture.path("split");
        std::vector<double> split =
            testing::stepLosses(testing::runTrainer(train::runDpo, config, "/cfg/b.json", false, 3).events);
        QCOMPARE(split.size(), std::size_t{3});
        const testing::TrainerRun<train::RunResult> resumed =
            testing::runTrainer(train::runDpo, config, "/cfg/b.json", true);
        QCOMPARE(resumed.of("start").at(0)["reference"].get<std::string>(), std::string("cached"));
        for (const double loss : testing::stepLosses(resumed.events)) split.push_back(loss);
        QCOMPARE(split.size(), straight.size());
        // The same computation in the same order on the CPU: the same curve.
        for (std::size_t i = 0; i < split.size(); ++i) {
            QVERIFY2(
                std::abs(split[i] - straight[i]) < 1e-9,
                qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(split[i]).arg(straight[i])));
        }
    }

    void rewardModelBf16TracksFp32() {
        Fixture fixture;
        const auto run_rm = [&](const std::string& dtype) {
            return testing::runTrainer(train::runRewardModel, fixture.rmConfig("rm_" + dtype, dtype),
                                       "/cfg/run.json", false);
        };
        const testing::TrainerRun<train::RewardRunResult> fp32 = run_rm("fp32");
        const testing::TrainerRun<train::RewardRunResult> bf16 = run_rm("bf16");
        // Measured on this machine: held-out loss 0.2556 / 0.0950 (fp32) and 0.2566 / 0.0948 (bf16)
        // at steps 6 / 12, accuracy 1.0 in both, step losses within 2.2% (0.66 -> 0.048). The
        // bounds: the same accuracy to two pairs of 40, losses within 5% as in the SFT check.
        const std::vector<json> fp32_evals = fp32.of("eval");
        const std::vector<json> bf16_evals = bf16.of("eval");
        QCOMPARE(bf16_evals.size(), std::size_t{2});
        QVERIFY2(bf16_evals.back()["accuracy"].get<double>() >= 0.9, bf16_evals.back().dump().c_str());
        QVERIFY(largestRelativeGap(valuesOf(bf16_evals, "accuracy"), valuesOf(fp32_evals, "accuracy")) <=
                0.05);
        const double eval_gap =
            largestRelativeGap(valuesOf(bf16_evals, "eval_loss"), valuesOf(fp32_evals, "eval_loss"));
        QVERIFY2(eval_gap < 0.05,
                 qPrintable(QStringLiteral("largest relative eval-loss gap %1").arg(eval_gap)));
        const std::vector<double> losses = testing::stepLosses(bf16.events);
        const double gap = largestRelativeGap(losses, testing::stepLosses(fp32.events));
        QVERIFY2(gap < 0.05, qPrintable(QStringLiteral("largest relative loss gap %1").arg(gap)));
        QVERIFY(losses.back() < 0.2 * losses.front());
        QVERIFY(bf16.of("step").back().contains("peak_memory_bytes"));
        // The bf16 base is widened before the adapters are merged: the folder holds float32 weights.
        const weights::SafetensorsFile weights(bf16.result.run.output + "/model.safetensors");
        for (const weights::TensorView& tensor : weights.tensors()) {
            QVERIFY2(tensor.dtype == weights::DType::F32, tensor.name.c_str());
        }
    }

    void cudaRunLearnsAndResumes() {
        if (!cudaVisible()) QSKIP("no CUDA device visible: the GPU script runs this check");
        Fixture fixture;
        json config = fixture.config("cuda_straight", true);
        config["device"] = "cuda";
        config["dtype"] = "bf16";
        const std::vector<double> straight = testing::stepLosses(run(config));
        QVERIFY(straight.back() < straight.front());
        config["output_dir"] = fixture.path("cuda_split");
        std::vector<double> split = testing::stepLosses(run(config, false, 3));
        for (const double loss : testing::stepLosses(run(config, true))) split.push_back(loss);
        QCOMPARE(split.size(), straight.size());
        // GPU attention backward may accumulate with atomics: the same curve up to rounding.
        for (std::size_t i = 0; i < split.size(); ++i) QVERIFY(std::abs(split[i] - straight[i]) < 5e-3);
    }
};

QTEST_GUILESS_MAIN(TstTrainDevice)
#include "tst_train_device.moc"
