#pragma once
// The linear layers a LoRA adapter can sit on, for every family, under the Hugging Face module
// names PEFT uses (derived from tensorLayout(), so they cannot drift from the weight names): Llama's
// q_proj ... down_proj, GPT-NeoX's and BLOOM's fused query_key_value, dense, dense_h_to_4h and
// dense_4h_to_h, GPT-J's q_proj, k_proj, v_proj, out_proj, fc_in, fc_out, MPT's fused Wqkv,
// out_proj, up_proj, down_proj. Torch-free: the trainer config check and the Training panel's
// estimate use it too.

#include "backend/weights/model_config.h"
#include "backend/weights/tensor_layout.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::weights {

/// One adaptable linear layer of one block.
struct LoraSite {
    int layer = 0;
    std::string module;  ///< PEFT target name: "q_proj", "query_key_value", "Wqkv", ...
    std::string path;    ///< module path in the HF model: "gpt_neox.layers.3.attention.query_key_value"
    TensorRole role = TensorRole::Invalid;  ///< the weight's role (QkvPerHead/QkvPlain when fused)
    std::int64_t out = 0;
    std::int64_t in = 0;
};

/// Every adaptable linear layer of `config`'s model, block by block in layout order.
std::vector<LoraSite> loraSites(const ModelConfig& config);

/// The family's PEFT target names in layout order (also the default, all-linear target list).
std::vector<std::string> loraModuleNames(const ModelConfig& config);

/// `targets`, or the family's all-linear list when `targets` is empty (a config without
/// target_modules).
std::vector<std::string> resolveLoraTargets(const ModelConfig& config,
                                            const std::vector<std::string>& targets);

/// The first of `targets` the family lacks, or "" when all exist.
std::string unknownLoraTarget(const ModelConfig& config, const std::vector<std::string>& targets);

/// "q_proj, k_proj, ...": the family's names for error messages.
std::string loraModuleList(const ModelConfig& config);

/// Adapter parameters of `rank` on `targets` (empty: all) over every block: rank * (in + out) each.
std::int64_t countLoraParameters(const ModelConfig& config, std::int64_t rank,
                                 const std::vector<std::string>& targets);

}  // namespace vietllm::weights
