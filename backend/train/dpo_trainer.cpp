#include "backend/train/dpo_trainer.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/distributed.h"
#include "backend/train/preference_data.h"
#include "backend/train/trainer_loop.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace vietllm::train {
namespace {

namespace fs = std::filesystem;
using PairLogps = std::vector<std::array<double, 2>>;  ///< per pair: chosen, rejected

// Some pairs' sequences (2i = prompt + chosen, 2i + 1 = prompt + rejected of the i-th pair) as
// packed or padded rows, and for every position the sequence it belongs to (2 * pairs at padding),
// so per-sequence log-probabilities are one index_add.
struct PairBatch {
    MicroBatch tokens;
    std::vector<std::int64_t> sequence_of_position;
    std::vector<std::size_t> pairs;  ///< index of each pair in its set
};

PairBatch buildPairBatch(const std::vector<TokenizedPair>& set, const std::vector<std::size_t>& pairs,
                         std::int64_t max_seq_len, bool packing) {
    std::vector<const TokenizedExample*> sequences;
    for (const std::size_t index : pairs) {
        sequences.push_back(&set[index].chosen);
        sequences.push_back(&set[index].rejected);
    }
    std::vector<std::vector<std::size_t>> rows;
    std::int64_t filled = 0;
    for (std::size_t s = 0; s < sequences.size(); ++s) {
        const auto length = static_cast<std::int64_t>(sequences[s]->ids.size());
        if (!packing || rows.empty() || filled + length > max_seq_len) {
            rows.emplace_back();
            filled = 0;
        }
        rows.back().push_back(s);
        filled += length;
    }
    PairBatch batch;
    batch.pairs = pairs;
    MicroBatch& tokens = batch.tokens;
    tokens.rows = static_cast<std::int64_t>(rows.size());
    for (const std::vector<std::size_t>& row : rows) {
        std::int64_t length = 0;
        for (const std::size_t s : row) length += static_cast<std::int64_t>(sequences[s]->ids.size());
        tokens.length = std::max(tokens.length, length);
    }
    const auto size = static_cast<std::size_t>(tokens.rows * tokens.length);
    tokens.ids.assign(size, 0);
    tokens.labels.assign(size, kIgnoreLabel);
    tokens.positions.assign(size, 0);
    tokens.documents.assign(size, 0);
    batch.sequence_of_position.assign(size, static_cast<std::int64_t>(sequences.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::size_t offset = r * static_cast<std::size_t>(tokens.length);
        std::int64_t document = 0;
        for (const std::size_t s : rows[r]) {
            ++document;
            const TokenizedExample& example = *sequences[s];
            for (std::size_t i = 0; i < example.ids.size(); ++i, ++offset) {
                tokens.ids[offset] = example.ids[i];
                tokens.labels[offset] = example.labels[i];
                tokens.positions[offset] = static_cast<std::int64_t>(i);
                tokens.documents[offset] = document;
                batch.sequence_of_position[offset] = static_cast<std::int64_t>(s);
            }
            tokens.token_count += static_cast<std::int64_t>(example.ids.size());
            tokens.label_count += example.labelCount();
        }
    }
    return batch;
}

std::vector<PairBatch> batchesFromOrder(const std::vector<TokenizedPair>& set,
                                        const std::vector<std::size_t>& order, const TrainConfig& config) {
    std::vector<PairBatch> batches;
    const auto size = static_cast<std::size_t>(config.micro_batch_size);
    for (std::size_t first = 0; first < order.size(); first += size) {
        const std::vector<std::size_t> pairs(
            order.begin() + static_cast<std::ptrdiff_t>(first),
            order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), first + size)));
        batches.push_back(buildPairBatch(set, pairs, config.max_seq_len, config.packing));
    }
    return batches;
}

std::size_t pairLength(const TokenizedPair& pair) {
    return std::max(pair.chosen.ids.size(), pair.rejected.ids.size());
}

