#include "backend/train/trainer_loop.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/train/model_files.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/serialize.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <limits>
#include <thread>

namespace vietllm::train {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStateFile = "trainer_state.json";

}  // namespace

std::string isoTimeNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

MetricsLog::MetricsLog(const std::string& output_dir, EventSink sink)
    : m_file((fs::path(output_dir) / "metrics.jsonl").string(), std::ios::app), m_sink(std::move(sink)) {
    if (!m_file) throw UserError(output_dir + "/metrics.jsonl: cannot open for writing");
}

void MetricsLog::emit(const nlohmann::ordered_json& event) {
    m_file << event.dump() << "\n";
    m_file.flush();
    if (m_sink) m_sink(event);
}

// libtorch 1.13 names for CPU autocast.
AutocastScope::AutocastScope(bool enabled) : m_enabled(enabled) {
    if (!m_enabled) return;
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
}

AutocastScope::~AutocastScope() {
    if (!m_enabled) return;
    at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(false);
}

at::Tensor longTensor(const std::vector<std::int64_t>& values, std::int64_t rows, std::int64_t length) {
    return at::tensor(at::ArrayRef<std::int64_t>(values), at::TensorOptions().dtype(at::kLong))
        .view({rows, length});
}

std::string checkpointPath(const TrainConfig& config, std::int64_t step) {
    return (fs::path(config.output_dir) / ("checkpoint-" + std::to_string(step))).string();
}

