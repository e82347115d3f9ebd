#pragma once
// The evaluation leaderboard: one row per model (checkpoint, folder or endpoint) across all the
// project's finished runs, its best headline score per task and the mean over tasks
// (eval::buildLeaderboard). Sorted through a proxy on kSortRole.

#include "backend/eval/run_report.h"

#include <QAbstractTableModel>
#include <QString>
#include <string>
#include <vector>

namespace vietllm::widgets {

class EvalLeaderboardModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kModelColumn = 0;
    static constexpr int kMeanColumn = 1;
    static constexpr int kFirstTaskColumn = 2;
    /// Qt::UserRole + 1: the cell's raw value (number, or the model's text; -inf when empty).
    static constexpr int kSortRole = Qt::UserRole + 1;

    explicit EvalLeaderboardModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Rebuilds the board from every stored run.
    void setRuns(const std::vector<store::EvaluationRun>& runs);
    const std::vector<std::string>& tasks() const { return m_tasks; }
    const eval::LeaderboardEntry& entry(int row) const { return m_entries[static_cast<std::size_t>(row)]; }

private:
    std::vector<eval::LeaderboardEntry> m_entries;
    std::vector<std::string> m_tasks;
};

}  // namespace vietllm::widgets
