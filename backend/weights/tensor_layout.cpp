#include "backend/weights/tensor_layout.h"

#include "backend/weights/safetensors.h"

namespace vietllm::weights {
namespace {

// Names of one family: model-level tensors and the per-block prefix and suffixes.
struct FamilyNames {
    const char* embedding;
    const char* embedding_norm;  // nullptr when absent
    const char* final_norm;
    const char* lm_head;
    const char* block_prefix;  // "model.layers." then the block index
    const char* attention_norm;
    const char* mlp_norm;  // nullptr for GPT-J's single norm
    const char* query;
    const char* key;
    const char* value;
    const char* qkv;  // fused QKV, nullptr when separate
    const char* attention_out;
    const char* gate;  // nullptr without SwiGLU
    const char* up;
    const char* down;
};

FamilyNames familyNames(Architecture architecture) {
    switch (architecture) {
        case Architecture::Llama:
        case Architecture::Mistral:
        case Architecture::Qwen2:
            return {"model.embed_tokens",
                    nullptr,
                    "model.norm",
                    "lm_head",
                    "model.layers.",
                    "input_layernorm",
                    "post_attention_layernorm",
                    "self_attn.q_proj",
                    "self_attn.k_proj",
                    "self_attn.v_proj",
                    nullptr,
                    "self_attn.o_proj",
                    "mlp.gate_proj",
                    "mlp.up_proj",
                    "mlp.down_proj"};
        case Architecture::GptNeoX:
            return {"gpt_neox.embed_in",
                    nullptr,
                    "gpt_neox.final_layer_norm",
                    "embed_out",
                    "gpt_neox.layers.",
                    "input_layernorm",
                    "post_attention_layernorm",
                    nullptr,
                    nullptr,
                    nullptr,
                    "attention.query_key_value",
                    "attention.dense",
                    nullptr,
                    "mlp.dense_h_to_4h",
                    "mlp.dense_4h_to_h"};
        case Architecture::Bloom:
            return {"transformer.word_embeddings",
                    "transformer.word_embeddings_layernorm",
                    "transformer.ln_f",
                    "lm_head",
                    "transformer.h.",
                    "input_layernorm",
                    "post_attention_layernorm",
                    nullptr,
                    nullptr,
                    nullptr,
                    "self_attention.query_key_value",
                    "self_attention.dense",
                    nullptr,
                    "mlp.dense_h_to_4h",
                    "mlp.dense_4h_to_h"};
        case Architecture::GptJ:
            return {"transformer.wte", nullptr,          "transformer.ln_f",
                    "lm_head",         "transformer.h.", "ln_1",
                    nullptr,           "attn.q_proj",    "attn.k_proj",
                    "attn.v_proj",     nullptr,          "attn.out_proj",
                    nullptr,           "mlp.fc_in",      "mlp.fc_out"};
        case Architecture::Mpt:
            return {"transformer.wte",
                    nullptr,
                    "transformer.norm_f",
                    "lm_head",
                    "transformer.blocks.",
                    "norm_1",
                    "norm_2",
                    nullptr,
                    nullptr,
                    nullptr,
                    "attn.Wqkv",
                    "attn.out_proj",
                    nullptr,
                    "ffn.up_proj",
                    "ffn.down_proj"};
        case Architecture::Invalid:
            break;
    }
    return {};
}

class LayoutBuilder {
public:
    explicit LayoutBuilder(std::vector<TensorSpec>& specs) : m_specs(specs) {}

    void add(const std::string& name, std::vector<std::int64_t> shape, TensorRole role, int layer = -1,
             bool optional = false) {
        m_specs.push_back({name, std::move(shape), role, layer, optional});
    }

    // A linear layer's weight [out, in] and, when `bias`, its bias [out].
    void linear(const std::string& name, std::int64_t out, std::int64_t in, TensorRole weight_role,
                TensorRole bias_role, bool bias, int layer) {
        add(name + ".weight", {out, in}, weight_role, layer);
        if (bias) {
            add(name + ".bias", {out}, bias_role, layer);
        }
    }

