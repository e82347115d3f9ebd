// The memory-fit check of a training run before any compute: on the CPU the processes on this host
// (torchrun's LOCAL_WORLD_SIZE) each hold a replica, so their sum is checked against the host's
// memory and named "N processes x X GiB"; a GPU run checks one replica against its GPU, and a GPU
// this build or machine does not know (here: no CUDA) refuses nothing.

#include "backend/sample/devices.h"
#include "backend/train/train_config.h"
#include "tests/common/test_support.h"
#include "tests/common/train_fixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <optional>

using namespace vietllm;
using nlohmann::json;

namespace {

// Sets (or unsets, for nothing) an environment variable for one scope and restores it after.
class ScopedVariable {
public:
    ScopedVariable(const char* name, const std::optional<std::string>& value)
        : m_name(name), m_had_value(qEnvironmentVariableIsSet(name)), m_old_value(qgetenv(name)) {
        if (value) {
            qputenv(name, QByteArray::fromStdString(*value));
        } else {
            qunsetenv(name);
        }
    }
    ~ScopedVariable() {
        if (m_had_value) {
            qputenv(m_name, m_old_value);
        } else {
            qunsetenv(m_name);
        }
    }
    ScopedVariable(const ScopedVariable&) = delete;
    ScopedVariable& operator=(const ScopedVariable&) = delete;

private:
    const char* m_name;
    bool m_had_value;
    QByteArray m_old_value;
};

// A model folder with only config.json (the estimate reads no weights) of about 58 M parameters:
// full fine-tuning in fp32 needs about 1 GiB, so one process fits any development machine.
struct FitFixture {
    QTemporaryDir dir;
    std::string model = dir.filePath(QStringLiteral("model")).toStdString();
    std::string data = dir.filePath(QStringLiteral("train.jsonl")).toStdString();

    FitFixture() {
        std::filesystem::create_directories(model);
        std::ofstream(model + "/config.json")
            << json{{"model_type", "llama"},    {"vocab_size", 32000},
                    {"hidden_size", 512},       {"intermediate_size", 1408},
                    {"num_hidden_layers", 8},   {"num_attention_heads", 8},
                    {"num_key_value_heads", 8}, {"max_position_embeddings", 2048}}
                   .dump();
        std::ofstream(model + "/model.safetensors") << "";
        testing::writeJsonLinesFile(
            data, 0, 2, [](int i) { return testing::conversationLine("Câu " + std::to_string(i), "Dạ."); });
    }

    train::TrainConfig config(const std::string& device) const {
        const json value = testing::tinyRunConfig(
            "sft", model, dir.filePath(QStringLiteral("out")).toStdString(), {{"train", {data}}},
            {{"micro_batch_size", 1}, {"dtype", "fp32"}, {"device", device}});
        return train::parseTrainConfig(value, dir.filePath(QStringLiteral("run.json")).toStdString());
    }
};

}  // namespace

class TstTrainFit : public QObject {
    Q_OBJECT

private slots:
    void oneProcessIsCheckedAgainstTheHost() {
        const ScopedVariable local_world_size("LOCAL_WORLD_SIZE", std::nullopt);
        const FitFixture fixture;
        const train::MemoryEstimate estimate = train::checkTrainConfig(fixture.config("cpu"));
        QCOMPARE(estimate.processes, 1);
        QCOMPARE(QString::fromStdString(estimate.device), QStringLiteral("cpu"));
        QVERIFY(estimate.available_bytes > estimate.total_bytes);  // MemAvailable is read on Linux
        QVERIFY(estimate.total_bytes > (std::int64_t{1} << 29));   // about 1 GiB, not a tiny model
        QCOMPARE(estimate.toJson()["processes"].get<int>(), 1);
        QVERIFY(estimate.toJson()["fits"].get<bool>());
    }

