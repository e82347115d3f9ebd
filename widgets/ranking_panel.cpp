#include "widgets/ranking_panel.h"

#include "backend/common/errors.h"
#include "backend/store/project_store.h"
#include "widgets/annotation_panel.h"
#include "widgets/consensus_view.h"
#include "widgets/models/ranking_order_model.h"
#include "widgets/models/ranking_tree_model.h"
#include "widgets/models/turn_list_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QThread>
#include <QTreeView>
#include <QVBoxLayout>
#include <functional>
#include <limits>

namespace vietllm::widgets {

namespace {

// Candidates the keys can reach (1-9); tasks created here have at most four.
constexpr int kMaxKeyCandidates = 9;

QString conversationHtml(const std::vector<data::Message>& messages) {
    QString html;
    for (const data::Message& message : messages) {
        html += QStringLiteral("<p><b>%1</b><br>%2</p>")
                    .arg(TurnListModel::roleText(message.role).toHtmlEscaped(),
                         QString::fromStdString(message.content)
                             .toHtmlEscaped()
                             .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    }
    return html;
}

QString keyTableHtml(const QString& key_header, const QString& action_header,
                     const QList<QPair<QString, QString>>& rows) {
    QString table =
        QStringLiteral(
            "<table cellspacing=\"2\"><tr><th align=\"left\">%1</th><th align=\"left\">%2</th></tr>")
            .arg(key_header, action_header);
    for (const auto& [keys, action] : rows) {
        table += QStringLiteral("<tr><td><tt>%1</tt>&nbsp;&nbsp;</td><td>%2</td></tr>")
                     .arg(keys.toHtmlEscaped(), action.toHtmlEscaped());
    }
    return table + QStringLiteral("</table>");
}

}  // namespace

// What the worker thread hands back to the GUI thread.
struct RankingPanel::GenerationOutcome {
    std::atomic<bool> cancel{false};
    std::vector<GeneratedCandidate> candidates;
    QString error;
};

RankingPanel::RankingPanel(QWidget* parent)
    : QWidget(parent), m_tabs(new QTabWidget(this)), m_order_model(new RankingOrderModel(this)) {
    m_tree_model = new RankingTreeModel(this);
    m_tabs->addTab(buildRankPage(), QString());
    m_tabs->addTab(buildTreePage(), QString());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_tabs);
    installShortcuts();
    connect(m_order_model, &RankingOrderModel::placesChanged, this, &RankingPanel::updateCards);
    retranslateUi();
    updateEnabled();
}

RankingPanel::~RankingPanel() {
    cancelGeneration();
    if (m_worker != nullptr) {
        m_worker->wait();
    }
}

QWidget* RankingPanel::buildRankPage() {
    m_rank_page = new QWidget(this);
    m_rank_page->setFocusPolicy(Qt::StrongFocus);
    m_annotator_label = new QLabel(m_rank_page);
    m_annotator = new QComboBox(m_rank_page);
    m_annotator->setMinimumContentsLength(12);
    m_annotator_label->setBuddy(m_annotator);
    m_new_annotator = new QPushButton(m_rank_page);
    m_dataset_label = new QLabel(m_rank_page);
    m_dataset = new QComboBox(m_rank_page);
    m_dataset->setMinimumContentsLength(14);
    m_dataset_label->setBuddy(m_dataset);
    m_required_label = new QLabel(m_rank_page);
    m_required = new QSpinBox(m_rank_page);
    m_required->setRange(1, 20);
    m_required->setValue(3);
    m_required_label->setBuddy(m_required);
    m_create_tasks = new QPushButton(m_rank_page);
    m_progress = new QLabel(m_rank_page);
    m_progress->setWordWrap(true);
    auto* who = new QHBoxLayout;
    for (QWidget* widget : std::initializer_list<QWidget*>{m_annotator_label, m_annotator, m_new_annotator}) {
        who->addWidget(widget);
    }
    who->addWidget(m_progress, 1);
    auto* tasks = new QHBoxLayout;
    for (QWidget* widget : std::initializer_list<QWidget*>{m_dataset_label, m_dataset, m_required_label,
                                                           m_required, m_create_tasks}) {
        tasks->addWidget(widget);
    }
    tasks->addStretch();

    m_prompt_title = new QLabel(m_rank_page);
    m_prompt = new QTextBrowser(m_rank_page);
    m_prompt->setFocusPolicy(Qt::NoFocus);
    m_cards_area = new QWidget(m_rank_page);
    new QGridLayout(m_cards_area);
    m_cards_area->installEventFilter(this);
    auto* splitter = new QSplitter(Qt::Vertical, m_rank_page);
    auto* prompt_box = new QWidget(splitter);
    auto* prompt_layout = new QVBoxLayout(prompt_box);
    prompt_layout->setContentsMargins(0, 0, 0, 0);
    prompt_layout->addWidget(m_prompt_title);
    prompt_layout->addWidget(m_prompt);
    splitter->addWidget(prompt_box);
    splitter->addWidget(m_cards_area);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({150, 450});

    m_order_title = new QLabel(m_rank_page);
    m_order_view = new QListView(m_rank_page);
    m_order_view->setModel(m_order_model);
    m_order_view->setFocusPolicy(Qt::NoFocus);
    m_order_view->setDragEnabled(true);
    m_order_view->setAcceptDrops(true);
    m_order_view->setDropIndicatorShown(true);
    m_order_view->setDragDropMode(QAbstractItemView::InternalMove);
    m_order_view->setDefaultDropAction(Qt::MoveAction);
    m_order_view->setMaximumHeight(120);
    m_all_bad = new QCheckBox(m_rank_page);
    m_all_bad->setFocusPolicy(Qt::NoFocus);
    m_reason = new QLineEdit(m_rank_page);
    m_submit = new QPushButton(m_rank_page);
    m_skip = new QPushButton(m_rank_page);
    m_draft = new QPushButton(m_rank_page);
    for (QPushButton* button : {m_new_annotator, m_create_tasks, m_submit, m_skip, m_draft}) {
        button->setFocusPolicy(Qt::NoFocus);
    }
    m_keys = new QLabel(m_rank_page);
    m_keys->setTextFormat(Qt::RichText);
    m_keys->setWordWrap(true);
    m_message = new QLabel(m_rank_page);
    m_message->setWordWrap(true);

    auto* side = new QVBoxLayout;
    side->addWidget(m_order_title);
    side->addWidget(m_order_view);
    side->addWidget(m_all_bad);
    side->addWidget(m_reason);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_submit);
    buttons->addWidget(m_skip);
    buttons->addWidget(m_draft);
    side->addLayout(buttons);
    side->addWidget(m_keys);
    side->addWidget(m_message);
    side->addStretch();
    auto* side_box = new QWidget(m_rank_page);
    side_box->setLayout(side);
    side_box->setFixedWidth(340);

