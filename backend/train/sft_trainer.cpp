#include "backend/train/sft_trainer.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/model_files.h"
#include "backend/train/sft_data.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <torch/serialize.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

namespace vietllm::train {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kStateFile = "trainer_state.json";

std::string isoTimeNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// Every event goes to the caller and, one JSON object per line, to OUTPUT_DIR/metrics.jsonl.
class MetricsLog {
public:
    MetricsLog(const std::string& output_dir, EventSink sink)
        : m_file((fs::path(output_dir) / "metrics.jsonl").string(), std::ios::app), m_sink(std::move(sink)) {
        if (!m_file) throw UserError(output_dir + "/metrics.jsonl: cannot open for writing");
    }

    void emit(const nlohmann::ordered_json& event) {
        m_file << event.dump() << "\n";
        m_file.flush();
        if (m_sink) m_sink(event);
    }

private:
    std::ofstream m_file;
    EventSink m_sink;
};

// CPU bf16 autocast for the run's thread (libtorch 1.13 names; thread-local state, restored on exit).
class AutocastScope {
public:
    explicit AutocastScope(bool enabled) : m_enabled(enabled) {
        if (!m_enabled) return;
        at::autocast::set_cpu_enabled(true);
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    }
    ~AutocastScope() {
        if (!m_enabled) return;
        at::autocast::clear_cache();
        at::autocast::set_cpu_enabled(false);
    }
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_enabled;
};

// Where the run is: updates done, the next micro-batch (epoch, index), tokens and time so far.
struct Progress {
    std::int64_t step = 0;
    std::int64_t epoch = 0;
    std::int64_t batch_index = 0;
    std::int64_t tokens = 0;
    double elapsed_s = 0.0;
};

// The examples of a run, tokenized, split into training and evaluation sets.
struct Dataset {
    std::vector<TokenizedExample> train;
    std::vector<TokenizedExample> eval;
};

std::vector<TokenizedExample> tokenizeAll(const std::vector<data::Conversation>& conversations,
                                          const tokenizer::Tokenizer& tokenizer, const Encoding& encoding,
                                          std::int64_t max_seq_len) {
    std::vector<TokenizedExample> out;
    for (const data::Conversation& conversation : conversations) {
        TokenizedExample example = tokenizeConversation(conversation, tokenizer, encoding, max_seq_len);
        if (example.labelCount() > 0) out.push_back(std::move(example));  // nothing to learn otherwise
    }
    return out;
}

Dataset loadDataset(const TrainConfig& config, const tokenizer::Tokenizer& tokenizer) {
    const Encoding encoding = makeEncoding(tokenizer, config.model_dir, config.chat_template);
    Dataset dataset;
    std::vector<TokenizedExample> all =
        tokenizeAll(readConversations(config.data.train_files, config.data.format), tokenizer, encoding,
                    config.max_seq_len);
    if (!config.data.eval_files.empty()) {
        dataset.train = std::move(all);
        dataset.eval = tokenizeAll(readConversations(config.data.eval_files, config.data.format), tokenizer,
                                   encoding, config.max_seq_len);
    } else {
        const auto eval_count =
            static_cast<std::size_t>(std::floor(config.data.eval_fraction * static_cast<double>(all.size())));
        const std::vector<std::size_t> order = shuffledIndices(all.size(), config.seed ^ 0xE7A1ULL);
        for (std::size_t i = 0; i < order.size(); ++i) {
            (i < eval_count ? dataset.eval : dataset.train).push_back(std::move(all[order[i]]));
        }
    }
    if (dataset.train.empty()) {
        throw UserError(config.source + ": $.data.train: no example with an assistant reply to learn from");
    }
    return dataset;
}

// The stream of micro-batches over epochs, planned one epoch at a time.
class BatchStream {
public:
    BatchStream(const TrainConfig& config, const std::vector<TokenizedExample>& examples)
        : m_config(config), m_examples(examples) {}

    std::int64_t epochSize(std::int64_t epoch) {
        plan(epoch);
        return static_cast<std::int64_t>(m_plan.size());
    }

