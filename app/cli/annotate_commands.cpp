// `vietllm-cli annotate ...`: offline multi-annotator work on a project: task packs out to
// annotators and back, agreement, leaderboard, conflicts and training exports from the
// trust-weighted consensus (see docs/annotation.md).

#include "app/cli/annotate_commands.h"
#include "app/cli/options.h"
#include "backend/common/errors.h"
#include "backend/store/annotation_export.h"
#include "backend/store/consensus_store.h"
#include "backend/store/packs.h"
#include "backend/store/ranking_queue.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace vietllm::cli {

namespace {

constexpr const char* kAnnotateUsage =
    "usage: vietllm-cli annotate SUBCOMMAND ... [options]\n"
    "Offline annotation by several annotators with task packs (*.vlpack), and what their votes say.\n"
    "\n"
    "  tasks PROJECT [--dataset NAME] [--min-replies N] [--required N] [--json]\n"
    "            create a ranking task for every message with N (default 2) to 4 replies that has\n"
    "            none yet (tree nodes, preference prompts; --required rankings each, default 3),\n"
    "            then print the tasks by status; running it again only adds what is new\n"
    "  pack-export PROJECT --out PACK --annotator NAME [--dataset NAME] [--tasks ranking,labels]\n"
    "              [--limit N] [--redundancy N] [--instructions FILE]\n"
    "            write a task pack for one annotator: up to N (default 50) ranking tasks and/or\n"
    "            records to label that fewer than --redundancy (default 3) annotators did or hold\n"
    "  pack-open PACK --project WORK\n"
    "            create the working project WORK from a task pack, to annotate offline\n"
    "  pack-return WORK --out RETURN\n"
    "            write the annotator's rankings and labels in WORK to a return pack\n"
    "  merge PROJECT RETURN...\n"
    "            merge return packs (each all or nothing; merging one twice changes nothing)\n"
    "  agreement PROJECT [--dataset NAME] [--json]\n"
    "            Krippendorff's alpha per label; Kendall tau-b and pairwise agreement of rankings\n"
    "  leaderboard PROJECT [--dataset NAME] [--json]\n"
    "            per annotator: rankings and labels done, agreement with consensus, trust\n"
    "  conflicts PROJECT [--dataset NAME] [--limit N] [--json]\n"
    "            ranking tasks where annotators disagree most (default 20)\n"
    "  export PROJECT --kind sft|pairs|pairs-raw|oasst --out FILE [--dataset NAME] [--min-trust X]\n"
    "            training data from the trust-weighted consensus (pairs-raw: every annotator's own)\n";

std::vector<std::string> positionals(const ParsedOptions& options, std::size_t minimum, std::size_t maximum,
                                     const std::string& expected) {
    const std::vector<std::string>& values = options.positional();
    if (values.size() < minimum || values.size() > maximum) {
        throw UserError("expected " + expected + " (got " + std::to_string(values.size()) +
                        " arguments); see 'vietllm-cli annotate --help'");
    }
    return values;
}

std::size_t countOption(const ParsedOptions& options, const std::string& name, std::size_t fallback) {
    const std::optional<std::string> value = options.value(name);
    if (!value) {
        return fallback;
    }
    if (value->empty() || value->find_first_not_of("0123456789") != std::string::npos || value->size() > 6) {
        throw UserError("--" + name + " must be a whole number up to 999999, not '" + *value + "'");
    }
    return std::stoul(*value);
}

std::optional<std::int64_t> datasetOption(const store::ProjectStore& project, const ParsedOptions& options) {
    if (const auto name = options.value("dataset")) {
        return project.requireDataset(*name).id;
    }
    return std::nullopt;
}

std::string readTextFile(const std::string& path) {
    std::ifstream input(path, std::ios::binary);
    if (!input) {
        throw UserError(path + ": cannot read the instructions file");
    }
    std::ostringstream text;
    text << input.rdbuf();
    return text.str();
}

std::string fixed(const std::optional<double>& value) {
    if (!value) {
        return "-";
    }
    char text[32];
    std::snprintf(text, sizeof(text), "%.3f", *value);
    return text;
}

nlohmann::ordered_json optionalJson(const std::optional<double>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

int printJson(const nlohmann::ordered_json& value) {
    std::cout << value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return std::cout.flush() ? 0 : 1;
}

int runTasks(const Arguments& args) {
    const ParsedOptions options(args, {"dataset", "min-replies", "required"}, {"json"});
    const std::string file = positionals(options, 1, 1, "PROJECT")[0];
    store::ProjectStore project = store::ProjectStore::open(file, store::OpenMode::ReadWrite);
    const std::optional<std::int64_t> dataset_id = datasetOption(project, options);
    const std::size_t min_replies = countOption(options, "min-replies", 2);
    if (min_replies < 2 || min_replies > store::kMaxRankingCandidates) {
        throw UserError("--min-replies must be 2 to " + std::to_string(store::kMaxRankingCandidates) +
                        ", not " + std::to_string(min_replies));
    }
    const std::size_t required = countOption(options, "required", 3);
    if (required < 1) {
        throw UserError("--required must be at least 1");
    }
    const std::int64_t created =
        store::createRankingTasks(project, dataset_id, static_cast<int>(required), min_replies);
    const store::RankingTaskCounts counts = store::rankingTaskCounts(project, dataset_id);
    if (options.hasFlag("json")) {
        return printJson({{"created", created},
                          {"open", counts.open},
                          {"done", counts.done},
                          {"cancelled", counts.cancelled},
                          {"total", counts.open + counts.done + counts.cancelled}});
    }
    std::cout << "created " << created << " ranking tasks; " << counts.open << " open, " << counts.done
              << " done, " << counts.cancelled << " cancelled\n";
    return std::cout.flush() ? 0 : 1;
}

int runPackExport(const Arguments& args) {
    const ParsedOptions options(
        args, {"out", "annotator", "dataset", "tasks", "limit", "redundancy", "instructions"}, {});
    const std::string file = positionals(options, 1, 1, "PROJECT")[0];
    store::ProjectStore project = store::ProjectStore::open(file, store::OpenMode::ReadWrite);
    store::PackExportRequest request;
    request.output_path = options.requiredValue("out");
    request.annotator_name = options.requiredValue("annotator");
    request.dataset_id = datasetOption(project, options);
    request.limit = countOption(options, "limit", 50);
    request.redundancy = static_cast<int>(countOption(options, "redundancy", 3));
    if (const auto instructions = options.value("instructions")) {
        request.instructions = readTextFile(*instructions);
    }
    if (const auto tasks = options.value("tasks")) {
        request.ranking = false;
        std::istringstream list(*tasks);
        for (std::string task; std::getline(list, task, ',');) {
            if (task == "ranking") {
                request.ranking = true;
            } else if (task == "labels") {
                request.labels = true;
            } else {
                throw UserError("--tasks: unknown task '" + task + "' (ranking, labels)");
            }
        }
    }
    const store::PackSummary summary = store::exportTaskPack(project, request);
    std::cerr << "wrote pack " << summary.pack_id << " for " << summary.annotator << " to "
              << request.output_path << ": " << summary.ranking_tasks << " ranking tasks, " << summary.records
              << " records\n";
    return 0;
}

int runPackOpen(const Arguments& args) {
    const ParsedOptions options(args, {"project"}, {});
    const std::string pack = positionals(options, 1, 1, "PACK")[0];
    const std::string work = options.requiredValue("project");
    const store::PackSummary summary = store::openTaskPack(pack, work);
    std::cerr << "created working project " << work << " for " << summary.annotator << " from pack "
              << summary.pack_id << ": " << summary.ranking_tasks << " ranking tasks, " << summary.records
              << " records\n";
    return 0;
}

int runPackReturn(const Arguments& args) {
    const ParsedOptions options(args, {"out"}, {});
    const std::string work = positionals(options, 1, 1, "WORK")[0];
    const std::string out = options.requiredValue("out");
    const store::ProjectStore project = store::ProjectStore::open(work, store::OpenMode::ReadOnly);
    const store::PackSummary summary = store::writeReturnPack(project, out);
    std::cerr << "wrote return pack " << summary.pack_id << " of " << summary.annotator << " to " << out
              << ": " << summary.rankings << " rankings, " << summary.labels << " labels\n";
    return 0;
}

int runMerge(const Arguments& args) {
    const ParsedOptions options(args, {}, {});
    const std::vector<std::string> files = positionals(options, 2, 100000, "PROJECT RETURN...");
    store::ProjectStore project = store::ProjectStore::open(files[0], store::OpenMode::ReadWrite);
    for (std::size_t i = 1; i < files.size(); ++i) {
        const store::PackSummary summary = store::mergeReturnPack(project, files[i]);
        if (summary.already_merged) {
            std::cerr << files[i] << ": pack " << summary.pack_id << " was already merged; nothing changed\n";
            continue;
        }
        std::cerr << files[i] << ": merged pack " << summary.pack_id << " of " << summary.annotator << ": "
                  << summary.rankings << " rankings, " << summary.labels << " labels changed ("
                  << summary.replaced << " replaced an earlier vote)\n";
    }
    return 0;
}

int runAgreement(const Arguments& args) {
    const ParsedOptions options(args, {"dataset"}, {"json"});
    const std::string file = positionals(options, 1, 1, "PROJECT")[0];
    const store::ProjectStore project = store::ProjectStore::open(file, store::OpenMode::ReadOnly);
    const store::AgreementReport report = store::agreementReport(project, datasetOption(project, options));
    if (options.hasFlag("json")) {
        return printJson(store::toJson(report));
    }
    std::cout << "labels (Krippendorff's alpha):\n";
    for (const store::LabelAgreement& label : report.labels) {
        std::cout << "  " << label.name << " (" << annotate::measurementName(label.measurement) << "): alpha "
                  << fixed(label.alpha) << ", " << label.units << " items, " << label.annotators
                  << " annotators\n";
    }
    const store::RankingAgreement& ranking = report.ranking;
    std::cout << "rankings: " << ranking.items << " items ranked by 2+ annotators, " << ranking.annotators
              << " annotators, " << ranking.pairs << " pairs of rankings; mean tau-b "
              << fixed(ranking.mean_tau_b) << ", pairwise agreement " << fixed(ranking.pairwise_agreement)
              << '\n';
    return std::cout.flush() ? 0 : 1;
}

int runLeaderboard(const Arguments& args) {
    const ParsedOptions options(args, {"dataset"}, {"json"});
    const std::string file = positionals(options, 1, 1, "PROJECT")[0];
    const store::ProjectStore project = store::ProjectStore::open(file, store::OpenMode::ReadOnly);
    const std::vector<store::LeaderboardRow> rows =
        store::leaderboard(project, datasetOption(project, options));
    if (options.hasFlag("json")) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const store::LeaderboardRow& row : rows) {
            list.push_back({{"annotator", row.name},
                            {"display_name", row.display_name},
                            {"kind", row.kind},
                            {"rankings", row.rankings},
                            {"labels", row.labels},
                            {"agreement", optionalJson(row.agreement)},
                            {"trust", optionalJson(row.trust)}});
        }
        return printJson(list);
    }
    std::cout << "annotator\trankings\tlabels\tagreement\ttrust\n";
    for (const store::LeaderboardRow& row : rows) {
        std::cout << row.name << '\t' << row.rankings << '\t' << row.labels << '\t' << fixed(row.agreement)
                  << '\t' << fixed(row.trust) << '\n';
    }
    return std::cout.flush() ? 0 : 1;
}

