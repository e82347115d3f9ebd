#pragma once
// Entry point of the `annotate` command group (app/cli/annotate_commands.cpp).

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// `vietllm-cli annotate pack-export|pack-open|pack-return|merge|agreement|leaderboard|conflicts|export ...`
int runAnnotateCommand(const Arguments& args);

}  // namespace vietllm::cli
