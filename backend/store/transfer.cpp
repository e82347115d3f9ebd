#include "backend/store/transfer.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/store/bulk_actions.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstring>
#include <istream>

namespace vietllm::store {

namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Records between two progress reports.
constexpr std::size_t kProgressEvery = 256;

// Thrown by a reader's sink to stop reading once a preview has its records.
struct EnoughRecords {};

// Thrown by the JSON parser's callback with the first element of a JSON array file.
struct FirstElement {
    nlohmann::json value;
};

// The first record of a JSONL file or of a JSON array file, as JSON.
nlohmann::json firstRecordJson(const std::string& input_path) {
    const std::unique_ptr<std::istream> input = data::openInputFile(input_path);
    char first = 0;
    while (input->get(first) && std::isspace(static_cast<unsigned char>(first))) {
    }
    if (!*input) {
        throw UserError(input_path + ": the file is empty");
    }
    input->unget();
    try {
        if (first != '[') {
            std::string line;
            std::getline(*input, line);
            return nlohmann::json::parse(line);
        }
        // Stops the parse at the end of the first element: a large array is not read whole.
        [[maybe_unused]] const nlohmann::json whole = nlohmann::json::parse(
            *input, [](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                if (depth == 1 && event == nlohmann::json::parse_event_t::object_end) {
                    throw FirstElement{parsed};
                }
                return true;
            });
    } catch (const FirstElement& element) {
        return element.value;
    } catch (const nlohmann::json::exception& error) {
        throw UserError(locatedMessage(input_path, 1, std::string("not JSON: ") + error.what()));
    }
    throw UserError(input_path + ": the JSON array holds no record");
}

}  // namespace

data::Format detectFormat(const std::string& input_path) {
    const nlohmann::json record = firstRecordJson(input_path);
    if (!record.is_object()) {
        throw UserError(locatedMessage(input_path, 1, "the first record is not a JSON object"));
    }
    const auto has = [&](const char* key) { return record.contains(key); };
    if (has("message_tree_id") || (has("prompt") && record["prompt"].is_object())) {
        return data::Format::Oasst;
    }
    if (has("chosen") && has("rejected")) {
        return has("prompt") ? data::Format::Preference : data::Format::HhRlhf;
    }
    if (has("conversations")) {
        return data::Format::ShareGpt;
    }
    if (has("messages")) {
        return data::Format::Messages;
    }
    if (has("instruction") && has("output")) {
        return data::Format::Alpaca;
    }
    if (has("instruction") && has("response")) {
        return data::Format::Dolly;
    }
    if (has("prompt") && has("response")) {
        return data::Format::PromptResponse;
    }
    std::string keys;
    for (const auto& item : record.items()) {
        keys += (keys.empty() ? "" : ", ") + item.key();
    }
    throw UserError(locatedMessage(input_path, 1,
                                   "cannot tell the format from the first record's fields (" + keys +
                                       "); choose one of " + data::formatNameList()));
}

std::vector<data::Record> previewRecords(const std::string& input_path, data::Format format,
                                         std::size_t limit) {
    std::vector<data::Record> records;
    if (limit == 0) {
        return records;
    }
    const std::unique_ptr<std::istream> input = data::openInputFile(input_path);
    try {
        data::readRecords(format, *input, input_path, {}, [&](data::Record&& record) {
            records.push_back(std::move(record));
            if (records.size() >= limit) {
                throw EnoughRecords{};
            }
        });
    } catch (const EnoughRecords&) {
    }
    return records;
}

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
    std::size_t records = 0;
    data::readLocatedRecords(
        request.format, *input, request.input_path, options,
        [&](data::Record&& record, std::size_t line_number) {
            session.add(record, line_number);
            if (++records % kProgressEvery == 0 && request.on_progress && !request.on_progress(records)) {
                throw BulkCancelled();
            }
        });
    if (request.on_progress && !request.on_progress(records)) {
        throw BulkCancelled();
    }
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
    std::size_t total = request.record_ids.size();
    if (request.record_ids.empty()) {
        for (const std::int64_t id : dataset_ids) {
            total += static_cast<std::size_t>(store.recordCount(id));
        }
    }
    AtomicFileWriter file(request.output_path);
    const std::unique_ptr<data::RecordWriter> writer =
        data::makeWriter(request.format, file.stream(), request.layout);
    ExportSummary summary;
    const auto write = [&](const data::Record& record) {
        const std::size_t written = writer->write(record);
        ++summary.records;
        summary.written += written;
        if (written == 0) {
            ++summary.unwritable;
            const std::string reason = data::unsupportedReason(request.format, record);
            ++summary.unwritable_reasons[reason.empty()
                                             ? "the record yields no " +
                                                   std::string(data::formatName(request.format)) + " output"
                                             : reason];
        }
        if ((summary.records % kProgressEvery == 0 || summary.records == total) && request.on_progress &&
            !request.on_progress(summary.records, total)) {
            throw BulkCancelled();
        }
    };
    if (!request.record_ids.empty()) {
        for (const std::int64_t id : request.record_ids) {
            write(store.record(id).record);
        }
    } else {
        for (const std::int64_t id : dataset_ids) {
            store.forEachRecord(id, [&](StoredRecord&& stored) { write(stored.record); });
        }
    }
    writer->finish();
    file.commit();
    return summary;
}

}  // namespace vietllm::store
