#pragma once
// The decoder architecture of a Hugging Face model directory, read from its config.json into one
// family-neutral description (norm, attention, positions, MLP, residual wiring) that the engine
// runs and that `model init` writes back. Supported model_type values: llama, mistral, qwen2,
// gpt_neox, bloom, gptj, mpt.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::weights {

enum class Architecture { Invalid = 0, Llama, Mistral, Qwen2, GptNeoX, Bloom, GptJ, Mpt };
enum class NormKind { Invalid = 0, RmsNorm, LayerNorm };
enum class PositionKind { Invalid = 0, Rope, Alibi };
/// RoPE pairing: dims i and i + d/2 (Llama, Qwen2, NeoX) or neighbours 2i, 2i+1 (GPT-J).
enum class RopeLayout { Invalid = 0, RotateHalf, Interleaved };
enum class RopeScalingKind { Invalid = 0, None, Linear, Llama3 };
/// SwiGLU `down(silu(gate(x)) * up(x))`, or `down(act(up(x)))` with exact or tanh GELU.
enum class MlpKind { Invalid = 0, SwiGlu, GeluErf, GeluTanh };
/// Sequential pre-norm blocks, NeoX's `x + attn(ln1(x)) + mlp(ln2(x))`, or GPT-J's one-norm variant.
enum class ResidualKind { Invalid = 0, Sequential, ParallelTwoNorms, ParallelOneNorm };

struct RopeScaling {
    RopeScalingKind kind = RopeScalingKind::None;
    double factor = 1.0;
    double low_freq_factor = 1.0;
    double high_freq_factor = 4.0;
    std::int64_t original_max_positions = 8192;
};

struct ModelConfig {
    Architecture architecture = Architecture::Invalid;
    std::string model_type;
    std::int64_t vocab_size = 0;
    std::int64_t hidden_size = 0;
    std::int64_t intermediate_size = 0;
    std::int64_t num_layers = 0;
    std::int64_t num_heads = 0;
    std::int64_t num_kv_heads = 0;
    std::int64_t head_dim = 0;
    std::int64_t max_positions = 0;
    double norm_eps = 1e-5;
    NormKind norm = NormKind::Invalid;
    bool norm_bias = false;
    bool embedding_norm = false;  // BLOOM's LayerNorm right after the embedding
    PositionKind position = PositionKind::Invalid;
    RopeLayout rope_layout = RopeLayout::Invalid;
    std::int64_t rotary_dims = 0;  // leading dims of each head that RoPE rotates
    double rope_theta = 10000.0;
    RopeScaling rope_scaling;
    double alibi_bias_max = 8.0;
    MlpKind mlp = MlpKind::Invalid;
    ResidualKind residual = ResidualKind::Invalid;
    bool qkv_bias = false;
    bool attention_out_bias = false;
    bool mlp_bias = false;
    bool lm_head_bias = false;
    bool tie_word_embeddings = false;
    std::optional<std::int64_t> sliding_window;
    double clip_qkv = 0.0;     // MPT: clamp q, k, v to [-clip, clip] when > 0
    double logit_scale = 1.0;  // MPT (llm-foundry): logits multiplied by this
    std::vector<std::int64_t> eos_token_ids;
    std::optional<std::int64_t> bos_token_id;
};

/// The HF model_type name of `architecture` ("llama", "gpt_neox", ...).
std::string architectureName(Architecture architecture);
/// The architecture for a model_type name; Invalid when unsupported.
Architecture architectureFromName(const std::string& model_type);

/// Reads a parsed config.json; `source` names the file in errors. Throws UserError for an
/// unsupported model_type, a missing or inconsistent field, or an unsupported option.
ModelConfig parseModelConfig(const nlohmann::json& config, const std::string& source);
/// ALiBi head slopes of `config`: BLOOM's formula (`build_alibi_tensor`) or, for MPT, llm-foundry's
/// `gen_slopes` with alibi_bias_max; the two agree when bias_max is 8.
std::vector<float> alibiSlopes(const ModelConfig& config);

/// Reads MODEL_DIR/config.json; throws UserError when the folder or file is missing or bad.
ModelConfig loadModelConfig(const std::string& model_dir);

}  // namespace vietllm::weights
