#pragma once
// The Data panel's table: one row per dataset of the open project with its record and message
// counts and creation time, read through ProjectStore's C++ API.

#include <QAbstractTableModel>
#include <QDateTime>
#include <QString>
#include <vector>

namespace vietllm::store {
class ProjectStore;
}

namespace vietllm::widgets {

class DatasetTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kNameColumn = 0;
    static constexpr int kRecordsColumn = 1;
    static constexpr int kMessagesColumn = 2;
    static constexpr int kCreatedColumn = 3;
    static constexpr int kDescriptionColumn = 4;
    static constexpr int kColumnCount = 5;
    /// Qt::UserRole + 1: the cell's raw value (number, QDateTime, text), for sorting.
    static constexpr int kSortRole = Qt::UserRole + 1;
    /// Qt::UserRole + 2: the row's dataset id.
    static constexpr int kDatasetIdRole = Qt::UserRole + 2;

    explicit DatasetTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Lists the datasets of `project` (nullptr: none). Store errors propagate as exceptions
    /// (UserError for a locked or damaged file), leaving the model empty and without a project.
    void setProject(const store::ProjectStore* project);
    /// Re-reads the datasets, e.g. after an import.
    void reload();
    /// Records in all datasets together.
    qint64 totalRecords() const;
    /// Tells views that headers and number formats changed with the interface language.
    void retranslate();

private:
    struct Row {
        qint64 dataset_id = 0;
        QString name;
        QString description;
        qint64 records = 0;
        qint64 messages = 0;
        QDateTime created_at;
    };

    QVariant displayText(const Row& row, int column) const;
    QVariant sortValue(const Row& row, int column) const;

    const store::ProjectStore* m_project = nullptr;
    std::vector<Row> m_rows;
};

}  // namespace vietllm::widgets
