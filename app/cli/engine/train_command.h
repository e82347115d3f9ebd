#pragma once
// `vietllm-cli train ...`: supervised fine-tuning, config checks and LoRA merging (vietllm-engine).

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// `vietllm-cli train sft CONFIG.json [--resume] | validate CONFIG.json | merge --model --adapter --out`
int runTrainCommand(const Arguments& args);

}  // namespace vietllm::cli
