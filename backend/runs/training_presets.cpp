#include "backend/runs/training_presets.h"

#include "backend/weights/lora_targets.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace vietllm::runs {

namespace {

TrainingPreset preset(const char* id, const char* display_name, const char* hf_repo, const char* model_type,
                      std::int64_t hidden_size, std::int64_t num_layers, bool lora, double learning_rate,
                      int micro_batch_size, int gradient_accumulation) {
    TrainingPreset result;
    result.id = id;
    result.display_name = display_name;
    result.hf_repo = hf_repo;
    result.model_type = model_type;
    result.hidden_size = hidden_size;
    result.num_layers = num_layers;
    result.lora = lora;
    result.learning_rate = learning_rate;
    result.micro_batch_size = micro_batch_size;
    result.gradient_accumulation = gradient_accumulation;
    return result;
}

// Per-projection shapes [in, out] of one layer, by the PEFT names LoRA targets.
struct Projection {
    const char* name;
    std::int64_t in;
    std::int64_t out;
};

std::vector<Projection> layerProjections(const weights::ModelConfig& config) {
    const std::int64_t hidden = config.hidden_size;
    const std::int64_t query = config.num_heads * config.head_dim;
    const std::int64_t key_value = config.num_kv_heads * config.head_dim;
    const std::int64_t inner = config.intermediate_size;
    std::vector<Projection> projections = {
        {"q_proj", hidden, query}, {"k_proj", hidden, key_value}, {"v_proj", hidden, key_value},
        {"o_proj", query, hidden}, {"up_proj", hidden, inner},    {"down_proj", inner, hidden},
    };
    if (config.mlp == weights::MlpKind::SwiGlu) {
        projections.push_back({"gate_proj", hidden, inner});
    }
    return projections;
}

std::int64_t layerBiasParameters(const weights::ModelConfig& config) {
    std::int64_t biases = 0;
    if (config.qkv_bias) {
        biases += (config.num_heads + 2 * config.num_kv_heads) * config.head_dim;
    }
    if (config.attention_out_bias) {
        biases += config.hidden_size;
    }
    if (config.mlp_bias) {
        const int up_projections = config.mlp == weights::MlpKind::SwiGlu ? 2 : 1;
        biases += up_projections * config.intermediate_size + config.hidden_size;
    }
    return biases;
}

std::int64_t normParameters(const weights::ModelConfig& config) {
    return config.norm_bias ? 2 * config.hidden_size : config.hidden_size;
}

}  // namespace

const std::vector<TrainingPreset>& trainingPresets() {
    static const std::vector<TrainingPreset> presets = [] {
        std::vector<TrainingPreset> list = {
            preset("bloomz-560m", "bloomz-560m", "bigscience/bloomz-560m", "bloom", 1024, 24, false, 2e-5, 8,
                   2),
            preset("bloomz-1b7", "bloomz-1b7", "bigscience/bloomz-1b7", "bloom", 2048, 24, true, 2e-4, 4, 4),
            preset("pythia-1b", "Pythia-1B", "EleutherAI/pythia-1b", "gpt_neox", 2048, 16, true, 2e-4, 4, 4),
            preset("open-llama-3b", "OpenLLaMA-3B", "openlm-research/open_llama_3b_v2", "llama", 3200, 26,
                   true, 2e-4, 2, 8),
            preset("qwen2.5-0.5b", "Qwen2.5-0.5B", "Qwen/Qwen2.5-0.5B-Instruct", "qwen2", 896, 24, false,
                   2e-5, 8, 2),
            preset("qwen2.5-1.5b", "Qwen2.5-1.5B", "Qwen/Qwen2.5-1.5B-Instruct", "qwen2", 1536, 28, true,
                   2e-4, 4, 4),
            preset("llama-3.2-1b", "Llama-3.2-1B", "meta-llama/Llama-3.2-1B-Instruct", "llama", 2048, 16,
                   true, 2e-4, 4, 4),
            preset("llama-3.2-3b", "Llama-3.2-3B", "meta-llama/Llama-3.2-3B-Instruct", "llama", 3072, 28,
                   true, 2e-4, 2, 8),
            preset("vistral-7b", "Vistral-7B", "Viet-Mistral/Vistral-7B-Chat", "mistral", 4096, 32, true,
                   1e-4, 1, 16),
            preset("generic", "Generic", "", "", 0, 0, true, 2e-4, 4, 4),
        };
        for (TrainingPreset& entry : list) {
            entry.max_seq_len = entry.hidden_size >= 4096 ? 2048 : 1024;
            entry.gradient_checkpointing = entry.hidden_size >= 4096;
        }
        return list;
    }();
    return presets;
}

const TrainingPreset& matchPreset(const weights::ModelConfig& config) {
    const auto& presets = trainingPresets();
    const auto found = std::find_if(presets.begin(), presets.end(), [&](const TrainingPreset& entry) {
        return entry.model_type == config.model_type && entry.hidden_size == config.hidden_size &&
               entry.num_layers == config.num_layers;
    });
    return found != presets.end() ? *found : presets.back();
}

