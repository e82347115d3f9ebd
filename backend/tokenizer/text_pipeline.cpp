#include "backend/tokenizer/text_pipeline.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"

#include "backend/tokenizer/json_fields.h"

#include <pcre2.h>
#include <utf8proc.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

namespace vietllm::tokenizer {

namespace {

// JavaScript's \s (WhiteSpace + LineTerminator), as PCRE2 class items. PCRE2's own \s under UCP
// differs at U+0085 and U+FEFF, and the reference ids come from JavaScript.
constexpr const char* kJsSpaceItems =
    "\\t\\n\\x{0B}\\f\\r\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}"
    "\\x{3000}\\x{FEFF}";

// GPT-2's pattern, which ByteLevel(use_regex=true) applies.
constexpr const char* kGpt2Pattern =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

std::string escapeLiteral(const std::string& text) {
    return "\\Q" + text + "\\E";
}

std::string unicodeForm(const std::string& text, utf8proc_option_t options) {
    utf8proc_uint8_t* mapped = nullptr;
    const utf8proc_ssize_t length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                                 static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                                                 static_cast<utf8proc_option_t>(options | UTF8PROC_STABLE));
    if (length < 0) return text;  // invalid UTF-8 cannot reach here: the input was NFC-normalized first
    std::string out(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
    std::free(mapped);
    return out;
}

std::string typeOf(const nlohmann::json& config) {
    return config.is_object() && config.contains("type") && config["type"].is_string()
               ? config["type"].get<std::string>()
               : std::string();
}

// The "pattern" of Split and Replace: {"String": literal} or {"Regex": pattern}.
std::string patternOf(const nlohmann::json& config, bool& is_regex, const std::string& where) {
    const auto pattern = config.find("pattern");
    if (pattern != config.end() && pattern->is_object()) {
        if (pattern->contains("String") && (*pattern)["String"].is_string()) {
            is_regex = false;
            return (*pattern)["String"].get<std::string>();
        }
        if (pattern->contains("Regex") && (*pattern)["Regex"].is_string()) {
            is_regex = true;
            return (*pattern)["Regex"].get<std::string>();
        }
    }
    throw UserError(where + ": 'pattern' must be {\"String\": ...} or {\"Regex\": ...}");
}

void parseNormalizerInto(const nlohmann::json& config, const std::string& file,
                         std::vector<NormalizerStep>& steps) {
    if (config.is_null()) return;
    const std::string type = typeOf(config);
    const std::string where = file + ": normalizer " + (type.empty() ? config.dump() : type);
    NormalizerStep step;
    if (type == "Sequence" && config.contains("normalizers") && config["normalizers"].is_array()) {
        for (const auto& inner : config["normalizers"]) parseNormalizerInto(inner, file, steps);
        return;
    } else if (type == "NFC") {
        step.kind = NormalizerStep::Kind::Nfc;
    } else if (type == "NFD") {
        step.kind = NormalizerStep::Kind::Nfd;
    } else if (type == "NFKC") {
        step.kind = NormalizerStep::Kind::Nfkc;
    } else if (type == "NFKD") {
        step.kind = NormalizerStep::Kind::Nfkd;
    } else if (type == "Prepend" && config.contains("prepend") && config["prepend"].is_string()) {
        step.kind = NormalizerStep::Kind::Prepend;
        step.text = config["prepend"].get<std::string>();
    } else if (type == "Replace" && config.contains("content") && config["content"].is_string()) {
        bool is_regex = false;
        step.text = patternOf(config, is_regex, where);
        if (is_regex) throw UserError(where + ": regex patterns are not supported, only {\"String\": ...}");
        step.kind = NormalizerStep::Kind::Replace;
        step.replacement = config["content"].get<std::string>();
    } else {
        throw UserError(where +
                        ": not supported (supported: NFC, NFD, NFKC, NFKD, Prepend, Replace, Sequence)");
    }
    steps.push_back(std::move(step));
}

void parsePreTokenizerInto(const nlohmann::json& config, const std::string& file, PreTokenizer& out) {
    if (config.is_null()) return;
    const std::string type = typeOf(config);
    const std::string where = file + ": pre_tokenizer " + (type.empty() ? config.dump() : type);
    PreTokenizerStep step;
    if (type == "Sequence" && config.contains("pretokenizers") && config["pretokenizers"].is_array()) {
        for (const auto& inner : config["pretokenizers"]) parsePreTokenizerInto(inner, file, out);
        return;
    } else if (type == "Split") {
        bool is_regex = false;
        const std::string pattern = patternOf(config, is_regex, where);
        step.kind = PreTokenizerStep::Kind::Split;
        step.regex =
            std::make_shared<Regex>(is_regex ? translatePattern(pattern) : escapeLiteral(pattern), where);
        step.invert = boolField(config, "invert", false);
        const std::string behavior = stringField(config, "behavior", "Isolated");
        if (behavior == "Removed") {
            step.remove_matches = true;
        } else if (behavior == "MergedWithPrevious") {
            step.merge_with_previous = true;
        } else if (behavior != "Isolated") {
            throw UserError(where + ": behavior " + behavior +
                            " is not supported (Isolated, Removed, MergedWithPrevious)");
        }
    } else if (type == "ByteLevel") {
        step.kind = PreTokenizerStep::Kind::ByteLevel;
        step.add_prefix_space = boolField(config, "add_prefix_space", false);
        if (boolField(config, "use_regex", true)) {
            step.regex = std::make_shared<Regex>(translatePattern(kGpt2Pattern), where);
        }
        out.byte_level = true;
    } else if (type == "Metaspace") {
        step.kind = PreTokenizerStep::Kind::Metaspace;
        step.replacement = stringField(config, "replacement", "\xE2\x96\x81");
        step.split = boolField(config, "split", true);
        const std::string scheme = stringField(config, "prepend_scheme");
        if (scheme == "first") {
            step.prepend = PreTokenizerStep::Prepend::First;
        } else if (scheme == "never" || (scheme.empty() && !boolField(config, "add_prefix_space", true))) {
            step.prepend = PreTokenizerStep::Prepend::Never;
        }
    } else {
        throw UserError(where + ": not supported (supported: Split, ByteLevel, Metaspace, Sequence)");
    }
    out.steps.push_back(std::move(step));
}

// Applies one step to every word.
std::vector<std::string> applyStep(const PreTokenizerStep& step, std::vector<std::string> words,
                                   std::size_t section_index) {
    std::vector<std::string> out;
    for (std::string& word : words) {
        if (step.kind == PreTokenizerStep::Kind::Metaspace) {
            replaceAll(word, " ", step.replacement);
            const bool prepend = step.prepend == PreTokenizerStep::Prepend::Always ||
                                 (step.prepend == PreTokenizerStep::Prepend::First && section_index == 0);
            if (prepend && word.compare(0, step.replacement.size(), step.replacement) != 0) {
                word.insert(0, step.replacement);
            }
            if (!step.split) {
                out.push_back(std::move(word));
                continue;
            }
            // Each piece starts at a replacement character (the SentencePiece word boundary).
            std::size_t begin = 0;
            for (std::size_t at = word.find(step.replacement, 1); at != std::string::npos;
                 at = word.find(step.replacement, at + step.replacement.size())) {
                out.push_back(word.substr(begin, at - begin));
                begin = at;
            }
            out.push_back(word.substr(begin));
            continue;
        }
        if (step.kind == PreTokenizerStep::Kind::ByteLevel && step.add_prefix_space &&
            word.rfind(' ', 0) != 0) {
            word.insert(0, " ");
        }
        if (!step.regex) {
            out.push_back(std::move(word));
            continue;
        }
        // ByteLevel's regex keeps only the matches (its last branch \s+ leaves no gap); Split keeps
        // the gaps too, unless it is inverted (matches only) or removes the matches.
        const bool matches_only = step.kind == PreTokenizerStep::Kind::ByteLevel || step.invert;
        std::size_t previous = 0;
        for (const auto& [begin, end] : step.regex->matches(word)) {
            if (step.merge_with_previous && !step.invert) {
                if (end > previous) out.push_back(word.substr(previous, end - previous));
                previous = end;
                continue;
            }
            if (!matches_only && previous < begin) out.push_back(word.substr(previous, begin - previous));
            if (!step.remove_matches && end > begin) out.push_back(word.substr(begin, end - begin));
            previous = end;
        }
        if (!matches_only && previous < word.size()) out.push_back(word.substr(previous));
    }
    return out;
}

}  // namespace

struct Regex::Code {
    pcre2_code* code = nullptr;
};

Regex::Regex(const std::string& pattern, const std::string& where) : m_code(std::make_unique<Code>()) {
    int error_code = 0;
    PCRE2_SIZE error_offset = 0;
    m_code->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.c_str()), pattern.size(),
                                 PCRE2_UTF | PCRE2_UCP, &error_code, &error_offset, nullptr);
    if (m_code->code == nullptr) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(error_code, message, sizeof message);
        throw UserError(where + ": regex " + nlohmann::json(pattern).dump() + " is invalid at offset " +
                        std::to_string(error_offset) + ": " + reinterpret_cast<const char*>(message));
    }
    pcre2_jit_compile(m_code->code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter when JIT is absent
}

