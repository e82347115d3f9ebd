// vietllm-cli: the workbench's backend without a GUI, for scripts, GPU servers and the GUI's
// child processes.

#include "app/cli/annotate_commands.h"
#include "app/cli/cli_commands.h"
#include "app/cli/command_runner.h"
#include "app/cli/local_engine.h"
#include "app/cli/tokenize_commands.h"
#include "app/cli/tokenizer_commands.h"
#include "app/cli/train_launcher.h"

#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>
#include <string>

namespace {

constexpr const char* kUsage =
    "usage: vietllm-cli COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  text normalize|langid|pii|toxicity|quality [options] [FILE...]\n"
    "                    line-oriented Vietnamese text tools (stdin when no FILE)\n"
    "  data convert|clean|dedup|decontaminate|export|translate ...\n"
    "                    convert, clean, deduplicate, decontaminate, export and translate\n"
    "                    instruction and preference data\n"
    "  data harvest|self-instruct|evol-instruct ...\n"
    "                    instruction data from Vietnamese text and through a model\n"
    "  data run RECIPE.json [--resume] [--from STEP] [--project P]\n"
    "                    run a data recipe, resumable after a kill\n"
    "  project init|import|export|stats|search FILE ...\n"
    "                    create and fill a project store (*.vietllm)\n"
    "  annotate tasks|pack-export|pack-open|pack-return|merge|agreement|leaderboard|conflicts|export ...\n"
    "                    ranking tasks; offline annotation with task packs; agreement, trust, exports\n"
    "  model init|logits [options]\n"
    "                    write a random-initialised model; print a model's logits\n"
    "  generate --model DIR (--prompt TEXT | --ids 1,2,3) [sampling options]\n"
    "                    generate a continuation with a local model\n"
    "  chat --model DIR [--system TEXT] [--template NAME] [sampling options]\n"
    "                    chat with a local model on the terminal (streamed replies)\n"
    "  serve --model DIR [--host H] [--port N] [--model-name NAME] [--max-concurrency N]\n"
    "                    serve a local model through an OpenAI-compatible HTTP API\n"
    "  eval list|run [--model DIR | --endpoint URL --model-name M] --tasks T1,T2 ...\n"
    "                    benchmark a model on Vietnamese evaluation tasks\n"
    "  train sft|dpo|rm|rl|validate|merge ...\n"
    "                    fine-tune a local model (SFT, DPO, reward model, RL; LoRA or full) from a\n"
    "                    JSON config; merge adapters\n"
    "  train sft|dpo|rm|rl CONFIG.json --nproc-per-node N [--resume] [--threads N]\n"
    "                    data-parallel training in N processes on this host (as torchrun does)\n"
    "  tokenize --tokenizer PATH [--add-special] [FILE...]\n"
    "                    print one JSON array of token ids per input line\n"
    "  detokenize --tokenizer PATH [--skip-special] [FILE...]\n"
    "                    print the text of one JSON array of token ids per line\n"
    "  tokenizer extend --base TOKENIZER --corpus FILE... --out DIR [--vocab-size N] [--model DIR]\n"
    "                    add a Vietnamese vocabulary to a BPE tokenizer (and resize a model's rows)\n"
    "  --version         print the version\n"
    "\n"
    "Run 'vietllm-cli COMMAND --help' for a command's options.\n";

// The engine's commands live in vietllm-engine beside this program (see app/cli/engine/);
// replaces this process with it, passing the arguments unchanged. Returns only on failure.
int execEngine(char** argv) {
    std::string engine_path = vietllm::cli::engineExecutablePath();
    argv[0] = engine_path.data();
    ::execv(engine_path.c_str(), argv);
    std::cerr << "vietllm-cli " << argv[1] << ": cannot start " << engine_path << " (" << std::strerror(errno)
              << "); this build has no engine (libtorch) or it is not installed beside vietllm-cli\n";
    return 3;
}

// The command groups that load a model and so run in vietllm-engine.
bool isEngineCommand(const std::string& command) {
    static const char* const kEngineCommands[] = {"model", "generate", "chat", "serve", "train", "eval"};
    for (const char* engine_command : kEngineCommands) {
        if (command == engine_command) {
            return true;
        }
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        std::cout << kUsage;
        return argc < 2 ? 2 : 0;
    }
    const std::string command = argv[1];
    if (command == "--version") {
        std::cout << "vietllm-cli " << VIETLLM_VERSION << '\n';
        return 0;
    }
    const std::map<std::string, vietllm::cli::CommandGroup> groups = {
        {"text", vietllm::cli::runTextCommand},           {"data", vietllm::cli::runDataCommand},
        {"project", vietllm::cli::runProjectCommand},     {"annotate", vietllm::cli::runAnnotateCommand},
        {"tokenize", vietllm::cli::runTokenizeCommand},   {"detokenize", vietllm::cli::runDetokenizeCommand},
        {"tokenizer", vietllm::cli::runTokenizerCommand},
    };
    const vietllm::cli::Arguments args(argv + 2, argv + argc);
    if (command == "train" && vietllm::cli::hasProcessCountOption(args)) {
        return vietllm::cli::runCommandGroup("vietllm-cli", command, vietllm::cli::runTrainLauncher, args);
    }
    if (isEngineCommand(command)) {
        return execEngine(argv);
    }
    const auto group = groups.find(command);
    if (group == groups.end()) {
        std::cerr << "vietllm-cli: unknown command '" << command << "'\n\n" << kUsage;
        return 2;
    }
    return vietllm::cli::runCommandGroup("vietllm-cli", command, group->second, args);
}
