// The shared memory estimate (backend/runs) with hand-computed numbers on a small Llama shape:
// activation checkpointing, the reward model's score head, RL's frozen start policy, reward model
// and rollout KV caches, DPO's cached reference; LoRA counts on the fused-QKV families; and the
// run setup fields (checkpointing key, family default targets, the 7B preset's checkpointing).

#include "backend/runs/run_setup.h"
#include "backend/runs/training_presets.h"
#include "backend/weights/lora_targets.h"
#include "backend/weights/model_config.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace vietllm;

namespace {

// hidden 64, 2 layers, 4 heads of 16, MLP 128, vocabulary 100, untied head.
nlohmann::json smallLlamaJson() {
    return {{"model_type", "llama"},        {"vocab_size", 100},      {"hidden_size", 64},
            {"intermediate_size", 128},     {"num_hidden_layers", 2}, {"num_attention_heads", 4},
            {"num_key_value_heads", 4},     {"rms_norm_eps", 1e-5},   {"tie_word_embeddings", false},
            {"max_position_embeddings", 64}};
}

weights::ModelConfig smallLlama() {
    return weights::parseModelConfig(smallLlamaJson(), "config.json");
}

// Per layer: q, k, v, o 64x64; gate, up 64x128; down 128x64; two norms of 64. Then the embedding,
// the final norm and the head: 2 * (4 * 4096 + 3 * 8192 + 128) + 6400 + 64 + 6400.
constexpr std::int64_t kParameters = 2 * (4 * 4096 + 3 * 8192 + 128) + 6400 + 64 + 6400;

runs::TrainingShape loraShape() {
    runs::TrainingShape shape;
    shape.lora = true;
    shape.lora_rank = 2;
    shape.target_modules = {"q_proj"};
    shape.micro_batch_size = 1;
    shape.max_seq_len = 8;
    shape.compute_bytes = 4;
    return shape;
}

}  // namespace

class TestMemoryEstimate : public QObject {
    Q_OBJECT

private slots:
    void baseline() {
        const weights::ModelConfig config = smallLlama();
        QCOMPARE(runs::countParameters(config), kParameters);
        const runs::MemoryEstimate estimate = runs::estimateTrainingMemory(config, loraShape());
        const std::int64_t adapter = 2 * 2 * (64 + 64);  // two layers of rank 2 on q_proj
        QCOMPARE(estimate.weights_bytes, kParameters * 4 + adapter * 4);
        QCOMPARE(estimate.gradients_bytes, adapter * 4);
        QCOMPARE(estimate.optimizer_bytes, adapter * 8);
        // Per layer 8 tokens * 64 * (34 + 5 * 4 * 8 / 64) * (4 / 2) = 37376 bytes; logits and their
        // gradient 2 * 8 * 100 * 4 = 6400.
        QCOMPARE(estimate.activations_bytes, std::int64_t{2 * 37376 + 6400});
    }

    void checkpointingKeepsLayerInputsAndOneLayer() {
        runs::TrainingShape shape = loraShape();
        shape.activation_checkpointing = true;
        // One layer's 37376 bytes plus each layer's input 8 * 64 * 4 = 2048, plus the logits.
        QCOMPARE(runs::estimateTrainingMemory(smallLlama(), shape).activations_bytes,
                 std::int64_t{37376 + 2 * 2048 + 6400});
    }

    void rewardModelHasAScoreHeadAndNoLogits() {
        runs::TrainingShape shape = loraShape();
        shape.sequences_per_example = 2;
        const runs::MemoryEstimate plain = runs::estimateTrainingMemory(smallLlama(), shape);
        shape.score_head = true;
        const runs::MemoryEstimate reward = runs::estimateTrainingMemory(smallLlama(), shape);
        QCOMPARE(reward.weights_bytes - plain.weights_bytes, std::int64_t{64 * 4});
        QCOMPARE(reward.gradients_bytes - plain.gradients_bytes, std::int64_t{64 * 4});
        QCOMPARE(reward.optimizer_bytes - plain.optimizer_bytes, std::int64_t{64 * 8});
        QCOMPARE(plain.activations_bytes - reward.activations_bytes, std::int64_t{2 * 16 * 100 * 4});
    }

