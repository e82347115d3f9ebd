#pragma once
// The messages of one record as a tree (prompt -> replies -> follow-ups) for the Ranking panel's
// tree view: one column with the role and the start of the text; the full text as tooltip.

#include "backend/store/ranking_queue.h"

#include <QAbstractItemModel>
#include <vector>

namespace vietllm::widgets {

class RankingTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    /// Characters of a message shown in its row.
    static constexpr int kPreviewChars = 90;

    explicit RankingTreeModel(QObject* parent = nullptr);

    /// Shows `messages` (in stored pre-order; parents before children); empty clears.
    void setMessages(std::vector<store::TreeMessage> messages);
    /// The message id of a row, 0 for an invalid index.
    qint64 messageId(const QModelIndex& index) const;
    /// The role of a row's message.
    data::Role role(const QModelIndex& index) const;
    /// The index of message `message_id`; invalid when it is not shown.
    QModelIndex indexOfMessage(qint64 message_id) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    struct Node {
        store::TreeMessage message;
        int parent = -1;  ///< index in m_nodes; -1 for a root
        int row = 0;      ///< row under its parent
        std::vector<int> children;
    };

    std::vector<Node> m_nodes;
    std::vector<int> m_roots;
};

}  // namespace vietllm::widgets
