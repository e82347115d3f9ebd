// Device placement and the static-shape decode step of the engine: device names checked against
// the build and machine ("cpu" accepted with unchanged results, CUDA refused with one message where
// no GPU is visible), the fixed-shape decode step (what a CUDA graph captures) giving the dynamic
// path's logits for every golden family and a sliding window, a left-padded batch included, the
// engine's static decoding generating the same tokens, and the CLI's --device, --decode, --prefill.

#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/sample/devices.h"
#include "backend/sample/engine.h"
#include "backend/weights/safetensors.h"
#include "tests/common/test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <c10/core/InferenceMode.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace vietllm;

namespace {

constexpr std::int64_t kSteps = 12;

std::string fixtureDir(const std::string& name) {
    return VIETLLM_SOURCE_DIR "/tests/fixtures/golden/" + name;
}

bool cudaVisible() {
    return sample::computeDevices().size() > 1;
}

std::vector<std::int32_t> goldenIds(const std::string& dir) {
    const weights::SafetensorsFile golden(dir + "/golden.safetensors");
    const weights::TensorView& view = *golden.find("input_ids");
    const auto* data = reinterpret_cast<const std::int64_t*>(view.data);
    return std::vector<std::int32_t>(data, data + view.shape.back());
}

// Three prompts of different lengths from the golden ids, left-padded: ids and mask [3, T].
std::pair<at::Tensor, at::Tensor> paddedBatch(const std::vector<std::int32_t>& ids) {
    const auto length = static_cast<std::int64_t>(ids.size());
    at::Tensor batch = at::zeros({3, length}, at::TensorOptions().dtype(at::kLong));
    at::Tensor mask = at::zeros({3, length}, at::TensorOptions().dtype(at::kBool));
    const std::int64_t lengths[] = {length, length - 2, length - 4};
    for (std::int64_t row = 0; row < 3; ++row) {
        const std::int64_t pad = length - lengths[row];
        for (std::int64_t position = 0; position < lengths[row]; ++position) {
            batch[row][pad + position].fill_(
                static_cast<std::int64_t>(ids[static_cast<std::size_t>(position + row)]));
        }
        mask.select(0, row).narrow(0, pad, lengths[row]).fill_(true);
    }
    return {batch, mask};
}

// A copy of the mistral fixture whose config asks for a sliding window of 3 positions.
std::string slidingWindowModel(const QTemporaryDir& dir) {
    namespace fs = std::filesystem;
    const fs::path target = dir.filePath(QStringLiteral("mistral_window")).toStdString();
    fs::create_directories(target);
    for (const char* file : {"model.safetensors", "golden.safetensors"}) {
        fs::copy_file(fs::path(fixtureDir("mistral")) / file, target / file);
    }
    std::ifstream in(fixtureDir("mistral") + "/config.json");
    nlohmann::json config = nlohmann::json::parse(in);
    config["sliding_window"] = 3;
    std::ofstream(target / "config.json") << config.dump(2);
    return target.string();
}

QString jsonArrayText(const QByteArray& output) {
    return QString::fromUtf8(output).trimmed();
}

double maxDifference(const QByteArray& a, const QByteArray& b) {
    const QJsonArray left = QJsonDocument::fromJson(a).array();
    const QJsonArray right = QJsonDocument::fromJson(b).array();
    if (left.isEmpty() || left.size() != right.size()) {
        return INFINITY;
    }
    double worst = 0.0;
    for (qsizetype i = 0; i < left.size(); ++i) {
        worst = std::max(worst, std::abs(left[i].toDouble() - right[i].toDouble()));
    }
    return worst;
}

}  // namespace

class TestEngineDevice : public QObject {
    Q_OBJECT

private slots:
    void deviceNamesAreChecked() {
        QCOMPARE(sample::checkedDevice("cpu", "--device"), std::string("cpu"));
        for (const char* name : {"gpu", "cuda:", "cuda:x", "cuda:-1", "CPU"}) {
            try {
                sample::checkedDevice(name, "--device");
                QFAIL(name);
            } catch (const UserError& error) {
                QVERIFY2(QString::fromStdString(error.what()).contains(QStringLiteral("unknown device")),
                         error.what());
            }
        }
        if (cudaVisible()) {
            QCOMPARE(sample::checkedDevice("cuda", "--device"), std::string("cuda:0"));
            QVERIFY_THROWS_EXCEPTION(UserError, sample::checkedDevice("cuda:64", "--device"));
            return;
        }
        for (const char* name : {"cuda", "cuda:0", "cuda:1"}) {
            try {
                sample::checkedDevice(name, "--device");
                QFAIL(name);
            } catch (const UserError& error) {
                const QString message = QString::fromStdString(error.what());
                QVERIFY2(message.startsWith(QStringLiteral("--device %1: ").arg(QLatin1String(name))),
                         error.what());
                QVERIFY2(message.contains(QStringLiteral("no CUDA device is visible")), error.what());
            }
        }
    }

