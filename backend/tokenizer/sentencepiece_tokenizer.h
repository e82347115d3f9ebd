#pragma once
// SentencePiece .model files through the sentencepiece shim (sentencepiece_shim_api.h explains
// why the library is never linked directly). The shim sits next to the executable
// (libvietllm_sentencepiece_shim.so, found through /proc/self/exe; also ../bin from a test
// folder), or where $VIETLLM_SENTENCEPIECE_SHIM points.

#include "backend/tokenizer/sentencepiece_shim_api.h"
#include "backend/tokenizer/tokenizer.h"

#include <memory>
#include <mutex>
#include <string>

namespace vietllm::tokenizer {

/// The shim's functions, resolved once from the opened module (which is never closed).
class SentencePieceShim {
public:
    /// Opens the shim at `path`; throws UserError naming the path and dlerror() when it fails.
    explicit SentencePieceShim(const std::string& path);

    /// Where the shim is looked for: $VIETLLM_SENTENCEPIECE_SHIM, the executable's folder,
    /// then ../bin beside it. Returns the first that exists (or the executable's folder's path).
    static std::string defaultPath();

    /// Trains a model with sentencepiece trainer flags; throws UserError with the trainer's message.
    void train(const std::string& flags) const;

    VietllmSpmCreateFn create = nullptr;
    VietllmSpmFreeFn free = nullptr;
    VietllmSpmLoadFn load = nullptr;
    VietllmSpmEncodeFn encode = nullptr;
    VietllmSpmIdsFn ids = nullptr;
    VietllmSpmDecodeFn decode = nullptr;
    VietllmSpmTextFn text = nullptr;
    VietllmSpmPieceSizeFn piece_size = nullptr;
    VietllmSpmIdToPieceFn id_to_piece = nullptr;
    VietllmSpmPieceToIdFn piece_to_id = nullptr;
    VietllmSpmSpecialIdFn special_id = nullptr;
    VietllmSpmLastErrorFn last_error = nullptr;
    VietllmSpmTrainFn train_model = nullptr;
};

class SentencePieceTokenizer final : public Tokenizer {
public:
    /// Loads `model_path` through `shim`; throws UserError naming the file when it is not a model.
    SentencePieceTokenizer(std::shared_ptr<const SentencePieceShim> shim, const std::string& model_path);
    ~SentencePieceTokenizer() override;
    SentencePieceTokenizer(const SentencePieceTokenizer&) = delete;
    SentencePieceTokenizer& operator=(const SentencePieceTokenizer&) = delete;

    std::vector<TokenId> encode(std::string_view text, bool add_special) const override;
    std::string decode(const std::vector<TokenId>& ids, bool skip_special) const override;
    std::size_t vocabSize() const override { return m_vocab_size; }
    std::optional<TokenId> tokenId(std::string_view token) const override;
    std::string tokenText(TokenId id) const override;
    std::optional<TokenId> bosId() const override { return m_bos_id; }
    std::optional<TokenId> eosId() const override { return m_eos_id; }

private:
    std::shared_ptr<const SentencePieceShim> m_shim;
    std::string m_path;
    VietllmSpmProcessor* m_processor = nullptr;
    mutable std::mutex m_mutex;  ///< the processor keeps its last result: one call at a time
    std::size_t m_vocab_size = 0;
    std::optional<TokenId> m_bos_id;
    std::optional<TokenId> m_eos_id;
};

}  // namespace vietllm::tokenizer
