#include "backend/store/evaluations.h"

#include "backend/common/errors.h"

namespace vietllm::store {
namespace {

constexpr const char* kRunColumns =
    "SELECT id, name, benchmark, config, status, summary, started_at, finished_at, created_at FROM "
    "evaluation_run ";

nlohmann::json parseJsonColumn(const Statement& statement, int column) {
    if (statement.columnIsNull(column)) {
        return nullptr;
    }
    return nlohmann::json::parse(statement.columnText(column), nullptr, false);
}

EvaluationRun readRun(const Statement& statement) {
    EvaluationRun run;
    run.id = statement.columnInt(0);
    run.name = statement.columnText(1);
    run.benchmark = statement.columnText(2);
    run.config = parseJsonColumn(statement, 3);
    run.status = parseEvaluationStatus(statement.columnText(4));
    run.summary = parseJsonColumn(statement, 5);
    run.started_at = statement.columnText(6);
    run.finished_at = statement.columnText(7);
    run.created_at = statement.columnText(8);
    return run;
}

}  // namespace

const char* evaluationStatusName(EvaluationStatus status) {
    switch (status) {
        case EvaluationStatus::Queued:
            return "queued";
        case EvaluationStatus::Running:
            return "running";
        case EvaluationStatus::Finished:
            return "finished";
        case EvaluationStatus::Failed:
            return "failed";
        case EvaluationStatus::Cancelled:
            return "cancelled";
        case EvaluationStatus::Invalid:
            break;
    }
    return "invalid";
}

EvaluationStatus parseEvaluationStatus(const std::string& name) {
    for (const EvaluationStatus status :
         {EvaluationStatus::Queued, EvaluationStatus::Running, EvaluationStatus::Finished,
          EvaluationStatus::Failed, EvaluationStatus::Cancelled}) {
        if (name == evaluationStatusName(status)) {
            return status;
        }
    }
    return EvaluationStatus::Invalid;
}

std::int64_t Evaluations::startRun(const std::string& name, const std::string& benchmark,
                                   const nlohmann::json& config) {
    m_store.requireWritable();
    if (benchmark.empty()) {
        throw UserError(m_store.path() + ": an evaluation run needs a benchmark (task) name");
    }
    Database& db = m_store.database();
    Statement insert(db,
                     "INSERT INTO evaluation_run (name, benchmark, config, status, started_at) "
                     "VALUES (?, ?, ?, 'running', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    insert.bindText(1, name.empty() ? benchmark : name).bindText(2, benchmark).bindText(3, config.dump());
    insert.run();
    return db.lastInsertId();
}

void Evaluations::addResults(std::int64_t run_id, const std::vector<EvaluationResultRow>& rows) {
    m_store.requireWritable();
    Database& db = m_store.database();
    Transaction transaction(db);
    Statement insert(db,
                     "INSERT OR REPLACE INTO evaluation_result "
                     "(run_id, item_id, prompt, output, reference, score, correct, details) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const EvaluationResultRow& row : rows) {
        insert.bindInt(1, run_id)
            .bindText(2, row.item_id)
            .bindText(3, row.prompt)
            .bindText(4, row.output)
            .bindText(5, row.reference)
            .bindOptionalDouble(6, row.score)
            .bindOptionalInt(7,
                             row.correct ? std::optional<std::int64_t>(*row.correct ? 1 : 0) : std::nullopt);
        if (row.details.is_null()) {
            insert.bindNull(8);
        } else {
            insert.bindText(8, row.details.dump());
        }
        insert.run();
    }
    transaction.commit();
}

void Evaluations::finishRun(std::int64_t run_id, EvaluationStatus status, const nlohmann::json& summary) {
    m_store.requireWritable();
    Statement update(m_store.database(),
                     "UPDATE evaluation_run SET status = ?, summary = ?, "
                     "finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?");
    update.bindText(1, evaluationStatusName(status));
    if (summary.is_null()) {
        update.bindNull(2);
    } else {
        update.bindText(2, summary.dump());
    }
    update.bindInt(3, run_id);
    update.run();
    if (m_store.database().changes() == 0) {
        throw UserError(m_store.path() + ": no evaluation run with id " + std::to_string(run_id));
    }
}

std::vector<EvaluationRun> Evaluations::runs() const {
    Statement select(m_store.database(), std::string(kRunColumns) + "ORDER BY id DESC");
    std::vector<EvaluationRun> out;
    while (select.step()) {
        out.push_back(readRun(select));
    }
    return out;
}

EvaluationRun Evaluations::run(std::int64_t run_id) const {
    Statement select(m_store.database(), std::string(kRunColumns) + "WHERE id = ?");
    select.bindInt(1, run_id);
    if (!select.step()) {
        throw UserError(m_store.path() + ": no evaluation run with id " + std::to_string(run_id));
    }
    return readRun(select);
}

std::int64_t Evaluations::resultCount(std::int64_t run_id) const {
    Statement count(m_store.database(), "SELECT count(*) FROM evaluation_result WHERE run_id = ?");
    count.bindInt(1, run_id);
    count.step();
    return count.columnInt(0);
}

std::vector<EvaluationResultRow> Evaluations::results(std::int64_t run_id, std::int64_t offset,
                                                      std::int64_t limit) const {
    Statement select(
        m_store.database(),
        "SELECT item_id, prompt, output, reference, score, correct, details FROM evaluation_result "
        "WHERE run_id = ? ORDER BY id LIMIT ? OFFSET ?");
    select.bindInt(1, run_id).bindInt(2, limit).bindInt(3, offset);
    std::vector<EvaluationResultRow> out;
    while (select.step()) {
        EvaluationResultRow row;
        row.item_id = select.columnText(0);
        row.prompt = select.columnText(1);
        row.output = select.columnText(2);
        row.reference = select.columnText(3);
        row.score = select.columnOptionalDouble(4);
        if (const auto correct = select.columnOptionalInt(5)) {
            row.correct = *correct != 0;
        }
        row.details = parseJsonColumn(select, 6);
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace vietllm::store
