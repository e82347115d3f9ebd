#include "backend/train/trainer_loop.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/common/process_memory.h"
#include "backend/runs/training_flops.h"
#include "backend/train/distributed.h"
#include "backend/train/model_files.h"

#ifdef VIETLLM_WITH_CUDA
#include "backend/cuda/device_stats.h"
#endif

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/cuda.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/serialize.h>
#include <torch/version.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <limits>
#include <thread>

namespace vietllm::train {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStateFile = "trainer_state.json";

// The rng.pt entry of a generator: runs on the CPU keep the name checkpoints have always used.
std::string generatorKey(const at::Generator& generator) {
    return generator.device().is_cuda() ? "cuda_generator" : "cpu_generator";
}

// torch 2.4 replaced the per-backend autocast setters with ones taking the device type.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
void setAutocast(at::DeviceType device_type, bool enabled) {
    if (enabled) at::autocast::set_autocast_dtype(device_type, at::kBFloat16);
    at::autocast::set_autocast_enabled(device_type, enabled);
}
#else
void setAutocast(at::DeviceType device_type, bool enabled) {
    if (device_type == at::kCUDA) {
        if (enabled) at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(enabled);
    } else {
        if (enabled) at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(enabled);
    }
}
#endif

}  // namespace

std::string isoTimeNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

MetricsLog::MetricsLog(const std::string& output_dir, EventSink sink, bool enabled)
    : m_sink(std::move(sink)), m_enabled(enabled) {
    if (!m_enabled) return;
    m_file.open((fs::path(output_dir) / "metrics.jsonl").string(), std::ios::app);
    if (!m_file) throw UserError(output_dir + "/metrics.jsonl: cannot open for writing");
}

void MetricsLog::emit(const nlohmann::ordered_json& event) {
    if (!m_enabled) return;
    m_file << event.dump() << "\n";
    m_file.flush();
    if (m_sink) m_sink(event);
}

AutocastScope::AutocastScope(bool enabled, at::DeviceType device_type)
    : m_enabled(enabled), m_device_type(device_type) {
    if (!m_enabled) return;
    // The cache keeps the bf16 copy of every fp32 leaf weight until autocast is left; optimizer
    // steps inside the scope update those weights in place, so cached copies would go stale.
    m_cache_was_enabled = at::autocast::is_autocast_cache_enabled();
    at::autocast::set_autocast_cache_enabled(false);
    setAutocast(m_device_type, true);
}

AutocastScope::~AutocastScope() {
    if (!m_enabled) return;
    setAutocast(m_device_type, false);
    at::autocast::clear_cache();
    at::autocast::set_autocast_cache_enabled(m_cache_was_enabled);
}

at::Device runDevice(const TrainConfig& config, int local_rank) {
    const std::string name = runDeviceName(config, local_rank);
    if (config.device != TrainDevice::Cuda) return at::kCPU;
    const int index = std::stoi(name.substr(5));
    if (!torch::cuda::is_available()) {
        throw UserError(config.source + ": $.device: " + name +
                        ": no CUDA device is visible to this process (this libtorch has no CUDA, no "
                        "driver found a GPU, or CUDA_VISIBLE_DEVICES hides them); use \"cpu\"");
    }
    const auto count = static_cast<int>(torch::cuda::device_count());
    if (index >= count) {
        throw UserError(config.source + ": $.device: " + name + ": only " + std::to_string(count) +
                        " CUDA device(s) are visible (cuda:0 to cuda:" + std::to_string(count - 1) + ")");
    }
    return at::Device(at::kCUDA, static_cast<at::DeviceIndex>(index));
}

at::ScalarType baseWeightsDtype(const TrainConfig& config) {
    return config.lora && config.dtype == TrainDType::BFloat16 ? at::kBFloat16 : at::kFloat;
}

at::Generator runGenerator(const at::Generator& cpu_generator, const at::Device& device, std::uint64_t seed) {
    if (device.is_cpu()) return cpu_generator;
    // A copy of the device's default generator, so the run's draws leave the global one alone.
    at::Generator generator = at::globalContext().defaultGenerator(device).clone();
    generator.set_current_seed(seed);
    return generator;
}

