#include "widgets/models/eval_target_model.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>

namespace vietllm::widgets {

EvalTargetModel::EvalTargetModel(QObject* parent) : QAbstractListModel(parent) {}

int EvalTargetModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_targets.size());
}

QVariant EvalTargetModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const Target& target = m_targets[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return target.label;
        case Qt::ToolTipRole:
            return target.source == Source::Endpoint ? target.endpoint + QLatin1Char(' ') + target.model_name
                                                     : target.path;
        case Qt::CheckStateRole:
            return target.checked ? Qt::Checked : Qt::Unchecked;
        default:
            return QVariant();
    }
}

bool EvalTargetModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || role != Qt::CheckStateRole ||
        !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return false;
    }
    setChecked(index.row(), value.toInt() == Qt::Checked);
    return true;
}

Qt::ItemFlags EvalTargetModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
}

void EvalTargetModel::setProjectTargets(const std::vector<Target>& targets) {
    std::vector<Target> kept;
    for (const Target& target : m_targets) {
        if (target.source == Source::Folder || target.source == Source::Endpoint) kept.push_back(target);
    }
    std::vector<Target> next;
    for (Target target : targets) {
        const auto old = std::find_if(m_targets.begin(), m_targets.end(), [&](const Target& t) {
            return t.source == target.source && t.path == target.path;
        });
        target.checked = old != m_targets.end() && old->checked;
        next.push_back(target);
    }
    next.insert(next.end(), kept.begin(), kept.end());
    beginResetModel();
    m_targets = std::move(next);
    endResetModel();
}

int EvalTargetModel::addFolder(const QString& path) {
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    for (std::size_t row = 0; row < m_targets.size(); ++row) {
        if (m_targets[row].source != Source::Endpoint && m_targets[row].path == clean) {
            setChecked(static_cast<int>(row), true);
            return static_cast<int>(row);
        }
    }
    Target target;
    target.source = Source::Folder;
    const QDir dir(clean);
    QDir parent = dir;
    parent.cdUp();
    target.label = parent.dirName() + QLatin1Char('/') + dir.dirName();
    target.path = clean;
    target.checked = true;
    const int row = static_cast<int>(m_targets.size());
    beginInsertRows(QModelIndex(), row, row);
    m_targets.push_back(target);
    endInsertRows();
    return row;
}

int EvalTargetModel::addEndpoint(const QString& url, const QString& model_name) {
    Target target;
    target.source = Source::Endpoint;
    target.label = model_name + QStringLiteral(" @ ") + url;
    target.endpoint = url;
    target.model_name = model_name;
    target.checked = true;
    const int row = static_cast<int>(m_targets.size());
    beginInsertRows(QModelIndex(), row, row);
    m_targets.push_back(target);
    endInsertRows();
    return row;
}

void EvalTargetModel::setChecked(int row, bool checked) {
    if (row < 0 || row >= rowCount()) {
        return;
    }
    m_targets[static_cast<std::size_t>(row)].checked = checked;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {Qt::CheckStateRole});
}

std::vector<EvalTargetModel::Target> EvalTargetModel::checkedTargets() const {
    std::vector<Target> checked;
    std::copy_if(m_targets.begin(), m_targets.end(), std::back_inserter(checked),
                 [](const Target& target) { return target.checked; });
    return checked;
}

}  // namespace vietllm::widgets
