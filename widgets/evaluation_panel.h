#pragma once
// The Evaluation panel: choose what to evaluate (registered models and their checkpoints, the
// Training panel's run checkpoints, a folder, an OpenAI-compatible endpoint) and which tasks
// (`vietllm-cli eval list`'s task files, with limit, batch size and precision); Run evaluates each
// checkpoint in its own `vietllm-cli eval run --project` child process, one after the other, with
// a progress bar per task, and Stop cancels it (the run is stored as cancelled). Below: the stored
// runs with charts across checkpoints (and against the training step), a leaderboard of the best
// score per task per model, the items of a run page by page, and export as JSON and Markdown.

#include "backend/store/evaluations.h"

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <map>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QThread;
class QVBoxLayout;

namespace vietllm::store {
class ProjectStore;
}

namespace vietllm::widgets {

class EvalLeaderboardModel;
class EvalTargetModel;
class EvalTaskModel;
class EvaluationCharts;
class EvaluationItemModel;
class EvaluationJob;
class EvaluationRunModel;

class EvaluationPanel : public QWidget {
    Q_OBJECT

public:
    explicit EvaluationPanel(QWidget* parent = nullptr);
    ~EvaluationPanel() override;

    /// Uses `project` (nullptr: none) for its registered models, its training runs and the stored
    /// evaluations. The project must outlive the panel or be replaced first; a running evaluation
    /// is stopped when the project changes.
    void setProject(store::ProjectStore* project);
    /// The program run as `vietllm-cli`; the one beside the GUI by default.
    void setCliProgram(const QString& program);
    /// Task files and data root given to the CLI (and listed); empty: the CLI's own defaults.
    void setTaskFolders(const QString& tasks_dir, const QString& data_dir);
    /// Adds (or finds) a model folder among the choices and checks it: the Training panel's
    /// "Evaluate it".
    void chooseCheckpoint(const QString& model_dir);
    /// Adds an endpoint (base URL and model name) to the choices, checked. False with the reason
    /// in the status line when either is empty.
    bool addEndpoint(const QString& url, const QString& model_name);

    /// Starts evaluating every checked model on the checked tasks. False (with the reason in the
    /// status line) when there is no project, model or task, or a run is going on.
    bool startEvaluation();
    /// Stops the running evaluation (the current run is stored as cancelled).
    void stopEvaluation();
    /// Re-reads the stored runs (table, leaderboard, charts).
    void refreshRuns();
    /// The runs selected in the runs table.
    std::vector<store::EvaluationRun> selectedRuns() const;
    /// Writes the selected runs as results documents (JSON) / Markdown tables; false with the
    /// reason in the status line when nothing is selected or the file cannot be written.
    bool exportSelected(const QString& path, bool markdown);

    /// For tests.
    EvalTargetModel* targetModel() const { return m_targets; }
    EvalTaskModel* taskModel() const { return m_tasks; }
    EvaluationRunModel* runModel() const { return m_runs; }
    EvaluationItemModel* itemModel() const { return m_items; }
    EvalLeaderboardModel* leaderboardModel() const { return m_leaderboard; }
    QSortFilterProxyModel* leaderboardProxy() const { return m_leaderboard_proxy; }
    EvaluationCharts* charts() const { return m_charts; }
    EvaluationJob* job() const { return m_job; }
    QTableView* runView() const { return m_run_view; }
    QTableView* itemView() const { return m_item_view; }
    QSpinBox* limitBox() const { return m_limit; }
    QLabel* statusLabel() const { return m_status_label; }
    QPlainTextEdit* itemDetail() const { return m_item_detail; }
    QPushButton* runButton() const { return m_run_button; }
    QPushButton* stopButton() const { return m_stop_button; }
    /// Progress (0-100) of each task of the running or last checkpoint.
    std::map<QString, int> taskProgress() const;
    /// True once the task list has been read (it is read off the GUI thread).
    bool tasksLoaded() const { return m_tasks_loaded; }

signals:
    /// The task list was (re-)read.
    void taskListReady();
    /// An evaluation job ended (ok: every checkpoint finished or it was stopped).
    void evaluationFinished(bool ok);

protected:
    void changeEvent(QEvent* event) override;

private:
    QWidget* createChoicePanel();
    QWidget* createResultsPanel();
    void retranslateUi();
    void loadTasks();
    void refreshTargets();
    void addFolder();
    void resetProgress(const QStringList& tasks);
    void onProgress(const QString& task, qint64 done, qint64 total);
    void onJobFinished(bool ok, bool stopped, const QString& message);
    void showSelectedRuns();
    void showItemPage(int page);
    void showSelectedItem();
    void exportWithDialog(bool markdown);
    void updateButtons();
    void setStatus(const QString& text, bool error);

    store::ProjectStore* m_project = nullptr;
    std::unique_ptr<store::Evaluations> m_evaluations;
    QString m_cli_program;
    QString m_tasks_dir;
    QString m_data_dir;
    bool m_tasks_loaded = false;
    int m_task_generation = 0;
    QPointer<QThread> m_task_loader;

    EvalTargetModel* m_targets = nullptr;
    EvalTaskModel* m_tasks = nullptr;
    EvaluationRunModel* m_runs = nullptr;
    EvaluationItemModel* m_items = nullptr;
    EvalLeaderboardModel* m_leaderboard = nullptr;
    QSortFilterProxyModel* m_leaderboard_proxy = nullptr;
    EvaluationJob* m_job = nullptr;
    EvaluationCharts* m_charts = nullptr;

    QLabel* m_models_caption = nullptr;
    QListView* m_target_view = nullptr;
    QPushButton* m_add_folder_button = nullptr;
    QLineEdit* m_endpoint_url = nullptr;
    QLineEdit* m_endpoint_model = nullptr;
    QPushButton* m_add_endpoint_button = nullptr;
    QLabel* m_tasks_caption = nullptr;
    QTableView* m_task_view = nullptr;
    QLabel* m_limit_caption = nullptr;
    QSpinBox* m_limit = nullptr;
    QLabel* m_batch_caption = nullptr;
    QSpinBox* m_batch_size = nullptr;
    QLabel* m_dtype_caption = nullptr;
    QComboBox* m_dtype = nullptr;
    QPushButton* m_run_button = nullptr;
    QPushButton* m_stop_button = nullptr;
    QLabel* m_checkpoint_label = nullptr;
    QVBoxLayout* m_progress_layout = nullptr;
    std::map<QString, QProgressBar*> m_progress;
    QLabel* m_status_label = nullptr;

    QTableView* m_run_view = nullptr;
    QPushButton* m_refresh_button = nullptr;
    QPushButton* m_export_json_button = nullptr;
    QPushButton* m_export_markdown_button = nullptr;
    QTableView* m_leaderboard_view = nullptr;
    QLabel* m_leaderboard_note = nullptr;
    QTableView* m_item_view = nullptr;
    QPushButton* m_previous_page_button = nullptr;
    QPushButton* m_next_page_button = nullptr;
    QLabel* m_page_label = nullptr;
    QPlainTextEdit* m_item_detail = nullptr;
};

}  // namespace vietllm::widgets
