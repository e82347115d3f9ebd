#include "backend/databuild/batch_pipeline.h"

#include "backend/common/errors.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <iostream>
#include <mutex>
#include <thread>

namespace vietllm::databuild {

Shard parseShard(const std::string& text) {
    const std::size_t slash = text.find('/');
    const auto bad = [&]() {
        return UserError("--shard: '" + text + "' is not I/N with 0 <= I < N (e.g. 0/4)");
    };
    if (slash == std::string::npos || slash == 0 || slash + 1 >= text.size() ||
        text.find_first_not_of("0123456789/") != std::string::npos ||
        text.find('/', slash + 1) != std::string::npos) {
        throw bad();
    }
    Shard shard;
    try {
        shard.index = std::stoul(text.substr(0, slash));
        shard.count = std::stoul(text.substr(slash + 1));
    } catch (const std::exception&) {
        throw bad();
    }
    if (shard.count == 0 || shard.index >= shard.count) {
        throw bad();
    }
    return shard;
}

namespace {

// Records read in a row, with the bad lines met while reading them.
struct ReadBatch {
    std::vector<SourcedRecord> records;
    std::vector<data::BadLine> bad_lines;
};

// Reads every input in order and hands over batches of at most `batch_size` records.
void readAllBatches(const InputOptions& options, const std::function<void(ReadBatch&&)>& emit) {
    const std::size_t batch_size = std::max<std::size_t>(1, options.batch_size);
    ReadBatch batch;
    std::size_t ordinal = 0;
    for (const std::string& path : options.paths) {
        const std::string file_name = path == "-" ? "<stdin>" : path;
        std::unique_ptr<std::istream> owned;
        std::istream* input = &std::cin;
        if (path != "-") {
            owned = data::openInputFile(path);
            input = owned.get();
        }
        data::ReadOptions read_options;
        read_options.skip_bad = options.skip_bad;
        read_options.on_bad_line = [&](const data::BadLine& bad_line) {
            batch.bad_lines.push_back(bad_line);
        };
        data::readRecordsWithLocations(
            options.format, *input, file_name, read_options,
            [&](data::Record&& record, const data::RecordLocation& location) {
                const std::size_t this_ordinal = ordinal++;
                if (!options.shard.contains(this_ordinal)) {
                    return;
                }
                batch.records.push_back({std::move(record), file_name, location.line_number, this_ordinal});
                if (batch.records.size() >= batch_size) {
                    emit(std::move(batch));
                    batch = ReadBatch{};
                }
            });
    }
    if (!batch.records.empty() || !batch.bad_lines.empty()) {
        emit(std::move(batch));
    }
}

// Thrown inside the reader thread when the consumer has given up.
struct ReadingCancelled {};

// The bounded hand-over between the reader thread and the consumer: at most `capacity` batches
// wait, so memory stays bounded however fast the file reads.
class BatchQueue {
public:
    explicit BatchQueue(std::size_t capacity) : m_capacity(capacity) {}

    // Waits for room; false when the consumer cancelled.
    bool push(ReadBatch&& batch) {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_changed.wait(lock, [&]() { return m_batches.size() < m_capacity || m_cancelled; });
        if (m_cancelled) {
            return false;
        }
        m_batches.push_back(std::move(batch));
        m_changed.notify_all();
        return true;
    }
    // Marks the end of reading, with the reader's error if any.
    void finish(std::exception_ptr failure) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_done = true;
        m_failure = std::move(failure);
        m_changed.notify_all();
    }
    // The next batch; false once reading is over and every batch was taken.
    bool pop(ReadBatch& batch) {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_changed.wait(lock, [&]() { return !m_batches.empty() || m_done; });
        if (m_batches.empty()) {
            return false;
        }
        batch = std::move(m_batches.front());
        m_batches.pop_front();
        m_changed.notify_all();
        return true;
    }
    void cancel() {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_cancelled = true;
        m_changed.notify_all();
    }
    void rethrowFailure() {
        if (m_failure) {
            std::rethrow_exception(m_failure);
        }
    }

private:
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<ReadBatch> m_batches;
    bool m_done = false;
    bool m_cancelled = false;
    std::exception_ptr m_failure;
};

}  // namespace

void readBatches(const InputOptions& options, const std::function<void(const data::BadLine&)>& on_bad_line,
                 const std::function<void(std::vector<SourcedRecord>&)>& on_batch) {
    const auto deliver = [&](ReadBatch& batch) {
        for (const data::BadLine& bad_line : batch.bad_lines) {
            on_bad_line(bad_line);
        }
        if (!batch.records.empty()) {
            on_batch(batch.records);
        }
    };
    if (options.threads <= 1) {
        readAllBatches(options, [&](ReadBatch&& batch) { deliver(batch); });
        return;
    }
    // With several threads, parsing the next batch overlaps the work on the current one.
    BatchQueue queue(2);
    std::thread reader([&]() {
        try {
            readAllBatches(options, [&](ReadBatch&& batch) {
                if (!queue.push(std::move(batch))) {
                    throw ReadingCancelled{};
                }
            });
            queue.finish(nullptr);
        } catch (const ReadingCancelled&) {
            queue.finish(nullptr);
        } catch (...) {
            queue.finish(std::current_exception());
        }
    });
    try {
        ReadBatch batch;
        while (queue.pop(batch)) {
            deliver(batch);
        }
    } catch (...) {
        queue.cancel();
        reader.join();
        throw;
    }
    reader.join();
    queue.rethrowFailure();
}

void parallelFor(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& work) {
    const std::size_t worker_count = std::min<std::size_t>(std::max(1u, threads), count);
    if (worker_count <= 1) {
        for (std::size_t i = 0; i < count; ++i) {
            work(i);
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    const auto drain = [&]() {
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                work(i);
            } catch (...) {
                const std::lock_guard<std::mutex> lock(failure_mutex);
                if (!failure) {
                    failure = std::current_exception();
                }
                next = count;
            }
        }
    };
    std::vector<std::thread> helpers;
    helpers.reserve(worker_count - 1);
    for (std::size_t t = 1; t < worker_count; ++t) {
        helpers.emplace_back(drain);
    }
    drain();
    for (std::thread& helper : helpers) {
        helper.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

unsigned defaultThreadCount() {
    return std::max(1u, std::thread::hardware_concurrency());
}

data::Format naturalOutputFormat(data::Format input) {
    switch (input) {
        case data::Format::HhRlhf:
        case data::Format::Preference:
            return data::Format::Preference;
        case data::Format::Oasst:
            return data::Format::Oasst;
        default:
            return data::Format::Messages;
    }
}

RecordOutput::RecordOutput(const std::string& path, data::Format format)
    : m_file(path), m_writer(data::makeWriter(format, m_file.stream())) {}

void RecordOutput::commit() {
    m_writer->finish();
    m_file.commit();
}

void JsonLinesOutput::write(const nlohmann::ordered_json& entry) {
    m_file.stream() << entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    ++m_count;
}

nlohmann::ordered_json badLineEntry(const data::BadLine& bad_line) {
    return {{"file", bad_line.file},
            {"line", bad_line.line_number},
            {"reasons", {"bad-line"}},
            {"detail", bad_line.reason},
            {"text", bad_line.text}};
}

void writeSummaryFile(const std::string& path, const nlohmann::ordered_json& summary) {
    AtomicFileWriter file(path);
    file.stream() << summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    file.commit();
}

}  // namespace vietllm::databuild
