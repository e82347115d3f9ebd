#pragma once
// Runs one task's items against a model (ModelBackend) and scores them: multiple choice by
// log-likelihood (acc, acc_norm) or, for endpoints, by the letter the model answers; extractive QA
// (EM, F1); translation (chrF++, BLEU); instruction following (IFEval strict/loose, prompt and
// instruction level); judged chat (1-10 grade and pairwise win rate); bits per byte; chat replies
// scored by a reward model (metric "reward", any task with user turns or a prompt). Progress is
// reported per chunk of items and the caller can cancel.

#include "backend/eval/eval_items.h"
#include "backend/eval/model_backend.h"
#include "backend/eval/reward_backend.h"
#include "backend/eval/task_spec.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vietllm::eval {

class Judge;

/// One item's outcome, as stored in evaluation_result.
struct ItemResult {
    std::string item_id;
    std::string prompt;
    std::vector<std::string> choices;
    std::string output;
    std::string reference;
    std::optional<double> score;
    std::optional<bool> correct;
    nlohmann::json details = nlohmann::json::object();
};

struct TaskResult {
    std::string task;
    TaskKind kind = TaskKind::Invalid;
    std::string metric;                                 ///< the headline metric's name
    nlohmann::json metrics = nlohmann::json::object();  ///< every metric, "n" included
    std::vector<ItemResult> items;
};

/// Called after each chunk of items; return false to cancel (run() then throws EvalCancelled).
using ProgressCallback = std::function<bool(const std::string& task, std::size_t done, std::size_t total)>;

/// Thrown by Evaluator::run() when the progress callback asked to stop.
class EvalCancelled : public std::runtime_error {
public:
    EvalCancelled() : std::runtime_error("evaluation cancelled") {}
};

struct EvaluatorOptions {
    std::size_t limit = 0;         ///< first N items of each task; 0 = all
    std::size_t chunk_items = 32;  ///< items per progress report
};

/// The option the model picked from a free-text reply to a multiple-choice prompt: "B", "B.",
/// "(B)", "Đáp án: B", "The answer is B", "[[B]]"; -1 when no single letter among the first
/// `choices` letters can be found.
int parseChoiceLetter(std::string_view reply, std::size_t choices);

class Evaluator {
public:
    /// `judge` may be null; judged tasks then fail with a UserError asking for a judge endpoint.
    Evaluator(ModelBackend& model, Judge* judge, EvaluatorOptions options);

    /// Scores `items` (the first options.limit of them) of `task`. Throws UserError when the task
    /// needs what the backend lacks (log-likelihood from an endpoint, a judge), EvalCancelled when
    /// cancelled.
    TaskResult run(const TaskSpec& task, const std::vector<EvalItem>& items,
                   const ProgressCallback& progress);
    /// The reward model of tasks whose metric is "reward" (not owned; may be null, such tasks then
    /// fail with a UserError asking for --reward-model).
    void setRewardModel(RewardBackend* reward) { m_reward = reward; }

private:
    void runMultipleChoice(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                           const ProgressCallback& progress);
    void runLetterChoice(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                         const ProgressCallback& progress);
    void runGeneration(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                       const ProgressCallback& progress);
    void runJudged(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                   const ProgressCallback& progress);
    void runBitsPerByte(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                        const ProgressCallback& progress);
    void runRewarded(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                     const ProgressCallback& progress);

    ModelBackend& m_model;
    Judge* m_judge;
    RewardBackend* m_reward = nullptr;
    EvaluatorOptions m_options;
};

/// The results document of a whole run: {"model", "tasks": {name: metrics}, "config"}.
nlohmann::json resultsJson(const std::string& model, const std::vector<TaskResult>& results,
                           const nlohmann::json& config);

/// The same as a Markdown table (task, metric, value, n).
std::string resultsMarkdown(const std::string& model, const std::vector<TaskResult>& results);

}  // namespace vietllm::eval
