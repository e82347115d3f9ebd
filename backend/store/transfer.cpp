#include "backend/store/transfer.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"

#include <cstring>

namespace vietllm::store {

namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string defaultDatasetName(const std::string& input_path) {
    const std::size_t slash = input_path.find_last_of('/');
    std::string name = slash == std::string::npos ? input_path : input_path.substr(slash + 1);
    for (const char* compression : {".gz", ".xz", ".zst", ".bz2"}) {
        if (endsWith(name, compression)) {
            name.resize(name.size() - std::strlen(compression));
            break;
        }
    }
    const std::size_t dot = name.find_last_of('.');
    if (dot != std::string::npos && dot > 0) {
        name.resize(dot);
    }
    return name;
}

ImportSummary importFile(ProjectStore& store, const FileImportRequest& request) {
    const std::unique_ptr<std::istream> input = data::openInputFile(request.input_path);
    ImportTarget target;
    target.dataset_name =
        request.dataset_name.empty() ? defaultDatasetName(request.input_path) : request.dataset_name;
    target.source_path = request.input_path;
    target.format = data::formatName(request.format);
    target.append = request.append;
    ImportSession session(store, std::move(target));

    data::ReadOptions options;
    options.skip_bad = request.skip_bad;
    options.on_bad_line = [&](const data::BadLine& bad_line) {
        session.countSkipped(1);
        if (request.on_bad_line) {
            request.on_bad_line(bad_line);
        }
    };
    data::readLocatedRecords(
        request.format, *input, request.input_path, options,
        [&](data::Record&& record, std::size_t line_number) { session.add(record, line_number); });
    return session.commit();
}

ExportSummary exportFile(const ProjectStore& store, const FileExportRequest& request) {
    std::vector<std::int64_t> dataset_ids;
    if (request.dataset_id) {
        dataset_ids.push_back(*request.dataset_id);
    } else {
        for (const DatasetInfo& dataset : store.datasets()) {
            dataset_ids.push_back(dataset.id);
        }
    }
    AtomicFileWriter file(request.output_path);
    const std::unique_ptr<data::RecordWriter> writer =
        data::makeWriter(request.format, file.stream(), request.layout);
    ExportSummary summary;
    for (const std::int64_t id : dataset_ids) {
        store.forEachRecord(id, [&](StoredRecord&& stored) {
            const std::size_t written = writer->write(stored.record);
            ++summary.records;
            summary.written += written;
            summary.unwritable += written == 0 ? 1 : 0;
        });
    }
    writer->finish();
    file.commit();
    return summary;
}

}  // namespace vietllm::store
