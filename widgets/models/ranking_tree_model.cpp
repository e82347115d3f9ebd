#include "widgets/models/ranking_tree_model.h"

#include "widgets/models/turn_list_model.h"

#include <unordered_map>

namespace vietllm::widgets {

RankingTreeModel::RankingTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void RankingTreeModel::setMessages(std::vector<store::TreeMessage> messages) {
    beginResetModel();
    m_nodes.clear();
    m_roots.clear();
    std::unordered_map<qint64, int> node_of;
    for (store::TreeMessage& message : messages) {
        Node node;
        node.message = std::move(message);
        const int self = static_cast<int>(m_nodes.size());
        const auto parent = node.message.parent_id ? node_of.find(*node.message.parent_id) : node_of.end();
        std::vector<int>& siblings = parent != node_of.end() ? m_nodes[parent->second].children : m_roots;
        node.parent = parent != node_of.end() ? parent->second : -1;
        node.row = static_cast<int>(siblings.size());
        siblings.push_back(self);
        node_of.emplace(node.message.id, self);
        m_nodes.push_back(std::move(node));
    }
    endResetModel();
}

qint64 RankingTreeModel::messageId(const QModelIndex& index) const {
    return index.isValid() ? m_nodes[index.internalId()].message.id : 0;
}

data::Role RankingTreeModel::role(const QModelIndex& index) const {
    return index.isValid() ? m_nodes[index.internalId()].message.role : data::Role::Invalid;
}

QModelIndex RankingTreeModel::indexOfMessage(qint64 message_id) const {
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        if (m_nodes[i].message.id == message_id) {
            return createIndex(m_nodes[i].row, 0, static_cast<quintptr>(i));
        }
    }
    return {};
}

QModelIndex RankingTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) {
        return {};
    }
    const std::vector<int>& siblings = parent.isValid() ? m_nodes[parent.internalId()].children : m_roots;
    return createIndex(row, column, static_cast<quintptr>(siblings[static_cast<std::size_t>(row)]));
}

QModelIndex RankingTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) {
        return {};
    }
    const int parent = m_nodes[child.internalId()].parent;
    if (parent < 0) {
        return {};
    }
    return createIndex(m_nodes[static_cast<std::size_t>(parent)].row, 0, static_cast<quintptr>(parent));
}

int RankingTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.column() > 0) {
        return 0;
    }
    return static_cast<int>(parent.isValid() ? m_nodes[parent.internalId()].children.size() : m_roots.size());
}

int RankingTreeModel::columnCount(const QModelIndex& /*parent*/) const {
    return 1;
}

QVariant RankingTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) {
        return {};
    }
    const store::TreeMessage& message = m_nodes[index.internalId()].message;
    const QString text = QString::fromStdString(message.content);
    if (role == Qt::DisplayRole) {
        QString preview = text.left(kPreviewChars).simplified();
        if (text.size() > kPreviewChars) {
            preview += QStringLiteral("…");
        }
        return QStringLiteral("%1: %2").arg(TurnListModel::roleText(message.role), preview);
    }
    if (role == Qt::ToolTipRole) {
        return text;
    }
    return {};
}

}  // namespace vietllm::widgets
