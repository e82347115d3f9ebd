// Throughput of the Vietnamese text core, in MB/s on one core, on the shared Wikipedia sample.
// The baseline, measured in the same run, is UTF-8 validation plus NFC through utf8proc (the
// least any text tool must do), so the ratios say what each tool costs beyond it.
//
// usage: vietllm-bench-text [SAMPLE_DATA_DIR] [--repeat N]

#include "backend/common/utf8.h"
#include "backend/text/langid.h"
#include "backend/text/normalize.h"
#include "backend/text/pii.h"
#include "backend/text/quality.h"
#include "backend/text/toxicity.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct Corpus {
    std::vector<std::string> lines;
    std::size_t bytes = 0;
};

// The non-empty lines of every document's text (CRLF and wiki markup kept, as users have it).
Corpus loadWikipediaLines(const std::string& path) {
    std::ifstream input(path);
    Corpus corpus;
    std::string json_line;
    while (std::getline(input, json_line)) {
        const auto document = nlohmann::json::parse(json_line, nullptr, false);
        if (!document.is_object() || !document.contains("text")) {
            continue;
        }
        const std::string text = document["text"].get<std::string>();
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos) {
                end = text.size();
            }
            if (end > start) {
                corpus.lines.push_back(text.substr(start, end - start));
                corpus.bytes += end - start;
            }
            start = end + 1;
        }
    }
    return corpus;
}

// Runs `work` over every line `repeat` times; returns MB/s (10^6 bytes per second).
double measureMegabytesPerSecond(const Corpus& corpus, int repeat,
                                 const std::function<std::size_t(const std::string&)>& work) {
    std::size_t sink = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < repeat; ++round) {
        for (const std::string& line : corpus.lines) {
            sink += work(line);
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (sink == 42) {
        std::fputc(' ', stderr);  // keeps the work observable so it is not optimised away
    }
    return static_cast<double>(corpus.bytes) * repeat / seconds / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    std::string data_dir = "../shared/data";
    int repeat = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--repeat" && i + 1 < argc) {
            repeat = std::atoi(argv[++i]);
        } else {
            data_dir = arg;
        }
    }
    const std::string path = data_dir + "/text/vi_wikipedia_150docs.jsonl";
    const Corpus corpus = loadWikipediaLines(path);
    if (corpus.lines.empty()) {
        std::cerr << path << ": no text found (pass the shared data folder as the first argument)\n";
        return 1;
    }
    std::printf("corpus: %s, %zu lines, %.2f MB, %d repeats, 1 thread\n", path.c_str(), corpus.lines.size(),
                static_cast<double>(corpus.bytes) / 1e6, repeat);

    using vietllm::text::NormalizeOptions;
    const double baseline = measureMegabytesPerSecond(corpus, repeat, [](const std::string& line) {
        return vietllm::utf8::isValid(line) ? vietllm::text::toNfc(line).size() : 0;
    });
    std::printf("%-28s %9s %9s\n", "tool", "MB/s", "ratio");
    std::printf("%-28s %9.1f %9.2f\n", "baseline: validate + NFC", baseline, 1.0);
    const std::vector<std::pair<const char*, std::function<std::size_t(const std::string&)>>> tools = {
        {"normalize", [](const std::string& line) { return vietllm::text::normalize(line).size(); }},
        {"normalize --fix-legacy",
         [](const std::string& line) {
             NormalizeOptions options;
             options.fix_legacy = true;
             return vietllm::text::normalize(line, options).size();
         }},
        {"langid", [](const std::string& line) { return vietllm::text::identifyLanguage(line).lang.size(); }},
        {"pii", [](const std::string& line) { return vietllm::text::findPii(line).size(); }},
        {"toxicity", [](const std::string& line) { return vietllm::text::scoreToxicity(line).spans.size(); }},
        {"quality", [](const std::string& line) { return vietllm::text::computeQuality(line).words; }},
    };
    for (const auto& [name, work] : tools) {
        const double speed = measureMegabytesPerSecond(corpus, repeat, work);
        std::printf("%-28s %9.1f %9.2f\n", name, speed, speed / baseline);
    }
    return 0;
}
