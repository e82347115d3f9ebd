#include "widgets/models/run_history_model.h"

#include <QFileInfo>
#include <QLocale>

namespace vietllm::widgets {

namespace {

QString lastValue(const std::vector<runs::SeriesPoint>& series) {
    return series.empty() ? QString() : QLocale().toString(series.back().value, 'f', 4);
}

QString bestValue(const std::vector<runs::SeriesPoint>& series) {
    if (series.empty()) {
        return QString();
    }
    double best = series.front().value;
    for (const runs::SeriesPoint& point : series) {
        best = std::min(best, point.value);
    }
    return QLocale().toString(best, 'f', 4);
}

}  // namespace

RunHistoryModel::RunHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

int RunHistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunHistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QString RunHistoryModel::statusText(const runs::RunSummary& run) const {
    switch (run.metrics.status) {
        case runs::RunStatus::Running:
            return QString::fromStdString(run.dir) == m_active_dir ? tr("running") : tr("interrupted");
        case runs::RunStatus::Finished:
            return tr("finished");
        case runs::RunStatus::Cancelled:
            return tr("stopped");
        case runs::RunStatus::Failed:
            return tr("failed");
        case runs::RunStatus::Invalid:
            break;
    }
    return QString();
}

QVariant RunHistoryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const runs::RunSummary& run = m_runs[static_cast<std::size_t>(index.row())];
    if (role == Qt::CheckStateRole && index.column() == kNameColumn) {
        return m_overlay_dirs.contains(QString::fromStdString(run.dir)) ? Qt::Checked : Qt::Unchecked;
    }
    if (role == Qt::ToolTipRole) {
        return run.metrics.error.empty() ? QString::fromStdString(run.dir)
                                         : QString::fromStdString(run.metrics.error);
    }
    if (role != Qt::DisplayRole) {
        return QVariant();
    }
    switch (index.column()) {
        case kNameColumn:
            return QString::fromStdString(run.name);
        case kMethodColumn:
            return QString::fromStdString(run.method).toUpper();
        case kStatusColumn:
            return statusText(run);
        case kProgressColumn:
            return run.metrics.total_steps > 0
                       ? tr("%1 / %2").arg(run.metrics.last_step).arg(run.metrics.total_steps)
                       : QString::number(run.metrics.last_step);
        case kLossColumn:
            return lastValue(run.metrics.loss);
        case kEvalLossColumn:
            return bestValue(run.metrics.eval_loss);
        case kModelColumn:
            return QFileInfo(QString::fromStdString(run.base_model)).fileName();
        default:
            return QVariant();
    }
}

bool RunHistoryModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        role != Qt::CheckStateRole || index.column() != kNameColumn) {
        return false;
    }
    const QString dir = QString::fromStdString(m_runs[static_cast<std::size_t>(index.row())].dir);
    m_overlay_dirs.removeAll(dir);
    if (value.toInt() == Qt::Checked) {
        m_overlay_dirs.append(dir);
    }
    emit dataChanged(index, index, {Qt::CheckStateRole});
    emit overlayChanged();
    return true;
}

Qt::ItemFlags RunHistoryModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return Qt::NoItemFlags;
    }
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return index.column() == kNameColumn ? base | Qt::ItemIsUserCheckable : base;
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case kNameColumn:
            return tr("Run");
        case kMethodColumn:
            return tr("Method");
        case kStatusColumn:
            return tr("Status");
        case kProgressColumn:
            return tr("Step");
        case kLossColumn:
            return tr("Loss");
        case kEvalLossColumn:
            return tr("Best eval loss");
        case kModelColumn:
            return tr("Base model");
        default:
            return QVariant();
    }
}

void RunHistoryModel::setRuns(std::vector<runs::RunSummary> runs, const QString& active_dir) {
    beginResetModel();
    m_runs = std::move(runs);
    m_active_dir = active_dir;
    QStringList kept;
    for (const runs::RunSummary& run : m_runs) {
        const QString dir = QString::fromStdString(run.dir);
        if (m_overlay_dirs.contains(dir)) {
            kept.append(dir);
        }
    }
    m_overlay_dirs = kept;
    endResetModel();
}

QStringList RunHistoryModel::overlayDirs() const {
    return m_overlay_dirs;
}

void RunHistoryModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, kColumnCount - 1);
    if (!m_runs.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1), {Qt::DisplayRole});
    }
}

}  // namespace vietllm::widgets
