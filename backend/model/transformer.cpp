#include "backend/model/transformer.h"

#include "backend/common/errors.h"
#include "backend/weights/safetensors.h"
#include "backend/weights/tensor_layout.h"

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

void assignRole(LayerWeights& layer, TensorRole role, const at::Tensor& tensor) {
    switch (role) {
        case TensorRole::AttentionNormWeight:
            layer.attention_norm_weight = tensor;
            break;
        case TensorRole::AttentionNormBias:
            layer.attention_norm_bias = tensor;
            break;
        case TensorRole::Query:
            layer.query = tensor;
            break;
        case TensorRole::QueryBias:
            layer.query_bias = tensor;
            break;
        case TensorRole::Key:
            layer.key = tensor;
            break;
        case TensorRole::KeyBias:
            layer.key_bias = tensor;
            break;
        case TensorRole::Value:
            layer.value = tensor;
            break;
        case TensorRole::ValueBias:
            layer.value_bias = tensor;
            break;
        case TensorRole::AttentionOut:
            layer.out = tensor;
            break;
        case TensorRole::AttentionOutBias:
            layer.out_bias = tensor;
            break;
        case TensorRole::MlpNormWeight:
            layer.mlp_norm_weight = tensor;
            break;
        case TensorRole::MlpNormBias:
            layer.mlp_norm_bias = tensor;
            break;
        case TensorRole::Gate:
            layer.gate = tensor;
            break;
        case TensorRole::GateBias:
            layer.gate_bias = tensor;
            break;
        case TensorRole::Up:
            layer.up = tensor;
            break;
        case TensorRole::UpBias:
            layer.up_bias = tensor;
            break;
        case TensorRole::Down:
            layer.down = tensor;
            break;
        case TensorRole::DownBias:
            layer.down_bias = tensor;
            break;
        default:
            break;
    }
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
    if (m_length + tokens > m_capacity) {
        throw UserError("the KV cache holds " + std::to_string(m_capacity) + " positions; " +
                        std::to_string(m_length + tokens) + " requested");
    }
    m_keys[layer].narrow(2, m_length, tokens).copy_(keys);
    m_values[layer].narrow(2, m_length, tokens).copy_(values);
    return {m_keys[layer].narrow(2, 0, m_length + tokens), m_values[layer].narrow(2, 0, m_length + tokens)};
}

