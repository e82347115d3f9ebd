// LoRA on every family, including the fused-QKV ones (GPT-NeoX and BLOOM per-head rows, MPT plain
// [q; k; v] rows) and GPT-J's own names: an adapter's forward equals the merged model's, the merged
// fused weight is the file's weight plus scaling * B A in the file's row order, PEFT tensor names
// and shapes, training steps touch only adapters, adapter folders round-trip, targets are checked
// per family, and `train sft` + merge run end to end with the family's default targets.

#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/train/model_files.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/lora_targets.h"
#include "backend/weights/random_model.h"
#include "backend/weights/safetensors.h"
#include "tests/common/test_support.h"
#include "tests/common/tiny_model_dir.h"
#include "tests/common/train_fixtures.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace vietllm;
using nlohmann::json;

namespace {

using weights::Architecture;

const Architecture kFamilies[] = {Architecture::Llama, Architecture::GptNeoX, Architecture::Bloom,
                                  Architecture::GptJ, Architecture::Mpt};

using FamilyModel = testing::TinyModelDir;

at::Tensor sampleIds() {
    return at::arange(3, 3 + 2 * 12, at::TensorOptions().dtype(at::kLong)).remainder(290).view({2, 12});
}

at::Tensor logitsOf(const model::Transformer& model) {
    const at::NoGradGuard no_grad;
    const at::Tensor ids = sampleIds();
    return model.forward(ids, at::ones(ids.sizes(), at::TensorOptions().dtype(at::kBool)), nullptr);
}

// Adds rank-4 adapters on every linear layer and gives every B random non-zero values, so that
// each adapter changes the output.
void addRandomAdapters(model::Transformer& model, std::uint64_t seed) {
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    model.addLora({}, 4, 8.0, 0.0, generator);
    const at::NoGradGuard no_grad;
    for (const model::NamedTensor& parameter : model.trainableParameters()) {
        if (parameter.name.find("lora_B") != std::string::npos) parameter.tensor.normal_(0.0, 0.2, generator);
    }
}

// Writes the adapters of `model` (rank 4, alpha 8, as addRandomAdapters makes them) as the PEFT
// folder "adapter" of the fixture.
void writeAdapters(const model::Transformer& model, const FamilyModel& fixture) {
    train::LoraConfig lora;
    lora.rank = 4;
    lora.alpha = 8.0;
    train::writeAdapterFolder(model, lora, fixture.model, fixture.path("adapter"));
}

double maxDifference(const at::Tensor& a, const at::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

using testing::expectUserError;

QString familyName(Architecture architecture) {
    return QString::fromStdString(weights::architectureName(architecture));
}

}  // namespace

class TestTrainLora : public QObject {
    Q_OBJECT

private slots:
    void adapterForwardEqualsMergedForward() {
        for (const Architecture family : kFamilies) {
            FamilyModel fixture(family);
            model::Transformer base(fixture.model, at::kFloat);
            const at::Tensor base_logits = logitsOf(base);
            model::Transformer adapted(fixture.model, at::kFloat);
            addRandomAdapters(adapted, 11);
            const at::Tensor adapted_logits = logitsOf(adapted);
            QVERIFY2(maxDifference(adapted_logits, base_logits) > 1e-3, qPrintable(familyName(family)));
            // Folded in memory, and through a written adapter folder and `train merge`.
            writeAdapters(adapted, fixture);
            train::mergeAdapter(fixture.model, fixture.path("adapter"), fixture.path("merged"));
            const model::Transformer merged(fixture.path("merged"), at::kFloat);
            QVERIFY2(maxDifference(logitsOf(merged), adapted_logits) < 1e-5, qPrintable(familyName(family)));
            adapted.mergeLora();
            QVERIFY2(maxDifference(logitsOf(adapted), adapted_logits) < 1e-5, qPrintable(familyName(family)));
            QVERIFY(adapted.trainableParameters().empty() ||
                    adapted.trainableParameters()[0].name.find("lora") == std::string::npos);
        }
    }

