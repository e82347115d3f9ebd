#include "widgets/data_panel.h"

#include "backend/common/errors.h"
#include "backend/store/bulk_actions.h"
#include "backend/store/project_store.h"
#include "backend/store/record_browser.h"
#include "widgets/annotation_panel.h"
#include "widgets/export_dialog.h"
#include "widgets/import_dialog.h"
#include "widgets/models/dataset_table_model.h"
#include "widgets/models/record_table_model.h"
#include "widgets/record_editor.h"
#include "widgets/store_job.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace vietllm::widgets {

namespace {

constexpr int kSearchDelayMs = 300;
constexpr int kDatasetTableHeight = 130;

// Replaces the items after the first ("all") with `values`, keeping the chosen one when it is
// still there.
void refill(QComboBox* box, const std::vector<std::string>& values) {
    const QString chosen = box->currentData().toString();
    const QSignalBlocker blocker(box);
    while (box->count() > 1) {
        box->removeItem(1);
    }
    for (const std::string& value : values) {
        const QString text = QString::fromStdString(value);
        box->addItem(text, text);
    }
    box->setCurrentIndex(std::max(0, box->findData(chosen)));
}

QSpinBox* makeLengthBox(QWidget* parent) {
    auto* box = new QSpinBox(parent);
    box->setRange(0, 100000000);
    box->setSingleStep(100);
    box->setGroupSeparatorShown(true);
    return box;
}

}  // namespace

DataPanel::DataPanel(QWidget* parent)
    : QWidget(parent),
      m_title_label(new QLabel(this)),
      m_summary_label(new QLabel(this)),
      m_pages(new QStackedWidget(this)),
      m_no_project_page(new QWidget(m_pages)),
      m_no_project_label(new QLabel(m_no_project_page)),
      m_open_button(new QPushButton(m_no_project_page)),
      m_no_datasets_page(new QWidget(m_pages)),
      m_no_datasets_label(new QLabel(m_no_datasets_page)),
      m_empty_import_button(new QPushButton(m_no_datasets_page)),
      m_content(new QWidget(m_pages)),
      m_view(new QTableView(m_content)),
      m_model(new DatasetTableModel(this)),
      m_sorted(new QSortFilterProxyModel(this)),
      m_record_model(new RecordTableModel(this)) {
    QFont title_font = m_title_label->font();
    title_font.setPointSizeF(title_font.pointSizeF() * 1.5);
    title_font.setBold(true);
    m_title_label->setFont(title_font);

    m_no_project_label->setWordWrap(true);
    auto* no_project_layout = new QVBoxLayout(m_no_project_page);
    no_project_layout->setContentsMargins(0, 0, 0, 0);
    no_project_layout->addWidget(m_no_project_label);
    auto* button_row = new QHBoxLayout;
    button_row->addWidget(m_open_button);
    button_row->addStretch();
    no_project_layout->addLayout(button_row);
    no_project_layout->addStretch();

    m_no_datasets_label->setWordWrap(true);
    m_no_datasets_label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_no_datasets_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* no_datasets_layout = new QVBoxLayout(m_no_datasets_page);
    no_datasets_layout->setContentsMargins(0, 0, 0, 0);
    no_datasets_layout->addWidget(m_no_datasets_label);
    auto* import_row = new QHBoxLayout;
    import_row->addWidget(m_empty_import_button);
    import_row->addStretch();
    no_datasets_layout->addLayout(import_row);
    no_datasets_layout->addStretch();

    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(DatasetTableModel::kSortRole);
    m_view->setModel(m_sorted);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DatasetTableModel::kCreatedColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->setMaximumHeight(kDatasetTableHeight);

    auto* content_layout = new QVBoxLayout(m_content);
    content_layout->setContentsMargins(0, 0, 0, 0);
    content_layout->addWidget(m_view);
    content_layout->addWidget(createBrowser(m_content), 1);

    m_pages->addWidget(m_no_project_page);
    m_pages->addWidget(m_no_datasets_page);
    m_pages->addWidget(m_content);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addWidget(m_title_label);
    layout->addWidget(m_summary_label);
    layout->addSpacing(8);
    layout->addWidget(m_pages, 1);

    connect(m_open_button, &QPushButton::clicked, this, &DataPanel::openProjectRequested);
    connect(m_empty_import_button, &QPushButton::clicked, this, &DataPanel::showImportDialog);
    // Only a click or Enter on a dataset narrows the records; focus alone must not.
    connect(m_view, &QTableView::clicked, this, &DataPanel::onDatasetChosen);
    connect(m_view, &QTableView::activated, this, &DataPanel::onDatasetChosen);
    retranslateUi();
    updatePage();
}