Regex::~Regex() {
    pcre2_code_free(m_code->code);
}

std::vector<std::pair<std::size_t, std::size_t>> Regex::matches(std::string_view text) const {
    std::vector<std::pair<std::size_t, std::size_t>> found;
    pcre2_match_data* data = pcre2_match_data_create_from_pattern(m_code->code, nullptr);
    std::size_t offset = 0;
    while (offset <= text.size()) {
        const int result = pcre2_match(m_code->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                                       offset, PCRE2_NO_UTF_CHECK, data, nullptr);
        if (result < 0) break;
        const PCRE2_SIZE* vector = pcre2_get_ovector_pointer(data);
        found.emplace_back(vector[0], vector[1]);
        if (vector[1] > vector[0]) {
            offset = vector[1];
        } else {
            // An empty match: step over one character, as JavaScript's matchAll does.
            offset = vector[1] + 1;
            while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80)
                ++offset;
        }
    }
    pcre2_match_data_free(data);
    return found;
}

std::string translatePattern(const std::string& pattern) {
    std::string source = pattern;
    // The rewrites the JavaScript reference applies before compiling (see tokenizers.js).
    replaceAll(source, "(?i:'s|'t|'re|'ve|'m|'ll|'d)",
               "(?:'([sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD]))");
    replaceAll(
        source,
        " ?[^(\\s|[.,!?\xE2\x80\xA6\xE3\x80\x82\xEF\xBC\x8C\xE3\x80\x81\xE0\xA5\xA4\xDB\x94\xD8\x8C])]+",
        " ?[^\\s.,!?\xE2\x80\xA6\xE3\x80\x82\xEF\xBC\x8C\xE3\x80\x81\xE0\xA5\xA4\xDB\x94\xD8\x8C]+");
    std::string out;
    bool in_class = false;
    for (std::size_t i = 0; i < source.size(); ++i) {
        const char c = source[i];
        if (c == '\\' && i + 1 < source.size()) {
            const char next = source[++i];
            if (next == 's') {
                out += in_class ? std::string(kJsSpaceItems) : "[" + std::string(kJsSpaceItems) + "]";
            } else if (next == 'S' && !in_class) {
                out += "[^" + std::string(kJsSpaceItems) + "]";
            } else if (next == '#' || next == '&' || next == '~') {
                out += next;
            } else {
                out += c;
                out += next;
            }
            continue;
        }
        if (c == '[' && !in_class) {
            in_class = true;
            out += c;
            if (i + 1 < source.size() && source[i + 1] == '^') out += source[++i];
            if (i + 1 < source.size() && source[i + 1] == ']') out += source[++i];  // a literal ']' first
            continue;
        }
        if (c == ']' && in_class) in_class = false;
        out += c;
    }
    return out;
}

