#pragma once
// Where the evaluation task files and their data are found when no folder is given, shared by
// `vietllm-cli eval` and the Evaluation panel so both list the same tasks.

#include <string>

namespace vietllm::eval {

/// The task folder: `$VIETLLM_EVAL_TASKS`, else `<bin>/../share/vietllm/eval/tasks` (installed),
/// else `<bin>/../../resources/eval/tasks` (in-tree builds); the first that exists, or the first
/// candidate when none does (so errors name it). `executable_dir` is the folder of the program.
std::string defaultTasksFolder(const std::string& executable_dir);
/// The data root: `$VIETLLM_SAMPLE_DATA`, else `<bin>/../../../shared/data`; first existing, as above.
std::string defaultDataFolder(const std::string& executable_dir);
/// The folder of the running executable ("." when /proc/self/exe cannot be read).
std::string executableFolder();

}  // namespace vietllm::eval
