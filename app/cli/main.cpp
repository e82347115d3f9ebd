// vietllm-cli: the workbench's backend without a GUI, for scripts, GPU servers and the GUI's
// child processes.

#include "app/cli/cli_commands.h"
#include "backend/common/errors.h"

#include <cstring>
#include <iostream>
#include <map>

namespace {

constexpr const char* kUsage =
    "usage: vietllm-cli COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  text normalize|langid|pii|toxicity|quality [options] [FILE...]\n"
    "                    line-oriented Vietnamese text tools (stdin when no FILE)\n"
    "  data convert --from FORMAT --to FORMAT IN OUT [--skip-bad]\n"
    "                    convert instruction and preference data between formats\n"
    "  project init|import|export|stats|search FILE ...\n"
    "                    create and fill a project store (*.vietllm)\n"
    "  --version         print the version\n"
    "\n"
    "Run 'vietllm-cli COMMAND --help' for a command's options.\n";

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
    const std::map<std::string, int (*)(const vietllm::cli::Arguments&)> groups = {
        {"text", vietllm::cli::runTextCommand},
        {"data", vietllm::cli::runDataCommand},
        {"project", vietllm::cli::runProjectCommand},
    };
    const auto group = groups.find(command);
    if (group == groups.end()) {
        std::cerr << "vietllm-cli: unknown command '" << command << "'\n\n" << kUsage;
        return 2;
    }
    try {
        return group->second(vietllm::cli::Arguments(argv + 2, argv + argc));
    } catch (const vietllm::UserError& error) {
        std::cerr << "vietllm-cli " << command << ": " << error.what() << '\n';
        return 1;
    } catch (const std::exception& error) {
        std::cerr << "vietllm-cli " << command << ": internal error: " << error.what() << '\n';
        return 3;
    }
}