    auto* middle = new QHBoxLayout;
    middle->addWidget(splitter, 1);
    middle->addWidget(side_box);
    auto* layout = new QVBoxLayout(m_rank_page);
    layout->addLayout(who);
    layout->addLayout(tasks);
    layout->addLayout(middle, 1);

    connect(m_new_annotator, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("New annotator"), tr("Annotator name:"),
                                                   QLineEdit::Normal, QString(), &ok);
        if (ok) {
            addAnnotator(name);
        }
    });
    connect(m_annotator, QOverload<int>::of(&QComboBox::currentIndexChanged), this, [this] { resetQueue(); });
    connect(m_dataset, QOverload<int>::of(&QComboBox::currentIndexChanged), this, [this] { resetQueue(); });
    connect(m_create_tasks, &QPushButton::clicked, this, [this] { createTasks(); });
    connect(m_all_bad, &QCheckBox::toggled, this, [this] { updateCards(); });
    connect(m_submit, &QPushButton::clicked, this, &RankingPanel::submit);
    connect(m_skip, &QPushButton::clicked, this, &RankingPanel::skip);
    connect(m_draft, &QPushButton::clicked, this, &RankingPanel::saveDraft);
    auto* leave_reason =
        new QShortcut(QKeySequence(Qt::Key_Escape), m_reason, nullptr, nullptr, Qt::WidgetShortcut);
    connect(leave_reason, &QShortcut::activated, m_rank_page, [this] { m_rank_page->setFocus(); });
    return m_rank_page;
}

