#include "backend/runs/run_history.h"

#include "backend/common/errors.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>

namespace vietllm::runs {

namespace fs = std::filesystem;

namespace {

// "checkpoint-120" → 120; -1 when the name is not a checkpoint folder.
std::int64_t checkpointStep(const std::string& name) {
    const std::string prefix = "checkpoint-";
    if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) {
        return -1;
    }
    const std::string digits = name.substr(prefix.size());
    if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
        return -1;
    }
    return std::stoll(digits);
}

nlohmann::json readConfig(const fs::path& config_path) {
    std::ifstream input(config_path, std::ios::binary);
    if (!input) {
        throw UserError(config_path.parent_path().string() +
                        ": not a training run (no readable config.json)");
    }
    const nlohmann::json config = nlohmann::json::parse(input, nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
        throw UserError(config_path.string() + ": not a JSON object");
    }
    return config;
}

std::string stringOr(const nlohmann::json& object, const char* key, const std::string& fallback) {
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : fallback;
}

std::string sanitizedName(const std::string& text) {
    std::string name;
    for (const unsigned char c : text) {
        const bool keep = std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_';
        name += keep ? static_cast<char>(std::tolower(c)) : '-';
    }
    return name.empty() ? "model" : name;
}

fs::file_time_type lastWrite(const RunSummary& run) {
    std::error_code error;
    const fs::path metrics = fs::path(run.dir) / "metrics.jsonl";
    const auto time =
        fs::last_write_time(fs::exists(metrics, error) ? metrics : fs::path(run.dir) / "config.json", error);
    return error ? fs::file_time_type::min() : time;
}

}  // namespace

std::string runsFolderFor(const std::string& project_path) {
    fs::path path(project_path);
    return (path.parent_path() / (path.stem().string() + ".runs")).string();
}

std::vector<CheckpointInfo> checkpointsOf(const std::string& run_dir) {
    std::vector<CheckpointInfo> checkpoints;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(run_dir, error)) {
        if (!entry.is_directory(error)) {
            continue;
        }
        const std::string name = entry.path().filename().string();
        const std::int64_t step = name == "final" ? -1 : checkpointStep(name);
        if (step == -1 && name != "final") {
            continue;
        }
        const bool adapter = fs::exists(entry.path() / "adapter_config.json", error);
        checkpoints.push_back({step, entry.path().string(), adapter});
    }
    std::sort(checkpoints.begin(), checkpoints.end(), [](const CheckpointInfo& a, const CheckpointInfo& b) {
        // final/ (step -1) sorts after every numbered checkpoint.
        const auto key = [](const CheckpointInfo& info) {
            return info.step < 0 ? std::numeric_limits<std::int64_t>::max() : info.step;
        };
        return key(a) < key(b);
    });
    return checkpoints;
}

RunSummary readRun(const std::string& run_dir) {
    const nlohmann::json config = readConfig(fs::path(run_dir) / "config.json");
    RunSummary run;
    run.dir = run_dir;
    run.name = fs::path(run_dir).filename().string();
    run.method = stringOr(config, "method", "sft");
    run.base_model = stringOr(config, "model", "");
    const fs::path metrics_path = fs::path(run_dir) / "metrics.jsonl";
    std::error_code error;
    if (fs::exists(metrics_path, error)) {
        run.metrics = readMetricsFile(metrics_path.string());
    }
    run.checkpoints = checkpointsOf(run_dir);
    return run;
}

std::vector<RunSummary> listRuns(const std::string& runs_root) {
    std::vector<RunSummary> runs;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(runs_root, error)) {
        if (entry.is_directory(error) && fs::exists(entry.path() / "config.json", error)) {
            runs.push_back(readRun(entry.path().string()));
        }
    }
    std::vector<std::pair<fs::file_time_type, RunSummary>> dated;
    for (RunSummary& run : runs) {
        dated.emplace_back(lastWrite(run), std::move(run));
    }
    std::stable_sort(dated.begin(), dated.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    runs.clear();
    for (auto& entry : dated) {
        runs.push_back(std::move(entry.second));
    }
    return runs;
}

std::string newRunName(const std::string& runs_root, const std::string& method, const std::string& model_dir,
                       const std::string& timestamp) {
    fs::path model_path(model_dir);
    if (!model_path.has_filename()) {
        model_path = model_path.parent_path();  // "/models/qwen/" names the folder "qwen"
    }
    const std::string model = sanitizedName(model_path.filename().string());
    const std::string base = sanitizedName(method) + "-" + model + "-" + timestamp;
    std::string name = base;
    std::error_code error;
    for (int suffix = 2; fs::exists(fs::path(runs_root) / name, error); ++suffix) {
        name = base + "-" + std::to_string(suffix);
    }
    return name;
}

}  // namespace vietllm::runs
