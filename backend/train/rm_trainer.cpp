#include "backend/train/rm_trainer.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/distributed.h"
#include "backend/train/model_files.h"
#include "backend/train/preference_data.h"
#include "backend/train/trainer_loop.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

namespace vietllm::train {
namespace {

namespace fs = std::filesystem;

// Rows 2i (prompt + chosen) and 2i + 1 (prompt + rejected) of some pairs, right-padded, each row
// its own document; `last` is the index of each row's last real token, where the reward is read.
struct PairBatch {
    std::int64_t rows = 0;
    std::int64_t length = 0;
    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> positions;
    std::vector<std::int64_t> documents;
    std::vector<std::int64_t> last;
    std::int64_t token_count = 0;
};

PairBatch buildPairBatch(const std::vector<const TokenizedPair*>& pairs) {
    std::vector<const std::vector<std::int32_t>*> sides;
    for (const TokenizedPair* pair : pairs) {
        sides.push_back(&pair->chosen.ids);
        sides.push_back(&pair->rejected.ids);
    }
    PairBatch batch;
    batch.rows = static_cast<std::int64_t>(sides.size());
    for (const auto* side : sides)
        batch.length = std::max(batch.length, static_cast<std::int64_t>(side->size()));
    const auto size = static_cast<std::size_t>(batch.rows * batch.length);
    batch.ids.assign(size, 0);
    batch.positions.assign(size, 0);
    batch.documents.assign(size, 0);
    for (std::size_t row = 0; row < sides.size(); ++row) {
        const std::size_t offset = row * static_cast<std::size_t>(batch.length);
        for (std::size_t i = 0; i < sides[row]->size(); ++i) {
            batch.ids[offset + i] = (*sides[row])[i];
            batch.positions[offset + i] = static_cast<std::int64_t>(i);
            batch.documents[offset + i] = 1;
        }
        batch.last.push_back(static_cast<std::int64_t>(sides[row]->size()) - 1);
        batch.token_count += static_cast<std::int64_t>(sides[row]->size());
    }
    return batch;
}

// The reward [rows] of every row of `batch`, read at its last real token, on the model's device.
at::Tensor batchRewards(const model::Transformer& model, const PairBatch& batch) {
    const at::Device device = model.device();
    const at::Tensor hidden =
        model.hiddenStatesPacked(longTensor(batch.ids, batch.rows, batch.length, device),
                                 longTensor(batch.positions, batch.rows, batch.length, device),
                                 longTensor(batch.documents, batch.rows, batch.length, device));
    const at::Tensor flat_index =
        at::arange(batch.rows, at::TensorOptions().dtype(at::kLong).device(device)) * batch.length +
        longTensor(batch.last, 1, batch.rows, device).view({-1});
    const at::Tensor last = hidden.reshape({batch.rows * batch.length, -1}).index_select(0, flat_index);
    return model.scores(last).squeeze(-1);
}

// Bradley-Terry sums over the pairs of a batch: loss, correct orderings and margin.
struct PairStats {
    at::Tensor loss_sum;
    double correct = 0.0;
    double margin_sum = 0.0;
};

PairStats pairStats(const at::Tensor& rewards) {
    const at::Tensor pairs = rewards.view({-1, 2});
    const at::Tensor margin = pairs.select(1, 0) - pairs.select(1, 1);
    PairStats stats;
    stats.loss_sum = -at::log_sigmoid(margin).sum();
    stats.correct = (margin > 0).sum().item<double>();
    stats.margin_sum = margin.sum().item<double>();
    return stats;
}

// The pairs of an epoch in a seeded order, micro_batch_size pairs per micro-batch.
class PairStream {
public:
    PairStream(const TrainConfig& config, const std::vector<TokenizedPair>& pairs)
        : m_config(config), m_pairs(pairs) {}

    std::int64_t epochSize() const {
        const auto count = static_cast<std::int64_t>(m_pairs.size());
        return (count + m_config.micro_batch_size - 1) / m_config.micro_batch_size;
    }

