#include "backend/weights/model_config.h"

#include "backend/common/errors.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <utility>

namespace vietllm::weights {
namespace {

constexpr std::array<std::pair<Architecture, const char*>, 7> kArchitectures = {{
    {Architecture::Llama, "llama"},
    {Architecture::Mistral, "mistral"},
    {Architecture::Qwen2, "qwen2"},
    {Architecture::GptNeoX, "gpt_neox"},
    {Architecture::Bloom, "bloom"},
    {Architecture::GptJ, "gptj"},
    {Architecture::Mpt, "mpt"},
}};

// Typed access to config.json fields: the first present, non-null name wins, so old and new key
// spellings (n_embed / hidden_size) are both accepted. A field of the wrong type is a UserError.
class ConfigReader {
public:
    ConfigReader(const nlohmann::json& config, std::string source)
        : m_config(config), m_source(std::move(source)) {}

    const nlohmann::json* find(std::initializer_list<const char*> names) const {
        for (const char* name : names) {
            const auto found = m_config.find(name);
            if (found != m_config.end() && !found->is_null()) {
                return &*found;
            }
        }
        return nullptr;
    }

    std::int64_t integer(std::initializer_list<const char*> names,
                         std::optional<std::int64_t> fallback) const {
        const nlohmann::json* value = find(names);
        if (value == nullptr) {
            if (!fallback) {
                throw UserError(m_source + ": missing field '" + *names.begin() + "'");
            }
            return *fallback;
        }
        if (!value->is_number_integer() || value->get<std::int64_t>() < 0) {
            throw UserError(m_source + ": field '" + *names.begin() + "' must be a non-negative integer");
        }
        return value->get<std::int64_t>();
    }

    double number(std::initializer_list<const char*> names, double fallback) const {
        const nlohmann::json* value = find(names);
        if (value == nullptr) {
            return fallback;
        }
        if (!value->is_number()) {
            throw UserError(m_source + ": field '" + *names.begin() + "' must be a number");
        }
        return value->get<double>();
    }

    bool flag(std::initializer_list<const char*> names, bool fallback) const {
        const nlohmann::json* value = find(names);
        if (value == nullptr) {
            return fallback;
        }
        if (!value->is_boolean()) {
            throw UserError(m_source + ": field '" + *names.begin() + "' must be true or false");
        }
        return value->get<bool>();
    }

    std::string text(std::initializer_list<const char*> names, const std::string& fallback) const {
        const nlohmann::json* value = find(names);
        if (value == nullptr) {
            return fallback;
        }
        if (!value->is_string()) {
            throw UserError(m_source + ": field '" + *names.begin() + "' must be a string");
        }
        return value->get<std::string>();
    }