    void mergedFusedWeightIsFileWeightPlusScaledBA() {
        // Independent of the split: the fused weight in the file plus scaling * B A (B's rows in the
        // file's fused order, as PEFT has them) is what the merged model folder holds.
        for (const Architecture family : {Architecture::GptNeoX, Architecture::Bloom, Architecture::Mpt}) {
            FamilyModel fixture(family);
            model::Transformer adapted(fixture.model, at::kFloat);
            addRandomAdapters(adapted, 5);
            writeAdapters(adapted, fixture);
            train::mergeAdapter(fixture.model, fixture.path("adapter"), fixture.path("merged"));
            const auto original = train::readTensorFile(fixture.model + "/model.safetensors");
            const auto adapter =
                train::readTensorFile(fixture.path("adapter") + "/adapter_model.safetensors");
            const auto merged = train::readTensorFile(fixture.path("merged") + "/model.safetensors");
            int checked = 0;
            for (const weights::LoraSite& site : weights::loraSites(adapted.config())) {
                if (site.role != weights::TensorRole::QkvPerHead &&
                    site.role != weights::TensorRole::QkvPlain) {
                    continue;
                }
                const std::string prefix = "base_model.model." + site.path;
                const at::Tensor expected = original.at(site.path + ".weight") +
                                            2.0 * at::matmul(adapter.at(prefix + ".lora_B.weight"),
                                                             adapter.at(prefix + ".lora_A.weight"));
                QVERIFY2(maxDifference(merged.at(site.path + ".weight"), expected) < 1e-6,
                         qPrintable(familyName(family)));
                ++checked;
            }
            QCOMPARE(checked, 2);  // both blocks of the tiny model
        }
    }

    void peftNamesAndShapes() {
        struct Expected {
            Architecture family;
            std::string name;
            std::vector<std::int64_t> shape;
            std::vector<std::string> modules;
        };
        // Tiny models: hidden 64, 4 heads of 16, 2 layers; MLP 4 x hidden except Llama's.
        const Expected cases[] = {
            {Architecture::GptNeoX,
             "base_model.model.gpt_neox.layers.1.attention.query_key_value.lora_B.weight",
             {192, 4},
             {"query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"}},
            {Architecture::Bloom,
             "base_model.model.transformer.h.0.self_attention.query_key_value.lora_A.weight",
             {4, 64},
             {"query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"}},
            {Architecture::GptJ,
             "base_model.model.transformer.h.1.attn.out_proj.lora_B.weight",
             {64, 4},
             {"q_proj", "k_proj", "v_proj", "out_proj", "fc_in", "fc_out"}},
            {Architecture::Mpt,
             "base_model.model.transformer.blocks.0.attn.Wqkv.lora_B.weight",
             {192, 4},
             {"Wqkv", "out_proj", "up_proj", "down_proj"}},
        };
        for (const Expected& expected : cases) {
            FamilyModel fixture(expected.family);
            model::Transformer adapted(fixture.model, at::kFloat);
            addRandomAdapters(adapted, 3);
            train::LoraConfig lora;
            train::writeAdapterFolder(adapted, lora, fixture.model, fixture.path("adapter"));
            const weights::SafetensorsFile file(fixture.path("adapter") + "/adapter_model.safetensors");
            QCOMPARE(file.tensors().size(), 2 * 2 * expected.modules.size());
            const weights::TensorView* view = file.find(expected.name);
            QVERIFY2(view != nullptr, expected.name.c_str());
            QVERIFY(view->shape == expected.shape);
            std::ifstream in(fixture.path("adapter") + "/adapter_config.json");
            const json config = json::parse(in);
            QVERIFY(config["target_modules"].get<std::vector<std::string>>() == expected.modules);
            QVERIFY(weights::loraModuleNames(adapted.config()) == expected.modules);
        }
    }

