// Generation throughput of the engine: prefill and decode tokens per second at batch 1 and 8, in
// fp32 and bf16, on the CPU or a GPU, on a model folder or on a random model of a real shape that
// the bench writes itself (`--size 0.5b` is Qwen2.5-0.5B's shape, `--size 1b` Llama-3.2-1B's). The
// in-run baseline is the weight-streaming bound: a decode step must read every weight once, so
// steps/s cannot exceed memory bandwidth / weight bytes; the bench measures the device's copy
// bandwidth first and prints each decode rate as a share of that bound, plus the bf16/fp32 and
// batch-8/batch-1 ratios. On CUDA each row runs in two decode modes in the same run, static steps
// run eagerly and replayed as CUDA graphs, with their ratio; `--baseline-tok-s X` adds the ratio of
// batch-1 decode to a quoted figure (stock transformers). Prints Markdown tables.
//
// usage: vietllm-bench-generate [--model DIR | --size tiny|0.5b|1b] [--arch qwen2] [--threads N]
//                               [--prompt-tokens N] [--new-tokens N] [--dtypes fp32,bf16 | --dtype D]
//                               [--device cpu|cuda|cuda:N] [--modes dynamic,static,graphs]
//                               [--baseline-tok-s X]

#include "backend/sample/devices.h"
#include "backend/sample/engine.h"
#include "backend/weights/model_config.h"
#include "backend/weights/random_model.h"
#include "backend/weights/tensor_layout.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace vietllm;
using Clock = std::chrono::steady_clock;

struct Settings {
    std::string model;
    std::string size = "0.5b";
    std::string arch = "qwen2";
    int threads = 2;
    std::int64_t prompt_tokens = 64;
    std::int64_t new_tokens = 16;
    std::vector<std::string> dtypes = {"fp32", "bf16"};
    std::string device = "cpu";
    std::vector<std::string> modes;  // empty: dynamic on the CPU, static and graphs on CUDA
    double baseline_tokens_per_s = 0;
};

std::vector<std::string> splitCommas(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        parts.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return parts;
}

Settings parseSettings(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const std::string value = argv[i + 1];
        if (name == "--model")
            settings.model = value;
        else if (name == "--size")
            settings.size = value;
        else if (name == "--arch")
            settings.arch = value;
        else if (name == "--threads")
            settings.threads = std::atoi(value.c_str());
        else if (name == "--prompt-tokens")
            settings.prompt_tokens = std::atoll(value.c_str());
        else if (name == "--new-tokens")
            settings.new_tokens = std::atoll(value.c_str());
        else if (name == "--dtypes" || name == "--dtype")
            settings.dtypes = splitCommas(value);
        else if (name == "--device")
            settings.device = sample::checkedDevice(value, "--device");
        else if (name == "--modes")
            settings.modes = splitCommas(value);
        else if (name == "--baseline-tok-s")
            settings.baseline_tokens_per_s = std::atof(value.c_str());
        else {
            std::cerr << "unknown option " << name << '\n';
            std::exit(2);
        }
    }
    return settings;
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Host copy bandwidth in bytes/s (read + write counted) over a buffer much larger than the caches,
// one thread (the figure the CPU results in docs/benchmarks.md were measured against).
double hostCopyBandwidth() {
    const std::size_t bytes = std::size_t{512} << 20;
    std::vector<char> source(bytes, 1), target(bytes, 0);
    std::memcpy(target.data(), source.data(), bytes);  // fault the pages in
    const auto start = Clock::now();
    constexpr int kRounds = 4;
    for (int round = 0; round < kRounds; ++round) {
        source[static_cast<std::size_t>(round)] = static_cast<char>(round);
        std::memcpy(target.data(), source.data(), bytes);
    }
    const double seconds = secondsSince(start);
    volatile char sink = target[bytes / 2];  // keeps the copies observable
    (void)sink;
    return 2.0 * static_cast<double>(bytes) * kRounds / seconds;
}

