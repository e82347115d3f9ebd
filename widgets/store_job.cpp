#include "widgets/store_job.h"

#include <QLocale>
#include <QProgressDialog>
#include <QThread>
#include <QWidget>

namespace vietllm::widgets {

namespace {

// How often the progress dialog reads the worker's counters.
constexpr int kPollIntervalMs = 100;
// The dialog's bar works in per-mille so that counts beyond int range still fit.
constexpr int kBarMaximum = 1000;

}  // namespace

StoreJob::StoreJob(QWidget* parent, const QString& label, Work work)
    : QObject(parent), m_work(std::move(work)), m_state(std::make_shared<State>()) {
    m_dialog = new QProgressDialog(label, tr("Cancel"), 0, 0, parent);
    m_dialog->setWindowTitle(label);
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(0);
    m_dialog->setAutoClose(false);
    m_dialog->setAutoReset(false);
    connect(m_dialog, &QProgressDialog::canceled, this, &StoreJob::cancel);
    m_poll.setInterval(kPollIntervalMs);
    connect(&m_poll, &QTimer::timeout, this, &StoreJob::showProgress);
}

StoreJob::~StoreJob() {
    if (m_thread != nullptr) {
        m_state->cancel = true;
        m_thread->wait();
    }
    delete m_dialog;
}

void StoreJob::start() {
    const std::shared_ptr<State> state = m_state;
    Work work = m_work;
    m_thread = QThread::create([state, work] {
        const store::BulkProgress progress = [state](std::size_t done, std::size_t total) {
            state->done = done;
            state->total = total;
            return !state->cancel.load();
        };
        try {
            work(progress);
        } catch (const store::BulkCancelled&) {
            state->cancelled = true;
        } catch (const std::exception& error) {
            state->error = QString::fromUtf8(error.what());
        }
    });
    connect(m_thread, &QThread::finished, this, &StoreJob::onWorkerFinished);
    m_dialog->show();
    m_poll.start();
    m_thread->start();
}

void StoreJob::cancel() {
    m_state->cancel = true;
    if (m_dialog) {
        m_dialog->setLabelText(tr("Cancelling…"));
    }
}

void StoreJob::showProgress() {
    if (!m_dialog || m_state->cancel) {
        return;
    }
    const std::size_t done = m_state->done;
    const std::size_t total = m_state->total;
    const QLocale locale;
    if (total == 0) {
        m_dialog->setMaximum(0);  // a busy indicator while the total is unknown
    } else {
        m_dialog->setMaximum(kBarMaximum);
        m_dialog->setValue(static_cast<int>(std::min<std::size_t>(done * kBarMaximum / total, kBarMaximum)));
    }
    m_dialog->setLabelText(total == 0 ? tr("%1 records…").arg(locale.toString(static_cast<qint64>(done)))
                                      : tr("%1 of %2 records…")
                                            .arg(locale.toString(static_cast<qint64>(done)),
                                                 locale.toString(static_cast<qint64>(total))));
}

void StoreJob::onWorkerFinished() {
    m_poll.stop();
    m_thread->deleteLater();
    m_thread = nullptr;
    if (m_dialog) {
        m_dialog->hide();
    }
    emit finished(m_state->cancelled, m_state->error);
    deleteLater();
}

}  // namespace vietllm::widgets
