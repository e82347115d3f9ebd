#include "widgets/models/record_table_model.h"

#include "backend/store/project_store.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QScopedValueRollback>
#include <QStringList>

namespace vietllm::widgets {

QString RecordTableModel::kindText(store::RecordKind kind) {
    switch (kind) {
        case store::RecordKind::Conversation:
            return tr("conversation");
        case store::RecordKind::Preference:
            return tr("preference pair");
        case store::RecordKind::Tree:
            return tr("conversation tree");
        case store::RecordKind::Invalid:
            break;
    }
    return QString();
}

RecordTableModel::RecordTableModel(QObject* parent) : QAbstractTableModel(parent) {
    m_continue.setSingleShot(true);
    m_continue.setInterval(0);
    connect(&m_continue, &QTimer::timeout, this, [this] { fetchSlice(); });
}

RecordTableModel::~RecordTableModel() = default;

int RecordTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RecordTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant RecordTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const store::RecordSummary& summary = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return displayText(summary, index.column());
        case Qt::ToolTipRole:
            return index.column() == kPreviewColumn ? QVariant(QString::fromStdString(summary.preview))
                                                    : QVariant();
        case Qt::TextAlignmentRole:
            return index.column() == kIdColumn || index.column() == kTurnsColumn ||
                           index.column() == kLengthColumn
                       ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                       : QVariant();
        case kRecordIdRole:
            return static_cast<qint64>(summary.id);
        default:
            return QVariant();
    }
}

QVariant RecordTableModel::displayText(const store::RecordSummary& summary, int column) const {
    const QLocale locale;
    switch (column) {
        case kIdColumn:
            return QString::number(summary.id);
        case kDatasetColumn:
            return m_dataset_names.value(summary.dataset_id);
        case kKindColumn:
            return kindText(summary.kind);
        case kPreviewColumn:
            // One line per row: line breaks of the message become spaces.
            return QString::fromStdString(summary.preview).simplified();
        case kTurnsColumn:
            return locale.toString(static_cast<qint64>(summary.turns));
        case kLanguageColumn:
            return QString::fromStdString(summary.language);
        case kLengthColumn:
            return locale.toString(static_cast<qint64>(summary.length));
        case kLabelsColumn: {
            QStringList labels;
            for (const std::string& label : summary.labels) {
                labels.append(QString::fromStdString(label));
            }
            return labels.join(QStringLiteral(", "));
        }
        default:
            return QVariant();
    }
}

QVariant RecordTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case kIdColumn:
            return tr("Id");
        case kDatasetColumn:
            return tr("Dataset");
        case kKindColumn:
            return tr("Kind");
        case kPreviewColumn:
            return tr("First user message");
        case kTurnsColumn:
            return tr("Turns");
        case kLanguageColumn:
            return tr("Language");
        case kLengthColumn:
            return tr("Length");
        case kLabelsColumn:
            return tr("Labels");
        default:
            return QVariant();
    }
}

bool RecordTableModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_scan && !m_scan->finished();
}

void RecordTableModel::fetchMore(const QModelIndex& parent) {
    if (!parent.isValid()) {
        fetchSlice();
    }
}

void RecordTableModel::fetchSlice() {
    // Views and model testers may ask for more from inside the row insertion below.
    if (!m_scan || m_scan->finished() || m_fetching) {
        return;
    }
    const QScopedValueRollback<bool> fetching(m_fetching, true);
    QElapsedTimer elapsed;
    elapsed.start();
    std::vector<std::int64_t> ids;
    while (ids.size() < static_cast<std::size_t>(kPageSize) && !m_scan->finished() &&
           elapsed.elapsed() < kSliceBudgetMs) {
        const std::vector<std::int64_t> found =
            m_scan->next(static_cast<std::size_t>(kPageSize) - ids.size());
        ids.insert(ids.end(), found.begin(), found.end());
    }
    std::vector<store::RecordSummary> summaries = store::recordSummaries(*m_project, ids);
    if (!summaries.empty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + static_cast<int>(summaries.size()) - 1);
        for (store::RecordSummary& summary : summaries) {
            m_rows.push_back(std::move(summary));
        }
        endInsertRows();
    }
    // A page that came up short on an unfinished scan goes on in the background, so a rare filter
    // fills its first page without the view having to ask again.
    if (ids.size() < static_cast<std::size_t>(kPageSize) && !m_scan->finished()) {
        m_continue.start();
    }
    emit scanProgressed();
}

void RecordTableModel::setProject(const store::ProjectStore* project) {
    m_continue.stop();
    beginResetModel();
    m_project = nullptr;
    m_scan.reset();
    m_rows.clear();
    m_dataset_names.clear();
    endResetModel();
    if (project == nullptr) {
        emit scanProgressed();
        return;
    }
    for (const store::DatasetInfo& dataset : project->datasets()) {
        m_dataset_names.insert(dataset.id, QString::fromStdString(dataset.name));
    }
    m_project = project;
    setFilter(store::RecordFilter());
}

void RecordTableModel::setFilter(const store::RecordFilter& filter) {
    m_continue.stop();
    beginResetModel();
    m_scan.reset();
    m_rows.clear();
    endResetModel();
    if (m_project == nullptr) {
        return;
    }
    m_scan = std::make_unique<store::RecordScan>(*m_project, filter);
    m_filter = filter;
    fetchSlice();
}

bool RecordTableModel::scanFinished() const {
    return !m_scan || m_scan->finished();
}

int RecordTableModel::rowOf(qint64 record_id) const {
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].id == record_id) {
            return static_cast<int>(row);
        }
    }
    return -1;
}

void RecordTableModel::refreshRecord(qint64 record_id) {
    const int row = rowOf(record_id);
    if (row < 0 || m_project == nullptr) {
        return;
    }
    std::vector<store::RecordSummary> summaries = store::recordSummaries(*m_project, {record_id});
    if (summaries.empty()) {
        return;
    }
    m_rows[static_cast<std::size_t>(row)] = std::move(summaries.front());
    emit dataChanged(index(row, 0), index(row, kColumnCount - 1));
}

void RecordTableModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, kColumnCount - 1);
    if (!m_rows.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1));
    }
}

}  // namespace vietllm::widgets
