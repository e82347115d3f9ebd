// `vietllm-cli data run RECIPE.json [--resume] [--from STEP] [--project P] [--progress MODE]
// [--shard I/N]`: each recipe step becomes the argument list of its own command (data clean,
// data harvest, ...) and goes through that command's option parser, so a recipe step and the
// command typed by hand behave the same. Job records (OUT.job.json) make a re-run skip what is
// finished; model steps continue from their response cache.

#include "app/cli/data_run_command.h"

#include "app/cli/data_build_commands.h"
#include "app/cli/data_generate_commands.h"
#include "app/cli/data_translate_command.h"
#include "backend/common/errors.h"
#include "backend/databuild/job_log.h"
#include "backend/databuild/recipe.h"
#include "backend/store/jobs.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>

namespace vietllm::cli {

namespace {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr const char* kRunUsage =
    "usage: vietllm-cli data run RECIPE.json [--resume] [--from STEP] [--project P.vietllm] [--dry-run]\n"
    "                            [--progress bar|json|lines] [--shard I/N] [--local-model DIR]\n"
    "Runs the steps of a data recipe in order (translate, harvest, self-instruct, evol-instruct, clean,\n"
    "dedup, decontaminate, export); see docs/databuild.md and resources/recipes/. Each step's options\n"
    "are those of 'vietllm-cli data STEP'. Every step keeps a job record OUT.job.json (started,\n"
    "finished, settings, input and output SHA-256, counts, endpoint usage and cost) and model steps a\n"
    "response cache OUT.cache.sqlite.\n\n"
    "  --resume          skip steps whose record says finished and whose settings, inputs and output\n"
    "                    still match; a half-done model step continues from its cache (no paid call is\n"
    "                    repeated, no record duplicated)\n"
    "  --from STEP       run STEP and the steps after it; the steps before must have finished\n"
    "  --project P       also record every step's job in the project (table data_job)\n"
    "  --progress MODE   bar (default on a terminal), json (JSON lines on stdout, for the GUI) or lines\n"
    "  --dry-run         check the recipe (options, inputs) and print each step's command; run nothing\n"
    "  --local-model DIR every model step that names no endpoint starts 'vietllm-engine serve' on DIR\n"
    "                    (a model folder) for its run instead of the recipe's endpoint\n"
    "  --shard I/N       run shard I of N: translate, harvest, self-instruct (one shared pool,\n"
    "                    OUT.pool.jsonl), evol-instruct and clean keep their share of the records;\n"
    "                    outputs get '.shard-I-of-N' in their names\n";

enum class ProgressMode { Invalid = 0, Bar, Json, Lines };

// How a step kind is run: its command's options and job function.
struct StepKind {
    StepOptionNames names;
    bool model = false;      ///< takes the recipe's endpoint/model defaults
    bool shardable = false;  ///< takes --shard
    bool partial = false;    ///< writes OUT.partial, renamed when complete (translate appends)
    std::function<ordered_json(const ParsedOptions&, const StepRunContext&)> run;
};

StepKind stepKind(const std::string& step) {
    if (step == "translate") {
        return {translateOptionNames(), true, true, true, runTranslateJob};
    }
    if (isDataGenerateStep(step)) {
        return {dataGenerateOptionNames(step), true, true, false,
                [step](const ParsedOptions& options, const StepRunContext& context) {
                    return runDataGenerateJob(step, options, context);
                }};
    }
    return {dataBuildOptionNames(step), false, step == "clean", false,
            [step](const ParsedOptions& options, const StepRunContext&) {
                return runDataBuildJob(step, options);
            }};
}

std::string optionName(const std::string& key) {
    std::string name = key;
    for (char& c : name) {
        if (c == '_') c = '-';
    }
    return name;
}

std::string shardedPath(const std::string& path, const std::optional<databuild::Shard>& shard) {
    if (!shard) {
        return path;
    }
    const std::string tag = ".shard-" + std::to_string(shard->index) + "-of-" + std::to_string(shard->count);
    const fs::path file(path);
    const std::string name = file.filename().string();
    const std::size_t dot = name.find('.');
    const std::string sharded =
        dot == std::string::npos || dot == 0 ? name + tag : name.substr(0, dot) + tag + name.substr(dot);
    return (file.parent_path() / sharded).string();
}

store::DataJobRow jobRow(const databuild::JobRecord& record) {
    const ordered_json json = databuild::toJson(record);
    return {record.recipe,
            record.step_id,
            record.step,
            record.status,
            record.started_at,
            record.finished_at,
            record.config_sha256,
            json["inputs"].dump(),
            record.output.path,
            record.output.sha256,
            record.summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

// A recipe step ready to run: its command line, where it writes, its job record.
struct PlannedStep {
    const databuild::RecipeStep* step = nullptr;
    StepKind kind;
    Arguments arguments;
    std::vector<std::string> inputs;
    std::string output;  ///< where the step's result ends up
    std::string writes;  ///< where the command writes (OUT.partial for translate)
    std::string config_sha256;
};

class RecipeRunner {
public:
    RecipeRunner(const databuild::Recipe& recipe, ProgressMode mode, std::optional<databuild::Shard> shard,
                 std::string project, std::string local_model)
        : m_recipe(recipe),
          m_mode(mode),
          m_shard(shard),
          m_project(std::move(project)),
          m_local_model(std::move(local_model)) {}

    /// Checks the recipe against every step's options and prints the command each step runs.
    int plan() const {
        const std::vector<PlannedStep> steps = makePlan();
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const PlannedStep& planned = steps[i];
            if (m_mode == ProgressMode::Json) {
                emit({{"event", "plan"},
                      {"id", planned.step->id},
                      {"step", planned.step->step},
                      {"index", i},
                      {"arguments", planned.arguments}});
                continue;
            }
            std::cout << planned.step->id << ": vietllm-cli data " << planned.step->step;
            for (const std::string& argument : planned.arguments) std::cout << ' ' << argument;
            std::cout << '\n';
        }
        return 0;
    }

    int run(bool resume, const std::string& from) {
        std::vector<PlannedStep> plan = makePlan();
        std::size_t first_to_run = 0;
        if (!from.empty()) {
            const auto found = std::find_if(plan.begin(), plan.end(), [&](const PlannedStep& planned) {
                return planned.step->id == from;
            });
            if (found == plan.end()) {
                throw UserError("--from: no step '" + from + "' in " + m_recipe.path);
            }
            first_to_run = static_cast<std::size_t>(found - plan.begin());
        }
        emit({{"event", "start"}, {"recipe", m_recipe.name}, {"steps", plan.size()}});
        std::size_t ran = 0;
        std::size_t skipped = 0;
        for (std::size_t i = 0; i < plan.size(); ++i) {
            const bool intact = isFinishedAndIntact(plan[i]);
            if (i < first_to_run && !intact) {
                throw UserError("--from " + from + ": step '" + plan[i].step->id +
                                "' before it has not finished (or its output changed); run without --from");
            }
            if (intact && (i < first_to_run || (resume && from.empty()))) {
                ++skipped;
                emit({{"event", "step"},
                      {"id", plan[i].step->id},
                      {"step", plan[i].step->step},
                      {"index", i},
                      {"status", "skipped"},
                      {"output", plan[i].output}});
                continue;
            }
            runStep(plan[i], i, plan.size());
            ++ran;
        }
        emit({{"event", "done"}, {"recipe", m_recipe.name}, {"steps_run", ran}, {"steps_skipped", skipped}});
        return 0;
    }

private:
    std::vector<PlannedStep> makePlan() const {
        std::vector<PlannedStep> plan;
        std::map<std::string, std::string> outputs;  // step id -> output
        for (const databuild::RecipeStep& step : m_recipe.steps) {
            PlannedStep planned;
            planned.step = &step;
            planned.kind = stepKind(step.step);
            for (std::size_t i = 0; i < step.inputs.size(); ++i) {
                const databuild::RecipeInput& input = step.inputs[i];
                if (input.step_id.empty() && !fs::exists(input.path)) {
                    throw UserError(databuild::recipeMessage(
                        m_recipe.path,
                        step.json_path + ".in" +
                            (step.inputs.size() > 1 ? "[" + std::to_string(i) + "]" : ""),
                        "no such file: " + input.path));
                }
                planned.inputs.push_back(input.step_id.empty() ? input.path : outputs.at(input.step_id));
            }
            planned.output = shardedPath(step.output, m_shard);
            planned.writes = planned.kind.partial ? planned.output + ".partial" : planned.output;
            outputs[step.id] = planned.output;
            planned.arguments = argumentsOf(planned);
            std::string joined;
            for (const std::string& argument : planned.arguments) joined += argument + '\0';
            planned.config_sha256 = databuild::sha256Hex(step.step + '\0' + joined);
            plan.push_back(std::move(planned));
        }
        return plan;
    }

    Arguments argumentsOf(const PlannedStep& planned) const {
        const databuild::RecipeStep& step = *planned.step;
        Arguments arguments;
        std::set<std::string> given;
        for (const auto& [key, value] : step.options.items()) {
            const std::string name = optionName(key);
            const std::string where = step.json_path + "." + key;
            given.insert(name);
            if (planned.kind.names.flags.count(name) > 0 && name != "help") {
                if (!value.is_boolean()) {
                    throw UserError(databuild::recipeMessage(m_recipe.path, where, "must be true or false"));
                }
                if (value.get<bool>()) arguments.push_back("--" + name);
            } else if (planned.kind.names.values.count(name) > 0 && name != "shard") {
                arguments.push_back("--" + name);
                arguments.push_back(valueText(value, where));
            } else {
                throw UserError(databuild::recipeMessage(m_recipe.path, where,
                                                         "unknown option of step '" + step.step +
                                                             "' (see 'vietllm-cli data " + step.step +
                                                             " --help')"));
            }
        }
        if (planned.kind.model) {
            if (!m_local_model.empty() && given.count("endpoint") == 0 && given.count("local-model") == 0) {
                arguments.insert(arguments.end(), {"--local-model", m_local_model});
                given.insert("local-model");
            }
            for (const auto& [key, value] : m_recipe.model_defaults.items()) {
                const bool local_endpoint = optionName(key) == "endpoint" && given.count("local-model") > 0;
                if (given.count(optionName(key)) == 0 && !local_endpoint) {
                    arguments.push_back("--" + optionName(key));
                    arguments.push_back(value.is_string() ? value.get<std::string>() : value.dump());
                }
            }
        }
        if (planned.kind.partial) {
            if (given.count("cache") == 0)
                arguments.insert(arguments.end(), {"--cache", planned.output + ".cache.sqlite"});
            if (given.count("failed") == 0)
                arguments.insert(arguments.end(), {"--failed", planned.output + ".failed.jsonl"});
        }
        if (m_shard && step.step == "dedup" && given.count("signatures-out") == 0) {
            // For the cross-shard pass (data dedup --merge-shards) once every shard is done.
            arguments.insert(arguments.end(), {"--signatures-out", planned.output + ".signatures.jsonl"});
        }
        if (m_shard && step.step == "self-instruct" && given.count("pool") == 0) {
            // One pool for every shard: named after the unsharded output.
            arguments.insert(arguments.end(), {"--pool", step.output + ".pool.jsonl"});
        }
        if (m_shard && planned.kind.shardable) {
            arguments.push_back("--shard");
            arguments.push_back(std::to_string(m_shard->index) + "/" + std::to_string(m_shard->count));
        }
        arguments.push_back("--");
        arguments.insert(arguments.end(), planned.inputs.begin(), planned.inputs.end());
        arguments.push_back(planned.writes);
        return arguments;
    }

    std::string valueText(const ordered_json& value, const std::string& where) const {
        if (value.is_string()) return value.get<std::string>();
        if (value.is_number()) return value.dump();
        if (value.is_array()) {
            std::string text;
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (!value[i].is_string() && !value[i].is_number()) {
                    throw UserError(databuild::recipeMessage(m_recipe.path,
                                                             where + "[" + std::to_string(i) + "]",
                                                             "must be a string or a number"));
                }
                text += (text.empty() ? "" : ",") + valueText(value[i], where);
            }
            return text;
        }
        throw UserError(
            databuild::recipeMessage(m_recipe.path, where, "must be a string, a number or a list"));
    }

    std::vector<databuild::JobFileHash> inputHashes(const PlannedStep& planned) const {
        std::vector<databuild::JobFileHash> hashes;
        for (const std::string& input : planned.inputs) {
            hashes.push_back({input, databuild::sha256OfPath(input)});
        }
        return hashes;
    }

    bool isFinishedAndIntact(const PlannedStep& planned) const {
        const std::optional<databuild::JobRecord> record =
            databuild::readJobRecord(databuild::jobRecordPath(planned.output));
        if (!record || record->status != "finished" || record->config_sha256 != planned.config_sha256 ||
            record->output.sha256.empty() ||
            record->output.sha256 != databuild::sha256OfPath(planned.output)) {
            return false;
        }
        const std::vector<databuild::JobFileHash> now = inputHashes(planned);
        if (now.size() != record->inputs.size()) {
            return false;
        }
        for (std::size_t i = 0; i < now.size(); ++i) {
            if (now[i].path != record->inputs[i].path || now[i].sha256 != record->inputs[i].sha256) {
                return false;
            }
        }
        return true;
    }

    void runStep(const PlannedStep& planned, std::size_t index, std::size_t total) {
        const databuild::RecipeStep& step = *planned.step;
        databuild::JobRecord record;
        record.recipe = m_recipe.name;
        record.step_id = step.id;
        record.step = step.step;
        record.status = "running";
        record.started_at = databuild::utcNow();
        record.config_sha256 = planned.config_sha256;
        record.inputs = inputHashes(planned);
        record.output = {planned.output, ""};
        const std::string record_path = databuild::jobRecordPath(planned.output);
        if (const fs::path folder = fs::path(planned.output).parent_path(); !folder.empty()) {
            fs::create_directories(folder);
        }
        databuild::writeJobRecord(record_path, record);
        emit({{"event", "step"},
              {"id", step.id},
              {"step", step.step},
              {"index", index},
              {"status", "running"}});
        StepRunContext context;
        context.on_progress = [&](const databuild::GenerationProgress& progress) {
            showProgress(step, index, total, progress);
        };
        const ParsedOptions options(planned.arguments, planned.kind.names.values, planned.kind.names.flags);
        try {
            record.summary = planned.kind.run(options, context);
        } catch (const UserError& error) {
            throw UserError(located(step, error.what()));
        }
        if (planned.kind.partial) {
            fs::rename(planned.writes, planned.output);
        }
        record.status = "finished";
        record.finished_at = databuild::utcNow();
        record.output.sha256 = databuild::sha256OfPath(planned.output);
        databuild::writeJobRecord(record_path, record);
        if (!m_project.empty()) {
            store::recordDataJob(m_project, jobRow(record));
        }
        emit({{"event", "step"},
              {"id", step.id},
              {"step", step.step},
              {"index", index},
              {"status", "finished"},
              {"output", planned.output},
              {"summary", record.summary}});
    }

    // An error of a step's command names the recipe step; "--threshold: ..." becomes
    // "RECIPE: steps[2].threshold: ...".
    std::string located(const databuild::RecipeStep& step, const std::string& message) const {
        for (const auto& [key, value] : step.options.items()) {
            const std::string flag = "--" + optionName(key);
            if (message.compare(0, flag.size(), flag) == 0 &&
                (message.size() == flag.size() || message[flag.size()] == ':' ||
                 message[flag.size()] == ' ')) {
                const std::size_t rest = std::min(
                    message.size(),
                    flag.size() + (message.size() > flag.size() && message[flag.size()] == ':' ? 2 : 1));
                return databuild::recipeMessage(m_recipe.path, step.json_path + "." + key,
                                                message.substr(rest));
            }
        }
        return databuild::recipeMessage(m_recipe.path, step.json_path + " (" + step.id + ")", message);
    }

    void showProgress(const databuild::RecipeStep& step, std::size_t index, std::size_t total,
                      const databuild::GenerationProgress& progress) {
        if (m_mode == ProgressMode::Json) {
            emit({{"event", "progress"},
                  {"id", step.id},
                  {"stage", progress.stage},
                  {"done", progress.done},
                  {"total", progress.total},
                  {"written", progress.written},
                  {"eliminated", progress.eliminated},
                  {"http_requests", progress.usage.http_requests},
                  {"cache_hits", progress.usage.cache_hits},
                  {"cost_usd", progress.usage.cost_usd}});
            return;
        }
        if (m_mode != ProgressMode::Bar) {
            return;
        }
        constexpr std::size_t kWidth = 24;
        std::string bar;
        if (progress.total > 0) {
            const std::size_t filled = std::min(kWidth, progress.done * kWidth / progress.total);
            bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
        }
        std::cerr << "\r[" << index + 1 << "/" << total << "] " << step.id << " " << bar << progress.stage
                  << " " << progress.done
                  << (progress.total > 0 ? "/" + std::to_string(progress.total) : std::string()) << ", "
                  << progress.written << " kept, " << progress.eliminated << " eliminated, "
                  << progress.usage.http_requests << " requests   " << std::flush;
    }

    void emit(const ordered_json& event) const {
        if (m_mode == ProgressMode::Json) {
            std::cout << event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
            return;
        }
        const std::string name = event["event"].get<std::string>();
        if (name != "step") {
            return;
        }
        const std::string status = event["status"].get<std::string>();
        if (status == "running") {
            std::cerr << "step " << event["id"].get<std::string>() << " (" << event["step"].get<std::string>()
                      << "): running\n";
            return;
        }
        std::cerr << (m_mode == ProgressMode::Bar ? "\n" : "") << "step " << event["id"].get<std::string>()
                  << ": " << status << " -> " << event["output"].get<std::string>();
        if (event.contains("summary") && event["summary"].contains("kept")) {
            std::cerr << " (" << event["summary"]["kept"].dump() << " kept)";
        }
        std::cerr << '\n';
    }

    const databuild::Recipe& m_recipe;
    ProgressMode m_mode;
    std::optional<databuild::Shard> m_shard;
    std::string m_project;
    std::string m_local_model;  ///< --local-model for the model steps that name no endpoint
};

ProgressMode progressMode(const ParsedOptions& options) {
    const std::optional<std::string> mode = options.value("progress");
    if (!mode) return isatty(fileno(stderr)) ? ProgressMode::Bar : ProgressMode::Lines;
    if (*mode == "bar") return ProgressMode::Bar;
    if (*mode == "json") return ProgressMode::Json;
    if (*mode == "lines") return ProgressMode::Lines;
    throw UserError("--progress: '" + *mode + "' is not bar, json or lines");
}

}  // namespace

int runDataRun(const Arguments& args) {
    const ParsedOptions options(args, {"project", "from", "progress", "shard", "local-model"},
                                {"resume", "dry-run", "help"});
    if (options.hasFlag("help")) {
        std::cout << kRunUsage;
        return 0;
    }
    if (options.positional().size() != 1) {
        throw UserError("data run needs one RECIPE.json (see 'vietllm-cli data run --help')");
    }
    const databuild::Recipe recipe = databuild::loadRecipe(
        options.positional().front(), [](const std::string& name) -> std::optional<std::string> {
            const char* value = std::getenv(name.c_str());
            return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
        });
    std::optional<databuild::Shard> shard;
    if (const auto text = options.value("shard")) {
        shard = databuild::parseShard(*text);
    }
    if (options.hasFlag("dry-run")) {
        return RecipeRunner(recipe, progressMode(options), shard, "",
                            options.value("local-model").value_or(""))
            .plan();
    }
    const std::string project = options.value("project").value_or("");
    if (!project.empty()) {
        store::requireProjectWritable(project);
    }
    RecipeRunner runner(recipe, progressMode(options), shard, project,
                        options.value("local-model").value_or(""));
    return runner.run(options.hasFlag("resume"), options.value("from").value_or(""));
}

}  // namespace vietllm::cli
