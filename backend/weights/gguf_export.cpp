#include "backend/weights/gguf_export.h"

#include "backend/common/errors.h"
#include "backend/tokenizer/json_fields.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/weights/float_codec.h"
#include "backend/weights/gguf.h"
#include "backend/weights/model_config.h"
#include "backend/weights/safetensors.h"
#include "backend/weights/tensor_layout.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <unordered_map>

namespace vietllm::weights {

namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;

// Token types of llama.cpp's vocabulary (llama_token_type).
enum TokenType : std::int32_t {
    kNormal = 1,
    kUnknown = 2,
    kControl = 3,
    kUserDefined = 4,
    kUnused = 5,
    kByte = 6
};

nlohmann::json readJson(const fs::path& path) {
    std::ifstream in(path);
    if (!in) {
        throw UserError(path.string() + ": cannot read");
    }
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& error) {
        throw UserError(path.string() + ": not valid JSON (" + error.what() + ")");
    }
}

// llama.cpp's architecture name for our family (Mistral runs as "llama" there).
std::string ggufArchitecture(Architecture architecture) {
    switch (architecture) {
        case Architecture::Llama:
        case Architecture::Mistral:
            return "llama";
        case Architecture::Qwen2:
            return "qwen2";
        case Architecture::GptNeoX:
            return "gptneox";
        case Architecture::Bloom:
            return "bloom";
        case Architecture::GptJ:
            return "gptj";
        case Architecture::Mpt:
            return "mpt";
        case Architecture::Invalid:
            break;
    }
    throw UserError("GGUF export: unsupported architecture");
}

void addHyperParameters(GgufWriter& writer, const ModelConfig& config, const std::string& arch) {
    const std::string prefix = arch + ".";
    writer.addUint32(prefix + "context_length", static_cast<std::uint32_t>(config.max_positions));
    writer.addUint32(prefix + "embedding_length", static_cast<std::uint32_t>(config.hidden_size));
    writer.addUint32(prefix + "block_count", static_cast<std::uint32_t>(config.num_layers));
    writer.addUint32(prefix + "feed_forward_length", static_cast<std::uint32_t>(config.intermediate_size));
    writer.addUint32(prefix + "attention.head_count", static_cast<std::uint32_t>(config.num_heads));
    writer.addUint32(prefix + "attention.head_count_kv", static_cast<std::uint32_t>(config.num_kv_heads));
    if (config.norm == NormKind::RmsNorm) {
        writer.addFloat32(prefix + "attention.layer_norm_rms_epsilon", static_cast<float>(config.norm_eps));
    } else {
        writer.addFloat32(prefix + "attention.layer_norm_epsilon", static_cast<float>(config.norm_eps));
    }
    if (config.head_dim * config.num_heads != config.hidden_size) {
        writer.addUint32(prefix + "attention.key_length", static_cast<std::uint32_t>(config.head_dim));
        writer.addUint32(prefix + "attention.value_length", static_cast<std::uint32_t>(config.head_dim));
    }
    if (config.position == PositionKind::Rope) {
        writer.addUint32(prefix + "rope.dimension_count", static_cast<std::uint32_t>(config.rotary_dims));
        writer.addFloat32(prefix + "rope.freq_base", static_cast<float>(config.rope_theta));
        if (config.rope_scaling.kind == RopeScalingKind::Linear) {
            writer.addString(prefix + "rope.scaling.type", "linear");
            writer.addFloat32(prefix + "rope.scaling.factor", static_cast<float>(config.rope_scaling.factor));
        }
    }
    if (config.architecture == Architecture::GptNeoX) {
        writer.addBool(prefix + "use_parallel_residual", config.residual == ResidualKind::ParallelTwoNorms);
    }
    if (config.architecture == Architecture::Mpt) {
        if (config.clip_qkv > 0) {
            writer.addFloat32(prefix + "attention.clamp_kqv", static_cast<float>(config.clip_qkv));
        }
        writer.addFloat32(prefix + "attention.max_alibi_bias", static_cast<float>(config.alibi_bias_max));
    }
    if (config.architecture == Architecture::Qwen2 || arch == "llama") {
        writer.addUint32(prefix + "vocab_size", static_cast<std::uint32_t>(config.vocab_size));
    }
}

