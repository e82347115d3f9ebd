#pragma once
// `data export`: writes the training files TRL and our trainer read, split into train and
// validation by source item (records derived from one source item never straddle the split),
// and a dataset card README.md with per-source counts, licences, the filters applied (from the
// summaries of earlier clean/dedup/decontaminate runs), length and language statistics.

#include "backend/databuild/batch_pipeline.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::databuild {

enum class ExportKind {
    Invalid = 0,
    Sft,         ///< {"messages": [{role, content}]}: conversations (a pair gives its chosen one)
    Preference,  ///< {"prompt": [...], "chosen": [{assistant}], "rejected": [{assistant}]}
};

/// Parses "sft" or "preference"; ExportKind::Invalid otherwise.
ExportKind parseExportKind(std::string_view name);

/// True when the record's source item goes to validation: a hash of the seed and
/// sourceItemKey() below `valid_fraction`. Deterministic, needs no memory, and the same on every
/// shard, so records of one source item always land on the same side.
bool isValidationItem(const std::string& source_item_key, double valid_fraction, std::uint64_t seed);

struct ExportJob {
    InputOptions input;
    std::string output_dir;  ///< receives train.jsonl, validation.jsonl, README.md
    ExportKind kind = ExportKind::Sft;
    double valid_fraction = 0.05;
    std::uint64_t seed = 42;
    std::string dataset_name;                ///< card title (default: the output folder's name)
    std::vector<std::string> summary_paths;  ///< summaries of earlier steps, listed as filters
};

/// Runs the job; returns the summary (records per split, per source, skipped records).
nlohmann::ordered_json runExport(const ExportJob& job);

}  // namespace vietllm::databuild
