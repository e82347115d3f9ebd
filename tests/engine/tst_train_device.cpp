// Device selection, bf16 autocast and throughput metrics of the trainer on a tiny random Llama:
// "cpu" / "cuda" / "cuda:N" parsing and the refusal when no GPU is visible, LOCAL_RANK picking the
// GPU, bf16 runs that keep learning after the first step (no stale autocast casts), LoRA on a base
// loaded in bf16, and the MFU / peak-memory fields of step events. On a machine with a GPU the same
// LoRA run also trains on cuda and resumes there.

#include "backend/common/errors.h"
#include "backend/sample/devices.h"
#include "backend/train/dpo_trainer.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/random_model.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <fstream>

using namespace vietllm;
using nlohmann::json;

namespace {

// A small learnable set: the reply's last word depends on the question number.
void writeData(const std::string& path, int count) {
    static const char* const colours[] = {"xanh", "đỏ", "vàng"};
    std::ofstream out(path);
    for (int i = 0; i < count; ++i) {
        const json record = {
            {"messages",
             {{{"role", "user"}, {"content", "Câu " + std::to_string(i) + ": bầu trời màu gì?"}},
              {{"role", "assistant"}, {"content", std::string("Dạ, màu ") + colours[i % 3] + "."}}}}};
        out << record.dump() << "\n";
    }
}

struct Fixture {
    QTemporaryDir dir;
    std::string model = path("model");
    std::string data = path("train.jsonl");

    Fixture() {
        weights::RandomModelOptions options;
        options.architecture = weights::Architecture::Llama;
        options.vocab_size = 300;
        weights::writeRandomModel(model, options);
        writeData(data, 32);
    }

    std::string path(const std::string& name) const {
        return dir.filePath(QString::fromStdString(name)).toStdString();
    }

    json config(const std::string& output, bool lora) const {
        return {{"method", "sft"},
                {"model", model},
                {"output_dir", path(output)},
                {"data", {{"train", {data}}, {"eval_fraction", 0.0}}},
                {"template", "chatml"},
                {"max_seq_len", 128},
                {"micro_batch_size", 2},
                {"gradient_accumulation", 1},
                {"max_steps", 6},
                {"optimizer", {{"lr", lora ? 1e-2 : 3e-3}}},
                {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                {"seed", 3},
                {"eval_every_steps", 0},
                {"save_every_steps", 0},
                {"lora", lora ? json{{"rank", 4}, {"alpha", 8}, {"dropout", 0.1}} : json(nullptr)}};
    }
};

train::TrainConfig parse(const json& value) {
    return train::parseTrainConfig(value, "/cfg/run.json");
}

std::vector<json> run(const json& config, bool resume = false, int cancel_after_step = 0) {
    std::vector<json> events;
    std::atomic<bool> cancel{false};
    train::RunOptions options;
    options.resume = resume;
    options.cancel = &cancel;
    options.num_threads = 1;
    options.on_event = [&](const nlohmann::ordered_json& event) {
        events.push_back(json::parse(event.dump()));
        if (cancel_after_step > 0 && event["event"] == "step" && event["step"] == cancel_after_step) {
            cancel.store(true);
        }
    };
    train::runSft(parse(config), options);
    return events;
}

std::vector<json> steps(const std::vector<json>& events) {
    std::vector<json> out;
    for (const json& event : events) {
        if (event["event"] == "step") out.push_back(event);
    }
    return out;
}

bool cudaVisible() {
    for (const sample::ComputeDevice& device : sample::computeDevices()) {
        if (device.id.rfind("cuda", 0) == 0) return true;
    }
    return false;
}

std::string userError(const std::function<void()>& action) {
    try {
        action();
    } catch (const UserError& error) {
        return error.what();
    }
    return "(no error)";
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
            QVERIFY2(userError([&] { parse(config); }).find("$.device: must be cpu, cuda or cuda:N") !=
                         std::string::npos,
                     bad);
        }
        config["device"] = "cpu";
        config["peak_tflops"] = -1;
        QVERIFY(userError([&] { parse(config); }).find("$.peak_tflops") != std::string::npos);
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
        const std::string message = userError([&] { run(run_config); });
        QVERIFY2(message.find("/cfg/run.json: $.device: cuda:0: no CUDA device is visible") == 0,
                 message.c_str());
    }

    void otherMethodsRefuseCuda() {
        Fixture fixture;
        json config = fixture.config("dpo", true);
        config["method"] = "dpo";
        config["device"] = "cuda";
        train::RunOptions options;
        options.num_threads = 1;
        const std::string message = userError([&] { train::runDpo(parse(config), options); });
        QVERIFY2(message.find("$.device: cuda: dpo training runs on the CPU") != std::string::npos,
                 message.c_str());
    }

    void stepEventsCarryMfuAndPeakMemory() {
        Fixture fixture;
        json config = fixture.config("metrics", true);
        const std::vector<json> without_peak = steps(run(config));
        QVERIFY(!without_peak.back().contains("mfu"));  // the CPU's peak is not in the table
        QVERIFY(without_peak.back()["model_tflops"].get<double>() > 0.0);
        config["output_dir"] = fixture.path("metrics_peak");
        config["peak_tflops"] = 0.5;
        for (const json& step : steps(run(config))) {
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
        std::vector<double> fp32;
        for (const json& step : steps(run(config))) fp32.push_back(step["loss"].get<double>());
        config["output_dir"] = fixture.path("bf16");
        config["dtype"] = "bf16";
        std::vector<double> bf16;
        for (const json& step : steps(run(config))) bf16.push_back(step["loss"].get<double>());
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
        std::vector<double> losses;
        for (const json& step : steps(run(config))) losses.push_back(step["loss"].get<double>());
        QVERIFY2(losses.back() < 0.8 * losses.front(),
                 qPrintable(QStringLiteral("%1 -> %2").arg(losses.front()).arg(losses.back())));
    }

    void cudaRunLearnsAndResumes() {
        if (!cudaVisible()) QSKIP("no CUDA device visible: the GPU script runs this check");
        Fixture fixture;
        json config = fixture.config("cuda_straight", true);
        config["device"] = "cuda";
        config["dtype"] = "bf16";
        std::vector<double> straight;
        for (const json& step : steps(run(config))) straight.push_back(step["loss"].get<double>());
        QVERIFY(straight.back() < straight.front());
        config["output_dir"] = fixture.path("cuda_split");
        std::vector<double> split;
        for (const json& step : steps(run(config, false, 3))) split.push_back(step["loss"].get<double>());
        for (const json& step : steps(run(config, true))) split.push_back(step["loss"].get<double>());
        QCOMPARE(split.size(), straight.size());
        // GPU attention backward may accumulate with atomics: the same curve up to rounding.
        for (std::size_t i = 0; i < split.size(); ++i) QVERIFY(std::abs(split[i] - straight[i]) < 5e-3);
    }
};

QTEST_GUILESS_MAIN(TstTrainDevice)
#include "tst_train_device.moc"