// The micro-batches of one epoch: pairs shuffled with the seed and the epoch; without packing,
// sorted by length inside windows of 64 micro-batches and the micro-batches shuffled again (as SFT).
std::vector<PairBatch> planPairEpoch(const std::vector<TokenizedPair>& set, const TrainConfig& config,
                                     std::int64_t epoch) {
    const std::uint64_t epoch_seed = config.seed * 1000003ULL + static_cast<std::uint64_t>(epoch);
    std::vector<std::size_t> order = shuffledIndices(set.size(), epoch_seed);
    if (config.packing) return batchesFromOrder(set, order, config);
    const std::size_t window = static_cast<std::size_t>(config.micro_batch_size) * 64;
    for (std::size_t first = 0; first < order.size(); first += window) {
        const auto end = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), first + window));
        std::stable_sort(
            order.begin() + static_cast<std::ptrdiff_t>(first), end,
            [&](std::size_t a, std::size_t b) { return pairLength(set[a]) < pairLength(set[b]); });
    }
    std::vector<PairBatch> batches = batchesFromOrder(set, order, config);
    std::vector<PairBatch> shuffled;
    for (const std::size_t index : shuffledIndices(batches.size(), epoch_seed ^ 0x5DEECE66DULL)) {
        shuffled.push_back(std::move(batches[index]));
    }
    return shuffled;
}

