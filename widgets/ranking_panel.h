#pragma once
// The Ranking panel: one annotator ranks the 2-4 replies of a prompt, keyboard first, in a blind
// order of their own (see store::blindOrder), with ties, an "all bad" flag with a reason, skips,
// drafts kept in the project and a progress line; a conversation-tree tab grows and reviews
// Open-Assistant-shaped trees (add reply, add follow-up prompt, labels per message, generated
// candidates from a local model or an OpenAI-compatible endpoint on a worker thread).
//
// The tabs live in tabs(): "Xếp hạng / Rank" first, then "Cây hội thoại / Trees"; the
// consensus view ("Đồng thuận / Consensus") is added there by the main window.

#include "backend/store/ranking_queue.h"
#include "widgets/ranking_generator.h"

#include <QWidget>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTextBrowser;
class QThread;
class QTreeView;

namespace vietllm::widgets {

class AnnotationPanel;
class ConsensusView;
class RankingOrderModel;
class RankingTreeModel;

class RankingPanel : public QWidget {
    Q_OBJECT

public:
    /// Narrower than this per card, the cards are stacked instead of side by side.
    static constexpr int kMinCardWidth = 260;

    explicit RankingPanel(QWidget* parent = nullptr);
    ~RankingPanel() override;

    /// Works on `project` (nullptr: none); the project must outlive the panel or be replaced first.
    /// A generation still running is cancelled.
    void setProject(store::ProjectStore* project);
    /// The tab widget, so that further views (consensus) can be added beside the ranking tabs.
    QTabWidget* tabs() const { return m_tabs; }
    /// The "Consensus" tab (agreement, conflicts, leaderboard, pack merging); nullptr without a project.
    ConsensusView* consensusView() const { return m_consensus; }

    /// Creates annotator `name` (human) and makes it current; shows the error and returns false
    /// when it cannot (empty or taken name).
    bool addAnnotator(const QString& name);
    /// Makes annotator `name` current; false when there is none.
    bool selectAnnotator(const QString& name);
    /// Creates ranking tasks for the chosen dataset (see store::createRankingTasks); returns how many.
    qint64 createTasks();

    /// The task on screen, 0 when none.
    qint64 currentTaskId() const { return m_task_id; }
    /// The message ids of the task's candidates in the order they are shown.
    const std::vector<std::int64_t>& shownCandidates() const { return m_shown; }
    /// Whether the cards are side by side (false: stacked).
    bool cardsSideBySide() const { return m_side_by_side; }

    /// Adds a message under the tree view's selected message: an assistant reply under a user
    /// message, a follow-up prompt under an assistant one. Shows the error and returns 0 on failure.
    qint64 addMessageUnderSelection(const QString& text);
    /// Generates candidates for the selected user message on a worker thread (a local model when
    /// `model_dir` is set, else `endpoint`); generationFinished() reports the new task.
    void startGeneration(const QString& model_dir, const net::ChatClientOptions& endpoint,
                         CandidateRequest request);
    /// True while candidates are being generated.
    bool isGenerating() const { return m_worker != nullptr; }
    /// Shows record `record_id` in the tree tab (0: none).
    void showRecordTree(qint64 record_id) { showTree(record_id, 0); }
    /// Asks a running generation to stop.
    void cancelGeneration();

    // For tests and the README screenshot.
    QWidget* rankPage() const { return m_rank_page; }
    RankingOrderModel* orderModel() const { return m_order_model; }
    RankingTreeModel* treeModel() const { return m_tree_model; }
    QTreeView* treeView() const { return m_tree_view; }
    AnnotationPanel* reviewPanel() const { return m_review; }
    QLabel* progressLabel() const { return m_progress; }
    QLabel* messageLabel() const { return m_message; }
    QLineEdit* reasonEdit() const { return m_reason; }
    QCheckBox* allBadBox() const { return m_all_bad; }
    QComboBox* annotatorBox() const { return m_annotator; }
    QTextBrowser* cardText(int shown_position) const;

signals:
    /// A generation ended: the new task's id, or 0 when it failed or was cancelled.
    void generationFinished(qint64 task_id);

protected:
    void changeEvent(QEvent* event) override;
    /// Lays the cards out again when their area changes width (side by side or stacked).
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    /// Replaces the Consensus tab with one over `project` (none without a project).
    void showConsensusOf(const store::ProjectStore* project);

    struct Card {
        QFrame* frame = nullptr;
        QLabel* header = nullptr;
        QTextBrowser* text = nullptr;
    };
    struct GenerationOutcome;

    QWidget* buildRankPage();
    QWidget* buildTreePage();
    void installShortcuts();
    void retranslateUi();
    void reloadAnnotators(const QString& select);
    void reloadDatasets();
    void resetQueue();
    void loadNextTask(qint64 after_task_id);
    void showTask(qint64 task_id);
    void clearTask();
    void layoutCards();
    void updateCards();
    void updateProgress();
    void updateEnabled();
    void pick(int shown_position);
    void toggleAllBad();
    void submit();
    void skip();
    void saveDraft();
    store::RankingDraft currentRanking() const;
    void showError(const QString& text);
    void showInfo(const QString& text);
    void showTree(qint64 record_id, qint64 select_message_id);
    void onTreeSelection();
    void askForMessage();
    void askForGeneration();
    void finishGeneration();

    store::ProjectStore* m_project = nullptr;
    std::unique_ptr<store::RankingQueue> m_queue;
    qint64 m_annotator_id = 0;
    qint64 m_task_id = 0;
    std::vector<std::int64_t> m_shown;
    std::vector<Card> m_cards;
    bool m_side_by_side = true;
    qint64 m_tree_record_id = 0;
    qint64 m_generation_parent = 0;
    qint64 m_generation_required = 0;
    QThread* m_worker = nullptr;
    std::shared_ptr<GenerationOutcome> m_outcome;

    QTabWidget* m_tabs = nullptr;
    ConsensusView* m_consensus = nullptr;  ///< third tab, rebuilt for each project
    QWidget* m_rank_page = nullptr;
    QLabel* m_annotator_label = nullptr;
    QComboBox* m_annotator = nullptr;
    QPushButton* m_new_annotator = nullptr;
    QLabel* m_dataset_label = nullptr;
    QComboBox* m_dataset = nullptr;
    QLabel* m_required_label = nullptr;
    QSpinBox* m_required = nullptr;
    QPushButton* m_create_tasks = nullptr;
    QLabel* m_progress = nullptr;
    QLabel* m_prompt_title = nullptr;
    QTextBrowser* m_prompt = nullptr;
    QWidget* m_cards_area = nullptr;
    QLabel* m_order_title = nullptr;
    QListView* m_order_view = nullptr;
    RankingOrderModel* m_order_model = nullptr;
    QCheckBox* m_all_bad = nullptr;
    QLineEdit* m_reason = nullptr;
    QPushButton* m_submit = nullptr;
    QPushButton* m_skip = nullptr;
    QPushButton* m_draft = nullptr;
    QLabel* m_keys = nullptr;
    QLabel* m_message = nullptr;

    QWidget* m_tree_page = nullptr;
    QLabel* m_tree_hint = nullptr;
    QLabel* m_record_label = nullptr;
    QSpinBox* m_record_box = nullptr;
    QTreeView* m_tree_view = nullptr;
    RankingTreeModel* m_tree_model = nullptr;
    QPushButton* m_add_message = nullptr;
    QPushButton* m_generate = nullptr;
    QPushButton* m_cancel_generation = nullptr;
    QProgressBar* m_generation_progress = nullptr;
    AnnotationPanel* m_review = nullptr;
};

}  // namespace vietllm::widgets
