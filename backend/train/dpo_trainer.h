#pragma once
// Direct Preference Optimization (`vietllm-cli train dpo CONFIG.json`) on libtorch, torch-free on the
// outside. Each preference pair (prompt, chosen, rejected) is scored by the summed log-probability of
// its reply tokens under the policy (pi) and a frozen reference (ref); the loss is
//   -(1 - eps) log sigmoid(beta d) - eps log sigmoid(-beta d),  d = (pi_c - ref_c) - (pi_r - ref_r)
// (eps = label_smoothing, conservative DPO). The reference is the base model; its log-probabilities
// are computed once before training, on the run's device by the policy before its first update (fresh
// LoRA adapters add exactly zero: no second model in memory) and cached in
// OUTPUT_DIR/reference_logps.json (doubles, the same for every device), so a resume reads them instead
// of recomputing. LoRA or full fine-tuning on the CPU or a GPU, in fp32 or bf16, with the optimizer,
// schedule, checkpoints, resume and metrics protocol of SFT; step and eval events add rewards/chosen,
// rewards/rejected, margin and accuracy.

#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"

namespace vietllm::train {

/// The reference cache's file name inside the output folder.
constexpr const char* kReferenceLogpsFile = "reference_logps.json";

/// Trains as `config` (method dpo) says. Throws UserError for a bad config, data (a malformed pair
/// names its file and line) or model before any compute, for a config of another method, when
/// `options.resume` finds no checkpoint, or when a fresh run would overwrite existing checkpoints.
/// The start event says whether the reference log-probabilities were "computed" or "cached".
RunResult runDpo(const TrainConfig& config, const RunOptions& options);

}  // namespace vietllm::train
