#pragma once
// Entry point of the `tokenizer` command group (app/cli/tokenizer_commands.cpp).

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// `vietllm-cli tokenizer extend --base TOKENIZER --corpus FILE... --out DIR [options]`
int runTokenizerCommand(const Arguments& args);

}  // namespace vietllm::cli
