#pragma once
// What `data run` needs from each data step's command: the options it accepts and a way to run
// it from parsed options without printing, so that a recipe step and the same command typed by
// hand go through one option parser and behave the same.

#include "app/cli/options.h"
#include "backend/databuild/generation.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <set>
#include <string>

namespace vietllm::cli {

/// Option names (without "--") a step accepts.
struct StepOptionNames {
    std::set<std::string> values;  ///< take a value
    std::set<std::string> flags;   ///< take none
};

/// Progress and cancellation for a step run by `data run`.
struct StepRunContext {
    std::function<void(const databuild::GenerationProgress&)> on_progress;
};

}  // namespace vietllm::cli
