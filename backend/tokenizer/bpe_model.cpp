#include "backend/tokenizer/bpe_model.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/tokenizer/byte_level.h"

#include "backend/tokenizer/json_fields.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <queue>

namespace vietllm::tokenizer {

namespace {

// Words longer than this are rarely repeated (SentencePiece-style models see whole lines).
constexpr std::size_t kMaxCachedWordBytes = 256;
constexpr std::size_t kMaxCacheEntries = 1 << 16;

std::size_t utf8SequenceLength(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;
}

// The bytes of one UTF-8 character packed into an integer key (at most 4 bytes).
std::uint32_t packCharacter(std::string_view character) {
    std::uint32_t key = 0;
    for (const char byte : character) key = (key << 8) | static_cast<unsigned char>(byte);
    return key;
}

std::string fallbackTokenText(unsigned byte) {
    char text[8];
    std::snprintf(text, sizeof text, "<0x%02X>", byte);
    return text;
}

}  // namespace

BpeModel::BpeModel(const nlohmann::json& model, const std::string& file) : m_file(file) {
    const auto fail = [&](const std::string& what) { throw UserError(file + ": model: " + what); };
    if (!model.is_object() || stringField(model, "type", "BPE") != "BPE") {
        fail("only BPE models are supported (type is " +
             (model.is_object() && model.contains("type") ? model["type"].dump() : std::string("missing")) +
             ")");
    }
    if (!model.contains("vocab") || !model["vocab"].is_object()) {
        fail("'vocab' is missing or not an object");
    }
    for (const auto& [token, id] : model["vocab"].items()) {
        if (!id.is_number_integer() || id.get<long long>() < 0 || id.get<long long>() > INT32_MAX) {
            fail("vocab entry " + nlohmann::json(token).dump() + " has no valid id");
        }
        addToken(token, id.get<TokenId>());
    }
    const auto text_field = [&](const char* name) {
        return model.contains(name) && model[name].is_string() ? model[name].get<std::string>()
                                                               : std::string();
    };
    m_unknown_token = text_field("unk_token");
    m_byte_fallback = boolField(model, "byte_fallback", false);
    m_ignore_merges = boolField(model, "ignore_merges", false);
    m_fuse_unknown = boolField(model, "fuse_unk", false);
    if (!text_field("continuing_subword_prefix").empty() || !text_field("end_of_word_suffix").empty()) {
        fail("continuing_subword_prefix and end_of_word_suffix are not supported");
    }
    if (!model.contains("merges") || !model["merges"].is_array()) {
        fail("'merges' is missing or not an array");
    }
    // Merges come as "a b" strings (older writers) or ["a", "b"] pairs (tokenizers >= 0.20).
    m_merge_texts.reserve(model["merges"].size());
    for (const auto& merge : model["merges"]) {
        if (merge.is_string()) {
            const std::string text = merge.get<std::string>();
            const std::size_t space = text.find(' ');
            if (space == std::string::npos) fail("merge " + merge.dump() + " has no space");
            const std::size_t second_end = text.find(' ', space + 1);
            m_merge_texts.emplace_back(text.substr(0, space), text.substr(space + 1, second_end - space - 1));
        } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string()) {
            m_merge_texts.emplace_back(merge[0].get<std::string>(), merge[1].get<std::string>());
        } else {
            fail("merge " + merge.dump() + " is neither \"a b\" nor [\"a\", \"b\"]");
        }
    }
}

void BpeModel::addToken(const std::string& content, TokenId id) {
    m_vocab[content] = id;
    if (static_cast<std::size_t>(id) >= m_pieces.size()) {
        m_pieces.resize(static_cast<std::size_t>(id) + 1);
    }
    m_pieces[static_cast<std::size_t>(id)] = content;
}

void BpeModel::finish() {
    m_merges.clear();
    m_merges.reserve(m_merge_texts.size());
    for (std::size_t rank = 0; rank < m_merge_texts.size(); ++rank) {
        const auto& [left, right] = m_merge_texts[rank];
        const auto left_id = tokenId(left);
        const auto right_id = tokenId(right);
        const auto merged_id = tokenId(left + right);
        // A merge whose parts or result are not tokens can never apply to in-vocabulary symbols.
        if (!left_id || !right_id || !merged_id) continue;
        m_merges.emplace(pairKey(*left_id, *right_id), Merge{static_cast<std::int32_t>(rank), *merged_id});
    }
    // Words start as characters: look those up by an integer key instead of hashing strings.
    m_char_ids.clear();
    for (const auto& [token, id] : m_vocab) {
        if (!token.empty() && token.size() <= 4 &&
            utf8SequenceLength(static_cast<unsigned char>(token[0])) == token.size()) {
            m_char_ids[packCharacter(token)] = id;
        }
    }
    for (unsigned byte = 0; byte < 256; ++byte) {
        std::string single;
        utf8::append(single, byteToUnicode(static_cast<unsigned char>(byte)));
        m_byte_level_ids[byte] = tokenId(single).value_or(-1);
        m_fallback_ids[byte] = tokenId(fallbackTokenText(byte)).value_or(-1);
    }
    if (!m_unknown_token.empty()) {
        m_unknown_id = tokenId(m_unknown_token);
    }
    const std::lock_guard<std::mutex> lock(m_cache_mutex);
    m_cache.clear();
}

