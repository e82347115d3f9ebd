#include "widgets/evaluation_job.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace vietllm::widgets {

namespace {

// The message a failed child leaves: its last lines on stderr (the CLI's one-line error).
constexpr int kErrorTailChars = 2000;

}  // namespace

EvaluationJob::EvaluationJob(QObject* parent) : QObject(parent) {
    m_process = new JsonLineProcess(kErrorTailChars, kStopGraceMs, this);
    connect(m_process, &JsonLineProcess::line, this, &EvaluationJob::readLine);
    connect(m_process, &JsonLineProcess::finished, this, &EvaluationJob::onProcessFinished);
    connect(m_process, &JsonLineProcess::startFailed, this,
            [this](const QString& message) { finish(false, message); });
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
    if (!isRunning()) {
        return;
    }
    m_stopping = true;
    m_pending.clear();
    m_process->stop(kStopGraceMs);
}

bool EvaluationJob::isRunning() const {
    return m_process->isRunning();
}

void EvaluationJob::startNext() {
    const Command command = m_pending.front();
    m_pending.pop_front();
    m_current_label = command.label;
    emit commandStarted(command.label, m_index, m_count);
    m_process->start(command.program, command.arguments);
}

void EvaluationJob::readLine(const QByteArray& line) {
    const QJsonObject event = QJsonDocument::fromJson(line).object();
    const QString kind = event.value(QStringLiteral("event")).toString();
    const QString task = event.value(QStringLiteral("task")).toString();
    if (kind == QStringLiteral("progress")) {
        emit progress(task, event.value(QStringLiteral("done")).toInteger(),
                      event.value(QStringLiteral("total")).toInteger());
    } else if (kind == QStringLiteral("result")) {
        emit taskFinished(task, event.value(QStringLiteral("run_id")).toInteger(-1));
    }
}

void EvaluationJob::onProcessFinished(bool clean_exit, int exit_code) {
    if (m_stopping) {
        finish(true, QString());
        return;
    }
    if (!clean_exit) {
        QString tail = m_process->errorTail().trimmed();
        if (tail.isEmpty()) {
            tail = tr("exit code %1").arg(exit_code);
        }
        finish(false, QStringLiteral("%1: %2").arg(m_current_label, tail));
        return;
    }
    ++m_index;
    if (m_pending.empty()) {
        finish(true, QString());
    } else {
        startNext();
    }
}

void EvaluationJob::finish(bool ok, const QString& message) {
    m_pending.clear();
    const bool stopped = m_stopping;
    m_stopping = false;
    emit finished(ok, stopped, message);
}

}  // namespace vietllm::widgets
