#pragma once
// What the Training panel offers before a run starts: hyperparameter presets for the models the
// community fine-tunes, the parameter count of a model from its config.json alone, and an estimate
// of the memory a run needs, so a run that cannot fit is refused before any compute is spent.

#include "backend/weights/model_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::runs {

/// Recommended settings for one base model (the panel fills its form from these).
struct TrainingPreset {
    std::string id;            ///< "qwen2.5-0.5b"
    std::string display_name;  ///< "Qwen2.5-0.5B"
    std::string hf_repo;       ///< "Qwen/Qwen2.5-0.5B-Instruct": where users get the weights
    std::string model_type;    ///< config.json model_type
    std::int64_t hidden_size = 0;
    std::int64_t num_layers = 0;
    bool lora = true;  ///< LoRA by default (full fine-tuning for the small ones)
    int lora_rank = 16;
    int lora_alpha = 32;
    double learning_rate = 2e-4;
    int micro_batch_size = 4;
    int gradient_accumulation = 4;
    int max_seq_len = 2048;
    std::string dtype = "bf16";
    bool gradient_checkpointing = false;  ///< on for 7B and larger: activations dominate there
};

/// Presets for bloomz-560m and 1b7, pythia-1b, OpenLLaMA-3B, Qwen2.5-0.5B and 1.5B, Llama-3.2-1B
/// and 3B, and Vistral-7B, plus a "generic" one for any other model.
const std::vector<TrainingPreset>& trainingPresets();

/// The preset whose architecture and shape match `config` (model_type, hidden size, layer count);
/// the generic preset when none does.
const TrainingPreset& matchPreset(const weights::ModelConfig& config);

/// Parameters of a model of `config`, counted from its shapes (embeddings, attention, MLP, norms,
/// biases, an untied lm_head), without loading weights.
std::int64_t countParameters(const weights::ModelConfig& config);

/// Parameters LoRA adds for `rank` on the family's named modules (weights/lora_targets.h; empty:
/// all of its linear layers).
std::int64_t countLoraParameters(const weights::ModelConfig& config, int rank,
                                 const std::vector<std::string>& target_modules);

struct TrainingShape {
    bool lora = true;
    int lora_rank = 16;
    std::vector<std::string> target_modules;  ///< empty: the family's all-linear list
    int micro_batch_size = 1;
    int max_seq_len = 2048;
    int compute_bytes = 2;  ///< 2 for bf16, 4 for fp32
    bool activation_checkpointing = false;
    /// Sequences a micro-batch row holds per example: 2 for preference pairs (RM, DPO: chosen and
    /// rejected go through the model together). DPO's reference needs no memory: its
    /// log-probabilities are computed once before training, from the weights the policy starts from.
    int sequences_per_example = 1;
    /// A reward model: a trainable [1, hidden] score head instead of the LM head (no logits).
    bool score_head = false;
    /// A frozen copy of the starting weights in the compute dtype (RL's start policy for the KL
    /// term). DPO needs none: its reference log-probabilities are cached, 8 bytes per pair.
    bool frozen_reference = false;
    /// RL: the reward model's parameter count (its weights in the compute dtype) and, with it, the
    /// rollouts: a KV cache of max_seq_len positions for each of the micro-batch's sequences.
    std::int64_t reward_model_parameters = 0;
};

/// Bytes per weight and activation value of a run on `device` ("cpu", "cuda") in `dtype` ("bf16",
/// "fp32"): the CPU trainer keeps fp32 weights (bf16 only autocasts its matmuls), so 4 there.
int trainingComputeBytes(const std::string& device, const std::string& dtype);

/// Bytes a run needs, by part. Approximate (activations follow Korthikanti et al.'s per-layer
/// count for a transformer block; with checkpointing, every block's input plus one block's
/// activations), meant to refuse what cannot fit. Frozen copies (RL's start policy and reward
/// model) count as weights, rollout KV caches as activations.
struct MemoryEstimate {
    std::int64_t weights_bytes = 0;
    std::int64_t gradients_bytes = 0;
    std::int64_t optimizer_bytes = 0;
    std::int64_t activations_bytes = 0;
    std::int64_t total_bytes = 0;
};

/// The memory a training run of `config` with `shape` needs: full fine-tuning keeps fp32 master
/// weights, gradients and AdamW's two moments (16 bytes per parameter, plus a compute copy in
/// bf16); LoRA keeps the frozen base in the compute dtype and 16 bytes per adapter parameter.
MemoryEstimate estimateTrainingMemory(const weights::ModelConfig& config, const TrainingShape& shape);

/// Bytes to run the model for inference in `compute_bytes` per weight, with a KV cache of
/// `context_tokens` positions for one sequence.
std::int64_t estimateInferenceMemory(const weights::ModelConfig& config, int compute_bytes,
                                     std::int64_t context_tokens);

/// Physical memory of this machine in bytes (0 when unknown).
std::int64_t physicalMemoryBytes();

/// "1.6 GB" / "950 MB": bytes in decimal units with one decimal, for messages and labels.
std::string formatBytes(std::int64_t bytes);

}  // namespace vietllm::runs
