#pragma once
// The Hugging Face tensor names and shapes of each supported architecture, in one place: the
// engine's loader maps them to its weights by role, and `model init` writes exactly these, so the
// two can never disagree.

#include "backend/weights/model_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::weights {

/// What a tensor is for. Fused QKV comes in two layouts: per head [heads, 3, head_dim] rows
/// (GPT-NeoX, BLOOM) or plain [q; k; v] rows (MPT).
enum class TensorRole {
    Invalid = 0,
    Embedding,
    EmbeddingNormWeight,
    EmbeddingNormBias,
    AttentionNormWeight,
    AttentionNormBias,
    Query,
    QueryBias,
    Key,
    KeyBias,
    Value,
    ValueBias,
    QkvPerHead,
    QkvPerHeadBias,
    QkvPlain,
    QkvPlainBias,
    AttentionOut,
    AttentionOutBias,
    MlpNormWeight,
    MlpNormBias,
    Gate,
    GateBias,
    Up,
    UpBias,
    Down,
    DownBias,
    FinalNormWeight,
    FinalNormBias,
    LmHead,
    LmHeadBias,
};

struct TensorSpec {
    std::string name;
    std::vector<std::int64_t> shape;
    TensorRole role = TensorRole::Invalid;
    int layer = -1;         // block index, -1 for model-level tensors
    bool optional = false;  // may be absent (a tied LM head)
};

/// Every tensor a model of `config` has in HF naming, model-level first, then block by block.
std::vector<TensorSpec> tensorLayout(const ModelConfig& config);

class WeightSet;

/// Adjusts `config` to sizes only the weights tell reliably. MPT: transformers' MptForCausalLM
/// ignores expansion_ratio (its MLP is always 4 x d_model) while llm-foundry's remote code uses it,
/// so the MLP width is read from the first block's up_proj.
void reconcileWithWeights(ModelConfig& config, const WeightSet& weights);

/// True for roles initialised to 1 (norm scales), as opposed to biases (0) and matrices (random).
bool isNormScale(TensorRole role);
/// True for bias roles.
bool isBias(TensorRole role);

}  // namespace vietllm::weights
