#pragma once
// Evaluation runs as child processes (`vietllm-cli eval run ... --project P`), one per checkpoint,
// queued one after the other, so a crash or an out-of-memory kill never takes the workbench down.
// The children's JSON-line events (docs/evaluation.md) are turned into signals: per-task
// progress, a task's stored result, the end of each checkpoint's run.

#include "widgets/json_line_process.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <deque>

namespace vietllm::widgets {

class EvaluationJob : public QObject {
    Q_OBJECT

public:
    /// One child process: the program, its arguments and the checkpoint it evaluates (shown).
    struct Command {
        QString program;
        QStringList arguments;
        QString label;
    };

    /// How long a stopped child may take to finish its chunk and mark its run cancelled.
    static constexpr int kStopGraceMs = 15000;

    explicit EvaluationJob(QObject* parent = nullptr);

    /// Runs `commands` one after the other. False (nothing started) while a job runs or when
    /// `commands` is empty.
    bool start(const std::vector<Command>& commands);
    /// Stops: the queue is dropped and the running child gets SIGTERM (it stops after its current
    /// chunk and stores its run as cancelled), then SIGKILL after kStopGraceMs.
    void stop();
    bool isRunning() const;

signals:
    /// A child started; `label` names its checkpoint, `index` counts from 0 of `count`.
    void commandStarted(const QString& label, int index, int count);
    /// A progress event of the running child.
    void progress(const QString& task, qint64 done, qint64 total);
    /// A task finished and was stored as evaluation run `run_id` (-1 when not stored).
    void taskFinished(const QString& task, qint64 run_id);
    /// The job ended: `ok` when every child finished or it was stopped; otherwise `message` is
    /// the failing child's error (its stderr, as the CLI words it).
    void finished(bool ok, bool stopped, const QString& message);

private:
    void startNext();
    void readLine(const QByteArray& line);
    void onProcessFinished(bool clean_exit, int exit_code);
    void finish(bool ok, const QString& message);

    JsonLineProcess* m_process = nullptr;
    std::deque<Command> m_pending;
    int m_count = 0;
    int m_index = 0;
    bool m_stopping = false;
    QString m_current_label;
};

}  // namespace vietllm::widgets
