#pragma once
// Exports records of the open project to a file: one dataset, every dataset, or the records
// matching the Data panel's current filter; any writer of backend/data/formats.h in JSON Lines
// or one JSON array; on a worker thread with progress and cancel, through store::exportFile (as
// `vietllm-cli project export` does), so a failed or cancelled export writes no file. Records
// the format cannot hold are counted with the reason.

#include "backend/store/record_browser.h"

#include <QDialog>
#include <QString>

#include <string>
#include <utility>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace vietllm::widgets {

class ExportDialog : public QDialog {
    Q_OBJECT

public:
    /// Exports from the project file `project_path`; `datasets` are its (id, name) pairs and
    /// `filter` the panel's current filter, `filter_count` its match count as shown.
    ExportDialog(const std::string& project_path, const std::vector<std::pair<qint64, QString>>& datasets,
                 const store::RecordFilter& filter, const QString& filter_count, QWidget* parent = nullptr);

    /// The scope box: 0 every dataset, then one per dataset, last the current filter; for tests.
    QComboBox* scopeBox() const { return m_scope; }
    /// The format box, for tests.
    QComboBox* formatBox() const { return m_format; }
    /// The layout box, for tests.
    QComboBox* layoutBox() const { return m_layout; }
    /// The destination box, for tests.
    QLineEdit* destinationEdit() const { return m_destination; }
    /// Starts the export (the Export button).
    void startExport();
    /// The status line (the result, or the error), for tests.
    QString statusText() const;

signals:
    /// The export ended; `summary` says what was written and what could not be.
    void exportFinished(bool ok, const QString& summary);

private:
    void browse();
    void updateButtons();

    std::string m_project_path;
    store::RecordFilter m_filter;
    QComboBox* m_scope = nullptr;
    QComboBox* m_format = nullptr;
    QComboBox* m_layout = nullptr;
    QLineEdit* m_destination = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_export = nullptr;
    bool m_running = false;
};

}  // namespace vietllm::widgets
