#include "backend/eval/task_folders.h"

#include <unistd.h>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace vietllm::eval {
namespace {

// The first candidate folder that exists; the first one when none does (named in errors).
std::string firstExisting(const std::vector<std::string>& candidates) {
    for (const std::string& candidate : candidates) {
        if (!candidate.empty() && std::filesystem::is_directory(candidate)) {
            return std::filesystem::path(candidate).lexically_normal().string();
        }
    }
    return std::filesystem::path(candidates.front()).lexically_normal().string();
}

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

std::string executableFolder() {
    char path[PATH_MAX] = {};
    const ssize_t length = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (length <= 0) {
        return ".";
    }
    return std::filesystem::path(std::string(path, static_cast<std::size_t>(length))).parent_path().string();
}

std::string defaultTasksFolder(const std::string& executable_dir) {
    std::vector<std::string> candidates;
    if (!environment("VIETLLM_EVAL_TASKS").empty()) candidates.push_back(environment("VIETLLM_EVAL_TASKS"));
    candidates.push_back(executable_dir + "/../share/vietllm/eval/tasks");
    candidates.push_back(executable_dir + "/../../resources/eval/tasks");
    return firstExisting(candidates);
}

std::string defaultDataFolder(const std::string& executable_dir) {
    std::vector<std::string> candidates;
    if (!environment("VIETLLM_SAMPLE_DATA").empty()) candidates.push_back(environment("VIETLLM_SAMPLE_DATA"));
    candidates.push_back(executable_dir + "/../../../shared/data");
    return firstExisting(candidates);
}

}  // namespace vietllm::eval
