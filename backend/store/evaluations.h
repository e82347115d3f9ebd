#pragma once
// Evaluation runs and their per-item results in a project (tables evaluation_run and
// evaluation_result): the CLI writes them as `eval run --project` goes, the Evaluation panel reads
// them (runs newest first, results a page at a time). One run holds one task (its benchmark).

#include "backend/store/project_store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::store {

enum class EvaluationStatus { Invalid = 0, Queued, Running, Finished, Failed, Cancelled };

/// "queued", "running", "finished", "failed", "cancelled".
const char* evaluationStatusName(EvaluationStatus status);
/// The status a name gives; Invalid for anything else.
EvaluationStatus parseEvaluationStatus(const std::string& name);

struct EvaluationRun {
    std::int64_t id = 0;
    std::string name;
    std::string benchmark;                             ///< the task name
    nlohmann::json config = nlohmann::json::object();  ///< model, options, task file
    EvaluationStatus status = EvaluationStatus::Invalid;
    nlohmann::json summary;  ///< the task's metrics once finished (null before)
    std::string started_at;
    std::string finished_at;
    std::string created_at;
};

struct EvaluationResultRow {
    std::string item_id;
    std::string prompt;
    std::string output;
    std::string reference;
    std::optional<double> score;
    std::optional<bool> correct;
    nlohmann::json details;  ///< choices, log-probabilities, checks... (null: none)
};

class Evaluations {
public:
    /// Works on `store`, which must outlive this object.
    explicit Evaluations(ProjectStore& store) : m_store(store) {}

    /// Adds a run in status "running" (started now) and returns its id. Throws UserError when the
    /// project is read-only or `benchmark` is empty.
    std::int64_t startRun(const std::string& name, const std::string& benchmark,
                          const nlohmann::json& config);
    /// Appends per-item results in one transaction; an item id already stored for the run is
    /// replaced.
    void addResults(std::int64_t run_id, const std::vector<EvaluationResultRow>& rows);
    /// Ends a run with `status` (finished, failed or cancelled) and its summary metrics.
    void finishRun(std::int64_t run_id, EvaluationStatus status, const nlohmann::json& summary);

    /// Every run, newest first.
    std::vector<EvaluationRun> runs() const;
    /// One run; throws UserError when there is none with that id.
    EvaluationRun run(std::int64_t run_id) const;
    /// Results stored for a run.
    std::int64_t resultCount(std::int64_t run_id) const;
    /// Results `offset`..`offset + limit - 1` of a run in insertion order (a table view's page).
    std::vector<EvaluationResultRow> results(std::int64_t run_id, std::int64_t offset,
                                             std::int64_t limit) const;

private:
    ProjectStore& m_store;
};

}  // namespace vietllm::store
