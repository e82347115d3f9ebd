// Throughput of `data clean` and `data dedup` on the real Vietnamese instruction samples (LIMA-vi
// and Alpaca-vi, in our messages format), on 1 thread (the in-run baseline) and on 2 threads;
// and the precision/recall of MinHash near-duplicate detection against exact Jaccard on a
// constructed set: real answers and copies edited at random rates, so the exact Jaccard of
// every pair is known.
//
// usage: vietllm-bench-databuild [SAMPLE_DATA_DIR] [--repeat N] [--threads N]

#include "backend/databuild/clean.h"
#include "backend/databuild/dedup.h"
#include "backend/databuild/minhash.h"
#include "backend/databuild/record_text.h"
#include "backend/text/normalize.h"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace vietllm;

// The records of the two Vietnamese samples (lines with a null field left out).
std::vector<data::Record> loadRecords(const std::string& data_dir) {
    std::vector<data::Record> records;
    data::ReadOptions options;
    options.skip_bad = true;
    options.on_bad_line = [](const data::BadLine&) {};
    for (const char* name :
         {"/instruct/vi_lima_gpt4_translated.jsonl", "/instruct/vi_alpaca_gpt4vn_sample1000.jsonl"}) {
        const auto input = data::openInputFile(data_dir + name);
        data::readRecords(data::Format::PromptResponse, *input,
                          std::filesystem::path(name).filename().string(), options,
                          [&](data::Record&& record) { records.push_back(std::move(record)); });
    }
    return records;
}

// Writes the records `repeat` times as one messages file; returns its size in bytes.
std::size_t writeCorpus(const std::vector<data::Record>& records, int repeat, const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    const auto writer = data::makeWriter(data::Format::Messages, out);
    for (int round = 0; round < repeat; ++round) {
        for (const data::Record& record : records) {
            writer->write(record);
        }
    }
    writer->finish();
    out.flush();
    return static_cast<std::size_t>(out.tellp());
}

double secondsOf(const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void printRow(const char* step, unsigned threads, std::size_t records, std::size_t bytes, double seconds,
              double baseline_seconds) {
    std::printf("%-8s %7u %12.0f %9.2f %9.2f\n", step, threads, static_cast<double>(records) / seconds,
                static_cast<double>(bytes) / seconds / 1e6, baseline_seconds / seconds);
}

void benchThroughput(const std::vector<data::Record>& records, int repeat, unsigned threads,
                     const std::filesystem::path& dir) {
    const std::string input = (dir / "corpus.jsonl").string();
    const std::size_t bytes = writeCorpus(records, repeat, input);
    const std::size_t count = records.size() * static_cast<std::size_t>(repeat);
    std::printf("corpus: LIMA-vi + Alpaca-vi, %zu records x %d = %zu records, %.2f MB (messages JSONL)\n",
                records.size(), repeat, count, static_cast<double>(bytes) / 1e6);
    std::printf("%-8s %7s %12s %9s %9s\n", "step", "threads", "records/s", "MB/s", "speedup");
    double clean_baseline = 0;
    double dedup_baseline = 0;
    for (const unsigned thread_count : {1u, threads}) {
        databuild::CleanJob clean;
        clean.input.paths = {input};
        clean.input.threads = thread_count;
        clean.output_path = (dir / "clean.jsonl").string();
        clean.dropped_path = (dir / "clean.dropped.jsonl").string();
        const double clean_seconds = secondsOf([&]() { databuild::runClean(clean); });
        clean_baseline = thread_count == 1 ? clean_seconds : clean_baseline;
        printRow("clean", thread_count, count, bytes, clean_seconds, clean_baseline);

        databuild::DedupJob dedup;
        dedup.input.paths = {input};
        dedup.input.threads = thread_count;
        dedup.output_path = (dir / "dedup.jsonl").string();
        dedup.duplicates_path = (dir / "dedup.duplicates.jsonl").string();
        const double dedup_seconds = secondsOf([&]() { databuild::runDedup(dedup); });
        dedup_baseline = thread_count == 1 ? dedup_seconds : dedup_baseline;
        printRow("dedup", thread_count, count, bytes, dedup_seconds, dedup_baseline);
    }
}

// A copy of `words` with each word replaced by an unseen one with probability `rate`.
std::string editedCopy(const std::vector<std::string>& words, double rate, std::mt19937_64& random,
                       int& fresh) {
    std::bernoulli_distribution replace(rate);
    std::string out;
    for (const std::string& word : words) {
        out += replace(random) ? "từmới" + std::to_string(fresh++) : word;
        out += ' ';
    }
    return out;
}

std::vector<std::string> splitWords(const std::string& text) {
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string word; in >> word;) {
        words.push_back(word);
    }
    return words;
}

