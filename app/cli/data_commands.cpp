// `vietllm-cli data convert`: converts instruction and preference data between the community's
// formats and ours, with provenance on every record and no record dropped silently.

#include "app/cli/cli_commands.h"
#include "app/cli/data_build_commands.h"
#include "app/cli/data_generate_commands.h"
#include "app/cli/data_run_command.h"
#include "app/cli/data_translate_command.h"
#include "app/cli/options.h"
#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/data/formats.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <optional>

namespace vietllm::cli {

namespace {

constexpr const char* kDataUsage =
    "usage: vietllm-cli data convert --from FORMAT --to FORMAT IN OUT [options]\n"
    "Converts instruction and preference data (JSONL or one JSON array; gzip-compressed input is\n"
    "read too). IN may be '-' for stdin. OUT ending in .json is written as one JSON array, any\n"
    "other name as JSONL. See docs/formats.md for the formats and the conversion rules.\n"
    "\n"
    "formats: alpaca, dolly, sharegpt, prompt-response, oasst, hh-rlhf, messages, preference\n"
    "\n"
    "  --skip-bad         write bad lines to a side file and go on (default: stop at the first)\n"
    "  --bad-lines FILE   the side file for --skip-bad (default: OUT.bad.jsonl)\n"
    "  --source NAME      provenance source of records that have none (default: IN's file name)\n"
    "  --licence ID       provenance licence of records that have none (e.g. Apache-2.0)\n"
    "\n"
    "data building (each prints its summary JSON on stderr; 'vietllm-cli data STEP --help'):\n"
    "  data clean IN... OUT           normalize; drop other languages, PII, toxic, low quality\n"
    "  data dedup IN... OUT           drop exact and near duplicates (MinHash, --threshold)\n"
    "  data decontaminate IN... OUT --against FILE[,FILE...]   drop overlaps with benchmarks\n"
    "  data export IN... OUTDIR       TRL files, train/validation split by source item, dataset card\n"
    "  data translate IN OUT --endpoint URL --model NAME   English to Vietnamese through a model\n"
    "  data harvest IN... OUT         instructions with human-written answers from Vietnamese text\n"
    "  data self-instruct SEEDS OUT --endpoint URL --model NAME   new instructions (ROUGE-L novelty)\n"
    "  data evol-instruct IN... OUT --endpoint URL --model NAME   harder, rarer evolved instructions\n"
    "  data run RECIPE.json [--resume] [--from STEP] [--project P]   a recipe of steps, resumable\n";

data::Format formatOption(const ParsedOptions& options, const std::string& name) {
    const std::string value = options.requiredValue(name);
    const data::Format format = data::parseFormat(value);
    if (format == data::Format::Invalid) {
        throw UserError("--" + name + ": unknown format '" + value +
                        "'; known formats: " + data::formatNameList());
    }
    return format;
}

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The side file of --skip-bad: one {"file","line","reason","text"} object per skipped line.
class BadLineFile {
public:
    explicit BadLineFile(const std::string& path) : m_writer(path) {}

