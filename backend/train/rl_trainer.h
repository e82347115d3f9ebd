#pragma once
// Reinforcement learning against a trained reward model (`vietllm-cli train rl CONFIG.json`),
// torch-free on the outside. GRPO-style: every step samples several completions per prompt from
// the policy, scores prompt + completion with the reward model (sample::RewardScorer), normalises
// the rewards within each prompt's group into advantages, and minimises
//   -A * exp(logp - sg(logp)) + kl_coef * k3(policy || reference)
// per completion token (each batch of samples is used for one update, so the importance ratio is 1
// and needs no clipping; k3 = exp(ref - logp) - (ref - logp) - 1 against the frozen starting
// policy). LoRA or full fine-tuning, the shared optimizer, schedule, checkpoints and metrics protocol;
// step events add reward_mean, reward_std, kl and completion_tokens. Runs on the CPU or a GPU (policy,
// reference and reward model on the run's device, bf16 autocast) and data-parallel like the other
// trainers: each prompt's samples draw from a generator seeded by (seed, step, prompt index in the
// step), so the rollouts do not depend on the process count. docs/training.md documents it.

#include "backend/data/records.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"

#include <string>
#include <vector>

namespace vietllm::train {

/// The prompts of `files` (each a conversation that ends with a user turn): prompt-only JSONL
/// ({"prompt": "text"} or {"prompt": [messages]}), or any conversation or preference format, whose
/// records are cut before their last assistant reply. Throws UserError naming the file and line of
/// a malformed record, or the file when it holds no prompt.
std::vector<std::vector<data::Message>> readPrompts(const std::vector<std::string>& files,
                                                    const std::string& format);

/// Runs RL as `config` (method rl) says. Throws UserError for a bad config, data, policy or reward
/// model before any compute, when `options.resume` finds no checkpoint, or when a fresh run would
/// overwrite existing checkpoints.
RunResult runRl(const TrainConfig& config, const RunOptions& options);

}  // namespace vietllm::train
