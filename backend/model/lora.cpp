// LoRA adapters on the transformer's projections for every family: separate projections carry one
// adapter each; a fused QKV projection (GPT-NeoX and BLOOM per-head rows, MPT plain [q; k; v] rows)
// carries one adapter whose B rows follow the file's fused order, and its update is split like the
// fused weight was at load time, so training, merging and PEFT files match PEFT on the HF model.

#include "backend/model/transformer.h"

#include "backend/common/errors.h"
#include "backend/weights/lora_targets.h"

#include <algorithm>
#include <cmath>

namespace vietllm::model {
namespace {

using weights::TensorRole;

bool isFused(TensorRole role) {
    return role == TensorRole::QkvPerHead || role == TensorRole::QkvPlain;
}

// Splits `fused` along `dim` (fused QKV rows) into q, k, v the way the loader splits the weight.
std::vector<at::Tensor> splitFused(const at::Tensor& fused, std::int64_t dim, bool per_head,
                                   const weights::ModelConfig& config) {
    const std::int64_t q_rows = config.num_heads * config.head_dim;
    const std::int64_t kv_rows = config.num_kv_heads * config.head_dim;
    if (!per_head) {
        return {fused.narrow(dim, 0, q_rows), fused.narrow(dim, q_rows, kv_rows),
                fused.narrow(dim, q_rows + kv_rows, kv_rows)};
    }
    // Per head: rows [heads, 3, head_dim], so part i is every head's i-th block of head_dim rows.
    const at::Tensor moved = fused.movedim(dim, 0);
    std::vector<std::int64_t> grouped_shape = {config.num_heads, 3, config.head_dim};
    std::vector<std::int64_t> part_shape = {q_rows};
    for (std::int64_t d = 1; d < moved.dim(); ++d) {
        grouped_shape.push_back(moved.size(d));
        part_shape.push_back(moved.size(d));
    }
    const at::Tensor grouped = moved.reshape(grouped_shape);
    std::vector<at::Tensor> parts;
    for (std::int64_t index = 0; index < 3; ++index) {
        parts.push_back(grouped.select(1, index).reshape(part_shape).movedim(0, dim));
    }
    return parts;
}

}  // namespace

LoraAdapter* loraSlot(LayerWeights& layer, TensorRole role) {
    switch (role) {
        case TensorRole::Query:
            return &layer.query_lora;
        case TensorRole::Key:
            return &layer.key_lora;
        case TensorRole::Value:
            return &layer.value_lora;
        case TensorRole::QkvPerHead:
        case TensorRole::QkvPlain:
            return &layer.qkv_lora;
        case TensorRole::AttentionOut:
            return &layer.out_lora;
        case TensorRole::Gate:
            return &layer.gate_lora;
        case TensorRole::Up:
            return &layer.up_lora;
        case TensorRole::Down:
            return &layer.down_lora;
        default:
            return nullptr;
    }
}

std::vector<LoraAdapter*> layerAdapters(LayerWeights& layer) {
    return {&layer.query_lora, &layer.key_lora,  &layer.value_lora, &layer.qkv_lora,
            &layer.out_lora,   &layer.gate_lora, &layer.up_lora,    &layer.down_lora};
}

at::Tensor Transformer::loraDelta(const at::Tensor& x, const LoraAdapter& lora) const {
    at::Tensor input = x;
    if (m_dropout_generator != nullptr && lora.dropout > 0.0) {
        const double keep = 1.0 - lora.dropout;
        input = x * at::empty_like(x).bernoulli_(keep, *m_dropout_generator) / keep;
    }
    return at::linear(at::linear(input, lora.a), lora.b) * lora.scaling;
}

at::Tensor Transformer::project(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                                const LoraAdapter& lora) const {
    const at::Tensor base = at::linear(x, weight, bias);
    return lora.a.defined() ? base + loraDelta(x, lora) : base;
}

void Transformer::addFusedQkvLora(const LayerWeights& layer, const at::Tensor& x, at::Tensor& q,
                                  at::Tensor& k, at::Tensor& v) const {
    // One dropout mask and one A x for the fused module, as PEFT applies it; the split views of the
    // update send every gradient to the one B.
    const bool per_head = m_config.architecture != weights::Architecture::Mpt;
    const std::vector<at::Tensor> parts = splitFused(loraDelta(x, layer.qkv_lora), -1, per_head, m_config);
    q = q + parts[0];
    k = k + parts[1];
    v = v + parts[2];
}

void Transformer::addLora(const std::vector<std::string>& modules, std::int64_t rank, double alpha,
                          double dropout, at::Generator& generator) {
    if (const std::string unknown = weights::unknownLoraTarget(m_config, modules); !unknown.empty()) {
        throw UserError("LoRA target '" + unknown + "' does not exist in a " + m_config.model_type +
                        " model (its modules: " + weights::loraModuleList(m_config) + ")");
    }
    const std::vector<std::string> chosen = weights::resolveLoraTargets(m_config, modules);
    const auto options = at::TensorOptions().dtype(at::kFloat);
    for (const weights::LoraSite& site : weights::loraSites(m_config)) {
        if (std::find(chosen.begin(), chosen.end(), site.module) == chosen.end()) continue;
        LoraAdapter* adapter = loraSlot(m_layers[static_cast<std::size_t>(site.layer)], site.role);
        // PEFT's default init: A Kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(in), 1/sqrt(in)).
        const double bound = 1.0 / std::sqrt(static_cast<double>(site.in));
        adapter->a =
            at::empty({rank, site.in}, options).uniform_(-bound, bound, generator).set_requires_grad(true);
        adapter->b = at::zeros({site.out, rank}, options).set_requires_grad(true);
        adapter->scaling = alpha / static_cast<double>(rank);
        adapter->dropout = dropout;
    }
}

void Transformer::mergeLora() {
    const bool per_head = m_config.architecture != weights::Architecture::Mpt;
    for (const weights::LoraSite& site : weights::loraSites(m_config)) {
        LayerWeights& layer = m_layers[static_cast<std::size_t>(site.layer)];
        LoraAdapter* adapter = loraSlot(layer, site.role);
        if (!adapter->a.defined()) continue;
        const at::Tensor delta = at::matmul(adapter->b.detach(), adapter->a.detach()) * adapter->scaling;
        const auto add = [](at::Tensor& weight, const at::Tensor& update) {
            weight = (weight.to(at::kFloat) + update).to(weight.scalar_type());
        };
        if (isFused(site.role)) {
            const std::vector<at::Tensor> parts = splitFused(delta, 0, per_head, m_config);
            add(layer.query, parts[0]);
            add(layer.key, parts[1]);
            add(layer.value, parts[2]);
        } else {
            add(*layerTensor(layer, site.role), delta);
        }
        *adapter = LoraAdapter();
    }
}

std::vector<NamedTensor> Transformer::trainableParameters() const {
    std::vector<NamedTensor> out;
    for (const weights::LoraSite& site : weights::loraSites(m_config)) {
        LayerWeights& layer = const_cast<LayerWeights&>(m_layers[static_cast<std::size_t>(site.layer)]);
        const LoraAdapter* adapter = loraSlot(layer, site.role);
        if (!adapter->a.defined()) continue;
        const std::string prefix = "base_model.model." + site.path;
        out.push_back({prefix + ".lora_A.weight", adapter->a});
        out.push_back({prefix + ".lora_B.weight", adapter->b});
    }
    if (!out.empty()) {
        if (m_score.defined() && m_score.requires_grad()) {
            out.push_back({"score", m_score});  // a reward model's head is trained fully under LoRA
        }
        return out;
    }
    for (const auto& [name, slot] : weightSlots()) {
        if (slot->requires_grad()) out.push_back({name, *slot});
    }
    return out;
}

}  // namespace vietllm::model