QWidget* RankingPanel::buildTreePage() {
    m_tree_page = new QWidget(this);
    m_tree_hint = new QLabel(m_tree_page);
    m_tree_hint->setWordWrap(true);
    m_record_label = new QLabel(m_tree_page);
    m_record_box = new QSpinBox(m_tree_page);
    m_record_box->setRange(0, std::numeric_limits<int>::max());
    m_record_box->setSpecialValueText(QStringLiteral("–"));
    m_record_label->setBuddy(m_record_box);
    m_tree_view = new QTreeView(m_tree_page);
    m_tree_view->setModel(m_tree_model);
    m_tree_view->setHeaderHidden(true);
    m_tree_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_add_message = new QPushButton(m_tree_page);
    m_generate = new QPushButton(m_tree_page);
    m_cancel_generation = new QPushButton(m_tree_page);
    m_generation_progress = new QProgressBar(m_tree_page);
    m_generation_progress->setVisible(false);
    m_cancel_generation->setVisible(false);
    m_review = new AnnotationPanel(m_tree_page);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add_message);
    buttons->addWidget(m_generate);
    buttons->addWidget(m_generation_progress, 1);
    buttons->addWidget(m_cancel_generation);
    buttons->addStretch();
    auto* record_row = new QHBoxLayout;
    record_row->addWidget(m_record_label);
    record_row->addWidget(m_record_box);
    record_row->addStretch();
    auto* left = new QVBoxLayout;
    left->addLayout(record_row);
    left->addWidget(m_tree_hint);
    left->addWidget(m_tree_view, 1);
    left->addLayout(buttons);
    auto* layout = new QHBoxLayout(m_tree_page);
    layout->addLayout(left, 1);
    m_review->setFixedWidth(340);
    layout->addWidget(m_review);
    connect(m_tree_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &RankingPanel::onTreeSelection);
    connect(m_record_box, &QSpinBox::editingFinished, this, [this] {
        if (m_record_box->value() != m_tree_record_id) {
            showTree(m_record_box->value(), 0);
        }
    });
    connect(m_add_message, &QPushButton::clicked, this, &RankingPanel::askForMessage);
    connect(m_generate, &QPushButton::clicked, this, &RankingPanel::askForGeneration);
    connect(m_cancel_generation, &QPushButton::clicked, this, &RankingPanel::cancelGeneration);
    return m_tree_page;
}

void RankingPanel::installShortcuts() {
    const auto add = [this](const QKeySequence& keys, const std::function<void()>& action) {
        auto* shortcut = new QShortcut(keys, m_rank_page, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, action);
    };
    for (int i = 0; i < kMaxKeyCandidates; ++i) {
        add(QKeySequence(static_cast<Qt::Key>(Qt::Key_1 + i)), [this, i] { pick(i); });
    }
    add(QKeySequence(Qt::Key_Equal), [this] {
        if (m_task_id != 0) {
            m_order_model->tieNext();
            updateCards();
        }
    });
    add(QKeySequence(Qt::Key_Backspace), [this] { m_order_model->undo(); });
    add(QKeySequence(Qt::Key_B), [this] { toggleAllBad(); });
    add(QKeySequence(Qt::Key_Return), [this] { submit(); });
    add(QKeySequence(Qt::Key_Enter), [this] { submit(); });
    add(QKeySequence(Qt::Key_S), [this] { skip(); });
    add(QKeySequence(Qt::Key_D), [this] { saveDraft(); });
    add(QKeySequence(Qt::CTRL | Qt::Key_S), [this] { saveDraft(); });
    add(QKeySequence(Qt::Key_F1), [this] { m_keys->setVisible(!m_keys->isVisible()); });
}

void RankingPanel::setProject(store::ProjectStore* project) {
    cancelGeneration();
    if (m_worker != nullptr) {
        m_worker->wait();
        finishGeneration();
    }
    m_project = project;
    m_review->setProject(project);
    showConsensusOf(project);
    m_tree_record_id = 0;
    m_tree_model->setMessages({});
    reloadDatasets();
    reloadAnnotators(m_annotator->currentText());
    resetQueue();
}

void RankingPanel::showConsensusOf(const store::ProjectStore* project) {
    if (m_consensus != nullptr) {
        m_tabs->removeTab(m_tabs->indexOf(m_consensus));
        delete m_consensus;  // waits for a refresh or merge in flight
        m_consensus = nullptr;
    }
    if (project != nullptr) {
        m_consensus = new ConsensusView(QString::fromStdString(project->path()), m_tabs);
        m_tabs->addTab(m_consensus, tr("Consensus"));
        m_consensus->refresh();
    }
}