Transformer::Transformer(const std::string& model_dir, at::ScalarType dtype)
    : m_config(weights::loadModelConfig(model_dir)),
      m_dtype(dtype),
      m_mapped(std::make_shared<weights::WeightSet>(model_dir)) {
    weights::reconcileWithWeights(m_config, *m_mapped);
    const std::vector<weights::TensorSpec> specs = weights::tensorLayout(m_config);
    m_layers.resize(static_cast<std::size_t>(m_config.num_layers));
    std::set<std::string> consumed;
    for (const weights::TensorSpec& spec : specs) {
        const weights::TensorView* view = m_mapped->find(spec.name);
        std::string stored_name = spec.name;
        const std::string prefix = "transformer.";
        if (view == nullptr && spec.name.compare(0, prefix.size(), prefix) == 0) {
            stored_name = spec.name.substr(prefix.size());
            view = m_mapped->find(stored_name);
        }
        if (view == nullptr) {
            if (spec.optional) {
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
        if (consumed.count(name) == 0 && !isKnownBuffer(name)) {
            throw UserError(model_dir + ": unexpected tensor '" + name + "' for a " + m_config.model_type +
                            " model (config.json and weights disagree)");
        }
    }
    if (!m_lm_head.defined()) {
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
    at::Tensor q = at::linear(x, layer.query, layer.query_bias);
    at::Tensor k = at::linear(x, layer.key, layer.key_bias);
    at::Tensor v = at::linear(x, layer.value, layer.value_bias);
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
    const std::int64_t groups = m_config.num_heads / m_config.num_kv_heads;
    if (groups > 1) {
        k = k.repeat_interleave(groups, 1);
        v = v.repeat_interleave(groups, 1);
    }
    // Scores and softmax in float32 for every dtype; libtorch 1.13 has no fused attention.
    const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
    const at::Tensor scores = at::matmul(q.to(at::kFloat), k.to(at::kFloat).transpose(-1, -2)) * scale + bias;
    const at::Tensor probabilities = at::softmax(scores, -1).to(v.scalar_type());
    const at::Tensor context =
        at::matmul(probabilities, v).transpose(1, 2).reshape({batch, tokens, m_config.num_heads * head_dim});
    return at::linear(context, layer.out, layer.out_bias);
}

at::Tensor Transformer::mlp(const LayerWeights& layer, const at::Tensor& x) const {
    if (m_config.mlp == weights::MlpKind::SwiGlu) {
        return at::linear(
            at::silu(at::linear(x, layer.gate, layer.gate_bias)) * at::linear(x, layer.up, layer.up_bias),
            layer.down, layer.down_bias);
    }
    const at::Tensor up = at::linear(x, layer.up, layer.up_bias);
    const at::Tensor activated = at::gelu(up, m_config.mlp == weights::MlpKind::GeluTanh ? "tanh" : "none");
    return at::linear(activated, layer.down, layer.down_bias);
}

at::Tensor Transformer::forward(const at::Tensor& ids, const at::Tensor& key_mask, KvCache* cache) const {
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
    if (m_config.sliding_window) {
        allowed = allowed.logical_and(distance < static_cast<double>(*m_config.sliding_window));
    }
    const auto float_options = at::TensorOptions().dtype(at::kFloat).device(ids.device());
    at::Tensor bias =
        at::zeros({ids.size(0), 1, tokens, keys}, float_options)
            .masked_fill(allowed.logical_not().unsqueeze(1), std::numeric_limits<float>::lowest());
    at::Tensor rope_cos, rope_sin;
    if (m_config.position == weights::PositionKind::Alibi) {
        bias = bias - m_alibi_slopes.to(ids.device()).view({1, -1, 1, 1}) * distance.unsqueeze(1);
    } else {
        at::Tensor freqs = query_positions.to(at::kFloat).unsqueeze(-1) * m_inv_freq.to(ids.device());
        freqs = m_config.rope_layout == weights::RopeLayout::Interleaved ? freqs.repeat_interleave(2, -1)
                                                                         : at::cat({freqs, freqs}, -1);
        rope_cos = freqs.cos().unsqueeze(1).to(m_dtype);
        rope_sin = freqs.sin().unsqueeze(1).to(m_dtype);
    }

    at::Tensor hidden = at::embedding(m_embedding, ids);
    if (m_config.embedding_norm) {
        hidden = at::layer_norm(hidden, {m_config.hidden_size}, m_embedding_norm_weight,
                                m_embedding_norm_bias, m_config.norm_eps);
    }
    for (std::size_t index = 0; index < m_layers.size(); ++index) {
        const LayerWeights& layer = m_layers[index];
        const at::Tensor normed = norm(hidden, layer.attention_norm_weight, layer.attention_norm_bias);
        const at::Tensor attended = attention(layer, index, normed, rope_cos, rope_sin, bias, cache);
        switch (m_config.residual) {
            case weights::ResidualKind::ParallelTwoNorms:
                hidden =
                    hidden + attended + mlp(layer, norm(hidden, layer.mlp_norm_weight, layer.mlp_norm_bias));
                break;
            case weights::ResidualKind::ParallelOneNorm:
                hidden = hidden + attended + mlp(layer, normed);
                break;
            default:
                hidden = hidden + attended;
                hidden = hidden + mlp(layer, norm(hidden, layer.mlp_norm_weight, layer.mlp_norm_bias));
                break;
        }
    }
    if (cache != nullptr) {
        cache->advance(tokens);
    }
    hidden = norm(hidden, m_final_norm_weight, m_final_norm_bias);
    at::Tensor logits = at::linear(hidden, m_lm_head, m_lm_head_bias).to(at::kFloat);
    if (m_config.logit_scale != 1.0) {
        logits = logits * m_config.logit_scale;
    }
    return logits;
}

}  // namespace vietllm::model