ThroughputMeter::ThroughputMeter(const TrainConfig& config, const weights::ModelConfig& model,
                                 const at::Device& device, int world_size)
    : m_model(model),
      m_lora(config.lora.has_value()),
      m_device(device),
      m_world_size(std::max(1, world_size)) {
    m_peak_flops = config.peak_tflops * 1e12;
    if (device.is_cuda()) {
#ifdef VIETLLM_WITH_CUDA
        if (m_peak_flops <= 0.0) m_peak_flops = runs::peakBf16Flops(cuda::deviceName(device.index()));
        cuda::resetPeakAllocatedBytes(device.index());
#endif
    } else {
        // Writing 5 to clear_refs resets VmHWM (Linux 4.0+), so the peak is this run's.
        std::ofstream("/proc/self/clear_refs") << "5";
    }
}

void ThroughputMeter::count(std::int64_t real_tokens, std::int64_t row_length) {
    m_flops += static_cast<double>(real_tokens) * runs::trainingFlopsPerToken(m_model, row_length, m_lora);
}

void ThroughputMeter::annotate(nlohmann::ordered_json& event, double session_s) const {
    const double per_device = session_s > 0.0 ? m_flops / session_s / static_cast<double>(m_world_size) : 0.0;
    event["model_tflops"] = per_device / 1e12;
    if (m_peak_flops > 0.0) event["mfu"] = per_device / m_peak_flops;
    if (m_device.is_cpu()) {
        event["peak_memory_bytes"] = peakResidentBytes();
    } else {
#ifdef VIETLLM_WITH_CUDA
        event["peak_memory_bytes"] = cuda::peakAllocatedBytes(m_device.index());
#endif
    }
}

at::Tensor longTensor(const std::vector<std::int64_t>& values, std::int64_t rows, std::int64_t length,
                      const at::Device& device) {
    const at::Tensor host =
        at::tensor(at::ArrayRef<std::int64_t>(values), at::TensorOptions().dtype(at::kLong))
            .view({rows, length});
    return device.is_cpu() ? host : host.to(device);
}

at::Tensor packedLogits(const model::Transformer& model, const MicroBatch& batch) {
    const at::Device device = model.device();
    return model.forwardPacked(longTensor(batch.ids, batch.rows, batch.length, device),
                               longTensor(batch.positions, batch.rows, batch.length, device),
                               longTensor(batch.documents, batch.rows, batch.length, device));
}

at::Tensor flatLabels(const MicroBatch& batch, const at::Device& device) {
    return longTensor(batch.labels, batch.rows, batch.length, device).view({-1});
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
    rng.write(generatorKey(generator), generator.get_state());
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
    const at::Device device = trainable.empty() ? at::Device(at::kCPU) : trainable.front().tensor.device();
    torch::serialize::InputArchive optimizer_archive;
    optimizer_archive.load_from((fs::path(path) / "optimizer.pt").string(), device);
    optimizer.load(optimizer_archive);
    torch::serialize::InputArchive rng;
    rng.load_from((fs::path(path) / "rng.pt").string());
    at::Tensor generator_state;
    if (!rng.try_read(generatorKey(generator), generator_state)) {
        throw UserError(path +
                        "/rng.pt: written by a run on another kind of device; resume it with the "
                        "\"device\" that wrote it");
    }
    generator.set_state(generator_state);
    return progress;
}

