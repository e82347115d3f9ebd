#pragma once
// `vietllm-cli eval list|run`: benchmark a local model or an OpenAI-compatible endpoint on the
// task files of resources/eval/tasks (see docs/evaluation.md).

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// `vietllm-cli eval list|run ...`
int runEvalCommand(const Arguments& args);

}  // namespace vietllm::cli
