#include "widgets/models/dataset_table_model.h"

#include "backend/store/project_store.h"

#include <QLocale>

namespace vietllm::widgets {

DatasetTableModel::DatasetTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int DatasetTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DatasetTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant DatasetTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return displayText(row, index.column());
        case Qt::ToolTipRole:
            return row.description.isEmpty() ? QVariant() : QVariant(row.description);
        case Qt::TextAlignmentRole:
            return index.column() == kRecordsColumn || index.column() == kMessagesColumn
                       ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                       : QVariant();
        case kSortRole:
            return sortValue(row, index.column());
        case kDatasetIdRole:
            return row.dataset_id;
        default:
            return QVariant();
    }
}

QVariant DatasetTableModel::displayText(const Row& row, int column) const {
    const QLocale locale;
    switch (column) {
        case kNameColumn:
            return row.name;
        case kRecordsColumn:
            return locale.toString(row.records);
        case kMessagesColumn:
            return locale.toString(row.messages);
        case kCreatedColumn:
            return locale.toString(row.created_at.toLocalTime(), QLocale::ShortFormat);
        case kDescriptionColumn:
            return row.description;
        default:
            return QVariant();
    }
}

QVariant DatasetTableModel::sortValue(const Row& row, int column) const {
    switch (column) {
        case kRecordsColumn:
            return row.records;
        case kMessagesColumn:
            return row.messages;
        case kCreatedColumn:
            return row.created_at;
        default:
            return displayText(row, column);
    }
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case kNameColumn:
            return tr("Dataset");
        case kRecordsColumn:
            return tr("Records");
        case kMessagesColumn:
            return tr("Messages");
        case kCreatedColumn:
            return tr("Created");
        case kDescriptionColumn:
            return tr("Description");
        default:
            return QVariant();
    }
}

void DatasetTableModel::setProject(const store::ProjectStore* project) {
    m_project = project;
    reload();
}

void DatasetTableModel::reload() {
    beginResetModel();
    m_rows.clear();
    // endResetModel() must run even when the store throws, or attached views stay inconsistent.
    try {
        if (m_project) {
            for (const store::DatasetInfo& dataset : m_project->datasets()) {
                Row row;
                row.dataset_id = dataset.id;
                row.name = QString::fromStdString(dataset.name);
                row.description = QString::fromStdString(dataset.description);
                row.records = m_project->recordCount(dataset.id);
                row.messages = m_project->messageCount(dataset.id);
                row.created_at =
                    QDateTime::fromString(QString::fromStdString(dataset.created_at), Qt::ISODateWithMs);
                m_rows.push_back(std::move(row));
            }
        }
    } catch (...) {
        m_rows.clear();
        m_project = nullptr;  // never query a store that failed (it may be about to be destroyed)
        endResetModel();
        throw;
    }
    endResetModel();
}

qint64 DatasetTableModel::totalRecords() const {
    qint64 total = 0;
    for (const Row& row : m_rows) {
        total += row.records;
    }
    return total;
}

void DatasetTableModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, kColumnCount - 1);
    if (!m_rows.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1), {Qt::DisplayRole});
    }
}

}  // namespace vietllm::widgets
