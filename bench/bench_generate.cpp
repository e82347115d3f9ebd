// Generation throughput of the engine: prefill and decode tokens per second at batch 1 and 8, in
// fp32 and bf16, on a model folder or on a random model of a real shape that the bench writes itself
// (`--size 0.5b` is Qwen2.5-0.5B's shape). The in-run baseline is the weight-streaming bound: a
// decode step must read every weight once, so steps/s cannot exceed memory bandwidth / weight bytes;
// the bench measures this machine's copy bandwidth first and prints each decode rate as a share of
// that bound, plus the bf16/fp32 and batch-8/batch-1 ratios.
//
// usage: vietllm-bench-generate [--model DIR | --size tiny|0.5b|1b] [--arch qwen2] [--threads N]
//                               [--prompt-tokens N] [--new-tokens N] [--dtypes fp32,bf16]

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
        else if (name == "--dtypes")
            settings.dtypes = splitCommas(value);
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

// Copy bandwidth in bytes/s (read + write counted) over a buffer much larger than the caches.
double copyBandwidth() {
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

}  // namespace

int main(int argc, char** argv) {
    const Settings settings = parseSettings(argc, argv);
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
    const double bandwidth = copyBandwidth();
    std::printf("model %s: %.0fM weights; prompt %lld tokens, %lld new tokens, %d threads\n", model.c_str(),
                parameters / 1e6, static_cast<long long>(settings.prompt_tokens),
                static_cast<long long>(settings.new_tokens), settings.threads);
    std::printf("copy bandwidth %.1f GB/s (read + write)\n", bandwidth / 1e9);
    std::printf("%-5s %5s %14s %14s %12s %10s\n", "dtype", "batch", "prefill tok/s", "decode tok/s",
                "steps/s", "of bound");
    double fp32_decode = 0;
    for (const std::string& dtype : settings.dtypes) {
        sample::EngineOptions options;
        options.dtype = sample::computeDTypeFromName(dtype, "dtypes");
        options.num_threads = settings.threads;
        const sample::Engine engine(model, options);
        const double bytes_per_weight = dtype == "fp32" ? 4.0 : 2.0;
        // A decode step reads each weight once; copy bandwidth counts a read and a write.
        const double bound_steps_per_s = bandwidth / 2.0 / (parameters * bytes_per_weight);
        measure(engine, 1,
                {settings.model, settings.size, settings.arch, settings.threads, 8, 3, {}});  // warm-up
        double batch1_decode = 0;
        for (const std::size_t batch : {std::size_t{1}, std::size_t{8}}) {
            const Rates rates = measure(engine, batch, settings);
            std::printf("%-5s %5zu %14.1f %14.2f %12.2f %9.0f%%\n", dtype.c_str(), batch,
                        rates.prefill_tokens_per_s, rates.decode_tokens_per_s, rates.decode_steps_per_s,
                        100.0 * rates.decode_steps_per_s / bound_steps_per_s);
            if (batch == 1)
                batch1_decode = rates.decode_tokens_per_s;
            else
                std::printf("      batch 8 / batch 1 decode tokens/s: %.2fx\n",
                            rates.decode_tokens_per_s / batch1_decode);
        }
        if (dtype == "fp32")
            fp32_decode = batch1_decode;
        else if (fp32_decode > 0)
            std::printf("      %s / fp32 decode tokens/s at batch 1: %.2fx\n", dtype.c_str(),
                        batch1_decode / fp32_decode);
    }
    return 0;
}
