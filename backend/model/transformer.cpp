#include "backend/model/transformer.h"

#include "backend/common/errors.h"
#include "backend/weights/safetensors.h"
#include "backend/weights/tensor_layout.h"

#include <torch/version.h>

#include <cmath>
#include <limits>
#include <set>

namespace vietllm::model {
namespace {

using weights::Architecture;
using weights::DType;
using weights::ModelConfig;
using weights::TensorRole;

// Buffers some checkpoints carry that are not weights (causal masks, cached RoPE tables).
bool isKnownBuffer(const std::string& name) {
    const auto ends_with = [&](const std::string& suffix) {
        return name.size() >= suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends_with(".attention.bias") || ends_with(".attention.masked_bias") || ends_with(".attn.bias") ||
           ends_with(".attn.masked_bias") || ends_with("rotary_emb.inv_freq");
}

at::ScalarType torchType(DType dtype, const std::string& name, const std::string& directory) {
    switch (dtype) {
        case DType::F32:
            return at::kFloat;
        case DType::F16:
            return at::kHalf;
        case DType::BF16:
            return at::kBFloat16;
        default:
            throw UserError(directory + ": tensor '" + name + "' has dtype " + weights::dtypeName(dtype) +
                            "; weights must be F32, F16 or BF16");
    }
}

// A tensor over the mapped bytes in `dtype`: zero-copy when the file already holds that type and
// the data is aligned, otherwise converted into owned memory.
at::Tensor viewOrConvert(const weights::TensorView& view, at::ScalarType dtype,
                         const std::string& directory) {
    const at::ScalarType source = torchType(view.dtype, view.name, directory);
    // The mapping is read-only and inference never writes weights, so dropping const is safe here.
    void* data = const_cast<std::uint8_t*>(view.data);
    const bool aligned = reinterpret_cast<std::uintptr_t>(data) % weights::dtypeSize(view.dtype) == 0;
    const at::Tensor mapped = at::from_blob(data, view.shape, at::TensorOptions().dtype(source));
    if (source == dtype && aligned) {
        return mapped;
    }
    return aligned ? mapped.to(dtype) : mapped.clone().to(dtype);
}

// The inverse RoPE frequencies, as transformers computes them in float32, with linear or Llama-3
// scaling applied.
at::Tensor ropeInverseFrequencies(const ModelConfig& config) {
    const auto float_options = at::TensorOptions().dtype(at::kFloat);
    const at::Tensor exponents =
        at::arange(0, config.rotary_dims, 2, at::TensorOptions().dtype(at::kLong)).to(at::kFloat) /
        static_cast<double>(config.rotary_dims);
    at::Tensor inv_freq = 1.0 / at::pow(at::scalar_tensor(config.rope_theta, float_options), exponents);
    const weights::RopeScaling& scaling = config.rope_scaling;
    if (scaling.kind == weights::RopeScalingKind::Linear) {
        return inv_freq / scaling.factor;
    }
    if (scaling.kind != weights::RopeScalingKind::Llama3) {
        return inv_freq;
    }
    const double old_context = static_cast<double>(scaling.original_max_positions);
    const double low_freq_wavelen = old_context / scaling.low_freq_factor;
    const double high_freq_wavelen = old_context / scaling.high_freq_factor;
    const at::Tensor wavelen = 2.0 * M_PI / inv_freq;
    at::Tensor scaled = at::where(wavelen > low_freq_wavelen, inv_freq / scaling.factor, inv_freq);
    const at::Tensor smooth = (old_context / wavelen - scaling.low_freq_factor) /
                              (scaling.high_freq_factor - scaling.low_freq_factor);
    const at::Tensor smoothed = (1.0 - smooth) * scaled / scaling.factor + smooth * scaled;
    const at::Tensor medium = (wavelen >= high_freq_wavelen).logical_and(wavelen <= low_freq_wavelen);
    return at::where(medium, smoothed, scaled);
}

// The member of `layer` holding a tensor of `role`, or nullptr for fused and model-level roles
// (const or not, as `layer` is).
template <typename Layer>
auto roleSlot(Layer& layer, TensorRole role) -> decltype(&layer.query) {
    switch (role) {
        case TensorRole::AttentionNormWeight:
            return &layer.attention_norm_weight;
        case TensorRole::AttentionNormBias:
            return &layer.attention_norm_bias;
        case TensorRole::Query:
            return &layer.query;
        case TensorRole::QueryBias:
            return &layer.query_bias;
        case TensorRole::Key:
            return &layer.key;
        case TensorRole::KeyBias:
            return &layer.key_bias;
        case TensorRole::Value:
            return &layer.value;
        case TensorRole::ValueBias:
            return &layer.value_bias;
        case TensorRole::AttentionOut:
            return &layer.out;
        case TensorRole::AttentionOutBias:
            return &layer.out_bias;
        case TensorRole::MlpNormWeight:
            return &layer.mlp_norm_weight;
        case TensorRole::MlpNormBias:
            return &layer.mlp_norm_bias;
        case TensorRole::Gate:
            return &layer.gate;
        case TensorRole::GateBias:
            return &layer.gate_bias;
        case TensorRole::Up:
            return &layer.up;
        case TensorRole::UpBias:
            return &layer.up_bias;
        case TensorRole::Down:
            return &layer.down;
        case TensorRole::DownBias:
            return &layer.down_bias;
        default:
            return nullptr;
    }
}

void assignRole(LayerWeights& layer, TensorRole role, const at::Tensor& tensor) {
    if (at::Tensor* slot = roleSlot(layer, role)) {
        *slot = tensor;
    }
}

// The names weightSlots() gives each block member (stable: checkpoints store them).
template <typename Layer>
std::vector<std::pair<std::string, decltype(&std::declval<Layer&>().query)>> layerSlots(Layer& layer) {
    return {{"attention_norm_weight", &layer.attention_norm_weight},
            {"attention_norm_bias", &layer.attention_norm_bias},
            {"query", &layer.query},
            {"query_bias", &layer.query_bias},
            {"key", &layer.key},
            {"key_bias", &layer.key_bias},
            {"value", &layer.value},
            {"value_bias", &layer.value_bias},
            {"out", &layer.out},
            {"out_bias", &layer.out_bias},
            {"mlp_norm_weight", &layer.mlp_norm_weight},
            {"mlp_norm_bias", &layer.mlp_norm_bias},
            {"gate", &layer.gate},
            {"gate_bias", &layer.gate_bias},
            {"up", &layer.up},
            {"up_bias", &layer.up_bias},
            {"down", &layer.down},
            {"down_bias", &layer.down_bias}};
}

// Fuses q, k, v again in the file layout splitQkv() read: per head [heads, 3, head_dim, ...]
// rows, or plain [q; k; v].
at::Tensor fuseQkv(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, bool per_head,
                   const ModelConfig& config) {
    if (!per_head) {
        return at::cat({q, k, v}, 0);
    }
    const auto grouped = [&](const at::Tensor& part) {
        return q.dim() == 1 ? part.view({config.num_heads, config.head_dim})
                            : part.view({config.num_heads, config.head_dim, config.hidden_size});
    };
    const at::Tensor stacked = at::stack({grouped(q), grouped(k), grouped(v)}, 1);
    return q.dim() == 1 ? stacked.reshape({-1}) : stacked.reshape({-1, config.hidden_size});
}

// Splits a fused QKV weight (rows) or bias into q, k, v. Per-head layout: rows grouped as
// [heads, 3, head_dim] (GPT-NeoX, BLOOM); plain layout: [q; k; v] (MPT).
void splitQkv(LayerWeights& layer, const at::Tensor& fused, bool per_head, bool bias,
              const ModelConfig& config) {
    at::Tensor q, k, v;
    if (per_head) {
        std::vector<std::int64_t> shape = {config.num_heads, 3, config.head_dim};
        if (!bias) {
            shape.push_back(config.hidden_size);
        }
        const at::Tensor grouped = fused.reshape(shape);
        const std::int64_t rows = config.num_heads * config.head_dim;
        const auto part = [&](std::int64_t index) {
            return bias ? grouped.select(1, index).reshape({rows}).contiguous()
                        : grouped.select(1, index).reshape({rows, config.hidden_size}).contiguous();
        };
        q = part(0);
        k = part(1);
        v = part(2);
    } else {
        const std::int64_t q_rows = config.num_heads * config.head_dim;
        const std::int64_t kv_rows = config.num_kv_heads * config.head_dim;
        q = fused.narrow(0, 0, q_rows).contiguous();
        k = fused.narrow(0, q_rows, kv_rows).contiguous();
        v = fused.narrow(0, q_rows + kv_rows, kv_rows).contiguous();
    }
    if (bias) {
        layer.query_bias = q;
        layer.key_bias = k;
        layer.value_bias = v;
    } else {
        layer.query = q;
        layer.key = k;
        layer.value = v;
    }
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        text += (i == 0 ? "" : ", ") + std::to_string(shape[i]);
    }
    return text + "]";
}

// Softmax attention of q [B, H, T, D] over k, v [B, H, S, D] with an additive float32 `bias`
// broadcastable to [B, H, T, S]. Libtorch 2.x runs the fused kernel (flash or memory-efficient on a
// GPU) where `fused` allows it; otherwise, and on libtorch 1.13, scores and softmax are float32 for
// every dtype.
at::Tensor scaledDotProduct(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            const at::Tensor& bias, bool fused) {
#if TORCH_VERSION_MAJOR >= 2
    if (fused) {
        // The bias in the model dtype, floored: float32's lowest rounds to -inf in bf16 (fp16 cannot
        // hold it at all) and a kernel that rescales scores may overflow it, which turns fully masked
        // padding rows into NaN; a large finite floor keeps them uniform, as on the math path.
        const double floor = q.scalar_type() == at::kHalf ? -3.0e4 : -1.0e37;
        const at::Tensor mask = bias.clamp_min(floor).to(q.scalar_type());
        return at::scaled_dot_product_attention(q, k, v, mask, 0.0, false);
    }
#else
    (void)fused;
#endif
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    const at::Tensor scores = at::matmul(q.to(at::kFloat), k.to(at::kFloat).transpose(-1, -2)) * scale + bias;
    return at::matmul(at::softmax(scores, -1).to(v.scalar_type()), v);
}

// Attention with grouped kv heads: q [B, H, T, D], k and v [B, KV, S, D], bias [B, 1 or H, T, S].
// Returns [B, H, T, D]. One new token (decoding) folds the query heads that share a kv head into
// that head's query rows, so the cache is read once instead of copied per head; longer inputs
// expand the kv heads (what repeat_interleave gives, without its host synchronisation).
at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& bias,
                  bool fused) {
    const std::int64_t batch = q.size(0), heads = q.size(1), tokens = q.size(2), head_dim = q.size(3);
    const std::int64_t kv_heads = k.size(1), keys = k.size(2);
    const std::int64_t groups = heads / kv_heads;
    if (groups == 1) {
        return scaledDotProduct(q, k, v, bias, fused);
    }
    if (tokens == 1) {
        const at::Tensor folded_bias =
            bias.size(1) == 1 ? bias : bias.reshape({batch, kv_heads, groups, keys});
        return scaledDotProduct(q.reshape({batch, kv_heads, groups, head_dim}), k, v, folded_bias, fused)
            .reshape({batch, heads, 1, head_dim});
    }
    const auto expanded = [&](const at::Tensor& x) {
        return x.unsqueeze(2)
            .expand({batch, kv_heads, groups, keys, head_dim})
            .reshape({batch, heads, keys, head_dim});
    };
    return scaledDotProduct(q, expanded(k), expanded(v), bias, fused);
}

at::Tensor rotateHalf(const at::Tensor& x) {
    const std::int64_t half = x.size(-1) / 2;
    return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

at::Tensor rotateEveryTwo(const at::Tensor& x) {
    const at::Tensor even = x.slice(-1, 0, x.size(-1), 2);
    const at::Tensor odd = x.slice(-1, 1, x.size(-1), 2);
    return at::stack({-odd, even}, -1).flatten(-2);
}

}  // namespace

KvCache::KvCache(const ModelConfig& config, std::int64_t batch, std::int64_t capacity,
                 const at::TensorOptions& options)
    : m_capacity(capacity) {
    for (std::int64_t layer = 0; layer < config.num_layers; ++layer) {
        m_keys.push_back(at::zeros({batch, config.num_kv_heads, capacity, config.head_dim}, options));
        m_values.push_back(at::zeros({batch, config.num_kv_heads, capacity, config.head_dim}, options));
    }
}

std::pair<at::Tensor, at::Tensor> KvCache::append(std::size_t layer, const at::Tensor& keys,
                                                  const at::Tensor& values) {
    const std::int64_t tokens = keys.size(2);
    if (!m_slot.defined() && m_length + tokens > m_capacity) {
        throw UserError("the KV cache holds " + std::to_string(m_capacity) + " positions; " +
                        std::to_string(m_length + tokens) + " requested");
    }
    if (m_slot.defined()) {
        m_keys[layer].index_copy_(2, m_slot, keys);
        m_values[layer].index_copy_(2, m_slot, values);
        return {m_keys[layer], m_values[layer]};
    }
    m_keys[layer].narrow(2, m_length, tokens).copy_(keys);
    m_values[layer].narrow(2, m_length, tokens).copy_(values);
    return {m_keys[layer].narrow(2, 0, m_length + tokens), m_values[layer].narrow(2, 0, m_length + tokens)};
}

KvCache KvCache::selectRows(const at::Tensor& rows) const {
    KvCache selected;
    for (std::size_t layer = 0; layer < m_keys.size(); ++layer) {
        selected.m_keys.push_back(m_keys[layer].index_select(0, rows));
        selected.m_values.push_back(m_values[layer].index_select(0, rows));
    }
    selected.m_length = m_length;
    selected.m_capacity = m_capacity;
    return selected;
}

Transformer::Transformer(const std::string& model_dir, at::ScalarType dtype)
    : m_config(weights::loadModelConfig(model_dir)),
      m_dtype(dtype),
      m_mapped(std::make_shared<weights::WeightSet>(model_dir)) {
    weights::reconcileWithWeights(m_config, *m_mapped);
    const std::vector<weights::TensorSpec> specs = weights::tensorLayout(m_config);
    m_layers.resize(static_cast<std::size_t>(m_config.num_layers));
    std::set<std::string> consumed;
    // A sequence classifier (what `train rm` writes) has `score.weight` instead of an LM head.
    const bool classifier = m_mapped->find("score.weight") != nullptr;
    for (const weights::TensorSpec& spec : specs) {
        const weights::TensorView* view = m_mapped->find(spec.name);
        std::string stored_name = spec.name;
        const std::string prefix = "transformer.";
        if (view == nullptr && spec.name.compare(0, prefix.size(), prefix) == 0) {
            stored_name = spec.name.substr(prefix.size());
            view = m_mapped->find(stored_name);
        }
        if (view == nullptr) {
            if (spec.optional ||
                (classifier && (spec.role == TensorRole::LmHead || spec.role == TensorRole::LmHeadBias))) {
                continue;
            }
            throw UserError(model_dir + ": weights lack tensor '" + spec.name + "' required by " +
                            m_config.model_type + " config.json");
        }
        if (view->shape != spec.shape) {
            throw UserError(model_dir + ": tensor '" + spec.name + "' has shape " + shapeText(view->shape) +
                            " but config.json implies " + shapeText(spec.shape));
        }
        consumed.insert(stored_name);
        const at::Tensor tensor = viewOrConvert(*view, dtype, model_dir);
        if (spec.layer < 0) {
            switch (spec.role) {
                case TensorRole::Embedding:
                    m_embedding = tensor;
                    break;
                case TensorRole::EmbeddingNormWeight:
                    m_embedding_norm_weight = tensor;
                    break;
                case TensorRole::EmbeddingNormBias:
                    m_embedding_norm_bias = tensor;
                    break;
                case TensorRole::FinalNormWeight:
                    m_final_norm_weight = tensor;
                    break;
                case TensorRole::FinalNormBias:
                    m_final_norm_bias = tensor;
                    break;
                case TensorRole::LmHead:
                    m_lm_head = tensor;
                    break;
                case TensorRole::LmHeadBias:
                    m_lm_head_bias = tensor;
                    break;
                default:
                    break;
            }
            continue;
        }
        LayerWeights& layer = m_layers[static_cast<std::size_t>(spec.layer)];
        if (spec.role == TensorRole::QkvPerHead || spec.role == TensorRole::QkvPlain) {
            splitQkv(layer, tensor, spec.role == TensorRole::QkvPerHead, false, m_config);
        } else if (spec.role == TensorRole::QkvPerHeadBias || spec.role == TensorRole::QkvPlainBias) {
            splitQkv(layer, tensor, spec.role == TensorRole::QkvPerHeadBias, true, m_config);
        } else {
            assignRole(layer, spec.role, tensor);
        }
    }
    for (const std::string& name : m_mapped->names()) {
        if (consumed.count(name) == 0 && !isKnownBuffer(name) && !(classifier && name == "score.weight")) {
            throw UserError(model_dir + ": unexpected tensor '" + name + "' for a " + m_config.model_type +
                            " model (config.json and weights disagree)");
        }
    }
    if (classifier) {
        const weights::TensorView& score = m_mapped->require("score.weight");
        if (score.shape.size() != 2 || score.shape[1] != m_config.hidden_size) {
            throw UserError(model_dir + ": tensor 'score.weight' has shape " + shapeText(score.shape) +
                            "; a score head is [labels, " + std::to_string(m_config.hidden_size) + "]");
        }
        m_score = viewOrConvert(score, dtype, model_dir);
    } else if (!m_lm_head.defined()) {
        m_lm_head = m_embedding;
    }
    if (m_config.position == weights::PositionKind::Rope) {
        m_inv_freq = ropeInverseFrequencies(m_config);
    } else {
        const std::vector<float> slopes = weights::alibiSlopes(m_config);
        m_alibi_slopes = at::tensor(at::ArrayRef<float>(slopes), at::TensorOptions().dtype(at::kFloat));
    }
}

Transformer::~Transformer() = default;

void Transformer::moveTo(const at::Device& device) {
    if (device == this->device()) {
        return;
    }
    // A trainable leaf must stay a leaf on the new device: copy, detach, and set the flag again.
    const auto moved = [&](const at::Tensor& tensor) {
        return tensor.defined() ? tensor.detach().to(device).set_requires_grad(tensor.requires_grad())
                                : tensor;
    };
    const bool tied = m_lm_head.is_same(m_embedding);
    for (const auto& slot : weightSlots()) {
        *slot.second = moved(*slot.second);
    }
    if (tied) {
        m_lm_head = m_embedding;
    }
    for (LayerWeights& layer : m_layers) {
        for (LoraAdapter* adapter : layerAdapters(layer)) {
            adapter->a = moved(adapter->a);
            adapter->b = moved(adapter->b);
        }
    }
    m_inv_freq = moved(m_inv_freq);
    m_alibi_slopes = moved(m_alibi_slopes);
    if (!device.is_cpu()) {
        m_mapped.reset();  // no weight views the mapping any more
    }
}

at::Tensor Transformer::norm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) const {
    if (m_config.norm == weights::NormKind::LayerNorm) {
        return at::layer_norm(x, {m_config.hidden_size}, weight, bias, m_config.norm_eps);
    }
    // RMSNorm as transformers computes it: statistics in float32, scale applied in the model dtype.
    const at::Tensor x32 = x.to(at::kFloat);
    const at::Tensor normalized = x32 * at::rsqrt(x32.pow(2).mean({-1}, true) + m_config.norm_eps);
    return weight * normalized.to(x.scalar_type());
}