void RankingPanel::reloadAnnotators(const QString& select) {
    const QSignalBlocker blocker(m_annotator);
    m_annotator->clear();
    if (m_project != nullptr) {
        for (const store::AnnotatorInfo& annotator : store::humanAnnotators(*m_project)) {
            m_annotator->addItem(QString::fromStdString(annotator.name),
                                 QVariant::fromValue<qint64>(annotator.id));
        }
    }
    const int found = m_annotator->findText(select);
    m_annotator->setCurrentIndex(found >= 0 ? found : 0);
}

void RankingPanel::reloadDatasets() {
    const QSignalBlocker blocker(m_dataset);
    m_dataset->clear();
    m_dataset->addItem(tr("All datasets"), QVariant::fromValue<qint64>(0));
    if (m_project != nullptr) {
        for (const store::DatasetInfo& dataset : m_project->datasets()) {
            m_dataset->addItem(QString::fromStdString(dataset.name), QVariant::fromValue<qint64>(dataset.id));
        }
    }
}

bool RankingPanel::addAnnotator(const QString& name) {
    if (m_project == nullptr) {
        return false;
    }
    try {
        store::Annotations(*m_project)
            .addAnnotator(name.trimmed().toStdString(), store::AnnotatorKind::Human);
    } catch (const UserError& error) {
        showError(QString::fromUtf8(error.what()));
        return false;
    }
    reloadAnnotators(name.trimmed());
    resetQueue();
    return true;
}

bool RankingPanel::selectAnnotator(const QString& name) {
    const int index = m_annotator->findText(name);
    if (index < 0) {
        return false;
    }
    m_annotator->setCurrentIndex(index);
    return true;
}

qint64 RankingPanel::createTasks() {
    if (m_project == nullptr) {
        return 0;
    }
    const qint64 dataset = m_dataset->currentData().toLongLong();
    try {
        const qint64 created = store::createRankingTasks(
            *m_project, dataset > 0 ? std::optional<std::int64_t>(dataset) : std::nullopt,
            m_required->value());
        showInfo(tr("%n ranking task(s) created.", nullptr, static_cast<int>(created)));
        if (m_task_id == 0) {
            loadNextTask(0);
        }
        updateProgress();
        return created;
    } catch (const UserError& error) {
        showError(QString::fromUtf8(error.what()));
        return 0;
    }
}

void RankingPanel::resetQueue() {
    m_queue.reset();
    m_annotator_id = 0;
    if (m_project != nullptr && m_annotator->currentIndex() >= 0) {
        m_annotator_id = m_annotator->currentData().toLongLong();
        const qint64 dataset = m_dataset->currentData().toLongLong();
        m_queue = std::make_unique<store::RankingQueue>(
            *m_project, m_annotator_id, dataset > 0 ? std::optional<std::int64_t>(dataset) : std::nullopt);
        m_review->setAnnotatorName(m_annotator->currentText());
    }
    m_message->clear();
    loadNextTask(0);
    if (m_project != nullptr && m_queue == nullptr) {
        showInfo(tr("Create an annotator profile (New annotator…) to start ranking."));
    }
}

void RankingPanel::loadNextTask(qint64 after_task_id) {
    const std::optional<std::int64_t> next = m_queue ? m_queue->nextTask(after_task_id) : std::nullopt;
    if (next) {
        showTask(*next);
    } else {
        clearTask();
    }
    updateProgress();
    updateEnabled();
}

void RankingPanel::clearTask() {
    m_task_id = 0;
    m_shown.clear();
    m_prompt->setHtml(m_queue
                          ? tr("<p>No task waiting. Create tasks from a dataset, or grow a conversation tree "
                               "and generate candidates.</p>")
                          : QString());
    m_order_model->reset(0);
    {
        const QSignalBlocker blocker(m_all_bad);
        m_all_bad->setChecked(false);
    }
    m_reason->clear();
    layoutCards();
}

