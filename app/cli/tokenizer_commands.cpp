// `vietllm-cli tokenizer extend`: adds a Vietnamese vocabulary to a BPE tokenizer.json (and, with
// --model, the matching embedding rows), then reports tokens per syllable and per English word
// before and after. The JSON report goes to stdout, progress and a summary to stderr.

#include "app/cli/tokenizer_commands.h"

#include "app/cli/options.h"
#include "backend/common/errors.h"
#include "backend/tokenizer/tokenizer_extend.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <map>

namespace vietllm::cli {

namespace {

constexpr const char* kTokenizerUsage =
    "usage: vietllm-cli tokenizer extend --base TOKENIZER --corpus FILE... --out DIR [options]\n"
    "Learns new BPE merges on the Vietnamese words of the corpus, appends them (ids after every\n"
    "existing id, merges after every existing merge) and writes DIR/tokenizer.json. Only tokens that\n"
    "hold a non-ASCII letter are learned, so ASCII (English) text keeps exactly the same ids.\n"
    "  --base PATH          a BPE tokenizer.json, or a folder holding one\n"
    "  --corpus FILE...     training text: .jsonl (string fields, messages' content), .json, or lines\n"
    "  --field NAME...      JSON fields to read (default: every string field)\n"
    "  --vocab-size N       new tokens to add (default 12000)\n"
    "  --min-frequency N    occurrences a merge needs (default 2)\n"
    "  --held-out-every N   hold every Nth text of each corpus file out of training and report on it\n"
    "                       (default 10; 0 holds nothing out)\n"
    "  --english FILE...    English text whose tokens per word are compared (never trained on)\n"
    "  --cross-syllables auto|yes|no\n"
    "                       learn multi-syllable tokens (\"▁Việt▁Nam\"); auto (default): where the base\n"
    "                       has no pre-tokenizer (Llama-2), as merges across words can apply only there\n"
    "  --model DIR          also resize DIR's embedding and LM head (safetensors) into DIR of --out\n"
    "  --out DIR            the output folder\n"
    "  --quiet              no progress lines on stderr\n"
    "Prints the report as JSON on stdout and a summary on stderr.\n";

// Options that take several values (`--corpus a b c`): their values run to the next `--option`.
const char* const kListOptions[] = {"corpus", "field", "english"};

std::map<std::string, std::vector<std::string>> takeListOptions(Arguments& args) {
    std::map<std::string, std::vector<std::string>> lists;
    Arguments rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string name;
        for (const char* list : kListOptions) {
            if (args[i] == std::string("--") + list) name = list;
        }
        if (name.empty()) {
            rest.push_back(args[i]);
            continue;
        }
        std::vector<std::string>& values = lists[name];
        const std::size_t before = values.size();
        while (i + 1 < args.size() && args[i + 1].compare(0, 2, "--") != 0) values.push_back(args[++i]);
        if (values.size() == before) throw UserError("option --" + name + " needs at least one value");
    }
    args = std::move(rest);
    return lists;
}

std::int64_t integerOption(const ParsedOptions& options, const std::string& name, std::int64_t fallback) {
    const auto text = options.value(name);
    if (!text) return fallback;
    std::size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text->size() || value < 0) {
        throw UserError("--" + name + " must be a non-negative whole number, not '" + *text + "'");
    }
    return value;
}

tokenizer::CrossSyllables crossSyllablesOption(const ParsedOptions& options) {
    const std::string value = options.value("cross-syllables").value_or("auto");
    if (value == "auto") return tokenizer::CrossSyllables::Auto;
    if (value == "yes") return tokenizer::CrossSyllables::Yes;
    if (value == "no") return tokenizer::CrossSyllables::No;
    throw UserError("--cross-syllables must be auto, yes or no, not '" + value + "'");
}

std::string ratio(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", value);
    return text;
}

void printSummary(const tokenizer::ExtendReport& report) {
    std::cerr << "added " << report.new_tokens << " tokens (" << report.new_characters << " letters, "
              << report.new_merges << " merges): vocabulary " << report.base_vocab_size << " -> "
              << report.new_vocab_size << "; trained on " << report.distinct_words << " distinct words in "
              << ratio(report.train_seconds) << " s\n";
    for (const auto& stats : report.vietnamese) {
        std::cerr << "  Vietnamese tokens/syllable " << stats.file << ": " << ratio(stats.perPieceBefore())
                  << " -> " << ratio(stats.perPieceAfter()) << " (" << stats.pieces << " syllables)\n";
    }
    for (const auto& stats : report.english) {
        std::cerr << "  English tokens/word " << stats.file << ": " << ratio(stats.perPieceBefore()) << " -> "
                  << ratio(stats.perPieceAfter()) << " (" << stats.texts_changed << " of " << stats.texts
                  << " texts changed)\n";
    }
    for (const auto& file : report.skipped_files) {
        std::cerr << "  not copied (would describe the old vocabulary): " << file << '\n';
    }
}

int runExtend(Arguments args) {
    auto lists = takeListOptions(args);
    const ParsedOptions options(
        args, {"base", "vocab-size", "min-frequency", "held-out-every", "model", "out", "cross-syllables"},
        {"quiet"});
    if (!options.positional().empty())
        throw UserError("unexpected argument '" + options.positional().front() + "'");
    tokenizer::ExtendOptions extend;
    extend.base = options.requiredValue("base");
    extend.out_dir = options.requiredValue("out");
    extend.corpus = lists["corpus"];
    extend.fields = lists["field"];
    extend.english = lists["english"];
    extend.new_tokens =
        static_cast<std::size_t>(integerOption(options, "vocab-size", tokenizer::kDefaultNewTokens));
    extend.min_frequency = integerOption(options, "min-frequency", 2);
    extend.held_out_every = static_cast<std::size_t>(integerOption(options, "held-out-every", 10));
    extend.cross_syllables = crossSyllablesOption(options);
    extend.model_dir = options.value("model").value_or("");
    if (!options.hasFlag("quiet")) {
        extend.on_progress = [](const std::string& stage) {
            std::cerr << "tokenizer extend: " << stage << '\n';
        };
    }
    const tokenizer::ExtendReport report = tokenizer::extendTokenizer(extend);
    std::cout << tokenizer::extendReportJson(report).dump(2, ' ', false,
                                                          nlohmann::json::error_handler_t::replace)
              << '\n';
    printSummary(report);
    std::cout.flush();
    return std::cout ? 0 : 1;
}

}  // namespace

int runTokenizerCommand(const Arguments& args) {
    if (args.empty() || args.front() == "--help" || args.front() == "-h") {
        std::cout << kTokenizerUsage;
        return args.empty() ? 2 : 0;
    }
    if (args.front() != "extend")
        throw UserError("unknown tokenizer command '" + args.front() + "' (known: extend)");
    for (const std::string& arg : args) {
        if (arg == "--help" || arg == "-h") {
            std::cout << kTokenizerUsage;
            return 0;
        }
    }
    return runExtend(Arguments(args.begin() + 1, args.end()));
}

}  // namespace vietllm::cli
