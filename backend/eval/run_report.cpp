#include "backend/eval/run_report.h"

#include <algorithm>
#include <regex>
#include <set>

namespace vietllm::eval {
namespace {

// Headline metrics of the task kinds, for runs stored before the config named theirs.
const char* const kHeadlineNames[] = {"acc",           "f1",    "chrf", "prompt_strict_acc", "score",
                                      "bits_per_byte", "reward"};

// Runs grouped by model, in first-seen order.
std::vector<std::pair<std::string, std::vector<const store::EvaluationRun*>>> byModel(
    const std::vector<store::EvaluationRun>& runs) {
    std::vector<std::pair<std::string, std::vector<const store::EvaluationRun*>>> groups;
    for (const store::EvaluationRun& run : runs) {
        const std::string model = runModel(run);
        auto found = std::find_if(groups.begin(), groups.end(),
                                  [&](const auto& group) { return group.first == model; });
        if (found == groups.end()) {
            groups.push_back({model, {}});
            found = groups.end() - 1;
        }
        found->second.push_back(&run);
    }
    return groups;
}

// The kind a stored name ("multiple_choice") stands for; Invalid when none does.
TaskKind kindOfName(const std::string& name) {
    for (int value = 1; value < 64; ++value) {
        const auto kind = static_cast<TaskKind>(value);
        if (name == taskKindName(kind)) return kind;
    }
    return TaskKind::Invalid;
}

TaskResult taskResultOf(const store::EvaluationRun& run) {
    TaskResult result;
    result.task = run.benchmark;
    result.kind = kindOfName(run.config.value("kind", ""));
    result.metric = runHeadlineMetric(run);
    result.metrics = run.summary.is_object() ? run.summary : nlohmann::json::object();
    return result;
}

std::vector<TaskResult> taskResultsOf(const std::vector<const store::EvaluationRun*>& runs) {
    std::vector<TaskResult> results;
    for (const store::EvaluationRun* run : runs) results.push_back(taskResultOf(*run));
    return results;
}

}  // namespace

std::string runModel(const store::EvaluationRun& run) {
    const auto found = run.config.find("model");
    return found != run.config.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string runHeadlineMetric(const store::EvaluationRun& run) {
    const auto found = run.config.find("metric");
    if (found != run.config.end() && found->is_string()) {
        return found->get<std::string>();
    }
    if (run.summary.is_object()) {
        for (const char* name : kHeadlineNames) {
            if (run.summary.contains(name)) return name;
        }
    }
    return {};
}

std::optional<double> runHeadlineValue(const store::EvaluationRun& run) {
    const std::string metric = runHeadlineMetric(run);
    if (metric.empty() || !run.summary.is_object()) {
        return std::nullopt;
    }
    const auto found = run.summary.find(metric);
    if (found == run.summary.end() || !found->is_number()) {
        return std::nullopt;
    }
    return found->get<double>();
}

bool lowerIsBetter(const std::string& metric) {
    return metric == "bits_per_byte" || metric == "byte_perplexity" || metric == "token_perplexity";
}

nlohmann::json runsResultsJson(const std::vector<store::EvaluationRun>& runs) {
    nlohmann::json documents = nlohmann::json::array();
    for (const auto& [model, model_runs] : byModel(runs)) {
        const nlohmann::json config = model_runs.front()->config;
        documents.push_back(resultsJson(model, taskResultsOf(model_runs), config));
    }
    return documents;
}

std::string runsResultsMarkdown(const std::vector<store::EvaluationRun>& runs) {
    std::string text;
    for (const auto& [model, model_runs] : byModel(runs)) {
        if (!text.empty()) text += "\n";
        text += resultsMarkdown(model, taskResultsOf(model_runs));
    }
    return text;
}

std::optional<CheckpointStep> checkpointStep(const std::string& model) {
    static const std::regex pattern(R"(^(?:local:)?(.*)/checkpoint-([0-9]+)/?$)");
    std::smatch match;
    if (!std::regex_match(model, match, pattern)) {
        return std::nullopt;
    }
    return CheckpointStep{match[1].str(), std::stoll(match[2].str())};
}

std::vector<LeaderboardEntry> buildLeaderboard(const std::vector<store::EvaluationRun>& runs,
                                               std::vector<std::string>& tasks) {
    std::set<std::string> task_names;
    std::vector<LeaderboardEntry> entries;
    for (const auto& [model, model_runs] : byModel(runs)) {
        LeaderboardEntry entry;
        entry.model = model;
        std::map<std::string, std::string> metrics;
        for (const store::EvaluationRun* run : model_runs) {
            const std::optional<double> value = runHeadlineValue(*run);
            if (run->status != store::EvaluationStatus::Finished || !value) continue;
            const std::string metric = runHeadlineMetric(*run);
            const auto found = entry.best.find(run->benchmark);
            const bool better = found == entry.best.end() ||
                                (lowerIsBetter(metric) ? *value < found->second : *value > found->second);
            if (better) entry.best[run->benchmark] = *value;
            metrics[run->benchmark] = metric;
            task_names.insert(run->benchmark);
        }
        if (entry.best.empty()) continue;
        double sum = 0;
        int count = 0;
        for (const auto& [task, value] : entry.best) {
            if (lowerIsBetter(metrics[task])) continue;
            sum += value;
            ++count;
        }
        if (count > 0) entry.mean = sum / count;
        entries.push_back(std::move(entry));
    }
    tasks.assign(task_names.begin(), task_names.end());
    return entries;
}

}  // namespace vietllm::eval
