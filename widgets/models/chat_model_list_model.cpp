#include "widgets/models/chat_model_list_model.h"

#include <QDir>
#include <QLocale>

namespace vietllm::widgets {

ChatModelListModel::ChatModelListModel(QObject* parent) : QAbstractListModel(parent) {}

int ChatModelListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

QVariant ChatModelListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const Entry& entry = m_entries[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return label(entry);
        case Qt::ToolTipRole:
            return QDir::toNativeSeparators(entry.path);
        case kPathRole:
            return entry.path;
        case kModelIdRole:
            return QVariant::fromValue<qint64>(entry.model_id);
        default:
            return QVariant();
    }
}

QString ChatModelListModel::label(const Entry& entry) const {
    const QString size = QLocale().formattedDataSize(entry.size_bytes);
    if (!entry.checkpoint) {
        return tr("%1 (%2, %3)").arg(entry.name, entry.family, size);
    }
    // Checkpoints are indented under their model.
    const QString indent = QStringLiteral("    ");
    return indent + (entry.step ? tr("%1 › step %2 (%3)").arg(entry.name).arg(*entry.step).arg(size)
                                : tr("%1 › checkpoint (%2)").arg(entry.name, size));
}

void ChatModelListModel::reload(const store::ModelRegistry* registry) {
    std::vector<Entry> entries;
    if (registry != nullptr) {
        for (const store::RegisteredModel& model : registry->models()) {
            const QString name = QString::fromStdString(model.name);
            entries.push_back({model.id, name, QString::fromStdString(model.family),
                               QString::fromStdString(model.path), model.size_bytes, false, std::nullopt});
            for (const store::RegisteredCheckpoint& checkpoint : registry->checkpoints(model.id)) {
                entries.push_back({model.id, name, QString::fromStdString(model.family),
                                   QString::fromStdString(checkpoint.path), checkpoint.size_bytes, true,
                                   checkpoint.step});
            }
        }
    }
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

int ChatModelListModel::rowOfPath(const QString& path) const {
    for (std::size_t row = 0; row < m_entries.size(); ++row) {
        if (m_entries[row].path == path) {
            return static_cast<int>(row);
        }
    }
    return -1;
}

void ChatModelListModel::retranslate() {
    if (!m_entries.empty()) {
        emit dataChanged(index(0), index(rowCount() - 1), {Qt::DisplayRole});
    }
}

}  // namespace vietllm::widgets
