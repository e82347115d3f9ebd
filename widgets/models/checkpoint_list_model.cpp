#include "widgets/models/checkpoint_list_model.h"

namespace vietllm::widgets {

CheckpointListModel::CheckpointListModel(QObject* parent) : QAbstractListModel(parent) {}

int CheckpointListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_checkpoints.size());
}

QVariant CheckpointListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const runs::CheckpointInfo& checkpoint = m_checkpoints[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole: {
            const QString kind = checkpoint.is_adapter ? tr("LoRA adapter") : tr("full model");
            return checkpoint.step < 0 ? tr("Final (%1)").arg(kind)
                                       : tr("Step %1 (%2)").arg(checkpoint.step).arg(kind);
        }
        case Qt::ToolTipRole:
        case kPathRole:
            return QString::fromStdString(checkpoint.path);
        default:
            return QVariant();
    }
}

void CheckpointListModel::setCheckpoints(std::vector<runs::CheckpointInfo> checkpoints) {
    beginResetModel();
    m_checkpoints = std::move(checkpoints);
    endResetModel();
}

}  // namespace vietllm::widgets
