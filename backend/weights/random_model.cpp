#include "backend/weights/random_model.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/tokenizer/byte_level.h"
#include "backend/weights/float_codec.h"
#include "backend/weights/safetensors.h"
#include "backend/weights/tensor_layout.h"

#include <cstdio>
#include <filesystem>
#include <random>

namespace vietllm::weights {
namespace {

// Ids of the byte-level tokenizer written next to a random model: three specials, then the bytes.
constexpr int kPadId = 0;
constexpr int kBosId = 1;
constexpr int kEosId = 2;
constexpr int kFirstByteId = 3;

// The sizes `model init` writes. Llama-family shapes are those of Qwen2.5-0.5B, Llama-3.2-1B and
// Llama-3.1-8B; the other families get multi-head shapes of about the same parameter count
// (BLOOM-560m, Pythia-1B, GPT-J-6B-like), so that benchmarks run on realistic shapes offline.
struct Shape {
    std::int64_t hidden = 0;
    std::int64_t intermediate = 0;  ///< Llama family; the others use 4 x hidden
    std::int64_t layers = 0;
    std::int64_t heads = 0;
    std::int64_t kv_heads = 0;  ///< Llama family; the others have one KV head per head
    std::int64_t context = 0;
    std::int64_t llama_vocab = 0;
    bool tied = false;
};

constexpr std::int64_t kTinyHidden = 64;

Shape shapeOf(const std::string& size) {
    if (size == "tiny") return {kTinyHidden, 2 * kTinyHidden, 2, 4, 2, 256, 512, false};
    if (size == "0.5b") return {896, 4864, 24, 14, 2, 32768, 151936, true};
    if (size == "1b") return {2048, 8192, 16, 32, 8, 8192, 128256, true};
    if (size == "8b") return {4096, 14336, 32, 32, 8, 8192, 128256, false};
    throw UserError("option --size: '" + size + "' is not available (tiny, 0.5b, 1b, 8b)");
}

// The vocabulary a size gets when none is asked for: the tokenizer size of the model it imitates.
std::int64_t defaultVocab(const RandomModelOptions& options, const Shape& shape) {
    if (options.size == "tiny") return 512;
    switch (options.architecture) {
        case Architecture::Bloom:
            return 250880;
        case Architecture::GptNeoX:
        case Architecture::GptJ:
        case Architecture::Mpt:
            return 50304;
        default:
            return shape.llama_vocab;
    }
}

std::int64_t vocabOf(const RandomModelOptions& options, const Shape& shape) {
    return options.vocab_size > 0 ? options.vocab_size : defaultVocab(options, shape);
}

nlohmann::json llamaFamilyConfig(const RandomModelOptions& options, const Shape& shape,
                                 const char* class_name, bool tied, double rope_theta) {
    return {{"architectures", {class_name}},
            {"model_type", architectureName(options.architecture)},
            {"vocab_size", vocabOf(options, shape)},
            {"hidden_size", shape.hidden},
            {"intermediate_size", shape.intermediate},
            {"num_hidden_layers", shape.layers},
            {"num_attention_heads", shape.heads},
            {"num_key_value_heads", shape.kv_heads},
            {"max_position_embeddings", shape.context},
            {"rms_norm_eps", 1e-6},
            {"rope_theta", rope_theta},
            {"hidden_act", "silu"},
            {"tie_word_embeddings", tied},
            {"bos_token_id", kBosId},
            {"eos_token_id", kEosId},
            {"torch_dtype", options.dtype == "bf16" ? "bfloat16" : "float32"}};
}

void writeJsonFile(const std::string& path, const nlohmann::json& json) {
    AtomicFileWriter file(path);
    file.stream() << json.dump(1) << '\n';
    file.commit();
}

// A byte-level BPE tokenizer.json without merges: every UTF-8 byte is one token, so any text
// (Vietnamese included) round-trips exactly through a model with a 259-token vocabulary.
nlohmann::json byteTokenizerJson() {
    nlohmann::json vocab = nlohmann::json::object();
    nlohmann::json added = nlohmann::json::array();
    const std::pair<int, const char*> specials[] = {
        {kPadId, "<|pad|>"}, {kBosId, "<|bos|>"}, {kEosId, "<|eos|>"}};
    for (const auto& [id, text] : specials) {
        vocab[text] = id;
        added.push_back({{"id", id},
                         {"content", text},
                         {"special", true},
                         {"lstrip", false},
                         {"rstrip", false},
                         {"normalized", false},
                         {"single_word", false}});
    }
    for (int byte = 0; byte < 256; ++byte) {
        const std::string bytes(1, static_cast<char>(byte));
        vocab[tokenizer::bytesToByteLevel(bytes)] = kFirstByteId + byte;
    }
    const nlohmann::json byte_level = {
        {"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
    return {{"version", "1.0"},
            {"truncation", nullptr},
            {"padding", nullptr},
            {"added_tokens", added},
            {"normalizer", nullptr},
            {"pre_tokenizer", byte_level},
            {"post_processor", nullptr},
            {"decoder", byte_level},
            {"model",
             {{"type", "BPE"},
              {"dropout", nullptr},
              {"unk_token", nullptr},
              {"continuing_subword_prefix", nullptr},
              {"end_of_word_suffix", nullptr},
              {"fuse_unk", false},
              {"byte_fallback", false},
              {"ignore_merges", false},
              {"vocab", vocab},
              {"merges", nlohmann::json::array()}}}};
}

// Shards of at most this many bytes, so that writing an 8B model never holds more than one shard.
constexpr std::uint64_t kShardBytes = std::uint64_t{2} << 30;

std::int64_t elementCount(const TensorSpec& spec) {
    std::int64_t count = 1;
    for (const std::int64_t extent : spec.shape) {
        count *= extent;
    }
    return count;
}

// Consecutive tensors grouped into shards of at most kShardBytes (a larger tensor gets its own).
std::vector<std::vector<TensorSpec>> planShards(const std::vector<TensorSpec>& specs, DType dtype) {
    std::vector<std::vector<TensorSpec>> shards(1);
    std::uint64_t bytes = 0;
    for (const TensorSpec& spec : specs) {
        const std::uint64_t size = static_cast<std::uint64_t>(elementCount(spec)) * dtypeSize(dtype);
        if (bytes > 0 && bytes + size > kShardBytes) {
            shards.emplace_back();
            bytes = 0;
        }
        shards.back().push_back(spec);
        bytes += size;
    }
    return shards;
}

// Hugging Face's shard file names: model-00001-of-00004.safetensors.
std::string shardName(std::size_t index, std::size_t count) {
    char name[64];
    std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", index + 1, count);
    return name;
}

// The random values of each tensor, drawn in layout order. Tiny models keep the normal draws their
// golden logits were made with (matrices N(0, 0.15^2), norm scales 1 + N(0, 0.1^2), biases
// N(0, 0.1^2)); larger ones use Hugging Face's initialisation (std 0.02, norms 1, biases 0) from a
// uniform draw with that standard deviation, which is an order of magnitude faster for billions of
// values.
class ValueSource {
public:
    explicit ValueSource(const RandomModelOptions& options)
        : m_tiny(options.size == "tiny"), m_generator(options.seed), m_state(options.seed | 1) {}

    std::vector<std::uint8_t> tensor(const TensorSpec& spec, DType dtype) {
        const auto count = static_cast<std::size_t>(elementCount(spec));
        const std::size_t element = dtypeSize(dtype);
        std::vector<std::uint8_t> bytes(count * element);
        for (std::size_t index = 0; index < count; ++index) {
            storeElement(next(spec.role), dtype, bytes.data() + index * element);
        }
        return bytes;
    }

private:
    float next(TensorRole role) {
        if (m_tiny) {
            const float noise = m_normal(m_generator);
            return isNormScale(role) ? 1.0F + 0.1F * noise : (isBias(role) ? 0.1F : 0.15F) * noise;
        }
        if (isNormScale(role)) return 1.0F;
        if (isBias(role)) return 0.0F;
        // xorshift64*: 24 random bits to a uniform in [-a, a) with a = 0.02 * sqrt(3) (std 0.02).
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        const std::uint64_t bits = (m_state * 0x2545F4914F6CDD1DULL) >> 40;
        constexpr float kHalfWidth = 0.034641016F;
        return (static_cast<float>(bits) / 8388608.0F - 1.0F) * kHalfWidth;
    }

    bool m_tiny;
    std::mt19937_64 m_generator;
    std::normal_distribution<float> m_normal{0.0F, 1.0F};
    std::uint64_t m_state;
};

}  // namespace

nlohmann::json randomModelConfig(const RandomModelOptions& options) {
    const Shape shape = shapeOf(options.size);
    if (options.dtype != "fp32" && options.dtype != "bf16") {
        throw UserError("option --dtype: '" + options.dtype + "' is not fp32 or bf16");
    }
    const std::int64_t vocab = vocabOf(options, shape);
    if (vocab < 8) {
        throw UserError("option --vocab: the vocabulary needs at least 8 tokens");
    }
    const bool tiny = options.size == "tiny";
    // Llama 3's RoPE base for the 1b and 8b shapes; the tiny goldens were made with 10000.
    const double llama_theta = tiny || options.size == "0.5b" ? 10000.0 : 500000.0;
    const std::int64_t wide = 4 * shape.hidden;
    switch (options.architecture) {
        case Architecture::Llama:
            return llamaFamilyConfig(options, shape, "LlamaForCausalLM", shape.tied, llama_theta);
        case Architecture::Mistral:
            return llamaFamilyConfig(options, shape, "MistralForCausalLM", shape.tied, llama_theta);
        case Architecture::Qwen2:
            return llamaFamilyConfig(options, shape, "Qwen2ForCausalLM", tiny || shape.tied, 1000000.0);
        case Architecture::GptNeoX:
            return {{"architectures", {"GPTNeoXForCausalLM"}},
                    {"model_type", "gpt_neox"},
                    {"vocab_size", vocab},
                    {"hidden_size", shape.hidden},
                    {"intermediate_size", wide},
                    {"num_hidden_layers", shape.layers},
                    {"num_attention_heads", shape.heads},
                    {"rotary_pct", 0.25},
                    {"rotary_emb_base", 10000},
                    {"use_parallel_residual", true},
                    {"layer_norm_eps", 1e-5},
                    {"hidden_act", "gelu"},
                    {"max_position_embeddings", shape.context},
                    {"tie_word_embeddings", false},
                    {"bos_token_id", kBosId},
                    {"eos_token_id", kEosId}};
        case Architecture::Bloom:
            return {{"architectures", {"BloomForCausalLM"}},
                    {"model_type", "bloom"},
                    {"vocab_size", vocab},
                    {"hidden_size", shape.hidden},
                    {"n_layer", shape.layers},
                    {"n_head", shape.heads},
                    {"layer_norm_epsilon", 1e-5},
                    {"bos_token_id", kBosId},
                    {"eos_token_id", kEosId}};
        case Architecture::GptJ:
            return {{"architectures", {"GPTJForCausalLM"}},
                    {"model_type", "gptj"},
                    {"vocab_size", vocab},
                    {"n_embd", shape.hidden},
                    {"n_layer", shape.layers},
                    {"n_head", shape.heads},
                    {"n_positions", shape.context},
                    {"rotary_dim", tiny ? 8 : 64},
                    {"activation_function", "gelu_new"},
                    {"layer_norm_epsilon", 1e-5},
                    {"bos_token_id", kBosId},
                    {"eos_token_id", kEosId}};
        case Architecture::Mpt:
            return {{"architectures", {"MptForCausalLM"}},
                    {"model_type", "mpt"},
                    {"vocab_size", vocab},
                    {"d_model", shape.hidden},
                    {"n_layers", shape.layers},
                    {"n_heads", shape.heads},
                    {"expansion_ratio", tiny ? 2 : 4},
                    {"max_seq_len", shape.context},
                    {"no_bias", true},
                    {"attn_config", {{"alibi", true}, {"alibi_bias_max", 8}}},
                    {"eos_token_id", kEosId}};
        case Architecture::Invalid:
            break;
    }
    throw UserError(
        "option --arch: unsupported architecture (llama, mistral, qwen2, gpt_neox, bloom, gptj, mpt)");
}

void writeRandomModel(const std::string& out_dir, const RandomModelOptions& options) {
    namespace fs = std::filesystem;
    const nlohmann::json config_json = randomModelConfig(options);
    const ModelConfig config = parseModelConfig(config_json, "generated config.json");
    std::error_code error;
    fs::create_directories(out_dir, error);
    if (error) {
        throw UserError(out_dir + ": cannot create the folder (" + error.message() + ")");
    }
    std::vector<TensorSpec> specs;
    for (const TensorSpec& spec : tensorLayout(config)) {
        if (!spec.optional) {
            specs.push_back(spec);  // a tied LM head is not stored, as save_pretrained does
        }
    }
    const DType dtype = options.dtype == "bf16" ? DType::BF16 : DType::F32;
    const std::vector<std::vector<TensorSpec>> shards = planShards(specs, dtype);
    ValueSource values(options);
    nlohmann::json weight_map = nlohmann::json::object();
    std::uint64_t total_bytes = 0;
    for (std::size_t index = 0; index < shards.size(); ++index) {
        const std::string file =
            shards.size() == 1 ? std::string("model.safetensors") : shardName(index, shards.size());
        std::vector<std::vector<std::uint8_t>> storage;
        std::vector<TensorToWrite> tensors;
        for (const TensorSpec& spec : shards[index]) {
            storage.push_back(values.tensor(spec, dtype));
            tensors.push_back({spec.name, dtype, spec.shape, storage.back().data()});
            total_bytes += storage.back().size();
            weight_map[spec.name] = file;
        }
        writeSafetensors((fs::path(out_dir) / file).string(), tensors, {{"format", "pt"}});
    }
    if (shards.size() > 1) {
        writeJsonFile((fs::path(out_dir) / "model.safetensors.index.json").string(),
                      {{"metadata", {{"total_size", total_bytes}}}, {"weight_map", weight_map}});
    }
    writeJsonFile((fs::path(out_dir) / "config.json").string(), config_json);
    if (config.vocab_size >= kFirstByteId + 256) {
        writeJsonFile((fs::path(out_dir) / "tokenizer.json").string(), byteTokenizerJson());
        writeJsonFile((fs::path(out_dir) / "tokenizer_config.json").string(), {{"bos_token", "<|bos|>"},
                                                                               {"eos_token", "<|eos|>"},
                                                                               {"pad_token", "<|pad|>"},
                                                                               {"add_bos_token", true},
                                                                               {"add_eos_token", false}});
    }
}

}  // namespace vietllm::weights
