#include "backend/common/errors.h"

namespace vietllm {

std::string locatedMessage(const std::string& file, std::size_t line_number, const std::string& what) {
    std::string message = file.empty() ? std::string("<stdin>") : file;
    if (line_number > 0) {
        message += ':' + std::to_string(line_number);
    }
    return message + ": " + what;
}

}  // namespace vietllm