std::int64_t weightCount(const weights::ModelConfig& config) {
    std::int64_t count = 0;
    for (const weights::TensorSpec& spec : weights::tensorLayout(config)) {
        if (spec.optional && config.tie_word_embeddings) continue;
        std::int64_t elements = 1;
        for (const std::int64_t extent : spec.shape) elements *= extent;
        count += elements;
    }
    return count;
}

struct Rates {
    double prefill_tokens_per_s = 0;
    double decode_tokens_per_s = 0;  ///< over all rows
    double decode_steps_per_s = 0;
};

Rates measure(const sample::Engine& engine, std::size_t batch, const Settings& settings) {
    std::vector<std::vector<std::int32_t>> prompts(batch);
    for (std::size_t row = 0; row < batch; ++row) {
        for (std::int64_t index = 0; index < settings.prompt_tokens; ++index) {
            prompts[row].push_back(
                static_cast<std::int32_t>(3 + (index * 7 + static_cast<std::int64_t>(row)) % 250));
        }
    }
    sample::GenerationOptions options;
    options.max_new_tokens = settings.new_tokens;
    options.ignore_eos = true;
    options.sampling.temperature = 0;
    Clock::time_point first_token;
    bool seen_first = false;
    const auto start = Clock::now();
    engine.generate(prompts, options, [&](const sample::StreamChunk&) {
        if (!seen_first) {
            first_token = Clock::now();
            seen_first = true;
        }
        return true;
    });
    const double total = secondsSince(start);
    const double prefill = std::chrono::duration<double>(first_token - start).count();
    Rates rates;
    rates.prefill_tokens_per_s = static_cast<double>(batch * settings.prompt_tokens) / prefill;
    const double decode_steps = static_cast<double>(settings.new_tokens - 1);
    rates.decode_steps_per_s = decode_steps / (total - prefill);
    rates.decode_tokens_per_s = rates.decode_steps_per_s * static_cast<double>(batch);
    return rates;
}

