#pragma once
// The project's stored evaluation runs (backend/store/evaluations.h), newest first: one row per
// run (one task on one model) with its status and headline score.

#include "backend/store/evaluations.h"

#include <QAbstractTableModel>
#include <vector>

namespace vietllm::widgets {

class EvaluationRunModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kModelColumn = 0;
    static constexpr int kTaskColumn = 1;
    static constexpr int kStatusColumn = 2;
    static constexpr int kScoreColumn = 3;
    static constexpr int kItemsColumn = 4;
    static constexpr int kStartedColumn = 5;
    static constexpr int kColumnCount = 6;

    explicit EvaluationRunModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Shows `runs` (newest first, as Evaluations::runs() gives them).
    void setRuns(std::vector<store::EvaluationRun> runs);
    const std::vector<store::EvaluationRun>& runs() const { return m_runs; }
    const store::EvaluationRun& run(int row) const { return m_runs[static_cast<std::size_t>(row)]; }
    /// The row of run `run_id`, -1 when not listed.
    int rowOf(std::int64_t run_id) const;
    /// Re-translates the status names.
    void retranslate();

private:
    std::vector<store::EvaluationRun> m_runs;
};

/// A model as a short label: "local:/a/b/run/checkpoint-40" gives "run/checkpoint-40".
QString shortModelName(const std::string& model);

}  // namespace vietllm::widgets
