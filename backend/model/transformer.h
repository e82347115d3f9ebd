#pragma once
// The decoder-only transformer in libtorch for every supported family (Llama, Mistral, Qwen2,
// GPT-NeoX, BLOOM, GPT-J, MPT): weights from safetensors, one forward pass with an optional KV
// cache, per-row positions from a key mask so left-padded batches are exact. For training, the
// weights can become trainable float32 copies or stay frozen views with LoRA adapters on chosen
// projections, and forwardPacked() runs several examples per row without attention between them.
// Engine-internal: only backend/model, backend/sample and backend/train include this header (torch
// headers never reach Qt code).

#include "backend/weights/model_config.h"
#include "backend/weights/tensor_layout.h"

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
    /// Switches the cache to fixed-shape writes (static decoding, what a CUDA graph captures): from
    /// now on append() writes one position at the cache index held in `slot` (int64 [1], on the
    /// cache's device, changed by the caller between steps) and returns all `capacity` positions;
    /// the caller's key mask hides the ones not written yet. length() then stops meaning anything.
    void useSlot(const at::Tensor& slot) { m_slot = slot; }
    /// Empties the cache for a new sequence and returns to appending (the buffers are kept, so a
    /// CUDA graph captured on them stays valid).
    void restart() {
        m_length = 0;
        m_slot = at::Tensor();
    }
    /// A copy whose row i is row `rows[i]` (int64 [R]) of this cache, same length and capacity:
    /// several continuations (the options of one multiple-choice prompt) go on from one prefix.
    KvCache selectRows(const at::Tensor& rows) const;

private:
    KvCache() = default;

    std::vector<at::Tensor> m_keys;
    std::vector<at::Tensor> m_values;
    std::int64_t m_length = 0;
    std::int64_t m_capacity = 0;
    at::Tensor m_slot;  // defined in static mode: the cache index the next position goes to
};

/// The fixed-shape inputs and output of one static decode step (Transformer::decodeStep): the
/// caller fills them between steps; the step reads and writes them in place, so a captured CUDA
/// graph replays on the same buffers. All on the model's device.
struct StaticDecode {
    at::Tensor ids;       ///< [B, 1] int64: the token each row feeds
    at::Tensor slot;      ///< [1] int64: the cache index it goes to (what KvCache::useSlot holds)
    at::Tensor key_mask;  ///< [B, capacity] bool: cache positions holding real tokens; positions
                          ///< are its running count, as in Transformer::forward()
    at::Tensor logits;    ///< [B, vocab] float32: written by the step
};

/// A low-rank adapter on one projection: y = W x + scaling * B (A dropout(x)). Undefined `a` means
/// no adapter.
struct LoraAdapter {
    at::Tensor a;  ///< [rank, in]
    at::Tensor b;  ///< [out, rank]
    double scaling = 1.0;
    double dropout = 0.0;
};

/// One block's weights in a family-neutral form (fused QKV split at load time). Undefined tensors
/// stand for absent biases or norms. A fused QKV family's adapter stays fused (`qkv_lora`: B's rows
/// in the file's fused order) so that it is exactly PEFT's adapter on query_key_value / Wqkv.
struct LayerWeights {
    at::Tensor attention_norm_weight, attention_norm_bias;
    at::Tensor query, query_bias, key, key_bias, value, value_bias;
    at::Tensor out, out_bias;
    at::Tensor mlp_norm_weight, mlp_norm_bias;
    at::Tensor gate, gate_bias, up, up_bias, down, down_bias;
    LoraAdapter query_lora, key_lora, value_lora, out_lora, gate_lora, up_lora, down_lora;
    LoraAdapter qkv_lora;
};

/// A tensor and its name (Hugging Face, PEFT or internal, as the function returning it says).
struct NamedTensor {
    std::string name;
    at::Tensor tensor;
};

/// The LoRA adapter slot of `layer` for the weight role of a weights::LoraSite (both fused QKV
/// roles share `qkv_lora`), or nullptr for a role that carries no adapter.
LoraAdapter* loraSlot(LayerWeights& layer, weights::TensorRole role);
/// Every adapter slot of `layer` (defined or not).
std::vector<LoraAdapter*> layerAdapters(LayerWeights& layer);
/// The member of `layer` holding a tensor of `role`, or nullptr for fused and model-level roles.
at::Tensor* layerTensor(LayerWeights& layer, weights::TensorRole role);

