// Activation checkpointing: with it on, every loss and gradient equals the plain forward's (fp32,
// 1e-6) for LoRA with dropout (the recompute replays the same masks and leaves the generator where
// the plain run leaves it), for full fine-tuning, under bf16 autocast, and through the SFT and
// reward-model trainers with the "gradient_checkpointing" config key.

#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/train/rm_trainer.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/random_model.h"
#include "tests/common/tiny_model_dir.h"
#include "tests/common/train_fixtures.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/autocast_mode.h>
#include <torch/csrc/api/include/torch/version.h>

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace vietllm;
using nlohmann::json;

namespace {

using weights::Architecture;

using FamilyModel = testing::TinyModelDir;

struct Pass {
    std::vector<double> losses;
    std::vector<std::vector<at::Tensor>> gradients;  // per iteration, per trainable tensor
};

// Two forward/backward passes on packed rows (two documents per row) with the model's dropout
// generator seeded `seed` (none when `dropout_on` is false).
Pass runPasses(model::Transformer& model, bool dropout_on, std::uint64_t seed) {
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    model.setDropoutGenerator(dropout_on ? &generator : nullptr);
    const at::Tensor ids =
        at::arange(5, 5 + 2 * 16, at::TensorOptions().dtype(at::kLong)).remainder(290).view({2, 16});
    const at::Tensor positions = at::cat({at::arange(0, 10, ids.options()), at::arange(0, 6, ids.options())})
                                     .view({1, 16})
                                     .repeat({2, 1});
    const at::Tensor documents = at::cat({at::ones({10}, ids.options()), 2 * at::ones({6}, ids.options())})
                                     .view({1, 16})
                                     .repeat({2, 1});
    Pass pass;
    for (int iteration = 0; iteration < 2; ++iteration) {
        const std::vector<model::NamedTensor> parameters = model.trainableParameters();
        for (const model::NamedTensor& parameter : parameters) parameter.tensor.mutable_grad() = at::Tensor();
        const at::Tensor logits = model.forwardPacked(ids, positions, documents);
        const at::Tensor loss = at::cross_entropy_loss(logits.narrow(1, 0, 15).reshape({-1, logits.size(2)}),
                                                       ids.narrow(1, 1, 15).reshape({-1}));
        loss.backward();
        pass.losses.push_back(loss.item<double>());
        std::vector<at::Tensor> gradients;
        for (const model::NamedTensor& parameter : parameters) {
            gradients.push_back(parameter.tensor.grad().defined() ? parameter.tensor.grad().clone()
                                                                  : at::zeros_like(parameter.tensor));
        }
        pass.gradients.push_back(gradients);
    }
    model.setDropoutGenerator(nullptr);
    return pass;
}

// CPU bf16 autocast while alive (the trainers' setting for "dtype": "bf16").
class CpuAutocast {
public:
    explicit CpuAutocast(bool on) : m_on(on) { set(on); }
    ~CpuAutocast() { set(false); }
    CpuAutocast(const CpuAutocast&) = delete;
    CpuAutocast& operator=(const CpuAutocast&) = delete;

private:
    void set(bool enabled) const {
        if (!m_on) return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
        at::autocast::set_autocast_enabled(at::kCPU, enabled);
#else
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(enabled);
#endif
        if (!enabled) at::autocast::clear_cache();
    }

    bool m_on;
};

void addAdapters(model::Transformer& model) {
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(3);
    model.addLora({}, 4, 8.0, 0.2, generator);
    const at::NoGradGuard no_grad;
    for (const model::NamedTensor& parameter : model.trainableParameters()) {
        if (parameter.name.find("lora_B") != std::string::npos) parameter.tensor.normal_(0.0, 0.2, generator);
    }
}

double maxGradientDifference(const Pass& a, const Pass& b) {
    double worst = 0.0;
    for (std::size_t i = 0; i < a.gradients.size(); ++i) {
        for (std::size_t j = 0; j < a.gradients[i].size(); ++j) {
            worst = std::max(worst, (a.gradients[i][j] - b.gradients[i][j]).abs().max().item<double>());
        }
    }
    return worst;
}

void compareWithAndWithout(Architecture family, bool lora, bool autocast) {
    FamilyModel fixture(family);
    model::Transformer plain(fixture.model, at::kFloat);
    model::Transformer checkpointed(fixture.model, at::kFloat);
    for (model::Transformer* model : {&plain, &checkpointed}) {
        if (lora) {
            addAdapters(*model);
        } else {
            model->makeWeightsTrainable();
        }
    }
    checkpointed.setGradientCheckpointing(true);
    const CpuAutocast scope(autocast);
    const Pass expected = runPasses(plain, true, 17);
    const Pass actual = runPasses(checkpointed, true, 17);
    const QString what = QString::fromStdString(weights::architectureName(family)) +
                         (lora ? QStringLiteral(" lora") : QStringLiteral(" full"));
    QVERIFY2(!expected.gradients[0].empty(), qPrintable(what));
    for (std::size_t i = 0; i < expected.losses.size(); ++i) {
        QVERIFY2(std::abs(expected.losses[i] - actual.losses[i]) < 1e-6, qPrintable(what));
    }
    QVERIFY2(maxGradientDifference(expected, actual) < 1e-6, qPrintable(what));
    if (lora) {
        // The premise: dropout masks matter, so equal gradients mean the same masks were replayed.
        const Pass without_dropout = runPasses(plain, false, 17);
        QVERIFY2(maxGradientDifference(expected, without_dropout) > 1e-4, qPrintable(what));
    }
}

}  // namespace