// Every pair of `set` in order (reference computation and evaluation).
std::vector<PairBatch> planPairsInOrder(const std::vector<TokenizedPair>& set, const TrainConfig& config) {
    std::vector<std::size_t> order(set.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    return batchesFromOrder(set, order, config);
}

// The stream of micro-batches over epochs, planned one epoch at a time.
class PairStream {
public:
    PairStream(const TrainConfig& config, const std::vector<TokenizedPair>& set)
        : m_config(config), m_set(set) {}

    std::int64_t epochSize(std::int64_t epoch) {
        plan(epoch);
        return static_cast<std::int64_t>(m_plan.size());
    }

    const PairBatch& at(std::int64_t epoch, std::int64_t index) {
        plan(epoch);
        return m_plan[static_cast<std::size_t>(index)];
    }

private:
    void plan(std::int64_t epoch) {
        if (epoch == m_planned_epoch) return;
        m_plan = planPairEpoch(m_set, m_config, epoch);
        m_planned_epoch = epoch;
    }

    const TrainConfig& m_config;
    const std::vector<TokenizedPair>& m_set;
    std::vector<PairBatch> m_plan;
    std::int64_t m_planned_epoch = -1;
};

// Summed reply-token log-probabilities [pairs, 2] (chosen, rejected) of a batch, on the model's device.
at::Tensor sequenceLogps(const model::Transformer& model, const PairBatch& batch) {
    const MicroBatch& tokens = batch.tokens;
    const at::Device device = model.device();
    const at::Tensor logits = packedLogits(model, tokens);
    const at::Tensor labels = flatLabels(tokens, device);
    const at::Tensor token_logps = -at::cross_entropy_loss(logits.view({-1, logits.size(-1)}).to(at::kFloat),
                                                           labels, {}, at::Reduction::None, kIgnoreLabel);
    const auto sequences = static_cast<std::int64_t>(2 * batch.pairs.size());
    const at::Tensor index =
        longTensor(batch.sequence_of_position, tokens.rows, tokens.length, device).view({-1});
    return at::zeros({sequences + 1}, token_logps.options())
        .index_add(0, index, token_logps)
        .slice(0, 0, sequences)
        .view({sequences / 2, 2});
}

// The reference log-probabilities [pairs, 2] of a batch's pairs, on `device`.
at::Tensor referenceOf(const PairBatch& batch, const PairLogps& reference, const at::Device& device) {
    std::vector<double> values;
    for (const std::size_t pair : batch.pairs) {
        values.push_back(reference[pair][0]);
        values.push_back(reference[pair][1]);
    }
    return at::tensor(at::ArrayRef<double>(values), at::TensorOptions().dtype(at::kDouble))
        .to(device, at::kFloat)
        .view({-1, 2});
}

// Per-pair DPO loss and implicit rewards beta * (pi - ref) of chosen and rejected.
struct PairTerms {
    at::Tensor losses;
    at::Tensor chosen_rewards;
    at::Tensor rejected_rewards;
};

PairTerms dpoTerms(const at::Tensor& policy, const at::Tensor& reference, const DpoConfig& dpo) {
    const at::Tensor rewards = dpo.beta * (policy - reference);
    PairTerms terms;
    terms.chosen_rewards = rewards.select(1, 0);
    terms.rejected_rewards = rewards.select(1, 1);
    const at::Tensor logits = terms.chosen_rewards - terms.rejected_rewards;
    terms.losses = -(1.0 - dpo.label_smoothing) * at::log_sigmoid(logits) -
                   dpo.label_smoothing * at::log_sigmoid(-logits);
    return terms;
}

// Sums over pairs for the step and eval events.
struct PairStats {
    double loss = 0.0;
    double chosen = 0.0;
    double rejected = 0.0;
    double correct = 0.0;
    std::int64_t pairs = 0;

    void add(const PairTerms& terms) {
        loss += terms.losses.sum().item<double>();
        chosen += terms.chosen_rewards.sum().item<double>();
        rejected += terms.rejected_rewards.sum().item<double>();
        correct += (terms.chosen_rewards > terms.rejected_rewards).sum().item<double>();
        pairs += terms.losses.size(0);
    }

    // The means as event fields named PREFIX + loss, rewards/chosen, rewards/rejected, margin, accuracy.
    void addFields(nlohmann::ordered_json& event, const std::string& prefix) const {
        const double count = static_cast<double>(std::max<std::int64_t>(1, pairs));
        event[prefix + "loss"] = loss / count;
        event[prefix + "rewards/chosen"] = chosen / count;
        event[prefix + "rewards/rejected"] = rejected / count;
        event[prefix + "margin"] = (chosen - rejected) / count;
        event[prefix + "accuracy"] = correct / count;
    }

    // The sums over every data-parallel rank (each added its share of the pairs).
    void reduce(DataParallel& parallel) {
        const std::vector<double> sums =
            parallel.allReduceSum({loss, chosen, rejected, correct, static_cast<double>(pairs)});
        loss = sums[0];
        chosen = sums[1];
        rejected = sums[2];
        correct = sums[3];
        pairs = static_cast<std::int64_t>(std::llround(sums[4]));
    }
};

// Every rank evaluates its share of the batches; the sums are reduced over the ranks.
PairStats evaluate(const model::Transformer& model, const std::vector<PairBatch>& batches,
                   const PairLogps& reference, const DpoConfig& dpo, DataParallel& parallel) {
    at::NoGradGuard no_grad;
    PairStats stats;
    for (const std::size_t index : rankShare(batches.size(), parallel.rank(), parallel.worldSize())) {
        stats.add(dpoTerms(sequenceLogps(model, batches[index]),
                           referenceOf(batches[index], reference, model.device()), dpo));
    }
    stats.reduce(parallel);
    return stats;
}

// FNV-1a over what the reference log-probabilities depend on: the model folder, the token ids and
// labels of every pair, the dtype and a bf16 base; a cache with another fingerprint is recomputed.
// The device is not part of it: a cache written on the CPU serves a GPU run and back.
class Fingerprint {
public:
    void add(std::uint64_t value) {
        for (int byte = 0; byte < 8; ++byte) {
            m_hash = (m_hash ^ ((value >> (8 * byte)) & 0xFFU)) * 0x100000001B3ULL;
        }
    }
    void add(const std::string& text) {
        for (const char c : text) add(static_cast<std::uint64_t>(static_cast<unsigned char>(c)));
    }
    void add(const std::vector<TokenizedPair>& set) {
        add(set.size());
        for (const TokenizedPair& pair : set) {
            for (const TokenizedExample* side : {&pair.chosen, &pair.rejected}) {
                add(side->ids.size());
                for (const std::int32_t id : side->ids) add(static_cast<std::uint64_t>(id));
                for (const std::int32_t label : side->labels) add(static_cast<std::uint64_t>(label));
            }
        }
    }
    std::string hex() const {
        char text[24];
        std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(m_hash));
        return text;
    }

private:
    std::uint64_t m_hash = 0xCBF29CE484222325ULL;
};

