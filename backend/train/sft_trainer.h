#pragma once
// Supervised fine-tuning on libtorch, torch-free on the outside: LoRA or full fine-tuning with
// AdamW, warmup + cosine/linear/constant schedule, gradient clipping and accumulation, periodic
// evaluation and checkpoints that resume exactly, and outputs Python loads unchanged (a PEFT
// adapter, or a complete Hugging Face model folder). Progress is a stream of JSON events (the
// metrics protocol in docs/training.md), also appended to OUTPUT_DIR/metrics.jsonl.

#include "backend/train/sft_data.h"
#include "backend/train/train_config.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace vietllm::train {

/// Receives every metrics event (start, step, eval, checkpoint, done) as it happens.
using EventSink = std::function<void(const nlohmann::ordered_json& event)>;

struct RunOptions {
    /// Continue from the newest checkpoint-K in the output folder.
    bool resume = false;
    /// Polled at every step boundary: when true, a checkpoint is saved and the run ends "cancelled".
    const std::atomic<bool>* cancel = nullptr;
    EventSink on_event;
    int num_threads = 0;  ///< intra-op threads; 0 = every hardware thread
};

struct RunResult {
    std::int64_t step = 0;
    bool cancelled = false;
    std::string output;  ///< OUTPUT_DIR/final, or the checkpoint a cancelled run saved
};

/// Runs SFT as `config` says. Throws UserError for a bad config, data or model (before any
/// compute), or when `options.resume` finds no checkpoint, or when a fresh run would overwrite
/// existing checkpoints.
RunResult runSft(const TrainConfig& config, const RunOptions& options);

/// The learning-rate factor (of the configured lr) for update `step` (0-based) of `total_steps`:
/// linear warmup to 1 over the warmup steps (`(step + 1) / warmup`), then cosine or linear decay
/// to min_lr_ratio at the last step, or constant.
double learningRateFactor(const ScheduleConfig& schedule, std::int64_t step, std::int64_t total_steps);

/// Writes the model of BASE_DIR with the PEFT LoRA adapter of ADAPTER_DIR folded in
/// (W + alpha/r * B A) as a complete model folder OUT_DIR (weights in float32, config and
/// tokenizer files copied). Throws UserError for a missing or mismatched adapter.
void mergeAdapter(const std::string& base_dir, const std::string& adapter_dir, const std::string& out_dir);

/// Mean cross-entropy over the supervised positions of `batches` (what the trainer's eval events
/// report) for MODEL_DIR, with the PEFT adapter of ADAPTER_DIR applied unless it is empty.
double meanLoss(const std::string& model_dir, const std::string& adapter_dir,
                const std::vector<MicroBatch>& batches);

/// Logits [position][vocab] of `ids` for MODEL_DIR with the adapter of ADAPTER_DIR applied (unmerged,
/// as in training), to check merged models and adapters against each other.
std::vector<std::vector<float>> adapterLogits(const std::string& model_dir, const std::string& adapter_dir,
                                              const std::vector<std::int32_t>& ids);

}  // namespace vietllm::train