// Llama 3.1's frequency-dependent RoPE scaling as the per-pair divisors llama.cpp reads from
// rope_freqs.weight: 1 for short wavelengths, the factor for long ones, a blend in between.
std::vector<float> llama3RopeFactors(const ModelConfig& config) {
    const RopeScaling& scaling = config.rope_scaling;
    const double low_wavelength =
        static_cast<double>(scaling.original_max_positions) / scaling.low_freq_factor;
    const double high_wavelength =
        static_cast<double>(scaling.original_max_positions) / scaling.high_freq_factor;
    std::vector<float> factors;
    for (std::int64_t pair = 0; pair < config.rotary_dims / 2; ++pair) {
        const double frequency =
            1.0 / std::pow(config.rope_theta,
                           static_cast<double>(2 * pair) / static_cast<double>(config.rotary_dims));
        const double wavelength = 2.0 * kPi / frequency;
        if (wavelength < high_wavelength) {
            factors.push_back(1.0F);
        } else if (wavelength > low_wavelength) {
            factors.push_back(static_cast<float>(scaling.factor));
        } else {
            const double smooth =
                (static_cast<double>(scaling.original_max_positions) / wavelength - scaling.low_freq_factor) /
                (scaling.high_freq_factor - scaling.low_freq_factor);
            factors.push_back(static_cast<float>(1.0 / ((1.0 - smooth) / scaling.factor + smooth)));
        }
    }
    return factors;
}

// llama.cpp's tensor name for a role ("" for roles it has no tensor for).
std::string ggufTensorName(const TensorSpec& spec) {
    const std::string block = "blk." + std::to_string(spec.layer) + ".";
    switch (spec.role) {
        case TensorRole::Embedding:
            return "token_embd.weight";
        case TensorRole::EmbeddingNormWeight:
            return "token_embd_norm.weight";
        case TensorRole::EmbeddingNormBias:
            return "token_embd_norm.bias";
        case TensorRole::AttentionNormWeight:
            return block + "attn_norm.weight";
        case TensorRole::AttentionNormBias:
            return block + "attn_norm.bias";
        case TensorRole::Query:
            return block + "attn_q.weight";
        case TensorRole::QueryBias:
            return block + "attn_q.bias";
        case TensorRole::Key:
            return block + "attn_k.weight";
        case TensorRole::KeyBias:
            return block + "attn_k.bias";
        case TensorRole::Value:
            return block + "attn_v.weight";
        case TensorRole::ValueBias:
            return block + "attn_v.bias";
        case TensorRole::QkvPerHead:
        case TensorRole::QkvPlain:
            return block + "attn_qkv.weight";
        case TensorRole::QkvPerHeadBias:
        case TensorRole::QkvPlainBias:
            return block + "attn_qkv.bias";
        case TensorRole::AttentionOut:
            return block + "attn_output.weight";
        case TensorRole::AttentionOutBias:
            return block + "attn_output.bias";
        case TensorRole::MlpNormWeight:
            return block + "ffn_norm.weight";
        case TensorRole::MlpNormBias:
            return block + "ffn_norm.bias";
        case TensorRole::Gate:
            return block + "ffn_gate.weight";
        case TensorRole::GateBias:
            return block + "ffn_gate.bias";
        case TensorRole::Up:
            return block + "ffn_up.weight";
        case TensorRole::UpBias:
            return block + "ffn_up.bias";
        case TensorRole::Down:
            return block + "ffn_down.weight";
        case TensorRole::DownBias:
            return block + "ffn_down.bias";
        case TensorRole::FinalNormWeight:
            return "output_norm.weight";
        case TensorRole::FinalNormBias:
            return "output_norm.bias";
        case TensorRole::LmHead:
            return "output.weight";
        case TensorRole::LmHeadBias:
            return "output.bias";
        case TensorRole::Invalid:
            break;
    }
    return {};
}

std::vector<float> loadFloats(const TensorView& view) {
    if (view.dtype != DType::F32 && view.dtype != DType::BF16 && view.dtype != DType::F16) {
        throw UserError("tensor " + view.name + ": dtype " + dtypeName(view.dtype) +
                        " cannot be exported (F32, BF16 and F16 can)");
    }
    const std::size_t element = dtypeSize(view.dtype);
    std::vector<float> values(static_cast<std::size_t>(view.elementCount()));
    for (std::size_t index = 0; index < values.size(); ++index) {
        values[index] = loadElement(view.data + index * element, view.dtype);
    }
    return values;
}

