#include "backend/tokenizer/sentencepiece_tokenizer.h"

#include "backend/common/errors.h"
#include "backend/text/normalize.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace vietllm::tokenizer {

namespace {

constexpr const char* kShimFileName = "libvietllm_sentencepiece_shim.so";

template <typename Function>
Function resolve(void* module, const char* name, const std::string& path) {
    void* symbol = dlsym(module, name);
    if (symbol == nullptr) throw UserError(path + ": the sentencepiece shim lacks " + name);
    return reinterpret_cast<Function>(symbol);
}

}  // namespace

SentencePieceShim::SentencePieceShim(const std::string& path) {
    // Deep binding keeps the shim's protobuf-lite (inside libsentencepiece) apart from libtorch's.
    void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (module == nullptr) {
        const char* reason = dlerror();
        throw UserError(path + ": cannot load the sentencepiece shim (" + (reason ? reason : "unknown") +
                        "); .model tokenizers need it beside the executable");
    }
    create = resolve<VietllmSpmCreateFn>(module, "vietllm_spm_create", path);
    free = resolve<VietllmSpmFreeFn>(module, "vietllm_spm_free", path);
    load = resolve<VietllmSpmLoadFn>(module, "vietllm_spm_load", path);
    encode = resolve<VietllmSpmEncodeFn>(module, "vietllm_spm_encode", path);
    ids = resolve<VietllmSpmIdsFn>(module, "vietllm_spm_ids", path);
    decode = resolve<VietllmSpmDecodeFn>(module, "vietllm_spm_decode", path);
    text = resolve<VietllmSpmTextFn>(module, "vietllm_spm_text", path);
    piece_size = resolve<VietllmSpmPieceSizeFn>(module, "vietllm_spm_piece_size", path);
    id_to_piece = resolve<VietllmSpmIdToPieceFn>(module, "vietllm_spm_id_to_piece", path);
    piece_to_id = resolve<VietllmSpmPieceToIdFn>(module, "vietllm_spm_piece_to_id", path);
    special_id = resolve<VietllmSpmSpecialIdFn>(module, "vietllm_spm_special_id", path);
    last_error = resolve<VietllmSpmLastErrorFn>(module, "vietllm_spm_last_error", path);
    train_model = resolve<VietllmSpmTrainFn>(module, "vietllm_spm_train", path);
}

std::string SentencePieceShim::defaultPath() {
    if (const char* configured = std::getenv("VIETLLM_SENTENCEPIECE_SHIM"); configured && *configured) {
        return configured;
    }
    std::error_code error;
    const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
    const std::filesystem::path beside = executable.parent_path() / kShimFileName;
    const std::filesystem::path bin = executable.parent_path().parent_path() / "bin" / kShimFileName;
    if (!std::filesystem::exists(beside, error) && std::filesystem::exists(bin, error)) return bin.string();
    return beside.string();
}

void SentencePieceShim::train(const std::string& flags) const {
    char error[1024] = {};
    if (train_model(flags.c_str(), error, sizeof error) != 0) {
        throw UserError(std::string("sentencepiece training failed: ") + error);
    }
}

SentencePieceTokenizer::SentencePieceTokenizer(std::shared_ptr<const SentencePieceShim> shim,
                                               const std::string& model_path)
    : m_shim(std::move(shim)), m_path(model_path) {
    m_processor = m_shim->create();
    if (m_processor == nullptr)
        throw UserError(model_path + ": out of memory creating a sentencepiece processor");
    if (m_shim->load(m_processor, model_path.c_str()) != 0) {
        const std::string reason = m_shim->last_error(m_processor);
        m_shim->free(m_processor);
        throw UserError(model_path + ": not a readable SentencePiece model (" + reason + ")");
    }
    m_vocab_size = static_cast<std::size_t>(m_shim->piece_size(m_processor));
    const auto special = [&](SpmSpecial which) -> std::optional<TokenId> {
        const TokenId id = m_shim->special_id(m_processor, static_cast<int>(which));
        return id >= 0 ? std::optional<TokenId>(id) : std::nullopt;
    };
    m_bos_id = special(SpmSpecial::Bos);
    m_eos_id = special(SpmSpecial::Eos);
}

SentencePieceTokenizer::~SentencePieceTokenizer() {
    m_shim->free(m_processor);
}

std::vector<TokenId> SentencePieceTokenizer::encode(std::string_view text, bool add_special) const {
    const std::string nfc = text::toNfc(text);
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_shim->encode(m_processor, nfc.data(), nfc.size()) != 0) {
        throw UserError(m_path + ": encoding failed: " + m_shim->last_error(m_processor));
    }
    std::size_t count = 0;
    const std::int32_t* ids = m_shim->ids(m_processor, &count);
    std::vector<TokenId> out;
    if (add_special && m_bos_id) out.push_back(*m_bos_id);
    out.insert(out.end(), ids, ids + count);
    return out;
}

std::string SentencePieceTokenizer::decode(const std::vector<TokenId>& ids, bool skip_special) const {
    std::vector<TokenId> kept;
    kept.reserve(ids.size());
    for (const TokenId id : ids) {
        if (id < 0 || static_cast<std::size_t>(id) >= m_vocab_size) {
            throw UserError("token id " + std::to_string(id) + " is out of range: " + m_path + " has " +
                            std::to_string(m_vocab_size) + " ids");
        }
        if (skip_special && (id == m_bos_id || id == m_eos_id)) continue;
        kept.push_back(id);
    }
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_shim->decode(m_processor, kept.data(), kept.size()) != 0) {
        throw UserError(m_path + ": decoding failed: " + m_shim->last_error(m_processor));
    }
    std::size_t length = 0;
    const char* text = m_shim->text(m_processor, &length);
    return std::string(text, length);
}

std::optional<TokenId> SentencePieceTokenizer::tokenId(std::string_view token) const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const TokenId id = m_shim->piece_to_id(m_processor, token.data(), token.size());
    return id >= 0 ? std::optional<TokenId>(id) : std::nullopt;
}

std::string SentencePieceTokenizer::tokenText(TokenId id) const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_shim->id_to_piece(m_processor, id) != 0) {
        throw UserError("token id " + std::to_string(id) + " is out of range: " + m_path + " has " +
                        std::to_string(m_vocab_size) + " ids");
    }
    std::size_t length = 0;
    const char* text = m_shim->text(m_processor, &length);
    return std::string(text, length);
}

}  // namespace vietllm::tokenizer
