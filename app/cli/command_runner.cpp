#include "app/cli/command_runner.h"

#include "backend/common/errors.h"

#include <iostream>

namespace vietllm::cli {

int runCommandGroup(const std::string& program, const std::string& command, CommandGroup group,
                    const Arguments& args) {
    try {
        return group(args);
    } catch (const UserError& error) {
        std::cerr << program << ' ' << command << ": " << error.what() << '\n';
        return 1;
    } catch (const std::exception& error) {
        std::cerr << program << ' ' << command << ": internal error: " << error.what() << '\n';
        return 3;
    }
}

}  // namespace vietllm::cli