// Rows of a [heads * head_dim, ...] Q or K projection reordered from Hugging Face's rotate-half
// layout to the interleaved pairs llama.cpp's "llama" RoPE rotates: row h*d + 2i + a comes from
// row h*d + a*d/2 + i.
std::vector<float> interleaveRopeRows(const std::vector<float>& values, std::int64_t rows,
                                      std::int64_t head_dim) {
    const std::size_t columns = values.size() / static_cast<std::size_t>(rows);
    std::vector<float> out(values.size());
    const std::int64_t half = head_dim / 2;
    for (std::int64_t row = 0; row < rows; ++row) {
        const std::int64_t head = row / head_dim;
        const std::int64_t within = row % head_dim;
        const std::int64_t source = head * head_dim + (within % 2) * half + within / 2;
        std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(source * columns), columns,
                    out.begin() + static_cast<std::ptrdiff_t>(row * columns));
    }
    return out;
}

// A fused per-head QKV ([heads][3][head_dim] rows, GPT-NeoX and BLOOM) regrouped as [q; k; v].
std::vector<float> groupQkvRows(const std::vector<float>& values, std::int64_t heads, std::int64_t head_dim) {
    const std::int64_t rows = 3 * heads * head_dim;
    const std::size_t columns = values.size() / static_cast<std::size_t>(rows);
    std::vector<float> out(values.size());
    for (std::int64_t part = 0; part < 3; ++part) {
        for (std::int64_t head = 0; head < heads; ++head) {
            for (std::int64_t within = 0; within < head_dim; ++within) {
                const std::int64_t target = (part * heads + head) * head_dim + within;
                const std::int64_t source = (head * 3 + part) * head_dim + within;
                std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(source * columns), columns,
                            out.begin() + static_cast<std::ptrdiff_t>(target * columns));
            }
        }
    }
    return out;
}

std::vector<float> rearranged(const TensorSpec& spec, const ModelConfig& config, std::vector<float> values) {
    const bool llama_rope = ggufArchitecture(config.architecture) == "llama";
    switch (spec.role) {
        case TensorRole::Query:
        case TensorRole::QueryBias:
        case TensorRole::Key:
        case TensorRole::KeyBias:
            return llama_rope ? interleaveRopeRows(values, spec.shape.at(0), config.head_dim) : values;
        case TensorRole::QkvPerHead:
        case TensorRole::QkvPerHeadBias:
            return groupQkvRows(values, config.num_heads, config.head_dim);
        default:
            return values;
    }
}

GgmlType storageType(const TensorSpec& spec, GgufExportType type) {
    if (spec.shape.size() < 2 || type == GgufExportType::F32) {
        return GgmlType::F32;
    }
    const bool whole_blocks = spec.shape.back() % 32 == 0;
    if (type == GgufExportType::Q8_0 && whole_blocks) {
        return GgmlType::Q8_0;
    }
    if (type == GgufExportType::Q4_0 && whole_blocks) {
        const bool edge = spec.role == TensorRole::Embedding || spec.role == TensorRole::LmHead;
        return edge ? GgmlType::Q8_0 : GgmlType::Q4_0;
    }
    return GgmlType::F16;
}

std::vector<std::uint8_t> encode(const std::vector<float>& values, GgmlType type) {
    switch (type) {
        case GgmlType::Q8_0:
            return quantizeQ8_0(values.data(), values.size());
        case GgmlType::Q4_0:
            return quantizeQ4_0(values.data(), values.size());
        case GgmlType::F16: {
            std::vector<std::uint8_t> out(values.size() * 2);
            for (std::size_t index = 0; index < values.size(); ++index) {
                storeElement(values[index], DType::F16, out.data() + index * 2);
            }
            return out;
        }
        default: {
            std::vector<std::uint8_t> out(values.size() * sizeof(float));
            std::memcpy(out.data(), values.data(), out.size());
            return out;
        }
    }
}

std::uint32_t fileType(GgufExportType type) {
    switch (type) {
        case GgufExportType::F32:
            return 0;
        case GgufExportType::F16:
            return 1;
        case GgufExportType::Q4_0:
            return 2;
        case GgufExportType::Q8_0:
            return 7;
        case GgufExportType::Invalid:
            break;
    }
    throw UserError("GGUF export: no type given");
}

// The content of a special-token entry of tokenizer_config.json: a string or {"content": ...}.
std::string specialContent(const nlohmann::json& config, const char* key) {
    const nlohmann::json& entry = tokenizer::fieldOrNull(config, key);
    if (entry.is_string()) {
        return entry.get<std::string>();
    }
    return entry.is_object() ? tokenizer::stringField(entry, "content") : std::string();
}

