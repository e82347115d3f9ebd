#include "widgets/data_panel.h"

#include "widgets/models/dataset_table_model.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace vietllm::widgets {

DataPanel::DataPanel(QWidget* parent)
    : QWidget(parent),
      m_title_label(new QLabel(this)),
      m_summary_label(new QLabel(this)),
      m_pages(new QStackedWidget(this)),
      m_no_project_page(new QWidget(m_pages)),
      m_no_project_label(new QLabel(m_no_project_page)),
      m_open_button(new QPushButton(m_no_project_page)),
      m_no_datasets_label(new QLabel(m_pages)),
      m_view(new QTableView(m_pages)),
      m_model(new DatasetTableModel(this)),
      m_sorted(new QSortFilterProxyModel(this)) {
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

    m_pages->addWidget(m_no_project_page);
    m_pages->addWidget(m_no_datasets_label);
    m_pages->addWidget(m_view);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addWidget(m_title_label);
    layout->addWidget(m_summary_label);
    layout->addSpacing(8);
    layout->addWidget(m_pages, 1);

    connect(m_open_button, &QPushButton::clicked, this, &DataPanel::openProjectRequested);
    retranslateUi();
    updatePage();
}

void DataPanel::setProject(const store::ProjectStore* project) {
    // Show "no project" until the datasets are read, so a store error leaves a consistent page.
    m_has_project = false;
    updatePage();
    m_model->setProject(project);
    m_has_project = project != nullptr;
    updatePage();
    retranslateUi();
}

void DataPanel::updatePage() {
    if (!m_has_project) {
        m_pages->setCurrentWidget(m_no_project_page);
    } else if (m_model->rowCount() == 0) {
        m_pages->setCurrentWidget(m_no_datasets_label);
    } else {
        m_pages->setCurrentWidget(m_view);
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
}

}  // namespace vietllm::widgets
