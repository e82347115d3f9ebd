#pragma once
// Imports data files into the open project: the files, their format (detected from the first
// record, or any reader of backend/data/formats.h), a new or existing target dataset, a preview
// of the first records, then the import on a worker thread with progress and cancel. Each file
// is one transaction (store::importFile, as `vietllm-cli project import` does): a bad line or a
// cancel leaves that file out, and the dialog says which files went in before.

#include <QDialog>
#include <QString>
#include <QStringList>

#include <string>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTableView;

namespace vietllm::widgets {

class RecordPreviewModel;

class ImportDialog : public QDialog {
    Q_OBJECT

public:
    /// Imports into the project file `project_path`, whose datasets are `datasets`.
    ImportDialog(const std::string& project_path, const QStringList& datasets, QWidget* parent = nullptr);

    /// Chooses the files to import (the Browse button does the same) and previews the first.
    void setFiles(const QStringList& files);
    /// Starts the import (the Import button).
    void startImport();
    /// The new dataset's name box, for tests.
    QLineEdit* datasetNameEdit() const { return m_new_name; }
    /// The format box (index 0: auto-detect), for tests.
    QComboBox* formatBox() const { return m_format; }
    /// The preview's model, for tests.
    RecordPreviewModel* previewModel() const { return m_preview; }
    /// The status line (detected format, errors, the result), for tests.
    QString statusText() const;

signals:
    /// The import ended; `summary` says what went in (and, on failure, how far it got).
    void importFinished(bool ok, const QString& summary);

private:
    void browse();
    void updatePreview();
    void updateButtons();
    void setStatus(const QString& text, bool error);

    std::string m_project_path;
    QStringList m_datasets;
    QStringList m_files;
    QLineEdit* m_files_edit = nullptr;
    QComboBox* m_format = nullptr;
    QRadioButton* m_new_dataset = nullptr;
    QLineEdit* m_new_name = nullptr;
    QRadioButton* m_existing_dataset = nullptr;
    QComboBox* m_existing = nullptr;
    QCheckBox* m_skip_bad = nullptr;
    RecordPreviewModel* m_preview = nullptr;
    QTableView* m_preview_view = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_import = nullptr;
    bool m_running = false;
};

}  // namespace vietllm::widgets