    void adapterFolderRoundTrips() {
        for (const Architecture family : kFamilies) {
            FamilyModel fixture(family);
            model::Transformer adapted(fixture.model, at::kFloat);
            addRandomAdapters(adapted, 21);
            writeAdapters(adapted, fixture);
            model::Transformer loaded(fixture.model, at::kFloat);
            train::loadAdapterFolder(loaded, fixture.path("adapter"));
            const std::vector<model::NamedTensor> written = adapted.trainableParameters();
            const std::vector<model::NamedTensor> read = loaded.trainableParameters();
            QCOMPARE(read.size(), written.size());
            for (std::size_t i = 0; i < read.size(); ++i) {
                QCOMPARE(read[i].name, written[i].name);
                QVERIFY(at::equal(read[i].tensor, written[i].tensor.detach()));
            }
            QVERIFY(maxDifference(logitsOf(loaded), logitsOf(adapted)) < 1e-6);
            // The unmerged adapter path the trainer's checks use agrees with the merged model.
            train::mergeAdapter(fixture.model, fixture.path("adapter"), fixture.path("merged"));
            const std::vector<std::int32_t> ids = {5, 17, 42, 99, 7};
            const auto unmerged = train::adapterLogits(fixture.model, fixture.path("adapter"), ids);
            model::Transformer merged(fixture.path("merged"), at::kFloat);
            const at::NoGradGuard no_grad;
            const at::Tensor merged_logits = merged.forward(
                at::tensor({5, 17, 42, 99, 7}, at::TensorOptions().dtype(at::kLong)).view({1, 5}),
                at::ones({1, 5}, at::TensorOptions().dtype(at::kBool)), nullptr);
            for (std::size_t p = 0; p < ids.size(); ++p) {
                for (std::size_t v = 0; v < unmerged[p].size(); v += 37) {
                    QVERIFY(
                        std::abs(unmerged[p][v] -
                                 merged_logits[0][static_cast<std::int64_t>(p)][static_cast<std::int64_t>(v)]
                                     .item<float>()) < 1e-4);
                }
            }
        }
    }

    void stepsChangeOnlyAdapters() {
        for (const Architecture family : kFamilies) {
            FamilyModel fixture(family);
            model::Transformer model(fixture.model, at::kFloat);
            at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(9);
            model.addLora({}, 4, 8.0, 0.1, generator);
            model.setDropoutGenerator(&generator);
            std::vector<at::Tensor> before_weights;
            for (const model::NamedTensor& weight : model.namedWeights())
                before_weights.push_back(weight.tensor.clone());
            std::vector<at::Tensor> parameters;
            std::vector<at::Tensor> before_adapters;
            for (const model::NamedTensor& parameter : model.trainableParameters()) {
                QVERIFY(parameter.name.find(".lora_") != std::string::npos);
                parameters.push_back(parameter.tensor);
                before_adapters.push_back(parameter.tensor.detach().clone());
            }
            const at::Tensor ids = sampleIds();
            for (int step = 0; step < 3; ++step) {
                for (at::Tensor& parameter : parameters) parameter.mutable_grad() = at::Tensor();
                const at::Tensor logits =
                    model.forward(ids, at::ones(ids.sizes(), at::TensorOptions().dtype(at::kBool)), nullptr);
                at::cross_entropy_loss(logits.narrow(1, 0, 11).reshape({-1, logits.size(2)}),
                                       ids.narrow(1, 1, 11).reshape({-1}))
                    .backward();
                const at::NoGradGuard no_grad;
                for (at::Tensor& parameter : parameters) parameter.sub_(parameter.grad().sign() * 1e-2);
            }
            const std::vector<model::NamedTensor> after_weights = model.namedWeights();
            QCOMPARE(after_weights.size(), before_weights.size());
            for (std::size_t i = 0; i < after_weights.size(); ++i) {
                QVERIFY2(at::equal(after_weights[i].tensor, before_weights[i]),
                         after_weights[i].name.c_str());
            }
            for (std::size_t i = 0; i < parameters.size(); ++i) {
                QVERIFY2(!at::equal(parameters[i].detach(), before_adapters[i]),
                         qPrintable(familyName(family)));
            }
        }
    }

