#pragma once
// `vietllm-cli serve`: an OpenAI-compatible chat server over a local model.

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// Runs `serve` with `args` (after the command name) until Ctrl+C or SIGTERM; returns the exit code.
int runServeCommand(const Arguments& args);

}  // namespace vietllm::cli
