#include "backend/train/sft_trainer.h"

#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/distributed.h"
#include "backend/train/model_files.h"
#include "backend/train/sft_data.h"
#include "backend/train/trainer_loop.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace vietllm::train {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

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

// `accumulation`: micro-batches per optimizer step over all data-parallel ranks.
std::int64_t totalSteps(const TrainConfig& config, BatchStream& stream, std::int64_t accumulation) {
    if (config.max_steps > 0) return config.max_steps;
    std::int64_t steps = 0;
    for (std::int64_t epoch = 0; epoch < config.epochs; ++epoch) {
        const std::int64_t size = stream.epochSize(epoch);
        steps += (size + accumulation - 1) / accumulation;
    }
    return steps;
}

// Summed cross-entropy of a micro-batch's supervised positions.
at::Tensor lossSum(const model::Transformer& model, const MicroBatch& batch) {
    const at::Device device = model.device();
    const at::Tensor logits =
        model.forwardPacked(longTensor(batch.ids, batch.rows, batch.length, device),
                            longTensor(batch.positions, batch.rows, batch.length, device),
                            longTensor(batch.documents, batch.rows, batch.length, device));
    const at::Tensor labels = longTensor(batch.labels, batch.rows, batch.length, device).view({-1});
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

// evaluate() with the batches shared out between the data-parallel ranks (every rank calls it).
double evaluateShared(const model::Transformer& model, const std::vector<MicroBatch>& batches,
                      DataParallel& parallel) {
    at::NoGradGuard no_grad;
    double total = 0.0;
    double labels = 0.0;
    for (const std::size_t index : rankShare(batches.size(), parallel.rank(), parallel.worldSize())) {
        total += lossSum(model, batches[index]).item<double>();
        labels += static_cast<double>(batches[index].label_count);
    }
    const std::vector<double> sums = parallel.allReduceSum({total, labels});
    return sums[1] > 0.0 ? sums[0] / sums[1] : std::nan("");
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
    const std::vector<std::pair<std::int64_t, std::string>> existing = prepareRun(config, options);
    DataParallel parallel(distributedEnvFromProcess(), distributedTimeout());
    const at::Device device = runDevice(config, parallel.localRank());
    const std::unique_ptr<tokenizer::Tokenizer> tokenizer = tokenizer::loadTokenizer(config.model_dir);
    const Dataset dataset = loadDataset(config, *tokenizer);
    model::Transformer model(config.model_dir, baseWeightsDtype(config));
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(config.seed);
    if (config.lora) {
        model.addLora(config.lora->target_modules, config.lora->rank, config.lora->alpha,
                      config.lora->dropout, generator);
    } else {
        model.makeWeightsTrainable();
    }
    model.setGradientCheckpointing(config.gradient_checkpointing);
    // Adapters are drawn on the CPU (the same on every device), then everything moves at once.
    model.moveTo(device);
    generator = runGenerator(generator, device, config.seed);
    std::vector<at::Tensor> parameters;
    std::int64_t trainable = 0;
    for (const model::NamedTensor& parameter : model.trainableParameters()) {
        parameters.push_back(parameter.tensor);
        trainable += parameter.tensor.numel();
    }
    parallel.broadcastFromMain(parameters);
    const std::unique_ptr<torch::optim::AdamW> optimizer_owner = makeOptimizer(config, parameters);
    torch::optim::AdamW& optimizer = *optimizer_owner;

    std::error_code error;
    fs::create_directories(config.output_dir, error);
    MetricsLog log(config.output_dir, options.on_event, parallel.isMain());
    BatchStream stream(config, dataset.train);
    // The global batch: rank r computes every world_size-th micro-batch of the single-process step.
    const std::int64_t accumulation = config.gradient_accumulation * parallel.worldSize();
    const std::int64_t total_steps = totalSteps(config, stream, accumulation);
    Progress progress;
    if (options.resume) {
        progress = loadCheckpoint(existing.back().second, model.trainableParameters(), optimizer, generator);
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
              {"world_size", parallel.worldSize()},
              {"time", isoTimeNow()}});

    const AutocastScope autocast(config.dtype == TrainDType::BFloat16, device.type());
    ThroughputMeter meter(config, model.config(), device, parallel.worldSize());
    const Clock::time_point session_start = Clock::now();
    const double elapsed_before = progress.elapsed_s;
    const std::int64_t tokens_before = progress.tokens;
    bool cancelled = false;
    while (progress.step < total_steps) {
        if (parallel.worldSize() > 1)
            generator.set_current_seed(stepSeed(config.seed, progress.step, parallel.rank()));
        model.setDropoutGenerator(&generator);
        optimizer.zero_grad();
        std::vector<const MicroBatch*> batches;
        for (std::int64_t i = 0; i < accumulation; ++i) {
            if (progress.batch_index >= stream.epochSize(progress.epoch)) {
                if (config.max_steps == 0 && progress.epoch + 1 >= config.epochs) break;
                ++progress.epoch;
                progress.batch_index = 0;
                if (i > 0) break;  // an update never mixes epochs
            }
            batches.push_back(&stream.at(progress.epoch, progress.batch_index++));
        }
        if (batches.empty()) break;
        // Every rank plans the whole step, so the normalisation (supervised tokens of the global
        // step) and the token count need no communication; only the loss sum and gradients do.
        std::int64_t labels = 0;
        for (const MicroBatch* batch : batches) {
            labels += batch->label_count;
            progress.tokens += batch->token_count;
            meter.count(batch->token_count, batch->length);
        }
        double rank_loss = 0.0;
        for (const std::size_t index : rankShare(batches.size(), parallel.rank(), parallel.worldSize())) {
            const at::Tensor loss = lossSum(model, *batches[index]);
            (loss / static_cast<double>(std::max<std::int64_t>(1, labels))).backward();
            rank_loss += loss.item<double>();
        }
        const double loss_total = parallel.allReduceSum({rank_loss})[0];
        parallel.allReduceGradients(parameters);
        const double lr =
            config.optimizer.lr * learningRateFactor(config.schedule, progress.step, total_steps);
        setLearningRate(optimizer, lr);
        const double grad_norm = clipGradients(config, parameters);
        optimizer.step();
        ++progress.step;
        model.setDropoutGenerator(nullptr);
        const double session_s = std::chrono::duration<double>(Clock::now() - session_start).count();
        progress.elapsed_s = elapsed_before + session_s;
        if (progress.step % config.log_every_steps == 0 || progress.step == total_steps) {
            const std::int64_t size = std::max<std::int64_t>(1, stream.epochSize(progress.epoch));
            nlohmann::ordered_json step_event = {
                {"event", "step"},
                {"step", progress.step},
                {"epoch", static_cast<double>(progress.epoch) +
                              static_cast<double>(progress.batch_index) / static_cast<double>(size)},
                {"loss", loss_total / static_cast<double>(std::max<std::int64_t>(1, labels))},
                {"lr", lr},
                {"grad_norm", grad_norm},
                {"tokens", progress.tokens},
                {"tokens_per_s",
                 session_s > 0.0 ? static_cast<double>(progress.tokens - tokens_before) / session_s : 0.0},
                {"elapsed_s", progress.elapsed_s},
                {"world_size", parallel.worldSize()}};
            meter.annotate(step_event, session_s);
            log.emit(step_event);
        }
        if (!eval_batches.empty() && config.eval_every_steps > 0 &&
            progress.step % config.eval_every_steps == 0 && progress.step < total_steps) {
            log.emit({{"event", "eval"},
                      {"step", progress.step},
                      {"eval_loss", evaluateShared(model, eval_batches, parallel)}});
        }
        cancelled =
            endOfStep(config, options, parallel, model, optimizer, generator, progress, total_steps, log);
        if (cancelled) break;
    }
    RunResult result;
    result.step = progress.step;
    result.cancelled = cancelled;
    if (cancelled) {
        result.output = checkpointPath(config, progress.step);
    } else {
        if (!eval_batches.empty()) {
            log.emit({{"event", "eval"},
                      {"step", progress.step},
                      {"eval_loss", evaluateShared(model, eval_batches, parallel)}});
        }
        result.output = (fs::path(config.output_dir) / "final").string();
        if (parallel.isMain()) writeFinal(config, model, result.output);
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
