#pragma once
// Engine-internal (torch): the plumbing every trainer (sft, dpo, rm, rl) shares: the metrics log,
// the run's device, bf16 autocast, throughput metrics (MFU, peak memory), run progress, the
// resume/fresh-run checks, AdamW with the configured schedule, checkpoints that resume exactly
// (trainable tensors, optimizer moments, RNG state, progress and config, written as a ".partial"
// folder renamed into place) and the final output folder.

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

class DataParallel;

/// The current UTC time as ISO 8601 ("2026-11-26T09:00:00Z"), for start events.
std::string isoTimeNow();

/// Every event goes to the caller's sink and, one JSON object per line, to OUTPUT_DIR/metrics.jsonl.
class MetricsLog {
public:
    /// Opens OUTPUT_DIR/metrics.jsonl for appending; throws UserError when it cannot. A log that is
    /// not `enabled` (the ranks other than 0 of a data-parallel run) opens nothing and drops events.
    MetricsLog(const std::string& output_dir, EventSink sink, bool enabled = true);
    /// Writes `event` to the file (flushed) and hands it to the sink.
    void emit(const nlohmann::ordered_json& event);

private:
    std::ofstream m_file;
    EventSink m_sink;
    bool m_enabled;
};

/// bf16 autocast on `device_type` (CPU or CUDA) for the calling thread while alive (thread-local
/// state, restored on exit): matmuls run in bf16, fp32 master weights stay fp32. The cast cache is
/// off inside the scope, because the scope spans optimizer steps that update the weights in place.
class AutocastScope {
public:
    explicit AutocastScope(bool enabled, at::DeviceType device_type = at::kCPU);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_enabled;
    at::DeviceType m_device_type;
    bool m_cache_was_enabled = true;
};

/// The device a run computes on (runDeviceName: "cpu", "cuda:N", plain "cuda" = cuda:`local_rank`,
/// torchrun's LOCAL_RANK). Throws one UserError "CONFIG: $.device: cuda:N: why" when no CUDA device
/// is visible or N is out of range.
at::Device runDevice(const TrainConfig& config, int local_rank);

/// The dtype the weights are loaded in: bf16 for a bf16 run under LoRA (the frozen base gets no
/// update, so it needs no fp32 master copy: half the memory and no per-step casts), else fp32.
at::ScalarType baseWeightsDtype(const TrainConfig& config);

/// The generator dropout draws from on `device`: `cpu_generator` itself on the CPU, else a
/// generator of that GPU seeded with `seed` (a CPU generator cannot fill GPU tensors).
at::Generator runGenerator(const at::Generator& cpu_generator, const at::Device& device, std::uint64_t seed);

/// Model FLOPs, MFU and peak memory of a run for its step events (runs/training_flops.h has the
/// FLOP convention). Starts a new memory peak when created.
class ThroughputMeter {
public:
    /// `world_size` processes share the counted tokens (MFU is per device).
    ThroughputMeter(const TrainConfig& config, const weights::ModelConfig& model, const at::Device& device,
                    int world_size);
    /// Counts `real_tokens` non-padding tokens computed in rows `row_length` tokens long.
    void count(std::int64_t real_tokens, std::int64_t row_length);
    /// Adds "model_tflops" (model TFLOP/s per device over `session_s`), "mfu" (when the device's
    /// peak is known or configured) and "peak_memory_bytes" (CUDA allocator peak, or the process's
    /// peak resident set on the CPU) to `event`.
    void annotate(nlohmann::ordered_json& event, double session_s) const;

private:
    weights::ModelConfig m_model;
    bool m_lora;
    at::Device m_device;
    int m_world_size;
    double m_peak_flops = 0.0;
    double m_flops = 0.0;
};

/// Where a run is: updates done, the next micro-batch (epoch, index), tokens and time so far.
struct Progress {
    std::int64_t step = 0;
    std::int64_t epoch = 0;
    std::int64_t batch_index = 0;
    std::int64_t tokens = 0;
    double elapsed_s = 0.0;
};

/// An int64 tensor [rows, length] holding `values` (row-major), on `device`.
at::Tensor longTensor(const std::vector<std::int64_t>& values, std::int64_t rows, std::int64_t length,
                      const at::Device& device = at::kCPU);

/// OUTPUT_DIR/checkpoint-STEP.
std::string checkpointPath(const TrainConfig& config, std::int64_t step);

/// Complete checkpoint folders of `output_dir` (those with a trainer state), by ascending step.
std::vector<std::pair<std::int64_t, std::string>> listCheckpoints(const std::string& output_dir);

/// Checks the config (checkTrainConfig), refuses cuda for the methods that run on the CPU only
/// (all but sft), a resume without a checkpoint and a fresh run over existing checkpoints, and sets
/// the intra-op thread count. Returns the checkpoints
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

/// Restores what saveCheckpoint wrote into `trainable` (copied in place), the optimizer (its state
/// mapped onto the device of `trainable`, whichever device wrote it) and the generator (whose device
/// type must be the one that wrote it); returns the progress. Throws UserError for a checkpoint of
/// another model or config.
Progress loadCheckpoint(const std::string& path, const std::vector<model::NamedTensor>& trainable,
                        torch::optim::AdamW& optimizer, at::Generator& generator);

/// The end of an optimizer step: every rank agrees whether a stop was asked for on any of them (so
/// all stop at the same step), and the main rank saves the periodic checkpoint or the one a stop
/// needs. Returns true when the run stops here.
bool endOfStep(const TrainConfig& config, const RunOptions& options, DataParallel& parallel,
               const model::Transformer& model, torch::optim::AdamW& optimizer, at::Generator& generator,
               const Progress& progress, std::int64_t total_steps, MetricsLog& log);

/// Writes OUTPUT_DIR/final-style output `final_dir`: a PEFT adapter under LoRA, else a model folder.
void writeFinal(const TrainConfig& config, const model::Transformer& model, const std::string& final_dir);

}  // namespace vietllm::train
