#pragma once
// Entry points of the engine's command groups (app/cli/engine/*.cpp).

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// `vietllm-cli model init|logits ...`
int runModelCommand(const Arguments& args);
/// `vietllm-cli generate --model DIR (--prompt TEXT | --ids 1,2,3) [sampling options]`
int runGenerateCommand(const Arguments& args);

}  // namespace vietllm::cli