class TestTrainCheckpointing : public QObject {
    Q_OBJECT

private slots:
    void loraWithDropoutMatchesEveryFamily() {
        for (const Architecture family : {Architecture::Llama, Architecture::GptNeoX, Architecture::Bloom,
                                          Architecture::GptJ, Architecture::Mpt}) {
            compareWithAndWithout(family, true, false);
        }
    }

    void fullFineTuningMatches() {
        compareWithAndWithout(Architecture::Llama, false, false);
        compareWithAndWithout(Architecture::GptJ, false, false);
    }

    void bf16AutocastMatches() { compareWithAndWithout(Architecture::Llama, true, true); }

    void inferenceIsUnaffected() {
        FamilyModel fixture(Architecture::Llama);
        model::Transformer model(fixture.model, at::kFloat);
        addAdapters(model);
        model.setGradientCheckpointing(true);
        const at::Tensor ids = at::arange(3, 11, at::TensorOptions().dtype(at::kLong)).view({1, 8});
        const at::Tensor mask = at::ones({1, 8}, at::TensorOptions().dtype(at::kBool));
        const at::Tensor with_grad = model.forward(ids, mask, nullptr);
        QVERIFY(with_grad.requires_grad());
        const at::NoGradGuard no_grad;
        QVERIFY(at::allclose(model.forward(ids, mask, nullptr), with_grad.detach(), 0.0, 1e-6));
    }

    void trainersGiveTheSameLosses() {
        FamilyModel fixture(Architecture::GptNeoX);
        testing::writeJsonLinesFile(fixture.path("sft.jsonl"), 0, 8, [](int i) {
            return testing::conversationLine("Câu hỏi " + std::to_string(i), "Dạ, câu " + std::to_string(i));
        });
        testing::writeJsonLinesFile(fixture.path("pairs.jsonl"), 0, 8, [](int i) {
            return testing::preferenceLine(
                json::array({testing::turn("user", "Câu hỏi " + std::to_string(i))}),
                "Dạ, tốt " + std::to_string(i) + ".", "Không.");
        });
        const auto config = [&](const std::string& method, const std::string& data, bool checkpointing,
                                const std::string& out) {
            return testing::tinyRunConfig(method, fixture.model, fixture.path(out),
                                          {{"train", {fixture.path(data)}}, {"eval_fraction", 0.25}},
                                          {{"lora", testing::loraSection(4, 8, 0.1)},
                                           {"max_seq_len", 192},
                                           {"max_steps", 3},
                                           {"gradient_checkpointing", checkpointing}});
        };
        const auto losses = [](const json& value, const std::string& source, bool reward_model) {
            return reward_model
                       ? testing::stepLosses(
                             testing::runTrainer(train::runRewardModel, value, source, false).events)
                       : testing::stepLosses(testing::runTrainer(train::runSft, value, source, false).events);
        };
        for (const bool reward_model : {false, true}) {
            const std::string method = reward_model ? "rm" : "sft";
            const std::string data = reward_model ? "pairs.jsonl" : "sft.jsonl";
            const std::vector<double> plain =
                losses(config(method, data, false, method + "-plain"), fixture.path("a.json"), reward_model);
            const std::vector<double> checkpointed =
                losses(config(method, data, true, method + "-ckpt"), fixture.path("b.json"), reward_model);
            QCOMPARE(plain.size(), std::size_t{3});
            QCOMPARE(checkpointed.size(), plain.size());
            for (std::size_t i = 0; i < plain.size(); ++i) {
                QVERIFY2(std::abs(plain[i] - checkpointed[i]) < 1e-6, method.c_str());
            }
            QVERIFY(plain.front() != plain.back());  // the steps did learn something
        }
    }

    void configKeyIsValidated() {
        json value = {{"method", "sft"},
                      {"model", "/m"},
                      {"output_dir", "/o"},
                      {"data", {{"train", {"/t.jsonl"}}}},
                      {"gradient_checkpointing", true}};
        const train::TrainConfig parsed = train::parseTrainConfig(value, "/cfg/run.json");
        QVERIFY(parsed.gradient_checkpointing);
        QCOMPARE(parsed.toJson()["gradient_checkpointing"].get<bool>(), true);
        QVERIFY(!train::parseTrainConfig(parsed.toJson(), "/cfg/run.json").lora.has_value() ||
                train::parseTrainConfig(parsed.toJson(), "/cfg/run.json").gradient_checkpointing);
        value["gradient_checkpointing"] = "yes";
        try {
            train::parseTrainConfig(value, "/cfg/run.json");
            QFAIL("a string was accepted");
        } catch (const UserError& error) {
            QVERIFY2(std::string(error.what()).find("$.gradient_checkpointing") != std::string::npos,
                     error.what());
        }
        value.erase("gradient_checkpointing");
        QVERIFY(!train::parseTrainConfig(value, "/cfg/run.json").gradient_checkpointing);
    }
};

QTEST_GUILESS_MAIN(TestTrainCheckpointing)
#include "tst_train_checkpointing.moc"
