#pragma once
// Runs one command group with the CLI's error contract, shared by vietllm-cli and vietllm-engine:
// a UserError prints its message alone and exits 1, anything else is an internal error (exit 3).

#include "app/cli/cli_commands.h"

#include <string>

namespace vietllm::cli {

using CommandGroup = int (*)(const Arguments& args);

/// Calls `group` with `args`; `program` and `command` prefix error messages ("vietllm-cli data: ...").
int runCommandGroup(const std::string& program, const std::string& command, CommandGroup group,
                    const Arguments& args);

}  // namespace vietllm::cli
