#include "widgets/training_job.h"

namespace vietllm::widgets {

namespace {

// Keeps the last lines of stderr for the failure message (a trainer may write a lot).
constexpr int kErrorTailChars = 4000;

}  // namespace

TrainingJob::TrainingJob(QObject* parent) : QObject(parent) {
    m_kill_timer.setSingleShot(true);
    connect(&m_kill_timer, &QTimer::timeout, this, [this] {
        if (m_process) {
            m_process->kill();
        }
    });
}

TrainingJob::~TrainingJob() {
    if (m_process) {
        // Closing the workbench mid-run: give the trainer a moment to save a checkpoint.
        m_process->disconnect(this);
        m_process->terminate();
        if (!m_process->waitForFinished(kCloseGraceMs)) {
            m_process->kill();
            m_process->waitForFinished(kCloseGraceMs);
        }
    }
}

bool TrainingJob::start(const std::vector<Command>& preparation, const Command& trainer) {
    if (isRunning()) {
        return false;
    }
    m_pending.assign(preparation.begin(), preparation.end());
    m_pending.push_back(trainer);
    m_metrics = runs::RunMetrics();
    m_stopping = false;
    m_error_tail.clear();
    startNext();
    return true;
}

void TrainingJob::stop() {
    if (!m_process) {
        return;
    }
    m_stopping = true;
    m_pending.clear();
    if (m_running_trainer) {
        m_process->terminate();
        m_kill_timer.start(kStopGraceMs);
    } else {
        m_process->kill();
    }
}

bool TrainingJob::isRunning() const {
    return m_process != nullptr;
}

void TrainingJob::startNext() {
    const Command command = m_pending.front();
    m_pending.pop_front();
    m_running_trainer = m_pending.empty();
    m_current_description = command.description;
    m_stdout_buffer.clear();
    m_process = new QProcess(this);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &TrainingJob::readStandardOutput);
    connect(m_process, &QProcess::readyReadStandardError, this, &TrainingJob::readStandardError);
    connect(m_process, &QProcess::finished, this, &TrainingJob::onProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            const QString message =
                tr("Cannot start %1: %2").arg(m_process->program(), m_process->errorString());
            finish(false, message);
        }
    });
    emit stageChanged(command.description);
    m_process->start(command.program, command.arguments);
}

void TrainingJob::readStandardOutput() {
    m_stdout_buffer += m_process->readAllStandardOutput();
    if (!m_running_trainer) {
        m_stdout_buffer.clear();
        return;
    }
    qsizetype newline = 0;
    bool changed = false;
    while ((newline = m_stdout_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdout_buffer.left(newline);
        m_stdout_buffer.remove(0, newline + 1);
        if (const auto event = runs::parseMetricLine(line.toStdString())) {
            m_metrics.add(*event);
            changed = true;
        }
    }
    if (changed) {
        emit metricsChanged();
    }
}

void TrainingJob::readStandardError() {
    m_error_tail += QString::fromUtf8(m_process->readAllStandardError());
    if (m_error_tail.size() > kErrorTailChars) {
        m_error_tail = m_error_tail.right(kErrorTailChars);
    }
}

void TrainingJob::onProcessFinished(int exit_code, QProcess::ExitStatus status) {
    readStandardOutput();
    readStandardError();
    const bool clean_exit = status == QProcess::NormalExit && exit_code == 0;
    if (!m_running_trainer) {
        if (m_stopping) {
            finish(true, QString());
        } else if (!clean_exit) {
            finish(false, tr("%1 failed: %2").arg(m_current_description, m_error_tail.trimmed()));
        } else {
            m_process->deleteLater();
            m_process = nullptr;
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
        const QString tail = m_error_tail.trimmed();
        finish(false, tail.isEmpty() ? tr("The trainer exited with code %1.").arg(exit_code) : tail);
    }
}

void TrainingJob::finish(bool ok, const QString& message) {
    m_kill_timer.stop();
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_pending.clear();
    m_running_trainer = false;
    emit finished(ok, message);
}

}  // namespace vietllm::widgets