void RankingPanel::showTask(qint64 task_id) {
    const store::RankingTaskView view = store::rankingTaskView(*m_project, task_id);
    m_task_id = task_id;
    m_shown = m_queue->shownCandidates(task_id);
    m_prompt->setHtml(conversationHtml(view.prompt));
    layoutCards();
    for (std::size_t i = 0; i < m_shown.size(); ++i) {
        for (const store::TreeMessage& candidate : view.candidates) {
            if (candidate.id == m_shown[i]) {
                m_cards[i].text->setPlainText(QString::fromStdString(candidate.content));
            }
        }
    }
    m_order_model->reset(static_cast<int>(m_shown.size()));
    const std::optional<store::RankingDraft> draft = m_queue->draft(task_id);
    {
        const QSignalBlocker blocker(m_all_bad);
        m_all_bad->setChecked(draft && draft->all_bad);
    }
    m_reason->setText(draft ? QString::fromStdString(draft->reason) : QString());
    if (draft) {
        m_order_model->setPlaces(draft->places);
        showInfo(tr("Draft restored."));
    }
    updateCards();
    showTree(view.record_id, view.parent_message_id);
}

void RankingPanel::layoutCards() {
    auto* grid = static_cast<QGridLayout*>(m_cards_area->layout());
    const std::size_t count = m_shown.size();
    while (m_cards.size() < count) {
        Card card;
        card.frame = new QFrame(m_cards_area);
        card.frame->setObjectName(QStringLiteral("rankingCard"));
        card.frame->setFrameShape(QFrame::StyledPanel);
        card.header = new QLabel(card.frame);
        QFont bold = card.header->font();
        bold.setBold(true);
        card.header->setFont(bold);
        card.text = new QTextBrowser(card.frame);
        card.text->setFocusPolicy(Qt::NoFocus);
        auto* layout = new QVBoxLayout(card.frame);
        layout->addWidget(card.header);
        layout->addWidget(card.text);
        m_cards.push_back(card);
    }
    for (int row = 0; row < grid->rowCount(); ++row) {
        grid->setRowStretch(row, 0);
    }
    for (int column = 0; column < grid->columnCount(); ++column) {
        grid->setColumnStretch(column, 0);
    }
    for (const Card& card : m_cards) {
        grid->removeWidget(card.frame);
        card.frame->hide();
    }
    const int width = m_cards_area->width();
    m_side_by_side = count == 0 || width >= kMinCardWidth * static_cast<int>(count);
    for (std::size_t i = 0; i < count; ++i) {
        const int index = static_cast<int>(i);
        const int row = m_side_by_side ? 0 : index;
        const int column = m_side_by_side ? index : 0;
        grid->addWidget(m_cards[i].frame, row, column);
        grid->setRowStretch(row, 1);
        grid->setColumnStretch(column, 1);
        m_cards[i].frame->show();
    }
}

void RankingPanel::updateCards() {
    for (std::size_t i = 0; i < m_shown.size(); ++i) {
        const int position = static_cast<int>(i);
        const int place = m_order_model->placeOf(position);
        QString header = tr("Reply %1 (key %2)").arg(RankingOrderModel::letter(position)).arg(position + 1);
        if (place > 0) {
            header += QStringLiteral(" — ") + tr("place %1").arg(place);
        }
        m_cards[i].header->setText(header);
        m_cards[i].frame->setStyleSheet(
            place > 0 ? QStringLiteral("QFrame#rankingCard { border: 2px solid #2e7d32; }") : QString());
    }
    m_reason->setEnabled(m_task_id != 0 && m_all_bad->isChecked());
    m_submit->setEnabled(m_task_id != 0 && (m_order_model->isComplete() || m_all_bad->isChecked()));
}

void RankingPanel::updateProgress() {
    if (!m_queue) {
        m_progress->clear();
        return;
    }
    const store::RankingProgress progress = m_queue->progress();
    m_progress->setText(tr("%1 / %2 tasks ranked, %3 skipped, %4 drafts")
                            .arg(progress.ranked)
                            .arg(progress.total)
                            .arg(progress.skipped)
                            .arg(progress.drafts));
}

void RankingPanel::updateEnabled() {
    const bool has_project = m_project != nullptr;
    m_new_annotator->setEnabled(has_project);
    m_create_tasks->setEnabled(has_project);
    m_annotator->setEnabled(has_project);
    m_dataset->setEnabled(has_project);
    const bool has_task = m_task_id != 0;
    m_all_bad->setEnabled(has_task);
    m_skip->setEnabled(has_task);
    m_draft->setEnabled(has_task);
    const QModelIndex current = m_tree_view->currentIndex();
    const bool can_grow = has_project && current.isValid() && m_worker == nullptr;
    m_add_message->setEnabled(can_grow);
    m_generate->setEnabled(can_grow && m_tree_model->role(current) == data::Role::User);
    updateCards();
}