    void processesOnThisHostMultiplyTheNeed() {
        const FitFixture fixture;
        std::int64_t one_process = 0;
        std::int64_t available = 0;
        {
            const ScopedVariable unset("LOCAL_WORLD_SIZE", std::nullopt);
            const train::MemoryEstimate estimate = train::estimateMemory(fixture.config("cpu"));
            one_process = estimate.total_bytes;
            available = estimate.available_bytes;
        }
        // Enough processes that their replicas exceed the host (twice over, should the host's
        // available memory grow meanwhile), though one replica fits.
        const std::int64_t too_many = 2 * (available / one_process) + 2;
        const ScopedVariable local_world_size("LOCAL_WORLD_SIZE", std::to_string(too_many));
        const train::MemoryEstimate estimate = train::estimateMemory(fixture.config("cpu"));
        QCOMPARE(static_cast<std::int64_t>(estimate.processes), too_many);
        QCOMPARE(estimate.total_bytes, one_process);  // the per-process need does not change
        QVERIFY(!estimate.toJson()["fits"].get<bool>());
        const std::string message =
            testing::expectUserError([&] { train::checkTrainConfig(fixture.config("cpu")); });
        QVERIFY2(message.find("run.json: $.model: training this model needs about " +
                              std::to_string(too_many) + " processes x ") != std::string::npos,
                 message.c_str());
        QVERIFY2(message.find("of memory is available on this host") != std::string::npos, message.c_str());
        QVERIFY2(message.find("fewer processes") != std::string::npos, message.c_str());
    }

    void twoProcessesThatFitPass() {
        const FitFixture fixture;
        const ScopedVariable local_world_size("LOCAL_WORLD_SIZE", "2");
        const train::MemoryEstimate estimate = train::estimateMemory(fixture.config("cpu"));
        QCOMPARE(estimate.processes, 2);
        if (estimate.available_bytes < 2 * estimate.total_bytes) {
            QSKIP("this host has less than 2 GiB of available memory");
        }
        QCOMPARE(train::checkTrainConfig(fixture.config("cpu")).processes, 2);
    }

    void aBadLocalWorldSizeIsNamed() {
        const FitFixture fixture;
        for (const char* value : {"0", "two", "-1", ""}) {
            const ScopedVariable local_world_size("LOCAL_WORLD_SIZE", std::string(value));
            const std::string message =
                testing::expectUserError([&] { train::checkTrainConfig(fixture.config("cpu")); });
            QVERIFY2(message.find("LOCAL_WORLD_SIZE='" + std::string(value) +
                                  "': expected a positive integer") != std::string::npos,
                     message.c_str());
        }
    }

    void aGpuRunChecksOneReplicaAgainstItsGpu() {
        const FitFixture fixture;
        // One process per GPU: the host's process count does not multiply a GPU's need.
        const ScopedVariable local_world_size("LOCAL_WORLD_SIZE", "100000");
        const ScopedVariable local_rank("LOCAL_RANK", "1");
        const train::MemoryEstimate estimate = train::estimateMemory(fixture.config("cuda"));
        QCOMPARE(estimate.processes, 1);
        QCOMPARE(QString::fromStdString(estimate.device), QStringLiteral("cuda:1"));  // LOCAL_RANK's GPU
        QCOMPARE(train::estimateMemory(fixture.config("cuda:0")).device, std::string("cuda:0"));
        const bool has_gpus = sample::computeDevices().size() > 1;
        if (!has_gpus) {
            // No CUDA here: the GPU's memory is unknown, so nothing is refused before runDevice's check.
            QCOMPARE(sample::deviceMemoryBytes("cuda:0"), std::int64_t{0});
            QCOMPARE(estimate.available_bytes, std::int64_t{0});
            QCOMPARE(train::checkTrainConfig(fixture.config("cuda:0")).available_bytes, std::int64_t{0});
        } else {
            QVERIFY(sample::deviceMemoryBytes("cuda:0") > (std::int64_t{1} << 30));
            QCOMPARE(sample::deviceMemoryBytes("cuda"), sample::deviceMemoryBytes("cuda:0"));
        }
        QCOMPARE(sample::deviceMemoryBytes("cpu"), std::int64_t{0});
        QCOMPARE(sample::deviceMemoryBytes("cuda:4096"), std::int64_t{0});  // no such GPU
        QCOMPARE(sample::deviceMemoryBytes("tpu"), std::int64_t{0});
    }
};

QTEST_GUILESS_MAIN(TstTrainFit)
#include "tst_train_fit.moc"
