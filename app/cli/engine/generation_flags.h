#pragma once
// The engine and sampling options that `chat` and `serve` share (`generate` has the same names):
// number parsing with messages naming the option, and generation options where the flags the
// user gave win over the model's generation_config.json.

#include "app/cli/options.h"
#include "backend/sample/engine.h"

#include <cstdint>
#include <set>
#include <string>

namespace vietllm::cli {

/// The value of --NAME as a number, `fallback` when absent; throws UserError naming the option.
double numberFlag(const ParsedOptions& options, const std::string& name, double fallback);
/// The value of --NAME as an integer, `fallback` when absent; throws UserError naming the option.
std::int64_t integerFlag(const ParsedOptions& options, const std::string& name, std::int64_t fallback);

/// --dtype, --threads, --device (checked against this build and machine), --decode and
/// --no-cuda-graphs: the options of every command that loads a model for inference.
sample::EngineOptions engineFlags(const ParsedOptions& options);

/// The names engineFlags() reads that take a value (without "--"), for ParsedOptions.
std::set<std::string> engineValueNames();
/// The names engineFlags() reads that are plain flags.
std::set<std::string> engineFlagNames();
/// `names` plus engineValueNames(), for a command's ParsedOptions.
std::set<std::string> withEngineValueNames(std::set<std::string> names);

/// The names of the sampling flags generationFlags() reads (without "--").
std::set<std::string> samplingFlagNames();

/// `defaults` with every sampling flag the user gave written over it: --max-tokens, --temperature,
/// --top-k, --top-p, --min-p, --repetition-penalty, --frequency-penalty, --presence-penalty,
/// --penalty-last-n, --seed.
sample::GenerationOptions generationFlags(const ParsedOptions& options, sample::GenerationOptions defaults);

}  // namespace vietllm::cli
