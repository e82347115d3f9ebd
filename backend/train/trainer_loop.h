#pragma once
// Engine-internal (torch): the plumbing every trainer (sft, dpo, rm, rl) shares: the metrics log,
// CPU bf16 autocast, run progress, the resume/fresh-run checks, AdamW with the configured schedule,
// checkpoints that resume exactly (trainable tensors, optimizer moments, RNG state, progress and
// config, written as a ".partial" folder renamed into place) and the final output folder.

#include "backend/model/transformer.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"

#include <torch/optim/adamw.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vietllm::train {

/// The current UTC time as ISO 8601 ("2026-11-26T09:00:00Z"), for start events.
std::string isoTimeNow();

/// Every event goes to the caller's sink and, one JSON object per line, to OUTPUT_DIR/metrics.jsonl.
class MetricsLog {
public:
    /// Opens OUTPUT_DIR/metrics.jsonl for appending; throws UserError when it cannot.
    MetricsLog(const std::string& output_dir, EventSink sink);
    /// Writes `event` to the file (flushed) and hands it to the sink.
    void emit(const nlohmann::ordered_json& event);

private:
    std::ofstream m_file;
    EventSink m_sink;
};

/// CPU bf16 autocast for the calling thread while alive (thread-local state, restored on exit).
class AutocastScope {
public:
    explicit AutocastScope(bool enabled);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_enabled;
};

/// Where a run is: updates done, the next micro-batch (epoch, index), tokens and time so far.
struct Progress {
    std::int64_t step = 0;
    std::int64_t epoch = 0;
    std::int64_t batch_index = 0;
    std::int64_t tokens = 0;
    double elapsed_s = 0.0;
};

/// An int64 tensor [rows, length] holding `values` (row-major).
at::Tensor longTensor(const std::vector<std::int64_t>& values, std::int64_t rows, std::int64_t length);

/// OUTPUT_DIR/checkpoint-STEP.
std::string checkpointPath(const TrainConfig& config, std::int64_t step);

/// Complete checkpoint folders of `output_dir` (those with a trainer state), by ascending step.
std::vector<std::pair<std::int64_t, std::string>> listCheckpoints(const std::string& output_dir);

/// Checks the config (checkTrainConfig), refuses cuda, a resume without a checkpoint and a fresh
/// run over existing checkpoints, and sets the intra-op thread count. Returns the checkpoints
/// found (the newest is what a resume continues from).
std::vector<std::pair<std::int64_t, std::string>> prepareRun(const TrainConfig& config,
                                                             const RunOptions& options);

/// AdamW over `parameters` with the config's optimizer settings.
std::unique_ptr<torch::optim::AdamW> makeOptimizer(const TrainConfig& config,
                                                   const std::vector<at::Tensor>& parameters);

/// Sets the learning rate of every parameter group (the schedule is applied per step).
void setLearningRate(torch::optim::AdamW& optimizer, double lr);

/// Clips the global gradient norm of `parameters` to the config's max_grad_norm (no clipping when
/// it is 0) and returns the norm before clipping.
double clipGradients(const TrainConfig& config, const std::vector<at::Tensor>& parameters);

/// Saves `trainable` (by name), the optimizer, the generator, `progress` and the config into
/// checkpoint-STEP, then drops the oldest checkpoints beyond keep_checkpoints. Returns the path.
std::string saveCheckpoint(const TrainConfig& config, const std::vector<model::NamedTensor>& trainable,
                           torch::optim::AdamW& optimizer, at::Generator& generator,
                           const Progress& progress);

/// Restores what saveCheckpoint wrote into `trainable` (copied in place), the optimizer and the
/// generator; returns the progress. Throws UserError for a checkpoint of another model or config.
Progress loadCheckpoint(const std::string& path, const std::vector<model::NamedTensor>& trainable,
                        torch::optim::AdamW& optimizer, at::Generator& generator);

/// Writes OUTPUT_DIR/final-style output `final_dir`: a PEFT adapter under LoRA, else a model folder.
void writeFinal(const TrainConfig& config, const model::Transformer& model, const std::string& final_dir);

}  // namespace vietllm::train
