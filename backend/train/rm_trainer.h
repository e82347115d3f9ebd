#pragma once
// Reward-model training (`vietllm-cli train rm CONFIG.json`) on libtorch, torch-free on the outside:
// a Bradley-Terry model on preference pairs. The base model gets a one-label score head read at the
// last token of prompt + reply (after the final norm); the loss is -log sigmoid(r_chosen - r_rejected).
// LoRA (the score head is trained fully) or full fine-tuning on the CPU or a GPU, in fp32 or bf16, with
// the same optimizer, schedule, checkpoints, resume and metrics protocol as SFT, held-out accuracy and
// mean margin in eval events.
// The output is a Hugging Face "<Family>ForSequenceClassification" folder (adapters merged), which
// sample::RewardScorer and transformers load unchanged.

#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::train {

struct RewardRunResult {
    RunResult run;
    /// The held-out pairs of the final evaluation, rows alternating chosen and rejected (prompt +
    /// reply token ids), and their rewards in the same order: what a RewardScorer over the final
    /// folder gives for the same rows. Empty for a cancelled run or without held-out pairs.
    std::vector<std::vector<std::int32_t>> eval_rows;
    std::vector<float> eval_rewards;
};

/// Trains a reward model as `config` (method rm) says. Throws UserError for a bad config, data or
/// model before any compute (a malformed pair names its file and line), when `options.resume`
/// finds no checkpoint, or when a fresh run would overwrite existing checkpoints.
RewardRunResult runRewardModel(const TrainConfig& config, const RunOptions& options);

/// The Hugging Face class name of a one-label reward model of `model_type`
/// ("llama" -> "LlamaForSequenceClassification"); empty for an unknown type.
std::string sequenceClassificationClass(const std::string& model_type);

}  // namespace vietllm::train
