#pragma once
// Data-job records in the project (table data_job, schema version 3): one row per finished
// recipe step of `vietllm-cli data run --project P`, so a project shows how its data was built.
// The job files next to each output (databuild/job_log.h) stay the source of truth for resuming:
// a recipe runs without a project, and a project only gains a history.

#include "backend/store/sqlite_db.h"

#include <string>
#include <vector>

namespace vietllm::store {

struct DataJobRow {
    std::string recipe;
    std::string step_id;
    std::string step;
    std::string status;  ///< "finished"
    std::string started_at;
    std::string finished_at;
    std::string config_sha256;
    std::string inputs_json;  ///< [{"path","sha256"}]
    std::string output_path;
    std::string output_sha256;
    std::string summary_json;  ///< counts, endpoint usage and cost
};

/// Opens the project for writing (migrating it), so that a bad project path stops a recipe
/// before any step runs. Throws UserError naming the file.
void requireProjectWritable(const std::string& project_path);
/// Appends one job row to the project at `project_path`.
void recordDataJob(const std::string& project_path, const DataJobRow& row);
/// Every job row of an open project, oldest first.
std::vector<DataJobRow> dataJobs(Database& db);

}  // namespace vietllm::store