std::int64_t countParameters(const weights::ModelConfig& config) {
    std::int64_t per_layer = layerBiasParameters(config);
    for (const Projection& projection : layerProjections(config)) {
        per_layer += projection.in * projection.out;
    }
    const bool one_norm = config.residual == weights::ResidualKind::ParallelOneNorm;
    per_layer += (one_norm ? 1 : 2) * normParameters(config);
    std::int64_t total = config.num_layers * per_layer;
    total += config.vocab_size * config.hidden_size + normParameters(config);
    if (config.embedding_norm) {
        total += normParameters(config);
    }
    if (!config.tie_word_embeddings) {
        total += config.vocab_size * config.hidden_size + (config.lm_head_bias ? config.vocab_size : 0);
    }
    return total;
}

std::int64_t countLoraParameters(const weights::ModelConfig& config, int rank,
                                 const std::vector<std::string>& target_modules) {
    return weights::countLoraParameters(config, rank, target_modules);
}

MemoryEstimate estimateTrainingMemory(const weights::ModelConfig& config, const TrainingShape& shape) {
    const std::int64_t parameters = countParameters(config);
    MemoryEstimate estimate;
    if (shape.lora) {
        const std::int64_t adapter = countLoraParameters(config, shape.lora_rank, shape.target_modules);
        estimate.weights_bytes = parameters * shape.compute_bytes + adapter * 4;
        estimate.gradients_bytes = adapter * 4;
        estimate.optimizer_bytes = adapter * 8;
    } else {
        const std::int64_t compute_copy = shape.compute_bytes < 4 ? parameters * shape.compute_bytes : 0;
        estimate.weights_bytes = parameters * 4 + compute_copy;
        estimate.gradients_bytes = parameters * 4;
        estimate.optimizer_bytes = parameters * 8;
    }
    // Per layer s*b*h*(34 + 5*a*s/h) bytes in 16-bit activations; scaled for fp32, and one layer's
    // worth plus the layer inputs when checkpointing. Logits and their gradient in fp32 on top.
    const double tokens =
        static_cast<double>(shape.micro_batch_size) * shape.max_seq_len * shape.sequences_per_example;
    const double hidden = static_cast<double>(config.hidden_size);
    const double per_layer =
        tokens * hidden * (34.0 + 5.0 * static_cast<double>(config.num_heads) * shape.max_seq_len / hidden) *
        (shape.compute_bytes / 2.0);
    const double layers = static_cast<double>(config.num_layers);
    const double blocks = shape.activation_checkpointing
                              ? per_layer + layers * tokens * hidden * shape.compute_bytes
                              : per_layer * layers;
    const double logits =
        shape.score_head ? 0.0 : 2.0 * tokens * static_cast<double>(config.vocab_size) * 4.0;
    estimate.activations_bytes = static_cast<std::int64_t>(blocks + logits);
    if (shape.score_head) {  // fp32 weights, gradients and AdamW moments of [1, hidden]
        estimate.weights_bytes += config.hidden_size * 4;
        estimate.gradients_bytes += config.hidden_size * 4;
        estimate.optimizer_bytes += config.hidden_size * 8;
    }
    if (shape.frozen_reference) {
        estimate.weights_bytes += parameters * shape.compute_bytes;
    }
    if (shape.reward_model_parameters > 0) {
        const std::int64_t sequences =
            static_cast<std::int64_t>(shape.micro_batch_size) * shape.sequences_per_example;
        estimate.weights_bytes += shape.reward_model_parameters * shape.compute_bytes;
        estimate.activations_bytes += 2 * config.num_layers * config.num_kv_heads * config.head_dim *
                                      shape.max_seq_len * sequences * shape.compute_bytes;
    }
    estimate.total_bytes = estimate.weights_bytes + estimate.gradients_bytes + estimate.optimizer_bytes +
                           estimate.activations_bytes;
    return estimate;
}

int trainingComputeBytes(const std::string& device, const std::string& dtype) {
    return device == "cpu" || dtype == "fp32" ? 4 : 2;
}

std::int64_t estimateInferenceMemory(const weights::ModelConfig& config, int compute_bytes,
                                     std::int64_t context_tokens) {
    const std::int64_t kv_cache =
        2 * config.num_layers * config.num_kv_heads * config.head_dim * context_tokens * compute_bytes;
    return countParameters(config) * compute_bytes + kv_cache;
}

std::int64_t physicalMemoryBytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page_size = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && page_size > 0 ? static_cast<std::int64_t>(pages) * page_size : 0;
}

std::string formatBytes(std::int64_t bytes) {
    char text[32];
    const double value = static_cast<double>(bytes);
    if (value >= 1e9) {
        std::snprintf(text, sizeof(text), "%.1f GB", value / 1e9);
    } else {
        std::snprintf(text, sizeof(text), "%.0f MB", value / 1e6);
    }
    return text;
}

}  // namespace vietllm::runs