class Transformer {
public:
    /// Loads MODEL_DIR (config.json + safetensors) with weights in `dtype` (float, bfloat16 or half),
    /// on the CPU as views of the mapped files where possible; moveTo() puts them on a GPU.
    /// Throws UserError for a bad config, a missing, misshapen or unexpected tensor.
    Transformer(const std::string& model_dir, at::ScalarType dtype);
    ~Transformer();
    Transformer(const Transformer&) = delete;
    Transformer& operator=(const Transformer&) = delete;

    const weights::ModelConfig& config() const { return m_config; }
    at::ScalarType dtype() const { return m_dtype; }

    /// Device placement is a separate step after loading (not a constructor parameter), so the
    /// trainers can make weights trainable or add adapters first and move everything at once.
    /// Copies every weight, adapter and position table to `device` (a no-op for the device they
    /// are on: on the CPU the weights stay views of the mapped files); forward passes then create
    /// all their tensors there and accept inputs from anywhere.
    void moveTo(const at::Device& device);
    /// The device the weights are on.
    at::Device device() const { return m_embedding.device(); }
    /// Model dtype on the weights' device: what a KvCache for this model is created with.
    at::TensorOptions cacheOptions() const { return at::TensorOptions().dtype(m_dtype).device(device()); }
    /// Rows of the embedding (the usable vocabulary of the weights).
    std::int64_t vocabRows() const { return m_embedding.size(0); }

    /// Logits [B, T, vocab] in float32 for `ids` [B, T] (int64). `key_mask` [B, past + T] (bool) is
    /// true at real tokens and false at padding, over cached and new positions; positions are its
    /// running count, so a left-padded row starts at position 0. With `cache`, the new keys and values
    /// are appended to it.
    at::Tensor forward(const at::Tensor& ids, const at::Tensor& key_mask, KvCache* cache) const;

    /// Logits [B, T, vocab] (float32) of packed rows without a cache: `positions` [B, T] restart at
    /// 0 for each example and `documents` [B, T] number the examples of a row (0 = padding); a
    /// position attends only to earlier positions of its own document, so each example's logits
    /// are the ones it would get alone.
    at::Tensor forwardPacked(const at::Tensor& ids, const at::Tensor& positions,
                             const at::Tensor& documents) const;

    /// One decode step with shapes that never change from token to token (what a CUDA graph can
    /// capture): marks `state.slot` real in `state.key_mask`, writes the new keys and values there in
    /// `cache` (which must be in static mode on state.slot, after a prefill through forward()),
    /// attends over all cache positions the mask allows and writes the logits into `state.logits`.
    /// Gives the same logits as forward() with the same tokens, positions and mask.
    void decodeStep(StaticDecode& state, KvCache& cache) const;

    /// Final-norm hidden states [B, T, hidden] (model dtype) of `ids` without a cache, masked and
    /// positioned like forward(): what a sequence-classification head reads.
    at::Tensor hiddenStates(const at::Tensor& ids, const at::Tensor& key_mask) const;
    /// Final-norm hidden states [B, T, hidden] of packed rows, masked like forwardPacked().
    at::Tensor hiddenStatesPacked(const at::Tensor& ids, const at::Tensor& positions,
                                  const at::Tensor& documents) const;
    /// The score head [labels, hidden] of a sequence classifier (loaded from `score.weight`, whose
    /// presence makes the LM head optional), undefined for a language model.
    const at::Tensor& scoreHead() const { return m_score; }
    /// Scores [..., labels] (float32) of hidden states from hiddenStates(). Throws UserError without a
    /// score head.
    at::Tensor scores(const at::Tensor& hidden) const;
    /// Turns the model into a one-label sequence classifier (a reward model): a trainable float32
    /// score head [1, hidden] drawn from N(0, 0.02) with `generator` (transformers' default init), and
    /// no LM head (forward() then throws).
    void addScoreHead(at::Generator& generator);

