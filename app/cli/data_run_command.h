#pragma once
// `vietllm-cli data run RECIPE.json`: runs a data recipe (backend/databuild/recipe.h) step by
// step with a job record per step, resumable after a kill; registered in data_commands.cpp.

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// Runs `data run` with the arguments after "run"; returns the exit code.
int runDataRun(const Arguments& args);

}  // namespace vietllm::cli
