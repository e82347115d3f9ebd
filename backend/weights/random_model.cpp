#include "backend/weights/random_model.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/tokenizer/byte_level.h"
#include "backend/weights/safetensors.h"
#include "backend/weights/tensor_layout.h"

#include <filesystem>
#include <random>

namespace vietllm::weights {
namespace {

// Ids of the byte-level tokenizer written next to a random model: three specials, then the bytes.
constexpr int kPadId = 0;
constexpr int kBosId = 1;
constexpr int kEosId = 2;
constexpr int kFirstByteId = 3;

constexpr std::int64_t kTinyHidden = 64;
constexpr std::int64_t kTinyLayers = 2;
constexpr std::int64_t kTinyHeads = 4;
constexpr std::int64_t kTinyKvHeads = 2;
constexpr std::int64_t kTinyContext = 256;

nlohmann::json llamaFamilyConfig(const RandomModelOptions& options, const char* class_name, bool tied,
                                 double rope_theta) {
    return {{"architectures", {class_name}},
            {"model_type", architectureName(options.architecture)},
            {"vocab_size", options.vocab_size},
            {"hidden_size", kTinyHidden},
            {"intermediate_size", 2 * kTinyHidden},
            {"num_hidden_layers", kTinyLayers},
            {"num_attention_heads", kTinyHeads},
            {"num_key_value_heads", kTinyKvHeads},
            {"max_position_embeddings", kTinyContext},
            {"rms_norm_eps", 1e-6},
            {"rope_theta", rope_theta},
            {"hidden_act", "silu"},
            {"tie_word_embeddings", tied},
            {"bos_token_id", kBosId},
            {"eos_token_id", kEosId},
            {"torch_dtype", "float32"}};
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

}  // namespace

nlohmann::json randomModelConfig(const RandomModelOptions& options) {
    if (options.size != "tiny") {
        throw UserError("option --size: '" + options.size + "' is not available (tiny)");
    }
    if (options.vocab_size < 8) {
        throw UserError("option --vocab: the vocabulary needs at least 8 tokens");
    }
    const std::int64_t vocab = options.vocab_size;
    switch (options.architecture) {
        case Architecture::Llama:
            return llamaFamilyConfig(options, "LlamaForCausalLM", false, 10000.0);
        case Architecture::Mistral:
            return llamaFamilyConfig(options, "MistralForCausalLM", false, 10000.0);
        case Architecture::Qwen2:
            return llamaFamilyConfig(options, "Qwen2ForCausalLM", true, 1000000.0);
        case Architecture::GptNeoX:
            return {{"architectures", {"GPTNeoXForCausalLM"}},
                    {"model_type", "gpt_neox"},
                    {"vocab_size", vocab},
                    {"hidden_size", kTinyHidden},
                    {"intermediate_size", 4 * kTinyHidden},
                    {"num_hidden_layers", kTinyLayers},
                    {"num_attention_heads", kTinyHeads},
                    {"rotary_pct", 0.25},
                    {"rotary_emb_base", 10000},
                    {"use_parallel_residual", true},
                    {"layer_norm_eps", 1e-5},
                    {"hidden_act", "gelu"},
                    {"max_position_embeddings", kTinyContext},
                    {"tie_word_embeddings", false},
                    {"bos_token_id", kBosId},
                    {"eos_token_id", kEosId}};
        case Architecture::Bloom:
            return {{"architectures", {"BloomForCausalLM"}},
                    {"model_type", "bloom"},
                    {"vocab_size", vocab},
                    {"hidden_size", kTinyHidden},
                    {"n_layer", kTinyLayers},
                    {"n_head", kTinyHeads},
                    {"layer_norm_epsilon", 1e-5},
                    {"bos_token_id", kBosId},
                    {"eos_token_id", kEosId}};
        case Architecture::GptJ:
            return {{"architectures", {"GPTJForCausalLM"}},
                    {"model_type", "gptj"},
                    {"vocab_size", vocab},
                    {"n_embd", kTinyHidden},
                    {"n_layer", kTinyLayers},
                    {"n_head", kTinyHeads},
                    {"n_positions", kTinyContext},
                    {"rotary_dim", 8},
                    {"activation_function", "gelu_new"},
                    {"layer_norm_epsilon", 1e-5},
                    {"bos_token_id", kBosId},
                    {"eos_token_id", kEosId}};
        case Architecture::Mpt:
            return {{"architectures", {"MptForCausalLM"}},
                    {"model_type", "mpt"},
                    {"vocab_size", vocab},
                    {"d_model", kTinyHidden},
                    {"n_layers", kTinyLayers},
                    {"n_heads", kTinyHeads},
                    {"expansion_ratio", 2},
                    {"max_seq_len", kTinyContext},
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
    std::mt19937_64 generator(options.seed);
    std::normal_distribution<float> normal(0.0F, 1.0F);
    std::vector<std::vector<float>> storage;
    std::vector<TensorToWrite> tensors;
    for (const TensorSpec& spec : tensorLayout(config)) {
        if (spec.optional) {
            continue;  // a tied LM head is not stored, as save_pretrained does
        }
        std::int64_t count = 1;
        for (const std::int64_t extent : spec.shape) {
            count *= extent;
        }
        std::vector<float> values(static_cast<std::size_t>(count));
        for (float& value : values) {
            const float noise = normal(generator);
            value = isNormScale(spec.role) ? 1.0F + 0.1F * noise : (isBias(spec.role) ? 0.1F : 0.15F) * noise;
        }
        storage.push_back(std::move(values));
        tensors.push_back({spec.name, DType::F32, spec.shape, storage.back().data()});
    }
    writeSafetensors((fs::path(out_dir) / "model.safetensors").string(), tensors, {{"format", "pt"}});
    writeJsonFile((fs::path(out_dir) / "config.json").string(), config_json);
    if (options.vocab_size >= kFirstByteId + 256) {
        writeJsonFile((fs::path(out_dir) / "tokenizer.json").string(), byteTokenizerJson());
        writeJsonFile((fs::path(out_dir) / "tokenizer_config.json").string(), {{"bos_token", "<|bos|>"},
                                                                               {"eos_token", "<|eos|>"},
                                                                               {"pad_token", "<|pad|>"},
                                                                               {"add_bos_token", true},
                                                                               {"add_eos_token", false}});
    }
}

}  // namespace vietllm::weights
