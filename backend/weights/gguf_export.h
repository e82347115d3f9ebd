#pragma once
// Exports a Hugging Face model folder to one GGUF file that llama.cpp loads: the architecture's
// hyper-parameters under llama.cpp's keys, the tokenizer (tokens, types, scores or merges, special
// ids, chat template) and every weight under llama.cpp's tensor names, rearranged the way its
// converter does (Llama Q/K rows interleaved for its RoPE, GPT-NeoX/BLOOM fused QKV regrouped into
// [q; k; v]). Torch-free: weights are read from the safetensors views and converted in plain C++.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace vietllm::weights {

/// What `--type` asks for. Norms and biases always stay F32 (llama.cpp needs them so).
enum class GgufExportType {
    Invalid = 0,
    F32,
    F16,
    Q8_0,  ///< every matrix whose rows are a multiple of 32 wide; others F16
    Q4_0,  ///< block matrices Q4_0, token embedding and output Q8_0 (llama.cpp keeps those finer too)
};

/// Parses "f32", "f16", "q8_0", "q4_0"; Invalid otherwise.
GgufExportType parseGgufExportType(std::string_view name);

struct GgufExportReport {
    std::string architecture;  ///< general.architecture written
    std::size_t tensors = 0;
    std::size_t vocabulary = 0;  ///< tokens written (padded to the embedding rows)
    std::uint64_t file_bytes = 0;
    std::map<std::string, std::size_t> tensors_by_type;  ///< "Q8_0" -> count
};

/// Writes MODEL_DIR (config.json, safetensors, tokenizer.json, tokenizer_config.json) as OUT_PATH
/// in `type`. `on_tensor` (optional) is told after each tensor (done, total). Throws UserError for a
/// folder without config/weights/tokenizer.json, a tokenizer with more tokens than the embedding has
/// rows, or an unwritable path; nothing is left at OUT_PATH then.
GgufExportReport exportGguf(const std::string& model_dir, const std::string& out_path, GgufExportType type,
                            const std::function<void(std::size_t, std::size_t)>& on_tensor = {});

}  // namespace vietllm::weights
