#pragma once
// The engine's tokenizer interface: text <-> token ids. Two implementations sit behind it: our
// own reader of Hugging Face tokenizer.json files (byte-level BPE and SentencePiece-style BPE,
// hf_tokenizer.h) and SentencePiece .model files through the sentencepiece shim
// (sentencepiece_tokenizer.h). Every implementation NFC-normalizes its input first, so NFD
// Vietnamese gives the same ids as NFC.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::tokenizer {

using TokenId = std::int32_t;

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    /// Token ids of `text` (UTF-8; NFC-normalized first). `add_special` adds what the tokenizer's
    /// post-processor adds (e.g. BOS), as the model saw it in training.
    virtual std::vector<TokenId> encode(std::string_view text, bool add_special) const = 0;
    /// The text of `ids`; `skip_special` drops special tokens. The bytes are returned as decoded:
    /// a sequence cut inside a multi-byte character ends with an incomplete UTF-8 sequence.
    virtual std::string decode(const std::vector<TokenId>& ids, bool skip_special) const = 0;
    /// Number of ids (the largest id + 1), added tokens included.
    virtual std::size_t vocabSize() const = 0;
    /// The id of one token's exact text (e.g. "<|im_end|>"), if the vocabulary has it.
    virtual std::optional<TokenId> tokenId(std::string_view token) const = 0;
    /// The vocabulary text of `id`; throws UserError when `id` is out of range.
    virtual std::string tokenText(TokenId id) const = 0;
    /// Beginning- and end-of-sequence ids, when the tokenizer files name them.
    virtual std::optional<TokenId> bosId() const = 0;
    virtual std::optional<TokenId> eosId() const = 0;
};

/// Loads a tokenizer from `path`: a tokenizer.json, a SentencePiece .model file, or a model
/// directory holding either (tokenizer.json preferred). Throws UserError naming the file when it
/// is missing, unreadable or of a kind we do not support.
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path);

}  // namespace vietllm::tokenizer
