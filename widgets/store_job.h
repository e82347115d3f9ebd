#pragma once
// Runs one piece of store work (a bulk action, an import, an export) on a worker thread with a
// window-modal progress dialog and a Cancel button. The work gets a progress callback that
// returns false once the user cancelled; the store's bulk and transfer functions then throw
// BulkCancelled and roll back, and the job reports that it was cancelled. The work must open
// its own connection to the project (ProjectStore::open): a connection is not shared between
// threads, and the project's write-ahead log lets the GUI keep reading meanwhile.

#include "backend/store/bulk_actions.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

class QProgressDialog;
class QThread;
class QWidget;

namespace vietllm::widgets {

class StoreJob : public QObject {
    Q_OBJECT

public:
    /// The work; it runs on the worker thread and reports through `progress`. Exceptions are
    /// caught: BulkCancelled as a cancel, any other as the error message.
    using Work = std::function<void(const store::BulkProgress& progress)>;

    /// Prepares a job whose progress dialog, titled `label`, is window-modal over `parent`.
    StoreJob(QWidget* parent, const QString& label, Work work);
    ~StoreJob() override;

    /// Starts the worker and shows the progress dialog; finished() follows, and the job then
    /// deletes itself.
    void start();
    /// Asks the work to stop at its next progress report (the Cancel button does the same).
    void cancel();

signals:
    /// The work ended: `cancelled` when it stopped on request, else `error` is empty on success.
    void finished(bool cancelled, const QString& error);

private:
    void showProgress();
    void onWorkerFinished();

    struct State {
        std::atomic<bool> cancel{false};
        std::atomic<std::size_t> done{0};
        std::atomic<std::size_t> total{0};
        bool cancelled = false;
        QString error;
    };

    Work m_work;
    std::shared_ptr<State> m_state;
    QPointer<QProgressDialog> m_dialog;
    QThread* m_thread = nullptr;
    QTimer m_poll;
};

}  // namespace vietllm::widgets
