#include "widgets/models/ranking_order_model.h"

#include <QStringList>
#include <algorithm>
#include <set>

namespace vietllm::widgets {

RankingOrderModel::RankingOrderModel(QObject* parent) : QAbstractListModel(parent) {}

void RankingOrderModel::reset(int count) {
    beginResetModel();
    m_count = std::max(0, count);
    m_places.clear();
    m_tie_next = false;
    endResetModel();
    emit placesChanged();
}

void RankingOrderModel::setPlaces(const std::vector<std::vector<int>>& places) {
    beginResetModel();
    m_places.clear();
    m_tie_next = false;
    std::set<int> seen;
    for (const std::vector<int>& place : places) {
        std::vector<int> kept;
        for (const int position : place) {
            if (position >= 0 && position < m_count && seen.insert(position).second) {
                kept.push_back(position);
            }
        }
        if (!kept.empty()) {
            m_places.push_back(std::move(kept));
        }
    }
    endResetModel();
    emit placesChanged();
}

bool RankingOrderModel::pick(int shown_position) {
    if (shown_position < 0 || shown_position >= m_count || placeOf(shown_position) != 0) {
        return false;
    }
    if (m_tie_next && !m_places.empty()) {
        m_places.back().push_back(shown_position);
        const QModelIndex changed = index(static_cast<int>(m_places.size()) - 1);
        emit dataChanged(changed, changed);
    } else {
        const int row = static_cast<int>(m_places.size());
        beginInsertRows(QModelIndex(), row, row);
        m_places.push_back({shown_position});
        endInsertRows();
    }
    m_tie_next = false;
    emit placesChanged();
    return true;
}

bool RankingOrderModel::undo() {
    m_tie_next = false;
    if (m_places.empty()) {
        return false;
    }
    const int row = static_cast<int>(m_places.size()) - 1;
    if (m_places.back().size() > 1) {
        m_places.back().pop_back();
        emit dataChanged(index(row), index(row));
    } else {
        beginRemoveRows(QModelIndex(), row, row);
        m_places.pop_back();
        endRemoveRows();
    }
    emit placesChanged();
    return true;
}

int RankingOrderModel::placeOf(int shown_position) const {
    for (std::size_t i = 0; i < m_places.size(); ++i) {
        if (std::find(m_places[i].begin(), m_places[i].end(), shown_position) != m_places[i].end()) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

bool RankingOrderModel::isComplete() const {
    std::size_t placed = 0;
    for (const std::vector<int>& place : m_places) {
        placed += place.size();
    }
    return m_count > 0 && placed == static_cast<std::size_t>(m_count);
}

QString RankingOrderModel::letter(int shown_position) {
    return QString(QChar(u'A' + shown_position));
}

int RankingOrderModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_places.size());
}

QVariant RankingOrderModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || role != Qt::DisplayRole) {
        return {};
    }
    QStringList letters;
    for (const int position : m_places[static_cast<std::size_t>(index.row())]) {
        letters << letter(position);
    }
    return QStringLiteral("%1.  %2").arg(index.row() + 1).arg(letters.join(QStringLiteral(" = ")));
}

Qt::ItemFlags RankingOrderModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::ItemIsDropEnabled;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

Qt::DropActions RankingOrderModel::supportedDropActions() const {
    return Qt::MoveAction;
}

bool RankingOrderModel::moveRows(const QModelIndex& source_parent, int source_row, int count,
                                 const QModelIndex& destination_parent, int destination_child) {
    const int rows = rowCount();
    if (source_parent.isValid() || destination_parent.isValid() || count != 1 || source_row < 0 ||
        source_row >= rows || destination_child < 0 || destination_child > rows ||
        destination_child == source_row || destination_child == source_row + 1) {
        return false;
    }
    if (!beginMoveRows(QModelIndex(), source_row, source_row, QModelIndex(), destination_child)) {
        return false;
    }
    std::vector<int> moved = std::move(m_places[static_cast<std::size_t>(source_row)]);
    m_places.erase(m_places.begin() + source_row);
    const int target = destination_child > source_row ? destination_child - 1 : destination_child;
    m_places.insert(m_places.begin() + target, std::move(moved));
    endMoveRows();
    m_tie_next = false;
    emit placesChanged();
    return true;
}

}  // namespace vietllm::widgets
