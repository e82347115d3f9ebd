#include "backend/train/sft_trainer.h"

#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/distributed.h"
#include "backend/train/model_files.h"
#include "backend/train/sft_data.h"
#include "backend/train/trainer_loop.h"

#include <algorithm>
#include <cmath>

namespace vietllm::train {
namespace {

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

// Summed cross-entropy of a micro-batch's supervised positions.
at::Tensor lossSum(const model::Transformer& model, const MicroBatch& batch) {
    const at::Tensor logits = packedLogits(model, batch);
    const at::Tensor labels = flatLabels(batch, model.device());
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
    TrainerSession session(config, options);
    const Dataset dataset = loadDataset(config, *session.tokenizer);
    session.setUpModel();
    const model::Transformer& model = *session.model;
    DataParallel& parallel = session.parallel;
    Progress& progress = session.progress;
    BatchStream stream(config, dataset.train);
    const auto epoch_size = [&](std::int64_t epoch) { return stream.epochSize(epoch); };
    // The global batch: rank r computes every world_size-th micro-batch of the single-process step.
    const std::int64_t accumulation = config.gradient_accumulation * parallel.worldSize();
    const std::int64_t total_steps = totalSteps(config, accumulation, epoch_size);
    session.resume();
    const std::vector<MicroBatch> eval_batches =
        planEvaluation(dataset.eval, config.max_seq_len, config.micro_batch_size, config.packing);
    session.log->emit(session.startEvent("sft", total_steps, nlohmann::ordered_json::object()));

    session.startLoop();
    bool cancelled = false;
    while (progress.step < total_steps) {
        session.beginStep();
        std::vector<const MicroBatch*> batches;
        for (const BatchSlot& slot : nextStepBatches(config, accumulation, progress, epoch_size)) {
            batches.push_back(&stream.at(slot.epoch, slot.index));
        }
        if (batches.empty()) break;
        // Every rank plans the whole step, so the normalisation (supervised tokens of the global
        // step) and the token count need no communication; only the loss sum and gradients do.
        std::int64_t labels = 0;
        for (const MicroBatch* batch : batches) {
            labels += batch->label_count;
            session.countTokens(batch->token_count, batch->length);
        }
        double rank_loss = 0.0;
        for (const std::size_t index : rankShare(batches.size(), parallel.rank(), parallel.worldSize())) {
            const at::Tensor loss = lossSum(model, *batches[index]);
            (loss / static_cast<double>(std::max<std::int64_t>(1, labels))).backward();
            rank_loss += loss.item<double>();
        }
        const double loss_total = parallel.allReduceSum({rank_loss})[0];
        const StepUpdate update = session.applyUpdate(total_steps);
        if (session.logsStep(total_steps)) {
            const double loss = loss_total / static_cast<double>(std::max<std::int64_t>(1, labels));
            session.log->emit(session.stepEvent(stream.epochSize(progress.epoch), {{"loss", loss}}, update));
        }
        if (!eval_batches.empty() && session.evalDue(total_steps)) {
            session.log->emit({{"event", "eval"},
                               {"step", progress.step},
                               {"eval_loss", evaluateShared(model, eval_batches, parallel)}});
        }
        cancelled = session.endStep(total_steps);
        if (cancelled) break;
    }
    return session.finish(cancelled, [&] {
        if (eval_batches.empty()) return;
        session.log->emit({{"event", "eval"},
                           {"step", progress.step},
                           {"eval_loss", evaluateShared(model, eval_batches, parallel)}});
    });
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
