#pragma once
// Built-in presets of the chat playground: system prompts for common Vietnamese uses (general,
// education, medicine, finance, each with the safety notes its domain needs) and sampling
// parameter sets (precise, balanced, creative). Presets are data: the GUI shows them by key,
// translated, and users may save their own system prompts in the project (store/chats.h).

#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::chat {

struct SystemPreset {
    std::string key;   ///< "general", "education", "medicine", "finance"
    std::string text;  ///< the system prompt, Vietnamese, NFC
};

/// The built-in system prompts, in display order.
const std::vector<SystemPreset>& builtInSystemPresets();

struct SamplingPreset {
    std::string key;  ///< "precise", "balanced", "creative"
    double temperature = 1.0;
    double top_p = 1.0;
    std::int64_t top_k = 0;
    double min_p = 0.0;
    double repetition_penalty = 1.0;
};

/// The built-in sampling presets, in display order (balanced is the default).
const std::vector<SamplingPreset>& builtInSamplingPresets();

}  // namespace vietllm::chat
