#pragma once
// Stored evaluation runs (backend/store/evaluations.h) read back for reports: the model and the
// headline metric of a run, the runs as results documents (the CLI's resultsJson/resultsMarkdown)
// for export, the checkpoint step a model folder stands for, and the leaderboard across models:
// the best headline score per task per model and the mean over tasks.

#include "backend/eval/evaluator.h"
#include "backend/store/evaluations.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::eval {

/// The model a run evaluated ("local:/models/x", "endpoint:..."): config "model", "" when absent.
std::string runModel(const store::EvaluationRun& run);
/// The run's headline metric: config "metric" (stored since the panel exists), else the first
/// of the known headline names present in the summary, else "".
std::string runHeadlineMetric(const store::EvaluationRun& run);
/// The headline value of a finished run; nullopt when the run has no such number.
std::optional<double> runHeadlineValue(const store::EvaluationRun& run);
/// True for metrics where lower is better (bits per byte, perplexities).
bool lowerIsBetter(const std::string& metric);

/// `runs` as results documents, one per model in first-seen order, each exactly what
/// `eval run --out` writes for that model (resultsJson); a JSON array.
nlohmann::json runsResultsJson(const std::vector<store::EvaluationRun>& runs);
/// The same as Markdown: resultsMarkdown of each model, one after the other.
std::string runsResultsMarkdown(const std::vector<store::EvaluationRun>& runs);

/// Where a model folder sits in a training run: ".../RUN/checkpoint-40" gives RUN's folder and
/// step 40; nullopt for any other folder.
struct CheckpointStep {
    std::string run_dir;
    std::int64_t step = 0;
};
std::optional<CheckpointStep> checkpointStep(const std::string& model);

struct LeaderboardEntry {
    std::string model;
    std::map<std::string, double> best;  ///< task -> best headline score among the model's runs
    std::optional<double> mean;          ///< mean over its tasks with a higher-is-better metric
};

/// Finished runs folded per model (in first-seen order); `tasks` receives every task seen, sorted.
std::vector<LeaderboardEntry> buildLeaderboard(const std::vector<store::EvaluationRun>& runs,
                                               std::vector<std::string>& tasks);

}  // namespace vietllm::eval