bool endOfStep(const TrainConfig& config, const RunOptions& options, DataParallel& parallel,
               const model::Transformer& model, torch::optim::AdamW& optimizer, at::Generator& generator,
               const Progress& progress, std::int64_t total_steps, MetricsLog& log) {
    const bool stop_requested = options.cancel != nullptr && options.cancel->load();
    const bool cancelled =
        parallel.allReduceSum({stop_requested ? 1.0 : 0.0})[0] > 0.0 && progress.step < total_steps;
    const bool periodic = config.save_every_steps > 0 && progress.step % config.save_every_steps == 0 &&
                          progress.step < total_steps;
    if ((periodic || cancelled) && parallel.isMain()) {
        const std::string path =
            saveCheckpoint(config, model.trainableParameters(), optimizer, generator, progress);
        log.emit({{"event", "checkpoint"}, {"step", progress.step}, {"path", path}});
    }
    return cancelled;
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

std::int64_t totalSteps(const TrainConfig& config, std::int64_t accumulation,
                        const std::function<std::int64_t(std::int64_t epoch)>& epoch_size) {
    if (config.max_steps > 0) return config.max_steps;
    std::int64_t steps = 0;
    for (std::int64_t epoch = 0; epoch < config.epochs; ++epoch) {
        steps += (epoch_size(epoch) + accumulation - 1) / accumulation;
    }
    return steps;
}

std::vector<BatchSlot> nextStepBatches(const TrainConfig& config, std::int64_t accumulation,
                                       Progress& progress,
                                       const std::function<std::int64_t(std::int64_t epoch)>& epoch_size) {
    std::vector<BatchSlot> slots;
    for (std::int64_t i = 0; i < accumulation; ++i) {
        if (progress.batch_index >= epoch_size(progress.epoch)) {
            if (config.max_steps == 0 && progress.epoch + 1 >= config.epochs) break;
            ++progress.epoch;
            progress.batch_index = 0;
            if (i > 0) break;  // an update never mixes epochs
        }
        slots.push_back({progress.epoch, progress.batch_index++});
    }
    return slots;
}

TrainerSession::TrainerSession(const TrainConfig& run_config, const RunOptions& run_options)
    : config(run_config),
      options(run_options),
      existing(prepareRun(run_config, run_options)),
      env(distributedEnvFromProcess()),
      device(runDevice(run_config, env.local_rank)),
      parallel(env, distributedTimeout(), device),
      tokenizer(tokenizer::loadTokenizer(run_config.model_dir)) {}

TrainerSession::~TrainerSession() = default;

void TrainerSession::setUpModel(bool score_head) {
    model = std::make_unique<model::Transformer>(config.model_dir, baseWeightsDtype(config));
    at::Generator cpu_generator = at::make_generator<at::CPUGeneratorImpl>(config.seed);
    if (score_head) model->addScoreHead(cpu_generator);
    if (config.lora) {
        model->addLora(config.lora->target_modules, config.lora->rank, config.lora->alpha,
                       config.lora->dropout, cpu_generator);
    } else {
        model->makeWeightsTrainable();
    }
    model->setGradientCheckpointing(config.gradient_checkpointing);
    // Adapters and heads are drawn on the CPU (the same on every device), then everything moves.
    model->moveTo(device);
    generator = runGenerator(cpu_generator, device, config.seed);
    for (const model::NamedTensor& parameter : model->trainableParameters()) {
        parameters.push_back(parameter.tensor);
        trainable += parameter.tensor.numel();
    }
    parallel.broadcastFromMain(parameters);
    optimizer = makeOptimizer(config, parameters);
    std::error_code error;
    fs::create_directories(config.output_dir, error);
    log = std::make_unique<MetricsLog>(config.output_dir, options.on_event, parallel.isMain());
    m_autocast.emplace(config.dtype == TrainDType::BFloat16, device.type());
}

void TrainerSession::resume() {
    if (options.resume) {
        progress =
            loadCheckpoint(existing.back().second, model->trainableParameters(), *optimizer, generator);
    }
}

nlohmann::ordered_json TrainerSession::startEvent(const std::string& method, std::int64_t total_steps,
                                                  const nlohmann::ordered_json& fields) const {
    nlohmann::ordered_json event = {
        {"event", "start"},
        {"method", method},
        {"total_steps", total_steps},
        {"parameters", model->parameterCount()},
        {"trainable_parameters", trainable},
        {"resumed_from_step",
         options.resume ? nlohmann::ordered_json(progress.step) : nlohmann::ordered_json()}};
    for (const auto& [key, value] : fields.items()) event[key] = value;
    event["world_size"] = parallel.worldSize();
    event["device"] = device.str();
    event["process_group"] = parallel.backendName();  // "nccl", "gloo" or "none" (one process)
    event["time"] = isoTimeNow();
    return event;
}

void TrainerSession::startLoop() {
    m_meter.emplace(config, model->config(), device, parallel.worldSize());
    m_loop_start = std::chrono::steady_clock::now();
    m_elapsed_before = progress.elapsed_s;
    m_tokens_before = progress.tokens;
}

void TrainerSession::beginStep() {
    if (parallel.worldSize() > 1)
        generator.set_current_seed(stepSeed(config.seed, progress.step, parallel.rank()));
    model->setDropoutGenerator(&generator);
    optimizer->zero_grad();
}

void TrainerSession::countTokens(std::int64_t real_tokens, std::int64_t row_length) {
    progress.tokens += real_tokens;
    m_meter->count(real_tokens, row_length);
}

StepUpdate TrainerSession::applyUpdate(std::int64_t total_steps) {
    parallel.allReduceGradients(parameters);
    StepUpdate update;
    update.lr = config.optimizer.lr * learningRateFactor(config.schedule, progress.step, total_steps);
    setLearningRate(*optimizer, update.lr);
    update.grad_norm = clipGradients(config, parameters);
    optimizer->step();
    ++progress.step;
    model->setDropoutGenerator(nullptr);
    update.session_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_loop_start).count();
    progress.elapsed_s = m_elapsed_before + update.session_s;
    return update;
}

