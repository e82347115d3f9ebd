#pragma once
// A small command-line option parser shared by the CLI's command groups: `--name VALUE`,
// `--name=VALUE`, boolean `--flag`, and positional arguments. Unknown options are user errors.

#include "app/cli/cli_commands.h"
#include "backend/text/normalize.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vietllm::cli {

class ParsedOptions {
public:
    /// Parses `args`; `value_options` take a value, `flag_options` do not (names without "--").
    /// Throws UserError naming an unknown option or a missing value.
    ParsedOptions(const Arguments& args, const std::set<std::string>& value_options,
                  const std::set<std::string>& flag_options);

    bool hasFlag(const std::string& name) const { return m_flags.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    /// The value of a required option; throws UserError naming it when absent.
    std::string requiredValue(const std::string& name) const;
    const std::vector<std::string>& positional() const { return m_positional; }

private:
    std::set<std::string> m_flags;
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
};

/// The --tone-style option (hóa or hoà), or `fallback` when absent; throws UserError on other values.
text::ToneStyle toneStyleOption(const ParsedOptions& options, text::ToneStyle fallback);

}  // namespace vietllm::cli
