#pragma once
// What several annotators' votes say about a project: an agreement summary (Krippendorff's alpha
// per label, Kendall tau-b and pairwise agreement of rankings), the tasks annotators disagree on
// most, a leaderboard with each annotator's trust, and "Merge packs…" to bring returned task
// packs in. Self-contained: it opens the project file itself, reads on a worker thread and merges
// on a worker thread (one pack at a time, cancellable between packs), so the Ranking panel or any
// other panel can embed it with just the project's path.

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThread>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace vietllm::widgets {

class ConflictTableModel;
class LeaderboardModel;

class ConsensusView : public QWidget {
    Q_OBJECT

public:
    /// Shows the annotations of the project file at `project_path`; call refresh() to load them.
    explicit ConsensusView(const QString& project_path, QWidget* parent = nullptr);
    /// Waits for a running merge or refresh to finish (a merge stops after its current pack).
    ~ConsensusView() override;

    /// The tables' models, for tests and for panels that follow a selected conflict.
    ConflictTableModel* conflictModel() const { return m_conflicts; }
    LeaderboardModel* leaderboardModel() const { return m_leaderboard; }
    /// The agreement summary as shown.
    QString agreementText() const;
    /// The last status line (merge results and errors).
    QString statusText() const;
    /// True while a merge or refresh runs.
    bool isBusy() const { return m_worker != nullptr; }

public slots:
    /// Re-reads agreement, conflicts and leaderboard on a worker thread.
    void refresh();
    /// Merges return packs on a worker thread, then refreshes; ignored while busy.
    void mergePacks(const QStringList& pack_paths);
    /// Asks a running merge to stop after the pack it is merging.
    void cancel();

signals:
    /// A refresh finished and the tables show the new figures.
    void refreshed();
    /// A merge finished (or failed, or was cancelled); `summary` says what happened.
    void mergeFinished(const QString& summary);

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Snapshot;
    struct MergeOutcome;

    void chooseAndMerge();
    void startWorker(QThread* worker);
    void showSnapshot(const Snapshot& snapshot);
    void retranslate();
    void setBusy(bool busy);

    QString m_project_path;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_agreement = nullptr;
    QTableView* m_conflict_view = nullptr;
    QTableView* m_leaderboard_view = nullptr;
    ConflictTableModel* m_conflicts = nullptr;
    LeaderboardModel* m_leaderboard = nullptr;
    QPushButton* m_merge_button = nullptr;
    QPushButton* m_cancel_button = nullptr;
    QPushButton* m_refresh_button = nullptr;
    QLabel* m_status = nullptr;
    QPointer<QThread> m_worker;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<Snapshot> m_last;
};

}  // namespace vietllm::widgets
