// vietllm-engine: the CLI commands that run libtorch (`model`, `generate`). vietllm-cli hands these
// commands over to this program (exec), so that the text, data and project commands start in
// milliseconds instead of loading libtorch's ~290 shared libraries on every call.

#include "app/cli/command_runner.h"
#include "app/cli/engine/chat_command.h"
#include "app/cli/engine/eval_command.h"
#include "app/cli/engine/model_commands.h"
#include "app/cli/engine/serve_command.h"
#include "app/cli/engine/train_command.h"

#include <iostream>
#include <map>

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    const std::map<std::string, vietllm::cli::CommandGroup> groups = {
        {"model", vietllm::cli::runModelCommand}, {"generate", vietllm::cli::runGenerateCommand},
        {"chat", vietllm::cli::runChatCommand},   {"eval", vietllm::cli::runEvalCommand},
        {"serve", vietllm::cli::runServeCommand}, {"train", vietllm::cli::runTrainCommand},
    };
    const auto group = argc >= 2 ? groups.find(argv[1]) : groups.end();
    if (group == groups.end()) {
        std::cerr << "usage: vietllm-engine model|generate ... (normally run through vietllm-cli)\n";
        return 2;
    }
    return vietllm::cli::runCommandGroup("vietllm-cli", group->first, group->second,
                                         vietllm::cli::Arguments(argv + 2, argv + argc));
}