at::Tensor Transformer::applyRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) const {
    const std::int64_t rotary = m_config.rotary_dims;
    const at::Tensor rotated_part = x.narrow(-1, 0, rotary);
    const at::Tensor turned = m_config.rope_layout == weights::RopeLayout::Interleaved
                                  ? rotateEveryTwo(rotated_part)
                                  : rotateHalf(rotated_part);
    const at::Tensor rotated = rotated_part * cos + turned * sin;
    if (rotary == x.size(-1)) {
        return rotated;
    }
    return at::cat({rotated, x.narrow(-1, rotary, x.size(-1) - rotary)}, -1);
}

at::Tensor Transformer::attention(const LayerWeights& layer, std::size_t index, const at::Tensor& x,
                                  const at::Tensor& rope_cos, const at::Tensor& rope_sin,
                                  const at::Tensor& bias, KvCache* cache) const {
    const std::int64_t batch = x.size(0);
    const std::int64_t tokens = x.size(1);
    const std::int64_t head_dim = m_config.head_dim;
    at::Tensor q = project(x, layer.query, layer.query_bias, layer.query_lora);
    at::Tensor k = project(x, layer.key, layer.key_bias, layer.key_lora);
    at::Tensor v = project(x, layer.value, layer.value_bias, layer.value_lora);
    if (layer.qkv_lora.a.defined()) {
        addFusedQkvLora(layer, x, q, k, v);
    }
    if (m_config.clip_qkv > 0.0) {
        q = q.clamp(-m_config.clip_qkv, m_config.clip_qkv);
        k = k.clamp(-m_config.clip_qkv, m_config.clip_qkv);
        v = v.clamp(-m_config.clip_qkv, m_config.clip_qkv);
    }
    q = q.view({batch, tokens, m_config.num_heads, head_dim}).transpose(1, 2);
    k = k.view({batch, tokens, m_config.num_kv_heads, head_dim}).transpose(1, 2);
    v = v.view({batch, tokens, m_config.num_kv_heads, head_dim}).transpose(1, 2);
    if (rope_cos.defined()) {
        q = applyRope(q, rope_cos, rope_sin);
        k = applyRope(k, rope_cos, rope_sin);
    }
    if (cache != nullptr) {
        std::tie(k, v) = cache->append(index, k, v);
    }
    const bool fused = m_config.position != weights::PositionKind::Alibi;
    const at::Tensor context =
        attend(q, k, v, bias, fused).transpose(1, 2).reshape({batch, tokens, m_config.num_heads * head_dim});
    return project(context, layer.out, layer.out_bias, layer.out_lora);
}