int runConflicts(const Arguments& args) {
    const ParsedOptions options(args, {"dataset", "limit"}, {"json"});
    const std::string file = positionals(options, 1, 1, "PROJECT")[0];
    const store::ProjectStore project = store::ProjectStore::open(file, store::OpenMode::ReadOnly);
    const std::vector<store::ConflictRow> rows =
        store::conflicts(project, datasetOption(project, options), countOption(options, "limit", 20));
    if (options.hasFlag("json")) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const store::ConflictRow& row : rows) {
            list.push_back({{"task_id", row.task_id},
                            {"record_id", row.record_id},
                            {"rankings", row.ballots},
                            {"mean_tau_to_consensus", optionalJson(row.mean_tau)},
                            {"not_rankable_share", row.not_rankable_share},
                            {"prompt", row.prompt}});
        }
        return printJson(list);
    }
    std::cout << "task\trecord\trankings\tmean_tau\tnot_rankable\tprompt\n";
    for (const store::ConflictRow& row : rows) {
        std::cout << row.task_id << '\t' << row.record_id << '\t' << row.ballots << '\t'
                  << fixed(row.mean_tau) << '\t' << fixed(row.not_rankable_share) << '\t' << row.prompt
                  << '\n';
    }
    return std::cout.flush() ? 0 : 1;
}

