#pragma once
// Entry points of vietllm-cli's command groups. Each takes the arguments after its group name
// and returns the process exit code; user mistakes are thrown as vietllm::UserError.

#include <string>
#include <vector>

namespace vietllm::cli {

using Arguments = std::vector<std::string>;

/// `vietllm-cli text normalize|langid|pii|toxicity|quality [options] [FILE...]`
int runTextCommand(const Arguments& args);
/// `vietllm-cli data convert --from FORMAT --to FORMAT IN OUT [--skip-bad]`
int runDataCommand(const Arguments& args);
/// `vietllm-cli project init|import|export|stats ...`
int runProjectCommand(const Arguments& args);

}  // namespace vietllm::cli
