#include "backend/tokenizer/corpus_texts.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/text/normalize.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vietllm::tokenizer {

namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isNamed(const std::vector<std::string>& fields, const std::string& key) {
    return std::find(fields.begin(), fields.end(), key) != fields.end();
}

void appendText(std::string& out, const std::string& text) {
    if (text.empty()) return;
    if (!out.empty()) out += '\n';
    out += text;
}

// The strings of one value: a string itself; an array's strings, taking only "content" (or
// "value", "text") of message-like objects; an object's string values.
void collectValue(const nlohmann::json& value, std::string& out) {
    if (value.is_string()) {
        appendText(out, value.get<std::string>());
    } else if (value.is_array()) {
        for (const auto& item : value) collectValue(item, out);
    } else if (value.is_object()) {
        for (const char* key : {"content", "value", "text"}) {
            const auto found = value.find(key);
            if (found != value.end() && found->is_string()) {
                appendText(out, found->get<std::string>());
                return;
            }
        }
        for (const auto& [key, item] : value.items()) collectValue(item, out);
    }
}

// One JSONL record: the named fields, or every field.
std::string recordText(const nlohmann::json& record, const std::vector<std::string>& fields) {
    std::string out;
    if (!record.is_object()) {
        collectValue(record, out);
        return out;
    }
    for (const auto& [key, value] : record.items()) {
        if (fields.empty() || isNamed(fields, key)) collectValue(value, out);
    }
    return out;
}

// Every string of a JSON document, or only the values of the named keys wherever they occur.
void collectDocument(const nlohmann::json& value, const std::vector<std::string>& fields, bool take,
                     std::vector<std::string>& out) {
    if (value.is_string()) {
        if (take && !value.get_ref<const std::string&>().empty()) out.push_back(value.get<std::string>());
    } else if (value.is_array()) {
        for (const auto& item : value) collectDocument(item, fields, take, out);
    } else if (value.is_object()) {
        for (const auto& [key, item] : value.items()) {
            collectDocument(item, fields, take || isNamed(fields, key), out);
        }
    }
}

std::string checkedText(std::string text, const std::string& path, std::size_t line_number) {
    if (const auto bad = utf8::firstInvalidByte(text)) {
        throw UserError(locatedMessage(path, line_number,
                                       "not UTF-8 (invalid byte at offset " + std::to_string(*bad) + ")"));
    }
    return text::toNfc(text);
}

}  // namespace

std::vector<std::string> readCorpusTexts(const std::string& path, const std::vector<std::string>& fields) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw UserError(path + ": is a folder, not a corpus file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError(path + ": cannot open the corpus file (" + std::strerror(errno) + ")");
    std::vector<std::string> texts;
    if (endsWith(path, ".json")) {
        std::ostringstream content;
        content << in.rdbuf();
        nlohmann::json document;
        try {
            document = nlohmann::json::parse(content.str());
        } catch (const nlohmann::json::parse_error& parse_error) {
            throw UserError(path + ": not valid JSON (" + parse_error.what() + ")");
        }
        std::vector<std::string> strings;
        collectDocument(document, fields, fields.empty(), strings);
        for (std::string& text : strings) texts.push_back(checkedText(std::move(text), path, 1));
        return texts;
    }
    const bool jsonl = endsWith(path, ".jsonl");
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (!jsonl) {
            texts.push_back(checkedText(std::move(line), path, line_number));
            continue;
        }
        const nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
        if (record.is_discarded()) throw UserError(locatedMessage(path, line_number, "not valid JSON"));
        std::string text = recordText(record, fields);
        if (!text.empty()) texts.push_back(checkedText(std::move(text), path, line_number));
    }
    return texts;
}

std::size_t countWhitespacePieces(const std::string& text) {
    std::size_t pieces = 0;
    bool in_piece = false;
    for (const unsigned char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (!space && !in_piece) ++pieces;
        in_piece = !space;
    }
    return pieces;
}

}  // namespace vietllm::tokenizer
