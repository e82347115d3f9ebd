// `vietllm-cli eval ...`: lists the evaluation tasks with their data, and runs tasks on a local
// model (log-likelihood scoring and greedy generation through the engine) or on a chat endpoint,
// streaming JSON-line progress on stdout so that the GUI can run it as a child process.

#include "app/cli/engine/eval_command.h"

#include "app/cli/engine/generation_flags.h"
#include "app/cli/options.h"
#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/eval/endpoint_backend.h"
#include "backend/eval/evaluator.h"
#include "backend/eval/judge.h"
#include "backend/eval/task_folders.h"
#include "backend/net/chat_client.h"
#include "backend/sample/reward_scorer.h"
#include "backend/sample/scoring.h"
#include "backend/store/evaluations.h"

#include <nlohmann/json.hpp>

#include <climits>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

namespace vietllm::cli {
namespace {

constexpr const char* kEvalUsage =
    "usage: vietllm-cli eval list|run [options]\n"
    "\n"
    "  list [--tasks-dir DIR] [--data-dir DIR] [--json]\n"
    "            the tasks, their kind and metric, and whether their data was found\n"
    "  run (--model DIR | --endpoint URL --model-name M) --tasks T1,T2 [options]\n"
    "            run tasks; JSON lines on stdout: {\"event\":\"progress\",...} ... "
    "{\"event\":\"result\",...}\n"
    "    --limit N                 first N items of each task\n"
    "    --out FILE.json           write the results document\n"
    "    --markdown FILE.md        write the results as a Markdown table\n"
    "    --project P.vietllm       store each task's run and per-item outputs in the project\n"
    "    --run-name NAME           name of the stored runs (default: model and task)\n"
    "    --batch-size N            rows per forward pass / requests per chunk (default 8)\n"
    "    --judge-endpoint URL --judge-model M   judge for mt_bench_vi\n"
    "    --reward-model DIR        reward model (from `train rm`) for tasks with metric \"reward\"\n"
    "    --api-key-env VAR --judge-api-key-env VAR   environment variables holding API keys\n"
    "    --cache FILE              response cache for endpoint and judge calls\n"
    "    --data-dir DIR            data root (default: $VIETLLM_SAMPLE_DATA, else ../shared/data)\n"
    "    --tasks-dir DIR           task files (default: $VIETLLM_EVAL_TASKS, else resources/eval/tasks)\n"
    "    --dtype fp32|bf16|fp16 --threads N   local model settings\n"
    "    --device cpu|cuda|cuda:N --decode auto|dynamic|static --no-cuda-graphs   where and how\n"
    "                              the local model runs (the reward model stays on the CPU)\n"
    "SIGINT/SIGTERM cancel after the current chunk; stored runs are then marked cancelled.\n";

// Set by the signal handler; a signal handler can only reach a flag of static storage.
volatile std::sig_atomic_t g_cancel_requested = 0;

extern "C" void requestCancel(int) {
    g_cancel_requested = 1;
}

std::string tasksFolder(const ParsedOptions& options) {
    return options.value("tasks-dir").value_or(eval::defaultTasksFolder(eval::executableFolder()));
}

std::string dataFolder(const ParsedOptions& options) {
    return options.value("data-dir").value_or(eval::defaultDataFolder(eval::executableFolder()));
}

std::int64_t positiveInteger(const ParsedOptions& options, const std::string& name, std::int64_t fallback) {
    const std::optional<std::string> value = options.value(name);
    if (!value) {
        return fallback;
    }
    try {
        std::size_t used = 0;
        const long long number = std::stoll(*value, &used);
        if (used == value->size() && number > 0) {
            return number;
        }
    } catch (const std::exception&) {
    }
    throw UserError("option --" + name + ": '" + *value + "' is not a positive integer");
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string part =
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!part.empty()) out.push_back(part);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

void emit(const nlohmann::json& event) {
    std::cout << event.dump() << '\n' << std::flush;
}

int runList(const Arguments& args) {
    const ParsedOptions options(args, {"tasks-dir", "data-dir"}, {"json"});
    const std::string data_dir = dataFolder(options);
    const std::vector<eval::TaskSpec> tasks = eval::loadTaskFolder(tasksFolder(options));
    for (const eval::TaskSpec& task : tasks) {
        bool found = true;
        for (const std::string& file : eval::taskDataFiles(task, data_dir)) {
            found = found && std::filesystem::is_regular_file(file);
        }
        if (options.hasFlag("json")) {
            emit({{"task", task.name},
                  {"kind", eval::taskKindName(task.kind)},
                  {"metric", task.metric},
                  {"language", task.language},
                  {"data", eval::taskDataFiles(task, data_dir)},
                  {"found", found}});
        } else {
            std::cout << task.name << '\t' << eval::taskKindName(task.kind) << '\t' << task.metric << '\t'
                      << (found ? "found" : "missing") << '\t' << eval::taskDataFiles(task, data_dir).front()
                      << '\n';
        }
    }
    return 0;
}

std::unique_ptr<net::ChatClient> chatClient(const ParsedOptions& options, const std::string& endpoint_option,
                                            const std::string& model_option, const std::string& key_option) {
    if (!options.value(endpoint_option)) {
        return nullptr;
    }
    net::ChatClientOptions client_options;
    client_options.endpoint = *options.value(endpoint_option);
    client_options.model = options.requiredValue(model_option);
    client_options.api_key_env = options.value(key_option).value_or("");
    client_options.cache_path = options.value("cache").value_or("");
    return std::make_unique<net::ChatClient>(client_options);
}

store::EvaluationResultRow storedRow(const eval::ItemResult& item) {
    store::EvaluationResultRow row;
    row.item_id = item.item_id;
    row.prompt = item.prompt;
    row.output = item.output;
    row.reference = item.reference;
    row.score = item.score;
    row.correct = item.correct;
    row.details = item.details;
    if (!item.choices.empty()) {
        row.details["choices"] = item.choices;
    }
    return row;
}

void writeText(const std::string& path, const std::string& text) {
    AtomicFileWriter writer(path);
    writer.stream() << text;
    writer.commit();
}

// Runs every task, storing runs in `project` when given; returns the task results.
std::vector<eval::TaskResult> runTasks(const std::vector<const eval::TaskSpec*>& tasks,
                                       const std::string& data_dir, eval::Evaluator& evaluator,
                                       store::ProjectStore* project, const std::string& run_name,
                                       const std::string& model, const nlohmann::json& config) {
    // Every task's data is read first, so a missing or malformed file stops the run before any work.
    std::vector<std::vector<eval::EvalItem>> task_items;
    for (const eval::TaskSpec* task : tasks) {
        task_items.push_back(eval::loadItems(*task, data_dir));
    }
    std::vector<eval::TaskResult> results;
    for (std::size_t t = 0; t < tasks.size(); ++t) {
        const eval::TaskSpec* task = tasks[t];
        const std::vector<eval::EvalItem>& items = task_items[t];
        std::optional<std::int64_t> run_id;
        if (project != nullptr) {
            nlohmann::json task_config = config;
            task_config["task_file"] = task->file;
            task_config["metric"] = task->metric;
            task_config["kind"] = eval::taskKindName(task->kind);
            run_id = store::Evaluations(*project).startRun(
                run_name.empty() ? model + " / " + task->name : run_name, task->name, task_config);
        }
        try {
            eval::TaskResult result =
                evaluator.run(*task, items, [](const std::string& name, std::size_t done, std::size_t total) {
                    emit({{"event", "progress"}, {"task", name}, {"done", done}, {"total", total}});
                    return g_cancel_requested == 0;
                });
            if (run_id) {
                std::vector<store::EvaluationResultRow> rows;
                for (const eval::ItemResult& item : result.items) rows.push_back(storedRow(item));
                store::Evaluations evaluations(*project);
                evaluations.addResults(*run_id, rows);
                evaluations.finishRun(*run_id, store::EvaluationStatus::Finished, result.metrics);
            }
            emit({{"event", "result"},
                  {"task", task->name},
                  {"metrics", result.metrics},
                  {"metric", result.metric},
                  {"run_id", run_id ? nlohmann::json(*run_id) : nlohmann::json()}});
            results.push_back(std::move(result));
        } catch (const eval::EvalCancelled&) {
            if (run_id)
                store::Evaluations(*project).finishRun(*run_id, store::EvaluationStatus::Cancelled, nullptr);
            emit({{"event", "cancelled"}, {"task", task->name}});
            throw UserError("evaluation cancelled during task " + task->name);
        } catch (...) {
            if (run_id)
                store::Evaluations(*project).finishRun(*run_id, store::EvaluationStatus::Failed, nullptr);
            throw;
        }
    }
    return results;
}

int runRun(const Arguments& args) {
    const ParsedOptions options(
        args,
        withEngineValueNames({"model", "endpoint", "model-name", "tasks", "limit", "out", "markdown",
                              "project", "run-name", "batch-size", "judge-endpoint", "judge-model",
                              "api-key-env", "judge-api-key-env", "cache", "data-dir", "tasks-dir",
                              "reward-model"}),
        engineFlagNames());
    if (options.value("model").has_value() == options.value("endpoint").has_value()) {
        throw UserError("give either --model DIR or --endpoint URL --model-name M");
    }
    const std::vector<eval::TaskSpec> all_tasks = eval::loadTaskFolder(tasksFolder(options));
    std::vector<const eval::TaskSpec*> tasks;
    for (const std::string& name : splitList(options.requiredValue("tasks"))) {
        tasks.push_back(&eval::findTask(all_tasks, name));
    }
    if (tasks.empty()) {
        throw UserError("option --tasks: name at least one task (see 'vietllm-cli eval list')");
    }
    const auto batch_size = static_cast<std::size_t>(positiveInteger(options, "batch-size", 8));
    eval::EvaluatorOptions evaluator_options;
    evaluator_options.limit = static_cast<std::size_t>(positiveInteger(options, "limit", LLONG_MAX));
    evaluator_options.chunk_items = std::max<std::size_t>(8, batch_size);
    std::unique_ptr<store::ProjectStore> project;
    if (options.value("project")) {
        project = std::make_unique<store::ProjectStore>(
            store::ProjectStore::open(*options.value("project"), store::OpenMode::ReadWrite));
    }
    const std::unique_ptr<net::ChatClient> judge_client =
        chatClient(options, "judge-endpoint", "judge-model", "judge-api-key-env");
    std::unique_ptr<eval::Judge> judge =
        judge_client ? std::make_unique<eval::Judge>(*judge_client) : nullptr;
    std::unique_ptr<sample::Engine> engine;
    std::unique_ptr<net::ChatClient> endpoint_client;
    std::unique_ptr<eval::ModelBackend> backend;
    if (options.value("model")) {
        engine = std::make_unique<sample::Engine>(*options.value("model"), engineFlags(options));
        backend = std::make_unique<sample::EngineEvalBackend>(*engine, *options.value("model"), batch_size);
    } else {
        endpoint_client = chatClient(options, "endpoint", "model-name", "api-key-env");
        backend = std::make_unique<eval::EndpointBackend>(*endpoint_client);
    }
    std::unique_ptr<sample::RewardScorer> reward_scorer;
    std::unique_ptr<sample::RewardEvalBackend> reward_backend;
    if (const std::optional<std::string> reward_dir = options.value("reward-model")) {
        sample::EngineOptions reward_options;
        reward_options.num_threads = engineFlags(options).num_threads;
        reward_scorer = std::make_unique<sample::RewardScorer>(*reward_dir, reward_options);
        reward_backend = std::make_unique<sample::RewardEvalBackend>(*reward_scorer, *reward_dir, batch_size);
    }
    const nlohmann::json config = {{"model", backend->describe()},
                                   {"limit", options.value("limit").value_or("")},
                                   {"batch_size", batch_size},
                                   {"judge", options.value("judge-endpoint").value_or("")},
                                   {"reward_model", options.value("reward-model").value_or("")}};
    std::signal(SIGINT, requestCancel);
    std::signal(SIGTERM, requestCancel);
    eval::Evaluator evaluator(*backend, judge.get(), evaluator_options);
    evaluator.setRewardModel(reward_backend.get());
    const std::vector<eval::TaskResult> results =
        runTasks(tasks, dataFolder(options), evaluator, project.get(), options.value("run-name").value_or(""),
                 backend->describe(), config);
    if (options.value("out")) {
        writeText(*options.value("out"),
                  eval::resultsJson(backend->describe(), results, config).dump(2) + "\n");
    }
    if (options.value("markdown")) {
        writeText(*options.value("markdown"), eval::resultsMarkdown(backend->describe(), results));
    }
    emit({{"event", "done"}, {"results", eval::resultsJson(backend->describe(), results, config)["tasks"]}});
    return 0;
}

}  // namespace

int runEvalCommand(const Arguments& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kEvalUsage;
        return args.empty() ? 2 : 0;
    }
    const std::map<std::string, int (*)(const Arguments&)> subcommands = {{"list", runList}, {"run", runRun}};
    const auto found = subcommands.find(args[0]);
    if (found == subcommands.end()) {
        throw UserError("unknown subcommand '" + args[0] + "' (list, run)");
    }
    return found->second(Arguments(args.begin() + 1, args.end()));
}

}  // namespace vietllm::cli
