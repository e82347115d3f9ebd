#pragma once
// Entry points of the tokenizer command groups (app/cli/tokenize_commands.cpp).

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// `vietllm-cli tokenize --tokenizer PATH [--add-special] [FILE...]`
int runTokenizeCommand(const Arguments& args);
/// `vietllm-cli detokenize --tokenizer PATH [--skip-special] [FILE...]`
int runDetokenizeCommand(const Arguments& args);

}  // namespace vietllm::cli
