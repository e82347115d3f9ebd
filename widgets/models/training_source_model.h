#pragma once
// The Training panel's data list: the open project's datasets and any JSONL files the user added,
// each with a check box; the checked ones are the run's training data.

#include <QAbstractListModel>
#include <QString>
#include <vector>

namespace vietllm::store {
class ProjectStore;
}

namespace vietllm::widgets {

class TrainingSourceModel : public QAbstractListModel {
    Q_OBJECT

public:
    /// A checked entry: a project dataset (by name) or a file (by path).
    struct Source {
        bool is_file = false;
        QString name;  ///< the dataset name, or the file path
    };

    explicit TrainingSourceModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    /// Lists the datasets of `project` (nullptr: none), keeping added files. Datasets start
    /// unchecked. Store errors propagate.
    void setProject(const store::ProjectStore* project);
    /// Adds a JSONL file, checked; a path already listed is only checked again.
    void addFile(const QString& path);
    /// The checked entries in list order.
    std::vector<Source> checkedSources() const;

private:
    struct Row {
        Source source;
        qint64 records = 0;  ///< datasets only
        bool checked = false;
    };

    std::vector<Row> m_rows;
};

}  // namespace vietllm::widgets
