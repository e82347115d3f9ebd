#include "backend/tokenizer/embedding_resize.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/weights/float_codec.h"
#include "backend/weights/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

namespace vietllm::tokenizer {

namespace fs = std::filesystem;

namespace {

constexpr const char* kIndexFile = "model.safetensors.index.json";

// The old tensor with rows appended (or overwritten past first_new_id), each the mean of its sources.
std::vector<std::uint8_t> resizedTensor(const weights::TensorView& tensor, std::int64_t new_rows,
                                        TokenId first_new_id,
                                        const std::vector<std::vector<TokenId>>& sources) {
    const std::int64_t old_rows = tensor.shape.at(0);
    const std::size_t element = weights::dtypeSize(tensor.dtype);
    const std::size_t row_elements =
        old_rows ? tensor.byte_size / element / static_cast<std::size_t>(old_rows) : 0;
    const std::size_t row_bytes = row_elements * element;
    std::vector<std::uint8_t> out(static_cast<std::size_t>(new_rows) * row_bytes, 0);
    std::memcpy(out.data(), tensor.data, tensor.byte_size);
    std::vector<double> sum(row_elements);
    for (std::size_t i = 0; i < sources.size(); ++i) {
        std::fill(sum.begin(), sum.end(), 0.0);
        for (const TokenId source : sources[i]) {
            const std::uint8_t* row = tensor.data + static_cast<std::size_t>(source) * row_bytes;
            for (std::size_t k = 0; k < row_elements; ++k)
                sum[k] += weights::loadElement(row + k * element, tensor.dtype);
        }
        std::uint8_t* target = out.data() + (static_cast<std::size_t>(first_new_id) + i) * row_bytes;
        const double count = sources[i].empty() ? 1.0 : static_cast<double>(sources[i].size());
        for (std::size_t k = 0; k < row_elements; ++k) {
            weights::storeElement(static_cast<float>(sum[k] / count), tensor.dtype, target + k * element);
        }
    }
    return out;
}

void copyFileAtomically(const fs::path& from, const fs::path& to) {
    std::ifstream in(from, std::ios::binary);
    if (!in) throw UserError(from.string() + ": cannot open the file");
    AtomicFileWriter writer(to.string());
    writer.stream() << in.rdbuf();
    writer.commit();
}

template <typename Json>
void writeJson(const fs::path& path, const Json& json) {
    AtomicFileWriter writer(path.string());
    writer.stream() << json.dump(2) << '\n';
    writer.commit();
}

nlohmann::ordered_json readOrderedJson(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError(path.string() + ": cannot open the file");
    std::ostringstream content;
    content << in.rdbuf();
    try {
        return nlohmann::ordered_json::parse(content.str());
    } catch (const nlohmann::json::parse_error& error) {
        throw UserError(path.string() + ": not valid JSON (" + error.what() + ")");
    }
}

bool isTokenizerFile(const std::string& name) {
    static const std::set<std::string> kNames = {
        "tokenizer.json",    "tokenizer_config.json", "special_tokens_map.json",
        "added_tokens.json", "tokenizer.model",       "vocab.json",
        "merges.txt"};
    return kNames.count(name) > 0;
}

bool isOtherWeightFile(const std::string& name) {
    for (const char* suffix :
         {".bin", ".pt", ".pth", ".gguf", ".ckpt", ".h5", ".msgpack", ".bin.index.json"}) {
        const std::string ending(suffix);
        if (name.size() >= ending.size() &&
            name.compare(name.size() - ending.size(), ending.size(), ending) == 0)
            return true;
    }
    return false;
}

}  // namespace

const std::vector<std::string>& vocabularyTensorNames() {
    static const std::vector<std::string> kNames = {"model.embed_tokens.weight",
                                                    "lm_head.weight",
                                                    "lm_head.bias",
                                                    "transformer.wte.weight",
                                                    "wte.weight",
                                                    "gpt_neox.embed_in.weight",
                                                    "embed_out.weight",
                                                    "transformer.word_embeddings.weight",
                                                    "word_embeddings.weight"};
    return kNames;
}

ResizeResult resizeModelVocabulary(const std::string& model_dir, const std::string& out_dir,
                                   TokenId first_new_id, const std::vector<std::vector<TokenId>>& sources) {
    const fs::path model(model_dir);
    const fs::path out(out_dir);
    std::error_code error;
    if (!fs::is_directory(model, error)) throw UserError(model_dir + ": --model is not a folder");
    // The shard files: the index's, or the single model.safetensors.
    std::vector<std::string> shards;
    nlohmann::ordered_json index;
    const bool sharded = fs::exists(model / kIndexFile);
    if (sharded) {
        index = readOrderedJson(model / kIndexFile);
        if (!index.contains("weight_map") || !index["weight_map"].is_object())
            throw UserError((model / kIndexFile).string() + ": no 'weight_map' object");
        std::set<std::string> unique;
        for (const auto& [name, file] : index["weight_map"].items()) {
            if (!file.is_string())
                throw UserError((model / kIndexFile).string() + ": weight_map." + name +
                                " is not a file name");
            if (unique.insert(file.get<std::string>()).second) shards.push_back(file.get<std::string>());
        }
    } else if (fs::exists(model / "model.safetensors")) {
        shards.push_back("model.safetensors");
    } else {
        throw UserError(model_dir + ": no model.safetensors or " + kIndexFile +
                        " (only safetensors weights can be resized)");
    }
    std::vector<std::unique_ptr<weights::SafetensorsFile>> files;
    std::vector<const weights::TensorView*> vocabulary_tensors;
    for (const std::string& shard : shards) {
        files.push_back(std::make_unique<weights::SafetensorsFile>((model / shard).string()));
        for (const std::string& name : vocabularyTensorNames()) {
            if (const auto* tensor = files.back()->find(name)) vocabulary_tensors.push_back(tensor);
        }
    }
    if (vocabulary_tensors.empty()) {
        throw UserError(model_dir +
                        ": no vocabulary tensor (looked for model.embed_tokens.weight, lm_head.weight, "
                        "transformer.wte.weight, gpt_neox.embed_in.weight, ...)");
    }
    ResizeResult result;
    result.old_rows = vocabulary_tensors.front()->shape.empty() ? 0 : vocabulary_tensors.front()->shape[0];
    for (const auto* tensor : vocabulary_tensors) {
        if (tensor->shape.empty() || tensor->shape[0] != result.old_rows) {
            throw UserError(model_dir + ": tensor " + tensor->name + " does not have " +
                            std::to_string(result.old_rows) + " rows like " +
                            vocabulary_tensors.front()->name);
        }
        if (tensor->dtype != weights::DType::F32 && tensor->dtype != weights::DType::BF16 &&
            tensor->dtype != weights::DType::F16) {
            throw UserError(model_dir + ": tensor " + tensor->name + " is " +
                            weights::dtypeName(tensor->dtype) +
                            "; only F32, BF16 and F16 vocabulary tensors can be resized");
        }
    }
    if (result.old_rows < first_new_id) {
        throw UserError(model_dir + ": the model has " + std::to_string(result.old_rows) +
                        " vocabulary rows but the base tokenizer has " + std::to_string(first_new_id) +
                        " ids: is --model the base tokenizer's model?");
    }
    for (const auto& row_sources : sources) {
        for (const TokenId source : row_sources) {
            if (source < 0 || source >= first_new_id)
                throw std::logic_error("resize: a source row is not an old row");
        }
    }
    result.new_rows =
        std::max<std::int64_t>(result.old_rows, first_new_id + static_cast<std::int64_t>(sources.size()));
    fs::create_directories(out, error);
    if (error) throw UserError(out_dir + ": cannot create the folder (" + error.message() + ")");
    std::int64_t added_bytes = 0;
    for (std::size_t f = 0; f < files.size(); ++f) {
        std::vector<weights::TensorToWrite> tensors;
        std::vector<std::vector<std::uint8_t>> buffers;
        buffers.reserve(vocabulary_tensors.size());
        bool touched = false;
        for (const weights::TensorView& view : files[f]->tensors()) {
            weights::TensorToWrite tensor{view.name, view.dtype, view.shape, view.data};
            if (std::find(vocabulary_tensors.begin(), vocabulary_tensors.end(), &view) !=
                vocabulary_tensors.end()) {
                buffers.push_back(resizedTensor(view, result.new_rows, first_new_id, sources));
                tensor.shape[0] = result.new_rows;
                tensor.data = buffers.back().data();
                added_bytes += static_cast<std::int64_t>(buffers.back().size() - view.byte_size);
                result.tensors.push_back(view.name);
                touched = true;
            }
            tensors.push_back(std::move(tensor));
        }
        if (touched) {
            weights::writeSafetensors((out / shards[f]).string(), tensors, files[f]->metadata());
        } else {
            copyFileAtomically(model / shards[f], out / shards[f]);
        }
        result.written_files.push_back(shards[f]);
    }
    if (sharded) {
        if (index.contains("metadata") && index["metadata"].is_object() &&
            index["metadata"].contains("total_size") && index["metadata"]["total_size"].is_number_integer()) {
            index["metadata"]["total_size"] =
                index["metadata"]["total_size"].get<std::int64_t>() + added_bytes;
        }
        writeJson(out / kIndexFile, index);
        result.written_files.push_back(kIndexFile);
    }
    nlohmann::ordered_json config = readOrderedJson(model / "config.json");
    config["vocab_size"] = result.new_rows;
    writeJson(out / "config.json", config);
    result.written_files.push_back("config.json");
    for (const auto& entry : fs::directory_iterator(model, error)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file() || name == "config.json" || name == kIndexFile ||
            isTokenizerFile(name) || std::find(shards.begin(), shards.end(), name) != shards.end()) {
            continue;
        }
        if (isOtherWeightFile(name) || entry.path().extension() == ".safetensors") {
            result.skipped_files.push_back(name);
            continue;
        }
        copyFileAtomically(entry.path(), out / name);
        result.written_files.push_back(name);
    }
    return result;
}

}  // namespace vietllm::tokenizer