void RankingPanel::pick(int shown_position) {
    if (m_task_id != 0) {
        m_order_model->pick(shown_position);
    }
}

void RankingPanel::toggleAllBad() {
    if (m_task_id == 0) {
        return;
    }
    m_all_bad->toggle();
    if (m_all_bad->isChecked()) {
        m_reason->setFocus();
    }
}

store::RankingDraft RankingPanel::currentRanking() const {
    return {m_order_model->places(), m_all_bad->isChecked(), m_reason->text().trimmed().toStdString()};
}

void RankingPanel::submit() {
    if (m_task_id == 0 || !m_queue) {
        return;
    }
    if (!m_order_model->isComplete() && !m_all_bad->isChecked()) {
        showError(tr("Give every reply a place (keys 1–%1), or mark them all bad (B).").arg(m_shown.size()));
        return;
    }
    try {
        m_queue->submit(m_task_id, currentRanking());
    } catch (const UserError& error) {
        showError(QString::fromUtf8(error.what()));
        return;
    }
    const qint64 done = m_task_id;
    m_rank_page->setFocus();
    loadNextTask(done);
    showInfo(tr("Ranking saved."));
}

void RankingPanel::skip() {
    if (m_task_id == 0 || !m_queue) {
        return;
    }
    try {
        m_queue->skip(m_task_id);
    } catch (const UserError& error) {
        showError(QString::fromUtf8(error.what()));
        return;
    }
    loadNextTask(m_task_id);
    showInfo(tr("Task skipped."));
}

void RankingPanel::saveDraft() {
    if (m_task_id == 0 || !m_queue) {
        return;
    }
    try {
        m_queue->saveDraft(m_task_id, currentRanking());
    } catch (const UserError& error) {
        showError(QString::fromUtf8(error.what()));
        return;
    }
    updateProgress();
    showInfo(tr("Draft saved."));
}

void RankingPanel::showError(const QString& text) {
    m_message->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_message->setText(text);
}

void RankingPanel::showInfo(const QString& text) {
    m_message->setStyleSheet(QString());
    m_message->setText(text);
}

QTextBrowser* RankingPanel::cardText(int shown_position) const {
    return shown_position >= 0 && static_cast<std::size_t>(shown_position) < m_shown.size()
               ? m_cards[static_cast<std::size_t>(shown_position)].text
               : nullptr;
}

void RankingPanel::showTree(qint64 record_id, qint64 select_message_id) {
    m_tree_record_id = record_id;
    {
        const QSignalBlocker blocker(m_record_box);
        m_record_box->setValue(static_cast<int>(record_id));
    }
    m_tree_model->setMessages(m_project != nullptr && record_id != 0
                                  ? store::recordMessages(*m_project, record_id)
                                  : std::vector<store::TreeMessage>());
    m_tree_view->expandAll();
    const QModelIndex selected = m_tree_model->indexOfMessage(select_message_id);
    if (selected.isValid()) {
        m_tree_view->setCurrentIndex(selected);
    }
    onTreeSelection();
}

void RankingPanel::onTreeSelection() {
    const QModelIndex current = m_tree_view->currentIndex();
    const qint64 message_id = m_tree_model->messageId(current);
    m_review->setMessage(message_id != 0 ? m_tree_record_id : 0,
                         message_id != 0 ? std::optional<qint64>(message_id) : std::nullopt);
    updateEnabled();
}

qint64 RankingPanel::addMessageUnderSelection(const QString& text) {
    const QModelIndex current = m_tree_view->currentIndex();
    if (m_project == nullptr || !current.isValid()) {
        return 0;
    }
    const data::Role role =
        m_tree_model->role(current) == data::Role::User ? data::Role::Assistant : data::Role::User;
    try {
        const qint64 id = store::addTreeMessage(
            *m_project, m_tree_model->messageId(current), role, text.trimmed().toStdString(),
            {{"source", "human"}, {"annotator", m_annotator->currentText().toStdString()}});
        showTree(m_tree_record_id, id);
        return id;
    } catch (const UserError& error) {
        showError(QString::fromUtf8(error.what()));
        return 0;
    }
}

void RankingPanel::askForMessage() {
    const QModelIndex current = m_tree_view->currentIndex();
    if (!current.isValid()) {
        return;
    }
    const bool reply = m_tree_model->role(current) == data::Role::User;
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(
        this, reply ? tr("Add reply") : tr("Add follow-up prompt"),
        reply ? tr("Assistant reply:") : tr("Follow-up prompt (user):"), QString(), &ok);
    if (ok) {
        addMessageUnderSelection(text);
    }
}

