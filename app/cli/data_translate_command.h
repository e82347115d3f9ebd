#pragma once
// `vietllm-cli data translate`: English to Vietnamese through an OpenAI-compatible endpoint,
// registered in data_commands.cpp's dispatch.

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// Runs `data translate` with the arguments after "translate"; returns the exit code.
int runDataTranslate(const Arguments& args);

}  // namespace vietllm::cli