    void norm(const std::string& name, std::int64_t size, TensorRole weight_role, TensorRole bias_role,
              bool bias, int layer) {
        add(name + ".weight", {size}, weight_role, layer);
        if (bias) {
            add(name + ".bias", {size}, bias_role, layer);
        }
    }

private:
    std::vector<TensorSpec>& m_specs;
};

}  // namespace

std::vector<TensorSpec> tensorLayout(const ModelConfig& config) {
    const FamilyNames names = familyNames(config.architecture);
    std::vector<TensorSpec> specs;
    if (names.embedding == nullptr) {
        return specs;
    }
    LayoutBuilder builder(specs);
    const std::int64_t hidden = config.hidden_size;
    const std::int64_t q_size = config.num_heads * config.head_dim;
    const std::int64_t kv_size = config.num_kv_heads * config.head_dim;
    builder.add(std::string(names.embedding) + ".weight", {config.vocab_size, hidden}, TensorRole::Embedding);
    if (names.embedding_norm != nullptr) {
        builder.norm(names.embedding_norm, hidden, TensorRole::EmbeddingNormWeight,
                     TensorRole::EmbeddingNormBias, config.norm_bias, -1);
    }
    builder.norm(names.final_norm, hidden, TensorRole::FinalNormWeight, TensorRole::FinalNormBias,
                 config.norm_bias, -1);
    builder.add(std::string(names.lm_head) + ".weight", {config.vocab_size, hidden}, TensorRole::LmHead, -1,
                config.tie_word_embeddings);
    if (config.lm_head_bias) {
        builder.add(std::string(names.lm_head) + ".bias", {config.vocab_size}, TensorRole::LmHeadBias);
    }
    for (int layer = 0; layer < static_cast<int>(config.num_layers); ++layer) {
        const std::string prefix = names.block_prefix + std::to_string(layer) + ".";
        builder.norm(prefix + names.attention_norm, hidden, TensorRole::AttentionNormWeight,
                     TensorRole::AttentionNormBias, config.norm_bias, layer);
        if (names.qkv != nullptr) {
            const bool per_head = config.architecture != Architecture::Mpt;
            builder.linear(prefix + names.qkv, q_size + 2 * kv_size, hidden,
                           per_head ? TensorRole::QkvPerHead : TensorRole::QkvPlain,
                           per_head ? TensorRole::QkvPerHeadBias : TensorRole::QkvPlainBias, config.qkv_bias,
                           layer);
        } else {
            builder.linear(prefix + names.query, q_size, hidden, TensorRole::Query, TensorRole::QueryBias,
                           config.qkv_bias, layer);
            builder.linear(prefix + names.key, kv_size, hidden, TensorRole::Key, TensorRole::KeyBias,
                           config.qkv_bias, layer);
            builder.linear(prefix + names.value, kv_size, hidden, TensorRole::Value, TensorRole::ValueBias,
                           config.qkv_bias, layer);
        }
        builder.linear(prefix + names.attention_out, hidden, q_size, TensorRole::AttentionOut,
                       TensorRole::AttentionOutBias, config.attention_out_bias, layer);
        if (names.mlp_norm != nullptr) {
            builder.norm(prefix + names.mlp_norm, hidden, TensorRole::MlpNormWeight, TensorRole::MlpNormBias,
                         config.norm_bias, layer);
        }
        if (names.gate != nullptr) {
            builder.linear(prefix + names.gate, config.intermediate_size, hidden, TensorRole::Gate,
                           TensorRole::GateBias, config.mlp_bias, layer);
        }
        builder.linear(prefix + names.up, config.intermediate_size, hidden, TensorRole::Up,
                       TensorRole::UpBias, config.mlp_bias, layer);
        builder.linear(prefix + names.down, hidden, config.intermediate_size, TensorRole::Down,
                       TensorRole::DownBias, config.mlp_bias, layer);
    }
    return specs;
}

void reconcileWithWeights(ModelConfig& config, const WeightSet& weights) {
    if (config.architecture != Architecture::Mpt) {
        return;
    }
    const TensorView* up = weights.find("transformer.blocks.0.ffn.up_proj.weight");
    if (up != nullptr && up->shape.size() == 2 && up->shape[0] > 0) {
        config.intermediate_size = up->shape[0];
    }
}

bool isNormScale(TensorRole role) {
    return role == TensorRole::EmbeddingNormWeight || role == TensorRole::AttentionNormWeight ||
           role == TensorRole::MlpNormWeight || role == TensorRole::FinalNormWeight;
}

bool isBias(TensorRole role) {
    switch (role) {
        case TensorRole::EmbeddingNormBias:
        case TensorRole::AttentionNormBias:
        case TensorRole::QueryBias:
        case TensorRole::KeyBias:
        case TensorRole::ValueBias:
        case TensorRole::QkvPerHeadBias:
        case TensorRole::QkvPlainBias:
        case TensorRole::AttentionOutBias:
        case TensorRole::MlpNormBias:
        case TensorRole::GateBias:
        case TensorRole::UpBias:
        case TensorRole::DownBias:
        case TensorRole::FinalNormBias:
        case TensorRole::LmHeadBias:
            return true;
        default:
            return false;
    }
}

}  // namespace vietllm::weights