    const MicroBatch& at(std::int64_t epoch, std::int64_t index) {
        plan(epoch);
        return m_plan[static_cast<std::size_t>(index)];
    }

private:
    void plan(std::int64_t epoch) {
        if (epoch == m_planned_epoch) return;
        m_plan = planEpoch(m_examples, m_config.max_seq_len, m_config.micro_batch_size, m_config.packing,
                           m_config.seed, epoch);
        m_planned_epoch = epoch;
    }

    const TrainConfig& m_config;
    const std::vector<TokenizedExample>& m_examples;
    std::vector<MicroBatch> m_plan;
    std::int64_t m_planned_epoch = -1;
};

std::int64_t totalSteps(const TrainConfig& config, BatchStream& stream) {
    if (config.max_steps > 0) return config.max_steps;
    std::int64_t steps = 0;
    for (std::int64_t epoch = 0; epoch < config.epochs; ++epoch) {
        const std::int64_t size = stream.epochSize(epoch);
        steps += (size + config.gradient_accumulation - 1) / config.gradient_accumulation;
    }
    return steps;
}

at::Tensor longTensor(const std::vector<std::int64_t>& values, std::int64_t rows, std::int64_t length) {
    return at::tensor(at::ArrayRef<std::int64_t>(values), at::TensorOptions().dtype(at::kLong))
        .view({rows, length});
}

// Summed cross-entropy of a micro-batch's supervised positions.
at::Tensor lossSum(const model::Transformer& model, const MicroBatch& batch) {
    const at::Tensor logits = model.forwardPacked(longTensor(batch.ids, batch.rows, batch.length),
                                                  longTensor(batch.positions, batch.rows, batch.length),
                                                  longTensor(batch.documents, batch.rows, batch.length));
    const at::Tensor labels = longTensor(batch.labels, batch.rows, batch.length).view({-1});
    return at::cross_entropy_loss(logits.view({-1, logits.size(-1)}), labels, {}, at::Reduction::Sum,
                                  kIgnoreLabel);
}

double evaluate(const model::Transformer& model, const std::vector<MicroBatch>& batches) {
    at::NoGradGuard no_grad;
    double total = 0.0;
    std::int64_t labels = 0;
    for (const MicroBatch& batch : batches) {
        total += lossSum(model, batch).item<double>();
        labels += batch.label_count;
    }
    return labels > 0 ? total / static_cast<double>(labels) : std::nan("");
}

std::string checkpointPath(const TrainConfig& config, std::int64_t step) {
    return (fs::path(config.output_dir) / ("checkpoint-" + std::to_string(step))).string();
}

// Checkpoint folders of the output folder, by step (only complete ones: they have a state file).
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

// Saves trainable weights, optimizer state, RNG state, progress and config into checkpoint-STEP,
// written as a ".partial" folder renamed into place, then drops the oldest beyond keep_checkpoints.
std::string saveCheckpoint(const TrainConfig& config, const model::Transformer& model,
                           torch::optim::AdamW& optimizer, at::Generator& generator,
                           const Progress& progress) {
    const std::string final_path = checkpointPath(config, progress.step);
    const std::string partial = final_path + ".partial";
    std::error_code error;
    fs::remove_all(partial, error);
    fs::create_directories(partial, error);
    if (error) throw UserError(partial + ": cannot create the checkpoint folder: " + error.message());
    writeTensorFile((fs::path(partial) / "trainable.safetensors").string(), model.trainableParameters());
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

Progress loadCheckpoint(const std::string& path, const model::Transformer& model,
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
    for (const model::NamedTensor& parameter : model.trainableParameters()) {
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

void setLearningRate(torch::optim::AdamW& optimizer, double lr) {
    for (torch::optim::OptimizerParamGroup& group : optimizer.param_groups()) {
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    }
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

}  // namespace

double learningRateFactor(const ScheduleConfig& schedule, std::int64_t step, std::int64_t total_steps) {
    const std::int64_t warmup =
        schedule.warmup_steps > 0
            ? schedule.warmup_steps
            : static_cast<std::int64_t>(std::ceil(schedule.warmup_ratio * static_cast<double>(total_steps)));
    if (step < warmup) {
        return static_cast<double>(step + 1) / static_cast<double>(warmup);
    }
    if (schedule.kind == ScheduleKind::Constant) {
        return 1.0;
    }
    const std::int64_t decay_steps = std::max<std::int64_t>(1, total_steps - warmup - 1);
    const double progress =
        std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(decay_steps));
    const double shape =
        schedule.kind == ScheduleKind::Linear ? 1.0 - progress : 0.5 * (1.0 + std::cos(M_PI * progress));
    return schedule.min_lr_ratio + (1.0 - schedule.min_lr_ratio) * shape;
}

RunResult runSft(const TrainConfig& config, const RunOptions& options) {
    checkTrainConfig(config);
    if (config.device == TrainDevice::Cuda) {
        throw UserError(config.source +
                        ": $.device: training on cuda is not available in this build; use \"cpu\"");
    }
    const std::vector<std::pair<std::int64_t, std::string>> existing = listCheckpoints(config.output_dir);
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

    const std::unique_ptr<tokenizer::Tokenizer> tokenizer = tokenizer::loadTokenizer(config.model_dir);
    const Dataset dataset = loadDataset(config, *tokenizer);
    model::Transformer model(config.model_dir, at::kFloat);
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(config.seed);
    if (config.lora) {
        model.addLora(config.lora->target_modules, config.lora->rank, config.lora->alpha,
                      config.lora->dropout, generator);
    } else {
        model.makeWeightsTrainable();
    }
    std::vector<at::Tensor> parameters;
    std::int64_t trainable = 0;
    for (const model::NamedTensor& parameter : model.trainableParameters()) {
        parameters.push_back(parameter.tensor);
        trainable += parameter.tensor.numel();
    }
    torch::optim::AdamW optimizer(parameters, torch::optim::AdamWOptions(config.optimizer.lr)
                                                  .betas({config.optimizer.beta1, config.optimizer.beta2})
                                                  .eps(config.optimizer.eps)
                                                  .weight_decay(config.optimizer.weight_decay));

    std::error_code error;
    fs::create_directories(config.output_dir, error);
    MetricsLog log(config.output_dir, options.on_event);
    BatchStream stream(config, dataset.train);
    const std::int64_t total_steps = totalSteps(config, stream);
    Progress progress;
    if (options.resume) {
        progress = loadCheckpoint(existing.back().second, model, optimizer, generator);
    }
    const std::vector<MicroBatch> eval_batches =
        planEvaluation(dataset.eval, config.max_seq_len, config.micro_batch_size, config.packing);
    log.emit({{"event", "start"},
              {"method", "sft"},
              {"total_steps", total_steps},
              {"parameters", model.parameterCount()},
              {"trainable_parameters", trainable},
              {"resumed_from_step",
               options.resume ? nlohmann::ordered_json(progress.step) : nlohmann::ordered_json()},
              {"time", isoTimeNow()}});

    const AutocastScope autocast(config.dtype == TrainDType::BFloat16);
    const Clock::time_point session_start = Clock::now();
    const double elapsed_before = progress.elapsed_s;
    const std::int64_t tokens_before = progress.tokens;
    bool cancelled = false;
    while (progress.step < total_steps) {
        model.setDropoutGenerator(&generator);
        optimizer.zero_grad();
        std::vector<const MicroBatch*> batches;
        for (std::int64_t i = 0; i < config.gradient_accumulation; ++i) {
            if (progress.batch_index >= stream.epochSize(progress.epoch)) {
                if (config.max_steps == 0 && progress.epoch + 1 >= config.epochs) break;
                ++progress.epoch;
                progress.batch_index = 0;
                if (i > 0) break;  // an update never mixes epochs
            }
            batches.push_back(&stream.at(progress.epoch, progress.batch_index++));
        }
        if (batches.empty()) break;
        std::int64_t labels = 0;
        for (const MicroBatch* batch : batches) labels += batch->label_count;
        double loss_total = 0.0;
        for (const MicroBatch* batch : batches) {
            const at::Tensor loss = lossSum(model, *batch);
            (loss / static_cast<double>(std::max<std::int64_t>(1, labels))).backward();
            loss_total += loss.item<double>();
            progress.tokens += batch->token_count;
        }
        const double lr =
            config.optimizer.lr * learningRateFactor(config.schedule, progress.step, total_steps);
        setLearningRate(optimizer, lr);
        const double max_norm =
            config.max_grad_norm > 0.0 ? config.max_grad_norm : std::numeric_limits<double>::infinity();
        const double grad_norm = torch::nn::utils::clip_grad_norm_(parameters, max_norm);
        optimizer.step();
        ++progress.step;
        model.setDropoutGenerator(nullptr);
        const double session_s = std::chrono::duration<double>(Clock::now() - session_start).count();
        progress.elapsed_s = elapsed_before + session_s;
        if (progress.step % config.log_every_steps == 0 || progress.step == total_steps) {
            const std::int64_t size = std::max<std::int64_t>(1, stream.epochSize(progress.epoch));
            log.emit(
                {{"event", "step"},
                 {"step", progress.step},
                 {"epoch", static_cast<double>(progress.epoch) +
                               static_cast<double>(progress.batch_index) / static_cast<double>(size)},
                 {"loss", loss_total / static_cast<double>(std::max<std::int64_t>(1, labels))},
                 {"lr", lr},
                 {"grad_norm", grad_norm},
                 {"tokens", progress.tokens},
                 {"tokens_per_s",
                  session_s > 0.0 ? static_cast<double>(progress.tokens - tokens_before) / session_s : 0.0},
                 {"elapsed_s", progress.elapsed_s}});
        }
        if (!eval_batches.empty() && config.eval_every_steps > 0 &&
            progress.step % config.eval_every_steps == 0 && progress.step < total_steps) {
            log.emit(
                {{"event", "eval"}, {"step", progress.step}, {"eval_loss", evaluate(model, eval_batches)}});
        }
        cancelled = options.cancel != nullptr && options.cancel->load() && progress.step < total_steps;
        const bool periodic = config.save_every_steps > 0 && progress.step % config.save_every_steps == 0 &&
                              progress.step < total_steps;
        if (periodic || cancelled) {
            const std::string path = saveCheckpoint(config, model, optimizer, generator, progress);
            log.emit({{"event", "checkpoint"}, {"step", progress.step}, {"path", path}});
        }
        if (cancelled) break;
    }
    RunResult result;
    result.step = progress.step;
    result.cancelled = cancelled;
    if (cancelled) {
        result.output = checkpointPath(config, progress.step);
    } else {
        if (!eval_batches.empty()) {
            log.emit(
                {{"event", "eval"}, {"step", progress.step}, {"eval_loss", evaluate(model, eval_batches)}});
        }
        result.output = (fs::path(config.output_dir) / "final").string();
        writeFinal(config, model, result.output);
    }
    log.emit({{"event", "done"},
              {"step", progress.step},
              {"status", cancelled ? "cancelled" : "finished"},
              {"output", result.output}});
    return result;
}

void mergeAdapter(const std::string& base_dir, const std::string& adapter_dir, const std::string& out_dir) {
    model::Transformer model(base_dir, at::kFloat);
    loadAdapterFolder(model, adapter_dir);
    model.mergeLora();
    writeModelFolder(model, base_dir, out_dir);
}

double meanLoss(const std::string& model_dir, const std::string& adapter_dir,
                const std::vector<MicroBatch>& batches) {
    model::Transformer model(model_dir, at::kFloat);
    if (!adapter_dir.empty()) loadAdapterFolder(model, adapter_dir);
    return evaluate(model, batches);
}

std::vector<std::vector<float>> adapterLogits(const std::string& model_dir, const std::string& adapter_dir,
                                              const std::vector<std::int32_t>& ids) {
    model::Transformer model(model_dir, at::kFloat);
    loadAdapterFolder(model, adapter_dir);
    at::NoGradGuard no_grad;
    const std::vector<std::int64_t> wide(ids.begin(), ids.end());
    const auto length = static_cast<std::int64_t>(ids.size());
    const at::Tensor logits =
        model
            .forward(longTensor(wide, 1, length), at::ones({1, length}, at::TensorOptions().dtype(at::kBool)),
                     nullptr)
            .select(0, 0)
            .contiguous();
    std::vector<std::vector<float>> out;
    const float* data = logits.data_ptr<float>();
    for (std::int64_t position = 0; position < length; ++position) {
        out.emplace_back(data + position * logits.size(1), data + (position + 1) * logits.size(1));
    }
    return out;
}

}  // namespace vietllm::train
