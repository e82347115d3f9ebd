#pragma once
// The Data panel's record table: the records of the open project that match a filter, one row
// each (id, dataset, kind, first user text, turns, language, length, labels). Rows arrive a page
// at a time through fetchMore() from a RecordScan, so a million-record project opens as fast as
// a small one; a rare filter keeps scanning in short slices from the event loop instead of
// blocking it.

#include "backend/store/record_browser.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QString>
#include <QTimer>
#include <memory>
#include <vector>

namespace vietllm::store {
class ProjectStore;
}

namespace vietllm::widgets {

class RecordTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kIdColumn = 0;
    static constexpr int kDatasetColumn = 1;
    static constexpr int kKindColumn = 2;
    static constexpr int kPreviewColumn = 3;
    static constexpr int kTurnsColumn = 4;
    static constexpr int kLanguageColumn = 5;
    static constexpr int kLengthColumn = 6;
    static constexpr int kLabelsColumn = 7;
    static constexpr int kColumnCount = 8;
    /// Qt::UserRole + 1: the row's record id.
    static constexpr int kRecordIdRole = Qt::UserRole + 1;
    /// Rows one fetchMore() adds at most.
    static constexpr int kPageSize = 200;
    /// How long one fetchMore() (or one background slice) may scan before returning.
    static constexpr int kSliceBudgetMs = 30;

    explicit RecordTableModel(QObject* parent = nullptr);
    ~RecordTableModel() override;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    /// Shows the records of `project` (nullptr: none) with an empty filter. The project must
    /// outlive the model or be replaced first. Store errors propagate as exceptions.
    void setProject(const store::ProjectStore* project);
    /// Applies `filter` and loads its first page. Throws UserError for a filter the store refuses
    /// (a reversed length range, a search without words); the model is then empty.
    void setFilter(const store::RecordFilter& filter);
    /// The filter the rows match (the bulk actions' "all matching records").
    const store::RecordFilter& filter() const { return m_filter; }
    /// True once every matching record is a row (the row count is then the number of matches).
    bool scanFinished() const;
    /// Re-reads one record's row (after an edit or a label), if it is shown.
    void refreshRecord(qint64 record_id);
    /// The row of `record_id`, or -1.
    int rowOf(qint64 record_id) const;
    /// Tells views that headers and number formats changed with the interface language.
    void retranslate();
    /// The translated name of a record kind.
    static QString kindText(store::RecordKind kind);

signals:
    /// Rows were added or the scan finished: the panel updates its match count.
    void scanProgressed();

private:
    void fetchSlice();
    QVariant displayText(const store::RecordSummary& summary, int column) const;

    const store::ProjectStore* m_project = nullptr;
    store::RecordFilter m_filter;
    std::unique_ptr<store::RecordScan> m_scan;
    std::vector<store::RecordSummary> m_rows;
    QHash<qint64, QString> m_dataset_names;
    QTimer m_continue;
    bool m_fetching = false;
};

}  // namespace vietllm::widgets