at::Tensor Transformer::mlp(const LayerWeights& layer, const at::Tensor& x) const {
    if (m_config.mlp == weights::MlpKind::SwiGlu) {
        return project(at::silu(project(x, layer.gate, layer.gate_bias, layer.gate_lora)) *
                           project(x, layer.up, layer.up_bias, layer.up_lora),
                       layer.down, layer.down_bias, layer.down_lora);
    }
    const at::Tensor up = project(x, layer.up, layer.up_bias, layer.up_lora);
    const at::Tensor activated = at::gelu(up, m_config.mlp == weights::MlpKind::GeluTanh ? "tanh" : "none");
    return project(activated, layer.down, layer.down_bias, layer.down_lora);
}

at::Tensor Transformer::forward(const at::Tensor& ids, const at::Tensor& key_mask, KvCache* cache) const {
    return logitsFrom(runMasked(ids, key_mask, cache));
}

at::Tensor Transformer::hiddenStates(const at::Tensor& ids, const at::Tensor& key_mask) const {
    return runMasked(ids, key_mask, nullptr);
}

at::Tensor Transformer::forwardPacked(const at::Tensor& ids, const at::Tensor& positions,
                                      const at::Tensor& documents) const {
    return logitsFrom(runPacked(ids, positions, documents));
}