std::string mergeText(const nlohmann::json& merge) {
    if (merge.is_string()) {
        return merge.get<std::string>();
    }
    if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string()) {
        return merge[0].get<std::string>() + " " + merge[1].get<std::string>();
    }
    throw UserError("tokenizer.json: a merge is neither \"a b\" nor [\"a\", \"b\"]");
}

// What llama.cpp calls the pre-tokenizer of a byte-level BPE tokenizer, recognised by its split
// pattern (Llama-3 groups digits by three, Qwen2 splits every digit) or GPT-2's built-in regex.
std::string byteLevelPreName(const nlohmann::json& pre_tokenizer) {
    const std::string text = pre_tokenizer.dump();
    if (text.find("\\\\p{N}{1,3}") != std::string::npos) {
        return "llama-bpe";
    }
    if (text.find("\\\\p{N}|") != std::string::npos) {
        return "qwen2";
    }
    if (text.find("ByteLevel") != std::string::npos && text.find("Split") == std::string::npos) {
        return "gpt-2";
    }
    return "default";
}

bool isSentencePieceStyle(const nlohmann::json& tokenizer_json) {
    const nlohmann::json& model = tokenizer::fieldOrNull(tokenizer_json, "model");
    if (tokenizer::boolField(model, "byte_fallback", false)) {
        return true;
    }
    const std::string pipeline = tokenizer::fieldOrNull(tokenizer_json, "pre_tokenizer").dump() +
                                 tokenizer::fieldOrNull(tokenizer_json, "normalizer").dump();
    return pipeline.find("Metaspace") != std::string::npos || pipeline.find("\u2581") != std::string::npos;
}

bool isByteToken(const std::string& text) {
    return text.size() == 6 && text.compare(0, 3, "<0x") == 0 && text.back() == '>' &&
           std::isxdigit(static_cast<unsigned char>(text[3])) &&
           std::isxdigit(static_cast<unsigned char>(text[4]));
}

struct Vocabulary {
    std::vector<std::string> tokens;
    std::vector<std::int32_t> types;
    std::vector<float> scores;  // SentencePiece style only
    std::vector<std::string> merges;
    std::unordered_map<std::string, std::int32_t> ids;
};

Vocabulary readVocabulary(const nlohmann::json& tokenizer_json, const std::string& source, std::int64_t rows,
                          bool sentencepiece) {
    const nlohmann::json& model = tokenizer::fieldOrNull(tokenizer_json, "model");
    if (tokenizer::stringField(model, "type") != "BPE") {
        throw UserError(source + ": only BPE tokenizers can be exported to GGUF (model.type is '" +
                        tokenizer::stringField(model, "type") + "')");
    }
    std::map<std::int64_t, std::string> by_id;
    for (const auto& [text, id] : tokenizer::fieldOrNull(model, "vocab").items()) {
        by_id[id.get<std::int64_t>()] = text;
    }
    std::map<std::int64_t, bool> added_special;
    for (const nlohmann::json& added : tokenizer::fieldOrNull(tokenizer_json, "added_tokens")) {
        const auto id = static_cast<std::int64_t>(tokenizer::unsignedField(added, "id", 0));
        by_id[id] = tokenizer::stringField(added, "content");
        added_special[id] = tokenizer::boolField(added, "special", false);
    }
    if (!by_id.empty() && by_id.rbegin()->first >= rows) {
        throw UserError(source + ": the tokenizer has token id " + std::to_string(by_id.rbegin()->first) +
                        " but the embedding has only " + std::to_string(rows) + " rows");
    }
    const std::string unknown = tokenizer::stringField(model, "unk_token");
    Vocabulary vocabulary;
    for (std::int64_t id = 0; id < rows; ++id) {
        const auto found = by_id.find(id);
        std::int32_t type = kNormal;
        std::string text;
        if (found == by_id.end()) {
            text = "[PAD" + std::to_string(id) + "]";
            type = kUnused;
        } else {
            text = found->second;
            const auto added = added_special.find(id);
            if (!unknown.empty() && text == unknown) {
                type = kUnknown;  // even when listed among the added tokens, as <unk> often is
            } else if (added != added_special.end()) {
                type = added->second ? kControl : kUserDefined;
            } else if (sentencepiece && isByteToken(text)) {
                type = kByte;
            }
        }
        vocabulary.ids.emplace(text, static_cast<std::int32_t>(id));
        vocabulary.tokens.push_back(std::move(text));
        vocabulary.types.push_back(type);
    }
    for (const nlohmann::json& merge : tokenizer::fieldOrNull(model, "merges")) {
        vocabulary.merges.push_back(mergeText(merge));
    }
    if (sentencepiece) {
        // llama.cpp's SentencePiece tokenizer merges the adjacent pair whose result scores highest;
        // scoring each merge result by minus its merge rank reproduces the BPE merge order.
        vocabulary.scores.assign(vocabulary.tokens.size(), 0.0F);
        for (std::size_t rank = 0; rank < vocabulary.merges.size(); ++rank) {
            const std::string& merge = vocabulary.merges[rank];
            const std::size_t space = merge.find(' ');
            const auto merged = vocabulary.ids.find(merge.substr(0, space) + merge.substr(space + 1));
            if (merged != vocabulary.ids.end() && vocabulary.scores[merged->second] == 0.0F) {
                vocabulary.scores[merged->second] = -static_cast<float>(rank + 1);
            }
        }
    }
    return vocabulary;
}

