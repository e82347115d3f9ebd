#pragma once
// The Data panel: the open project's datasets with their sizes, and below them the record
// browser: a full-text search box (with or without diacritics), filters (dataset, source,
// language, kind, length range, label), the record table (paged, smooth at a million records),
// the record viewer/editor and the annotation labels of the selected record; import and export
// dialogs for every converter, and bulk actions (text checks, duplicates, tags, delete, move or
// copy) on the selected records or on every record matching the filter, each on a worker thread
// with progress and cancel after the user confirmed the number of records. Without a project it
// says how to get one; with an empty project, how to import data.

#include "widgets/bulk_action_dialog.h"

#include <QTimer>
#include <QWidget>

#include <cstdint>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace vietllm::store {
class ProjectStore;
struct RecordFilter;
}  // namespace vietllm::store

namespace vietllm::widgets {

class AnnotationPanel;
class DatasetTableModel;
class ExportDialog;
class ImportDialog;
class RecordEditor;
class RecordTableModel;

class DataPanel : public QWidget {
    Q_OBJECT

public:
    explicit DataPanel(QWidget* parent = nullptr);

    /// Shows the datasets and records of `project`, or the "no project" page for nullptr. The
    /// project must outlive the panel or be replaced first; unsaved record edits are saved to the
    /// previous project first. Store errors propagate (see DatasetTableModel).
    void setProject(store::ProjectStore* project);
    /// The model behind the dataset table, for tests.
    DatasetTableModel* datasetModel() const { return m_model; }
    /// The dataset table, for tests.
    QTableView* datasetView() const { return m_view; }
    /// The model behind the record table, for tests.
    RecordTableModel* recordModel() const { return m_record_model; }
    /// The record table, for tests.
    QTableView* recordView() const { return m_record_view; }
    /// The record editor, for tests.
    RecordEditor* recordEditor() const { return m_editor; }
    /// The labels of the selected record, for tests.
    AnnotationPanel* annotationPanel() const { return m_annotations; }
    /// The search box, for tests.
    QLineEdit* searchEdit() const { return m_search; }
    /// The "ignore diacritics" switch, for tests.
    QCheckBox* ignoreDiacriticsBox() const { return m_ignore_diacritics; }
    /// The filter boxes, for tests.
    QComboBox* datasetFilterBox() const { return m_dataset_filter; }
    /// The kind filter, for tests.
    QComboBox* kindFilterBox() const { return m_kind_filter; }
    /// The label filter, for tests.
    QComboBox* labelFilterBox() const { return m_label_filter; }
    /// The length range, for tests.
    QSpinBox* minLengthBox() const { return m_min_length; }
    /// The length range, for tests.
    QSpinBox* maxLengthBox() const { return m_max_length; }
    /// The match count under the filters, for tests.
    QLabel* matchCountLabel() const { return m_match_count; }
    /// Applies the search box and filters now (typing applies them after a short pause).
    void applyFilter();

    /// Opens the import dialog (the Import button); the panel reloads after an import.
    ImportDialog* showImportDialog();
    /// Opens the export dialog (the Export button) over the datasets and the current filter.
    ExportDialog* showExportDialog();
    /// Runs a bulk action: gathers the records in scope, asks to confirm their number, then works
    /// on a worker thread with progress and cancel; bulkFinished() reports the outcome.
    void runBulkAction(const BulkRequest& request);
    /// The bulk actions menu button, for tests.
    QToolButton* bulkButton() const { return m_bulk_button; }
    /// The line that reports the last import or bulk action, for tests.
    QLabel* bulkStatusLabel() const { return m_bulk_status; }

signals:
    void openProjectRequested();
    /// A bulk action ended (done, cancelled or refused); `summary` is what the status line says.
    void bulkFinished(const QString& summary);

protected:
    void changeEvent(QEvent* event) override;

private:
    QWidget* createBrowser(QWidget* parent);
    void retranslateUi();
    void updatePage();
    void updateMatchCount();
    void refillChoices();
    store::RecordFilter currentFilter() const;
    void onRecordChanged();
    void onDatasetChosen();
    void startBulkAction(BulkActionKind kind);
    std::vector<std::int64_t> selectedRecordIds() const;
    QString matchingCountText() const;
    void confirmAndRun(const BulkRequest& request, const std::vector<std::int64_t>& ids);
    void finishBulk(const QString& summary);
    void reloadAfterChange();

    store::ProjectStore* m_project = nullptr;
    bool m_has_project = false;
    QString m_filter_error;
    QLabel* m_title_label = nullptr;
    QLabel* m_summary_label = nullptr;
    QStackedWidget* m_pages = nullptr;
    QWidget* m_no_project_page = nullptr;
    QLabel* m_no_project_label = nullptr;
    QPushButton* m_open_button = nullptr;
    QWidget* m_no_datasets_page = nullptr;
    QLabel* m_no_datasets_label = nullptr;
    QPushButton* m_empty_import_button = nullptr;
    QWidget* m_content = nullptr;
    QTableView* m_view = nullptr;
    DatasetTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_sorted = nullptr;

    QLineEdit* m_search = nullptr;
    QCheckBox* m_ignore_diacritics = nullptr;
    QLabel* m_dataset_label = nullptr;
    QComboBox* m_dataset_filter = nullptr;
    QLabel* m_source_label = nullptr;
    QComboBox* m_source_filter = nullptr;
    QLabel* m_language_label = nullptr;
    QComboBox* m_language_filter = nullptr;
    QLabel* m_kind_label = nullptr;
    QComboBox* m_kind_filter = nullptr;
    QLabel* m_length_label = nullptr;
    QSpinBox* m_min_length = nullptr;
    QSpinBox* m_max_length = nullptr;
    QLabel* m_label_label = nullptr;
    QComboBox* m_label_filter = nullptr;
    QLabel* m_match_count = nullptr;
    QPushButton* m_import_button = nullptr;
    QPushButton* m_export_button = nullptr;
    QToolButton* m_bulk_button = nullptr;
    QLabel* m_bulk_status = nullptr;
    bool m_bulk_running = false;
    QTimer m_search_delay;

    RecordTableModel* m_record_model = nullptr;
    QTableView* m_record_view = nullptr;
    RecordEditor* m_editor = nullptr;
    AnnotationPanel* m_annotations = nullptr;
};

}  // namespace vietllm::widgets
