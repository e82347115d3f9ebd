#pragma once
// The streaming skeleton shared by the data-building steps: records are read from one or more
// input files in batches (bounded memory), the expensive per-record work of a batch runs on a
// small thread pool, and results are written in input order, so outputs do not depend on the
// thread count. `--shard I/N` keeps a deterministic subset of the records.

#include "backend/common/atomic_file.h"
#include "backend/data/formats.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vietllm::databuild {

/// Record `ordinal % count == index` (0-based over all records of all inputs) belongs to the shard.
struct Shard {
    std::size_t index = 0;
    std::size_t count = 1;
    bool contains(std::size_t ordinal) const { return ordinal % count == index; }
};

/// Parses "I/N" (0 <= I < N); throws UserError naming `--shard` otherwise.
Shard parseShard(const std::string& text);

/// What the steps read.
struct InputOptions {
    std::vector<std::string> paths;  ///< read in order; "-" is stdin
    data::Format format = data::Format::Messages;
    /// Bad lines go to the step's side file with reason "bad-line" instead of stopping.
    bool skip_bad = false;
    Shard shard;
    std::size_t batch_size = 512;  ///< records per batch (memory bound)
    unsigned threads = 1;          ///< worker threads for the per-record work
};

/// A record with where it came from.
struct SourcedRecord {
    data::Record record;
    std::string file;
    std::size_t line = 0;     ///< 1-based line where it starts
    std::size_t ordinal = 0;  ///< 0-based position over all inputs (before sharding)
};

/// Reads every record of the inputs (only those of the shard) and hands them over, in order, in
/// batches of at most `batch_size`. A bad line throws UserError naming FILE:LINE, or, with
/// skip_bad, goes to `on_bad_line`. Both callbacks run on the calling thread; with more than one
/// thread in `options`, a reader thread parses ahead (at most two batches).
void readBatches(const InputOptions& options, const std::function<void(const data::BadLine&)>& on_bad_line,
                 const std::function<void(std::vector<SourcedRecord>&)>& on_batch);

/// Runs `work(i)` for every i in [0, count) on `threads` threads (the caller's included) and
/// returns when all are done. The first exception thrown by a worker is rethrown here.
void parallelFor(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& work);

/// The default worker count: the machine's hardware threads (at least 1).
unsigned defaultThreadCount();

/// The output format the steps write for records read in `input`: messages for the
/// conversation formats, preference for the pair formats, oasst for trees.
data::Format naturalOutputFormat(data::Format input);

/// An output JSONL file of records, written atomically.
class RecordOutput {
public:
    RecordOutput(const std::string& path, data::Format format);
    /// Writes one record (converted to the output format when it is of another kind).
    void write(const data::Record& record) { m_count += m_writer->write(record); }
    /// Finishes and renames the file into place.
    void commit();
    std::size_t count() const { return m_count; }

private:
    AtomicFileWriter m_file;
    std::unique_ptr<data::RecordWriter> m_writer;
    std::size_t m_count = 0;
};

/// A side file of JSON objects, one per line, written atomically (dropped records, matches).
class JsonLinesOutput {
public:
    explicit JsonLinesOutput(const std::string& path) : m_file(path) {}
    void write(const nlohmann::ordered_json& entry);
    void commit() { m_file.commit(); }
    std::size_t count() const { return m_count; }
    const std::string& path() const { return m_file.targetPath(); }

private:
    AtomicFileWriter m_file;
    std::size_t m_count = 0;
};

/// The side-file entry of a bad input line: {"file","line","reasons":["bad-line"],"detail","text"}.
nlohmann::ordered_json badLineEntry(const data::BadLine& bad_line);

/// Writes `summary` to `path` (pretty JSON) atomically.
void writeSummaryFile(const std::string& path, const nlohmann::ordered_json& summary);

}  // namespace vietllm::databuild
