#include "backend/tokenizer/token_decoder.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/tokenizer/byte_level.h"

#include "backend/tokenizer/json_fields.h"

#include <nlohmann/json.hpp>

namespace vietllm::tokenizer {

namespace {

constexpr const char* kReplacementCharacter = "\xEF\xBF\xBD";

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

// The byte of a "<0xNN>" token, or -1.
int fallbackByte(const std::string& token) {
    if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>') return -1;
    int value = 0;
    for (std::size_t i = 3; i < 5; ++i) {
        const char c = token[i];
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0) return -1;
        value = value * 16 + digit;
    }
    return value;
}

// Runs of <0xNN> tokens become their bytes when those form valid UTF-8, else one U+FFFD per byte
// (the Hugging Face rule).
std::vector<DecodingToken> byteFallback(std::vector<DecodingToken> tokens) {
    std::vector<DecodingToken> out;
    std::string bytes;
    std::size_t byte_count = 0;
    const auto flush = [&] {
        if (byte_count == 0) return;
        if (utf8::isValid(bytes)) {
            out.push_back({bytes, false});
        } else {
            for (std::size_t i = 0; i < byte_count; ++i) out.push_back({kReplacementCharacter, false});
        }
        bytes.clear();
        byte_count = 0;
    };
    for (DecodingToken& token : tokens) {
        const int byte = token.added ? -1 : fallbackByte(token.text);
        if (byte >= 0) {
            bytes.push_back(static_cast<char>(byte));
            ++byte_count;
            continue;
        }
        flush();
        out.push_back(std::move(token));
    }
    flush();
    return out;
}

void parseInto(const nlohmann::json& config, const std::string& file, std::vector<DecoderStep>& steps) {
    if (config.is_null()) return;
    const std::string type = config.is_object() ? stringField(config, "type") : std::string();
    const std::string where = file + ": decoder " + (type.empty() ? config.dump() : type);
    DecoderStep step;
    if (type == "Sequence" && config.contains("decoders") && config["decoders"].is_array()) {
        for (const auto& inner : config["decoders"]) parseInto(inner, file, steps);
        return;
    } else if (type == "ByteLevel") {
        step.kind = DecoderStep::Kind::ByteLevel;
    } else if (type == "Replace" && config.contains("pattern") && config["pattern"].is_object() &&
               config["pattern"].contains("String") && config["pattern"]["String"].is_string() &&
               config.contains("content") && config["content"].is_string()) {
        step.kind = DecoderStep::Kind::Replace;
        step.text = config["pattern"]["String"].get<std::string>();
        step.replacement = config["content"].get<std::string>();
    } else if (type == "ByteFallback") {
        step.kind = DecoderStep::Kind::ByteFallback;
    } else if (type == "Fuse") {
        step.kind = DecoderStep::Kind::Fuse;
    } else if (type == "Strip" && config.contains("content") && config["content"].is_string()) {
        step.kind = DecoderStep::Kind::Strip;
        step.text = config["content"].get<std::string>();
        step.start = unsignedField(config, "start", 0);
        step.stop = unsignedField(config, "stop", 0);
    } else if (type == "Metaspace") {
        step.kind = DecoderStep::Kind::Metaspace;
        step.text = stringField(config, "replacement", "\xE2\x96\x81");
        const std::string scheme = stringField(config, "prepend_scheme");
        step.strip_first_space =
            scheme.empty() ? boolField(config, "add_prefix_space", true) : scheme != "never";
    } else {
        throw UserError(
            where +
            ": not supported (supported: ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace, "
            "Sequence)");
    }
    steps.push_back(std::move(step));
}

void stripToken(std::string& text, const std::string& character, std::size_t start, std::size_t stop) {
    for (std::size_t i = 0;
         i < start && !character.empty() && text.compare(0, character.size(), character) == 0; ++i) {
        text.erase(0, character.size());
    }
    for (std::size_t i = 0; i < stop && !character.empty() && text.size() >= character.size() &&
                            text.compare(text.size() - character.size(), character.size(), character) == 0;
         ++i) {
        text.erase(text.size() - character.size());
    }
}

}  // namespace

std::vector<DecoderStep> parseDecoder(const nlohmann::json& config, const std::string& file) {
    std::vector<DecoderStep> steps;
    parseInto(config, file, steps);
    return steps;
}

std::string runDecoder(const std::vector<DecoderStep>& steps, std::vector<DecodingToken> tokens) {
    for (const DecoderStep& step : steps) {
        switch (step.kind) {
            case DecoderStep::Kind::ByteLevel:
                for (DecodingToken& token : tokens) {
                    if (token.added) continue;
                    if (auto bytes = byteLevelToBytes(token.text)) token.text = std::move(*bytes);
                }
                break;
            case DecoderStep::Kind::Replace:
                for (DecodingToken& token : tokens) replaceAll(token.text, step.text, step.replacement);
                break;
            case DecoderStep::Kind::ByteFallback:
                tokens = byteFallback(std::move(tokens));
                break;
            case DecoderStep::Kind::Fuse: {
                DecodingToken fused;
                for (const DecodingToken& token : tokens) fused.text += token.text;
                tokens.assign(1, std::move(fused));
                break;
            }
            case DecoderStep::Kind::Strip:
                for (DecodingToken& token : tokens) stripToken(token.text, step.text, step.start, step.stop);
                break;
            case DecoderStep::Kind::Metaspace:
                for (std::size_t i = 0; i < tokens.size(); ++i) {
                    replaceAll(tokens[i].text, step.text, " ");
                    if (i == 0 && step.strip_first_space && tokens[i].text.rfind(' ', 0) == 0) {
                        tokens[i].text.erase(0, 1);
                    }
                }
                break;
            case DecoderStep::Kind::Invalid:
                break;
        }
    }
    std::string text;
    for (const DecodingToken& token : tokens) text += token.text;
    return text;
}

}  // namespace vietllm::tokenizer
