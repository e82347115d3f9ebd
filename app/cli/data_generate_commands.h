#pragma once
// `vietllm-cli data harvest|self-instruct|evol-instruct`: instruction data from human-written
// text and through a model, registered in data_commands.cpp's dispatch and run by `data run`.

#include "app/cli/cli_commands.h"
#include "app/cli/data_steps.h"

#include <nlohmann/json.hpp>

#include <string>

namespace vietllm::cli {

/// True for harvest, self-instruct and evol-instruct.
bool isDataGenerateStep(const std::string& step);
/// The options `step` accepts.
StepOptionNames dataGenerateOptionNames(const std::string& step);
/// Runs `step` with parsed options; returns its summary (also written to --summary-out).
nlohmann::ordered_json runDataGenerateJob(const std::string& step, const ParsedOptions& options,
                                          const StepRunContext& context);
/// Runs `vietllm-cli data STEP` with the arguments after the step's name; returns the exit code.
int runDataGenerateStep(const std::string& step, const Arguments& args);

}  // namespace vietllm::cli