    void add(const data::BadLine& bad_line) {
        const nlohmann::ordered_json entry = {{"file", bad_line.file},
                                              {"line", bad_line.line_number},
                                              {"reason", bad_line.reason},
                                              {"text", bad_line.text}};
        m_writer.stream() << entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        ++m_count;
    }
    std::size_t count() const { return m_count; }
    const std::string& path() const { return m_writer.targetPath(); }
    void commit() { m_writer.commit(); }

private:
    AtomicFileWriter m_writer;
    std::size_t m_count = 0;
};

struct ConvertSettings {
    data::Format from = data::Format::Invalid;
    data::Format to = data::Format::Invalid;
    std::string input_path;
    std::string input_name;  ///< the input in messages and provenance ("<stdin>" for "-")
    std::string output_path;
    std::string licence;
    data::ReadOptions read_options;
};

// Adds what this conversion did to the record's provenance.
void stampProvenance(data::Record& record, const ConvertSettings& settings) {
    const std::string step =
        std::string("convert:") + data::formatName(settings.from) + "->" + data::formatName(settings.to);
    std::visit(
        [&](auto& item) {
            if (item.provenance.licence.empty()) {
                item.provenance.licence = settings.licence;
            }
            item.provenance.transformations.push_back(step);
        },
        record);
}

struct ConvertCounts {
    std::size_t records = 0;  ///< input records converted
    std::size_t written = 0;  ///< output records (a tree can give many)
};

// Writes one record, or reports it (as an error, or to the side file) when the target format
// cannot hold it.
void convertRecord(data::Record&& record, const data::RecordLocation& location,
                   const ConvertSettings& settings, data::RecordWriter& writer, BadLineFile* bad_lines,
                   ConvertCounts& counts) {
    stampProvenance(record, settings);
    const std::string reason = data::unsupportedReason(settings.to, record);
    if (reason.empty()) {
        ++counts.records;
        counts.written += writer.write(record);
        return;
    }
    const std::string what = data::recordReason(
        location, std::string("cannot be written as ") + data::formatName(settings.to) + ": " + reason);
    if (bad_lines == nullptr) {
        throw UserError(locatedMessage(settings.input_name, location.line_number, what));
    }
    bad_lines->add({settings.input_name, location.line_number, what, data::toJson(record).dump()});
}

int convert(ConvertSettings settings, BadLineFile* bad_lines) {
    const std::unique_ptr<std::istream> input = data::openInputFile(settings.input_path);
    AtomicFileWriter output(settings.output_path);
    const data::Layout layout =
        endsWith(settings.output_path, ".json") ? data::Layout::JsonArray : data::Layout::JsonLines;
    const std::unique_ptr<data::RecordWriter> writer = data::makeWriter(settings.to, output.stream(), layout);
    if (bad_lines != nullptr) {
        settings.read_options.on_bad_line = [&](const data::BadLine& bad_line) { bad_lines->add(bad_line); };
    }
    ConvertCounts counts;
    data::readRecordsWithLocations(settings.from, *input, settings.input_name, settings.read_options,
                                   [&](data::Record&& record, const data::RecordLocation& location) {
                                       convertRecord(std::move(record), location, settings, *writer,
                                                     bad_lines, counts);
                                   });
    writer->finish();
    output.commit();
    std::cerr << "converted " << counts.records << " records";
    if (bad_lines != nullptr) {
        bad_lines->commit();
        std::cerr << ", skipped " << bad_lines->count() << " bad lines -> " << bad_lines->path();
    }
    std::cerr << " (wrote " << counts.written << ' ' << data::formatName(settings.to) << " records to "
              << settings.output_path << ")\n";
    return 0;
}

int runConvert(const Arguments& args) {
    const ParsedOptions options(args, {"from", "to", "bad-lines", "source", "licence"}, {"skip-bad", "help"});
    if (options.hasFlag("help")) {
        std::cout << kDataUsage;
        return 0;
    }
    if (options.positional().size() != 2) {
        throw UserError("data convert needs IN and OUT files (see 'vietllm-cli data --help')");
    }
    ConvertSettings settings;
    settings.from = formatOption(options, "from");
    settings.to = formatOption(options, "to");
    settings.input_path = options.positional()[0];
    settings.input_name = settings.input_path == "-" ? "<stdin>" : settings.input_path;
    settings.output_path = options.positional()[1];
    settings.licence = options.value("licence").value_or("");
    settings.read_options.skip_bad = options.hasFlag("skip-bad");
    settings.read_options.source_name = options.value("source").value_or("");
    if (!settings.read_options.skip_bad) {
        if (options.value("bad-lines")) {
            throw UserError("--bad-lines needs --skip-bad");
        }
        return convert(std::move(settings), nullptr);
    }
    BadLineFile bad_lines(options.value("bad-lines").value_or(settings.output_path + ".bad.jsonl"));
    return convert(std::move(settings), &bad_lines);
}

}  // namespace

int runDataCommand(const Arguments& args) {
    if (args.empty() || args.front() == "--help" || args.front() == "-h") {
        std::cout << kDataUsage;
        return args.empty() ? 2 : 0;
    }
    if (args.front() == "translate") {
        return runDataTranslate(Arguments(args.begin() + 1, args.end()));
    }
    if (isDataBuildStep(args.front())) {
        return runDataBuildStep(args.front(), Arguments(args.begin() + 1, args.end()));
    }
    if (isDataGenerateStep(args.front())) {
        return runDataGenerateStep(args.front(), Arguments(args.begin() + 1, args.end()));
    }
    if (args.front() == "run") {
        return runDataRun(Arguments(args.begin() + 1, args.end()));
    }
    if (args.front() != "convert") {
        throw UserError(
            "unknown data command '" + args.front() +
            "' (known: convert, clean, dedup, decontaminate, export, translate, harvest, self-instruct, "
            "evol-instruct, run)");
    }
    return runConvert(Arguments(args.begin() + 1, args.end()));
}

}  // namespace vietllm::cli
