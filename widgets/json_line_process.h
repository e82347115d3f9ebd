#pragma once
// One child process whose stdout is a stream of JSON lines (the CLI's progress events, e.g.
// docs/evaluation.md and docs/training.md): each complete line comes out as a signal, the end of
// stderr is kept for the failure message, and stop() asks politely (SIGTERM, so the child can save
// its work) before it kills. Shared by the Evaluation and Training panels' jobs, which run their
// commands one after the other through it.

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace vietllm::widgets {

class JsonLineProcess : public QObject {
    Q_OBJECT

public:
    /// `error_tail_chars`: how much of the end of stderr errorTail() keeps; `close_grace_ms`: how
    /// long destroying this object while a child runs waits for it after SIGTERM before it kills.
    JsonLineProcess(int error_tail_chars, int close_grace_ms, QObject* parent = nullptr);
    /// Terminates a running child and waits for it (see close_grace_ms), without signals.
    ~JsonLineProcess() override;

    /// Starts `program` with `arguments`: line() for each line it writes on stdout, then finished()
    /// or startFailed(). False (nothing started) while a child runs.
    bool start(const QString& program, const QStringList& arguments);
    /// Sends the child SIGTERM and kills it when it has not exited after `grace_ms` (0: kills at
    /// once); finished() follows when it is gone. Nothing when no child runs.
    void stop(int grace_ms);
    bool isRunning() const { return m_process != nullptr; }
    /// The last characters the current or last child wrote on stderr.
    QString errorTail() const { return m_error_tail; }

signals:
    /// One complete line of the child's stdout, without its newline (a last unterminated line is
    /// dropped).
    void line(const QByteArray& line);
    /// The child ended after its last line(); `clean_exit` when it exited normally with code 0.
    /// isRunning() is false here, so a slot may start() the next child.
    void finished(bool clean_exit, int exit_code);
    /// The program could not be started; `message` says which and why.
    void startFailed(const QString& message);

private:
    void readStandardOutput();
    void readStandardError();
    void onFinished(int exit_code, QProcess::ExitStatus status);
    void release();

    const int m_error_tail_chars;
    const int m_close_grace_ms;
    QProcess* m_process = nullptr;
    QByteArray m_stdout_buffer;
    QString m_error_tail;
    QTimer m_kill_timer;
};

}  // namespace vietllm::widgets