    void rlCountsStartPolicyRewardModelAndRollouts() {
        runs::TrainingShape shape = loraShape();
        shape.sequences_per_example = 4;  // samples per prompt
        const runs::MemoryEstimate plain = runs::estimateTrainingMemory(smallLlama(), shape);
        shape.frozen_reference = true;
        shape.reward_model_parameters = 1000;
        const runs::MemoryEstimate rl = runs::estimateTrainingMemory(smallLlama(), shape);
        QCOMPARE(rl.weights_bytes - plain.weights_bytes, kParameters * 4 + 1000 * 4);
        // KV cache: 2 (k, v) * 2 layers * 4 heads * 16 * 8 positions * 4 sequences * 4 bytes.
        QCOMPARE(rl.activations_bytes - plain.activations_bytes, std::int64_t{2 * 2 * 4 * 16 * 8 * 4 * 4});
        QCOMPARE(rl.total_bytes,
                 rl.weights_bytes + rl.gradients_bytes + rl.optimizer_bytes + rl.activations_bytes);
    }

    void setupCarriesTheNewParts() {
        QTemporaryDir dir;
        std::ofstream(dir.filePath(QStringLiteral("config.json")).toStdString()) << smallLlamaJson().dump();
        runs::RunSetup setup;
        QVERIFY(setup.target_modules.empty());
        QVERIFY(!runs::trainerConfig(setup)["lora"].contains("target_modules"));  // the family's default
        QCOMPARE(runs::trainerConfig(setup)["gradient_checkpointing"].get<bool>(), false);
        setup.gradient_checkpointing = true;
        QCOMPARE(runs::trainerConfig(setup)["gradient_checkpointing"].get<bool>(), true);
        QVERIFY(runs::trainingShape(setup).activation_checkpointing);
        setup.method = runs::TrainingMethod::RewardModel;
        QVERIFY(runs::trainingShape(setup).score_head);
        setup.method = runs::TrainingMethod::Dpo;
        QVERIFY(!runs::trainingShape(setup).frozen_reference);  // cached reference log-probs
        setup.method = runs::TrainingMethod::Rl;
        setup.rl_samples_per_prompt = 6;
        QCOMPARE(runs::trainingShape(setup).sequences_per_example, 6);
        QVERIFY(runs::trainingShape(setup).frozen_reference);
        QCOMPARE(runs::trainingShape(setup).reward_model_parameters, std::int64_t{0});  // none chosen yet
        setup.rl_reward_model_dir = dir.path().toStdString();
        QCOMPARE(runs::trainingShape(setup).reward_model_parameters, kParameters);
        for (const runs::TrainingPreset& preset : runs::trainingPresets()) {
            QCOMPARE(runs::setupFromPreset(preset).gradient_checkpointing, preset.id == "vistral-7b");
        }
    }

    void loraCountsOnFusedFamilies() {
        const weights::ModelConfig neox = weights::parseModelConfig({{"model_type", "gpt_neox"},
                                                                     {"vocab_size", 100},
                                                                     {"hidden_size", 64},
                                                                     {"num_hidden_layers", 2},
                                                                     {"num_attention_heads", 4},
                                                                     {"intermediate_size", 256},
                                                                     {"rotary_pct", 0.25},
                                                                     {"max_position_embeddings", 64}},
                                                                    "config.json");
        QVERIFY(weights::loraModuleNames(neox) ==
                (std::vector<std::string>{"query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"}));
        // query_key_value 64 -> 192, rank 8, two layers.
        QCOMPARE(runs::countLoraParameters(neox, 8, {"query_key_value"}), std::int64_t{2 * 8 * (64 + 192)});
        QCOMPARE(runs::countLoraParameters(neox, 8, {}),
                 std::int64_t{2 * 8 * ((64 + 192) + (64 + 64) + (64 + 256) + (256 + 64))});
        QCOMPARE(weights::unknownLoraTarget(neox, {"dense", "q_proj"}), std::string("q_proj"));
        QCOMPARE(weights::loraSites(neox)[0].path,
                 std::string("gpt_neox.layers.0.attention.query_key_value"));
    }
};

QTEST_GUILESS_MAIN(TestMemoryEstimate)
#include "tst_memory_estimate.moc"