    void targetsAreCheckedPerFamily() {
        FamilyModel fixture(Architecture::GptNeoX);
        model::Transformer model(fixture.model, at::kFloat);
        at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(1);
        const std::string message = expectUserError([&] {
            model.addLora({"dense", "q_proj"}, 4, 8.0, 0.0, generator);
        });
        QVERIFY2(message.find("'q_proj'") != std::string::npos, message.c_str());
        QVERIFY2(message.find("query_key_value, dense, dense_h_to_4h, dense_4h_to_h") != std::string::npos,
                 message.c_str());
        model.addLora({"dense"}, 4, 8.0, 0.0, generator);  // a subset is fine
        QCOMPARE(model.trainableParameters().size(), std::size_t{4});

        std::ofstream(fixture.path("train.jsonl")) << "{}\n";
        json config = {{"method", "sft"},
                       {"model", fixture.model},
                       {"output_dir", fixture.path("out")},
                       {"data", {{"train", {fixture.path("train.jsonl")}}}},
                       {"lora", {{"rank", 4}, {"target_modules", {"dense", "c_attn"}}}}};
        const std::string config_error = expectUserError(
            [&] { train::checkTrainConfig(train::parseTrainConfig(config, fixture.path("run.json"))); });
        QVERIFY2(config_error.find("$.lora.target_modules[1]") != std::string::npos, config_error.c_str());
        QVERIFY2(config_error.find("'c_attn'") != std::string::npos, config_error.c_str());
        QVERIFY2(config_error.find("query_key_value") != std::string::npos, config_error.c_str());
        // Without target_modules: the family's all-linear list, stored as such.
        config["lora"] = {{"rank", 4}};
        const train::TrainConfig parsed = train::parseTrainConfig(config, fixture.path("run.json"));
        QVERIFY(parsed.lora->target_modules.empty());
        QVERIFY(!parsed.toJson()["lora"].contains("target_modules"));
        train::checkTrainConfig(parsed);
        QCOMPARE(train::trainableParameterCount(parsed),
                 std::int64_t{2 * 4 * ((64 + 192) + (64 + 64) + (64 + 256) + (256 + 64))});
    }

    void sftTrainsAndMergesEveryFamily() {
        for (const Architecture family :
             {Architecture::GptNeoX, Architecture::Bloom, Architecture::GptJ, Architecture::Mpt}) {
            FamilyModel fixture(family);
            testing::writeJsonLinesFile(fixture.path("train.jsonl"), 0, 8, [](int i) {
                return testing::conversationLine("Câu " + std::to_string(i), "Dạ, vâng.");
            });
            const json config = testing::tinyRunConfig(
                "sft", fixture.model, fixture.path("out"),
                {{"train", {fixture.path("train.jsonl")}}, {"eval_fraction", 0.25}},
                {{"lora", testing::loraSection(4, 8, 0.1)}, {"max_seq_len", 64}, {"max_steps", 2}});
            const train::RunResult result =
                testing::runTrainer(train::runSft, config, fixture.path("run.json"), false).result;
            QCOMPARE(result.step, std::int64_t{2});
            train::mergeAdapter(fixture.model, result.output, fixture.path("merged"));
            model::Transformer adapted(fixture.model, at::kFloat);
            train::loadAdapterFolder(adapted, result.output);
            const model::Transformer merged(fixture.path("merged"), at::kFloat);
            const model::Transformer base(fixture.model, at::kFloat);
            QVERIFY2(maxDifference(logitsOf(merged), logitsOf(adapted)) < 1e-5,
                     qPrintable(familyName(family)));
            QVERIFY2(maxDifference(logitsOf(merged), logitsOf(base)) > 1e-4, qPrintable(familyName(family)));
        }
    }
};

QTEST_GUILESS_MAIN(TestTrainLora)
#include "tst_train_lora.moc"
