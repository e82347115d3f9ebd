#include "widgets/models/eval_leaderboard_model.h"

#include "widgets/models/evaluation_run_model.h"

#include <QLocale>
#include <limits>

namespace vietllm::widgets {

EvalLeaderboardModel::EvalLeaderboardModel(QObject* parent) : QAbstractTableModel(parent) {}

int EvalLeaderboardModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int EvalLeaderboardModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kFirstTaskColumn + static_cast<int>(m_tasks.size());
}

QVariant EvalLeaderboardModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const eval::LeaderboardEntry& entry = m_entries[static_cast<std::size_t>(index.row())];
    if (index.column() == kModelColumn) {
        switch (role) {
            case Qt::DisplayRole:
            case kSortRole:
                return shortModelName(entry.model);
            case Qt::ToolTipRole:
                return QString::fromStdString(entry.model);
            default:
                return QVariant();
        }
    }
    std::optional<double> value = entry.mean;
    if (index.column() >= kFirstTaskColumn) {
        const auto found =
            entry.best.find(m_tasks[static_cast<std::size_t>(index.column() - kFirstTaskColumn)]);
        value = found == entry.best.end() ? std::nullopt : std::optional<double>(found->second);
    }
    switch (role) {
        case Qt::DisplayRole:
            return value ? QVariant(QLocale().toString(*value, 'f', 4)) : QVariant();
        case kSortRole:
            return value ? *value : -std::numeric_limits<double>::infinity();
        case Qt::TextAlignmentRole:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return QVariant();
    }
}

QVariant EvalLeaderboardModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (section == kModelColumn) {
        return tr("Model");
    }
    if (section == kMeanColumn) {
        return tr("Mean");
    }
    if (section - kFirstTaskColumn < static_cast<int>(m_tasks.size())) {
        return QString::fromStdString(m_tasks[static_cast<std::size_t>(section - kFirstTaskColumn)]);
    }
    return QVariant();
}

void EvalLeaderboardModel::setRuns(const std::vector<store::EvaluationRun>& runs) {
    beginResetModel();
    m_entries = eval::buildLeaderboard(runs, m_tasks);
    endResetModel();
}

}  // namespace vietllm::widgets
