#pragma once
// A training run as child processes (never in the GUI's process, so a crash or an out-of-memory
// kill cannot take the workbench down): first the preparation commands (e.g. `vietllm-cli project
// export` of the chosen datasets), one after the other, then the trainer, whose JSON-line progress
// on stdout (docs/training.md) is folded into RunMetrics as it arrives.

#include "backend/runs/metrics_stream.h"
#include "widgets/json_line_process.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <deque>

namespace vietllm::widgets {

class TrainingJob : public QObject {
    Q_OBJECT

public:
    /// One child process to run.
    struct Command {
        QString program;
        QStringList arguments;
        QString description;  ///< shown while it runs, e.g. "Exporting dataset vi_alpaca"
    };

    /// How long a stopped trainer may take to save its checkpoint before it is killed.
    static constexpr int kStopGraceMs = 60000;
    /// How long closing the workbench waits for a running trainer to checkpoint and exit.
    static constexpr int kCloseGraceMs = 10000;

    explicit TrainingJob(QObject* parent = nullptr);

    /// Runs `preparation` in order, then `trainer`. Returns false (and starts nothing) while a job
    /// is running.
    bool start(const std::vector<Command>& preparation, const Command& trainer);
    /// Asks the running job to stop: a preparation step is killed; the trainer gets SIGTERM, saves
    /// a checkpoint at its next step boundary and exits (killed after kStopGraceMs).
    void stop();
    bool isRunning() const;
    /// What the trainer reported so far.
    const runs::RunMetrics& metrics() const { return m_metrics; }
    /// The last lines the current or last process wrote on stderr.
    QString errorTail() const { return m_process->errorTail(); }

signals:
    /// A preparation step or the trainer started; `description` says which.
    void stageChanged(const QString& description);
    /// The trainer reported an event (metrics() has it folded in).
    void metricsChanged();
    /// The job ended: `ok` when the trainer finished or was stopped cleanly; otherwise `message`
    /// says what failed (the trainer's error event, or the failing command's stderr).
    void finished(bool ok, const QString& message);

private:
    void startNext();
    void readLine(const QByteArray& line);
    void onProcessFinished(bool clean_exit, int exit_code);
    void finish(bool ok, const QString& message);

    JsonLineProcess* m_process = nullptr;
    std::deque<Command> m_pending;
    bool m_running_trainer = false;
    bool m_stopping = false;
    QString m_current_description;
    runs::RunMetrics m_metrics;
};

}  // namespace vietllm::widgets
