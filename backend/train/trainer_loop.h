#pragma once
// Engine-internal (torch): the plumbing every trainer (sft, dpo, rm, rl) shares: the metrics log,
// the run's device, bf16 autocast, throughput metrics (MFU, peak memory), run progress, the
// resume/fresh-run checks, AdamW with the configured schedule, checkpoints that resume exactly
// (trainable tensors, optimizer moments, RNG state, progress and config, written as a ".partial"
// folder renamed into place) and the final output folder. TrainerSession bundles these into the
// set-up, step and finish blocks every trainer runs the same way (see its comment for the order).

#include "backend/model/transformer.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/distributed.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"

#include <torch/optim/adamw.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vietllm::train {

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

/// The logits [rows, length, vocab] of a packed micro-batch, computed on the model's device.
at::Tensor packedLogits(const model::Transformer& model, const MicroBatch& batch);

/// The labels of `batch` flattened to [rows * length] on `device` (kIgnoreLabel where no loss).
at::Tensor flatLabels(const MicroBatch& batch, const at::Device& device);

/// OUTPUT_DIR/checkpoint-STEP.
std::string checkpointPath(const TrainConfig& config, std::int64_t step);

/// Complete checkpoint folders of `output_dir` (those with a trainer state), by ascending step.
std::vector<std::pair<std::int64_t, std::string>> listCheckpoints(const std::string& output_dir);

/// Checks the config (checkTrainConfig), refuses a resume without a checkpoint and a fresh run over
/// existing checkpoints, and sets the intra-op thread count. Returns the checkpoints found (the
/// newest is what a resume continues from).
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

/// Optimizer steps of a run: max_steps when set, else ceil(micro-batches / `accumulation`) summed
/// over the epochs (`epoch_size`: micro-batches of an epoch).
std::int64_t totalSteps(const TrainConfig& config, std::int64_t accumulation,
                        const std::function<std::int64_t(std::int64_t epoch)>& epoch_size);

/// A micro-batch of a step: the epoch it belongs to and its index there.
struct BatchSlot {
    std::int64_t epoch = 0;
    std::int64_t index = 0;
};

/// The next optimizer step's micro-batches (up to `accumulation`), advancing `progress` over the
/// epochs (`epoch_size` as above); an update never mixes epochs. Empty when the data is used up.
std::vector<BatchSlot> nextStepBatches(const TrainConfig& config, std::int64_t accumulation,
                                       Progress& progress,
                                       const std::function<std::int64_t(std::int64_t epoch)>& epoch_size);

/// What an optimizer step reports: its learning rate, the gradient norm before clipping and the
/// seconds this session has run so far.
struct StepUpdate {
    double lr = 0.0;
    double grad_norm = 0.0;
    double session_s = 0.0;
};

/// The set-up, step and finish blocks every trainer shares, so that each trainer keeps only its
/// data, loss and metrics. The order of use:
///   TrainerSession session(config, options);  // checks, device, data-parallel group, tokenizer
///   ... load the data (UserErrors before any weights are read) ...
///   session.setUpModel();                     // model on the device, optimizer, log, autocast
///   ... method set-up that needs the starting model (DPO's reference log-probabilities) ...
///   session.resume();                         // the newest checkpoint, with --resume
///   session.log->emit(session.startEvent("sft", total_steps, {...}));
///   session.startLoop();
///   while (progress.step < total_steps) {
///       session.beginStep(); ... batches: countTokens(), forward, backward ...
///       const StepUpdate update = session.applyUpdate(total_steps);
///       if (session.logsStep(total_steps)) session.log->emit(session.stepEvent(size, {...}, update));
///       if (session.evalDue(total_steps)) ...;
///       if ((cancelled = session.endStep(total_steps))) break;
///   }
///   return session.finish(cancelled, final_eval);
/// Only one thread uses a session (autocast is thread-local state).
struct TrainerSession {
    const TrainConfig& config;
    const RunOptions& options;
    /// The checkpoints found when the run started (prepareRun); a resume continues from the last.
    std::vector<std::pair<std::int64_t, std::string>> existing;
    /// Where this process sits in a data-parallel run (torchrun's or Slurm's variables).
    DistributedEnv env;
    /// runDevice of the config and the launcher's LOCAL_RANK, chosen before the group is joined.
    at::Device device;
    DataParallel parallel;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer;
    /// The trained model, from setUpModel() on.
    std::unique_ptr<model::Transformer> model;
    /// Dropout's generator on the device (runGenerator), saved in and restored from checkpoints.
    at::Generator generator;
    /// The trainable tensors (on the device) and their element count.
    std::vector<at::Tensor> parameters;
    std::int64_t trainable = 0;
    std::unique_ptr<torch::optim::AdamW> optimizer;
    /// OUTPUT_DIR/metrics.jsonl and the caller's sink (rank 0 only), from setUpModel() on.
    std::unique_ptr<MetricsLog> log;
    Progress progress;

