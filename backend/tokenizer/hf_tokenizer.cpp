#include "backend/tokenizer/hf_tokenizer.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/text/normalize.h"

#include "backend/tokenizer/json_fields.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace vietllm::tokenizer {

namespace {

nlohmann::json readJsonFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError(path + ": cannot open the file");
    std::ostringstream content;
    content << in.rdbuf();
    try {
        return nlohmann::json::parse(content.str());
    } catch (const nlohmann::json::parse_error& error) {
        throw UserError(path + ": not valid JSON (" + error.what() + ")");
    }
}

// A token named in tokenizer_config.json: a string or {"content": "..."}.
std::string tokenName(const nlohmann::json& config, const char* key) {
    const auto found = config.find(key);
    if (found == config.end()) return {};
    if (found->is_string()) return found->get<std::string>();
    if (found->is_object() && found->contains("content") && (*found)["content"].is_string()) {
        return (*found)["content"].get<std::string>();
    }
    return {};
}

// Drops JavaScript white space from the end (`at_end`) or the start of `text`.
void trimJsWhiteSpace(std::string& text, bool at_end) {
    const std::u32string code_points = utf8::decode(text);
    std::size_t begin = 0;
    std::size_t end = code_points.size();
    if (at_end) {
        while (end > 0 && isJsWhiteSpace(code_points[end - 1])) --end;
    } else {
        while (begin < end && isJsWhiteSpace(code_points[begin])) ++begin;
    }
    if (begin != 0 || end != code_points.size()) {
        text = utf8::encode(std::u32string_view(code_points).substr(begin, end - begin));
    }
}

}  // namespace

HfTokenizer::HfTokenizer(const std::string& tokenizer_json, const std::string& tokenizer_config_json)
    : m_file(tokenizer_json) {
    const nlohmann::json root = readJsonFile(tokenizer_json);
    if (!root.is_object() || !root.contains("model")) {
        throw UserError(tokenizer_json + ": not a tokenizer.json (no 'model' object)");
    }
    m_model = std::make_unique<BpeModel>(root["model"], tokenizer_json);
    m_normalizer = parseNormalizer(fieldOrNull(root, "normalizer"), tokenizer_json);
    m_pre_tokenizer = parsePreTokenizer(fieldOrNull(root, "pre_tokenizer"), tokenizer_json);
    m_decoder = parseDecoder(fieldOrNull(root, "decoder"), tokenizer_json);
    const nlohmann::json& added = fieldOrNull(root, "added_tokens");
    if (!added.is_null() && !added.is_array())
        throw UserError(tokenizer_json + ": 'added_tokens' is not an array");
    for (std::size_t index = 0; index < added.size(); ++index) {  // size() is 0 for null
        const nlohmann::json& entry = added[index];
        if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_number_integer() ||
            entry["id"].get<long long>() < 0 || !entry.contains("content") || !entry["content"].is_string() ||
            entry["content"].get<std::string>().empty()) {
            throw UserError(tokenizer_json + ": added_tokens entry " + entry.dump() +
                            " needs an id and a content");
        }
        AddedToken token;
        token.id = entry["id"].get<TokenId>();
        token.content = entry["content"].get<std::string>();
        token.special = boolField(entry, "special", false);
        token.lstrip = boolField(entry, "lstrip", false);
        token.rstrip = boolField(entry, "rstrip", false);
        m_model->addToken(token.content, token.id);
        m_added.push_back(std::move(token));
    }
    m_model->finish();
    m_is_special.assign(m_model->size(), false);
    m_is_added.assign(m_model->size(), false);
    for (const AddedToken& token : m_added) {
        m_is_added[static_cast<std::size_t>(token.id)] = true;
        m_is_special[static_cast<std::size_t>(token.id)] = token.special;
    }
    buildTrie();
    loadConfig(tokenizer_config_json);
    parsePostProcessor(fieldOrNull(root, "post_processor"));
}

