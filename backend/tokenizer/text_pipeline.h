#pragma once
// The text side of a tokenizer.json: the normalizer (NFC, NFD, NFKC, NFKD, Prepend, Replace,
// Sequence) and the pre-tokenizer (Split, ByteLevel, Metaspace, Sequence) that cut a section of
// text into the words the BPE model sees. Regex splits run on PCRE2 (UTF + UCP, JIT) with the
// patterns read the way the JavaScript reference reads them (its \s set, its (?i:...) rewrite).

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::tokenizer {

/// A compiled PCRE2 pattern (UTF, UCP, JIT when available). Thread-safe to use.
class Regex {
public:
    /// Compiles `pattern`; throws UserError naming `where` when PCRE2 rejects it.
    Regex(const std::string& pattern, const std::string& where);
    ~Regex();
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    /// [begin, end) byte ranges of the non-overlapping matches of `text`, left to right.
    std::vector<std::pair<std::size_t, std::size_t>> matches(std::string_view text) const;

private:
    struct Code;
    std::unique_ptr<Code> m_code;
};

/// Translates a tokenizer.json regex into PCRE2 syntax with the JavaScript reference's meaning.
std::string translatePattern(const std::string& pattern);

/// One step of the normalizer.
struct NormalizerStep {
    enum class Kind { Invalid = 0, Nfc, Nfd, Nfkc, Nfkd, Prepend, Replace };
    Kind kind = Kind::Invalid;
    std::string text;         ///< Prepend: the prefix; Replace: the literal pattern
    std::string replacement;  ///< Replace: the content
};

/// Parses "normalizer" (null gives no steps); throws UserError naming `file` for unsupported types.
std::vector<NormalizerStep> parseNormalizer(const nlohmann::json& config, const std::string& file);

/// Applies the steps to one section of input text.
std::string applyNormalizer(const std::vector<NormalizerStep>& steps, std::string text);

/// One step of the pre-tokenizer.
struct PreTokenizerStep {
    enum class Kind { Invalid = 0, Split, ByteLevel, Metaspace };
    enum class Prepend { Invalid = 0, Always, First, Never };
    Kind kind = Kind::Invalid;
    std::shared_ptr<const Regex> regex;  ///< Split, ByteLevel with use_regex
    bool invert = false;                 ///< Split: keep only the matches
    bool remove_matches = false;         ///< Split: behavior "Removed"
    bool merge_with_previous = false;    ///< Split: behavior "MergedWithPrevious"
    bool add_prefix_space = false;       ///< ByteLevel
    std::string replacement;             ///< Metaspace: usually "▁"
    Prepend prepend = Prepend::Always;   ///< Metaspace
    bool split = false;                  ///< Metaspace: cut before each replacement character
};

/// The pre-tokenizer of a tokenizer.json.
struct PreTokenizer {
    std::vector<PreTokenizerStep> steps;
    /// True when a ByteLevel step is present: words reach the model as raw bytes to be mapped.
    bool byte_level = false;
};

/// Parses "pre_tokenizer" (null gives no steps); throws UserError naming `file` for unsupported types.
PreTokenizer parsePreTokenizer(const nlohmann::json& config, const std::string& file);

/// Cuts one normalized section into words. `section_index` counts the sections of the input
/// (added tokens included), for Metaspace's prepend scheme "first".
std::vector<std::string> preTokenize(const PreTokenizer& pre_tokenizer, std::string section,
                                     std::size_t section_index);

/// JavaScript's String.prototype.trim set of white space, which added tokens' lstrip/rstrip use.
bool isJsWhiteSpace(char32_t code_point);

}  // namespace vietllm::tokenizer
