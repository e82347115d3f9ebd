#pragma once
// The evaluation tasks the Evaluation panel offers (the task files `vietllm-cli eval list` reads):
// one checkable row per task with its kind, headline metric and item count (-1 while unknown or
// when its data is missing).

#include <QAbstractTableModel>
#include <QString>
#include <QStringList>
#include <vector>

namespace vietllm::widgets {

class EvalTaskModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kNameColumn = 0;
    static constexpr int kKindColumn = 1;
    static constexpr int kMetricColumn = 2;
    static constexpr int kItemsColumn = 3;
    static constexpr int kColumnCount = 4;

    struct Task {
        QString name;
        QString kind;    ///< "multiple_choice", ...
        QString metric;  ///< the headline metric
        qint64 items = -1;
        QString problem;  ///< why its data cannot be read ("" when it can)
        bool checked = false;
    };

    explicit EvalTaskModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    /// Replaces the list; tasks checked before stay checked.
    void setTasks(std::vector<Task> tasks);
    /// Names of the checked tasks, in list order.
    QStringList checkedNames() const;

private:
    std::vector<Task> m_tasks;
};

}  // namespace vietllm::widgets
