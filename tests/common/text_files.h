#pragma once
// Reading and writing whole files in the tests: the JSON Lines the commands write (outputs, side
// files, event streams), and raw bytes for files compared or written verbatim.

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace vietllm::testing {

/// Every non-empty line of `text` parsed as JSON: a command's JSON Lines output read back.
inline std::vector<nlohmann::json> parseJsonLines(const std::string& text) {
    std::vector<nlohmann::json> values;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) values.push_back(nlohmann::json::parse(line));
    }
    return values;
}

/// The bytes of the file at `path`; empty when it cannot be read.
inline std::string fileContents(const std::string& path) {
    std::ifstream input(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << input.rdbuf();
    return bytes.str();
}

/// Every non-empty line of the JSON Lines file at `path`; none when it cannot be read.
inline std::vector<nlohmann::json> readJsonLines(const std::string& path) {
    return parseJsonLines(fileContents(path));
}

/// Writes `text` as the whole content of the file at `path`, byte for byte.
inline void writeText(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace vietllm::testing
