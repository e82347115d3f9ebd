// `vietllm-cli train ...`: runs SFT, DPO, reward-model or RL training from a JSON config and streams
// the metrics protocol (one JSON object per line on stdout, flushed), checks a config without training, and
// merges a LoRA adapter into its base model.

#include "app/cli/engine/train_command.h"

#include "app/cli/options.h"
#include "backend/common/errors.h"
#include "backend/train/dpo_trainer.h"
#include "backend/train/rl_trainer.h"
#include "backend/train/rm_trainer.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>

namespace vietllm::cli {
namespace {

constexpr const char* kTrainUsage =
    "usage: vietllm-cli train SUBCOMMAND ...\n"
    "\n"
    "  sft CONFIG.json [--resume] [--threads N] [--nproc-per-node N]\n"
    "            supervised fine-tuning (LoRA or full) as CONFIG.json says; prints one JSON event per\n"
    "            line (start, step, eval, checkpoint, done, error), also appended to\n"
    "            OUTPUT_DIR/metrics.jsonl. --resume continues from the newest checkpoint.\n"
    "            Ctrl-C saves a checkpoint at the next step and ends with status \"cancelled\".\n"
    "  dpo CONFIG.json [--resume] [--threads N] [--nproc-per-node N]\n"
    "            Direct Preference Optimization on prompt/chosen/rejected pairs (same options and\n"
    "            events as sft, plus rewards/chosen, rewards/rejected, margin, accuracy)\n"
    "  rm CONFIG.json [--resume] [--threads N] [--nproc-per-node N]\n"
    "            Bradley-Terry reward model on prompt/chosen/rejected pairs (same options and events\n"
    "            as sft, plus accuracy and margin); final/ is a <Family>ForSequenceClassification folder\n"
    "  rl CONFIG.json [--resume] [--threads N] [--nproc-per-node N]\n"
    "            GRPO-style RL against the reward model of \"rl\": several samples per prompt,\n"
    "            group-normalised rewards, KL penalty to the starting policy (step events add\n"
    "            reward_mean, reward_std, kl, completion_tokens)\n"
    "  validate CONFIG.json\n"
    "            check the config, its files and the memory estimate; print the estimate as JSON\n"
    "  merge --model BASE_DIR --adapter ADAPTER_DIR --out DIR\n"
    "            fold a PEFT LoRA adapter into its base model and write a complete model folder\n"
    "--nproc-per-node N (vietllm-cli only) trains data-parallel in N processes on this host; torchrun\n"
    "and srun start vietllm-engine train ... themselves (RANK, WORLD_SIZE, MASTER_ADDR, ...).\n"
    "See docs/training.md for the config keys, data parallelism and the metrics protocol.\n";

// Set by SIGINT/SIGTERM, polled by the trainer at step boundaries. A signal handler can only reach
// state like this; a lock-free atomic is safe to store from it.
std::atomic<bool> g_stop_requested{false};

extern "C" void requestStop(int) {
    g_stop_requested.store(true);
}

void printEvent(const nlohmann::ordered_json& event) {
    std::cout << event.dump() << std::endl;
}

// Reports a failure in the protocol (stdout and metrics.jsonl when the output folder is known),
// then lets the error reach the CLI's contract (message on stderr, exit 1 or 3).
void reportError(const std::string& message, const std::string& output_dir) {
    const nlohmann::ordered_json event = {{"event", "error"}, {"message", message}};
    printEvent(event);
    if (!output_dir.empty() && std::filesystem::is_directory(output_dir)) {
        std::ofstream((std::filesystem::path(output_dir) / "metrics.jsonl").string(), std::ios::app)
            << event.dump() << "\n";
    }
}

int threadsOption(const ParsedOptions& options) {
    const std::optional<std::string> value = options.value("threads");
    if (!value) return 0;
    if (value->empty() || value->find_first_not_of("0123456789") != std::string::npos) {
        throw UserError("option --threads: '" + *value + "' is not a positive integer");
    }
    return std::stoi(*value);
}

std::string configArgument(const ParsedOptions& options, const char* subcommand) {
    if (options.positional().size() != 1) {
        throw UserError(std::string("train ") + subcommand + " takes one CONFIG.json");
    }
    return options.positional()[0];
}

// Runs one trainer with the shared options (--resume, --threads), Ctrl-C handling and error events.
int runTrainer(const Arguments& args, const char* subcommand,
               const std::function<void(const train::TrainConfig&, const train::RunOptions&)>& trainer) {
    const ParsedOptions options(args, {"threads"}, {"resume"});
    std::string output_dir;
    try {
        const train::TrainConfig config = train::loadTrainConfig(configArgument(options, subcommand));
        output_dir = config.output_dir;
        struct sigaction action {};
        action.sa_handler = requestStop;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, nullptr);
        sigaction(SIGTERM, &action, nullptr);
        train::RunOptions run;
        run.resume = options.hasFlag("resume");
        run.cancel = &g_stop_requested;
        run.on_event = printEvent;
        run.num_threads = threadsOption(options);
        trainer(config, run);
        return 0;
    } catch (const std::exception& error) {
        reportError(error.what(), output_dir);
        throw;
    }
}

int runSftCommand(const Arguments& args) {
    return runTrainer(args, "sft", [](const train::TrainConfig& config, const train::RunOptions& run) {
        train::runSft(config, run);
    });
}

int runDpoCommand(const Arguments& args) {
    return runTrainer(args, "dpo", [](const train::TrainConfig& config, const train::RunOptions& run) {
        train::runDpo(config, run);
    });
}

int runRewardModelCommand(const Arguments& args) {
    return runTrainer(args, "rm", [](const train::TrainConfig& config, const train::RunOptions& run) {
        train::runRewardModel(config, run);
    });
}

int runRlCommand(const Arguments& args) {
    return runTrainer(args, "rl", [](const train::TrainConfig& config, const train::RunOptions& run) {
        train::runRl(config, run);
    });
}

int runValidateCommand(const Arguments& args) {
    const ParsedOptions options(args, {}, {});
    const train::TrainConfig config = train::loadTrainConfig(configArgument(options, "validate"));
    const train::MemoryEstimate estimate = train::checkTrainConfig(config);
    nlohmann::ordered_json out = {{"valid", true}, {"memory", estimate.toJson()}};
    std::cout << out.dump() << std::endl;
    return 0;
}

int runMergeCommand(const Arguments& args) {
    const ParsedOptions options(args, {"model", "adapter", "out"}, {});
    train::mergeAdapter(options.requiredValue("model"), options.requiredValue("adapter"),
                        options.requiredValue("out"));
    std::cout << nlohmann::ordered_json({{"merged", options.requiredValue("out")}}).dump() << std::endl;
    return 0;
}

}  // namespace

int runTrainCommand(const Arguments& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kTrainUsage;
        return args.empty() ? 2 : 0;
    }
    const std::map<std::string, int (*)(const Arguments&)> subcommands = {
        {"sft", runSftCommand}, {"dpo", runDpoCommand},           {"rm", runRewardModelCommand},
        {"rl", runRlCommand},   {"validate", runValidateCommand}, {"merge", runMergeCommand}};
    const auto found = subcommands.find(args[0]);
    if (found == subcommands.end()) {
        throw UserError("unknown subcommand '" + args[0] + "' (sft, dpo, rm, rl, validate, merge)");
    }
    return found->second(Arguments(args.begin() + 1, args.end()));
}

}  // namespace vietllm::cli