std::optional<std::int32_t> specialId(const Vocabulary& vocabulary, const nlohmann::json& tokenizer_config,
                                      const char* key, std::optional<std::int64_t> fallback) {
    const std::string content = specialContent(tokenizer_config, key);
    const auto found = vocabulary.ids.find(content);
    if (!content.empty() && found != vocabulary.ids.end()) {
        return found->second;
    }
    if (fallback) {
        return static_cast<std::int32_t>(*fallback);
    }
    return std::nullopt;
}

std::string chatTemplateOf(const nlohmann::json& tokenizer_config) {
    const nlohmann::json& entry = tokenizer::fieldOrNull(tokenizer_config, "chat_template");
    if (entry.is_string()) {
        return entry.get<std::string>();
    }
    if (entry.is_array()) {
        for (const nlohmann::json& named : entry) {
            if (tokenizer::stringField(named, "name") == "default") {
                return tokenizer::stringField(named, "template");
            }
        }
    }
    return {};
}

std::size_t addTokenizer(GgufWriter& writer, const fs::path& folder, const ModelConfig& config) {
    const fs::path tokenizer_path = folder / "tokenizer.json";
    if (!fs::exists(tokenizer_path)) {
        throw UserError(folder.string() + ": no tokenizer.json (GGUF export needs the tokenizer)");
    }
    const nlohmann::json tokenizer_json = readJson(tokenizer_path);
    const fs::path config_path = folder / "tokenizer_config.json";
    const nlohmann::json tokenizer_config =
        fs::exists(config_path) ? readJson(config_path) : nlohmann::json::object();
    const bool sentencepiece = isSentencePieceStyle(tokenizer_json);
    const Vocabulary vocabulary =
        readVocabulary(tokenizer_json, tokenizer_path.string(), config.vocab_size, sentencepiece);

    writer.addString("tokenizer.ggml.model", sentencepiece ? "llama" : "gpt2");
    writer.addString("tokenizer.ggml.pre", sentencepiece ? "default"
                                                         : byteLevelPreName(tokenizer::fieldOrNull(
                                                               tokenizer_json, "pre_tokenizer")));
    writer.addStringArray("tokenizer.ggml.tokens", vocabulary.tokens);
    writer.addInt32Array("tokenizer.ggml.token_type", vocabulary.types);
    if (sentencepiece) {
        writer.addFloat32Array("tokenizer.ggml.scores", vocabulary.scores);
    } else {
        writer.addStringArray("tokenizer.ggml.merges", vocabulary.merges);
    }
    const std::optional<std::int64_t> no_id;
    const std::optional<std::int64_t> first_eos =
        config.eos_token_ids.empty() ? no_id : std::optional<std::int64_t>(config.eos_token_ids.front());
    const std::pair<const char*, std::optional<std::int32_t>> specials[] = {
        {"tokenizer.ggml.bos_token_id",
         specialId(vocabulary, tokenizer_config, "bos_token", config.bos_token_id)},
        {"tokenizer.ggml.eos_token_id", specialId(vocabulary, tokenizer_config, "eos_token", first_eos)},
        {"tokenizer.ggml.unknown_token_id", specialId(vocabulary, tokenizer_config, "unk_token", no_id)},
        {"tokenizer.ggml.padding_token_id", specialId(vocabulary, tokenizer_config, "pad_token", no_id)},
    };
    for (const auto& [key, id] : specials) {
        if (id) {
            writer.addUint32(key, static_cast<std::uint32_t>(*id));
        }
    }
    // Whether encoding adds BOS is what our tokenizer's post-processor does with the same files.
    const auto tokenizer = tokenizer::loadTokenizer(tokenizer_path.string());
    const std::vector<tokenizer::TokenId> with_special = tokenizer->encode("a", true);
    const bool adds_bos =
        tokenizer->bosId() && !with_special.empty() && with_special.front() == *tokenizer->bosId();
    writer.addBool("tokenizer.ggml.add_bos_token", adds_bos);
    const std::string chat_template = chatTemplateOf(tokenizer_config);
    if (!chat_template.empty()) {
        writer.addString("tokenizer.chat_template", chat_template);
    }
    return vocabulary.tokens.size();
}

}  // namespace