std::vector<std::pair<std::int64_t, std::string>> listCheckpoints(const std::string& output_dir) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    std::error_code error;
    if (!fs::is_directory(output_dir, error)) return out;
    for (const fs::directory_entry& entry : fs::directory_iterator(output_dir, error)) {
        const std::string name = entry.path().filename().string();
        const std::string prefix = "checkpoint-";
        if (name.compare(0, prefix.size(), prefix) != 0 || !fs::is_regular_file(entry.path() / kStateFile))
            continue;
        const std::string digits = name.substr(prefix.size());
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
        out.emplace_back(std::stoll(digits), entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::pair<std::int64_t, std::string>> prepareRun(const TrainConfig& config,
                                                             const RunOptions& options) {
    checkTrainConfig(config);
    if (config.device == TrainDevice::Cuda) {
        throw UserError(config.source +
                        ": $.device: training on cuda is not available in this build; use \"cpu\"");
    }
    std::vector<std::pair<std::int64_t, std::string>> existing = listCheckpoints(config.output_dir);
    if (options.resume && existing.empty()) {
        throw UserError(config.output_dir + ": --resume found no checkpoint-N folder to continue from");
    }
    if (!options.resume && !existing.empty()) {
        throw UserError(config.output_dir +
                        ": already holds checkpoints; continue with --resume or choose another "
                        "output_dir");
    }
    const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
    at::set_num_threads(options.num_threads > 0 ? options.num_threads : static_cast<int>(hardware));
    return existing;
}

std::unique_ptr<torch::optim::AdamW> makeOptimizer(const TrainConfig& config,
                                                   const std::vector<at::Tensor>& parameters) {
    return std::make_unique<torch::optim::AdamW>(parameters,
                                                 torch::optim::AdamWOptions(config.optimizer.lr)
                                                     .betas({config.optimizer.beta1, config.optimizer.beta2})
                                                     .eps(config.optimizer.eps)
                                                     .weight_decay(config.optimizer.weight_decay));
}

void setLearningRate(torch::optim::AdamW& optimizer, double lr) {
    for (torch::optim::OptimizerParamGroup& group : optimizer.param_groups()) {
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    }
}

double clipGradients(const TrainConfig& config, const std::vector<at::Tensor>& parameters) {
    const double max_norm =
        config.max_grad_norm > 0.0 ? config.max_grad_norm : std::numeric_limits<double>::infinity();
    return torch::nn::utils::clip_grad_norm_(parameters, max_norm);
}

std::string saveCheckpoint(const TrainConfig& config, const std::vector<model::NamedTensor>& trainable,
                           torch::optim::AdamW& optimizer, at::Generator& generator,
                           const Progress& progress) {
    const std::string final_path = checkpointPath(config, progress.step);
    const std::string partial = final_path + ".partial";
    std::error_code error;
    fs::remove_all(partial, error);
    fs::create_directories(partial, error);
    if (error) throw UserError(partial + ": cannot create the checkpoint folder: " + error.message());
    writeTensorFile((fs::path(partial) / "trainable.safetensors").string(), trainable);
    torch::save(optimizer, (fs::path(partial) / "optimizer.pt").string());
    torch::serialize::OutputArchive rng;
    rng.write("cpu_generator", generator.get_state());
    rng.save_to((fs::path(partial) / "rng.pt").string());
    nlohmann::ordered_json state;
    state["step"] = progress.step;
    state["epoch"] = progress.epoch;
    state["batch_index"] = progress.batch_index;
    state["tokens"] = progress.tokens;
    state["elapsed_s"] = progress.elapsed_s;
    state["config"] = config.toJson();
    {
        AtomicFileWriter writer((fs::path(partial) / kStateFile).string());
        writer.stream() << state.dump(2) << "\n";
        writer.commit();
    }
    fs::remove_all(final_path, error);
    fs::rename(partial, final_path, error);
    if (error) throw UserError(final_path + ": cannot finish the checkpoint: " + error.message());
    std::vector<std::pair<std::int64_t, std::string>> existing = listCheckpoints(config.output_dir);
    while (static_cast<std::int64_t>(existing.size()) > config.keep_checkpoints) {
        fs::remove_all(existing.front().second, error);
        existing.erase(existing.begin());
    }
    return final_path;
}

Progress loadCheckpoint(const std::string& path, const std::vector<model::NamedTensor>& trainable,
                        torch::optim::AdamW& optimizer, at::Generator& generator) {
    std::ifstream in(fs::path(path) / kStateFile);
    const nlohmann::json state = nlohmann::json::parse(in, nullptr, false);
    if (!state.is_object() || !state.contains("step") || !state.contains("epoch") ||
        !state.contains("batch_index")) {
        throw UserError(path + "/" + kStateFile + ": not a valid trainer state");
    }
    Progress progress;
    progress.step = state["step"].get<std::int64_t>();
    progress.epoch = state["epoch"].get<std::int64_t>();
    progress.batch_index = state["batch_index"].get<std::int64_t>();
    progress.tokens = state.value("tokens", std::int64_t{0});
    progress.elapsed_s = state.value("elapsed_s", 0.0);
    const std::map<std::string, at::Tensor> saved =
        readTensorFile((fs::path(path) / "trainable.safetensors").string());
    at::NoGradGuard no_grad;
    for (const model::NamedTensor& parameter : trainable) {
        const auto found = saved.find(parameter.name);
        if (found == saved.end() || found->second.sizes() != parameter.tensor.sizes()) {
            throw UserError(path + ": the checkpoint does not match this model and config (tensor '" +
                            parameter.name + "')");
        }
        parameter.tensor.copy_(found->second);
    }
    torch::load(optimizer, (fs::path(path) / "optimizer.pt").string());
    torch::serialize::InputArchive rng;
    rng.load_from((fs::path(path) / "rng.pt").string());
    at::Tensor generator_state;
    rng.read("cpu_generator", generator_state);
    generator.set_state(generator_state);
    return progress;
}

void writeFinal(const TrainConfig& config, const model::Transformer& model, const std::string& final_dir) {
    std::error_code error;
    fs::remove_all(final_dir, error);
    if (config.lora) {
        writeAdapterFolder(model, *config.lora, config.model_dir, final_dir);
    } else {
        writeModelFolder(model, config.model_dir, final_dir);
    }
}

}  // namespace vietllm::train