// Every base answer of at least 40 words goes into an LSH index; one edited copy per base (edit
// rate uniform in [0, 0.25]) is queried. Truth: the copy's exact Jaccard with its base >= t.
void benchPrecisionRecall(const std::vector<data::Record>& records, double threshold) {
    const databuild::DedupOptions options;
    const databuild::MinHasher hasher(options.permutations, options.seed);
    databuild::LshIndex index(options.permutations, threshold);
    std::vector<std::vector<std::uint64_t>> base_shingles;
    std::vector<std::vector<std::string>> base_words;
    for (const data::Record& record : records) {
        const std::string answer =
            text::normalize(std::get<data::Conversation>(record).messages.back().content);
        std::vector<std::string> words = splitWords(answer);
        if (words.size() < 40) {
            continue;
        }
        base_shingles.push_back(databuild::shingleSet(answer, options.shingle_size));
        base_words.push_back(std::move(words));
        index.insert(hasher.signature(base_shingles.back()));
    }
    std::mt19937_64 random(20260101);
    std::uniform_real_distribution<double> rate(0.0, 0.25);
    int fresh = 0;
    std::size_t true_positive = 0;
    std::size_t false_positive = 0;
    std::size_t false_negative = 0;
    std::size_t positives = 0;
    std::size_t near_threshold = 0;
    std::size_t near_threshold_found = 0;
    for (std::size_t i = 0; i < base_words.size(); ++i) {
        const auto copy = databuild::shingleSet(editedCopy(base_words[i], rate(random), random, fresh),
                                                options.shingle_size);
        const double exact = databuild::exactJaccard(base_shingles[i], copy);
        const auto [match, estimate] = index.findSimilar(hasher.signature(copy));
        const bool truth = exact >= threshold;
        const bool found =
            match >= 0 &&
            databuild::exactJaccard(base_shingles[static_cast<std::size_t>(match)], copy) >= threshold;
        positives += truth ? 1 : 0;
        true_positive += truth && found ? 1 : 0;
        false_negative += truth && !found ? 1 : 0;
        false_positive += match >= 0 && !found ? 1 : 0;
        if (exact >= threshold && exact < threshold + 0.05) {
            ++near_threshold;
            near_threshold_found += found ? 1 : 0;
        }
    }
    const std::size_t predicted = true_positive + false_positive;
    std::printf(
        "\nMinHash near duplicates: %zu real answers (>= 40 words) with one edited copy each, "
        "%zu permutations, %zu-syllable shingles, threshold %.2f, %zu bands x %zu rows\n",
        base_words.size(), options.permutations, options.shingle_size, threshold, index.bands().bands,
        index.bands().rows);
    std::printf("pairs with exact Jaccard >= %.2f: %zu; flagged: %zu; true positives: %zu\n", threshold,
                positives, predicted, true_positive);
    std::printf("precision %.3f  recall %.3f  (recall for exact Jaccard in [%.2f, %.2f): %.3f of %zu)\n",
                predicted == 0 ? 1.0 : static_cast<double>(true_positive) / static_cast<double>(predicted),
                positives == 0 ? 1.0 : static_cast<double>(true_positive) / static_cast<double>(positives),
                threshold, threshold + 0.05,
                near_threshold == 0
                    ? 1.0
                    : static_cast<double>(near_threshold_found) / static_cast<double>(near_threshold),
                near_threshold);
}

}  // namespace

int main(int argc, char** argv) {
    std::string data_dir = "../shared/data";
    int repeat = 3;
    unsigned threads = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--repeat" && i + 1 < argc) {
            repeat = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--threads" && i + 1 < argc) {
            threads = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
        } else {
            data_dir = arg;
        }
    }
    try {
        const std::vector<data::Record> records = loadRecords(data_dir);
        const std::filesystem::path dir =
            std::filesystem::temp_directory_path() / ("vietllm-bench-databuild-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
        benchThroughput(records, repeat, threads, dir);
        std::filesystem::remove_all(dir);
        for (const double threshold : {0.7, 0.8, 0.9}) {
            benchPrecisionRecall(records, threshold);
        }
    } catch (const std::exception& error) {
        std::cerr << "vietllm-bench-databuild: " << error.what()
                  << " (pass the shared data folder as the first argument)\n";
        return 1;
    }
    return 0;
}
