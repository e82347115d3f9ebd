#include "widgets/data_panel.h"

#include "backend/common/errors.h"
#include "backend/store/project_store.h"
#include "backend/store/record_browser.h"
#include "widgets/annotation_panel.h"
#include "widgets/models/dataset_table_model.h"
#include "widgets/models/record_table_model.h"
#include "widgets/record_editor.h"

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
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

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
      m_no_datasets_label(new QLabel(m_pages)),
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
    m_pages->addWidget(m_no_datasets_label);
    m_pages->addWidget(m_content);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addWidget(m_title_label);
    layout->addWidget(m_summary_label);
    layout->addSpacing(8);
    layout->addWidget(m_pages, 1);

    connect(m_open_button, &QPushButton::clicked, this, &DataPanel::openProjectRequested);
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
    m_record_view->setSelectionMode(QAbstractItemView::SingleSelection);
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

void DataPanel::updatePage() {
    if (!m_has_project) {
        m_pages->setCurrentWidget(m_no_project_page);
    } else if (m_model->rowCount() == 0) {
        m_pages->setCurrentWidget(m_no_datasets_label);
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
        tr("This project has no datasets yet. Import instruction or preference data from the command "
           "line, for example:\n\nvietllm-cli project import PROJECT.vietllm --format alpaca FILE.json\n\n"
           "Run vietllm-cli project --help for every format and option."));
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
