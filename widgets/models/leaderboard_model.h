#pragma once
// The consensus view's leaderboard: one row per annotator with the rankings and labels done,
// the mean agreement (Kendall tau-b) with the others' consensus and the trust that weights
// their votes (backend/store/consensus_store.h).

#include "backend/store/consensus_store.h"

#include <QAbstractTableModel>
#include <vector>

namespace vietllm::widgets {

class LeaderboardModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kAnnotatorColumn = 0;
    static constexpr int kKindColumn = 1;
    static constexpr int kRankingsColumn = 2;
    static constexpr int kLabelsColumn = 3;
    static constexpr int kAgreementColumn = 4;
    static constexpr int kTrustColumn = 5;
    static constexpr int kColumnCount = 6;
    /// Qt::UserRole + 1: the cell's raw value (number or text; -1 when undefined), for sorting.
    static constexpr int kSortRole = Qt::UserRole + 1;

    explicit LeaderboardModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces the rows (a model reset).
    void setRows(std::vector<store::LeaderboardRow> rows);
    /// Tells views that headers and number formats changed with the interface language.
    void retranslate();

private:
    QVariant displayText(const store::LeaderboardRow& row, int column) const;
    QVariant sortValue(const store::LeaderboardRow& row, int column) const;

    std::vector<store::LeaderboardRow> m_rows;
};

}  // namespace vietllm::widgets
