#include "widgets/models/chat_list_model.h"

namespace vietllm::widgets {

ChatListModel::ChatListModel(QObject* parent) : QAbstractListModel(parent) {}

int ChatListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_chats.size());
}

QVariant ChatListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const store::ChatSummary& chat = m_chats[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return chat.title.empty() ? tr("Untitled chat") : QString::fromStdString(chat.title);
        case Qt::ToolTipRole:
            return tr("Updated %1").arg(QString::fromStdString(chat.updated_at));
        case kChatIdRole:
            return QVariant::fromValue<qint64>(chat.id);
        default:
            return QVariant();
    }
}

void ChatListModel::setChats(std::vector<store::ChatSummary> chats) {
    beginResetModel();
    m_chats = std::move(chats);
    endResetModel();
}

int ChatListModel::rowOf(qint64 chat_id) const {
    for (std::size_t row = 0; row < m_chats.size(); ++row) {
        if (m_chats[row].id == chat_id) {
            return static_cast<int>(row);
        }
    }
    return -1;
}

qint64 ChatListModel::chatIdAt(int row) const {
    return row >= 0 && row < rowCount() ? m_chats[static_cast<std::size_t>(row)].id : 0;
}

void ChatListModel::retranslate() {
    if (!m_chats.empty()) {
        emit dataChanged(index(0), index(rowCount() - 1), {Qt::DisplayRole, Qt::ToolTipRole});
    }
}

}  // namespace vietllm::widgets