void HfTokenizer::loadConfig(const std::string& tokenizer_config_json) {
    if (tokenizer_config_json.empty() || !std::ifstream(tokenizer_config_json)) return;
    const nlohmann::json config = readJsonFile(tokenizer_config_json);
    if (!config.is_object()) throw UserError(tokenizer_config_json + ": not a JSON object");
    const std::string bos = tokenName(config, "bos_token");
    const std::string eos = tokenName(config, "eos_token");
    if (!bos.empty()) m_bos_id = tokenId(bos);
    if (!eos.empty()) m_eos_id = tokenId(eos);
    // Used only when tokenizer.json's post-processor adds no special tokens of its own.
    if (boolField(config, "add_bos_token", false) && m_bos_id) m_prefix_ids = {*m_bos_id};
    if (boolField(config, "add_eos_token", false) && m_eos_id) m_suffix_ids = {*m_eos_id};
}

void HfTokenizer::parsePostProcessor(const nlohmann::json& config) {
    if (!config.is_object()) return;
    const std::string type = stringField(config, "type");
    const std::string where = m_file + ": post_processor " + type;
    if (type == "Sequence" && config.contains("processors") && config["processors"].is_array()) {
        for (const auto& inner : config["processors"]) parsePostProcessor(inner);
        return;
    }
    if (type == "TemplateProcessing") {
        const auto single = config.find("single");
        if (single == config.end() || !single->is_array())
            throw UserError(where + ": 'single' is not an array");
        std::vector<TokenId> prefix;
        std::vector<TokenId> suffix;
        bool after_sequence = false;
        for (const auto& item : *single) {
            if (item.contains("Sequence")) {
                after_sequence = true;
                continue;
            }
            const std::string name =
                item.contains("SpecialToken") ? stringField(item["SpecialToken"], "id") : "";
            const nlohmann::json& special = fieldOrNull(config, "special_tokens");
            if (name.empty() || !special.is_object() || !special.contains(name) ||
                !special[name].contains("ids")) {
                throw UserError(where + ": item " + item.dump() + " names no special token with ids");
            }
            for (const auto& id : special[name]["ids"])
                (after_sequence ? suffix : prefix).push_back(id.get<TokenId>());
        }
        m_prefix_ids = std::move(prefix);
        m_suffix_ids = std::move(suffix);
    } else if (type == "RobertaProcessing" || type == "BertProcessing") {
        const auto idOf = [&](const char* key) {
            const auto entry = config.find(key);
            if (entry == config.end() || !entry->is_array() || entry->size() != 2 ||
                !(*entry)[1].is_number_integer()) {
                throw UserError(where + ": '" + key + "' must be [token, id]");
            }
            return (*entry)[1].get<TokenId>();
        };
        m_prefix_ids = {idOf("cls")};
        m_suffix_ids = {idOf("sep")};
    } else if (type != "ByteLevel") {
        throw UserError(where +
                        ": not supported (TemplateProcessing, RobertaProcessing, BertProcessing, ByteLevel)");
    }
}

void HfTokenizer::buildTrie() {
    m_trie.assign(1, TrieNode{});
    for (std::size_t index = 0; index < m_added.size(); ++index) {
        std::int32_t node = 0;
        for (const char c : m_added[index].content) {
            const auto byte = static_cast<unsigned char>(c);
            std::int32_t child = -1;
            for (const auto& [edge, target] : m_trie[static_cast<std::size_t>(node)].children) {
                if (edge == byte) child = target;
            }
            if (child < 0) {
                child = static_cast<std::int32_t>(m_trie.size());
                m_trie[static_cast<std::size_t>(node)].children.emplace_back(byte, child);
                m_trie.emplace_back();
            }
            node = child;
        }
        m_trie[static_cast<std::size_t>(node)].added_index = static_cast<int>(index);
    }
}