    const std::string& source() const { return m_source; }

private:
    const nlohmann::json& m_config;
    std::string m_source;
};

MlpKind geluKind(const std::string& activation, const ConfigReader& reader) {
    if (activation == "gelu") {
        return MlpKind::GeluErf;
    }
    if (activation == "gelu_new" || activation == "gelu_fast" || activation == "gelu_pytorch_tanh") {
        return MlpKind::GeluTanh;
    }
    throw UserError(reader.source() + ": activation '" + activation + "' is not supported");
}

// rope_scaling (older configs) or rope_parameters (newer transformers): theta and scaling.
void readRope(const ConfigReader& reader, ModelConfig& config) {
    const nlohmann::json* parameters = reader.find({"rope_parameters"});
    const nlohmann::json* scaling = parameters != nullptr ? parameters : reader.find({"rope_scaling"});
    if (scaling == nullptr) {
        return;
    }
    if (!scaling->is_object()) {
        throw UserError(reader.source() + ": 'rope_scaling' must be an object");
    }
    const ConfigReader scaling_reader(*scaling, reader.source() + " rope_scaling");
    config.rope_theta = scaling_reader.number({"rope_theta"}, config.rope_theta);
    const std::string type = scaling_reader.text({"rope_type", "type"}, "default");
    if (type == "default") {
        return;
    }
    config.rope_scaling.factor = scaling_reader.number({"factor"}, 1.0);
    if (type == "linear") {
        config.rope_scaling.kind = RopeScalingKind::Linear;
    } else if (type == "llama3") {
        config.rope_scaling.kind = RopeScalingKind::Llama3;
        config.rope_scaling.low_freq_factor = scaling_reader.number({"low_freq_factor"}, 1.0);
        config.rope_scaling.high_freq_factor = scaling_reader.number({"high_freq_factor"}, 4.0);
        config.rope_scaling.original_max_positions =
            scaling_reader.integer({"original_max_position_embeddings"}, std::int64_t{8192});
        if (config.rope_scaling.high_freq_factor <= config.rope_scaling.low_freq_factor) {
            throw UserError(reader.source() + ": rope_scaling high_freq_factor must exceed low_freq_factor");
        }
    } else {
        throw UserError(reader.source() + ": rope scaling type '" + type +
                        "' is not supported (default, linear, llama3)");
    }
}

void readLlamaFamily(const ConfigReader& reader, ModelConfig& config) {
    config.vocab_size = reader.integer({"vocab_size"}, std::nullopt);
    config.hidden_size = reader.integer({"hidden_size"}, std::nullopt);
    config.intermediate_size = reader.integer({"intermediate_size"}, std::nullopt);
    config.num_layers = reader.integer({"num_hidden_layers"}, std::nullopt);
    config.num_heads = reader.integer({"num_attention_heads"}, std::nullopt);
    config.num_kv_heads = reader.integer({"num_key_value_heads"}, config.num_heads);
    config.head_dim =
        reader.integer({"head_dim"}, config.num_heads > 0 ? config.hidden_size / config.num_heads : 0);
    config.max_positions = reader.integer({"max_position_embeddings"}, std::int64_t{2048});
    config.norm_eps = reader.number({"rms_norm_eps"}, 1e-6);
    config.norm = NormKind::RmsNorm;
    config.position = PositionKind::Rope;
    config.rope_layout = RopeLayout::RotateHalf;
    config.rotary_dims = config.head_dim;
    config.rope_theta = reader.number({"rope_theta"}, 10000.0);
    readRope(reader, config);
    config.mlp = MlpKind::SwiGlu;
    if (reader.text({"hidden_act"}, "silu") != "silu") {
        throw UserError(reader.source() + ": field 'hidden_act' must be 'silu' for " + config.model_type);
    }
    config.residual = ResidualKind::Sequential;
    const bool is_qwen2 = config.architecture == Architecture::Qwen2;
    config.qkv_bias = is_qwen2 || reader.flag({"attention_bias"}, false);
    config.attention_out_bias = !is_qwen2 && reader.flag({"attention_bias"}, false);
    config.mlp_bias = !is_qwen2 && reader.flag({"mlp_bias"}, false);
    config.tie_word_embeddings = reader.flag({"tie_word_embeddings"}, false);
    if (config.architecture == Architecture::Mistral) {
        if (reader.find({"sliding_window"}) != nullptr) {
            config.sliding_window = reader.integer({"sliding_window"}, std::nullopt);
        }
    }
    if (is_qwen2 && reader.flag({"use_sliding_window"}, false)) {
        throw UserError(reader.source() + ": 'use_sliding_window': true is not supported for qwen2");
    }
}

void readGptNeoX(const ConfigReader& reader, ModelConfig& config) {
    config.vocab_size = reader.integer({"vocab_size"}, std::nullopt);
    config.hidden_size = reader.integer({"hidden_size"}, std::nullopt);
    config.intermediate_size = reader.integer({"intermediate_size"}, config.hidden_size * 4);
    config.num_layers = reader.integer({"num_hidden_layers"}, std::nullopt);
    config.num_heads = reader.integer({"num_attention_heads"}, std::nullopt);
    config.num_kv_heads = config.num_heads;
    config.head_dim = config.num_heads > 0 ? config.hidden_size / config.num_heads : 0;
    config.max_positions = reader.integer({"max_position_embeddings"}, std::int64_t{2048});
    config.norm_eps = reader.number({"layer_norm_eps"}, 1e-5);
    config.norm = NormKind::LayerNorm;
    config.norm_bias = true;
    config.position = PositionKind::Rope;
    config.rope_layout = RopeLayout::RotateHalf;
    config.rope_theta = reader.number({"rotary_emb_base", "rope_theta"}, 10000.0);
    double rotary_fraction = reader.number({"rotary_pct", "partial_rotary_factor"}, 0.25);
    if (const nlohmann::json* parameters = reader.find({"rope_parameters"})) {
        const ConfigReader parameter_reader(*parameters, reader.source() + " rope_parameters");
        rotary_fraction = parameter_reader.number({"partial_rotary_factor"}, rotary_fraction);
    }
    readRope(reader, config);
    config.rotary_dims = static_cast<std::int64_t>(static_cast<double>(config.head_dim) * rotary_fraction);
    config.mlp = geluKind(reader.text({"hidden_act"}, "gelu"), reader);
    config.residual = reader.flag({"use_parallel_residual"}, true) ? ResidualKind::ParallelTwoNorms
                                                                   : ResidualKind::Sequential;
    config.qkv_bias = reader.flag({"attention_bias"}, true);
    config.attention_out_bias = config.qkv_bias;
    config.mlp_bias = true;
    config.tie_word_embeddings = reader.flag({"tie_word_embeddings"}, false);
}

void readBloom(const ConfigReader& reader, ModelConfig& config) {
    config.vocab_size = reader.integer({"vocab_size"}, std::nullopt);
    config.hidden_size = reader.integer({"hidden_size", "n_embed"}, std::nullopt);
    config.intermediate_size = config.hidden_size * 4;
    config.num_layers = reader.integer({"n_layer", "num_hidden_layers"}, std::nullopt);
    config.num_heads = reader.integer({"n_head", "num_attention_heads"}, std::nullopt);
    config.num_kv_heads = config.num_heads;
    config.head_dim = config.num_heads > 0 ? config.hidden_size / config.num_heads : 0;
    config.max_positions = reader.integer({"seq_length", "max_position_embeddings"}, std::int64_t{2048});
    config.norm_eps = reader.number({"layer_norm_epsilon"}, 1e-5);
    config.norm = NormKind::LayerNorm;
    config.norm_bias = true;
    config.embedding_norm = true;
    config.position = PositionKind::Alibi;
    config.mlp = MlpKind::GeluTanh;
    config.residual = ResidualKind::Sequential;
    if (reader.flag({"apply_residual_connection_post_layernorm"}, false)) {
        throw UserError(reader.source() +
                        ": 'apply_residual_connection_post_layernorm': true is not supported");
    }
    config.qkv_bias = true;
    config.attention_out_bias = true;
    config.mlp_bias = true;
    config.tie_word_embeddings = reader.flag({"tie_word_embeddings"}, true);
}

void readGptJ(const ConfigReader& reader, ModelConfig& config) {
    config.vocab_size = reader.integer({"vocab_size"}, std::nullopt);
    config.hidden_size = reader.integer({"n_embd", "hidden_size"}, std::nullopt);
    config.intermediate_size = reader.integer({"n_inner"}, config.hidden_size * 4);
    config.num_layers = reader.integer({"n_layer", "num_hidden_layers"}, std::nullopt);
    config.num_heads = reader.integer({"n_head", "num_attention_heads"}, std::nullopt);
    config.num_kv_heads = config.num_heads;
    config.head_dim = config.num_heads > 0 ? config.hidden_size / config.num_heads : 0;
    config.max_positions = reader.integer({"n_positions", "max_position_embeddings"}, std::int64_t{2048});
    config.norm_eps = reader.number({"layer_norm_epsilon"}, 1e-5);
    config.norm = NormKind::LayerNorm;
    config.norm_bias = true;
    config.position = PositionKind::Rope;
    config.rope_layout = RopeLayout::Interleaved;
    config.rotary_dims = reader.integer({"rotary_dim"}, config.head_dim);
    config.rope_theta = 10000.0;
    config.mlp = geluKind(reader.text({"activation_function"}, "gelu_new"), reader);
    config.residual = ResidualKind::ParallelOneNorm;
    config.mlp_bias = true;
    config.lm_head_bias = true;
    config.tie_word_embeddings = reader.flag({"tie_word_embeddings"}, false);
}

void readMpt(const ConfigReader& reader, ModelConfig& config) {
    config.vocab_size = reader.integer({"vocab_size"}, std::nullopt);
    config.hidden_size = reader.integer({"d_model"}, std::nullopt);
    config.intermediate_size = config.hidden_size * reader.integer({"expansion_ratio"}, std::int64_t{4});
    config.num_layers = reader.integer({"n_layers"}, std::nullopt);
    config.num_heads = reader.integer({"n_heads"}, std::nullopt);
    config.num_kv_heads = config.num_heads;
    config.head_dim = config.num_heads > 0 ? config.hidden_size / config.num_heads : 0;
    config.max_positions = reader.integer({"max_seq_len"}, std::int64_t{2048});
    config.norm_eps = reader.number({"layer_norm_epsilon"}, 1e-5);
    config.norm = NormKind::LayerNorm;
    const bool no_bias = reader.flag({"no_bias"}, true);
    config.norm_bias = !no_bias;
    config.position = PositionKind::Alibi;
    config.mlp = MlpKind::GeluErf;
    config.residual = ResidualKind::Sequential;
    config.qkv_bias = !no_bias;
    config.attention_out_bias = !no_bias;
    config.mlp_bias = !no_bias;
    config.tie_word_embeddings = reader.flag({"tie_word_embeddings"}, true);
    const std::string norm_type = reader.text({"norm_type"}, "low_precision_layernorm");
    if (norm_type != "low_precision_layernorm" && norm_type != "layernorm") {
        throw UserError(reader.source() + ": norm_type '" + norm_type + "' is not supported");
    }
    if (const nlohmann::json* attention = reader.find({"attn_config"})) {
        const ConfigReader attention_reader(*attention, reader.source() + " attn_config");
        if (!attention_reader.flag({"alibi"}, true) || attention_reader.flag({"rope"}, false) ||
            attention_reader.flag({"qk_ln"}, false) || attention_reader.find({"softmax_scale"}) != nullptr) {
            throw UserError(reader.source() +
                            ": attn_config must use alibi without rope, qk_ln or a custom softmax_scale");
        }
        const std::string attention_type = attention_reader.text({"attn_type"}, "multihead_attention");
        if (attention_type != "multihead_attention") {
            throw UserError(reader.source() + ": attn_config.attn_type '" + attention_type +
                            "' is not supported");
        }
        config.alibi_bias_max = attention_reader.number({"alibi_bias_max"}, 8.0);
        config.clip_qkv = attention_reader.number({"clip_qkv"}, 0.0);
    }
    if (const nlohmann::json* scale = reader.find({"logit_scale"})) {
        if (scale->is_string() && scale->get<std::string>() == "inv_sqrt_d_model") {
            config.logit_scale = 1.0 / std::sqrt(static_cast<double>(config.hidden_size));
        } else {
            config.logit_scale = reader.number({"logit_scale"}, 1.0);
        }
    }
}

void readSpecialTokens(const ConfigReader& reader, ModelConfig& config) {
    if (const nlohmann::json* eos = reader.find({"eos_token_id"})) {
        const nlohmann::json ids = eos->is_array() ? *eos : nlohmann::json::array({*eos});
        for (const auto& id : ids) {
            if (!id.is_number_integer()) {
                throw UserError(reader.source() +
                                ": field 'eos_token_id' must be an integer or a list of them");
            }
            config.eos_token_ids.push_back(id.get<std::int64_t>());
        }
    }
    if (reader.find({"bos_token_id"}) != nullptr) {
        config.bos_token_id = reader.integer({"bos_token_id"}, std::nullopt);
    }
}

void checkShapes(const ModelConfig& config, const std::string& source) {
    if (config.vocab_size <= 0 || config.hidden_size <= 0 || config.num_layers <= 0 ||
        config.num_heads <= 0 || config.num_kv_heads <= 0 || config.head_dim <= 0 ||
        config.intermediate_size <= 0) {
        throw UserError(source +
                        ": sizes (vocab, hidden, layers, heads, head_dim, intermediate) must be positive");
    }
    if (config.num_heads % config.num_kv_heads != 0) {
        throw UserError(source + ": num_attention_heads must be a multiple of num_key_value_heads");
    }
    if (config.position == PositionKind::Rope &&
        (config.rotary_dims <= 0 || config.rotary_dims % 2 != 0 || config.rotary_dims > config.head_dim)) {
        throw UserError(source + ": the rotary dimension must be even and within the head dimension");
    }
}

}  // namespace

std::string architectureName(Architecture architecture) {
    for (const auto& [value, name] : kArchitectures) {
        if (value == architecture) {
            return name;
        }
    }
    return "invalid";
}

Architecture architectureFromName(const std::string& model_type) {
    for (const auto& [value, name] : kArchitectures) {
        if (model_type == name) {
            return value;
        }
    }
    return Architecture::Invalid;
}

ModelConfig parseModelConfig(const nlohmann::json& json, const std::string& source) {
    if (!json.is_object()) {
        throw UserError(source + ": config is not a JSON object");
    }
    const ConfigReader reader(json, source);
    ModelConfig config;
    config.model_type = reader.text({"model_type"}, "");
    config.architecture = architectureFromName(config.model_type);
    switch (config.architecture) {
        case Architecture::Llama:
        case Architecture::Mistral:
        case Architecture::Qwen2:
            readLlamaFamily(reader, config);
            break;
        case Architecture::GptNeoX:
            readGptNeoX(reader, config);
            break;
        case Architecture::Bloom:
            readBloom(reader, config);
            break;
        case Architecture::GptJ:
            readGptJ(reader, config);
            break;
        case Architecture::Mpt:
            readMpt(reader, config);
            break;
        case Architecture::Invalid:
            throw UserError(source + ": model_type '" + config.model_type +
                            "' is not supported (llama, mistral, qwen2, gpt_neox, bloom, gptj, mpt)");
    }
    readSpecialTokens(reader, config);
    checkShapes(config, source);
    return config;
}

std::vector<float> alibiSlopes(const ModelConfig& config) {
    const std::int64_t heads = config.num_heads;
    const double bias_max = config.alibi_bias_max;
    std::vector<float> slopes;
    if (config.architecture == Architecture::Mpt) {
        const std::int64_t padded = std::int64_t{1} << static_cast<int>(std::ceil(std::log2(heads)));
        std::vector<float> all;
        for (std::int64_t k = 1; k <= padded; ++k) {
            all.push_back(static_cast<float>(
                1.0 / std::pow(2.0, static_cast<double>(k) * bias_max / static_cast<double>(padded))));
        }
        if (padded == heads) {
            return all;
        }
        for (std::size_t i = 1; i < all.size(); i += 2) {
            slopes.push_back(all[i]);
        }
        for (std::size_t i = 0; i < all.size(); i += 2) {
            slopes.push_back(all[i]);
        }
        slopes.resize(static_cast<std::size_t>(heads));
        return slopes;
    }
    const std::int64_t closest = std::int64_t{1} << static_cast<int>(std::floor(std::log2(heads)));
    const double base = std::pow(2.0, -8.0 / static_cast<double>(closest));
    for (std::int64_t k = 1; k <= closest; ++k) {
        slopes.push_back(static_cast<float>(std::pow(base, static_cast<double>(k))));
    }
    const double extra_base = std::pow(2.0, -4.0 / static_cast<double>(closest));
    const std::int64_t remaining = std::min(closest, heads - closest);
    for (std::int64_t i = 0; i < remaining; ++i) {
        slopes.push_back(static_cast<float>(std::pow(extra_base, static_cast<double>(2 * i + 1))));
    }
    return slopes;
}

ModelConfig loadModelConfig(const std::string& model_dir) {
    namespace fs = std::filesystem;
    if (!fs::is_directory(model_dir)) {
        throw UserError(model_dir + ": not a model folder");
    }
    const std::string path = (fs::path(model_dir) / "config.json").string();
    std::ifstream in(path);
    if (!in) {
        throw UserError(model_dir + ": no config.json in this folder (not a Hugging Face model directory)");
    }
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& error) {
        throw UserError(path + ": not valid JSON: " + error.what());
    }
    return parseModelConfig(json, path);
}

}  // namespace vietllm::weights
