// `vietllm-cli text ...`: line-oriented Vietnamese text tools. Each reads UTF-8 lines from the
// named files (or stdin) and writes exactly one output line per input line, so the output can
// be pasted beside the input.

#include "app/cli/cli_commands.h"
#include "app/cli/options.h"
#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/text/langid.h"
#include "backend/text/normalize.h"
#include "backend/text/pii.h"
#include "backend/text/quality.h"
#include "backend/text/toxicity.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

namespace vietllm::cli {

namespace {

using LineTransform = std::function<std::string(const std::string& line)>;

constexpr const char* kTextUsage =
    "usage: vietllm-cli text SUBCOMMAND [options] [FILE...]\n"
    "Reads UTF-8 lines from FILEs or stdin; writes one output line per input line.\n"
    "\n"
    "  normalize [--tone-style hóa|hoà] [--fix-legacy]\n"
    "            NFC, consistent tone placement (default hóa/thủy/khỏe), invisible characters\n"
    "            removed, spaces folded\n"
    "  langid    {\"lang\": ISO 639-1 code, \"score\": number}\n"
    "  pii [--redact]\n"
    "            {\"spans\": [{\"type\",\"start\",\"end\",\"text\"}]} (code-point offsets), or the\n"
    "            line with <EMAIL> <PHONE> <ID> <CARD> <IP> in place of each span\n"
    "  toxicity  {\"toxic\": bool, \"score\": number, \"spans\": [[start, end], ...]}\n"
    "  quality   document quality signals as JSON\n";

// Strips one trailing "\r" left by CRLF files; other line-end handling is the tool's own.
void stripCarriageReturn(std::string& line) {
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
}

// Applies `transform` to every line of `input`; invalid UTF-8 is repaired (U+FFFD) with a
// warning naming the file and line, so that the one-line-per-line contract still holds.
void transformStream(std::istream& input, const std::string& file_name, const LineTransform& transform) {
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(input, line)) {
        ++line_number;
        stripCarriageReturn(line);
        if (!utf8::isValid(line)) {
            std::cerr << locatedMessage(file_name, line_number, "invalid UTF-8 replaced by U+FFFD") << '\n';
            line = utf8::encode(utf8::decode(line));
        }
        std::string output = transform(line);
        output.push_back('\n');
        std::cout.write(output.data(), static_cast<std::streamsize>(output.size()));
    }
}

int transformInputs(const std::vector<std::string>& files, const LineTransform& transform) {
    if (files.empty()) {
        transformStream(std::cin, "<stdin>", transform);
    }
    for (const std::string& file : files) {
        std::error_code error;
        if (std::filesystem::is_directory(file, error)) {
            throw UserError(file + ": is a folder, not a text file");
        }
        std::ifstream input(file, std::ios::binary);
        if (!input) {
            throw UserError(file + ": cannot open (" + std::strerror(errno) + ")");
        }
        transformStream(input, file, transform);
    }
    std::cout.flush();
    return std::cout ? 0 : 1;
}

std::string toJsonLine(const nlohmann::ordered_json& value) {
    return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

int runNormalize(const Arguments& args) {
    const ParsedOptions options(args, {"tone-style"}, {"fix-legacy"});
    text::NormalizeOptions normalize_options;
    normalize_options.tone_style = toneStyleOption(options, normalize_options.tone_style);
    normalize_options.fix_legacy = options.hasFlag("fix-legacy");
    return transformInputs(options.positional(),
                           [&](const std::string& line) { return text::normalize(line, normalize_options); });
}

int runLangid(const Arguments& args) {
    const ParsedOptions options(args, {}, {});
    return transformInputs(options.positional(), [](const std::string& line) {
        const text::LanguageGuess guess = text::identifyLanguage(line);
        return toJsonLine({{"lang", guess.lang}, {"score", guess.score}});
    });
}

nlohmann::ordered_json piiSpansJson(const std::string& line, const std::vector<text::PiiSpan>& spans) {
    const std::u32string code_points = utf8::decode(line);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const text::PiiSpan& span : spans) {
        const std::string span_text = utf8::encode(code_points.substr(span.begin, span.end - span.begin));
        list.push_back({{"type", text::piiTypeName(span.type)},
                        {"start", span.begin},
                        {"end", span.end},
                        {"text", span_text}});
    }
    return list;
}

int runPii(const Arguments& args) {
    const ParsedOptions options(args, {}, {"redact"});
    const bool redact = options.hasFlag("redact");
    return transformInputs(options.positional(), [&](const std::string& line) {
        const std::vector<text::PiiSpan> spans = text::findPii(line);
        if (redact) {
            return text::redactPii(line, spans);
        }
        return toJsonLine({{"spans", piiSpansJson(line, spans)}});
    });
}

int runToxicity(const Arguments& args) {
    const ParsedOptions options(args, {}, {});
    return transformInputs(options.positional(), [](const std::string& line) {
        const text::ToxicityResult result = text::scoreToxicity(line);
        nlohmann::ordered_json spans = nlohmann::ordered_json::array();
        for (const text::ToxicSpan& span : result.spans) {
            spans.push_back({span.begin, span.end});
        }
        return toJsonLine({{"toxic", result.toxic}, {"score", result.score}, {"spans", spans}});
    });
}

int runQuality(const Arguments& args) {
    const ParsedOptions options(args, {}, {});
    return transformInputs(options.positional(), [](const std::string& line) {
        const text::QualitySignals q = text::computeQuality(line);
        return toJsonLine({{"chars", q.chars},
                           {"words", q.words},
                           {"vietnamese_syllable_ratio", q.vietnamese_syllable_ratio},
                           {"duplicate_line_ratio", q.duplicate_line_ratio},
                           {"top_ngram_ratio", q.top_ngram_ratio},
                           {"duplicate_ngram_ratio", q.duplicate_ngram_ratio},
                           {"symbol_ratio", q.symbol_ratio},
                           {"digit_ratio", q.digit_ratio},
                           {"uppercase_ratio", q.uppercase_ratio},
                           {"mean_word_length", q.mean_word_length}});
    });
}

}  // namespace

int runTextCommand(const Arguments& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kTextUsage;
        return args.empty() ? 2 : 0;
    }
    const std::map<std::string, int (*)(const Arguments&)> subcommands = {
        {"normalize", runNormalize}, {"langid", runLangid},   {"pii", runPii},
        {"toxicity", runToxicity},   {"quality", runQuality},
    };
    const auto found = subcommands.find(args[0]);
    if (found == subcommands.end()) {
        throw UserError("unknown subcommand '" + args[0] + "' (normalize, langid, pii, toxicity, quality)");
    }
    return found->second(Arguments(args.begin() + 1, args.end()));
}

}  // namespace vietllm::cli