at::Tensor Transformer::hiddenStatesPacked(const at::Tensor& ids, const at::Tensor& positions,
                                           const at::Tensor& documents) const {
    return runPacked(ids, positions, documents);
}

at::Tensor Transformer::scores(const at::Tensor& hidden) const {
    if (!m_score.defined()) {
        throw UserError("this model has no score head (it is not a sequence-classification model)");
    }
    return at::linear(hidden, m_score.to(hidden.scalar_type())).to(at::kFloat);
}

void Transformer::addScoreHead(at::Generator& generator) {
    // transformers initialises a new Linear head from N(0, initializer_range), 0.02 by default.
    m_score = at::empty({1, m_config.hidden_size}, at::TensorOptions().dtype(at::kFloat))
                  .normal_(0.0, 0.02, generator)
                  .set_requires_grad(true);
    m_lm_head = at::Tensor();
    m_lm_head_bias = at::Tensor();
}

void Transformer::decodeStep(StaticDecode& state, KvCache& cache) const {
    // The same mask arithmetic as runMasked() over all `capacity` cache positions: the unwritten
    // ones are false in the mask, so causality needs no extra term.
    state.key_mask.index_fill_(1, state.slot, true);
    const at::Tensor valid = state.key_mask;
    const at::Tensor key_positions = (valid.to(at::kLong).cumsum(1) - 1).clamp_min(0);  // [B, S]
    const at::Tensor query_positions = key_positions.index_select(1, state.slot);       // [B, 1]
    const at::Tensor distance = (query_positions.unsqueeze(2) - key_positions.unsqueeze(1)).to(at::kFloat);
    const at::Tensor hidden =
        run(state.ids, query_positions, attentionBias(valid.unsqueeze(1), distance), &cache);
    state.logits.copy_(logitsFrom(hidden).select(1, 0));
}

