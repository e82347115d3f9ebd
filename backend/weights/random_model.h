#pragma once
// Writes a random-initialised model directory in Hugging Face format (config.json +
// model.safetensors), so that tests and benchmarks never need a download.

#include "backend/weights/model_config.h"

#include <cstdint>
#include <string>

namespace vietllm::weights {

struct RandomModelOptions {
    Architecture architecture = Architecture::Invalid;
    /// "tiny" (hidden 64, 2 layers, 4 heads), or the shapes of real models: "0.5b" (Qwen2.5-0.5B),
    /// "1b" (Llama-3.2-1B), "8b" (Llama-3.1-8B); non-Llama families get multi-head shapes of about
    /// the same size.
    std::string size = "tiny";
    std::int64_t vocab_size = 0;  ///< 0: the size's own (tiny 512; else the imitated model's)
    std::uint64_t seed = 1234;
    std::string dtype = "fp32";  ///< "fp32" or "bf16" (the weights' safetensors dtype)
};

/// The config.json of a model of `options` (HF field names of its family).
nlohmann::json randomModelConfig(const RandomModelOptions& options);

/// Creates `out_dir` (if needed) and writes config.json and the weights, deterministic for a seed:
/// model.safetensors, or 2 GB shards with model.safetensors.index.json for large sizes. Tiny models:
/// matrices N(0, 0.15^2), norm scales 1 + N(0, 0.1^2), biases N(0, 0.1^2); larger ones: std 0.02,
/// norms 1, biases 0. With a vocabulary of at least 259, also a byte-level tokenizer.json (ids 0-2
/// pad, bos, eos; then the 256 bytes) and tokenizer_config.json.
/// Throws UserError for an unknown size or an unwritable folder.
void writeRandomModel(const std::string& out_dir, const RandomModelOptions& options);

}  // namespace vietllm::weights
