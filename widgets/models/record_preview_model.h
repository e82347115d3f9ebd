#pragma once
// The import dialog's preview: the first records of a file as the converters read them, one row
// each (number, kind, first user message, messages).

#include "backend/data/records.h"

#include <QAbstractTableModel>
#include <vector>

namespace vietllm::widgets {

class RecordPreviewModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kNumberColumn = 0;
    static constexpr int kKindColumn = 1;
    static constexpr int kPreviewColumn = 2;
    static constexpr int kMessagesColumn = 3;
    static constexpr int kColumnCount = 4;

    explicit RecordPreviewModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Shows `records` (none: an empty table).
    void setRecords(std::vector<data::Record> records);

private:
    struct Row {
        QString kind;
        QString preview;
        int messages = 0;
    };

    std::vector<Row> m_rows;
};

}  // namespace vietllm::widgets