std::vector<HfTokenizer::Section> HfTokenizer::splitAddedTokens(std::string_view text) const {
    std::vector<Section> sections;
    std::size_t start = 0;
    std::size_t position = 0;
    while (position < text.size()) {
        // The longest added token that starts here.
        std::int32_t node = 0;
        int match = -1;
        std::size_t match_end = position;
        for (std::size_t j = position; j < text.size(); ++j) {
            std::int32_t next = -1;
            for (const auto& [edge, target] : m_trie[static_cast<std::size_t>(node)].children) {
                if (edge == static_cast<unsigned char>(text[j])) next = target;
            }
            if (next < 0) break;
            node = next;
            if (m_trie[static_cast<std::size_t>(node)].added_index >= 0) {
                match = m_trie[static_cast<std::size_t>(node)].added_index;
                match_end = j + 1;
            }
        }
        if (match < 0) {
            ++position;
            continue;
        }
        if (position > start) sections.push_back({std::string(text.substr(start, position - start)), -1});
        sections.push_back({std::string(), match});
        position = match_end;
        start = position;
    }
    if (start < text.size()) sections.push_back({std::string(text.substr(start)), -1});
    // lstrip/rstrip take the white space next to the token off the neighbouring text.
    for (std::size_t i = 0; i < sections.size(); ++i) {
        if (sections[i].added_index < 0) continue;
        const AddedToken& token = m_added[static_cast<std::size_t>(sections[i].added_index)];
        if (token.lstrip && i > 0 && sections[i - 1].added_index < 0)
            trimJsWhiteSpace(sections[i - 1].text, true);
        if (token.rstrip && i + 1 < sections.size() && sections[i + 1].added_index < 0) {
            trimJsWhiteSpace(sections[i + 1].text, false);
        }
    }
    return sections;
}

void HfTokenizer::encodeSection(const std::string& text, std::size_t section_index,
                                std::vector<TokenId>& out) const {
    const std::string normalized = applyNormalizer(m_normalizer, text);
    if (normalized.empty()) return;
    const std::size_t first = out.size();
    for (const std::string& word : preTokenize(m_pre_tokenizer, normalized, section_index)) {
        m_model->encodeWord(word, m_pre_tokenizer.byte_level, out);
    }
    const auto unknown = m_model->unknownId();
    if (!m_model->fusesUnknown() || !unknown) return;
    std::size_t kept = first;
    for (std::size_t i = first; i < out.size(); ++i) {
        if (out[i] == *unknown && kept > first && out[kept - 1] == *unknown) continue;
        out[kept++] = out[i];
    }
    out.resize(kept);
}

std::vector<TokenId> HfTokenizer::encode(std::string_view text, bool add_special) const {
    const std::string nfc = text::toNfc(text);
    std::vector<TokenId> ids;
    if (add_special) ids = m_prefix_ids;
    const std::vector<Section> sections = splitAddedTokens(nfc);
    for (std::size_t i = 0; i < sections.size(); ++i) {
        if (sections[i].added_index >= 0) {
            ids.push_back(m_added[static_cast<std::size_t>(sections[i].added_index)].id);
        } else if (!sections[i].text.empty()) {
            encodeSection(sections[i].text, i, ids);
        }
    }
    if (add_special) ids.insert(ids.end(), m_suffix_ids.begin(), m_suffix_ids.end());
    return ids;
}

std::string HfTokenizer::decode(const std::vector<TokenId>& ids, bool skip_special) const {
    std::vector<DecodingToken> tokens;
    tokens.reserve(ids.size());
    for (const TokenId id : ids) {
        const std::string text = tokenText(id);
        const auto index = static_cast<std::size_t>(id);
        if (skip_special && m_is_special[index]) continue;
        tokens.push_back({text, m_is_added[index]});
    }
    return runDecoder(m_decoder, std::move(tokens));
}

std::string HfTokenizer::tokenText(TokenId id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= m_model->size()) {
        throw UserError("token id " + std::to_string(id) + " is out of range: " + m_file + " has " +
                        std::to_string(m_model->size()) + " ids");
    }
    return m_model->tokenText(id);
}

}  // namespace vietllm::tokenizer
