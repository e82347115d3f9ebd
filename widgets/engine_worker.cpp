#include "widgets/engine_worker.h"

#include "backend/chat/chat_prompter.h"
#include "backend/common/errors.h"
#include "backend/tokenizer/tokenizer.h"

#include <QFile>
#include <algorithm>
#include <chrono>

namespace vietllm::widgets {

namespace {

using Clock = std::chrono::steady_clock;

double millisecondsBetween(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

std::string localPath(const QString& path) {
    return QFile::encodeName(path).toStdString();
}

// The prompt ids of `request` for the model in `model_dir`: the chat rendered with the request's
// template (or the folder's; the plain form for one we cannot render), then tokenized, leaving out
// the oldest exchanges when the prompt would not leave room for the reply in the context; adds the
// template's end-of-turn tokens to the stops.
std::vector<std::int32_t> promptIds(const sample::Engine& engine, const std::string& model_dir,
                                    const ChatRequest& request, sample::GenerationOptions& generation) {
    const tokenizer::Tokenizer* tokens = engine.tokenizer();
    if (tokens == nullptr) {
        throw UserError(model_dir + ": the model folder has no tokenizer, so it cannot chat");
    }
    const chat::ChatPrompter prompter = chat::ChatPrompter::forModel(
        *tokens, model_dir, request.template_kind, chat::UnknownTemplate::UsePlain);
    prompter.addEndOfTurnStops(generation.stop_token_ids, generation.stop_strings);
    const std::int64_t context = engine.config().max_positions;
    const auto room =
        static_cast<std::size_t>(std::min<std::int64_t>(generation.max_new_tokens, context / 2));
    std::vector<data::Message> messages = request.messages;
    std::size_t dropped = 0;
    return prompter.fit(messages, static_cast<std::size_t>(context), room, dropped);
}

}  // namespace

EngineWorker::EngineWorker(QObject* parent) : QObject(parent) {
    qRegisterMetaType<GenerationStats>();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(this, &EngineWorker::jobDone, this, &EngineWorker::finishJob);
    connect(this, &EngineWorker::loaded, this, [this](const QString& dir) { m_loaded_dir = dir; });
    connect(this, &EngineWorker::loadStarted, this, [this] { m_loaded_dir.clear(); });
    m_thread.setObjectName(QStringLiteral("engine"));
    m_thread.start();
}

EngineWorker::~EngineWorker() {
    stop();
    // Jobs still queued return at once (cancelled); the engine is freed on the thread that used it.
    QMetaObject::invokeMethod(
        m_context, [this] { m_engine.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_context;
}

void EngineWorker::post(std::function<void()> job) {
    ++m_pending;
    if (m_pending == 1) {
        emit busyChanged(true);
    }
    QMetaObject::invokeMethod(m_context, std::move(job), Qt::QueuedConnection);
}

void EngineWorker::finishJob() {
    --m_pending;
    if (m_pending == 0) {
        emit busyChanged(false);
    }
}

void EngineWorker::stop() {
    m_cancelled_up_to.store(m_next_serial.load());
}

void EngineWorker::load(const EngineLoadSettings& settings) {
    const quint64 serial = ++m_next_serial;
    post([this, serial, settings] {
        bool done = false;
        try {
            done = ensureLoaded(serial, settings);
        } catch (const std::exception&) {
            emit jobDone();  // ensureLoaded() has reported the failure
            return;
        }
        emit jobDone();
        if (done) {
            emit loaded(settings.model_dir);
        }
    });
}

void EngineWorker::generate(quint64 request_id, const EngineLoadSettings& model, const ChatRequest& request) {
    const quint64 serial = ++m_next_serial;
    post([this, serial, request_id, model, request] {
        const bool was_loaded = m_engine && m_engine_settings == model;
        try {
            if (!ensureLoaded(serial, model)) {
                emit jobDone();
                emit generationFailed(request_id, tr("Stopped before the reply started."));
                return;
            }
        } catch (const std::exception& error) {
            emit jobDone();
            emit generationFailed(request_id, QString::fromStdString(error.what()));
            return;
        }
        if (!was_loaded) {
            emit loaded(model.model_dir);
        }
        runGeneration(serial, request_id, request);
    });
}

bool EngineWorker::ensureLoaded(quint64 serial, const EngineLoadSettings& settings) {
    if (cancelled(serial)) {
        return false;
    }
    if (m_engine && m_engine_settings == settings) {
        return true;
    }
    emit loadStarted(settings.model_dir);
    m_engine.reset();  // free the old weights before reading the new ones
    std::unique_ptr<sample::Engine> engine;
    try {
        sample::EngineOptions options;
        options.dtype = settings.dtype;
        options.num_threads = settings.num_threads;
        options.device = settings.device.toStdString();
        engine = std::make_unique<sample::Engine>(localPath(settings.model_dir), options);
    } catch (const std::exception& error) {
        emit loadFailed(settings.model_dir, QString::fromStdString(error.what()));
        throw;
    }
    if (cancelled(serial)) {
        emit loadCancelled(settings.model_dir);
        return false;
    }
    m_engine = std::move(engine);
    m_engine_settings = settings;
    return true;
}

void EngineWorker::runGeneration(quint64 serial, quint64 request_id, const ChatRequest& request) {
    GenerationStats stats;
    try {
        sample::GenerationOptions generation = request.generation;
        const std::vector<std::int32_t> prompt =
            promptIds(*m_engine, localPath(m_engine_settings.model_dir), request, generation);
        stats.prompt_tokens = static_cast<qint64>(prompt.size());
        const Clock::time_point start = Clock::now();
        Clock::time_point first_token = start;
        const sample::StreamCallback on_chunk = [&](const sample::StreamChunk& chunk) {
            if (chunk.token_id != sample::kNoToken) {
                if (stats.tokens++ == 0) {
                    first_token = Clock::now();
                }
            }
            if (!chunk.text.empty()) {
                emit chunkReady(request_id, QString::fromStdString(chunk.text));
            }
            return !cancelled(serial);
        };
        const sample::GenerationResult result = m_engine->generate({prompt}, generation, on_chunk).front();
        const Clock::time_point end = Clock::now();
        stats.text = QString::fromStdString(result.text);
        stats.stop_reason = result.stop_reason;
        stats.first_token_ms = stats.tokens > 0 ? millisecondsBetween(start, first_token) : 0.0;
        const double decode_ms = millisecondsBetween(first_token, end);
        if (stats.tokens > 1 && decode_ms > 0.0) {
            stats.tokens_per_second = static_cast<double>(stats.tokens - 1) * 1000.0 / decode_ms;
        }
    } catch (const std::exception& error) {
        emit jobDone();
        emit generationFailed(request_id, QString::fromStdString(error.what()));
        return;
    }
    emit jobDone();
    emit generationFinished(request_id, stats);
}

}  // namespace vietllm::widgets
