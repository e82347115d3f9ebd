#pragma once
// `data decontaminate`: drops records that overlap evaluation data. Benchmark files may have any
// JSONL shape: every string value of every line (nested ones too) is read as text. Overlap is a
// shared run of n syllables (13 by default) after normalization and lower-casing; a benchmark
// string shorter than n syllables (but at least min_tokens long) counts as one n-gram of its own,
// so short questions are caught too.

#include "backend/databuild/batch_pipeline.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace vietllm::databuild {

struct DecontaminateOptions {
    std::size_t ngram = 13;      ///< syllables per n-gram
    std::size_t min_tokens = 8;  ///< shorter benchmark strings are ignored
};

/// Where a benchmark n-gram comes from.
struct BenchmarkMatch {
    std::string file;
    std::size_t line = 0;
    std::string ngram;  ///< the overlapping syllables, space separated
};

/// The n-grams of benchmark files.
class BenchmarkIndex {
public:
    explicit BenchmarkIndex(const DecontaminateOptions& options) : m_options(options) {}
    /// Adds every string of every JSON line of `path`; throws UserError naming FILE:LINE for a
    /// line that is not JSON.
    void addFile(const std::string& path);
    /// Adds one benchmark text.
    void addText(const std::string& text, const std::string& file, std::size_t line);
    /// The first benchmark n-gram found in `text`, if any. Thread-safe (read-only).
    std::optional<BenchmarkMatch> findIn(const std::string& text) const;
    std::size_t ngramCount() const { return m_entries.size(); }

private:
    struct Entry {
        std::uint32_t source = 0;  ///< index into m_sources
        std::size_t line = 0;
        std::string ngram;
    };
    DecontaminateOptions m_options;
    std::vector<std::string> m_sources;
    std::unordered_map<std::uint64_t, Entry> m_entries;
    std::vector<std::size_t> m_lengths;  ///< n-gram lengths present (n, and shorter whole strings)
};

struct DecontaminateJob {
    InputOptions input;
    std::vector<std::string> against;  ///< benchmark files
    std::string output_path;
    std::string matches_path;  ///< side file of dropped records and their matches (OUT.matches.jsonl)
    data::Format output_format = data::Format::Messages;
    DecontaminateOptions options;
};

/// Runs the job; returns the summary (records dropped, matches per benchmark file).
nlohmann::ordered_json runDecontaminate(const DecontaminateJob& job);

}  // namespace vietllm::databuild