at::Tensor Transformer::runMasked(const at::Tensor& input_ids, const at::Tensor& input_mask,
                                  KvCache* cache) const {
    const at::Tensor ids = input_ids.to(device());
    const at::Tensor key_mask = input_mask.to(device());
    const std::int64_t tokens = ids.size(1);
    const std::int64_t past = cache != nullptr ? cache->length() : 0;
    const std::int64_t keys = past + tokens;
    if (key_mask.size(0) != ids.size(0) || key_mask.size(1) != keys) {
        throw std::invalid_argument("Transformer::forward: key_mask must be [batch, cached + new tokens]");
    }
    const at::Tensor valid = key_mask.to(at::kBool);
    const at::Tensor key_positions = (valid.to(at::kLong).cumsum(1) - 1).clamp_min(0);  // [B, S]
    const at::Tensor query_positions = key_positions.narrow(1, past, tokens);           // [B, T]

    // Additive bias [B, 1 or H, T, S]: causal order, padding, sliding window and ALiBi.
    const at::Tensor query_index = at::arange(past, keys, ids.options()).view({1, tokens, 1});
    const at::Tensor key_index = at::arange(0, keys, ids.options()).view({1, 1, keys});
    at::Tensor allowed = (key_index <= query_index).logical_and(valid.view({-1, 1, keys}));
    const at::Tensor distance = (query_positions.unsqueeze(2) - key_positions.unsqueeze(1)).to(at::kFloat);
    return run(ids, query_positions, attentionBias(allowed, distance), cache);
}

