#include "widgets/models/chat_message_model.h"

namespace vietllm::widgets {

ChatMessageModel::ChatMessageModel(QObject* parent) : QAbstractListModel(parent) {}

int ChatMessageModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_messages.size());
}

QVariant ChatMessageModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const store::ChatMessage& message = m_messages[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return QString::fromStdString(message.content);
        case kMessageIdRole:
            return QVariant::fromValue<qint64>(message.id);
        case kRoleNameRole:
            return QString::fromLatin1(data::roleName(message.role));
        case kMetadataRole:
            return QString::fromStdString(message.metadata.dump());
        default:
            return QVariant();
    }
}

void ChatMessageModel::setMessages(std::vector<store::ChatMessage> messages) {
    beginResetModel();
    m_messages = std::move(messages);
    m_streaming = false;
    endResetModel();
}

void ChatMessageModel::beginStreaming() {
    endStreaming();
    const int row = rowCount();
    beginInsertRows(QModelIndex(), row, row);
    store::ChatMessage reply;
    reply.role = data::Role::Assistant;
    m_messages.push_back(std::move(reply));
    m_streaming = true;
    endInsertRows();
}

void ChatMessageModel::appendStreamed(const QString& text) {
    if (!m_streaming || text.isEmpty()) {
        return;
    }
    m_messages.back().content += text.toStdString();
    const QModelIndex last = index(rowCount() - 1);
    emit dataChanged(last, last, {Qt::DisplayRole});
}

void ChatMessageModel::endStreaming() {
    if (!m_streaming) {
        return;
    }
    const int row = rowCount() - 1;
    beginRemoveRows(QModelIndex(), row, row);
    m_messages.pop_back();
    m_streaming = false;
    endRemoveRows();
}

}  // namespace vietllm::widgets
