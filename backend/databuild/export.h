#pragma once
// `data export`: writes the training files TRL and our trainer read, split into train and
// validation by source item (records derived from one source item never straddle the split),
// and a dataset card README.md with per-source counts, licences, the filters applied (from the
// summaries of earlier clean/dedup/decontaminate runs), length and language statistics.

#include "backend/databuild/batch_pipeline.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
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

/// A bar chart of the dataset card (a length histogram, records per source or per language),
/// described here and drawn outside backend/ (app/charts, with QtGui) so that the backend stays
/// free of Qt.
struct CardChart {
    std::string file_name;  ///< PNG in the output folder, e.g. "chart_sources.png"
    std::string title;
    std::string x_label;
    std::string y_label;
    std::vector<std::string> labels;  ///< one per bar
    std::vector<double> values;       ///< one per bar
};

/// Draws `chart` as a PNG at `path`; throws UserError when it cannot be written.
using CardChartRenderer = std::function<void(const CardChart& chart, const std::string& path)>;

/// The charts of a card: the user and assistant length histograms, records per source and per
/// language. Bucket edges of the histograms, in code points.
std::vector<std::size_t> lengthBucketEdges();

struct ExportJob {
    InputOptions input;
    std::string output_dir;  ///< receives train.jsonl, validation.jsonl, README.md
    ExportKind kind = ExportKind::Sft;
    double valid_fraction = 0.05;
    std::uint64_t seed = 42;
    std::string dataset_name;                ///< card title (default: the output folder's name)
    std::vector<std::string> summary_paths;  ///< summaries of earlier steps, listed as filters
    /// Draws the card's PNG charts; empty: the card says that no charts were drawn and why.
    CardChartRenderer chart_renderer;
    std::string no_charts_reason = "this vietllm-cli was built without the GUI libraries (VIETLLM_GUI=OFF)";
};

/// Runs the job; returns the summary (records per split, per source, skipped records).
nlohmann::ordered_json runExport(const ExportJob& job);

}  // namespace vietllm::databuild
