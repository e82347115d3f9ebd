#pragma once
// `vietllm-cli data clean|dedup|decontaminate|export`: the torch-free data-building steps over
// JSONL files, registered in data_commands.cpp's dispatch.

#include "app/cli/cli_commands.h"
#include "app/cli/data_steps.h"

#include <nlohmann/json.hpp>

#include <string>

namespace vietllm::cli {

/// True when `step` is one of the steps runDataBuildStep() runs.
bool isDataBuildStep(const std::string& step);
/// The options `step` accepts.
StepOptionNames dataBuildOptionNames(const std::string& step);
/// Runs `step` with parsed options; returns its summary (also written to --summary-out).
nlohmann::ordered_json runDataBuildJob(const std::string& step, const ParsedOptions& options);
/// Runs one data-building step with the arguments after its name; returns the exit code.
int runDataBuildStep(const std::string& step, const Arguments& args);

}  // namespace vietllm::cli
