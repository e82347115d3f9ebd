#include "widgets/json_line_process.h"

namespace vietllm::widgets {

JsonLineProcess::JsonLineProcess(int error_tail_chars, int close_grace_ms, QObject* parent)
    : QObject(parent), m_error_tail_chars(error_tail_chars), m_close_grace_ms(close_grace_ms) {
    m_kill_timer.setSingleShot(true);
    connect(&m_kill_timer, &QTimer::timeout, this, [this] {
        if (m_process) {
            m_process->kill();
        }
    });
}

JsonLineProcess::~JsonLineProcess() {
    if (m_process) {
        m_process->disconnect(this);
        m_process->terminate();
        if (!m_process->waitForFinished(m_close_grace_ms)) {
            m_process->kill();
            m_process->waitForFinished(m_close_grace_ms);
        }
    }
}

bool JsonLineProcess::start(const QString& program, const QStringList& arguments) {
    if (isRunning()) {
        return false;
    }
    m_stdout_buffer.clear();
    m_error_tail.clear();
    m_process = new QProcess(this);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &JsonLineProcess::readStandardOutput);
    connect(m_process, &QProcess::readyReadStandardError, this, &JsonLineProcess::readStandardError);
    connect(m_process, &QProcess::finished, this, &JsonLineProcess::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            const QString message =
                tr("Cannot start %1: %2").arg(m_process->program(), m_process->errorString());
            release();
            emit startFailed(message);
        }
    });
    m_process->start(program, arguments);
    return true;
}

void JsonLineProcess::stop(int grace_ms) {
    if (!m_process) {
        return;
    }
    if (grace_ms <= 0) {
        m_process->kill();
        return;
    }
    m_process->terminate();
    m_kill_timer.start(grace_ms);
}

void JsonLineProcess::readStandardOutput() {
    m_stdout_buffer += m_process->readAllStandardOutput();
    qsizetype newline = 0;
    while ((newline = m_stdout_buffer.indexOf('\n')) >= 0) {
        const QByteArray text = m_stdout_buffer.left(newline);
        m_stdout_buffer.remove(0, newline + 1);
        emit line(text);
    }
}

void JsonLineProcess::readStandardError() {
    m_error_tail += QString::fromUtf8(m_process->readAllStandardError());
    if (m_error_tail.size() > m_error_tail_chars) {
        m_error_tail = m_error_tail.right(m_error_tail_chars);
    }
}

void JsonLineProcess::onFinished(int exit_code, QProcess::ExitStatus status) {
    readStandardOutput();
    readStandardError();
    release();
    emit finished(status == QProcess::NormalExit && exit_code == 0, exit_code);
}

void JsonLineProcess::release() {
    m_kill_timer.stop();
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;
}

}  // namespace vietllm::widgets
