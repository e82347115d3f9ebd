#include "widgets/models/leaderboard_model.h"

#include <QLocale>

namespace vietllm::widgets {

namespace {

QString fixed(const std::optional<double>& value) {
    return value ? QLocale().toString(*value, 'f', 3) : QStringLiteral("–");
}

}  // namespace

LeaderboardModel::LeaderboardModel(QObject* parent) : QAbstractTableModel(parent) {}

int LeaderboardModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int LeaderboardModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant LeaderboardModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const store::LeaderboardRow& row = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return displayText(row, index.column());
        case Qt::ToolTipRole:
            return index.column() == kAnnotatorColumn && !row.display_name.empty()
                       ? QVariant(QString::fromStdString(row.display_name))
                       : QVariant();
        case Qt::TextAlignmentRole:
            return index.column() >= kRankingsColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                     : QVariant();
        case kSortRole:
            return sortValue(row, index.column());
        default:
            return QVariant();
    }
}

QVariant LeaderboardModel::displayText(const store::LeaderboardRow& row, int column) const {
    switch (column) {
        case kAnnotatorColumn:
            return QString::fromStdString(row.name);
        case kKindColumn:
            return row.kind == "model" ? tr("model") : tr("human");
        case kRankingsColumn:
            return QLocale().toString(static_cast<qulonglong>(row.rankings));
        case kLabelsColumn:
            return QLocale().toString(static_cast<qulonglong>(row.labels));
        case kAgreementColumn:
            return fixed(row.agreement);
        case kTrustColumn:
            return fixed(row.trust);
        default:
            return QVariant();
    }
}

QVariant LeaderboardModel::sortValue(const store::LeaderboardRow& row, int column) const {
    switch (column) {
        case kRankingsColumn:
            return static_cast<qulonglong>(row.rankings);
        case kLabelsColumn:
            return static_cast<qulonglong>(row.labels);
        case kAgreementColumn:
            return row.agreement.value_or(-1.0);
        case kTrustColumn:
            return row.trust.value_or(-1.0);
        default:
            return displayText(row, column);
    }
}

QVariant LeaderboardModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case kAnnotatorColumn:
            return tr("Annotator");
        case kKindColumn:
            return tr("Kind");
        case kRankingsColumn:
            return tr("Rankings");
        case kLabelsColumn:
            return tr("Labels");
        case kAgreementColumn:
            return tr("Agreement (τ)");
        case kTrustColumn:
            return tr("Trust");
        default:
            return QVariant();
    }
}

void LeaderboardModel::setRows(std::vector<store::LeaderboardRow> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void LeaderboardModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, kColumnCount - 1);
    if (!m_rows.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1));
    }
}

}  // namespace vietllm::widgets
