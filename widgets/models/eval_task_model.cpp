#include "widgets/models/eval_task_model.h"

#include <QLocale>

namespace vietllm::widgets {

EvalTaskModel::EvalTaskModel(QObject* parent) : QAbstractTableModel(parent) {}

int EvalTaskModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_tasks.size());
}

int EvalTaskModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant EvalTaskModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const Task& task = m_tasks[static_cast<std::size_t>(index.row())];
    if (role == Qt::CheckStateRole && index.column() == kNameColumn) {
        return task.checked ? Qt::Checked : Qt::Unchecked;
    }
    if (role == Qt::ToolTipRole) {
        return task.problem.isEmpty() ? QVariant() : QVariant(task.problem);
    }
    if (role != Qt::DisplayRole) {
        return QVariant();
    }
    switch (index.column()) {
        case kNameColumn:
            return task.name;
        case kKindColumn:
            return task.kind;
        case kMetricColumn:
            return task.metric;
        case kItemsColumn:
            if (!task.problem.isEmpty()) return tr("missing");
            return task.items < 0 ? QStringLiteral("…") : QLocale().toString(task.items);
        default:
            return QVariant();
    }
}

QVariant EvalTaskModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case kNameColumn:
            return tr("Task");
        case kKindColumn:
            return tr("Kind");
        case kMetricColumn:
            return tr("Metric");
        case kItemsColumn:
            return tr("Items");
        default:
            return QVariant();
    }
}

bool EvalTaskModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || role != Qt::CheckStateRole || index.column() != kNameColumn ||
        !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return false;
    }
    m_tasks[static_cast<std::size_t>(index.row())].checked = value.toInt() == Qt::Checked;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

Qt::ItemFlags EvalTaskModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == kNameColumn) {
        flags |= Qt::ItemIsUserCheckable;
    }
    return flags;
}

void EvalTaskModel::setTasks(std::vector<Task> tasks) {
    const QStringList checked = checkedNames();
    for (Task& task : tasks) {
        task.checked = task.checked || checked.contains(task.name);
    }
    beginResetModel();
    m_tasks = std::move(tasks);
    endResetModel();
}

QStringList EvalTaskModel::checkedNames() const {
    QStringList names;
    for (const Task& task : m_tasks) {
        if (task.checked) names.append(task.name);
    }
    return names;
}

}  // namespace vietllm::widgets