bool TrainerSession::logsStep(std::int64_t total_steps) const {
    return progress.step % config.log_every_steps == 0 || progress.step == total_steps;
}

nlohmann::ordered_json TrainerSession::stepEvent(std::int64_t epoch_size,
                                                 const nlohmann::ordered_json& fields,
                                                 const StepUpdate& update) const {
    const auto size = static_cast<double>(std::max<std::int64_t>(1, epoch_size));
    nlohmann::ordered_json event = {
        {"event", "step"},
        {"step", progress.step},
        {"epoch", static_cast<double>(progress.epoch) + static_cast<double>(progress.batch_index) / size}};
    for (const auto& [key, value] : fields.items()) event[key] = value;
    event["lr"] = update.lr;
    event["grad_norm"] = update.grad_norm;
    event["tokens"] = progress.tokens;
    event["tokens_per_s"] = update.session_s > 0.0
                                ? static_cast<double>(progress.tokens - m_tokens_before) / update.session_s
                                : 0.0;
    event["elapsed_s"] = progress.elapsed_s;
    event["world_size"] = parallel.worldSize();
    m_meter->annotate(event, update.session_s);
    return event;
}

bool TrainerSession::evalDue(std::int64_t total_steps) const {
    return config.eval_every_steps > 0 && progress.step % config.eval_every_steps == 0 &&
           progress.step < total_steps;
}

bool TrainerSession::endStep(std::int64_t total_steps) {
    return endOfStep(config, options, parallel, *model, *optimizer, generator, progress, total_steps, *log);
}

RunResult TrainerSession::finish(bool cancelled, const std::function<void()>& final_eval,
                                 const std::function<void(const std::string& final_dir)>& write_final) {
    RunResult result;
    result.step = progress.step;
    result.cancelled = cancelled;
    if (cancelled) {
        result.output = checkpointPath(config, progress.step);
    } else {
        if (final_eval) final_eval();
        result.output = (fs::path(config.output_dir) / "final").string();
        if (parallel.isMain()) {
            if (write_final) {
                write_final(result.output);
            } else {
                writeFinal(config, *model, result.output);
            }
        }
    }
    log->emit({{"event", "done"},
               {"step", progress.step},
               {"status", cancelled ? "cancelled" : "finished"},
               {"output", result.output}});
    return result;
}

}  // namespace vietllm::train
