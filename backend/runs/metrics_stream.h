#pragma once
// The trainer's progress protocol: `vietllm-cli train` prints one JSON object per line on stdout
// and appends the same lines to OUTPUT_DIR/metrics.jsonl (docs/training.md). This module reads
// those lines into per-run series for the Training panel's charts and run history. The last line
// of a file may be cut short by a killed process: it is ignored, never an error.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::runs {

enum class EventKind { Invalid = 0, Start, Step, Eval, Checkpoint, Done, Error };

/// One line of the stream. Fields a kind does not carry stay empty.
struct MetricEvent {
    EventKind kind = EventKind::Invalid;
    std::int64_t step = 0;
    std::string method;                             ///< start: "sft", "rm", "dpo", "rl"
    std::int64_t total_steps = 0;                   ///< start
    std::int64_t parameters = 0;                    ///< start
    std::int64_t trainable_parameters = 0;          ///< start
    std::optional<std::int64_t> resumed_from_step;  ///< start
    double epoch = 0;                               ///< step
    std::optional<double> loss;                     ///< step
    std::optional<double> learning_rate;            ///< step ("lr")
    std::optional<double> grad_norm;                ///< step
    std::optional<double> tokens_per_s;             ///< step
    std::int64_t tokens = 0;                        ///< step: cumulative real (non-padding) tokens
    double elapsed_s = 0;                           ///< step
    std::optional<double> eval_loss;                ///< eval
    /// step, eval: the other numeric fields, by name (a method's own numbers: DPO's accuracy,
    /// margin and rewards/chosen, eval events' eval_accuracy, a reward model's, RL's kl, ...).
    std::map<std::string, double> extra;
    std::string path;     ///< checkpoint: its folder; done: the final output
    std::string status;   ///< done: "finished" or "cancelled"
    std::string message;  ///< error
};

/// Parses one line. Returns nothing for a blank line, a line that is not a JSON object, or an
/// object without a known "event" (a newer trainer may add events; readers skip them).
std::optional<MetricEvent> parseMetricLine(const std::string& line);

enum class RunStatus { Invalid = 0, Running, Finished, Cancelled, Failed };

/// "running", "finished", "cancelled" or "failed".
std::string runStatusName(RunStatus status);

/// A point of one series: the optimizer step and the value.
struct SeriesPoint {
    std::int64_t step = 0;
    double value = 0;
};

/// Everything a run's stream said so far, folded into series.
struct RunMetrics {
    std::string method;
    std::int64_t total_steps = 0;
    std::int64_t parameters = 0;
    std::int64_t trainable_parameters = 0;
    std::int64_t last_step = 0;
    std::int64_t tokens = 0;
    double elapsed_s = 0;
    std::vector<SeriesPoint> loss, eval_loss, learning_rate, grad_norm, tokens_per_s;
    /// The method-specific series of step and eval events, by field name (MetricEvent::extra).
    std::map<std::string, std::vector<SeriesPoint>> extra;
    std::vector<std::string> checkpoints;  ///< in the order they were saved
    std::string final_output;
    std::string error;
    /// Running until a done or error event arrives.
    RunStatus status = RunStatus::Running;

    /// Folds one event in. A resumed run's start drops the points after the step it resumed
    /// from, so the curve shows the run as it continued, not the abandoned tail.
    void add(const MetricEvent& event);
};

/// Reads a metrics.jsonl file. Throws UserError naming the file when it cannot be read; unknown or
/// cut-off lines are skipped.
RunMetrics readMetricsFile(const std::string& path);

/// Exponential moving average of `points` with weight `smoothing` in [0, 1) on the past, bias
/// corrected like TensorBoard's so the first points are not pulled toward zero.
std::vector<SeriesPoint> smoothSeries(const std::vector<SeriesPoint>& points, double smoothing);

}  // namespace vietllm::runs
