#include "backend/store/jobs.h"

#include "backend/store/project_store.h"

namespace vietllm::store {

void requireProjectWritable(const std::string& project_path) {
    ProjectStore::open(project_path, OpenMode::ReadWrite);
}

void recordDataJob(const std::string& project_path, const DataJobRow& row) {
    const ProjectStore project = ProjectStore::open(project_path, OpenMode::ReadWrite);
    Statement insert(
        project.database(),
        "INSERT INTO data_job (recipe, step_id, step, status, started_at, finished_at, config_sha256, "
        "inputs, output_path, output_sha256, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bindText(1, row.recipe)
        .bindText(2, row.step_id)
        .bindText(3, row.step)
        .bindText(4, row.status)
        .bindText(5, row.started_at)
        .bindTextOrNull(6, row.finished_at)
        .bindText(7, row.config_sha256)
        .bindText(8, row.inputs_json)
        .bindText(9, row.output_path)
        .bindText(10, row.output_sha256)
        .bindText(11, row.summary_json);
    insert.run();
}

std::vector<DataJobRow> dataJobs(Database& db) {
    Statement query(db,
                    "SELECT recipe, step_id, step, status, started_at, finished_at, config_sha256, inputs, "
                    "output_path, output_sha256, summary FROM data_job ORDER BY id");
    std::vector<DataJobRow> rows;
    while (query.step()) {
        rows.push_back({query.columnText(0), query.columnText(1), query.columnText(2), query.columnText(3),
                        query.columnText(4), query.columnText(5), query.columnText(6), query.columnText(7),
                        query.columnText(8), query.columnText(9), query.columnText(10)});
    }
    return rows;
}

}  // namespace vietllm::store