void RankingPanel::askForGeneration() {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Generate candidates"));
    auto* source = new QComboBox(&dialog);
    source->addItem(tr("Local model folder"));
    source->addItem(tr("OpenAI-compatible endpoint"));
    auto* folder = new QLineEdit(&dialog);
    auto* browse = new QPushButton(tr("Browse…"), &dialog);
    auto* endpoint = new QLineEdit(&dialog);
    endpoint->setPlaceholderText(QStringLiteral("http://localhost:8000/v1"));
    auto* model = new QLineEdit(&dialog);
    auto* key_env = new QLineEdit(&dialog);
    key_env->setPlaceholderText(QStringLiteral("OPENAI_API_KEY"));
    auto* count = new QSpinBox(&dialog);
    count->setRange(2, 4);
    count->setValue(3);
    auto* tokens = new QSpinBox(&dialog);
    tokens->setRange(1, 4096);
    tokens->setValue(256);
    auto* temperature = new QDoubleSpinBox(&dialog);
    temperature->setRange(0.0, 2.0);
    temperature->setSingleStep(0.1);
    temperature->setValue(0.7);
    auto* folder_row = new QHBoxLayout;
    folder_row->addWidget(folder, 1);
    folder_row->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Source:"), source);
    form->addRow(tr("Model folder:"), folder_row);
    form->addRow(tr("Endpoint URL:"), endpoint);
    form->addRow(tr("Model name:"), model);
    form->addRow(tr("API key variable:"), key_env);
    form->addRow(tr("Replies:"), count);
    form->addRow(tr("Max new tokens:"), tokens);
    form->addRow(tr("Temperature of the first reply:"), temperature);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(browse, &QPushButton::clicked, &dialog, [&dialog, folder] {
        const QString chosen = QFileDialog::getExistingDirectory(&dialog, tr("Model folder"), folder->text());
        if (!chosen.isEmpty()) {
            folder->setText(chosen);
        }
    });
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    CandidateRequest request;
    request.count = count->value();
    request.max_new_tokens = tokens->value();
    request.temperature = temperature->value();
    request.required_rankings = m_required->value();
    net::ChatClientOptions options;
    options.endpoint = endpoint->text().trimmed().toStdString();
    options.model = model->text().trimmed().toStdString();
    options.api_key_env = key_env->text().trimmed().toStdString();
    startGeneration(source->currentIndex() == 0 ? folder->text().trimmed() : QString(), options, request);
}

void RankingPanel::startGeneration(const QString& model_dir, const net::ChatClientOptions& endpoint,
                                   CandidateRequest request) {
    const QModelIndex current = m_tree_view->currentIndex();
    if (m_project == nullptr || m_worker != nullptr || m_tree_model->role(current) != data::Role::User) {
        showError(tr("Select a user message in the tree to generate replies for."));
        return;
    }
    m_generation_parent = m_tree_model->messageId(current);
    m_generation_required = request.required_rankings;
    request.prompt = store::conversationTo(*m_project, m_generation_parent);
    m_outcome = std::make_shared<GenerationOutcome>();
    const std::shared_ptr<GenerationOutcome> outcome = m_outcome;
    QProgressBar* bar = m_generation_progress;  // a child: alive until the destructor has waited
    const std::string model_path = QFile::encodeName(model_dir).toStdString();
    const auto progress = [outcome, bar](int done, int total) {
        QMetaObject::invokeMethod(
            bar,
            [bar, done, total] {
                bar->setRange(0, total);
                bar->setValue(done);
            },
            Qt::QueuedConnection);
        return !outcome->cancel.load();
    };
    m_worker = QThread::create([outcome, model_path, endpoint, request, progress] {
        try {
            outcome->candidates = model_path.empty() ? generateWithEndpoint(endpoint, request, progress)
                                                     : generateWithEngine(model_path, request, progress);
        } catch (const UserError& error) {
            outcome->error = QString::fromUtf8(error.what());
        } catch (const std::exception& error) {
            outcome->error = QString::fromUtf8(error.what());
        }
    });
    m_worker->setParent(this);
    connect(m_worker, &QThread::finished, this, &RankingPanel::finishGeneration);
    m_generation_progress->setRange(0, 0);  // busy while the model loads
    m_generation_progress->setVisible(true);
    m_cancel_generation->setVisible(true);
    showInfo(tr("Generating %n candidate(s)…", nullptr, request.count));
    m_worker->start();
    updateEnabled();
}

