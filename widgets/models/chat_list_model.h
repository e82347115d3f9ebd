#pragma once
// The chat playground's conversation list: the project's chats, most recently updated first,
// with the title as text (a placeholder when untitled) and the last update as tooltip.

#include "backend/store/chats.h"

#include <QAbstractListModel>
#include <vector>

namespace vietllm::widgets {

class ChatListModel : public QAbstractListModel {
    Q_OBJECT

public:
    /// Qt::UserRole + 1: the chat's id (qint64).
    static constexpr int kChatIdRole = Qt::UserRole + 1;

    explicit ChatListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// Replaces the list (as Chats::chats() returns it).
    void setChats(std::vector<store::ChatSummary> chats);
    /// The row of chat `chat_id`, or -1.
    int rowOf(qint64 chat_id) const;
    /// The id of the chat in `row` (0 when out of range).
    qint64 chatIdAt(int row) const;
    /// Tells views that the placeholder title changed with the interface language.
    void retranslate();

private:
    std::vector<store::ChatSummary> m_chats;
};

}  // namespace vietllm::widgets
