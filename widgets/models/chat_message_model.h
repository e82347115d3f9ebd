#pragma once
// The messages of the conversation on screen (the chat's active path), plus the reply being
// streamed as its last row. The transcript view renders from this model; streaming appends text
// to the last row and signals dataChanged for it only.

#include "backend/store/chats.h"

#include <QAbstractListModel>
#include <vector>

namespace vietllm::widgets {

class ChatMessageModel : public QAbstractListModel {
    Q_OBJECT

public:
    /// Qt::UserRole + 1: the message id (qint64; 0 for the reply being streamed).
    static constexpr int kMessageIdRole = Qt::UserRole + 1;
    /// Qt::UserRole + 2: the role name ("system", "user", "assistant").
    static constexpr int kRoleNameRole = Qt::UserRole + 2;
    /// Qt::UserRole + 3: the metadata as a compact JSON string.
    static constexpr int kMetadataRole = Qt::UserRole + 3;

    explicit ChatMessageModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// Replaces every row (another chat, or the stored path after a change).
    void setMessages(std::vector<store::ChatMessage> messages);
    /// The rows, in order.
    const std::vector<store::ChatMessage>& messages() const { return m_messages; }
    /// Appends an empty assistant row (id 0) that streamed text goes into.
    void beginStreaming();
    /// Appends `text` to the streamed row; ignored when nothing is streaming.
    void appendStreamed(const QString& text);
    /// True while the last row is a reply being streamed.
    bool isStreaming() const { return m_streaming; }
    /// Drops the streamed row (the stored messages replace it).
    void endStreaming();

private:
    std::vector<store::ChatMessage> m_messages;
    bool m_streaming = false;
};

}  // namespace vietllm::widgets
