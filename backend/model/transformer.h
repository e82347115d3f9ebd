#pragma once
// The decoder-only transformer in libtorch for every supported family (Llama, Mistral, Qwen2,
// GPT-NeoX, BLOOM, GPT-J, MPT): weights from safetensors, one forward pass with an optional KV
// cache, per-row positions from a key mask so left-padded batches are exact. Engine-internal: only
// backend/model and backend/sample include this header (torch headers never reach Qt code).

#include "backend/weights/model_config.h"

#include <ATen/ATen.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vietllm::weights {
class WeightSet;
}

namespace vietllm::model {

/// Keys and values of past positions, preallocated for `capacity` positions of every layer.
class KvCache {
public:
    /// An empty cache for `batch` rows of a model with `config`, holding up to `capacity` positions.
    KvCache(const weights::ModelConfig& config, std::int64_t batch, std::int64_t capacity,
            const at::TensorOptions& options);

    /// Positions already cached.
    std::int64_t length() const { return m_length; }
    std::int64_t capacity() const { return m_capacity; }
    /// Stores `keys`/`values` [B, kv_heads, T, D] of `layer` after the cached ones and returns all of
    /// them [B, kv_heads, length + T, D].
    std::pair<at::Tensor, at::Tensor> append(std::size_t layer, const at::Tensor& keys,
                                             const at::Tensor& values);
    /// Marks `tokens` more positions as cached (after every layer appended them).
    void advance(std::int64_t tokens) { m_length += tokens; }

private:
    std::vector<at::Tensor> m_keys;
    std::vector<at::Tensor> m_values;
    std::int64_t m_length = 0;
    std::int64_t m_capacity = 0;
};

/// One block's weights in a family-neutral form (fused QKV split at load time). Undefined tensors
/// stand for absent biases or norms.
struct LayerWeights {
    at::Tensor attention_norm_weight, attention_norm_bias;
    at::Tensor query, query_bias, key, key_bias, value, value_bias;
    at::Tensor out, out_bias;
    at::Tensor mlp_norm_weight, mlp_norm_bias;
    at::Tensor gate, gate_bias, up, up_bias, down, down_bias;
};

class Transformer {
public:
    /// Loads MODEL_DIR (config.json + safetensors) with weights in `dtype` (float, bfloat16 or half).
    /// Throws UserError for a bad config, a missing, misshapen or unexpected tensor.
    Transformer(const std::string& model_dir, at::ScalarType dtype);
    ~Transformer();
    Transformer(const Transformer&) = delete;
    Transformer& operator=(const Transformer&) = delete;

    const weights::ModelConfig& config() const { return m_config; }
    at::ScalarType dtype() const { return m_dtype; }
    /// Rows of the embedding (the usable vocabulary of the weights).
    std::int64_t vocabRows() const { return m_embedding.size(0); }

    /// Logits [B, T, vocab] in float32 for `ids` [B, T] (int64). `key_mask` [B, past + T] (bool) is
    /// true at real tokens and false at padding, over cached and new positions; positions are its
    /// running count, so a left-padded row starts at position 0. With `cache`, the new keys and values
    /// are appended to it.
    at::Tensor forward(const at::Tensor& ids, const at::Tensor& key_mask, KvCache* cache) const;

private:
    at::Tensor attention(const LayerWeights& layer, std::size_t index, const at::Tensor& x,
                         const at::Tensor& rope_cos, const at::Tensor& rope_sin, const at::Tensor& bias,
                         KvCache* cache) const;
    at::Tensor mlp(const LayerWeights& layer, const at::Tensor& x) const;
    at::Tensor norm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) const;
    at::Tensor applyRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) const;

    weights::ModelConfig m_config;
    at::ScalarType m_dtype;
    std::shared_ptr<weights::WeightSet> m_mapped;  // keeps zero-copy weight views valid
    at::Tensor m_embedding, m_embedding_norm_weight, m_embedding_norm_bias;
    at::Tensor m_final_norm_weight, m_final_norm_bias, m_lm_head, m_lm_head_bias;
    std::vector<LayerWeights> m_layers;
    at::Tensor m_inv_freq;      // [rotary_dims / 2] float32, RoPE families
    at::Tensor m_alibi_slopes;  // [heads] float32, ALiBi families
};

}  // namespace vietllm::model
