// Activation checkpointing: peak resident memory (VmHWM) and time of one forward + backward of a
// mid-size model on the CPU, with and without checkpointing, each in its own child process so the
// peaks do not mix. The model is a random Llama of 8 layers, hidden 512 (8 heads, MLP 1376,
// vocabulary 512) written by the bench; LoRA (rank 16 on every linear layer, dropout 0.05) or full
// fine-tuning; micro-batch 4 of 1024 tokens by default. Prints a Markdown table.
//
// usage: vietllm-bench-checkpointing [--seq N] [--batch N] [--layers N] [--full] [--threads N]

#include "backend/common/process_memory.h"
#include "backend/model/transformer.h"
#include "backend/weights/model_config.h"
#include "backend/weights/safetensors.h"
#include "backend/weights/tensor_layout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace vietllm;

struct Settings {
    std::int64_t seq = 1024;
    std::int64_t batch = 4;
    std::int64_t layers = 8;
    bool full = false;
    int threads = 2;
};

// Writes config.json and random weights (N(0, 0.02), norms 1) without torch, so the parent
// process never starts torch's thread pools before it forks.
void writeModel(const std::string& dir, const Settings& settings) {
    const nlohmann::json config = {{"architectures", {"LlamaForCausalLM"}},
                                   {"model_type", "llama"},
                                   {"vocab_size", 512},
                                   {"hidden_size", 512},
                                   {"intermediate_size", 1376},
                                   {"num_hidden_layers", settings.layers},
                                   {"num_attention_heads", 8},
                                   {"num_key_value_heads", 8},
                                   {"max_position_embeddings", 4096},
                                   {"rms_norm_eps", 1e-5},
                                   {"tie_word_embeddings", false}};
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/config.json") << config.dump(2);
    const weights::ModelConfig model = weights::parseModelConfig(config, "bench config.json");
    std::mt19937 random(7);
    std::normal_distribution<float> normal(0.0F, 0.02F);
    std::vector<std::vector<float>> storage;
    std::vector<weights::TensorToWrite> tensors;
    for (const weights::TensorSpec& spec : weights::tensorLayout(model)) {
        std::int64_t count = 1;
        for (const std::int64_t dim : spec.shape) count *= dim;
        std::vector<float> values(static_cast<std::size_t>(count));
        for (float& value : values) value = weights::isNormScale(spec.role) ? 1.0F : normal(random);
        storage.push_back(std::move(values));
        tensors.push_back({spec.name, weights::DType::F32, spec.shape, storage.back().data()});
    }
    weights::writeSafetensors(dir + "/model.safetensors", tensors);
}

// One forward + backward (the child's whole life); writes "peak_kib seconds" to `out`.
void measure(const std::string& dir, const Settings& settings, bool checkpointing, int out) {
    at::set_num_threads(settings.threads);
    model::Transformer model(dir, at::kFloat);
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(1);
    if (settings.full) {
        model.makeWeightsTrainable();
    } else {
        model.addLora({}, 16, 32.0, 0.05, generator);
        model.setDropoutGenerator(&generator);
    }
    model.setGradientCheckpointing(checkpointing);
    const at::Tensor ids =
        at::randint(3, 512, {settings.batch, settings.seq}, generator, at::TensorOptions().dtype(at::kLong));
    const auto start = std::chrono::steady_clock::now();
    const at::Tensor logits = model.forward(ids, at::ones_like(ids, at::kBool), nullptr);
    at::cross_entropy_loss(logits.narrow(1, 0, settings.seq - 1).reshape({-1, logits.size(2)}),
                           ids.narrow(1, 1, settings.seq - 1).reshape({-1}))
        .backward();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string line =
        std::to_string(peakResidentBytes() / 1024) + " " + std::to_string(seconds) + "\n";
    if (::write(out, line.data(), line.size()) < 0) std::perror("write");
}

bool runChild(const std::string& dir, const Settings& settings, bool checkpointing, std::int64_t& peak_kib,
              double& seconds) {
    int pipe_ends[2];
    if (::pipe(pipe_ends) != 0) return false;
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(pipe_ends[0]);
        measure(dir, settings, checkpointing, pipe_ends[1]);
        ::_exit(0);
    }
    ::close(pipe_ends[1]);
    char buffer[128] = {};
    const ssize_t got = ::read(pipe_ends[0], buffer, sizeof(buffer) - 1);
    ::close(pipe_ends[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    return got > 0 && std::sscanf(buffer, "%ld %lf", &peak_kib, &seconds) == 2;
}

}  // namespace

int main(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        const auto next = [&] { return i + 1 < argc ? std::stoll(argv[++i]) : 0; };
        if (flag == "--seq") {
            settings.seq = next();
        } else if (flag == "--batch") {
            settings.batch = next();
        } else if (flag == "--layers") {
            settings.layers = next();
        } else if (flag == "--threads") {
            settings.threads = static_cast<int>(next());
        } else if (flag == "--full") {
            settings.full = true;
        } else {
            std::fprintf(stderr,
                         "usage: vietllm-bench-checkpointing [--seq N] [--batch N] [--layers N] [--full] "
                         "[--threads N]\n");
            return 2;
        }
    }
    const std::string dir =
        (std::filesystem::temp_directory_path() / ("vietllm-bench-ckpt-" + std::to_string(::getpid())))
            .string();
    writeModel(dir, settings);
    std::printf("| checkpointing | peak RSS (MiB) | forward + backward (s) |\n|---|---|---|\n");
    int failures = 0;
    for (const bool checkpointing : {false, true}) {
        std::int64_t peak_kib = 0;
        double seconds = 0.0;
        if (!runChild(dir, settings, checkpointing, peak_kib, seconds)) {
            std::fprintf(stderr, "the %s run failed\n", checkpointing ? "checkpointed" : "plain");
            ++failures;
            continue;
        }
        std::printf("| %s | %.0f | %.1f |\n", checkpointing ? "on" : "off",
                    static_cast<double>(peak_kib) / 1024.0, seconds);
        std::fflush(stdout);
    }
    std::filesystem::remove_all(dir);
    return failures == 0 ? 0 : 1;
}
