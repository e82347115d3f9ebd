#include "widgets/models/turn_list_model.h"

namespace vietllm::widgets {

TurnListModel::TurnListModel(QObject* parent) : QAbstractTableModel(parent) {}

int TurnListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_turns.size());
}

int TurnListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant TurnListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const Turn& turn = m_turns[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        if (index.column() == kRoleColumn) {
            return turn.tag.isEmpty() ? roleText(turn.role)
                                      : QStringLiteral("%1 (%2)").arg(roleText(turn.role), turn.tag);
        }
        return turn.text.simplified();
    }
    if (role == Qt::ToolTipRole && index.column() == kTextColumn) {
        return turn.text;
    }
    return QVariant();
}

QVariant TurnListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    return section == kRoleColumn ? tr("Role") : tr("Text");
}

QString TurnListModel::roleText(data::Role role) {
    switch (role) {
        case data::Role::System:
            return tr("system");
        case data::Role::User:
            return tr("user");
        case data::Role::Assistant:
            return tr("assistant");
        case data::Role::Invalid:
            break;
    }
    return QString();
}

void TurnListModel::setTurns(std::vector<Turn> turns) {
    beginResetModel();
    m_turns = std::move(turns);
    endResetModel();
}

void TurnListModel::insertTurn(int row, const Turn& turn) {
    beginInsertRows(QModelIndex(), row, row);
    m_turns.insert(m_turns.begin() + row, turn);
    endInsertRows();
}

Turn TurnListModel::removeTurn(int row) {
    beginRemoveRows(QModelIndex(), row, row);
    Turn turn = std::move(m_turns[static_cast<std::size_t>(row)]);
    m_turns.erase(m_turns.begin() + row);
    endRemoveRows();
    return turn;
}

void TurnListModel::moveTurn(int from, int to) {
    if (from == to) {
        return;
    }
    // beginMoveRows names the row *before which* the moved row lands, counted before the move.
    beginMoveRows(QModelIndex(), from, from, QModelIndex(), to > from ? to + 1 : to);
    Turn turn = std::move(m_turns[static_cast<std::size_t>(from)]);
    m_turns.erase(m_turns.begin() + from);
    m_turns.insert(m_turns.begin() + to, std::move(turn));
    endMoveRows();
}

void TurnListModel::setTurnText(int row, const QString& text) {
    m_turns[static_cast<std::size_t>(row)].text = text;
    emit dataChanged(index(row, kTextColumn), index(row, kTextColumn));
}

void TurnListModel::setTurnRole(int row, data::Role role) {
    m_turns[static_cast<std::size_t>(row)].role = role;
    emit dataChanged(index(row, kRoleColumn), index(row, kRoleColumn));
}

void TurnListModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, kColumnCount - 1);
    if (!m_turns.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1));
    }
}

}  // namespace vietllm::widgets
