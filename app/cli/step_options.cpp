#include "app/cli/step_options.h"

#include "backend/common/errors.h"

#include <algorithm>
#include <cstdlib>

namespace vietllm::cli {

std::set<std::string> withNames(std::set<std::string> names, const std::set<std::string>& more) {
    names.insert(more.begin(), more.end());
    return names;
}

double numberOption(const ParsedOptions& options, const std::string& name, double fallback, double low,
                    double high) {
    const std::optional<std::string> value = options.value(name);
    if (!value) {
        return fallback;
    }
    char* end = nullptr;
    const double parsed = std::strtod(value->c_str(), &end);
    if (value->empty() || *end != '\0' || !(parsed >= low && parsed <= high)) {
        throw UserError("--" + name + ": '" + *value + "' is not a number from " + std::to_string(low) +
                        " to " + std::to_string(high));
    }
    return parsed;
}

std::size_t countOption(const ParsedOptions& options, const std::string& name, std::size_t fallback,
                        std::size_t low) {
    const std::optional<std::string> value = options.value(name);
    if (!value) {
        return fallback;
    }
    if (value->empty() || value->find_first_not_of("0123456789") != std::string::npos || value->size() > 18 ||
        std::stoull(*value) < low) {
        throw UserError("--" + name + ": '" + *value + "' is not a whole number of at least " +
                        std::to_string(low));
    }
    return static_cast<std::size_t>(std::stoull(*value));
}

data::Format formatOption(const std::string& name, const std::string& value) {
    const data::Format format = data::parseFormat(value);
    if (format == data::Format::Invalid) {
        throw UserError("--" + name + ": unknown format '" + value +
                        "'; known formats: " + data::formatNameList());
    }
    return format;
}

std::vector<std::string> commaList(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) {
            items.push_back(text.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return items;
}

}  // namespace vietllm::cli
