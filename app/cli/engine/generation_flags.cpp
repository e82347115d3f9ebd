#include "app/cli/engine/generation_flags.h"

#include "backend/common/errors.h"
#include "backend/sample/devices.h"

namespace vietllm::cli {

double numberFlag(const ParsedOptions& options, const std::string& name, double fallback) {
    const std::optional<std::string> value = options.value(name);
    if (!value) {
        return fallback;
    }
    try {
        std::size_t used = 0;
        const double number = std::stod(*value, &used);
        if (used == value->size()) {
            return number;
        }
    } catch (const std::exception&) {
    }
    throw UserError("option --" + name + ": '" + *value + "' is not a number");
}

std::int64_t integerFlag(const ParsedOptions& options, const std::string& name, std::int64_t fallback) {
    const std::optional<std::string> value = options.value(name);
    if (!value) {
        return fallback;
    }
    try {
        std::size_t used = 0;
        const long long number = std::stoll(*value, &used);
        if (used == value->size()) {
            return number;
        }
    } catch (const std::exception&) {
    }
    throw UserError("option --" + name + ": '" + *value + "' is not an integer");
}

sample::EngineOptions engineFlags(const ParsedOptions& options) {
    sample::EngineOptions engine_options;
    engine_options.dtype = sample::computeDTypeFromName(options.value("dtype").value_or("fp32"), "dtype");
    const std::int64_t threads = integerFlag(options, "threads", 0);
    if (threads < 0) {
        throw UserError("option --threads: must be 0 (all cores) or more");
    }
    engine_options.num_threads = static_cast<int>(threads);
    engine_options.device = sample::checkedDevice(options.value("device").value_or("cpu"), "--device");
    engine_options.decode = sample::decodeShapesFromName(options.value("decode").value_or("auto"), "decode");
    engine_options.cuda_graphs = !options.hasFlag("no-cuda-graphs");
    return engine_options;
}

std::set<std::string> engineValueNames() {
    return {"dtype", "threads", "device", "decode"};
}

std::set<std::string> engineFlagNames() {
    return {"no-cuda-graphs"};
}

std::set<std::string> withEngineValueNames(std::set<std::string> names) {
    const std::set<std::string> engine = engineValueNames();
    names.insert(engine.begin(), engine.end());
    return names;
}

std::set<std::string> samplingFlagNames() {
    return {"max-tokens",        "temperature",      "top-k",          "top-p", "min-p", "repetition-penalty",
            "frequency-penalty", "presence-penalty", "penalty-last-n", "seed"};
}

sample::GenerationOptions generationFlags(const ParsedOptions& options, sample::GenerationOptions defaults) {
    sample::SamplingOptions& sampling = defaults.sampling;
    defaults.max_new_tokens = integerFlag(options, "max-tokens", defaults.max_new_tokens);
    sampling.temperature = numberFlag(options, "temperature", sampling.temperature);
    sampling.top_k = integerFlag(options, "top-k", sampling.top_k);
    sampling.top_p = numberFlag(options, "top-p", sampling.top_p);
    sampling.min_p = numberFlag(options, "min-p", sampling.min_p);
    sampling.repetition_penalty = numberFlag(options, "repetition-penalty", sampling.repetition_penalty);
    sampling.frequency_penalty = numberFlag(options, "frequency-penalty", sampling.frequency_penalty);
    sampling.presence_penalty = numberFlag(options, "presence-penalty", sampling.presence_penalty);
    sampling.penalty_last_n = integerFlag(options, "penalty-last-n", sampling.penalty_last_n);
    sampling.seed =
        static_cast<std::uint64_t>(integerFlag(options, "seed", static_cast<std::int64_t>(sampling.seed)));
    return defaults;
}

}  // namespace vietllm::cli