at::Tensor Transformer::runPacked(const at::Tensor& input_ids, const at::Tensor& input_positions,
                                  const at::Tensor& input_documents) const {
    const at::Tensor ids = input_ids.to(device());
    const at::Tensor positions = input_positions.to(device());
    const at::Tensor documents = input_documents.to(device());
    const std::int64_t tokens = ids.size(1);
    if (positions.sizes() != ids.sizes() || documents.sizes() != ids.sizes()) {
        throw std::invalid_argument(
            "Transformer::forwardPacked: positions and documents must be shaped like ids");
    }
    // Block-diagonal causal attention: same document and not later. Positions restart per document,
    // so RoPE and ALiBi see each example exactly as if it were alone in its row.
    const at::Tensor index = at::arange(0, tokens, ids.options());
    const at::Tensor causal = index.view({1, 1, tokens}) <= index.view({1, tokens, 1});
    const at::Tensor same_document = documents.unsqueeze(2) == documents.unsqueeze(1);
    const at::Tensor distance = (positions.unsqueeze(2) - positions.unsqueeze(1)).to(at::kFloat);
    return run(ids, positions, attentionBias(causal.logical_and(same_document), distance), nullptr);
}

at::Tensor Transformer::attentionBias(at::Tensor allowed, const at::Tensor& distance) const {
    if (m_config.sliding_window) {
        allowed = allowed.logical_and(distance < static_cast<double>(*m_config.sliding_window));
    }
    const auto float_options = at::TensorOptions().dtype(at::kFloat).device(allowed.device());
    at::Tensor bias =
        at::zeros({allowed.size(0), 1, allowed.size(1), allowed.size(2)}, float_options)
            .masked_fill(allowed.logical_not().unsqueeze(1), std::numeric_limits<float>::lowest());
    if (m_config.position == weights::PositionKind::Alibi) {
        bias = bias - m_alibi_slopes.to(allowed.device()).view({1, -1, 1, 1}) * distance.unsqueeze(1);
    }
    return bias;
}