    PairBatch at(std::int64_t epoch, std::int64_t index) {
        if (epoch != m_planned_epoch) {
            m_order = shuffledIndices(m_pairs.size(),
                                      m_config.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
            m_planned_epoch = epoch;
        }
        const auto first = static_cast<std::size_t>(index * m_config.micro_batch_size);
        const std::size_t last =
            std::min(m_order.size(), first + static_cast<std::size_t>(m_config.micro_batch_size));
        std::vector<const TokenizedPair*> pairs;
        for (std::size_t i = first; i < last; ++i) pairs.push_back(&m_pairs[m_order[i]]);
        return buildPairBatch(pairs);
    }

private:
    const TrainConfig& m_config;
    const std::vector<TokenizedPair>& m_pairs;
    std::vector<std::size_t> m_order;
    std::int64_t m_planned_epoch = -1;
};

struct Evaluation {
    double loss = 0.0;
    double accuracy = 0.0;
    double margin = 0.0;
    std::vector<float> rewards;  ///< chosen, rejected, chosen, ... in pair order
};

Evaluation evaluatePairs(const model::Transformer& model, const std::vector<TokenizedPair>& pairs,
                         std::int64_t micro_batch_size) {
    at::NoGradGuard no_grad;
    Evaluation out;
    double loss = 0.0;
    for (std::size_t first = 0; first < pairs.size(); first += static_cast<std::size_t>(micro_batch_size)) {
        std::vector<const TokenizedPair*> chunk;
        for (std::size_t i = first;
             i < std::min(pairs.size(), first + static_cast<std::size_t>(micro_batch_size)); ++i)
            chunk.push_back(&pairs[i]);
        const at::Tensor rewards = batchRewards(model, buildPairBatch(chunk)).to(at::kCPU).contiguous();
        const PairStats stats = pairStats(rewards);
        loss += stats.loss_sum.item<double>();
        out.accuracy += stats.correct;
        out.margin += stats.margin_sum;
        const float* data = rewards.data_ptr<float>();
        out.rewards.insert(out.rewards.end(), data, data + rewards.numel());
    }
    const auto count = static_cast<double>(std::max<std::size_t>(1, pairs.size()));
    out.loss = loss / count;
    out.accuracy /= count;
    out.margin /= count;
    return out;
}

nlohmann::ordered_json evalEvent(std::int64_t step, const Evaluation& evaluation) {
    return {{"event", "eval"},
            {"step", step},
            {"eval_loss", evaluation.loss},
            {"accuracy", evaluation.accuracy},
            {"margin", evaluation.margin}};
}

// OUT_DIR as a one-label "<Family>ForSequenceClassification" folder: the weights without an LM
// head plus score.weight, the base's config.json with the classifier keys transformers reads
// (architectures, num_labels, id2label, label2id), and the tokenizer files.
void writeRewardModelFolder(const model::Transformer& model, const std::string& base_dir,
                            chat::TemplateKind template_kind, const std::string& out_dir) {
    std::error_code error;
    fs::remove_all(out_dir, error);
    fs::create_directories(out_dir, error);
    if (error) throw UserError(out_dir + ": cannot create the folder: " + error.message());
    writeTensorFile((fs::path(out_dir) / "model.safetensors").string(), model.namedWeights());
    std::ifstream in(fs::path(base_dir) / "config.json");
    nlohmann::ordered_json config = nlohmann::ordered_json::parse(in, nullptr, false);
    if (!config.is_object()) throw UserError(base_dir + "/config.json: not a JSON object");
    config["architectures"] = {sequenceClassificationClass(model.config().model_type)};
    config["num_labels"] = 1;
    config["id2label"] = {{"0", "LABEL_0"}};
    config["label2id"] = {{"LABEL_0", 0}};
    // The template the pairs were rendered with, so that scoring renders replies the same way (an
    // extra config key, which transformers keeps as an attribute).
    config["vietllm_chat_template"] = chat::templateName(template_kind);
    AtomicFileWriter writer((fs::path(out_dir) / "config.json").string());
    writer.stream() << config.dump(2) << "\n";
    writer.commit();
    copyTokenizerFiles(base_dir, out_dir);
}

std::vector<std::vector<std::int32_t>> pairRows(const std::vector<TokenizedPair>& pairs) {
    std::vector<std::vector<std::int32_t>> rows;
    for (const TokenizedPair& pair : pairs) {
        rows.push_back(pair.chosen.ids);
        rows.push_back(pair.rejected.ids);
    }
    return rows;
}

}  // namespace

std::string sequenceClassificationClass(const std::string& model_type) {
    static const std::map<std::string, std::string> classes = {
        {"llama", "LlamaForSequenceClassification"}, {"mistral", "MistralForSequenceClassification"},
        {"qwen2", "Qwen2ForSequenceClassification"}, {"gpt_neox", "GPTNeoXForSequenceClassification"},
        {"bloom", "BloomForSequenceClassification"}, {"gptj", "GPTJForSequenceClassification"},
        {"mpt", "MptForSequenceClassification"}};
    const auto found = classes.find(model_type);
    return found == classes.end() ? std::string() : found->second;
}

RewardRunResult runRewardModel(const TrainConfig& config, const RunOptions& options) {
    if (config.method != Method::RewardModel) {
        throw UserError(config.source + ": $.method: '" + methodName(config.method) +
                        "' config given to the reward-model trainer (use \"method\": \"rm\")");
    }
    TrainerSession session(config, options);
    const PreferenceSplit pairs = loadPreferenceSplit(config, *session.tokenizer);
    session.setUpModel(true);
    model::Transformer& model = *session.model;
    DataParallel& parallel = session.parallel;
    Progress& progress = session.progress;
    PairStream stream(config, pairs.train);
    const auto epoch_size = [&](std::int64_t) { return stream.epochSize(); };
    // The global batch: rank r computes every world_size-th micro-batch of the single-process step.
    const std::int64_t accumulation = config.gradient_accumulation * parallel.worldSize();
    const std::int64_t total_steps = totalSteps(config, accumulation, epoch_size);
    session.resume();
    session.log->emit(session.startEvent("rm", total_steps,
                                         {{"pairs", pairs.train.size()},
                                          {"eval_pairs", pairs.eval.size()},
                                          {"dropped_pairs", pairs.dropped}}));

    session.startLoop();
    bool cancelled = false;
    while (progress.step < total_steps) {
        session.beginStep();
        std::vector<PairBatch> batches;
        for (const BatchSlot& slot : nextStepBatches(config, accumulation, progress, epoch_size)) {
            batches.push_back(stream.at(slot.epoch, slot.index));
        }
        if (batches.empty()) break;
        std::int64_t step_pairs = 0;
        for (const PairBatch& batch : batches) {
            step_pairs += batch.rows / 2;
            // Both sequences of every pair are computed (and counted).
            session.countTokens(batch.token_count, batch.length);
        }
        double rank_loss = 0.0;
        double rank_correct = 0.0;
        double rank_margin = 0.0;
        for (const std::size_t index : rankShare(batches.size(), parallel.rank(), parallel.worldSize())) {
            const PairStats stats = pairStats(batchRewards(model, batches[index]));
            (stats.loss_sum / static_cast<double>(step_pairs)).backward();
            rank_loss += stats.loss_sum.item<double>();
            rank_correct += stats.correct;
            rank_margin += stats.margin_sum;
        }
        const std::vector<double> sums = parallel.allReduceSum({rank_loss, rank_correct, rank_margin});
        const StepUpdate update = session.applyUpdate(total_steps);
        if (session.logsStep(total_steps)) {
            const double pair_count = static_cast<double>(step_pairs);
            session.log->emit(session.stepEvent(stream.epochSize(),
                                                {{"loss", sums[0] / pair_count},
                                                 {"accuracy", sums[1] / pair_count},
                                                 {"margin", sums[2] / pair_count}},
                                                update));
        }
        // Evaluation runs on rank 0 alone; the others wait for it at the next step's all-reduce.
        if (!pairs.eval.empty() && session.evalDue(total_steps) && parallel.isMain()) {
            session.log->emit(
                evalEvent(progress.step, evaluatePairs(model, pairs.eval, config.micro_batch_size)));
        }
        cancelled = session.endStep(total_steps);
        if (cancelled) break;
    }
    RewardRunResult result;
    const auto final_eval = [&] {
        if (pairs.eval.empty() || !parallel.isMain()) return;
        const Evaluation evaluation = evaluatePairs(model, pairs.eval, config.micro_batch_size);
        session.log->emit(evalEvent(progress.step, evaluation));
        result.eval_rows = pairRows(pairs.eval);
        result.eval_rewards = evaluation.rewards;
    };
    const auto write_final = [&](const std::string& final_dir) {
        const at::NoGradGuard no_grad;
        // A bf16 base is widened first, so that the merged updates are not rounded away and the
        // folder holds float32 weights whatever the run's dtype.
        if (baseWeightsDtype(config) == at::kBFloat16) model.makeWeightsTrainable();
        model.mergeLora();
        writeRewardModelFolder(model, config.model_dir, pairs.template_kind, final_dir);
    };
    result.run = session.finish(cancelled, final_eval, write_final);
    return result;
}

}  // namespace vietllm::train
