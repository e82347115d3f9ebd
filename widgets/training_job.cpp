#include "widgets/training_job.h"

namespace vietllm::widgets {

namespace {

// Keeps the last lines of stderr for the failure message (a trainer may write a lot).
constexpr int kErrorTailChars = 4000;

}  // namespace

TrainingJob::TrainingJob(QObject* parent) : QObject(parent) {
    // Closing the workbench mid-run gives the trainer a moment to save a checkpoint.
    m_process = new JsonLineProcess(kErrorTailChars, kCloseGraceMs, this);
    connect(m_process, &JsonLineProcess::line, this, &TrainingJob::readLine);
    connect(m_process, &JsonLineProcess::finished, this, &TrainingJob::onProcessFinished);
    connect(m_process, &JsonLineProcess::startFailed, this,
            [this](const QString& message) { finish(false, message); });
}

bool TrainingJob::start(const std::vector<Command>& preparation, const Command& trainer) {
    if (isRunning()) {
        return false;
    }
    m_pending.assign(preparation.begin(), preparation.end());
    m_pending.push_back(trainer);
    m_metrics = runs::RunMetrics();
    m_stopping = false;
    startNext();
    return true;
}

void TrainingJob::stop() {
    if (!isRunning()) {
        return;
    }
    m_stopping = true;
    m_pending.clear();
    m_process->stop(m_running_trainer ? kStopGraceMs : 0);
}

bool TrainingJob::isRunning() const {
    return m_process->isRunning();
}

void TrainingJob::startNext() {
    const Command command = m_pending.front();
    m_pending.pop_front();
    m_running_trainer = m_pending.empty();
    m_current_description = command.description;
    emit stageChanged(command.description);
    m_process->start(command.program, command.arguments);
}

void TrainingJob::readLine(const QByteArray& line) {
    if (!m_running_trainer) {
        return;
    }
    if (const auto event = runs::parseMetricLine(line.toStdString())) {
        m_metrics.add(*event);
        emit metricsChanged();
    }
}

void TrainingJob::onProcessFinished(bool clean_exit, int exit_code) {
    const QString error_tail = m_process->errorTail().trimmed();
    if (!m_running_trainer) {
        if (m_stopping) {
            finish(true, QString());
        } else if (!clean_exit) {
            finish(false, tr("%1 failed: %2").arg(m_current_description, error_tail));
        } else {
            startNext();
        }
        return;
    }
    if (m_metrics.status == runs::RunStatus::Failed) {
        finish(false, QString::fromStdString(m_metrics.error));
    } else if (clean_exit || (m_stopping && m_metrics.status == runs::RunStatus::Cancelled)) {
        finish(true, QString());
    } else if (m_stopping) {
        finish(true, tr("The trainer was stopped before it could save a checkpoint."));
    } else {
        finish(false,
               error_tail.isEmpty() ? tr("The trainer exited with code %1.").arg(exit_code) : error_tail);
    }
}

void TrainingJob::finish(bool ok, const QString& message) {
    m_pending.clear();
    m_running_trainer = false;
    emit finished(ok, message);
}

}  // namespace vietllm::widgets
