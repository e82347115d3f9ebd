#pragma once
// The in-process inference engine on its own thread, for every panel that generates text (chat,
// evaluation, ranking candidates). Loading and generation run on the worker thread; results and
// every streamed piece of text come back as queued signals, so the GUI thread never waits. stop()
// cancels at the next token (the reply keeps what was generated); a load cannot be interrupted
// inside libtorch, so a cancelled load is dropped as soon as it returns.

#include "backend/chat/chat_template.h"
#include "backend/data/records.h"
#include "backend/sample/engine.h"

#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

namespace vietllm::widgets {

/// Which model to load and how.
struct EngineLoadSettings {
    QString model_dir;
    sample::ComputeDType dtype = sample::ComputeDType::Float32;
    int num_threads = 0;                     ///< intra-op threads; 0 = every hardware thread
    QString device = QStringLiteral("cpu");  ///< a sample::computeDevices() id
    bool operator==(const EngineLoadSettings& other) const {
        return model_dir == other.model_dir && dtype == other.dtype && num_threads == other.num_threads &&
               device == other.device;
    }
};

/// A chat to continue: the messages (optional system message first, ending with a user turn),
/// the template (Invalid: detect it from the model folder) and the generation options; the
/// template's end-of-turn tokens are added to the stops, and the oldest exchanges are left out
/// when the chat would leave no room for the reply in the model's context.
struct ChatRequest {
    std::vector<data::Message> messages;
    chat::TemplateKind template_kind = chat::TemplateKind::Invalid;
    sample::GenerationOptions generation;
};

/// What one generation produced, with its timing.
struct GenerationStats {
    QString text;                    ///< the reply, stop string excluded
    qint64 tokens = 0;               ///< generated tokens, stop token included
    double first_token_ms = 0.0;     ///< from the start of prompt processing to the first token
    double tokens_per_second = 0.0;  ///< decoding speed after the first token
    sample::StopReason stop_reason = sample::StopReason::Invalid;
    qint64 prompt_tokens = 0;
};

class EngineWorker : public QObject {
    Q_OBJECT

public:
    explicit EngineWorker(QObject* parent = nullptr);
    /// Cancels what runs, then waits for the thread to finish.
    ~EngineWorker() override;

    /// Loads a model in the background (replacing the loaded one): loadStarted, then loaded,
    /// loadFailed or loadCancelled.
    void load(const EngineLoadSettings& settings);
    /// Generates a reply in the background, loading `model` first when it is not the loaded one:
    /// chunkReady for each piece of text, then generationFinished or generationFailed with
    /// `request_id`.
    void generate(quint64 request_id, const EngineLoadSettings& model, const ChatRequest& request);
    /// Cancels everything asked so far: the generation stops at its next token, a load is dropped.
    void stop();
    /// True from a load() or generate() call until its last signal.
    bool isBusy() const { return m_pending > 0; }
    /// The folder of the loaded model, as this thread last heard; empty when none.
    QString loadedModelDir() const { return m_loaded_dir; }

signals:
    void loadStarted(const QString& model_dir);
    void loaded(const QString& model_dir);
    void loadFailed(const QString& model_dir, const QString& message);
    void loadCancelled(const QString& model_dir);
    void chunkReady(quint64 request_id, const QString& text);
    void generationFinished(quint64 request_id, const vietllm::widgets::GenerationStats& stats);
    void generationFailed(quint64 request_id, const QString& message);
    /// Emitted when isBusy() changes.
    void busyChanged(bool busy);
    /// Internal: a job ended (sent before its last signal, so isBusy() is current there).
    void jobDone();

private:
    /// Worker-thread side: loads unless `settings` is already loaded; false when cancelled. Throws
    /// (after loadFailed) when the folder cannot be loaded.
    bool ensureLoaded(quint64 serial, const EngineLoadSettings& settings);
    void runGeneration(quint64 serial, quint64 request_id, const ChatRequest& request);
    void post(std::function<void()> job);
    bool cancelled(quint64 serial) const { return serial <= m_cancelled_up_to.load(); }
    void finishJob();

    QThread m_thread;
    QObject* m_context = nullptr;  ///< lives in m_thread; jobs run in its event loop
    // Owned by the worker thread once started.
    std::unique_ptr<sample::Engine> m_engine;
    EngineLoadSettings m_engine_settings;
    // Shared between the threads.
    std::atomic<quint64> m_next_serial{0};
    std::atomic<quint64> m_cancelled_up_to{0};
    // GUI-thread bookkeeping.
    int m_pending = 0;
    QString m_loaded_dir;
};

}  // namespace vietllm::widgets

Q_DECLARE_METATYPE(vietllm::widgets::GenerationStats)
