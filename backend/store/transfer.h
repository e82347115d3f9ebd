#pragma once
// Moving records between data files and a project: import reads a file with the converters of
// backend/data into a dataset (one transaction), export writes datasets out in a format through
// an AtomicFileWriter (a failed export leaves no half-written file).

#include "backend/data/formats.h"
#include "backend/store/import_session.h"
#include "backend/store/project_store.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace vietllm::store {

struct FileImportRequest {
    std::string input_path;
    data::Format format = data::Format::Invalid;
    std::string dataset_name;  ///< empty: the input's base name (see defaultDatasetName)
    bool append = false;
    /// Skip unreadable lines (reported to on_bad_line) instead of failing the whole import.
    bool skip_bad = false;
    std::function<void(const data::BadLine&)> on_bad_line;
};

/// The dataset name an input file gets by default: its file name without folder, without a
/// compression suffix (.gz, .xz, .zst, .bz2) and without its last extension.
std::string defaultDatasetName(const std::string& input_path);

/// Imports a whole file (gzip-compressed or not) as one transaction. Throws UserError naming the
/// file and line of the first bad line (unless skip_bad), and the project is then unchanged.
ImportSummary importFile(ProjectStore& store, const FileImportRequest& request);

struct ExportSummary {
    std::size_t records = 0;     ///< records read from the project
    std::size_t written = 0;     ///< output records the writer produced
    std::size_t unwritable = 0;  ///< records the format cannot hold (writer produced nothing)
};

struct FileExportRequest {
    std::string output_path;
    data::Format format = data::Format::Invalid;
    data::Layout layout = data::Layout::JsonLines;
    std::optional<std::int64_t> dataset_id;  ///< none: every dataset, in creation order
};

/// Writes the records to the output file; the file appears only when everything was written.
ExportSummary exportFile(const ProjectStore& store, const FileExportRequest& request);

}  // namespace vietllm::store
