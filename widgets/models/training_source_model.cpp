#include "widgets/models/training_source_model.h"

#include "backend/store/project_store.h"

#include <QFileInfo>
#include <QLocale>

namespace vietllm::widgets {

TrainingSourceModel::TrainingSourceModel(QObject* parent) : QAbstractListModel(parent) {}

int TrainingSourceModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant TrainingSourceModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return row.source.is_file
                       ? tr("File: %1").arg(QFileInfo(row.source.name).fileName())
                       : tr("%1 (%2 records)").arg(row.source.name, QLocale().toString(row.records));
        case Qt::ToolTipRole:
            return row.source.name;
        case Qt::CheckStateRole:
            return row.checked ? Qt::Checked : Qt::Unchecked;
        default:
            return QVariant();
    }
}

bool TrainingSourceModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        role != Qt::CheckStateRole) {
        return false;
    }
    m_rows[static_cast<std::size_t>(index.row())].checked = value.toInt() == Qt::Checked;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

Qt::ItemFlags TrainingSourceModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
}

void TrainingSourceModel::setProject(const store::ProjectStore* project) {
    beginResetModel();
    std::vector<Row> rows;
    if (project) {
        for (const store::DatasetInfo& dataset : project->datasets()) {
            Row row;
            row.source = {false, QString::fromStdString(dataset.name)};
            row.records = project->recordCount(dataset.id);
            rows.push_back(row);
        }
    }
    for (const Row& row : m_rows) {
        if (row.source.is_file) {
            rows.push_back(row);
        }
    }
    m_rows = std::move(rows);
    endResetModel();
}

void TrainingSourceModel::addFile(const QString& path) {
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].source.is_file && m_rows[i].source.name == path) {
            setData(index(static_cast<int>(i)), Qt::Checked, Qt::CheckStateRole);
            return;
        }
    }
    const int row_index = static_cast<int>(m_rows.size());
    beginInsertRows(QModelIndex(), row_index, row_index);
    Row row;
    row.source = {true, path};
    row.checked = true;
    m_rows.push_back(row);
    endInsertRows();
}

std::vector<TrainingSourceModel::Source> TrainingSourceModel::checkedSources() const {
    std::vector<Source> sources;
    for (const Row& row : m_rows) {
        if (row.checked) {
            sources.push_back(row.source);
        }
    }
    return sources;
}

}  // namespace vietllm::widgets
