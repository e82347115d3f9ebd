#pragma once
// `vietllm-cli chat`: an interactive chat with a local model on stdin/stdout.

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// Runs `chat` with `args` (after the command name) until /exit, end of input or Ctrl+C at the
/// prompt; returns the exit code.
int runChatCommand(const Arguments& args);

}  // namespace vietllm::cli