    /// Checks the run (prepareRun), reads the data-parallel environment, picks the device
    /// (UserError when it is not there), joins the group on it and loads the tokenizer.
    TrainerSession(const TrainConfig& config, const RunOptions& options);
    ~TrainerSession();
    TrainerSession(const TrainerSession&) = delete;
    TrainerSession& operator=(const TrainerSession&) = delete;

    /// Loads the model (baseWeightsDtype), adds a reward score head when `score_head`, then LoRA
    /// adapters or trainable weights and gradient checkpointing, all drawn on the CPU from the seed
    /// (the same on every device); moves the model to the device; makes the dropout generator;
    /// broadcasts rank 0's trainable tensors; makes the optimizer; creates the output folder and
    /// the log; and enters bf16 autocast on the device for a bf16 run (until the session ends).
    void setUpModel(bool score_head = false);
    /// With --resume: restores the newest checkpoint (weights, optimizer, generator, progress).
    void resume();
    /// The start event: event, method, total_steps, parameters, trainable_parameters,
    /// resumed_from_step, then `fields` (the method's own), world_size, device, process_group
    /// (DataParallel::backendName) and time.
    nlohmann::ordered_json startEvent(const std::string& method, std::int64_t total_steps,
                                      const nlohmann::ordered_json& fields) const;
    /// Starts the throughput meter (a new memory peak) and the clock of tokens_per_s and elapsed_s.
    void startLoop();

    /// The start of an optimizer step: the rank's dropout seed (data parallel), dropout on, zero
    /// gradients.
    void beginStep();
    /// Counts `real_tokens` computed in rows `row_length` long into progress and throughput.
    void countTokens(std::int64_t real_tokens, std::int64_t row_length);
    /// After the step's backward passes: sums the gradients over the ranks, sets the scheduled
    /// learning rate, clips, steps the optimizer, counts the step and its time, turns dropout off.
    StepUpdate applyUpdate(std::int64_t total_steps);
    /// Whether the step just done gets a step event (every log_every_steps, and the last).
    bool logsStep(std::int64_t total_steps) const;
    /// A step event: event, step, epoch (fractional, `epoch_size` micro-batches per epoch), then
    /// `fields` (loss and the method's own), lr, grad_norm, tokens, tokens_per_s, elapsed_s,
    /// world_size and the throughput fields (ThroughputMeter::annotate).
    nlohmann::ordered_json stepEvent(std::int64_t epoch_size, const nlohmann::ordered_json& fields,
                                     const StepUpdate& update) const;
    /// Whether a periodic evaluation is due after the step just done (never at the last step: the
    /// final evaluation follows it).
    bool evalDue(std::int64_t total_steps) const;
    /// endOfStep for this session: true when the run stops here (cancelled).
    bool endStep(std::int64_t total_steps);

    /// The end of the run. Unless cancelled: `final_eval` (every rank calls it), then the main rank
    /// writes OUTPUT_DIR/final with `write_final` (writeFinal when empty). Emits the done event and
    /// returns the result (output: the final folder, or the checkpoint a cancelled run saved).
    RunResult finish(bool cancelled, const std::function<void()>& final_eval,
                     const std::function<void(const std::string& final_dir)>& write_final = nullptr);

private:
    std::optional<AutocastScope> m_autocast;
    std::optional<ThroughputMeter> m_meter;
    std::chrono::steady_clock::time_point m_loop_start;
    double m_elapsed_before = 0.0;
    std::int64_t m_tokens_before = 0;
};

}  // namespace vietllm::train
