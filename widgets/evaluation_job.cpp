#include "widgets/evaluation_job.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace vietllm::widgets {

namespace {

// The message a failed child leaves: its last lines on stderr (the CLI's one-line error).
constexpr int kErrorTailChars = 2000;

}  // namespace

EvaluationJob::EvaluationJob(QObject* parent) : QObject(parent) {
    m_kill_timer.setSingleShot(true);
    connect(&m_kill_timer, &QTimer::timeout, this, [this] {
        if (m_process) {
            m_process->kill();
        }
    });
}

EvaluationJob::~EvaluationJob() {
    if (m_process) {
        m_process->disconnect(this);
        m_process->terminate();
        if (!m_process->waitForFinished(kStopGraceMs)) {
            m_process->kill();
            m_process->waitForFinished(kStopGraceMs);
        }
    }
}

bool EvaluationJob::start(const std::vector<Command>& commands) {
    if (isRunning() || commands.empty()) {
        return false;
    }
    m_pending.assign(commands.begin(), commands.end());
    m_count = static_cast<int>(commands.size());
    m_index = 0;
    m_stopping = false;
    startNext();
    return true;
}

void EvaluationJob::stop() {
    if (!m_process) {
        return;
    }
    m_stopping = true;
    m_pending.clear();
    m_process->terminate();
    m_kill_timer.start(kStopGraceMs);
}

bool EvaluationJob::isRunning() const {
    return m_process != nullptr;
}

void EvaluationJob::startNext() {
    const Command command = m_pending.front();
    m_pending.pop_front();
    m_current_label = command.label;
    m_stdout_buffer.clear();
    m_process = new QProcess(this);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &EvaluationJob::readStandardOutput);
    connect(m_process, &QProcess::finished, this, &EvaluationJob::onProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            finish(false, tr("Cannot start %1: %2").arg(m_process->program(), m_process->errorString()));
        }
    });
    emit commandStarted(command.label, m_index, m_count);
    m_process->start(command.program, command.arguments);
}

void EvaluationJob::readStandardOutput() {
    m_stdout_buffer += m_process->readAllStandardOutput();
    qsizetype newline = 0;
    while ((newline = m_stdout_buffer.indexOf('\n')) >= 0) {
        const QJsonObject event = QJsonDocument::fromJson(m_stdout_buffer.left(newline)).object();
        m_stdout_buffer.remove(0, newline + 1);
        const QString kind = event.value(QStringLiteral("event")).toString();
        const QString task = event.value(QStringLiteral("task")).toString();
        if (kind == QStringLiteral("progress")) {
            emit progress(task, event.value(QStringLiteral("done")).toInteger(),
                          event.value(QStringLiteral("total")).toInteger());
        } else if (kind == QStringLiteral("result")) {
            emit taskFinished(task, event.value(QStringLiteral("run_id")).toInteger(-1));
        }
    }
}

void EvaluationJob::onProcessFinished(int exit_code, QProcess::ExitStatus status) {
    readStandardOutput();
    if (m_stopping) {
        finish(true, QString());
        return;
    }
    if (status != QProcess::NormalExit || exit_code != 0) {
        QString tail = QString::fromUtf8(m_process->readAllStandardError()).trimmed().right(kErrorTailChars);
        if (tail.isEmpty()) {
            tail = tr("exit code %1").arg(exit_code);
        }
        finish(false, QStringLiteral("%1: %2").arg(m_current_label, tail));
        return;
    }
    m_process->deleteLater();
    m_process = nullptr;
    ++m_index;
    if (m_pending.empty()) {
        finish(true, QString());
    } else {
        startNext();
    }
}

void EvaluationJob::finish(bool ok, const QString& message) {
    m_kill_timer.stop();
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_pending.clear();
    const bool stopped = m_stopping;
    m_stopping = false;
    emit finished(ok, stopped, message);
}

}  // namespace vietllm::widgets
