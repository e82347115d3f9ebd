#pragma once
// The BPE model of a tokenizer.json ("model": {"type": "BPE", ...}): vocabulary, merges by rank,
// byte fallback to <0xNN> tokens, ignore_merges. Written here (not taken from a library) because
// no Debian library reads tokenizer.json, and this is the hot path: merges run through a priority
// queue over a rank map keyed by token-id pairs, and results are cached per pre-token word.

#include "backend/tokenizer/tokenizer.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vietllm::tokenizer {

class BpeModel {
public:
    /// Reads the "model" object of tokenizer.json; `file` names it in errors.
    BpeModel(const nlohmann::json& model, const std::string& file);

    /// Adds (or re-points) a token, as added_tokens do: they join the vocabulary.
    void addToken(const std::string& content, TokenId id);
    /// Call once after the last addToken(): fills the byte tables from the final vocabulary.
    void finish();

    /// Appends the ids of one pre-token word. `byte_level` words are raw bytes that the model sees
    /// through GPT-2's byte map; other words are UTF-8 text split into code points.
    void encodeWord(std::string_view word, bool byte_level, std::vector<TokenId>& out) const;

    std::optional<TokenId> tokenId(std::string_view token) const;
    /// The token's text; empty for an id that has none.
    const std::string& tokenText(TokenId id) const;
    std::size_t size() const { return m_pieces.size(); }
    std::optional<TokenId> unknownId() const { return m_unknown_id; }
    /// True when consecutive unknown tokens are fused into one.
    bool fusesUnknown() const { return m_fuse_unknown; }

private:
    struct Merge {
        std::int32_t rank = 0;
        TokenId merged = 0;
    };
    struct Symbol {
        TokenId id = -1;  ///< -1: a character the vocabulary lacks
        std::uint32_t begin = 0;
        std::uint32_t length = 0;
        std::int32_t prev = -1;
        std::int32_t next = -1;
    };

    static std::uint64_t pairKey(TokenId left, TokenId right) {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) |
               static_cast<std::uint32_t>(right);
    }
    std::vector<Symbol> initialSymbols(std::string_view word, bool byte_level) const;
    void mergeSymbols(std::vector<Symbol>& symbols) const;
    void emitUnknown(std::string_view text, std::vector<TokenId>& out) const;

    std::unordered_map<std::string, TokenId> m_vocab;
    std::vector<std::string> m_pieces;
    std::vector<std::pair<std::string, std::string>> m_merge_texts;
    std::unordered_map<std::uint64_t, Merge> m_merges;
    std::unordered_map<std::uint32_t, TokenId> m_char_ids;  ///< single-code-point tokens, by UTF-8 bytes
    std::array<TokenId, 256> m_byte_level_ids{};
    std::array<TokenId, 256> m_fallback_ids{};
    std::optional<TokenId> m_unknown_id;
    std::string m_unknown_token;
    bool m_byte_fallback = false;
    bool m_ignore_merges = false;
    bool m_fuse_unknown = false;
    std::string m_file;

    mutable std::mutex m_cache_mutex;
    mutable std::unordered_map<std::string, std::vector<TokenId>> m_cache;
};

}  // namespace vietllm::tokenizer
