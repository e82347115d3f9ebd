#include "widgets/import_dialog.h"

#include "backend/data/formats.h"
#include "backend/store/project_store.h"
#include "backend/store/transfer.h"
#include "widgets/models/record_preview_model.h"
#include "widgets/store_job.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QVBoxLayout>

#include <memory>

namespace vietllm::widgets {

namespace {

// Records the preview shows.
constexpr std::size_t kPreviewRecords = 20;

const data::Format kFormats[] = {
    data::Format::Alpaca, data::Format::Dolly,  data::Format::ShareGpt, data::Format::PromptResponse,
    data::Format::Oasst,  data::Format::HhRlhf, data::Format::Messages, data::Format::Preference};

// What a running import has done, written by the worker, read once it has finished.
struct ImportOutcome {
    int files_done = 0;
    std::size_t records = 0;
    std::size_t skipped = 0;
    QString current_file;
};

}  // namespace

ImportDialog::ImportDialog(const std::string& project_path, const QStringList& datasets, QWidget* parent)
    : QDialog(parent), m_project_path(project_path), m_datasets(datasets) {
    setWindowTitle(tr("Import data"));
    m_files_edit = new QLineEdit(this);
    m_files_edit->setPlaceholderText(tr("one or more files, separated by ;"));
    auto* browse_button = new QPushButton(tr("&Browse…"), this);
    auto* files_row = new QHBoxLayout;
    files_row->addWidget(m_files_edit, 1);
    files_row->addWidget(browse_button);

    m_format = new QComboBox(this);
    m_format->addItem(tr("Detect from the first record"), static_cast<int>(data::Format::Invalid));
    for (const data::Format format : kFormats) {
        m_format->addItem(QString::fromLatin1(data::formatName(format)), static_cast<int>(format));
    }
    m_new_dataset = new QRadioButton(tr("&New dataset:"), this);
    m_new_name = new QLineEdit(this);
    m_existing_dataset = new QRadioButton(tr("&Add to dataset:"), this);
    m_existing = new QComboBox(this);
    m_existing->addItems(datasets);
    m_new_dataset->setChecked(true);
    m_existing_dataset->setEnabled(!datasets.isEmpty());
    m_skip_bad = new QCheckBox(tr("&Skip bad lines (they are counted) instead of stopping"), this);

    auto* form = new QFormLayout;
    form->addRow(tr("&Files:"), files_row);
    form->addRow(tr("F&ormat:"), m_format);
    form->addRow(m_new_dataset, m_new_name);
    form->addRow(m_existing_dataset, m_existing);
    form->addRow(m_skip_bad);

    m_preview = new RecordPreviewModel(this);
    m_preview_view = new QTableView(this);
    m_preview_view->setModel(m_preview);
    m_preview_view->verticalHeader()->hide();
    m_preview_view->horizontalHeader()->setStretchLastSection(false);
    m_preview_view->horizontalHeader()->setSectionResizeMode(RecordPreviewModel::kPreviewColumn,
                                                             QHeaderView::Stretch);
    m_preview_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview_view->setWordWrap(false);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Preview of the first records:"), this));
    layout->addWidget(m_preview_view, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(760, 520);

    connect(browse_button, &QPushButton::clicked, this, &ImportDialog::browse);
    connect(m_files_edit, &QLineEdit::editingFinished, this, [this] {
        QStringList files;
        for (const QString& file : m_files_edit->text().split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
            files << file.trimmed();
        }
        setFiles(files);
    });
    connect(m_format, QOverload<int>::of(&QComboBox::currentIndexChanged), this,
            &ImportDialog::updatePreview);
    for (QRadioButton* button : {m_new_dataset, m_existing_dataset}) {
        connect(button, &QRadioButton::toggled, this, &ImportDialog::updateButtons);
    }
    connect(m_new_name, &QLineEdit::textChanged, this, &ImportDialog::updateButtons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ImportDialog::startImport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateButtons();
}

QString ImportDialog::statusText() const {
    return m_status->text();
}

void ImportDialog::browse() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Import data"), QString(),
                                      tr("Data files (*.jsonl *.json *.jsonl.gz *.json.gz);;All files (*)"));
    if (!files.isEmpty()) {
        setFiles(files);
    }
}

void ImportDialog::setFiles(const QStringList& files) {
    m_files = files;
    m_files_edit->setText(files.join(QStringLiteral("; ")));
    if (!files.isEmpty() && m_new_name->text().isEmpty()) {
        m_new_name->setText(QString::fromStdString(store::defaultDatasetName(files.first().toStdString())));
    }
    updatePreview();
}

void ImportDialog::updatePreview() {
    m_preview->setRecords({});
    updateButtons();
    if (m_files.isEmpty()) {
        setStatus(QString(), false);
        return;
    }
    const std::string first = m_files.first().toStdString();
    try {
        data::Format format = static_cast<data::Format>(m_format->currentData().toInt());
        QString detected;
        if (format == data::Format::Invalid) {
            format = store::detectFormat(first);
            detected = tr("Detected format: %1.").arg(QString::fromLatin1(data::formatName(format)));
        }
        m_preview->setRecords(store::previewRecords(first, format, kPreviewRecords));
        setStatus(detected, false);
    } catch (const std::exception& error) {
        setStatus(QString::fromUtf8(error.what()), true);
    }
}

void ImportDialog::updateButtons() {
    const bool target_ok =
        m_existing_dataset->isChecked()
            ? m_existing->count() > 0
            : !m_new_name->text().trimmed().isEmpty() && !m_datasets.contains(m_new_name->text().trimmed());
    m_import->setEnabled(!m_running && !m_files.isEmpty() && target_ok);
}

void ImportDialog::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void ImportDialog::startImport() {
    if (m_running || !m_import->isEnabled()) {
        return;
    }
    const bool append = m_existing_dataset->isChecked();
    const std::string dataset =
        (append ? m_existing->currentText() : m_new_name->text().trimmed()).toStdString();
    const auto chosen = static_cast<data::Format>(m_format->currentData().toInt());
    const bool skip_bad = m_skip_bad->isChecked();
    const QStringList files = m_files;
    const std::string project_path = m_project_path;
    auto outcome = std::make_shared<ImportOutcome>();
    auto* job = new StoreJob(this, tr("Importing…"), [=](const store::BulkProgress& progress) {
        store::ProjectStore project = store::ProjectStore::open(project_path, store::OpenMode::ReadWrite);
        for (int i = 0; i < files.size(); ++i) {
            outcome->current_file = files[i];
            store::FileImportRequest request;
            request.input_path = files[i].toStdString();
            request.format =
                chosen == data::Format::Invalid ? store::detectFormat(request.input_path) : chosen;
            request.dataset_name = dataset;
            request.append = append || i > 0;
            request.skip_bad = skip_bad;
            const std::size_t before = outcome->records;
            request.on_progress = [&progress, before](std::size_t records) {
                return progress(before + records, 0);
            };
            const store::ImportSummary summary = store::importFile(project, request);
            outcome->records += summary.records;
            outcome->skipped += summary.skipped;
            ++outcome->files_done;
        }
    });
    connect(job, &StoreJob::finished, this,
            [this, outcome, files, dataset](bool cancelled, const QString& error) {
                m_running = false;
                updateButtons();
                const QLocale locale;
                const QString done =
                    tr("%1 of %2 file(s) were imported (%3 records) and stay in the project.")
                        .arg(outcome->files_done)
                        .arg(files.size())
                        .arg(locale.toString(static_cast<qint64>(outcome->records)));
                if (cancelled || !error.isEmpty()) {
                    const QString what =
                        cancelled ? tr("Cancelled: nothing from %1 was imported.").arg(outcome->current_file)
                                  : tr("Import stopped: %1").arg(error);
                    const QString summary = outcome->files_done > 0 ? what + QLatin1Char(' ') + done : what;
                    setStatus(summary, !cancelled);
                    emit importFinished(false, summary);
                    return;
                }
                QString summary =
                    tr("Imported %1 records from %n file(s) into dataset %2.", nullptr, files.size())
                        .arg(locale.toString(static_cast<qint64>(outcome->records)),
                             QString::fromStdString(dataset));
                if (outcome->skipped > 0) {
                    summary += QLatin1Char(' ') +
                               tr("%n bad line(s) skipped.", nullptr, static_cast<int>(outcome->skipped));
                }
                setStatus(summary, false);
                emit importFinished(true, summary);
                accept();
            });
    m_running = true;
    updateButtons();
    job->start();
}

}  // namespace vietllm::widgets
