#pragma once
// The "decoder" of a tokenizer.json: turns token texts back into text. Supported steps:
// ByteLevel, Replace (literal), ByteFallback (<0xNN> tokens), Fuse, Strip, Metaspace, Sequence.

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace vietllm::tokenizer {

struct DecoderStep {
    enum class Kind { Invalid = 0, ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace };
    Kind kind = Kind::Invalid;
    std::string text;               ///< Replace: pattern; Strip: the character; Metaspace: replacement
    std::string replacement;        ///< Replace: content
    std::size_t start = 0;          ///< Strip: how many leading `text` to remove from each token
    std::size_t stop = 0;           ///< Strip: how many trailing
    bool strip_first_space = true;  ///< Metaspace: drop the space the prepend scheme added
};

/// One token on its way through the decoder; added tokens pass ByteLevel unchanged.
struct DecodingToken {
    std::string text;
    bool added = false;
};

/// Parses "decoder" (null gives no steps); throws UserError naming `file` for unsupported types.
std::vector<DecoderStep> parseDecoder(const nlohmann::json& config, const std::string& file);

/// Runs the steps over the tokens and concatenates the result.
std::string runDecoder(const std::vector<DecoderStep>& steps, std::vector<DecodingToken> tokens);

}  // namespace vietllm::tokenizer