std::string referenceFingerprint(const TrainConfig& config, const PreferenceSplit& sets) {
    Fingerprint fingerprint;
    fingerprint.add(fs::absolute(config.model_dir).lexically_normal().string());
    fingerprint.add(config.dtype == TrainDType::BFloat16 ? std::string("bf16") : std::string("fp32"));
    if (baseWeightsDtype(config) == at::kBFloat16) fingerprint.add(std::string("bf16-base"));
    fingerprint.add(sets.train);
    fingerprint.add(sets.eval);
    return fingerprint.hex();
}

struct Reference {
    PairLogps train;
    PairLogps eval;
    bool cached = false;
};

nlohmann::ordered_json logpsJson(const PairLogps& logps) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const std::array<double, 2>& pair : logps) {
        nlohmann::ordered_json entry = nlohmann::ordered_json::array();
        entry.push_back(pair[0]);
        entry.push_back(pair[1]);
        out.push_back(std::move(entry));
    }
    return out;
}

std::optional<PairLogps> logpsFromJson(const nlohmann::json& value, std::size_t expected) {
    if (!value.is_array() || value.size() != expected) return std::nullopt;
    PairLogps out;
    for (const nlohmann::json& entry : value) {
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_number() || !entry[1].is_number())
            return std::nullopt;
        out.push_back({entry[0].get<double>(), entry[1].get<double>()});
    }
    return out;
}

// The cache of OUTPUT_DIR when it was written for these pairs and this model, else nothing.
std::optional<Reference> readReferenceCache(const std::string& path, const std::string& fingerprint,
                                            const PreferenceSplit& sets) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    const nlohmann::json cache = nlohmann::json::parse(in, nullptr, false);
    if (!cache.is_object() || !cache.contains("fingerprint") || !cache.contains("train") ||
        !cache.contains("eval") || cache["fingerprint"] != fingerprint) {
        return std::nullopt;
    }
    std::optional<PairLogps> train = logpsFromJson(cache["train"], sets.train.size());
    std::optional<PairLogps> eval = logpsFromJson(cache["eval"], sets.eval.size());
    if (!train || !eval) return std::nullopt;
    Reference reference;
    reference.train = std::move(*train);
    reference.eval = std::move(*eval);
    reference.cached = true;
    return reference;
}

PairLogps computeLogps(const model::Transformer& model, const std::vector<TokenizedPair>& set,
                       const TrainConfig& config) {
    at::NoGradGuard no_grad;
    PairLogps out(set.size());
    for (const PairBatch& batch : planPairsInOrder(set, config)) {
        const at::Tensor logps =
            sequenceLogps(model, batch).to(at::Device(at::kCPU), at::kDouble).contiguous();
        for (std::size_t i = 0; i < batch.pairs.size(); ++i) {
            const auto row = static_cast<std::int64_t>(i);
            out[batch.pairs[i]] = {logps[row][0].item<double>(), logps[row][1].item<double>()};
        }
    }
    return out;
}

// The reference log-probabilities: read from the cache, or computed with `model` on its device as
// the policy starts (call before any update or resume: fresh LoRA adapters add exactly zero, as B
// starts at zero, so this is the base) and cached as CPU doubles when `write_cache` (only rank 0 of
// a data-parallel run writes it).
Reference referenceLogps(const TrainConfig& config, const model::Transformer& model,
                         const PreferenceSplit& sets, bool write_cache) {
    const std::string path = (fs::path(config.output_dir) / kReferenceLogpsFile).string();
    const std::string fingerprint = referenceFingerprint(config, sets);
    if (std::optional<Reference> cached = readReferenceCache(path, fingerprint, sets)) return *cached;
    Reference reference;
    reference.train = computeLogps(model, sets.train, config);
    reference.eval = computeLogps(model, sets.eval, config);
    if (!write_cache) return reference;
    nlohmann::ordered_json cache;
    cache["fingerprint"] = fingerprint;
    cache["train"] = logpsJson(reference.train);
    cache["eval"] = logpsJson(reference.eval);
    AtomicFileWriter writer(path);
    writer.stream() << cache.dump() << "\n";
    writer.commit();
    return reference;
}