int runExport(const Arguments& args) {
    const ParsedOptions options(args, {"kind", "out", "dataset", "min-trust"}, {});
    const std::string file = positionals(options, 1, 1, "PROJECT")[0];
    const store::ProjectStore project = store::ProjectStore::open(file, store::OpenMode::ReadOnly);
    store::AnnotationExportRequest request;
    const std::string kind = options.requiredValue("kind");
    request.kind = store::parseAnnotationExportKind(kind);
    if (request.kind == store::AnnotationExportKind::Invalid) {
        throw UserError("--kind: unknown kind '" + kind + "' (sft, pairs, pairs-raw, oasst)");
    }
    request.output_path = options.requiredValue("out");
    request.dataset_id = datasetOption(project, options);
    if (const auto min_trust = options.value("min-trust")) {
        std::size_t used = 0;
        try {
            request.min_trust = std::stod(*min_trust, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != min_trust->size() || request.min_trust < 0.0 || request.min_trust > 1.0) {
            throw UserError("--min-trust must be a number from 0 to 1, not '" + *min_trust + "'");
        }
    }
    const store::AnnotationExportSummary summary = store::exportAnnotations(project, request);
    std::cerr << "wrote " << summary.written << " lines to " << request.output_path << " from "
              << summary.tasks << " ranked tasks (" << summary.not_rankable << " not rankable, "
              << summary.unranked << " without an order, " << summary.dropped_ballots
              << " rankings below the minimum trust";
    if (summary.unwritable > 0) {
        std::cerr << ", " << summary.unwritable << " records that are not trees";
    }
    std::cerr << ")\n";
    return 0;
}

}  // namespace

int runAnnotateCommand(const Arguments& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kAnnotateUsage;
        return args.empty() ? 2 : 0;
    }
    const std::map<std::string, int (*)(const Arguments&)> subcommands = {
        {"tasks", runTasks},
        {"pack-export", runPackExport},
        {"pack-open", runPackOpen},
        {"pack-return", runPackReturn},
        {"merge", runMerge},
        {"agreement", runAgreement},
        {"leaderboard", runLeaderboard},
        {"conflicts", runConflicts},
        {"export", runExport},
    };
    const auto found = subcommands.find(args[0]);
    if (found == subcommands.end()) {
        throw UserError(
            "unknown subcommand '" + args[0] +
            "' (tasks, pack-export, pack-open, pack-return, merge, agreement, leaderboard, conflicts, "
            "export)");
    }
    return found->second(Arguments(args.begin() + 1, args.end()));
}

}  // namespace vietllm::cli
