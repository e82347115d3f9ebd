#include "widgets/models/conflict_table_model.h"

#include <QLocale>

namespace vietllm::widgets {

ConflictTableModel::ConflictTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int ConflictTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ConflictTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant ConflictTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const store::ConflictRow& row = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return displayText(row, index.column());
        case Qt::TextAlignmentRole:
            return index.column() != kPromptColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
        case kSortRole:
            return sortValue(row, index.column());
        case kTaskIdRole:
            return static_cast<qlonglong>(row.task_id);
        default:
            return QVariant();
    }
}

QVariant ConflictTableModel::displayText(const store::ConflictRow& row, int column) const {
    const QLocale locale;
    switch (column) {
        case kTaskColumn:
            return locale.toString(static_cast<qlonglong>(row.task_id));
        case kRankingsColumn:
            return locale.toString(static_cast<qulonglong>(row.ballots));
        case kMeanTauColumn:
            return row.mean_tau ? locale.toString(*row.mean_tau, 'f', 3) : tr("no order");
        case kNotRankableColumn:
            return locale.toString(row.not_rankable_share * 100.0, 'f', 0) + QLatin1Char('%');
        case kPromptColumn:
            return QString::fromStdString(row.prompt);
        default:
            return QVariant();
    }
}

QVariant ConflictTableModel::sortValue(const store::ConflictRow& row, int column) const {
    switch (column) {
        case kTaskColumn:
            return static_cast<qlonglong>(row.task_id);
        case kRankingsColumn:
            return static_cast<qulonglong>(row.ballots);
        case kMeanTauColumn:
            return row.mean_tau.value_or(-1.0);
        case kNotRankableColumn:
            return row.not_rankable_share;
        default:
            return displayText(row, column);
    }
}

QVariant ConflictTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case kTaskColumn:
            return tr("Task");
        case kRankingsColumn:
            return tr("Rankings");
        case kMeanTauColumn:
            return tr("Mean τ to consensus");
        case kNotRankableColumn:
            return tr("Not rankable");
        case kPromptColumn:
            return tr("Prompt");
        default:
            return QVariant();
    }
}

void ConflictTableModel::setRows(std::vector<store::ConflictRow> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void ConflictTableModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, kColumnCount - 1);
    if (!m_rows.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1));
    }
}

}  // namespace vietllm::widgets