void RankingPanel::cancelGeneration() {
    if (m_outcome) {
        m_outcome->cancel = true;
    }
}

void RankingPanel::finishGeneration() {
    if (m_worker == nullptr) {
        return;
    }
    m_worker->wait();
    m_worker->deleteLater();
    m_worker = nullptr;
    const std::shared_ptr<GenerationOutcome> outcome = std::move(m_outcome);
    m_generation_progress->setVisible(false);
    m_cancel_generation->setVisible(false);
    qint64 task_id = 0;
    if (!outcome->error.isEmpty()) {
        showError(outcome->error);
    } else if (outcome->cancel || outcome->candidates.size() < 2) {
        showInfo(tr("Generation cancelled; nothing was added."));
    } else if (m_project != nullptr) {
        try {
            task_id =
                storeCandidates(*m_project, m_generation_parent, outcome->candidates, m_generation_required);
            showInfo(tr("%n candidate(s) added with a ranking task.", nullptr,
                        static_cast<int>(outcome->candidates.size())));
            showTree(m_tree_record_id, m_generation_parent);
            updateProgress();
            if (m_task_id == 0) {
                loadNextTask(0);
            }
        } catch (const UserError& error) {
            showError(QString::fromUtf8(error.what()));
        }
    }
    updateEnabled();
    emit generationFinished(task_id);
}

bool RankingPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_cards_area && event->type() == QEvent::Resize) {
        const bool side_by_side =
            m_shown.empty() || m_cards_area->width() >= kMinCardWidth * static_cast<int>(m_shown.size());
        if (side_by_side != m_side_by_side) {
            layoutCards();
        }
    }
    return QWidget::eventFilter(watched, event);
}

void RankingPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void RankingPanel::retranslateUi() {
    m_tabs->setTabText(0, tr("Rank"));
    m_tabs->setTabText(1, tr("Conversation trees"));
    if (m_consensus != nullptr) {
        m_tabs->setTabText(m_tabs->indexOf(m_consensus), tr("Consensus"));
    }
    m_annotator_label->setText(tr("&Annotator:"));
    m_new_annotator->setText(tr("New annotator…"));
    m_dataset_label->setText(tr("Data&set:"));
    if (m_dataset->count() > 0) {
        m_dataset->setItemText(0, tr("All datasets"));
    }
    m_required_label->setText(tr("Rankings per task:"));
    m_create_tasks->setText(tr("Create tasks"));
    m_prompt_title->setText(tr("Prompt"));
    m_order_title->setText(tr("Your order (drag to reorder)"));
    m_all_bad->setText(tr("All bad (B)"));
    m_reason->setPlaceholderText(tr("Why are they all bad?"));
    m_submit->setText(tr("Submit (Enter)"));
    m_skip->setText(tr("Skip (S)"));
    m_draft->setText(tr("Save draft (D)"));
    m_keys->setText(keyTableHtml(tr("Key"), tr("Action"),
                                 {{QStringLiteral("1 … 4"), tr("give the reply the next place, best first")},
                                  {QStringLiteral("="), tr("the next pick ties with the previous one")},
                                  {QStringLiteral("Backspace"), tr("take the last pick back")},
                                  {QStringLiteral("B"), tr("all bad (then type the reason)")},
                                  {QStringLiteral("Esc"), tr("leave the reason box")},
                                  {QStringLiteral("Enter"), tr("submit and show the next task")},
                                  {QStringLiteral("S"), tr("skip this task")},
                                  {QStringLiteral("D, Ctrl+S"), tr("save a draft")},
                                  {QStringLiteral("F1"), tr("show or hide this table")}}));
    m_record_label->setText(tr("&Record:"));
    m_tree_hint->setText(
        tr("The record of the current task, or the one chosen above. Select a message to review it, answer "
           "it or "
           "continue the conversation."));
    m_add_message->setText(tr("Add reply / follow-up…"));
    m_generate->setText(tr("Generate candidates…"));
    m_cancel_generation->setText(tr("Cancel"));
    updateCards();
    updateProgress();
}

}  // namespace vietllm::widgets
