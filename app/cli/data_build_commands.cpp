// `vietllm-cli data clean|dedup|decontaminate|export`: option parsing for the data-building
// steps of backend/databuild; each prints its summary JSON on stderr.

#include "app/cli/data_build_commands.h"

#include "app/cli/options.h"
#include "app/cli/step_options.h"
#include "backend/common/errors.h"
#include "backend/databuild/clean.h"
#include "backend/databuild/decontaminate.h"
#include "backend/databuild/dedup.h"
#include "backend/databuild/export.h"

#include <iostream>
#include <set>

#ifdef VIETLLM_CARD_CHARTS
#include "app/cli/charts/card_chart_painter.h"
#endif

namespace vietllm::cli {

namespace {

constexpr const char* kCommonUsage =
    "input and output (every step):\n"
    "  IN...                one or more JSONL files (or one JSON array each; gzip is read; '-' is stdin)\n"
    "  --format FORMAT      format of the inputs (default messages; see 'vietllm-cli data --help')\n"
    "  --to FORMAT          format of OUT (default: messages, preference for pair formats, oasst for trees)\n"
    "  --skip-bad           send bad input lines to the side file (reason bad-line) instead of stopping\n"
    "  --shard I/N          process only records I, I+N, I+2N, ... (0-based, over all inputs)\n"
    "  --threads N          worker threads (default: the machine's hardware threads)\n"
    "  --batch-size N       records held in memory per batch (default 512)\n"
    "  --summary-out FILE   also write the summary JSON printed on stderr to FILE\n";

constexpr const char* kCleanUsage =
    "usage: vietllm-cli data clean IN... OUT [options]\n"
    "Normalizes every text field, then drops records in another language (user and assistant turns\n"
    "checked separately), with personal data (or redacts it), toxic ones and low-quality ones.\n"
    "Dropped records go to OUT.dropped.jsonl with their reasons.\n\n"
    "  --dropped FILE                       side file of dropped records (default OUT.dropped.jsonl)\n"
    "  --lang CODE                          required language of every turn (default vi; 'any': no check)\n"
    "  --pii redact|drop|keep               personal data policy (default redact)\n"
    "  --max-toxicity X                     drop when a line's toxicity score exceeds X (default 0.9; 1: "
    "off)\n"
    "  --min-vietnamese-syllable-ratio X    (default 0.5; 0: off; only with --lang vi)\n"
    "  --max-duplicate-line-ratio X         (default 0.3; 1: off)\n"
    "  --min-chars N                        every text field at least N code points (default 1)\n"
    "  --max-chars N                        all fields together at most N code points (default 0: no limit)\n"
    "  --tone-style hóa|hoà                 tone placement of oa/oe/uy (default hóa)\n"
    "  --fix-legacy                         repair TCVN3/VNI/VIQR/CP1258 text first\n"
    "  --no-normalize                       leave the text as it is\n\n";

constexpr const char* kDedupUsage =
    "usage: vietllm-cli data dedup IN... OUT [options]\n"
    "Drops exact duplicates (same normalized text) and near duplicates (MinHash over syllable\n"
    "shingles with LSH banding) within and across the inputs, keeping the first occurrence.\n"
    "Duplicates go to OUT.duplicates.jsonl with the id, file and line of the record they repeat.\n\n"
    "  --duplicates FILE     side file (default OUT.duplicates.jsonl)\n"
    "  --threshold X         Jaccard similarity of near duplicates (default 0.8)\n"
    "  --shingle-size N      syllables per shingle (default 5)\n"
    "  --permutations N      MinHash hash functions (default 128)\n"
    "  --seed N              MinHash seed (default 1)\n"
    "  --exact-only          no near-duplicate detection\n"
    "  --signatures-out FILE also write every record's keys (exact hash, MinHash) to FILE, for a merge\n"
    "  --merge-shards SIG[,SIG...]\n"
    "                        the cross-shard pass: the signature files of 'dedup --shard I/N\n"
    "                        --signatures-out' runs over the same IN... (or of runs over parts of IN...,\n"
    "                        in order); writes OUT and the side file exactly as one unsharded run\n"
    "                        (keys are read, not computed; --threshold applies)\n\n";

constexpr const char* kDecontaminateUsage =
    "usage: vietllm-cli data decontaminate IN... OUT --against FILE[,FILE...] [options]\n"
    "Drops records sharing an n-gram of syllables with evaluation data. Benchmark files are JSONL\n"
    "of any shape: every string value is read as text. Matches (record id, file, line, benchmark\n"
    "file and line, the n-gram) go to OUT.matches.jsonl.\n\n"
    "  --against FILE[,FILE...]  benchmark files (required)\n"
    "  --matches FILE            side file (default OUT.matches.jsonl)\n"
    "  --ngram N                 syllables per n-gram (default 13); shorter benchmark strings count whole\n"
    "  --min-tokens N            benchmark strings shorter than N syllables are ignored (default 8)\n\n";

constexpr const char* kExportUsage =
    "usage: vietllm-cli data export IN... OUTDIR [options]\n"
    "Writes OUTDIR/train.jsonl and OUTDIR/validation.jsonl in the formats TRL and our trainer read,\n"
    "split by source item (records of one item never straddle the split), OUTDIR/README.md (a\n"
    "dataset card) and OUTDIR/skipped.jsonl (records the kind cannot hold).\n\n"
    "  --kind sft|preference      sft: {\"messages\"}; preference: {\"prompt\",\"chosen\",\"rejected\"} "
    "(default sft)\n"
    "  --valid-fraction X         share of source items in validation (default 0.05)\n"
    "  --seed N                   split seed (default 42)\n"
    "  --name NAME                dataset card title (default: OUTDIR's name)\n"
    "  --summary FILE[,FILE...]   summaries of earlier steps (--summary-out) listed as filters\n"
    "The card links PNG charts (lengths of user and assistant turns, records per source and per\n"
    "language) drawn into OUTDIR when vietllm-cli is built with the GUI libraries.\n\n";

const std::set<std::string> kCommonValues = {"format", "to", "shard", "threads", "batch-size", "summary-out"};
const std::set<std::string> kCommonFlags = {"skip-bad", "help"};

// What every step reads and writes; OUT is the last positional argument.
struct CommonSettings {
    databuild::InputOptions input;
    std::string output;
    data::Format output_format = data::Format::Invalid;
    std::string summary_out;
};

CommonSettings commonSettings(const ParsedOptions& options, const std::string& step) {
    const std::vector<std::string>& positional = options.positional();
    if (positional.size() < 2) {
        throw UserError("data " + step + " needs IN... and OUT (see 'vietllm-cli data " + step + " --help')");
    }
    CommonSettings settings;
    settings.input.paths.assign(positional.begin(), positional.end() - 1);
    settings.output = positional.back();
    settings.input.format = formatOption("format", options.value("format").value_or("messages"));
    settings.output_format = options.value("to") ? formatOption("to", *options.value("to"))
                                                 : databuild::naturalOutputFormat(settings.input.format);
    settings.input.skip_bad = options.hasFlag("skip-bad");
    if (const auto shard = options.value("shard")) {
        settings.input.shard = databuild::parseShard(*shard);
    }
    settings.input.threads =
        static_cast<unsigned>(countOption(options, "threads", databuild::defaultThreadCount(), 1));
    settings.input.batch_size = countOption(options, "batch-size", 512, 1);
    settings.summary_out = options.value("summary-out").value_or("");
    return settings;
}

nlohmann::ordered_json report(nlohmann::ordered_json summary, const CommonSettings& settings) {
    if (!settings.summary_out.empty()) {
        databuild::writeSummaryFile(settings.summary_out, summary);
    }
    return summary;
}

const char* usageOf(const std::string& step) {
    if (step == "clean") return kCleanUsage;
    if (step == "dedup") return kDedupUsage;
    if (step == "decontaminate") return kDecontaminateUsage;
    return kExportUsage;
}

nlohmann::ordered_json runClean(const ParsedOptions& options) {
    const CommonSettings settings = commonSettings(options, "clean");
    databuild::CleanJob job;
    job.input = settings.input;
    job.output_path = settings.output;
    job.output_format = settings.output_format;
    job.dropped_path = options.value("dropped").value_or(settings.output + ".dropped.jsonl");
    databuild::CleanOptions& clean = job.options;
    clean.normalize = !options.hasFlag("no-normalize");
    clean.normalize_options.fix_legacy = options.hasFlag("fix-legacy");
    clean.normalize_options.tone_style = toneStyleOption(options, clean.normalize_options.tone_style);
    const std::string lang = options.value("lang").value_or("vi");
    clean.lang = lang == "any" ? "" : lang;
    const std::string pii = options.value("pii").value_or("redact");
    clean.pii = databuild::parsePiiPolicy(pii);
    if (clean.pii == databuild::PiiPolicy::Invalid) {
        throw UserError("--pii: '" + pii + "' is not redact, drop or keep");
    }
    clean.max_toxicity = numberOption(options, "max-toxicity", clean.max_toxicity, 0, 1);
    clean.min_vietnamese_syllable_ratio =
        numberOption(options, "min-vietnamese-syllable-ratio", clean.min_vietnamese_syllable_ratio, 0, 1);
    clean.max_duplicate_line_ratio =
        numberOption(options, "max-duplicate-line-ratio", clean.max_duplicate_line_ratio, 0, 1);
    clean.min_chars = countOption(options, "min-chars", clean.min_chars, 0);
    clean.max_chars = countOption(options, "max-chars", clean.max_chars, 0);
    return report(databuild::runClean(job), settings);
}

nlohmann::ordered_json runDedupMerge(const ParsedOptions& options, const CommonSettings& settings) {
    for (const char* name : {"shingle-size", "permutations", "seed", "signatures-out", "shard"}) {
        if (options.value(name)) {
            throw UserError(std::string("--") + name +
                            ": not with --merge-shards (the signature files hold the shards' settings)");
        }
    }
    if (options.hasFlag("exact-only")) {
        throw UserError(
            "--exact-only: not with --merge-shards (the signature files hold the shards' settings)");
    }
    databuild::DedupMergeJob job;
    job.input = settings.input;
    job.signature_paths = commaList(*options.value("merge-shards"));
    job.output_path = settings.output;
    job.output_format = settings.output_format;
    job.duplicates_path = options.value("duplicates").value_or(settings.output + ".duplicates.jsonl");
    job.threshold = numberOption(options, "threshold", job.threshold, 0.01, 1);
    return report(databuild::runDedupMerge(job), settings);
}

nlohmann::ordered_json runDedup(const ParsedOptions& options) {
    const CommonSettings settings = commonSettings(options, "dedup");
    if (options.value("merge-shards")) {
        return runDedupMerge(options, settings);
    }
    databuild::DedupJob job;
    job.input = settings.input;
    job.output_path = settings.output;
    job.output_format = settings.output_format;
    job.duplicates_path = options.value("duplicates").value_or(settings.output + ".duplicates.jsonl");
    job.options.threshold = numberOption(options, "threshold", job.options.threshold, 0.01, 1);
    job.options.shingle_size = countOption(options, "shingle-size", job.options.shingle_size, 1);
    job.options.permutations = countOption(options, "permutations", job.options.permutations, 1);
    job.options.seed = countOption(options, "seed", job.options.seed, 0);
    job.options.near = !options.hasFlag("exact-only");
    job.signatures_path = options.value("signatures-out").value_or("");
    return report(databuild::runDedup(job), settings);
}

nlohmann::ordered_json runDecontaminate(const ParsedOptions& options) {
    const CommonSettings settings = commonSettings(options, "decontaminate");
    databuild::DecontaminateJob job;
    job.input = settings.input;
    job.output_path = settings.output;
    job.output_format = settings.output_format;
    job.against = commaList(options.requiredValue("against"));
    job.matches_path = options.value("matches").value_or(settings.output + ".matches.jsonl");
    job.options.ngram = countOption(options, "ngram", job.options.ngram, 1);
    job.options.min_tokens = countOption(options, "min-tokens", job.options.min_tokens, 1);
    return report(databuild::runDecontaminate(job), settings);
}

nlohmann::ordered_json runExport(const ParsedOptions& options) {
    if (options.value("to")) {
        throw UserError("--to: data export writes the TRL formats chosen by --kind");
    }
    const CommonSettings settings = commonSettings(options, "export");
    databuild::ExportJob job;
    job.input = settings.input;
    job.output_dir = settings.output;
    const std::string kind = options.value("kind").value_or("sft");
    job.kind = databuild::parseExportKind(kind);
    if (job.kind == databuild::ExportKind::Invalid) {
        throw UserError("--kind: '" + kind + "' is not sft or preference");
    }
    job.valid_fraction = numberOption(options, "valid-fraction", job.valid_fraction, 0, 0.99);
    job.seed = countOption(options, "seed", job.seed, 0);
    job.dataset_name = options.value("name").value_or("");
    job.summary_paths = commaList(options.value("summary").value_or(""));
#ifdef VIETLLM_CARD_CHARTS
    const CardChartPainter painter;
    job.chart_renderer = [&painter](const databuild::CardChart& chart, const std::string& path) {
        painter.draw(chart, path);
    };
#endif
    return report(databuild::runExport(job), settings);
}

}  // namespace

bool isDataBuildStep(const std::string& step) {
    return step == "clean" || step == "dedup" || step == "decontaminate" || step == "export";
}

StepOptionNames dataBuildOptionNames(const std::string& step) {
    if (step == "clean") {
        return {withNames({"dropped", "lang", "pii", "max-toxicity", "min-vietnamese-syllable-ratio",
                           "max-duplicate-line-ratio", "min-chars", "max-chars", "tone-style"},
                          kCommonValues),
                withNames({"fix-legacy", "no-normalize"}, kCommonFlags)};
    }
    if (step == "dedup") {
        return {withNames({"duplicates", "threshold", "shingle-size", "permutations", "seed",
                           "signatures-out", "merge-shards"},
                          kCommonValues),
                withNames({"exact-only"}, kCommonFlags)};
    }
    if (step == "decontaminate") {
        return {withNames({"against", "matches", "ngram", "min-tokens"}, kCommonValues), kCommonFlags};
    }
    return {withNames({"kind", "valid-fraction", "seed", "name", "summary"}, kCommonValues), kCommonFlags};
}

nlohmann::ordered_json runDataBuildJob(const std::string& step, const ParsedOptions& options) {
    if (step == "clean") return runClean(options);
    if (step == "dedup") return runDedup(options);
    if (step == "decontaminate") return runDecontaminate(options);
    return runExport(options);
}

int runDataBuildStep(const std::string& step, const Arguments& args) {
    const StepOptionNames names = dataBuildOptionNames(step);
    const ParsedOptions options(args, names.values, names.flags);
    if (options.hasFlag("help")) {
        std::cout << usageOf(step) << kCommonUsage;
        return 0;
    }
    const nlohmann::ordered_json summary = runDataBuildJob(step, options);
    std::cerr << summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return 0;
}

}  // namespace vietllm::cli
