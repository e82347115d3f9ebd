// `vietllm-cli tokenize` and `vietllm-cli detokenize`: text lines <-> JSON arrays of token ids,
// one output line per input line, with any tokenizer the engine loads (tokenizer.json, a
// SentencePiece .model, or a model folder holding either).

#include "app/cli/tokenize_commands.h"

#include "app/cli/options.h"
#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

namespace vietllm::cli {

namespace {

constexpr const char* kTokenizeUsage =
    "usage: vietllm-cli tokenize --tokenizer PATH [--add-special] [FILE...]\n"
    "Reads UTF-8 lines from FILEs or stdin and prints one JSON array of token ids per line.\n"
    "PATH is a tokenizer.json, a SentencePiece .model file, or a model folder holding either.\n"
    "Input is NFC-normalized first. Special tokens (e.g. BOS) are added only with --add-special.\n";

constexpr const char* kDetokenizeUsage =
    "usage: vietllm-cli detokenize --tokenizer PATH [--skip-special] [FILE...]\n"
    "Reads one JSON array of token ids per line from FILEs or stdin and prints the decoded text\n"
    "of each (a decoded newline stays in the output). --skip-special drops special tokens.\n";

using LineHandler =
    std::function<void(const std::string& line, const std::string& file, std::size_t line_number)>;

void forEachLine(std::istream& input, const std::string& file, const LineHandler& handle) {
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(input, line)) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        handle(line, file, line_number);
    }
}

int forEachInputLine(const std::vector<std::string>& files, const LineHandler& handle) {
    if (files.empty()) forEachLine(std::cin, "<stdin>", handle);
    for (const std::string& file : files) {
        std::error_code error;
        if (std::filesystem::is_directory(file, error))
            throw UserError(file + ": is a folder, not a text file");
        std::ifstream input(file, std::ios::binary);
        if (!input) throw UserError(file + ": cannot open (" + std::strerror(errno) + ")");
        forEachLine(input, file, handle);
    }
    std::cout.flush();
    return std::cout ? 0 : 1;
}

bool wantsHelp(const Arguments& args) {
    for (const std::string& arg : args) {
        if (arg == "--help" || arg == "-h") return true;
    }
    return false;
}

std::vector<tokenizer::TokenId> parseIds(const std::string& line, const std::string& file,
                                         std::size_t line_number) {
    const nlohmann::json value = nlohmann::json::parse(line, nullptr, false);
    if (!value.is_array())
        throw UserError(locatedMessage(file, line_number, "expected a JSON array of token ids"));
    std::vector<tokenizer::TokenId> ids;
    for (const auto& id : value) {
        if (!id.is_number_integer() || id.get<long long>() < 0 || id.get<long long>() > INT32_MAX) {
            throw UserError(locatedMessage(file, line_number,
                                           "token id " + id.dump() + " is not a non-negative integer"));
        }
        ids.push_back(id.get<tokenizer::TokenId>());
    }
    return ids;
}

}  // namespace

int runTokenizeCommand(const Arguments& args) {
    if (wantsHelp(args)) {
        std::cout << kTokenizeUsage;
        return 0;
    }
    const ParsedOptions options(args, {"tokenizer"}, {"add-special"});
    const auto tokenizer = tokenizer::loadTokenizer(options.requiredValue("tokenizer"));
    const bool add_special = options.hasFlag("add-special");
    return forEachInputLine(
        options.positional(), [&](const std::string& line, const std::string& file, std::size_t line_number) {
            if (!utf8::isValid(line)) {
                std::cerr << locatedMessage(file, line_number, "invalid UTF-8 replaced by U+FFFD") << '\n';
            }
            std::cout << nlohmann::json(tokenizer->encode(line, add_special)).dump() << '\n';
        });
}

int runDetokenizeCommand(const Arguments& args) {
    if (wantsHelp(args)) {
        std::cout << kDetokenizeUsage;
        return 0;
    }
    const ParsedOptions options(args, {"tokenizer"}, {"skip-special"});
    const auto tokenizer = tokenizer::loadTokenizer(options.requiredValue("tokenizer"));
    const bool skip_special = options.hasFlag("skip-special");
    return forEachInputLine(options.positional(),
                            [&](const std::string& line, const std::string& file, std::size_t line_number) {
                                const std::vector<tokenizer::TokenId> ids = parseIds(line, file, line_number);
                                try {
                                    std::cout << tokenizer->decode(ids, skip_special) << '\n';
                                } catch (const UserError& error) {
                                    throw UserError(locatedMessage(file, line_number, error.what()));
                                }
                            });
}

}  // namespace vietllm::cli