nlohmann::ordered_json evalEvent(std::int64_t step, const PairStats& stats) {
    nlohmann::ordered_json event = {{"event", "eval"}, {"step", step}};
    stats.addFields(event, "eval_");
    return event;
}

}  // namespace

RunResult runDpo(const TrainConfig& config, const RunOptions& options) {
    if (config.method != Method::Dpo) {
        throw UserError(config.source + ": $.method: '" + methodName(config.method) +
                        "' is trained by `train " + methodName(config.method) + "`, not `train dpo`");
    }
    TrainerSession session(config, options);
    const PreferenceSplit sets = loadPreferenceSplit(config, *session.tokenizer);
    session.setUpModel();
    const model::Transformer& model = *session.model;
    DataParallel& parallel = session.parallel;
    Progress& progress = session.progress;
    const Reference reference = referenceLogps(config, model, sets, parallel.isMain());
    PairStream stream(config, sets.train);
    const auto epoch_size = [&](std::int64_t epoch) { return stream.epochSize(epoch); };
    // The global batch: rank r computes every world_size-th micro-batch of the single-process step.
    const std::int64_t accumulation = config.gradient_accumulation * parallel.worldSize();
    const std::int64_t total_steps = totalSteps(config, accumulation, epoch_size);
    session.resume();
    const std::vector<PairBatch> eval_batches = planPairsInOrder(sets.eval, config);
    session.log->emit(session.startEvent("dpo", total_steps,
                                         {{"pairs", sets.train.size()},
                                          {"eval_pairs", sets.eval.size()},
                                          {"dropped_pairs", sets.dropped},
                                          {"reference", reference.cached ? "cached" : "computed"}}));

    session.startLoop();
    bool cancelled = false;
    while (progress.step < total_steps) {
        session.beginStep();
        std::vector<const PairBatch*> batches;
        for (const BatchSlot& slot : nextStepBatches(config, accumulation, progress, epoch_size)) {
            batches.push_back(&stream.at(slot.epoch, slot.index));
        }
        if (batches.empty()) break;
        std::size_t step_pairs = 0;
        for (const PairBatch* batch : batches) {
            step_pairs += batch->pairs.size();
            // Both sequences of every pair are computed (and counted).
            session.countTokens(batch->tokens.token_count, batch->tokens.length);
        }
        PairStats stats;
        for (const std::size_t index : rankShare(batches.size(), parallel.rank(), parallel.worldSize())) {
            const PairBatch& batch = *batches[index];
            const PairTerms terms = dpoTerms(sequenceLogps(model, batch),
                                             referenceOf(batch, reference.train, session.device), config.dpo);
            (terms.losses.sum() / static_cast<double>(step_pairs)).backward();
            const at::NoGradGuard no_grad;
            stats.add(
                {terms.losses.detach(), terms.chosen_rewards.detach(), terms.rejected_rewards.detach()});
        }
        stats.reduce(parallel);
        const StepUpdate update = session.applyUpdate(total_steps);
        if (session.logsStep(total_steps)) {
            nlohmann::ordered_json fields = nlohmann::ordered_json::object();
            stats.addFields(fields, "");
            session.log->emit(session.stepEvent(stream.epochSize(progress.epoch), fields, update));
        }
        if (!eval_batches.empty() && session.evalDue(total_steps)) {
            session.log->emit(evalEvent(progress.step,
                                        evaluate(model, eval_batches, reference.eval, config.dpo, parallel)));
        }
        cancelled = session.endStep(total_steps);
        if (cancelled) break;
    }
    return session.finish(cancelled, [&] {
        if (eval_batches.empty()) return;
        session.log->emit(
            evalEvent(progress.step, evaluate(model, eval_batches, reference.eval, config.dpo, parallel)));
    });
}

}  // namespace vietllm::train