QWidget* DataPanel::createBrowser(QWidget* parent) {
    auto* browser = new QWidget(parent);
    m_search = new QLineEdit(browser);
    m_search->setClearButtonEnabled(true);
    m_ignore_diacritics = new QCheckBox(browser);
    m_dataset_label = new QLabel(browser);
    m_dataset_filter = new QComboBox(browser);
    m_source_label = new QLabel(browser);
    m_source_filter = new QComboBox(browser);
    m_language_label = new QLabel(browser);
    m_language_filter = new QComboBox(browser);
    m_kind_label = new QLabel(browser);
    m_kind_filter = new QComboBox(browser);
    m_length_label = new QLabel(browser);
    m_min_length = makeLengthBox(browser);
    m_max_length = makeLengthBox(browser);
    m_label_label = new QLabel(browser);
    m_label_filter = new QComboBox(browser);
    m_match_count = new QLabel(browser);
    m_import_button = new QPushButton(browser);
    m_export_button = new QPushButton(browser);
    m_bulk_button = new QToolButton(browser);
    m_bulk_status = new QLabel(browser);
    m_bulk_status->setWordWrap(true);
    m_bulk_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_record_view = new QTableView(browser);
    m_editor = new RecordEditor(browser);
    m_annotations = new AnnotationPanel(browser);

    for (QComboBox* box : {m_dataset_filter, m_source_filter, m_language_filter, m_label_filter}) {
        box->addItem(QString(), QString());
    }
    m_kind_filter->addItem(QString(), static_cast<int>(store::RecordKind::Invalid));
    for (const store::RecordKind kind :
         {store::RecordKind::Conversation, store::RecordKind::Preference, store::RecordKind::Tree}) {
        m_kind_filter->addItem(QString(), static_cast<int>(kind));
    }
    m_dataset_label->setBuddy(m_dataset_filter);
    m_source_label->setBuddy(m_source_filter);
    m_language_label->setBuddy(m_language_filter);
    m_kind_label->setBuddy(m_kind_filter);
    m_length_label->setBuddy(m_min_length);
    m_label_label->setBuddy(m_label_filter);

    auto* search_row = new QHBoxLayout;
    search_row->addWidget(m_search, 1);
    search_row->addWidget(m_ignore_diacritics);
    search_row->addWidget(m_match_count);
    search_row->addSpacing(12);
    search_row->addWidget(m_import_button);
    search_row->addWidget(m_export_button);
    search_row->addWidget(m_bulk_button);
    auto* bulk_menu = new QMenu(m_bulk_button);
    for (const BulkActionKind kind :
         {BulkActionKind::TextChecks, BulkActionKind::Duplicates, BulkActionKind::AddTag,
          BulkActionKind::RemoveTag, BulkActionKind::Transfer, BulkActionKind::Delete}) {
        QAction* action = bulk_menu->addAction(QString());
        action->setData(static_cast<int>(kind));
        connect(action, &QAction::triggered, this, [this, kind] { startBulkAction(kind); });
    }
    m_bulk_button->setMenu(bulk_menu);
    m_bulk_button->setPopupMode(QToolButton::InstantPopup);
    auto* filters = new QHBoxLayout;
    for (const auto& [label, box] :
         std::initializer_list<std::pair<QLabel*, QWidget*>>{{m_dataset_label, m_dataset_filter},
                                                             {m_source_label, m_source_filter},
                                                             {m_language_label, m_language_filter},
                                                             {m_kind_label, m_kind_filter},
                                                             {m_label_label, m_label_filter}}) {
        filters->addWidget(label);
        filters->addWidget(box);
    }
    filters->addWidget(m_length_label);
    filters->addWidget(m_min_length);
    filters->addWidget(new QLabel(QStringLiteral("–"), browser));
    filters->addWidget(m_max_length);
    filters->addStretch();

    m_record_view->setModel(m_record_model);
    m_record_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several records can be selected (Shift, Ctrl) for the bulk actions.
    m_record_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_record_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_record_view->setAlternatingRowColors(true);
    m_record_view->setWordWrap(false);
    m_record_view->verticalHeader()->hide();
    // Fixed row heights and interactive columns: nothing is measured per row, so a view over a
    // million records costs what the rows on screen cost.
    m_record_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_record_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_record_view->horizontalHeader()->setStretchLastSection(true);
    for (const auto& [column, width] :
         std::initializer_list<std::pair<int, int>>{{RecordTableModel::kIdColumn, 60},
                                                    {RecordTableModel::kDatasetColumn, 120},
                                                    {RecordTableModel::kKindColumn, 90},
                                                    {RecordTableModel::kPreviewColumn, 360},
                                                    {RecordTableModel::kTurnsColumn, 60},
                                                    {RecordTableModel::kLanguageColumn, 70},
                                                    {RecordTableModel::kLengthColumn, 70}}) {
        m_record_view->setColumnWidth(column, width);
    }
    m_annotations->installShortcuts(m_record_view);

    auto* side = new QSplitter(Qt::Vertical, browser);
    side->addWidget(m_editor);
    side->addWidget(m_annotations);
    side->setStretchFactor(0, 3);
    side->setStretchFactor(1, 2);
    side->setSizes({550, 450});
    auto* splitter = new QSplitter(Qt::Horizontal, browser);
    splitter->addWidget(m_record_view);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({600, 400});

    auto* layout = new QVBoxLayout(browser);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(search_row);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_bulk_status);

    connect(m_import_button, &QPushButton::clicked, this, &DataPanel::showImportDialog);
    connect(m_export_button, &QPushButton::clicked, this, &DataPanel::showExportDialog);
    auto* delete_records =
        new QShortcut(QKeySequence::Delete, m_record_view, nullptr, nullptr, Qt::WidgetShortcut);
    connect(delete_records, &QShortcut::activated, this, [this] { startBulkAction(BulkActionKind::Delete); });

    m_search_delay.setSingleShot(true);
    m_search_delay.setInterval(kSearchDelayMs);
    connect(&m_search_delay, &QTimer::timeout, this, &DataPanel::applyFilter);
    connect(m_search, &QLineEdit::textEdited, this, [this] { m_search_delay.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        applyFilter();
        m_record_view->setFocus();
        if (m_record_model->rowCount() > 0) {
            m_record_view->selectRow(0);
        }
    });
    auto* find = new QShortcut(QKeySequence::Find, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    connect(m_ignore_diacritics, &QCheckBox::toggled, this, &DataPanel::applyFilter);
    for (QComboBox* box :
         {m_dataset_filter, m_source_filter, m_language_filter, m_kind_filter, m_label_filter}) {
        connect(box, QOverload<int>::of(&QComboBox::currentIndexChanged), this, &DataPanel::applyFilter);
    }
    for (QSpinBox* box : {m_min_length, m_max_length}) {
        connect(box, &QSpinBox::editingFinished, this, &DataPanel::applyFilter);
    }
    connect(m_record_model, &RecordTableModel::scanProgressed, this, &DataPanel::updateMatchCount);
    connect(m_record_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DataPanel::onRecordChanged);
    connect(m_record_model, &QAbstractItemModel::modelReset, this, &DataPanel::onRecordChanged);
    connect(m_editor, &RecordEditor::recordSaved, this, [this](qint64 record_id) {
        m_record_model->refreshRecord(record_id);
        m_model->reload();
        retranslateUi();
    });
    connect(m_annotations, &AnnotationPanel::labelsChanged, this, [this](qint64 record_id) {
        m_record_model->refreshRecord(record_id);
        refillChoices();
    });
    return browser;
}

