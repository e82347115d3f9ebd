#include "backend/tokenizer/tokenizer.h"

#include "backend/common/errors.h"
#include "backend/tokenizer/hf_tokenizer.h"
#include "backend/tokenizer/sentencepiece_tokenizer.h"

#include <filesystem>

namespace vietllm::tokenizer {

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::path file = path;
    if (fs::is_directory(file, error)) {
        if (fs::exists(file / "tokenizer.json", error)) {
            file /= "tokenizer.json";
        } else if (fs::exists(file / "tokenizer.model", error)) {
            file /= "tokenizer.model";
        } else {
            throw UserError(path + ": the folder has neither tokenizer.json nor tokenizer.model");
        }
    } else if (!fs::exists(file, error)) {
        throw UserError(path + ": no such file or folder");
    }
    if (file.extension() == ".model") {
        auto shim = std::make_shared<const SentencePieceShim>(SentencePieceShim::defaultPath());
        return std::make_unique<SentencePieceTokenizer>(std::move(shim), file.string());
    }
    if (file.extension() == ".json") {
        const fs::path config = file.parent_path() / "tokenizer_config.json";
        return std::make_unique<HfTokenizer>(file.string(), fs::exists(config, error) ? config.string() : "");
    }
    throw UserError(path + ": not a tokenizer (expected tokenizer.json, a .model file or a model folder)");
}

}  // namespace vietllm::tokenizer
