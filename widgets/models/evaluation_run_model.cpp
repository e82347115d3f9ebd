#include "widgets/models/evaluation_run_model.h"

#include "backend/eval/run_report.h"

#include <QLocale>

namespace vietllm::widgets {

namespace {

QString statusText(store::EvaluationStatus status) {
    switch (status) {
        case store::EvaluationStatus::Queued:
            return EvaluationRunModel::tr("queued");
        case store::EvaluationStatus::Running:
            return EvaluationRunModel::tr("running");
        case store::EvaluationStatus::Finished:
            return EvaluationRunModel::tr("finished");
        case store::EvaluationStatus::Failed:
            return EvaluationRunModel::tr("failed");
        case store::EvaluationStatus::Cancelled:
            return EvaluationRunModel::tr("cancelled");
        case store::EvaluationStatus::Invalid:
            break;
    }
    return QString();
}

}  // namespace

QString shortModelName(const std::string& model) {
    QString text = QString::fromStdString(model);
    if (text.startsWith(QStringLiteral("local:"))) {
        text = text.mid(6);
        const QStringList parts = text.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        return parts.size() >= 2 ? parts[parts.size() - 2] + QLatin1Char('/') + parts.back() : text;
    }
    return text;
}

EvaluationRunModel::EvaluationRunModel(QObject* parent) : QAbstractTableModel(parent) {}

int EvaluationRunModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int EvaluationRunModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant EvaluationRunModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const store::EvaluationRun& run = m_runs[static_cast<std::size_t>(index.row())];
    if (role == Qt::ToolTipRole && index.column() == kModelColumn) {
        return QString::fromStdString(eval::runModel(run));
    }
    if (role != Qt::DisplayRole) {
        return QVariant();
    }
    switch (index.column()) {
        case kModelColumn:
            return shortModelName(eval::runModel(run));
        case kTaskColumn:
            return QString::fromStdString(run.benchmark);
        case kStatusColumn:
            return statusText(run.status);
        case kScoreColumn: {
            const std::optional<double> value = eval::runHeadlineValue(run);
            if (!value) return QString();
            return QStringLiteral("%1 %2").arg(QString::fromStdString(eval::runHeadlineMetric(run)),
                                               QLocale().toString(*value, 'f', 4));
        }
        case kItemsColumn:
            return run.summary.is_object() && run.summary.contains("n")
                       ? QVariant(QLocale().toString(run.summary["n"].get<qlonglong>()))
                       : QVariant();
        case kStartedColumn:
            return QString::fromStdString(run.started_at);
        default:
            return QVariant();
    }
}

QVariant EvaluationRunModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case kModelColumn:
            return tr("Model");
        case kTaskColumn:
            return tr("Task");
        case kStatusColumn:
            return tr("Status");
        case kScoreColumn:
            return tr("Score");
        case kItemsColumn:
            return tr("Items");
        case kStartedColumn:
            return tr("Started");
        default:
            return QVariant();
    }
}

void EvaluationRunModel::setRuns(std::vector<store::EvaluationRun> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

int EvaluationRunModel::rowOf(std::int64_t run_id) const {
    for (std::size_t row = 0; row < m_runs.size(); ++row) {
        if (m_runs[row].id == run_id) return static_cast<int>(row);
    }
    return -1;
}

void EvaluationRunModel::retranslate() {
    if (!m_runs.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1), {Qt::DisplayRole});
    }
    emit headerDataChanged(Qt::Horizontal, 0, kColumnCount - 1);
}

}  // namespace vietllm::widgets