void DataPanel::setProject(store::ProjectStore* project) {
    // Edits in progress go to the project they belong to before it is let go.
    if (m_editor->hasUnsavedChanges()) {
        m_editor->save();
    }
    // Show "no project" until the datasets are read, so a store error leaves a consistent page.
    m_has_project = false;
    m_project = nullptr;
    updatePage();
    m_editor->setProject(nullptr);
    m_annotations->setProject(nullptr);
    m_record_model->setProject(nullptr);
    m_model->setProject(project);
    m_project = project;
    {
        // Choices first, without a filter pass per box; then one scan.
        const QSignalBlocker blockers[] = {QSignalBlocker(m_dataset_filter), QSignalBlocker(m_source_filter),
                                           QSignalBlocker(m_language_filter), QSignalBlocker(m_kind_filter),
                                           QSignalBlocker(m_label_filter)};
        m_dataset_filter->setCurrentIndex(0);
        m_kind_filter->setCurrentIndex(0);
        m_search->clear();
        m_min_length->setValue(0);
        m_max_length->setValue(0);
        refillChoices();
    }
    m_editor->setProject(project);
    m_annotations->setProject(project);
    m_record_model->setProject(project);
    m_has_project = project != nullptr;
    updatePage();
    retranslateUi();
}

void DataPanel::refillChoices() {
    const QSignalBlocker blockers[] = {QSignalBlocker(m_dataset_filter), QSignalBlocker(m_source_filter),
                                       QSignalBlocker(m_language_filter), QSignalBlocker(m_label_filter)};
    if (m_project == nullptr) {
        refill(m_source_filter, {});
        refill(m_language_filter, {});
        refill(m_label_filter, {});
        refill(m_dataset_filter, {});
        return;
    }
    const store::FilterChoices choices = store::filterChoices(*m_project);
    refill(m_source_filter, choices.sources);
    refill(m_language_filter, choices.languages);
    refill(m_label_filter, choices.labels);
    const qint64 chosen = m_dataset_filter->currentData().toLongLong();
    while (m_dataset_filter->count() > 1) {
        m_dataset_filter->removeItem(1);
    }
    for (const store::DatasetInfo& dataset : m_project->datasets()) {
        m_dataset_filter->addItem(QString::fromStdString(dataset.name), static_cast<qint64>(dataset.id));
    }
    m_dataset_filter->setCurrentIndex(std::max(0, m_dataset_filter->findData(chosen)));
}

