#pragma once
// Model FLOPs utilisation (MFU) of a training run, torch-free so that the trainer, the training
// benchmark and the tests share one formula. Convention (torchtitan's, docs/benchmarks.md):
//   FLOPs per real token = k * N + 12 * l * h * q * t
// N the parameters whose matmuls run per token (every weight except the input embedding; the LM
// head counts even when tied, it is a matmul), k = 6 for full fine-tuning (forward 2N, backward 4N)
// and 4 under LoRA (frozen weights get no weight gradient: forward 2N plus the input-gradient 2N),
// l layers, h heads, q head dim, t the length of the rows attention ran over (padding included,
// causal masking not discounted). The attention term has no weights, so LoRA keeps all of it.
// Recomputation under activation checkpointing is not counted (it is overhead, not model work).

#include "backend/weights/model_config.h"

#include <cstdint>
#include <string>

namespace vietllm::runs {

/// N: the parameters of `config` whose matmuls run for every token (see above).
std::int64_t matmulParameters(const weights::ModelConfig& config);

/// Model FLOPs per real token of one training step on rows `row_length` tokens long.
double trainingFlopsPerToken(const weights::ModelConfig& config, std::int64_t row_length, bool lora);

/// The dense bf16 peak FLOP/s of a GPU from its CUDA device name ("NVIDIA H100 80GB HBM3"), or 0
/// when the name is not in the table (H200 and H100 SXM 989e12, H100 PCIe 756e12, A100 312e12).
double peakBf16Flops(const std::string& device_name);

}  // namespace vietllm::runs
