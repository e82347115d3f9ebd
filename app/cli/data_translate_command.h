#pragma once
// `vietllm-cli data translate`: English to Vietnamese through an OpenAI-compatible endpoint,
// registered in data_commands.cpp's dispatch.

#include "app/cli/cli_commands.h"
#include "app/cli/data_steps.h"

#include <nlohmann/json.hpp>

namespace vietllm::cli {

/// The options `data translate` accepts.
StepOptionNames translateOptionNames();
/// Runs a translation with parsed options; returns its summary.
nlohmann::ordered_json runTranslateJob(const ParsedOptions& options, const StepRunContext& context);
/// Runs `data translate` with the arguments after "translate"; returns the exit code.
int runDataTranslate(const Arguments& args);

}  // namespace vietllm::cli