store::RecordFilter DataPanel::currentFilter() const {
    store::RecordFilter filter;
    if (const qint64 dataset = m_dataset_filter->currentData().toLongLong(); dataset > 0) {
        filter.dataset_id = dataset;
    }
    filter.source = m_source_filter->currentData().toString().toStdString();
    filter.language = m_language_filter->currentData().toString().toStdString();
    filter.kind = static_cast<store::RecordKind>(m_kind_filter->currentData().toInt());
    if (m_min_length->value() > 0) {
        filter.min_length = m_min_length->value();
    }
    if (m_max_length->value() > 0) {
        filter.max_length = m_max_length->value();
    }
    filter.label = m_label_filter->currentData().toString().toStdString();
    filter.search = m_search->text().trimmed().toStdString();
    filter.ignore_diacritics = m_ignore_diacritics->isChecked();
    return filter;
}

void DataPanel::applyFilter() {
    m_search_delay.stop();
    if (m_project == nullptr) {
        return;
    }
    if (m_editor->hasUnsavedChanges()) {
        m_editor->save();
    }
    m_filter_error.clear();
    try {
        m_record_model->setFilter(currentFilter());
    } catch (const UserError& error) {
        // A search of only punctuation, a reversed length range: say so where the count goes.
        m_filter_error = QString::fromUtf8(error.what());
        // The table then lists the chosen dataset unfiltered.
        store::RecordFilter fallback;
        fallback.dataset_id = currentFilter().dataset_id;
        m_record_model->setFilter(fallback);
    }
    updateMatchCount();
}