std::vector<NormalizerStep> parseNormalizer(const nlohmann::json& config, const std::string& file) {
    std::vector<NormalizerStep> steps;
    parseNormalizerInto(config, file, steps);
    return steps;
}

std::string applyNormalizer(const std::vector<NormalizerStep>& steps, std::string text) {
    for (const NormalizerStep& step : steps) {
        switch (step.kind) {
            case NormalizerStep::Kind::Nfc:
                break;  // the tokenizer's front door NFC-normalized the whole input already
            case NormalizerStep::Kind::Nfd:
                text = unicodeForm(text, UTF8PROC_DECOMPOSE);
                break;
            case NormalizerStep::Kind::Nfkc:
                text = unicodeForm(text, static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
                break;
            case NormalizerStep::Kind::Nfkd:
                text =
                    unicodeForm(text, static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT));
                break;
            case NormalizerStep::Kind::Prepend:
                text.insert(0, step.text);
                break;
            case NormalizerStep::Kind::Replace:
                replaceAll(text, step.text, step.replacement);
                break;
            case NormalizerStep::Kind::Invalid:
                break;
        }
    }
    return text;
}

PreTokenizer parsePreTokenizer(const nlohmann::json& config, const std::string& file) {
    PreTokenizer out;
    parsePreTokenizerInto(config, file, out);
    return out;
}

std::vector<std::string> preTokenize(const PreTokenizer& pre_tokenizer, std::string section,
                                     std::size_t section_index) {
    std::vector<std::string> words;
    words.push_back(std::move(section));
    for (const PreTokenizerStep& step : pre_tokenizer.steps) {
        words = applyStep(step, std::move(words), section_index);
    }
    return words;
}

bool isJsWhiteSpace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000 || c == 0xFEFF;
}

}  // namespace vietllm::tokenizer
