#include "widgets/start_page.h"

#include "widgets/models/recent_projects_model.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

namespace vietllm::widgets {

StartPage::StartPage(QWidget* parent)
    : QWidget(parent),
      m_subtitle_label(new QLabel(this)),
      m_new_button(new QPushButton(this)),
      m_open_button(new QPushButton(this)),
      m_recent_label(new QLabel(this)),
      m_no_recent_label(new QLabel(this)),
      m_recent_view(new QListView(this)),
      m_recent_model(new RecentProjectsModel(this)) {
    auto* title_label = new QLabel(QStringLiteral("vietllm"), this);
    QFont title_font = title_label->font();
    title_font.setPointSizeF(title_font.pointSizeF() * 2.0);
    title_font.setBold(true);
    title_label->setFont(title_font);
    m_subtitle_label->setWordWrap(true);

    QFont heading_font = m_recent_label->font();
    heading_font.setBold(true);
    m_recent_label->setFont(heading_font);
    m_recent_label->setBuddy(m_recent_view);

    m_recent_view->setModel(m_recent_model);
    m_recent_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_recent_view->setUniformItemSizes(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_new_button);
    buttons->addWidget(m_open_button);
    buttons->addStretch();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addWidget(title_label);
    layout->addWidget(m_subtitle_label);
    layout->addSpacing(12);
    layout->addLayout(buttons);
    layout->addSpacing(12);
    layout->addWidget(m_recent_label);
    layout->addWidget(m_no_recent_label);
    layout->addWidget(m_recent_view, 1);
    // Takes the free space while the recent list is hidden, so the texts stay together at the top.
    layout->addStretch(0);

    connect(m_new_button, &QPushButton::clicked, this, &StartPage::newProjectRequested);
    connect(m_open_button, &QPushButton::clicked, this, &StartPage::openProjectRequested);
    connect(m_recent_view, &QListView::activated, this, [this](const QModelIndex& index) {
        emit recentProjectActivated(index.data(RecentProjectsModel::kPathRole).toString());
    });
    setRecentProjects({});
    retranslateUi();
}

void StartPage::setRecentProjects(const QStringList& paths) {
    m_recent_model->setPaths(paths);
    m_no_recent_label->setVisible(paths.isEmpty());
    m_recent_view->setVisible(!paths.isEmpty());
}

void StartPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void StartPage::retranslateUi() {
    m_subtitle_label->setText(
        tr("A workbench for Vietnamese language models: prepare data, rank answers, train, chat and "
           "evaluate, all on this computer."));
    m_new_button->setText(tr("&New Project…"));
    m_new_button->setToolTip(tr("Create an empty project file (Ctrl+N)"));
    m_open_button->setText(tr("&Open Project…"));
    m_open_button->setToolTip(tr("Open an existing project file (Ctrl+O)"));
    m_recent_label->setText(tr("&Recent projects"));
    m_no_recent_label->setText(tr("No recent projects yet. Projects you open will be listed here."));
}

}  // namespace vietllm::widgets
