#pragma once
// `data dedup`: drops exact duplicates (same normalized text) and near duplicates (MinHash with
// LSH banding over syllable shingles) within and across the inputs, keeping the first occurrence
// and reporting each duplicate with the id of the record it duplicates.

#include "backend/databuild/batch_pipeline.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::databuild {

struct DedupOptions {
    std::size_t shingle_size = 5;    ///< syllables per shingle
    std::size_t permutations = 128;  ///< MinHash hash functions
    double threshold = 0.8;          ///< Jaccard similarity from which a record is a near duplicate
    std::uint64_t seed = 1;          ///< MinHash seed (shards merged together must use the same)
    bool near = true;                ///< false: exact duplicates only
};

/// What dedup compares of one record, computed on worker threads.
struct DedupKey {
    std::uint64_t exact_hash = 0;        ///< hash of the normalized text with role tags
    std::uint64_t exact_check = 0;       ///< a second, independent hash of the same text
    std::vector<std::uint64_t> minhash;  ///< empty when near detection is off or there is no syllable
};

/// Computes the dedup key of a record: every field normalized as one line (NFC, tone placement,
/// every run of spaces and line ends folded to one space), shingles lower-cased.
DedupKey dedupKey(const data::Record& record, const DedupOptions& options);

struct DedupJob {
    InputOptions input;
    std::string output_path;
    std::string duplicates_path;  ///< side file of duplicates (default OUT.duplicates.jsonl)
    data::Format output_format = data::Format::Messages;
    DedupOptions options;
    /// When set, the key of every record read (kept or not) goes to this signature file, for a
    /// later runDedupMerge() over the shards: a header line, then one line per record in order.
    std::string signatures_path;
};

/// Runs the job; returns the summary (counts of exact and near duplicates, LSH banding used).
nlohmann::ordered_json runDedup(const DedupJob& job);

/// The cross-shard pass: the signature files of shard runs (`--shard I/N` over the same inputs,
/// or one run per part of inputs split by hand, listed in order) and the inputs they read.
/// The keys come from the signature files (no text is normalized or hashed again); the records
/// are read again in order only to be written. OUT and the duplicates file come out exactly as
/// one unsharded run over the inputs would write them.
struct DedupMergeJob {
    InputOptions input;  ///< every input of the shard runs, in order; the shard must be 0/1
    std::vector<std::string> signature_paths;
    std::string output_path;
    std::string duplicates_path;
    data::Format output_format = data::Format::Messages;
    double threshold = 0.8;  ///< the shingle size, permutations and seed are the shards'
};

/// Runs the merge; returns the summary of runDedup() plus the signature files. Throws UserError
/// naming the file and line when the signature files do not fit together or do not match the
/// inputs (other settings, a missing shard, another record at a position).
nlohmann::ordered_json runDedupMerge(const DedupMergeJob& job);

}  // namespace vietllm::databuild
