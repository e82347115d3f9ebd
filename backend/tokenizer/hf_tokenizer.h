#pragma once
// A Hugging Face tokenizer.json, read and run by our own code (see bpe_model.h for why): the
// added tokens are matched first (longest match, leftmost, on the NFC input, with lstrip/rstrip),
// then each remaining section is normalized, pre-tokenized and run through the BPE model. The
// behaviour follows the JavaScript implementation @lenml/tokenizers (transformers.js), whose ids
// the tests compare against for Llama-2, Llama-3, Qwen3 and Gemma-3.

#include "backend/tokenizer/bpe_model.h"
#include "backend/tokenizer/text_pipeline.h"
#include "backend/tokenizer/token_decoder.h"
#include "backend/tokenizer/tokenizer.h"

#include <memory>
#include <string>
#include <vector>

namespace vietllm::tokenizer {

/// An entry of "added_tokens".
struct AddedToken {
    TokenId id = 0;
    std::string content;
    bool special = false;
    bool lstrip = false;
    bool rstrip = false;
};

class HfTokenizer final : public Tokenizer {
public:
    /// Reads `tokenizer_json`; `tokenizer_config_json` (may be empty or absent) names BOS/EOS and,
    /// when tokenizer.json's post-processor adds nothing, whether to add them.
    HfTokenizer(const std::string& tokenizer_json, const std::string& tokenizer_config_json);

    std::vector<TokenId> encode(std::string_view text, bool add_special) const override;
    std::string decode(const std::vector<TokenId>& ids, bool skip_special) const override;
    std::size_t vocabSize() const override { return m_model->size(); }
    std::optional<TokenId> tokenId(std::string_view token) const override { return m_model->tokenId(token); }
    std::string tokenText(TokenId id) const override;
    std::optional<TokenId> bosId() const override { return m_bos_id; }
    std::optional<TokenId> eosId() const override { return m_eos_id; }

private:
    struct Section {
        std::string text;
        int added_index = -1;  ///< index into m_added, or -1 for text
    };
    struct TrieNode {
        std::vector<std::pair<unsigned char, std::int32_t>> children;
        int added_index = -1;
    };

    void loadConfig(const std::string& tokenizer_config_json);
    void parsePostProcessor(const nlohmann::json& config);
    void buildTrie();
    std::vector<Section> splitAddedTokens(std::string_view text) const;
    void encodeSection(const std::string& text, std::size_t section_index, std::vector<TokenId>& out) const;

    std::string m_file;
    std::unique_ptr<BpeModel> m_model;
    std::vector<NormalizerStep> m_normalizer;
    PreTokenizer m_pre_tokenizer;
    std::vector<DecoderStep> m_decoder;
    std::vector<AddedToken> m_added;
    std::vector<bool> m_is_special;     ///< by id
    std::vector<bool> m_is_added;       ///< by id
    std::vector<TrieNode> m_trie;       ///< node 0 is the root
    std::vector<TokenId> m_prefix_ids;  ///< what add_special puts before the text
    std::vector<TokenId> m_suffix_ids;  ///< and after it
    std::optional<TokenId> m_bos_id;
    std::optional<TokenId> m_eos_id;
};

}  // namespace vietllm::tokenizer
