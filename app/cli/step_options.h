#pragma once
// Option helpers shared by the data-building commands (data_build_commands.cpp,
// data_generate_commands.cpp, data_translate_command.cpp): checked numbers, formats and comma
// lists, each refused with one message naming the option.

#include "app/cli/options.h"
#include "backend/data/formats.h"

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace vietllm::cli {

/// `names` with `more` added (a step's own options plus a shared set).
std::set<std::string> withNames(std::set<std::string> names, const std::set<std::string>& more);

/// The number of --NAME, or `fallback` when absent; throws UserError unless low <= value <= high.
double numberOption(const ParsedOptions& options, const std::string& name, double fallback, double low,
                    double high);

/// The whole number of --NAME, or `fallback` when absent; throws UserError below `low`.
std::size_t countOption(const ParsedOptions& options, const std::string& name, std::size_t fallback,
                        std::size_t low);

/// The format named `value` of --NAME; throws UserError listing the known formats otherwise.
data::Format formatOption(const std::string& name, const std::string& value);

/// The non-empty items of a comma-separated list.
std::vector<std::string> commaList(const std::string& text);

}  // namespace vietllm::cli