void DataPanel::updateMatchCount() {
    if (!m_filter_error.isEmpty()) {
        m_match_count->setText(m_filter_error);
        m_match_count->setStyleSheet(QStringLiteral("color: #b00020;"));
        return;
    }
    m_match_count->setStyleSheet(QString());
    const QString count = QLocale().toString(static_cast<qint64>(m_record_model->rowCount()));
    m_match_count->setText(m_record_model->scanFinished()
                               ? tr("%1 record(s)", nullptr, m_record_model->rowCount()).arg(count)
                               : tr("%1+ records, still counting").arg(count));
}

void DataPanel::onRecordChanged() {
    const QModelIndex current = m_record_view->selectionModel()->currentIndex();
    const qint64 record_id =
        current.isValid() ? current.data(RecordTableModel::kRecordIdRole).toLongLong() : 0;
    if (record_id == m_editor->recordId()) {
        return;
    }
    if (m_editor->hasUnsavedChanges()) {
        // Moving on saves, as a spreadsheet does; a refused save keeps the record on show.
        if (!m_editor->save()) {
            return;
        }
    }
    m_editor->showRecord(record_id);
    m_annotations->setRecord(record_id);
}

void DataPanel::onDatasetChosen() {
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (current.isValid()) {
        const qint64 dataset = current.data(DatasetTableModel::kDatasetIdRole).toLongLong();
        m_dataset_filter->setCurrentIndex(std::max(0, m_dataset_filter->findData(dataset)));
    }
}

ImportDialog* DataPanel::showImportDialog() {
    if (m_project == nullptr || m_bulk_running) {
        return nullptr;
    }
    QStringList datasets;
    for (const store::DatasetInfo& dataset : m_project->datasets()) {
        datasets << QString::fromStdString(dataset.name);
    }
    auto* dialog = new ImportDialog(m_project->path(), datasets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::importFinished, this, [this](bool, const QString& summary) {
        // Files imported before a failure stay, so the panel reloads in every case.
        reloadAfterChange();
        m_bulk_status->setText(summary);
    });
    dialog->open();
    return dialog;
}