std::optional<TokenId> BpeModel::tokenId(std::string_view token) const {
    const auto found = m_vocab.find(std::string(token));
    if (found == m_vocab.end()) return std::nullopt;
    return found->second;
}

const std::string& BpeModel::tokenText(TokenId id) const {
    static const std::string kNone;
    if (id < 0 || static_cast<std::size_t>(id) >= m_pieces.size()) return kNone;
    return m_pieces[static_cast<std::size_t>(id)];
}

std::vector<BpeModel::Symbol> BpeModel::initialSymbols(std::string_view word, bool byte_level) const {
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    std::size_t position = 0;
    while (position < word.size()) {
        Symbol symbol;
        symbol.begin = static_cast<std::uint32_t>(position);
        if (byte_level) {
            symbol.length = 1;
            symbol.id = m_byte_level_ids[static_cast<unsigned char>(word[position])];
        } else {
            symbol.length = static_cast<std::uint32_t>(std::min(
                utf8SequenceLength(static_cast<unsigned char>(word[position])), word.size() - position));
            const auto found = m_char_ids.find(packCharacter(word.substr(position, symbol.length)));
            symbol.id = found == m_char_ids.end() ? -1 : found->second;
        }
        symbol.prev = static_cast<std::int32_t>(symbols.size()) - 1;
        symbol.next = static_cast<std::int32_t>(symbols.size()) + 1;
        position += symbol.length;
        symbols.push_back(symbol);
    }
    if (!symbols.empty()) symbols.back().next = -1;
    return symbols;
}

void BpeModel::mergeSymbols(std::vector<Symbol>& symbols) const {
    // Lowest rank first; among equal ranks the leftmost pair, as the reference implementations do.
    struct Candidate {
        std::int32_t rank;
        std::int32_t left;
        TokenId left_id;
        TokenId right_id;
        bool operator>(const Candidate& other) const {
            return rank != other.rank ? rank > other.rank : left > other.left;
        }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
    const auto push = [&](std::int32_t left) {
        const std::int32_t right = symbols[static_cast<std::size_t>(left)].next;
        if (right < 0) return;
        const TokenId left_id = symbols[static_cast<std::size_t>(left)].id;
        const TokenId right_id = symbols[static_cast<std::size_t>(right)].id;
        if (left_id < 0 || right_id < 0) return;
        const auto found = m_merges.find(pairKey(left_id, right_id));
        if (found != m_merges.end()) queue.push({found->second.rank, left, left_id, right_id});
    };
    for (std::size_t i = 0; i + 1 < symbols.size(); ++i) push(static_cast<std::int32_t>(i));
    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol& left = symbols[static_cast<std::size_t>(top.left)];
        // Stale entries: a side was merged away or changed since the pair was queued.
        if (left.length == 0 || left.id != top.left_id || left.next < 0) continue;
        Symbol& right = symbols[static_cast<std::size_t>(left.next)];
        if (right.id != top.right_id) continue;
        left.id = m_merges.at(pairKey(top.left_id, top.right_id)).merged;
        left.length += right.length;
        left.next = right.next;
        if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = top.left;
        right.length = 0;
        right.id = -1;
        if (left.prev >= 0) push(left.prev);
        push(top.left);
    }
}

void BpeModel::emitUnknown(std::string_view text, std::vector<TokenId>& out) const {
    if (m_byte_fallback) {
        bool all_bytes = true;
        for (const char byte : text)
            all_bytes = all_bytes && m_fallback_ids[static_cast<unsigned char>(byte)] >= 0;
        if (all_bytes) {
            for (const char byte : text) out.push_back(m_fallback_ids[static_cast<unsigned char>(byte)]);
            return;
        }
    }
    if (!m_unknown_id) {
        throw UserError(m_file + ": model: the vocabulary has no token for " +
                        nlohmann::json(std::string(text)).dump() + " and no unk_token");
    }
    out.push_back(*m_unknown_id);
}

void BpeModel::encodeWord(std::string_view word, bool byte_level, std::vector<TokenId>& out) const {
    if (word.empty()) return;
    const bool cacheable = word.size() <= kMaxCachedWordBytes;
    if (cacheable) {
        const std::lock_guard<std::mutex> lock(m_cache_mutex);
        const auto found = m_cache.find(std::string(word));
        if (found != m_cache.end()) {
            out.insert(out.end(), found->second.begin(), found->second.end());
            return;
        }
    }
    std::vector<TokenId> ids;
    const auto whole = m_ignore_merges ? tokenId(byte_level ? bytesToByteLevel(word) : std::string(word))
                                       : std::optional<TokenId>();
    if (whole) {
        ids.push_back(*whole);
    } else {
        std::vector<Symbol> symbols = initialSymbols(word, byte_level);
        mergeSymbols(symbols);
        for (const Symbol& symbol : symbols) {
            if (symbol.length == 0) continue;
            if (symbol.id >= 0) {
                ids.push_back(symbol.id);
            } else {
                emitUnknown(word.substr(symbol.begin, symbol.length), ids);
            }
        }
    }
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        const std::lock_guard<std::mutex> lock(m_cache_mutex);
        if (m_cache.size() >= kMaxCacheEntries) m_cache.clear();
        m_cache.emplace(std::string(word), std::move(ids));
    }
}

}  // namespace vietllm::tokenizer