at::Tensor Transformer::run(const at::Tensor& ids, const at::Tensor& query_positions, const at::Tensor& bias,
                            KvCache* cache) const {
    at::Tensor rope_cos, rope_sin;
    if (m_config.position != weights::PositionKind::Alibi) {
        at::Tensor freqs = query_positions.to(at::kFloat).unsqueeze(-1) * m_inv_freq.to(ids.device());
        freqs = m_config.rope_layout == weights::RopeLayout::Interleaved ? freqs.repeat_interleave(2, -1)
                                                                         : at::cat({freqs, freqs}, -1);
        const at::ScalarType rope_type = m_embedding.scalar_type();
        rope_cos = freqs.cos().unsqueeze(1).to(rope_type);
        rope_sin = freqs.sin().unsqueeze(1).to(rope_type);
    }

    at::Tensor hidden = at::embedding(m_embedding, ids);
    if (m_config.embedding_norm) {
        hidden = at::layer_norm(hidden, {m_config.hidden_size}, m_embedding_norm_weight,
                                m_embedding_norm_bias, m_config.norm_eps);
    }
    // Checkpointing only pays off (and only can work) when backward will run: grad on, no cache.
    const bool checkpoint = m_checkpointing && cache == nullptr && at::GradMode::is_enabled();
    for (std::size_t index = 0; index < m_layers.size(); ++index) {
        hidden = checkpoint ? checkpointedBlock(index, hidden, rope_cos, rope_sin, bias)
                            : block(index, hidden, rope_cos, rope_sin, bias, cache);
    }
    if (cache != nullptr) {
        cache->advance(ids.size(1));
    }
    return norm(hidden, m_final_norm_weight, m_final_norm_bias);
}

at::Tensor Transformer::block(std::size_t index, const at::Tensor& hidden, const at::Tensor& rope_cos,
                              const at::Tensor& rope_sin, const at::Tensor& bias, KvCache* cache) const {
    const LayerWeights& layer = m_layers[index];
    const at::Tensor normed = norm(hidden, layer.attention_norm_weight, layer.attention_norm_bias);
    const at::Tensor attended = attention(layer, index, normed, rope_cos, rope_sin, bias, cache);
    switch (m_config.residual) {
        case weights::ResidualKind::ParallelTwoNorms:
            return hidden + attended + mlp(layer, norm(hidden, layer.mlp_norm_weight, layer.mlp_norm_bias));
        case weights::ResidualKind::ParallelOneNorm:
            return hidden + attended + mlp(layer, normed);
        default: {
            const at::Tensor after_attention = hidden + attended;
            return after_attention +
                   mlp(layer, norm(after_attention, layer.mlp_norm_weight, layer.mlp_norm_bias));
        }
    }
}

