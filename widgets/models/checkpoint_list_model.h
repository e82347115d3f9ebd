#pragma once
// The checkpoints of the run selected in the Training panel's history: one row per checkpoint
// folder (by step, final last), saying whether it is a LoRA adapter or a full model.

#include "backend/runs/run_history.h"

#include <QAbstractListModel>
#include <vector>

namespace vietllm::widgets {

class CheckpointListModel : public QAbstractListModel {
    Q_OBJECT

public:
    /// Qt::UserRole + 1: the checkpoint's folder.
    static constexpr int kPathRole = Qt::UserRole + 1;

    explicit CheckpointListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// Shows `checkpoints` (those of one run).
    void setCheckpoints(std::vector<runs::CheckpointInfo> checkpoints);
    /// The checkpoint of `row`.
    const runs::CheckpointInfo& checkpoint(int row) const {
        return m_checkpoints[static_cast<std::size_t>(row)];
    }

private:
    std::vector<runs::CheckpointInfo> m_checkpoints;
};

}  // namespace vietllm::widgets