    void cpuDeviceLeavesResultsUnchanged() {
        const std::string dir = fixtureDir("llama");
        sample::EngineOptions options;
        options.num_threads = 1;
        const sample::Engine plain(dir, options);
        options.device = "cpu";
        options.decode = sample::DecodeShapes::Static;
        const sample::Engine on_cpu(dir, options);
        QCOMPARE(on_cpu.device(), std::string("cpu"));
        QVERIFY(!on_cpu.usesCudaGraphs());
        const std::vector<std::int32_t> ids = goldenIds(dir);
        QCOMPARE(on_cpu.logits(ids), plain.logits(ids));
        if (!cudaVisible()) {
            options.device = "cuda";
            QVERIFY_THROWS_EXCEPTION(UserError, sample::Engine(dir, options));
        }
    }

    void staticDecodeMatchesDynamic_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"llama", "llama_tied", "llama3_rope", "mistral", "qwen2", "gpt_neox",
                                 "bloom", "gptj", "mpt", "mistral_window"}) {
            QTest::newRow(name) << QString::fromLatin1(name);
        }
    }

    // 12 greedy steps of a left-padded batch of 3: the fixed-shape step over a longer cache (its
    // unwritten tail masked) gives the logits of forward() with a growing mask.
    void staticDecodeMatchesDynamic() {
        QFETCH(QString, name);
        QTemporaryDir temporary;
        const std::string dir = name == QStringLiteral("mistral_window") ? slidingWindowModel(temporary)
                                                                         : fixtureDir(name.toStdString());
        const model::Transformer model(dir, at::kFloat);
        c10::InferenceMode inference;
        const auto [ids, prompt_mask] = paddedBatch(goldenIds(dir));
        const std::int64_t prompt = ids.size(1);

        model::KvCache dynamic_cache(model.config(), 3, prompt + kSteps, model.cacheOptions());
        at::Tensor mask = prompt_mask;
        at::Tensor dynamic_logits = model.forward(ids, mask, &dynamic_cache).select(1, prompt - 1);

        const std::int64_t capacity = prompt + kSteps + 7;
        model::KvCache static_cache(model.config(), 3, capacity, model.cacheOptions());
        const at::Tensor prefill = model.forward(ids, prompt_mask, &static_cache).select(1, prompt - 1);
        QVERIFY(at::equal(prefill, dynamic_logits));
        model::StaticDecode state;
        state.ids = at::zeros({3, 1}, at::TensorOptions().dtype(at::kLong));
        state.slot = at::full({1}, prompt, at::TensorOptions().dtype(at::kLong));
        state.key_mask = at::zeros({3, capacity}, at::TensorOptions().dtype(at::kBool));
        state.key_mask.narrow(1, 0, prompt).copy_(prompt_mask);
        state.logits = at::zeros({3, model.vocabRows()}, at::TensorOptions().dtype(at::kFloat));
        static_cache.useSlot(state.slot);

        double worst = 0.0;
        for (std::int64_t step = 0; step < kSteps; ++step) {
            const at::Tensor next = dynamic_logits.argmax(1).view({3, 1});
            mask = at::cat({mask, at::ones({3, 1}, mask.options())}, 1);
            dynamic_logits = model.forward(next, mask, &dynamic_cache).select(1, 0);
            state.ids.copy_(next);
            model.decodeStep(state, static_cache);
            state.slot.add_(1);
            worst = std::max(worst, (state.logits - dynamic_logits).abs().max().item<double>());
        }
        qInfo("%s: max |static - dynamic| over %lld steps: %.2e", qPrintable(name),
              static_cast<long long>(kSteps), worst);
        QVERIFY2(worst <= 1e-5, qPrintable(QString::number(worst)));
    }

    // Through the facade: static decoding (reusing its buffers across calls and batch sizes) gives
    // the tokens of dynamic decoding, greedy on the device and sampled on the host.
    void engineStaticDecodingGeneratesTheSameTokens() {
        const std::string dir = fixtureDir("qwen2");
        const std::vector<std::int32_t> ids = goldenIds(dir);
        const std::vector<std::vector<std::int32_t>> prompts = {
            ids, {ids.begin() + 2, ids.end()}, {ids.begin() + 1, ids.end() - 3}};
        sample::EngineOptions options;
        options.num_threads = 1;
        options.decode = sample::DecodeShapes::Dynamic;
        const sample::Engine dynamic(dir, options);
        options.decode = sample::DecodeShapes::Static;
        const sample::Engine fixed(dir, options);

        sample::GenerationOptions generation;
        generation.max_new_tokens = kSteps;
        generation.ignore_eos = true;
        for (const double temperature : {0.0, 0.9}) {
            generation.sampling.temperature = temperature;
            generation.sampling.seed = 7;
            for (const std::size_t rows : {std::size_t{3}, std::size_t{1}, std::size_t{3}}) {
                const std::vector<std::vector<std::int32_t>> batch(prompts.begin(), prompts.begin() + rows);
                const auto expected = dynamic.generate(batch, generation, {});
                const auto produced = fixed.generate(batch, generation, {});
                for (std::size_t row = 0; row < rows; ++row) {
                    QCOMPARE(produced[row].token_ids, expected[row].token_ids);
                    QCOMPARE(produced[row].token_ids.size(), static_cast<std::size_t>(kSteps));
                }
            }
        }
        const auto full = dynamic.logits(ids);
        const auto cached = fixed.cachedLogits(ids, 2);
        QCOMPARE(cached.size(), full.size());
        double worst = 0.0;
        for (std::size_t position = 0; position < full.size(); ++position) {
            for (std::size_t id = 0; id < full[position].size(); ++id) {
                worst =
                    std::max(worst, static_cast<double>(std::abs(cached[position][id] - full[position][id])));
            }
        }
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }

    void cliTakesDeviceOptions() {
        const QString model = QString::fromStdString(fixtureDir("llama"));
        const QStringList base = {QStringLiteral("model"),     QStringLiteral("logits"),
                                  QStringLiteral("--model"),   model,
                                  QStringLiteral("--ids"),     QStringLiteral("3,5,7,9,11"),
                                  QStringLiteral("--threads"), QStringLiteral("1")};
        const testing::CliResult plain = testing::runCli(base);
        QCOMPARE(plain.exit_code, 0);
        const testing::CliResult on_cpu =
            testing::runCli(base + QStringList{QStringLiteral("--device"), QStringLiteral("cpu")});
        QCOMPARE(on_cpu.exit_code, 0);
        QCOMPARE(jsonArrayText(on_cpu.standard_output), jsonArrayText(plain.standard_output));

        const testing::CliResult cached =
            testing::runCli(base + QStringList{QStringLiteral("--prefill"), QStringLiteral("2"),
                                               QStringLiteral("--decode"), QStringLiteral("static")});
        QCOMPARE(cached.exit_code, 0);
        QVERIFY(maxDifference(cached.standard_output, plain.standard_output) < 1e-4);

        const testing::CliResult bad_prefill =
            testing::runCli(base + QStringList{QStringLiteral("--prefill"), QStringLiteral("9")});
        QCOMPARE(bad_prefill.exit_code, 1);
        QVERIFY(bad_prefill.standard_error.contains("--prefill"));
        const testing::CliResult bad_decode =
            testing::runCli(base + QStringList{QStringLiteral("--decode"), QStringLiteral("fast")});
        QCOMPARE(bad_decode.exit_code, 1);
        QVERIFY(bad_decode.standard_error.contains("--decode"));
        const testing::CliResult bad_device = testing::runCli(
            {QStringLiteral("generate"), QStringLiteral("--model"), model, QStringLiteral("--ids"),
             QStringLiteral("1,2"), QStringLiteral("--device"), QStringLiteral("tpu")});
        QCOMPARE(bad_device.exit_code, 1);
        QVERIFY2(bad_device.standard_error.contains("--device tpu: unknown device"),
                 bad_device.standard_error.constData());
        if (!cudaVisible()) {
            const testing::CliResult cuda =
                testing::runCli(base + QStringList{QStringLiteral("--device"), QStringLiteral("cuda:1")});
            QCOMPARE(cuda.exit_code, 1);
            QVERIFY2(cuda.standard_error.contains("--device cuda:1: no CUDA device is visible"),
                     cuda.standard_error.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestEngineDevice)
#include "tst_engine_device.moc"