    /// Full fine-tuning: every weight becomes an owned float32 copy that requires grad (a tied LM
    /// head stays one tensor with the embedding).
    void makeWeightsTrainable();
    /// Adds LoRA adapters on `modules` (the family's PEFT names; empty: all its linear layers) of
    /// every layer (A Kaiming-uniform from `generator`, B zero, scaling alpha / rank); the base
    /// weights stay frozen views. Throws UserError naming a module the family does not have.
    void addLora(const std::vector<std::string>& modules, std::int64_t rank, double alpha, double dropout,
                 at::Generator& generator);
    /// Folds every adapter into its weight (W + scaling B A, in owned float32) and drops the adapters.
    void mergeLora();
    /// The tensors training updates: LoRA A/B under PEFT's names when adapters exist, otherwise every
    /// weight under an internal name ("embedding", "layers.3.query", ...); a trainable score head
    /// ("score") in both cases.
    std::vector<NamedTensor> trainableParameters() const;
    /// Every weight under its Hugging Face name and shape (fused QKV fused again), for writing a
    /// model folder; a tied LM head is left out, a score head is "score.weight".
    std::vector<NamedTensor> namedWeights() const;
    /// Number of weight elements (a tied head counted once), adapters excluded.
    std::int64_t parameterCount() const;
    /// While set, LoRA dropout is active and draws from `generator`; nullptr (the default) turns
    /// it off, for evaluation and inference.
    void setDropoutGenerator(at::Generator* generator) { m_dropout_generator = generator; }
    /// The blocks' weights and adapters (PEFT files are read into the adapters through this).
    std::vector<LayerWeights>& layers() { return m_layers; }
    /// While set, a forward with grad enabled and no cache keeps only each block's input and
    /// recomputes the block in backward (activation checkpointing: less memory, one more forward).
    void setGradientCheckpointing(bool on) { m_checkpointing = on; }
    bool gradientCheckpointing() const { return m_checkpointing; }

private:
    at::Tensor attentionBias(at::Tensor allowed, const at::Tensor& distance) const;
    at::Tensor runMasked(const at::Tensor& ids, const at::Tensor& key_mask, KvCache* cache) const;
    at::Tensor runPacked(const at::Tensor& ids, const at::Tensor& positions,
                         const at::Tensor& documents) const;
    /// Final-norm hidden states.
    at::Tensor run(const at::Tensor& ids, const at::Tensor& query_positions, const at::Tensor& bias,
                   KvCache* cache) const;
    at::Tensor logitsFrom(const at::Tensor& hidden) const;
    /// One decoder block: the residual stream after block `index`.
    at::Tensor block(std::size_t index, const at::Tensor& hidden, const at::Tensor& rope_cos,
                     const at::Tensor& rope_sin, const at::Tensor& bias, KvCache* cache) const;
    /// block() without saving its activations, recomputed in backward (checkpoint.cpp).
    at::Tensor checkpointedBlock(std::size_t index, const at::Tensor& hidden, const at::Tensor& rope_cos,
                                 const at::Tensor& rope_sin, const at::Tensor& bias) const;
    at::Tensor project(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                       const LoraAdapter& lora) const;
    /// scaling * B (A dropout(x)) of an adapter.
    at::Tensor loraDelta(const at::Tensor& x, const LoraAdapter& lora) const;
    /// Adds a fused QKV adapter's update to the split q, k, v projections of `x`.
    void addFusedQkvLora(const LayerWeights& layer, const at::Tensor& x, at::Tensor& q, at::Tensor& k,
                         at::Tensor& v) const;
    /// Every defined weight member under its internal name, tied head excluded.
    std::vector<std::pair<std::string, at::Tensor*>> weightSlots();
    std::vector<std::pair<std::string, const at::Tensor*>> weightSlots() const;
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
    at::Tensor m_score;  // [labels, hidden]: sequence classifiers only
    std::vector<LayerWeights> m_layers;
    at::Tensor m_inv_freq;      // [rotary_dims / 2] float32, RoPE families
    at::Tensor m_alibi_slopes;  // [heads] float32, ALiBi families
    at::Generator* m_dropout_generator = nullptr;
    bool m_checkpointing = false;
};

}  // namespace vietllm::model