ExportDialog* DataPanel::showExportDialog() {
    if (m_project == nullptr) {
        return nullptr;
    }
    std::vector<std::pair<qint64, QString>> datasets;
    for (const store::DatasetInfo& dataset : m_project->datasets()) {
        datasets.emplace_back(dataset.id, QString::fromStdString(dataset.name));
    }
    store::RecordFilter filter;
    try {
        filter = currentFilter();
        store::RecordScan check(*m_project, filter);  // refuses a bad filter now, not in the worker
    } catch (const UserError&) {
        filter = store::RecordFilter();
        filter.dataset_id = currentFilter().dataset_id;
    }
    auto* dialog = new ExportDialog(m_project->path(), datasets, filter, matchingCountText(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

std::vector<std::int64_t> DataPanel::selectedRecordIds() const {
    std::vector<std::int64_t> ids;
    for (const QModelIndex& index : m_record_view->selectionModel()->selectedRows()) {
        ids.push_back(index.data(RecordTableModel::kRecordIdRole).toLongLong());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

QString DataPanel::matchingCountText() const {
    const QString count = QLocale().toString(static_cast<qint64>(m_record_model->rowCount()));
    return m_record_model->scanFinished() ? count : tr("%1+, counted before anything changes").arg(count);
}

void DataPanel::startBulkAction(BulkActionKind kind) {
    if (m_project == nullptr || m_bulk_running) {
        return;
    }
    const store::FilterChoices choices = store::filterChoices(*m_project);
    QStringList datasets;
    for (const store::DatasetInfo& dataset : m_project->datasets()) {
        datasets << QString::fromStdString(dataset.name);
    }
    QStringList labels;
    for (const std::string& label : choices.labels) {
        labels << QString::fromStdString(label);
    }
    BulkActionDialog dialog(kind, static_cast<int>(selectedRecordIds().size()), matchingCountText(), datasets,
                            labels, this);
    if (dialog.exec() == QDialog::Accepted) {
        runBulkAction(dialog.request());
    }
}

void DataPanel::runBulkAction(const BulkRequest& request) {
    if (m_project == nullptr || m_bulk_running) {
        return;
    }
    if (m_editor->hasUnsavedChanges() && !m_editor->save()) {
        return;
    }
    if (request.scope == BulkScope::Selected) {
        confirmAndRun(request, selectedRecordIds());
        return;
    }
    if (m_record_model->scanFinished()) {
        std::vector<std::int64_t> ids;
        ids.reserve(static_cast<std::size_t>(m_record_model->rowCount()));
        for (int row = 0; row < m_record_model->rowCount(); ++row) {
            ids.push_back(m_record_model->index(row, 0).data(RecordTableModel::kRecordIdRole).toLongLong());
        }
        confirmAndRun(request, ids);
        return;
    }
    // The scan has not reached the end: count the matches on a worker first.
    auto ids = std::make_shared<std::vector<std::int64_t>>();
    const std::string path = m_project->path();
    const store::RecordFilter filter = m_record_model->filter();
    m_bulk_running = true;
    auto* job = new StoreJob(
        this, tr("Counting the matching records…"), [ids, path, filter](const store::BulkProgress& progress) {
            const store::ProjectStore project = store::ProjectStore::open(path, store::OpenMode::ReadOnly);
            *ids = store::matchingRecordIds(project, filter, progress);
        });
    connect(job, &StoreJob::finished, this, [this, request, ids](bool cancelled, const QString& error) {
        m_bulk_running = false;
        if (cancelled || !error.isEmpty()) {
            finishBulk(cancelled ? tr("Cancelled; nothing was changed.")
                                 : tr("Nothing was changed: %1").arg(error));
            return;
        }
        confirmAndRun(request, *ids);
    });
    job->start();
}

void DataPanel::confirmAndRun(const BulkRequest& request, const std::vector<std::int64_t>& ids) {
    const int count = static_cast<int>(ids.size());
    if (count == 0) {
        finishBulk(tr("No records to work on: select some, or choose every record matching the filter."));
        return;
    }
    const QString number = QLocale().toString(count);
    QString question;
    switch (request.kind) {
        case BulkActionKind::TextChecks:
            question = tr("Run the text checks on %1 record(s)?", nullptr, count).arg(number);
            break;
        case BulkActionKind::Duplicates:
            question =
                request.duplicates.action == store::DuplicateAction::Delete
                    ? tr("Look for duplicates among %1 record(s) and delete them, keeping the first of each "
                         "group? This cannot be undone.",
                         nullptr, count)
                          .arg(number)
                    : tr("Look for duplicates among %1 record(s) and tag them?", nullptr, count).arg(number);
            break;
        case BulkActionKind::AddTag:
            question = tr("Tag %1 record(s) \"%2\"?", nullptr, count).arg(number, request.tag);
            break;
        case BulkActionKind::RemoveTag:
            question =
                tr("Remove the tag \"%2\" from %1 record(s)?", nullptr, count).arg(number, request.tag);
            break;
        case BulkActionKind::Delete:
            question = tr("Delete %1 record(s) with their labels and rankings? This cannot be undone.",
                          nullptr, count)
                           .arg(number);
            break;
        case BulkActionKind::Transfer:
            question =
                request.mode == store::TransferMode::Move
                    ? tr("Move %1 record(s) to dataset \"%2\"?", nullptr, count).arg(number, request.dataset)
                    : tr("Copy %1 record(s) to dataset \"%2\"?", nullptr, count).arg(number, request.dataset);
            break;
        case BulkActionKind::Invalid:
            return;
    }
    QMessageBox box(request.kind == BulkActionKind::Delete ? QMessageBox::Warning : QMessageBox::Question,
                    BulkActionDialog::actionText(request.kind).remove(QStringLiteral("…")), question,
                    QMessageBox::Yes | QMessageBox::Cancel, this);
    box.setDefaultButton(request.kind == BulkActionKind::Delete ? QMessageBox::Cancel : QMessageBox::Yes);
    if (box.exec() != QMessageBox::Yes) {
        finishBulk(tr("Nothing was changed."));
        return;
    }
    auto result = std::make_shared<store::BulkResult>();
    const std::string path = m_project->path();
    const std::string annotator = m_annotations->annotatorName().toStdString();
    auto* job = new StoreJob(
        this, BulkActionDialog::actionText(request.kind).remove(QStringLiteral("…")),
        [=](const store::BulkProgress& progress) {
            store::ProjectStore project = store::ProjectStore::open(path, store::OpenMode::ReadWrite);
            switch (request.kind) {
                case BulkActionKind::TextChecks:
                    *result = store::runTextChecks(project, ids, request.checks, progress);
                    break;
                case BulkActionKind::Duplicates:
                    *result = store::markDuplicates(project, ids, request.duplicates, progress);
                    break;
                case BulkActionKind::AddTag:
                    *result = store::addTag(project, ids, request.tag.toStdString(), annotator, progress);
                    break;
                case BulkActionKind::RemoveTag:
                    *result = store::removeTag(project, ids, request.tag.toStdString(), progress);
                    break;
                case BulkActionKind::Delete:
                    *result = store::deleteRecords(project, ids, progress);
                    break;
                case BulkActionKind::Transfer:
                    *result = store::transferRecords(project, ids, request.dataset.toStdString(),
                                                     request.mode, progress);
                    break;
                case BulkActionKind::Invalid:
                    break;
            }
        });
    connect(job, &StoreJob::finished, this, [this, request, result](bool cancelled, const QString& error) {
        m_bulk_running = false;
        if (cancelled || !error.isEmpty()) {
            finishBulk(cancelled ? tr("Cancelled; nothing was changed.")
                                 : tr("Nothing was changed: %1").arg(error));
            return;
        }
        const QLocale locale;
        const QString changed = locale.toString(static_cast<qint64>(result->changed));
        QString summary;
        switch (request.kind) {
            case BulkActionKind::TextChecks:
            case BulkActionKind::Duplicates: {
                QStringList counts;
                for (const auto& [name, found] : result->counts) {
                    counts << QStringLiteral("%1 %2").arg(QString::fromStdString(name),
                                                          locale.toString(static_cast<qint64>(found)));
                }
                summary = tr("%1 of %2 records changed.")
                              .arg(changed, locale.toString(static_cast<qint64>(result->records)));
                if (!counts.isEmpty()) {
                    summary += QLatin1Char(' ') +
                               tr("Labels and findings: %1.").arg(counts.join(QStringLiteral(", ")));
                }
                break;
            }
            case BulkActionKind::AddTag:
                summary = tr("Tagged %1 records \"%2\".").arg(changed, request.tag);
                break;
            case BulkActionKind::RemoveTag:
                summary = tr("Removed the tag \"%2\" from %1 records.").arg(changed, request.tag);
                break;
            case BulkActionKind::Delete:
                summary = tr("Deleted %1 records.").arg(changed);
                break;
            case BulkActionKind::Transfer:
                summary = request.mode == store::TransferMode::Move
                              ? tr("Moved %1 records to dataset \"%2\".").arg(changed, request.dataset)
                              : tr("Copied %1 records to dataset \"%2\".").arg(changed, request.dataset);
                break;
            case BulkActionKind::Invalid:
                break;
        }
        reloadAfterChange();
        finishBulk(summary);
    });
    m_bulk_running = true;
    job->start();
}

void DataPanel::finishBulk(const QString& summary) {
    m_bulk_status->setText(summary);
    emit bulkFinished(summary);
}

void DataPanel::reloadAfterChange() {
    if (m_project == nullptr) {
        return;
    }
    m_model->reload();
    refillChoices();
    // New datasets need their names in the record table; the filter then applies again.
    m_record_model->setProject(m_project);
    applyFilter();
    updatePage();
    retranslateUi();
}

void DataPanel::updatePage() {
    if (!m_has_project) {
        m_pages->setCurrentWidget(m_no_project_page);
    } else if (m_model->rowCount() == 0) {
        m_pages->setCurrentWidget(m_no_datasets_page);
    } else {
        m_pages->setCurrentWidget(m_content);
    }
    m_summary_label->setVisible(m_has_project);
}

void DataPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void DataPanel::retranslateUi() {
    m_title_label->setText(tr("Datasets"));
    const int datasets = m_model->rowCount();
    m_summary_label->setText(tr("%n dataset(s), %1 records in all", nullptr, datasets)
                                 .arg(QLocale().toString(m_model->totalRecords())));
    m_no_project_label->setText(
        tr("No project is open. Create a project (Ctrl+N) or open one (Ctrl+O) to see its datasets."));
    m_open_button->setText(tr("&Open Project…"));
    m_no_datasets_label->setText(
        tr("This project has no datasets yet. Import instruction or preference data (Alpaca, Dolly, "
           "ShareGPT, prompt-response, Open-Assistant trees, HH-RLHF, messages, preference pairs), or "
           "from the command line, for example:\n\nvietllm-cli project import PROJECT.vietllm --format "
           "alpaca FILE.json"));
    m_empty_import_button->setText(tr("&Import Data…"));
    m_import_button->setText(tr("&Import…"));
    m_import_button->setToolTip(tr("Import data files into a new or existing dataset"));
    m_export_button->setText(tr("E&xport…"));
    m_export_button->setToolTip(tr("Write datasets or the records matching the filter to a file"));
    m_bulk_button->setText(tr("Bulk &actions"));
    m_bulk_button->setToolTip(
        tr("Text checks, duplicates, tags, delete (Del), move or copy: on the selected records or on every "
           "record matching the filter"));
    for (QAction* action : m_bulk_button->menu()->actions()) {
        action->setText(BulkActionDialog::actionText(static_cast<BulkActionKind>(action->data().toInt())));
    }
    m_model->retranslate();

    m_search->setPlaceholderText(tr("Search messages (Ctrl+F): words, \"a phrase\", prefix*"));
    m_ignore_diacritics->setText(tr("Ignore &diacritics"));
    m_ignore_diacritics->setToolTip(tr("Find \"hòa bình\" by typing \"hoa binh\" (đ matches d)"));
    m_dataset_label->setText(tr("Data&set:"));
    m_dataset_filter->setItemText(0, tr("All"));
    m_source_label->setText(tr("So&urce:"));
    m_source_filter->setItemText(0, tr("All"));
    m_language_label->setText(tr("Lan&guage:"));
    m_language_filter->setItemText(0, tr("All"));
    m_kind_label->setText(tr("&Kind:"));
    m_kind_filter->setItemText(0, tr("All"));
    for (int i = 1; i < m_kind_filter->count(); ++i) {
        m_kind_filter->setItemText(
            i,
            RecordTableModel::kindText(static_cast<store::RecordKind>(m_kind_filter->itemData(i).toInt())));
    }
    m_label_label->setText(tr("La&bel:"));
    m_label_filter->setItemText(0, tr("Any"));
    m_length_label->setText(tr("&Length:"));
    m_min_length->setSpecialValueText(tr("min"));
    m_max_length->setSpecialValueText(tr("max"));
    m_record_model->retranslate();
    updateMatchCount();
}

}  // namespace vietllm::widgets
