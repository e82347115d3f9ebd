#pragma once
// Moving records between data files and a project: import reads a file with the converters of
// backend/data into a dataset (one transaction), export writes datasets out in a format through
// an AtomicFileWriter (a failed export leaves no half-written file). Both report progress and
// can be cancelled (BulkCancelled, with nothing changed or written), for the GUI's dialogs.

#include "backend/data/formats.h"
#include "backend/store/import_session.h"
#include "backend/store/project_store.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::store {

struct FileImportRequest {
    std::string input_path;
    data::Format format = data::Format::Invalid;
    std::string dataset_name;  ///< empty: the input's base name (see defaultDatasetName)
    bool append = false;
    /// Skip unreadable lines (reported to on_bad_line) instead of failing the whole import.
    bool skip_bad = false;
    std::function<void(const data::BadLine&)> on_bad_line;
    /// Called with the records read so far, now and then; returning false cancels the import,
    /// which throws BulkCancelled and leaves the project unchanged.
    std::function<bool(std::size_t records)> on_progress;
};

/// The dataset name an input file gets by default: its file name without folder, without a
/// compression suffix (.gz, .xz, .zst, .bz2) and without its last extension.
std::string defaultDatasetName(const std::string& input_path);

/// The format of a data file told from its first record's fields (JSONL or a JSON array,
/// gzip-compressed or not), for the import dialog's "auto-detect". Throws UserError naming the
/// file when it cannot be read or its first record fits no format.
data::Format detectFormat(const std::string& input_path);

/// The first `limit` records of a file, for a preview. Throws UserError naming the file and line
/// of a bad line among them.
std::vector<data::Record> previewRecords(const std::string& input_path, data::Format format,
                                         std::size_t limit);

/// Imports a whole file (gzip-compressed or not) as one transaction. Throws UserError naming the
/// file and line of the first bad line (unless skip_bad), and the project is then unchanged.
ImportSummary importFile(ProjectStore& store, const FileImportRequest& request);

struct ExportSummary {
    std::size_t records = 0;     ///< records read from the project
    std::size_t written = 0;     ///< output records the writer produced
    std::size_t unwritable = 0;  ///< records the format cannot hold (writer produced nothing)
    /// Why, per reason (data::unsupportedReason, or that the record yields no output).
    std::map<std::string, std::size_t> unwritable_reasons;
};

struct FileExportRequest {
    std::string output_path;
    data::Format format = data::Format::Invalid;
    data::Layout layout = data::Layout::JsonLines;
    std::optional<std::int64_t> dataset_id;  ///< none: every dataset, in creation order
    /// When not empty: exactly these records, in this order, instead of datasets (the GUI's
    /// current filter).
    std::vector<std::int64_t> record_ids;
    /// Called with the records done and the total, now and then; returning false cancels the
    /// export (BulkCancelled; no file is written).
    std::function<bool(std::size_t done, std::size_t total)> on_progress;
};

/// Writes the records to the output file; the file appears only when everything was written.
ExportSummary exportFile(const ProjectStore& store, const FileExportRequest& request);

}  // namespace vietllm::store