// The engine options of one decode mode: "dynamic", "static" (eager fixed-shape steps) or
// "graphs" (fixed-shape steps replayed as CUDA graphs).
sample::EngineOptions modeOptions(const Settings& settings, const std::string& dtype,
                                  const std::string& mode) {
    sample::EngineOptions options;
    options.dtype = sample::computeDTypeFromName(dtype, "dtypes");
    options.num_threads = settings.threads;
    options.device = settings.device;
    if (mode != "dynamic" && mode != "static" && mode != "graphs") {
        std::cerr << "unknown mode " << mode << " (dynamic, static, graphs)\n";
        std::exit(2);
    }
    options.decode = mode == "dynamic" ? sample::DecodeShapes::Dynamic : sample::DecodeShapes::Static;
    options.cuda_graphs = mode == "graphs";
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    Settings settings = parseSettings(argc, argv);
    const bool cuda = settings.device != "cpu";
    if (settings.modes.empty()) {
        settings.modes =
            cuda ? std::vector<std::string>{"static", "graphs"} : std::vector<std::string>{"dynamic"};
    }
    std::string model = settings.model;
    if (model.empty()) {
        model = (std::filesystem::temp_directory_path() /
                 ("vietllm-bench-" + settings.arch + "-" + settings.size))
                    .string();
        if (!std::filesystem::exists(model + "/config.json")) {
            weights::RandomModelOptions options;
            options.architecture = weights::architectureFromName(settings.arch);
            options.size = settings.size;
            options.dtype = "bf16";
            const auto start = Clock::now();
            weights::writeRandomModel(model, options);
            std::printf("wrote %s (%s, %s) in %.1f s\n", model.c_str(), settings.arch.c_str(),
                        settings.size.c_str(), secondsSince(start));
        }
    }
    const weights::ModelConfig config = weights::loadModelConfig(model);
    const double parameters = static_cast<double>(weightCount(config));
    const double bandwidth =
        cuda ? sample::copyBandwidth(settings.device, std::size_t{1} << 30) : hostCopyBandwidth();
    std::printf("model %s: %.0fM weights; prompt %lld tokens, %lld new tokens, device %s, %d threads\n\n",
                model.c_str(), parameters / 1e6, static_cast<long long>(settings.prompt_tokens),
                static_cast<long long>(settings.new_tokens), settings.device.c_str(), settings.threads);
    std::printf("copy bandwidth %.1f GB/s (read + write)\n\n", bandwidth / 1e9);
    std::printf("| dtype | decode | batch | prefill tok/s | decode tok/s | steps/s | of bound |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|\n");
    std::vector<std::string> notes;
    // One line under the table: `text` and a ratio.
    const auto note = [&](const std::string& text, double ratio) {
        char value[32];
        std::snprintf(value, sizeof value, "%.2fx", ratio);
        notes.push_back(text + ": " + value);
    };
    double fp32_decode = 0;
    for (const std::string& dtype : settings.dtypes) {
        const double bytes_per_weight = dtype == "fp32" ? 4.0 : 2.0;
        // A decode step reads each weight once; copy bandwidth counts a read and a write.
        const double bound_steps_per_s = bandwidth / 2.0 / (parameters * bytes_per_weight);
        double first_mode_decode[2] = {0, 0};
        for (std::size_t mode_index = 0; mode_index < settings.modes.size(); ++mode_index) {
            const std::string& mode = settings.modes[mode_index];
            const sample::Engine engine(model, modeOptions(settings, dtype, mode));
            double batch1_decode = 0;
            for (const std::size_t batch : {std::size_t{1}, std::size_t{8}}) {
                // Warm-up with the same shapes (a CUDA graph is captured here, not in the timing).
                Settings warm = settings;
                warm.new_tokens = 3;
                measure(engine, batch, warm);
                const Rates rates = measure(engine, batch, settings);
                std::printf("| %s | %s | %zu | %.1f | %.2f | %.2f | %.0f%% |\n", dtype.c_str(), mode.c_str(),
                            batch, rates.prefill_tokens_per_s, rates.decode_tokens_per_s,
                            rates.decode_steps_per_s, 100.0 * rates.decode_steps_per_s / bound_steps_per_s);
                const std::size_t slot = batch == 1 ? 0 : 1;
                if (mode_index == 0) {
                    first_mode_decode[slot] = rates.decode_tokens_per_s;
                } else {
                    note(dtype + ": decode tokens/s, " + mode + " / " + settings.modes[0] + " at batch " +
                             std::to_string(batch),
                         rates.decode_tokens_per_s / first_mode_decode[slot]);
                }
                if (batch == 1) {
                    batch1_decode = rates.decode_tokens_per_s;
                    if (settings.baseline_tokens_per_s > 0) {
                        char baseline[32];
                        std::snprintf(baseline, sizeof baseline, "%.1f", settings.baseline_tokens_per_s);
                        note(dtype + ": batch-1 decode tokens/s, " + mode + " / baseline " + baseline,
                             rates.decode_tokens_per_s / settings.baseline_tokens_per_s);
                    }
                } else {
                    note(dtype + ": decode tokens/s, batch 8 / batch 1 (" + mode + ")",
                         rates.decode_tokens_per_s / batch1_decode);
                }
            }
            if (mode_index == 0 && dtype == "fp32") {
                fp32_decode = batch1_decode;
            } else if (mode_index == 0 && fp32_decode > 0) {
                note(dtype + " / fp32: decode tokens/s at batch 1", batch1_decode / fp32_decode);
            }
            if (cuda && mode == "graphs" && !engine.usesCudaGraphs()) {
                notes.emplace_back(dtype +
                                   ": CUDA graph capture failed or is unavailable; 'graphs' ran eagerly");
            }
        }
    }
    std::printf("\n");
    for (const std::string& line : notes) {
        std::printf("- %s\n", line.c_str());
    }
    return 0;
}