at::Tensor Transformer::logitsFrom(const at::Tensor& hidden) const {
    if (!m_lm_head.defined()) {
        throw UserError("this model is a sequence classifier (a reward model) and has no LM head");
    }
    at::Tensor logits = at::linear(hidden, m_lm_head, m_lm_head_bias).to(at::kFloat);
    if (m_config.logit_scale != 1.0) {
        logits = logits * m_config.logit_scale;
    }
    return logits;
}

at::Tensor* layerTensor(LayerWeights& layer, TensorRole role) {
    return roleSlot(layer, role);
}

std::vector<std::pair<std::string, at::Tensor*>> Transformer::weightSlots() {
    std::vector<std::pair<std::string, at::Tensor*>> slots = {
        {"embedding", &m_embedding},
        {"embedding_norm_weight", &m_embedding_norm_weight},
        {"embedding_norm_bias", &m_embedding_norm_bias},
        {"final_norm_weight", &m_final_norm_weight},
        {"final_norm_bias", &m_final_norm_bias},
        {"lm_head_bias", &m_lm_head_bias},
        {"score", &m_score}};
    if (!m_lm_head.is_same(m_embedding)) {
        slots.emplace_back("lm_head", &m_lm_head);
    }
    for (std::size_t index = 0; index < m_layers.size(); ++index) {
        for (const auto& [name, slot] : layerSlots(m_layers[index])) {
            slots.emplace_back("layers." + std::to_string(index) + "." + name, slot);
        }
    }
    std::vector<std::pair<std::string, at::Tensor*>> defined;
    for (const auto& slot : slots) {
        if (slot.second->defined()) defined.push_back(slot);
    }
    return defined;
}

std::vector<std::pair<std::string, const at::Tensor*>> Transformer::weightSlots() const {
    std::vector<std::pair<std::string, const at::Tensor*>> out;
    for (const auto& [name, slot] : const_cast<Transformer*>(this)->weightSlots()) {
        out.emplace_back(name, slot);
    }
    return out;
}

void Transformer::makeWeightsTrainable() {
    const bool tied = m_lm_head.is_same(m_embedding);
    for (const auto& slot : weightSlots()) {
        *slot.second = slot.second->detach().to(at::kFloat).clone().set_requires_grad(true);
    }
    if (tied) {
        m_lm_head = m_embedding;
    }
    m_dtype = at::kFloat;
}

std::vector<NamedTensor> Transformer::namedWeights() const {
    std::vector<NamedTensor> out;
    const bool tied = m_lm_head.is_same(m_embedding);
    for (const weights::TensorSpec& spec : weights::tensorLayout(m_config)) {
        at::Tensor tensor;
        if (spec.layer >= 0) {
            const LayerWeights& layer = m_layers[static_cast<std::size_t>(spec.layer)];
            const bool per_head =
                spec.role == TensorRole::QkvPerHead || spec.role == TensorRole::QkvPerHeadBias;
            if (spec.role == TensorRole::QkvPerHead || spec.role == TensorRole::QkvPlain) {
                tensor = fuseQkv(layer.query, layer.key, layer.value, per_head, m_config);
            } else if (spec.role == TensorRole::QkvPerHeadBias || spec.role == TensorRole::QkvPlainBias) {
                tensor = fuseQkv(layer.query_bias, layer.key_bias, layer.value_bias, per_head, m_config);
            } else if (const at::Tensor* slot = roleSlot(layer, spec.role)) {
                tensor = *slot;
            }
        } else {
            switch (spec.role) {
                case TensorRole::Embedding:
                    tensor = m_embedding;
                    break;
                case TensorRole::EmbeddingNormWeight:
                    tensor = m_embedding_norm_weight;
                    break;
                case TensorRole::EmbeddingNormBias:
                    tensor = m_embedding_norm_bias;
                    break;
                case TensorRole::FinalNormWeight:
                    tensor = m_final_norm_weight;
                    break;
                case TensorRole::FinalNormBias:
                    tensor = m_final_norm_bias;
                    break;
                case TensorRole::LmHead:
                    tensor = tied ? at::Tensor() : m_lm_head;
                    break;
                case TensorRole::LmHeadBias:
                    tensor = m_lm_head_bias;
                    break;
                default:
                    break;
            }
        }
        if (tensor.defined()) {
            out.push_back({spec.name, tensor.detach()});
        }
    }
    if (m_score.defined()) {
        out.push_back({"score.weight", m_score.detach()});
    }
    return out;
}

std::int64_t Transformer::parameterCount() const {
    std::int64_t total = 0;
    for (const auto& slot : weightSlots()) {
        total += slot.second->numel();
    }
    return total;
}

}  // namespace vietllm::model
