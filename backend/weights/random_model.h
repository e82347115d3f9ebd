#pragma once
// Writes a random-initialised model directory in Hugging Face format (config.json +
// model.safetensors), so that tests and benchmarks never need a download.

#include "backend/weights/model_config.h"

#include <cstdint>
#include <string>

namespace vietllm::weights {

struct RandomModelOptions {
    Architecture architecture = Architecture::Invalid;
    std::string size = "tiny";  // only "tiny" (hidden 64, 2 layers, 4 heads, vocab 512) so far
    std::int64_t vocab_size = 512;
    std::uint64_t seed = 1234;
};

/// The config.json of a model of `options` (HF field names of its family).
nlohmann::json randomModelConfig(const RandomModelOptions& options);

/// Creates `out_dir` (if needed) and writes config.json and model.safetensors (float32; matrices
/// N(0, 0.15^2), norm scales 1 + N(0, 0.1^2), biases N(0, 0.1^2), deterministic for a seed). With a
/// vocabulary of at least 259, also a byte-level tokenizer.json (ids 0-2 pad, bos, eos; then the
/// 256 bytes) and tokenizer_config.json.
/// Throws UserError for an unknown size or an unwritable folder.
void writeRandomModel(const std::string& out_dir, const RandomModelOptions& options);

}  // namespace vietllm::weights
