#pragma once
// Error types shared by the backend. A UserError is a mistake the user can fix (a bad file,
// flag, config or model directory): the CLI prints its message alone and exits non-zero.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace vietllm {

/// A mistake in the user's input. The message must name the file, line or field at fault.
class UserError : public std::runtime_error {
public:
    explicit UserError(const std::string& message) : std::runtime_error(message) {}
};

/// Builds "FILE:LINE: what" so every input error points at its place in the same way.
std::string locatedMessage(const std::string& file, std::size_t line_number, const std::string& what);

}  // namespace vietllm
