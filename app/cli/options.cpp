#include "app/cli/options.h"

#include "backend/common/errors.h"

namespace vietllm::cli {

ParsedOptions::ParsedOptions(const Arguments& args, const std::set<std::string>& value_options,
                             const std::set<std::string>& flag_options) {
    bool options_ended = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (options_ended || arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
            if (arg == "--") {
                options_ended = true;
            } else {
                m_positional.push_back(arg);
            }
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (const auto equals = name.find('='); equals != std::string::npos) {
            inline_value = name.substr(equals + 1);
            name.resize(equals);
        }
        if (flag_options.count(name) > 0 && !inline_value) {
            m_flags.insert(name);
        } else if (value_options.count(name) > 0) {
            if (inline_value) {
                m_values[name] = *inline_value;
            } else if (i + 1 < args.size()) {
                m_values[name] = args[++i];
            } else {
                throw UserError("option --" + name + " needs a value");
            }
        } else {
            throw UserError("unknown option --" + name);
        }
    }
}

std::optional<std::string> ParsedOptions::value(const std::string& name) const {
    const auto found = m_values.find(name);
    if (found == m_values.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::string ParsedOptions::requiredValue(const std::string& name) const {
    const auto found = value(name);
    if (!found) {
        throw UserError("missing required option --" + name);
    }
    return *found;
}

text::ToneStyle toneStyleOption(const ParsedOptions& options, text::ToneStyle fallback) {
    const auto style = options.value("tone-style");
    if (!style) {
        return fallback;
    }
    const text::ToneStyle parsed = text::parseToneStyle(*style);
    if (parsed == text::ToneStyle::Invalid) {
        throw UserError("--tone-style must be 'hóa' (hóa, thủy, khỏe) or 'hoà' (hoà, thuỷ, khoẻ), not '" +
                        *style + "'");
    }
    return parsed;
}

}  // namespace vietllm::cli
