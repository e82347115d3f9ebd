#pragma once
// `vietllm-cli train sft|dpo|rm|rl CONFIG --nproc-per-node N`: data-parallel training on one host, the
// equivalent of `torchrun --standalone --nproc-per-node N`. Starts N vietllm-engine processes with
// torchrun's variables (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1 and a
// free MASTER_PORT), passes rank 0's stdout (the event stream) and stderr through, prefixes the
// other ranks' stderr lines with "[rank R] ", stops every rank when one fails (exit code and
// message of that rank) and forwards SIGINT/SIGTERM to all of them (they checkpoint and stop
// together). Torch-free: it only starts processes.

#include "app/cli/cli_commands.h"

#include <string>

namespace vietllm::cli {

/// True when the arguments after "train" carry --nproc-per-node (the launcher runs, not exec).
bool hasProcessCountOption(const Arguments& args);

/// Runs the launcher on the arguments after "train"; returns 0 when every rank ended well, else
/// the failing rank's exit code (3 when it was killed by a signal).
int runTrainLauncher(const Arguments& args);

}  // namespace vietllm::cli