GgufExportType parseGgufExportType(std::string_view name) {
    if (name == "f32") return GgufExportType::F32;
    if (name == "f16") return GgufExportType::F16;
    if (name == "q8_0") return GgufExportType::Q8_0;
    if (name == "q4_0") return GgufExportType::Q4_0;
    return GgufExportType::Invalid;
}

GgufExportReport exportGguf(const std::string& model_dir, const std::string& out_path, GgufExportType type,
                            const std::function<void(std::size_t, std::size_t)>& on_tensor) {
    ModelConfig config = loadModelConfig(model_dir);
    const auto weights = std::make_shared<WeightSet>(model_dir);
    reconcileWithWeights(config, *weights);
    const std::string arch = ggufArchitecture(config.architecture);
    const fs::path folder(model_dir);

    GgufWriter writer;
    GgufExportReport report;
    report.architecture = arch;
    writer.addString("general.architecture", arch);
    writer.addString("general.name", fs::absolute(folder).lexically_normal().filename().string());
    writer.addUint32("general.file_type", fileType(type));
    if (type == GgufExportType::Q8_0 || type == GgufExportType::Q4_0) {
        writer.addUint32("general.quantization_version", 2);
    }
    writer.addUint32("general.alignment", 32);
    addHyperParameters(writer, config, arch);
    report.vocabulary = addTokenizer(writer, folder, config);

    if (config.rope_scaling.kind == RopeScalingKind::Llama3) {
        const std::vector<float> factors = llama3RopeFactors(config);
        writer.addTensor("rope_freqs.weight", {static_cast<std::int64_t>(factors.size())}, GgmlType::F32,
                         [factors] { return encode(factors, GgmlType::F32); });
        ++report.tensors_by_type["F32"];
    }
    bool has_head = false;
    const TensorSpec* embedding = nullptr;
    const std::vector<TensorSpec> layout = tensorLayout(config);
    for (const TensorSpec& spec : layout) {
        const TensorView* view = weights->find(spec.name);
        if (view == nullptr) {
            if (!spec.optional) {
                weights->require(spec.name);  // throws, naming the tensor and folder
            }
            continue;
        }
        has_head = has_head || spec.role == TensorRole::LmHead;
        if (spec.role == TensorRole::Embedding) {
            embedding = &spec;
        }
        const GgmlType storage = storageType(spec, type);
        writer.addTensor(ggufTensorName(spec), spec.shape, storage, [weights, view, spec, config, storage] {
            return encode(rearranged(spec, config, loadFloats(*view)), storage);
        });
        ++report.tensors_by_type[ggmlTypeName(storage)];
    }
    // llama.cpp's BLOOM loader wants an output matrix even when the head is tied (its converter
    // writes the embedding twice); the other families fall back to token_embd themselves.
    if (!has_head && config.architecture == Architecture::Bloom && embedding != nullptr) {
        TensorSpec head = *embedding;
        head.role = TensorRole::LmHead;
        const TensorView* view = weights->find(embedding->name);
        const GgmlType storage = storageType(head, type);
        writer.addTensor("output.weight", head.shape, storage,
                         [weights, view, storage] { return encode(loadFloats(*view), storage); });
        ++report.tensors_by_type[ggmlTypeName(storage)];
    }
    for (const auto& [name, count] : report.tensors_by_type) {
        report.tensors += count;
    }
    writer.write(out_path, on_tensor);
    report.file_bytes = fs::file_size(out_path);
    return report;
}

}  // namespace vietllm::weights
