#pragma once
// Training runs on disk. Every run the Training panel starts lives in its own folder under the
// project's runs folder: config.json (the trainer's configuration), metrics.jsonl (the trainer's
// progress stream), checkpoint-STEP/ folders and final/. The folder is the source of truth, so a
// run started from the CLI or copied from a GPU server shows up in the history too.

#include "backend/runs/metrics_stream.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::runs {

/// A checkpoint folder of a run.
struct CheckpointInfo {
    std::int64_t step = 0;  ///< -1 for final/
    std::string path;
    bool is_adapter = false;  ///< a LoRA adapter (adapter_config.json) rather than a full model
};

/// One run folder, summarised for the history table.
struct RunSummary {
    std::string name;  ///< the folder's name
    std::string dir;
    std::string method;
    std::string base_model;
    RunMetrics metrics;
    std::vector<CheckpointInfo> checkpoints;  ///< by step, final/ last
};

/// The runs folder of a project file: "/data/demo.vietllm" → "/data/demo.runs".
std::string runsFolderFor(const std::string& project_path);

/// The checkpoint folders of a run on disk, by step, final/ last.
std::vector<CheckpointInfo> checkpointsOf(const std::string& run_dir);

/// Reads one run folder; throws UserError naming the folder when it has no config.json.
RunSummary readRun(const std::string& run_dir);

/// Every run folder under `runs_root` (folders without config.json are skipped), newest first.
/// A missing root is an empty history.
std::vector<RunSummary> listRuns(const std::string& runs_root);

/// A folder name for a new run: "sft-qwen2.5-0.5b-20261126-0712", made unique under `runs_root`.
std::string newRunName(const std::string& runs_root, const std::string& method, const std::string& model_dir,
                       const std::string& timestamp);

}  // namespace vietllm::runs
