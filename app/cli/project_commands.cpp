// `vietllm-cli project ...`: creates a project file (*.vietllm), imports data files into its
// datasets, exports them again, and reports what it holds.

#include "app/cli/cli_commands.h"
#include "app/cli/options.h"
#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/store/project_store.h"
#include "backend/store/transfer.h"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <iostream>
#include <map>

namespace vietllm::cli {

namespace {

constexpr const char* kProjectUsage =
    "usage: vietllm-cli project SUBCOMMAND FILE [options]\n"
    "A project is one SQLite file (*.vietllm) holding datasets, annotations, runs and chats.\n"
    "\n"
    "  init FILE [--force]\n"
    "            create an empty project (--force replaces an existing file)\n"
    "  import FILE --format FORMAT IN [--dataset NAME] [--append] [--skip-bad]\n"
    "            import IN (JSONL or a JSON array, gzip-compressed or not) into a new dataset\n"
    "            named NAME (default: IN's base name), all or nothing; --append adds to an\n"
    "            existing dataset; --skip-bad reports bad lines on stderr and goes on\n"
    "  export FILE --format FORMAT OUT [--dataset NAME]\n"
    "            write a dataset (default: all) to OUT; OUT ending in .json is one JSON array\n"
    "  stats FILE\n"
    "            datasets with record and message counts, kinds, roles, languages and imports;\n"
    "            annotators, labels, rankings, models and runs, as JSON\n"
    "  search FILE QUERY [--dataset NAME] [--plain-diacritics] [--limit N]\n"
    "            full-text search of message text; every word must occur, \"quoted phrases\"\n"
    "            stay together, word* matches a prefix; --plain-diacritics ignores diacritics\n"
    "            (\"hoa binh\" finds \"hòa bình\", \"dong\" finds \"đồng\"); one JSON object per hit\n"
    "\n"
    "formats: alpaca, dolly, sharegpt, prompt-response, oasst, hh-rlhf, messages, preference\n";

std::string toJsonLine(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

data::Format formatOption(const ParsedOptions& options) {
    const std::string value = options.requiredValue("format");
    const data::Format format = data::parseFormat(value);
    if (format == data::Format::Invalid) {
        throw UserError("--format: unknown format '" + value + "'; known formats: " + data::formatNameList());
    }
    return format;
}

// The positional arguments after the subcommand, exactly `names` of them (named in the error).
std::vector<std::string> positionals(const ParsedOptions& options, const std::vector<std::string>& names) {
    const std::vector<std::string>& values = options.positional();
    if (values.size() != names.size()) {
        std::string expected;
        for (const std::string& name : names) {
            expected += (expected.empty() ? "" : " ") + name;
        }
        throw UserError("expected " + expected + " (got " + std::to_string(values.size()) +
                        " arguments); see 'vietllm-cli project --help'");
    }
    return values;
}

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int runInit(const Arguments& args) {
    const ParsedOptions options(args, {}, {"force"});
    const std::string file = positionals(options, {"FILE"})[0];
    struct stat info {};
    if (!options.hasFlag("force") && ::stat(file.c_str(), &info) == 0) {
        throw UserError(file + ": already exists; use --force to replace it");
    }
    const store::ProjectStore project = store::ProjectStore::create(file, true);
    std::cerr << "created project " << project.path() << " (schema version " << project.schemaVersion()
              << ")\n";
    return 0;
}

int runImport(const Arguments& args) {
    const ParsedOptions options(args, {"format", "dataset"}, {"append", "skip-bad"});
    const std::vector<std::string> files = positionals(options, {"FILE", "IN"});
    store::FileImportRequest request;
    request.input_path = files[1];
    request.format = formatOption(options);
    request.dataset_name = options.value("dataset").value_or("");
    request.append = options.hasFlag("append");
    request.skip_bad = options.hasFlag("skip-bad");
    request.on_bad_line = [](const data::BadLine& bad_line) {
        std::cerr << locatedMessage(bad_line.file, bad_line.line_number, bad_line.reason + " (skipped)")
                  << '\n';
    };
    store::ProjectStore project = store::ProjectStore::open(files[0], store::OpenMode::ReadWrite);
    const store::ImportSummary summary = store::importFile(project, request);
    std::cerr << "imported " << summary.records << " records (" << summary.messages << " messages) from "
              << request.input_path << " into dataset "
              << (request.dataset_name.empty() ? store::defaultDatasetName(request.input_path)
                                               : request.dataset_name)
              << " of " << project.path();
    if (summary.skipped > 0) {
        std::cerr << "; " << summary.skipped << " bad lines skipped";
    }
    std::cerr << '\n';
    return 0;
}

int runExport(const Arguments& args) {
    const ParsedOptions options(args, {"format", "dataset"}, {});
    const std::vector<std::string> files = positionals(options, {"FILE", "OUT"});
    const store::ProjectStore project = store::ProjectStore::open(files[0], store::OpenMode::ReadOnly);
    store::FileExportRequest request;
    request.output_path = files[1];
    request.format = formatOption(options);
    request.layout =
        endsWith(request.output_path, ".json") ? data::Layout::JsonArray : data::Layout::JsonLines;
    if (const auto dataset_name = options.value("dataset")) {
        request.dataset_id = project.requireDataset(*dataset_name).id;
    }
    const store::ExportSummary summary = store::exportFile(project, request);
    std::cerr << "exported " << summary.records << " records as " << summary.written << ' '
              << data::formatName(request.format) << " records to " << request.output_path << '\n';
    if (summary.unwritable > 0) {
        std::cerr << "warning: " << summary.unwritable << " records cannot be written as "
                  << data::formatName(request.format) << " and were left out\n";
    }
    return 0;
}

int runStats(const Arguments& args) {
    const ParsedOptions options(args, {}, {});
    const std::string file = positionals(options, {"FILE"})[0];
    const store::ProjectStore project = store::ProjectStore::open(file, store::OpenMode::ReadOnly);
    std::cout << project.stats().dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return std::cout.flush() ? 0 : 1;
}

int runSearch(const Arguments& args) {
    const ParsedOptions options(args, {"dataset", "limit"}, {"plain-diacritics"});
    const std::vector<std::string> values = positionals(options, {"FILE", "QUERY"});
    const store::ProjectStore project = store::ProjectStore::open(values[0], store::OpenMode::ReadOnly);
    store::SearchOptions search_options;
    search_options.ignore_diacritics = options.hasFlag("plain-diacritics");
    if (const auto dataset_name = options.value("dataset")) {
        search_options.dataset_id = project.requireDataset(*dataset_name).id;
    }
    if (const auto limit = options.value("limit")) {
        if (limit->empty() || limit->find_first_not_of("0123456789") != std::string::npos ||
            limit->size() > 6) {
            throw UserError("--limit must be a whole number up to 999999, not '" + *limit + "'");
        }
        search_options.limit = std::stoul(*limit);
    }
    std::map<std::int64_t, std::string> dataset_names;
    for (const store::DatasetInfo& dataset : project.datasets()) {
        dataset_names[dataset.id] = dataset.name;
    }
    for (const store::SearchHit& hit : project.search(values[1], search_options)) {
        std::cout << toJsonLine({{"dataset", dataset_names[hit.dataset_id]},
                                 {"record_id", hit.record_id},
                                 {"message_id", hit.message_id},
                                 {"role", data::roleName(hit.role)},
                                 {"snippet", store::searchSnippet(hit.text, hit.matches, 60, "[", "]")}})
                  << '\n';
    }
    return std::cout.flush() ? 0 : 1;
}

}  // namespace

int runProjectCommand(const Arguments& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kProjectUsage;
        return args.empty() ? 2 : 0;
    }
    const std::map<std::string, int (*)(const Arguments&)> subcommands = {
        {"init", runInit},   {"import", runImport}, {"export", runExport},
        {"stats", runStats}, {"search", runSearch},
    };
    const auto found = subcommands.find(args[0]);
    if (found == subcommands.end()) {
        throw UserError("unknown subcommand '" + args[0] + "' (init, import, export, stats, search)");
    }
    return found->second(Arguments(args.begin() + 1, args.end()));
}

}  // namespace vietllm::cli
