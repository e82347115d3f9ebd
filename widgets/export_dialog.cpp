#include "widgets/export_dialog.h"

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/store/bulk_actions.h"
#include "backend/store/project_store.h"
#include "backend/store/transfer.h"
#include "widgets/store_job.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include <memory>

namespace vietllm::widgets {

namespace {

// Scope box data for "every dataset" and "the current filter" (dataset ids are positive).
constexpr qint64 kAllDatasets = 0;
constexpr qint64 kCurrentFilter = -1;

const data::Format kFormats[] = {
    data::Format::Messages, data::Format::Preference,     data::Format::Alpaca, data::Format::Dolly,
    data::Format::ShareGpt, data::Format::PromptResponse, data::Format::Oasst,  data::Format::HhRlhf};

}  // namespace

ExportDialog::ExportDialog(const std::string& project_path,
                           const std::vector<std::pair<qint64, QString>>& datasets,
                           const store::RecordFilter& filter, const QString& filter_count, QWidget* parent)
    : QDialog(parent), m_project_path(project_path), m_filter(filter) {
    setWindowTitle(tr("Export data"));
    m_scope = new QComboBox(this);
    m_scope->addItem(tr("Every dataset"), kAllDatasets);
    for (const auto& [id, name] : datasets) {
        m_scope->addItem(tr("Dataset %1").arg(name), id);
    }
    m_scope->addItem(tr("Records matching the current filter (%1)").arg(filter_count), kCurrentFilter);
    m_format = new QComboBox(this);
    for (const data::Format format : kFormats) {
        m_format->addItem(QString::fromLatin1(data::formatName(format)), static_cast<int>(format));
    }
    m_layout = new QComboBox(this);
    m_layout->addItem(tr("JSON Lines (one record per line)"), static_cast<int>(data::Layout::JsonLines));
    m_layout->addItem(tr("One JSON array"), static_cast<int>(data::Layout::JsonArray));
    m_destination = new QLineEdit(this);
    auto* browse_button = new QPushButton(tr("&Browse…"), this);
    auto* destination_row = new QHBoxLayout;
    destination_row->addWidget(m_destination, 1);
    destination_row->addWidget(browse_button);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout;
    form->addRow(tr("&Records:"), m_scope);
    form->addRow(tr("F&ormat:"), m_format);
    form->addRow(tr("&Layout:"), m_layout);
    form->addRow(tr("&Destination:"), destination_row);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = buttons->addButton(tr("&Export"), QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status, 1);
    layout->addWidget(buttons);
    resize(620, 260);

    connect(browse_button, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_destination, &QLineEdit::textChanged, this, &ExportDialog::updateButtons);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateButtons();
}

QString ExportDialog::statusText() const {
    return m_status->text();
}

void ExportDialog::browse() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export data"), m_destination->text(),
                                                      tr("Data files (*.jsonl *.json);;All files (*)"));
    if (!path.isEmpty()) {
        m_destination->setText(path);
    }
}

void ExportDialog::updateButtons() {
    m_export->setEnabled(!m_running && !m_destination->text().trimmed().isEmpty());
}

void ExportDialog::startExport() {
    if (m_running || !m_export->isEnabled()) {
        return;
    }
    store::FileExportRequest request;
    request.output_path = m_destination->text().trimmed().toStdString();
    request.format = static_cast<data::Format>(m_format->currentData().toInt());
    request.layout = static_cast<data::Layout>(m_layout->currentData().toInt());
    const qint64 scope = m_scope->currentData().toLongLong();
    if (scope > 0) {
        request.dataset_id = scope;
    }
    const bool filtered = scope == kCurrentFilter;
    const store::RecordFilter filter = m_filter;
    const std::string project_path = m_project_path;
    auto summary = std::make_shared<store::ExportSummary>();
    auto* job = new StoreJob(this, tr("Exporting…"), [=](const store::BulkProgress& progress) {
        const store::ProjectStore project =
            store::ProjectStore::open(project_path, store::OpenMode::ReadOnly);
        store::FileExportRequest work = request;
        if (filtered) {
            work.record_ids = store::matchingRecordIds(project, filter, progress);
            if (work.record_ids.empty()) {
                throw UserError(
                    tr("No record matches the current filter; nothing was written.").toStdString());
            }
        }
        work.on_progress = progress;
        *summary = store::exportFile(project, work);
    });
    const QString format_name = m_format->currentText();
    const QString path = m_destination->text().trimmed();
    connect(job, &StoreJob::finished, this,
            [this, summary, format_name, path](bool cancelled, const QString& error) {
                m_running = false;
                updateButtons();
                if (cancelled || !error.isEmpty()) {
                    const QString text = cancelled ? tr("Cancelled; no file was written.")
                                                   : tr("Export failed: %1").arg(error);
                    m_status->setText(text);
                    m_status->setStyleSheet(cancelled ? QString() : QStringLiteral("color: #b00020;"));
                    emit exportFinished(false, text);
                    return;
                }
                const QLocale locale;
                QStringList lines;
                lines << tr("Exported %1 records as %2 %3 records to %4.")
                             .arg(locale.toString(static_cast<qint64>(summary->records)),
                                  locale.toString(static_cast<qint64>(summary->written)), format_name, path);
                if (summary->unwritable > 0) {
                    lines << tr("%1 records cannot be written as %2 and were left out:")
                                 .arg(locale.toString(static_cast<qint64>(summary->unwritable)), format_name);
                    for (const auto& [reason, count] : summary->unwritable_reasons) {
                        lines << QStringLiteral("• %1 (%2)")
                                     .arg(QString::fromStdString(reason),
                                          locale.toString(static_cast<qint64>(count)));
                    }
                }
                m_status->setStyleSheet(QString());
                m_status->setText(lines.join(QLatin1Char('\n')));
                emit exportFinished(true, m_status->text());
            });
    m_running = true;
    updateButtons();
    m_status->clear();
    job->start();
}

}  // namespace vietllm::widgets
