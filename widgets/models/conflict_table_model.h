#pragma once
// The consensus view's conflicts: ranking tasks where annotators disagree most, with the number
// of rankings, their mean Kendall tau-b to the trust-weighted consensus, the share flagging the
// task not rankable and the prompt (backend/store/consensus_store.h).

#include "backend/store/consensus_store.h"

#include <QAbstractTableModel>
#include <vector>

namespace vietllm::widgets {

class ConflictTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kTaskColumn = 0;
    static constexpr int kRankingsColumn = 1;
    static constexpr int kMeanTauColumn = 2;
    static constexpr int kNotRankableColumn = 3;
    static constexpr int kPromptColumn = 4;
    static constexpr int kColumnCount = 5;
    /// Qt::UserRole + 1: the cell's raw value, for sorting.
    static constexpr int kSortRole = Qt::UserRole + 1;
    /// Qt::UserRole + 2: the row's ranking task id.
    static constexpr int kTaskIdRole = Qt::UserRole + 2;

    explicit ConflictTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces the rows (a model reset).
    void setRows(std::vector<store::ConflictRow> rows);
    /// Tells views that headers and number formats changed with the interface language.
    void retranslate();

private:
    QVariant displayText(const store::ConflictRow& row, int column) const;
    QVariant sortValue(const store::ConflictRow& row, int column) const;

    std::vector<store::ConflictRow> m_rows;
};

}  // namespace vietllm::widgets
