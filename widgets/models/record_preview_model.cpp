#include "widgets/models/record_preview_model.h"

#include "backend/databuild/record_text.h"
#include "backend/store/record_rows.h"
#include "widgets/models/record_table_model.h"

namespace vietllm::widgets {

RecordPreviewModel::RecordPreviewModel(QObject* parent) : QAbstractTableModel(parent) {}

int RecordPreviewModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RecordPreviewModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant RecordPreviewModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::ToolTipRole && index.column() == kPreviewColumn) {
        return row.preview;
    }
    if (role != Qt::DisplayRole) {
        return QVariant();
    }
    switch (index.column()) {
        case kNumberColumn:
            return index.row() + 1;
        case kKindColumn:
            return row.kind;
        case kPreviewColumn:
            return row.preview.simplified();
        case kMessagesColumn:
            return row.messages;
        default:
            return QVariant();
    }
}

QVariant RecordPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case kNumberColumn:
            return tr("#");
        case kKindColumn:
            return tr("Kind");
        case kPreviewColumn:
            return tr("First user message");
        case kMessagesColumn:
            return tr("Messages");
        default:
            return QVariant();
    }
}

void RecordPreviewModel::setRecords(std::vector<data::Record> records) {
    beginResetModel();
    m_rows.clear();
    for (const data::Record& record : records) {
        Row row;
        row.kind = RecordTableModel::kindText(store::kindOf(record));
        databuild::forEachText(record, [&row](data::Role role, const std::string& text) {
            if (role == data::Role::User && row.preview.isEmpty()) {
                row.preview = QString::fromStdString(text);
            }
            ++row.messages;
        });
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

}  // namespace vietllm::widgets
