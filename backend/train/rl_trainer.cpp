#include "backend/train/rl_trainer.h"

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/model/transformer.h"
#include "backend/sample/reward_scorer.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/distributed.h"
#include "backend/train/sft_data.h"
#include "backend/train/trainer_loop.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace vietllm::train {
namespace {

using nlohmann::json;
using Prompt = std::vector<data::Message>;

// The prompt of a conversation: its messages before the last assistant reply, when they end with a
// user turn.
std::optional<Prompt> promptOf(const data::Conversation& conversation) {
    Prompt messages = conversation.messages;
    while (!messages.empty() && messages.back().role == data::Role::Assistant) messages.pop_back();
    if (messages.empty() || messages.back().role != data::Role::User) return std::nullopt;
    return messages;
}

// Whether the first record of `file` is prompt-only ({"prompt": ...} without a reply).
bool isPromptOnly(const std::string& file) {
    std::unique_ptr<std::istream> in = data::openInputFile(file);
    for (std::string line; std::getline(*in, line);) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const json record = json::parse(line, nullptr, false);
        return record.is_object() && record.contains("prompt") && !record.contains("response") &&
               !record.contains("chosen") && !record.contains("completion");
    }
    return false;
}

std::vector<Prompt> readPromptOnly(const std::string& file) {
    std::vector<Prompt> out;
    std::unique_ptr<std::istream> in = data::openInputFile(file);
    std::size_t line_number = 0;
    for (std::string line; std::getline(*in, line);) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::string where = file + ":" + std::to_string(line_number) + ": ";
        const json record = json::parse(line, nullptr, false);
        if (!record.is_object() || !record.contains("prompt")) {
            throw UserError(where + "not a JSON object with a \"prompt\"");
        }
        const json& prompt = record["prompt"];
        Prompt messages;
        if (prompt.is_string()) {
            messages.push_back({data::Role::User, prompt.get<std::string>()});
        } else {
            try {
                messages = data::messagesFromJson(prompt, "prompt");
            } catch (const UserError& error) {
                throw UserError(where + error.what());
            }
        }
        if (messages.empty() || messages.back().role != data::Role::User) {
            throw UserError(where + "the prompt must end with a user turn");
        }
        out.push_back(std::move(messages));
    }
    return out;
}

// The generator one prompt's samples draw from on `device`, seeded with `seed`.
at::Generator promptGenerator(const at::Device& device, std::uint64_t seed) {
    return runGenerator(at::make_generator<at::CPUGeneratorImpl>(seed), device, seed);
}

// Samples one token per row from `logits` [rows, vocab]: temperature, then nucleus (top-p)
// filtering, over the ids the tokenizer knows. The rows are groups of equal size, one per entry of
// `generators` (one prompt's samples), and each group draws from its own generator, so a prompt's
// samples do not depend on which other prompts share the batch. Returns the tokens on the CPU.
at::Tensor sampleTokens(const at::Tensor& logits, const RlConfig& rl, std::int64_t usable_vocab,
                        std::vector<at::Generator>& generators) {
    at::Tensor scaled = logits.to(at::kFloat) / rl.temperature;
    if (usable_vocab < scaled.size(1)) {
        scaled.narrow(1, usable_vocab, scaled.size(1) - usable_vocab)
            .fill_(-std::numeric_limits<float>::infinity());
    }
    at::Tensor probabilities = at::softmax(scaled, -1);
    if (rl.top_p < 1.0) {
        const std::tuple<at::Tensor, at::Tensor> sorted = probabilities.sort(-1, true);
        const at::Tensor& values = std::get<0>(sorted);
        // Keep the most likely tokens until their mass reaches top_p (the first one always).
        const at::Tensor kept = values.masked_fill((values.cumsum(-1) - values) > rl.top_p, 0.0);
        probabilities = at::zeros_like(probabilities).scatter(-1, std::get<1>(sorted), kept);
    }
    const std::int64_t group = probabilities.size(0) / static_cast<std::int64_t>(generators.size());
    std::vector<at::Tensor> drawn;
    for (std::size_t g = 0; g < generators.size(); ++g) {
        drawn.push_back(at::multinomial(probabilities.narrow(0, static_cast<std::int64_t>(g) * group, group),
                                        1, false, generators[g]));
    }
    return at::cat(drawn).squeeze(1).to(at::kCPU);
}

// Samples a completion for every prompt row (left-padded, one batch, KV cache, on the policy's
// device); rows come in groups drawing from `generators` (see sampleTokens). Each completion ends
// with its stop token when it produced one within max_new_tokens.
std::vector<std::vector<std::int32_t>> sampleCompletions(
    const model::Transformer& policy, const std::vector<std::vector<std::int32_t>>& prompts,
    const RlConfig& rl, std::int64_t usable_vocab, const std::vector<std::int32_t>& stop_ids,
    std::vector<at::Generator>& generators) {
    at::NoGradGuard no_grad;
    const at::Device device = policy.device();
    const auto rows = static_cast<std::int64_t>(prompts.size());
    std::size_t length = 0;
    for (const auto& prompt : prompts) length = std::max(length, prompt.size());
    std::vector<std::int64_t> ids(prompts.size() * length, 0);
    std::vector<std::int64_t> mask(ids.size(), 0);
    for (std::size_t r = 0; r < prompts.size(); ++r) {
        const std::size_t offset = r * length + (length - prompts[r].size());
        for (std::size_t i = 0; i < prompts[r].size(); ++i) {
            ids[offset + i] = prompts[r][i];
            mask[offset + i] = 1;
        }
    }
    const auto columns = static_cast<std::int64_t>(length);
    model::KvCache cache(policy.config(), rows, columns + rl.max_new_tokens, policy.cacheOptions());
    at::Tensor key_mask = longTensor(mask, rows, columns, device).to(at::kBool);
    at::Tensor logits =
        policy.forward(longTensor(ids, rows, columns, device), key_mask, &cache).select(1, columns - 1);
    std::vector<std::vector<std::int32_t>> out(prompts.size());
    std::vector<bool> done(prompts.size(), false);
    for (std::int64_t step = 0; step < rl.max_new_tokens; ++step) {
        const at::Tensor next = sampleTokens(logits, rl, usable_vocab, generators).contiguous();
        const std::int64_t* drawn = next.data_ptr<std::int64_t>();
        for (std::size_t r = 0; r < out.size(); ++r) {
            if (done[r]) continue;
            const auto token = static_cast<std::int32_t>(drawn[r]);
            out[r].push_back(token);
            done[r] = std::find(stop_ids.begin(), stop_ids.end(), token) != stop_ids.end();
        }
        if (std::all_of(done.begin(), done.end(), [](bool finished) { return finished; }) ||
            step + 1 == rl.max_new_tokens) {
            break;
        }
        key_mask = at::cat({key_mask, at::ones({rows, 1}, key_mask.options())}, 1);
        logits = policy.forward(next.view({rows, 1}).to(device), key_mask, &cache).select(1, 0);
    }
    return out;
}

// One micro-batch of sampled completions, as right-padded rows of prompt + completion ready for the
// policy's and the reference's forward pass.
struct Rollout {
    std::int64_t rows = 0;
    std::int64_t length = 0;
    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> positions;
    std::vector<std::int64_t> documents;
    std::vector<float> completion_mask;  ///< [rows, length - 1]: 1 where the next token is a completion token
    std::vector<float> advantages;       ///< [rows]
    std::vector<float> rewards;          ///< [rows]
    std::int64_t completion_tokens = 0;
    std::int64_t token_count = 0;
};

Rollout buildRollout(const std::vector<std::vector<std::int32_t>>& prompts,
                     const std::vector<std::vector<std::int32_t>>& completions) {
    Rollout rollout;
    rollout.rows = static_cast<std::int64_t>(prompts.size());
    for (std::size_t r = 0; r < prompts.size(); ++r) {
        rollout.length =
            std::max(rollout.length, static_cast<std::int64_t>(prompts[r].size() + completions[r].size()));
    }
    rollout.length = std::max<std::int64_t>(rollout.length, 2);
    const auto length = static_cast<std::size_t>(rollout.length);
    rollout.ids.assign(prompts.size() * length, 0);
    rollout.positions.assign(rollout.ids.size(), 0);
    rollout.documents.assign(rollout.ids.size(), 0);
    rollout.completion_mask.assign(prompts.size() * (length - 1), 0.0F);
    for (std::size_t r = 0; r < prompts.size(); ++r) {
        std::vector<std::int32_t> row = prompts[r];
        row.insert(row.end(), completions[r].begin(), completions[r].end());
        for (std::size_t i = 0; i < row.size(); ++i) {
            rollout.ids[r * length + i] = row[i];
            rollout.positions[r * length + i] = static_cast<std::int64_t>(i);
            rollout.documents[r * length + i] = 1;
        }
        for (std::size_t i = prompts[r].size(); i < row.size(); ++i) {
            rollout.completion_mask[r * (length - 1) + i - 1] = 1.0F;  // position i - 1 predicts token i
        }
        rollout.completion_tokens += static_cast<std::int64_t>(completions[r].size());
        rollout.token_count += static_cast<std::int64_t>(row.size());
    }
    return rollout;
}

// Group-normalised advantages: (reward - group mean) / (group std + 1e-4), groups of `group` rows.
std::vector<float> groupAdvantages(const std::vector<float>& rewards, std::size_t group) {
    std::vector<float> out(rewards.size());
    for (std::size_t first = 0; first < rewards.size(); first += group) {
        const auto begin = rewards.begin() + static_cast<std::ptrdiff_t>(first);
        const auto end = begin + static_cast<std::ptrdiff_t>(group);
        const double mean = std::accumulate(begin, end, 0.0) / static_cast<double>(group);
        double variance = 0.0;
        for (auto it = begin; it != end; ++it) variance += (*it - mean) * (*it - mean);
        const double deviation = std::sqrt(variance / static_cast<double>(group));
        for (std::size_t i = first; i < first + group; ++i) {
            out[i] = static_cast<float>((rewards[i] - mean) / (deviation + 1e-4));
        }
    }
    return out;
}

// Log-probabilities [rows, length - 1] of every next token of `rollout` under `model`.
at::Tensor tokenLogProbs(const model::Transformer& model, const Rollout& rollout) {
    const at::Device device = model.device();
    const at::Tensor ids = longTensor(rollout.ids, rollout.rows, rollout.length, device);
    const at::Tensor logits =
        model.forwardPacked(ids, longTensor(rollout.positions, rollout.rows, rollout.length, device),
                            longTensor(rollout.documents, rollout.rows, rollout.length, device));
    const at::Tensor log_probs = at::log_softmax(logits.narrow(1, 0, rollout.length - 1), -1);
    return log_probs.gather(-1, ids.narrow(1, 1, rollout.length - 1).unsqueeze(-1)).squeeze(-1);
}

at::Tensor floatTensor(const std::vector<float>& values, std::int64_t rows, std::int64_t columns,
                       const at::Device& device) {
    return at::tensor(at::ArrayRef<float>(values), at::TensorOptions().dtype(at::kFloat))
        .view({rows, columns})
        .to(device);
}

// The GRPO loss summed over the rows of `rollout` (each row's per-token terms averaged over its
// completion tokens), and the summed per-token k3 KL estimate.
std::pair<at::Tensor, double> rolloutLoss(const model::Transformer& policy,
                                          const model::Transformer& reference, const Rollout& rollout,
                                          double kl_coef) {
    const at::Device device = policy.device();
    const at::Tensor mask = floatTensor(rollout.completion_mask, rollout.rows, rollout.length - 1, device);
    const at::Tensor advantages = floatTensor(rollout.advantages, rollout.rows, 1, device);
    at::Tensor reference_log_probs;
    {
        at::NoGradGuard no_grad;
        reference_log_probs = tokenLogProbs(reference, rollout);
    }
    const at::Tensor log_probs = tokenLogProbs(policy, rollout);
    const at::Tensor ratio = at::exp(log_probs - log_probs.detach());
    const at::Tensor delta = reference_log_probs - log_probs;
    const at::Tensor k3 = at::exp(delta) - delta - 1.0;
    const at::Tensor per_token = -ratio * advantages + kl_coef * k3;
    const at::Tensor per_row = (per_token * mask).sum(1) / mask.sum(1).clamp_min(1.0);
    return {per_row.sum(), (k3.detach() * mask).sum().item<double>()};
}

// The prompts of an epoch in a seeded order, micro_batch_size prompts per micro-batch.
class PromptStream {
public:
    PromptStream(const TrainConfig& config, std::size_t count) : m_config(config), m_count(count) {}

    std::int64_t epochSize() const {
        return (static_cast<std::int64_t>(m_count) + m_config.micro_batch_size - 1) /
               m_config.micro_batch_size;
    }

    std::vector<std::size_t> at(std::int64_t epoch, std::int64_t index) {
        if (epoch != m_planned_epoch) {
            m_order =
                shuffledIndices(m_count, m_config.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
            m_planned_epoch = epoch;
        }
        const auto first = static_cast<std::size_t>(index * m_config.micro_batch_size);
        const std::size_t last =
            std::min(m_count, first + static_cast<std::size_t>(m_config.micro_batch_size));
        return {m_order.begin() + static_cast<std::ptrdiff_t>(first),
                m_order.begin() + static_cast<std::ptrdiff_t>(last)};
    }

private:
    const TrainConfig& m_config;
    std::size_t m_count;
    std::vector<std::size_t> m_order;
    std::int64_t m_planned_epoch = -1;
};

// The frozen models (reference policy, reward model) only run forward passes, whose matmuls a bf16
// run computes in bf16 anyway: there they are loaded in bf16 (half their memory, no per-step
// casts of fp32 weights; under LoRA the reference is then exactly the policy's bf16 base).
at::ScalarType frozenDtype(const TrainConfig& config) {
    return config.dtype == TrainDType::BFloat16 ? at::kBFloat16 : at::kFloat;
}

std::unique_ptr<sample::RewardScorer> loadRewardModel(const TrainConfig& config, int num_threads,
                                                      const at::Device& device) {
    sample::EngineOptions options;
    options.num_threads = num_threads;
    options.dtype =
        frozenDtype(config) == at::kBFloat16 ? sample::ComputeDType::BFloat16 : sample::ComputeDType::Float32;
    options.device = device.str();
    try {
        return std::make_unique<sample::RewardScorer>(config.rl.reward_model_dir, options);
    } catch (const UserError& error) {
        throw UserError(config.source + ": $.rl.reward_model: " + error.what());
    }
}

// The token ids of every prompt with the generation prompt appended; throws UserError for a prompt
// that leaves no room for max_new_tokens within max_seq_len.
std::vector<std::vector<std::int32_t>> tokenizePrompts(const TrainConfig& config,
                                                       const std::vector<Prompt>& prompts,
                                                       const tokenizer::Tokenizer& tokenizer,
                                                       Encoding encoding) {
    encoding.render.add_generation_prompt = true;
    std::vector<std::vector<std::int32_t>> out;
    for (const Prompt& prompt : prompts) {
        data::Conversation conversation;
        conversation.messages = prompt;
        out.push_back(
            tokenizeConversation(conversation, tokenizer, encoding, std::numeric_limits<std::int64_t>::max())
                .ids);
        if (static_cast<std::int64_t>(out.back().size()) + config.rl.max_new_tokens > config.max_seq_len) {
            throw UserError(config.source + ": $.max_seq_len: prompt " + std::to_string(out.size()) +
                            " has " + std::to_string(out.back().size()) + " tokens; with max_new_tokens " +
                            std::to_string(config.rl.max_new_tokens) + " it exceeds max_seq_len " +
                            std::to_string(config.max_seq_len));
        }
    }
    return out;
}

// Everything a step's rollouts need besides the models.
struct RolloutContext {
    const std::vector<Prompt>& prompts;
    const std::vector<std::vector<std::int32_t>>& prompt_ids;
    const tokenizer::Tokenizer& tokenizer;
    const Encoding& encoding;
    const sample::RewardScorer& scorer;
    const RlConfig& rl;
    std::uint64_t seed;
};

// Samples samples_per_prompt completions for each of `chosen` prompts, scores them with the reward
// model and returns them as a rollout with group-normalised advantages. The samples of the prompt
// at index i within update `step` (chosen[0] is at `first_index`) draw from a generator seeded by
// (seed, step, i): the same draws however the step's micro-batches are shared out between ranks,
// and after a resume.
Rollout makeRollout(const model::Transformer& policy, const RolloutContext& context,
                    const std::vector<std::size_t>& chosen, std::size_t first_index, std::int64_t step) {
    const auto group = static_cast<std::size_t>(context.rl.samples_per_prompt);
    std::vector<std::vector<std::int32_t>> rows;
    std::vector<at::Generator> generators;
    for (std::size_t p = 0; p < chosen.size(); ++p) {
        for (std::size_t k = 0; k < group; ++k) rows.push_back(context.prompt_ids[chosen[p]]);
        generators.push_back(promptGenerator(
            policy.device(), stepSeed(context.seed, step, static_cast<int>(first_index + p))));
    }
    const std::vector<std::vector<std::int32_t>> completions =
        sampleCompletions(policy, rows, context.rl, static_cast<std::int64_t>(context.tokenizer.vocabSize()),
                          context.encoding.turn_end_ids, generators);
    std::vector<float> rewards;
    for (std::size_t p = 0; p < chosen.size(); ++p) {
        std::vector<std::string> replies;
        for (std::size_t k = 0; k < group; ++k) {
            std::vector<std::int32_t> reply = completions[p * group + k];
            if (!reply.empty() &&
                std::find(context.encoding.turn_end_ids.begin(), context.encoding.turn_end_ids.end(),
                          reply.back()) != context.encoding.turn_end_ids.end()) {
                reply.pop_back();  // the template writes the turn end itself
            }
            replies.push_back(context.tokenizer.decode(reply, true));
        }
        const std::vector<float> scored = context.scorer.scoreReplies(context.prompts[chosen[p]], replies,
                                                                      group, context.encoding.template_kind);
        rewards.insert(rewards.end(), scored.begin(), scored.end());
    }
    Rollout rollout = buildRollout(rows, completions);
    rollout.advantages = groupAdvantages(rewards, group);
    rollout.rewards = std::move(rewards);
    return rollout;
}

// What a step's event reports, summed over every rank.
struct StepTotals {
    double samples = 0.0;
    double loss = 0.0;
    double kl = 0.0;
    double completion_tokens = 0.0;
    double reward_sum = 0.0;
    double reward_squares = 0.0;
};

// The rollouts, losses and backward passes of one optimizer step whose micro-batches are `slots`.
// Every rank plans the whole step; rank r samples and trains on every world_size-th micro-batch
// (rankShare). The sums the event needs and each micro-batch's token count are all-reduced, so every
// rank counts the same tokens into its progress (checkpoints) and throughput.
StepTotals trainStep(TrainerSession& session, const model::Transformer& reference,
                     const RolloutContext& context, PromptStream& stream,
                     const std::vector<BatchSlot>& slots) {
    std::vector<std::vector<std::size_t>> batches;
    std::vector<std::size_t> first_index;  // of each micro-batch's first prompt within the step
    std::size_t step_prompts = 0;
    for (const BatchSlot& slot : slots) {
        batches.push_back(stream.at(slot.epoch, slot.index));
        first_index.push_back(step_prompts);
        step_prompts += batches.back().size();
    }
    StepTotals totals;
    totals.samples =
        static_cast<double>(step_prompts * static_cast<std::size_t>(context.rl.samples_per_prompt));
    // loss, kl, completion tokens, reward sum, reward squares; then tokens and row length per micro-batch
    constexpr std::size_t kFixed = 5;
    std::vector<double> sums(kFixed + 2 * batches.size(), 0.0);
    const DataParallel& parallel = session.parallel;
    for (const std::size_t index : rankShare(batches.size(), parallel.rank(), parallel.worldSize())) {
        const Rollout rollout =
            makeRollout(*session.model, context, batches[index], first_index[index], session.progress.step);
        const auto [loss_sum, kl_sum] = rolloutLoss(*session.model, reference, rollout, context.rl.kl_coef);
        (loss_sum / totals.samples).backward();
        sums[0] += loss_sum.item<double>();
        sums[1] += kl_sum;
        sums[2] += static_cast<double>(rollout.completion_tokens);
        for (const float reward : rollout.rewards) {
            sums[3] += reward;
            sums[4] += static_cast<double>(reward) * reward;
        }
        sums[kFixed + 2 * index] = static_cast<double>(rollout.token_count);
        sums[kFixed + 2 * index + 1] = static_cast<double>(rollout.length);
    }
    sums = session.parallel.allReduceSum(sums);
    for (std::size_t i = 0; i < batches.size(); ++i) {
        session.countTokens(static_cast<std::int64_t>(sums[kFixed + 2 * i]),
                            static_cast<std::int64_t>(sums[kFixed + 2 * i + 1]));
    }
    totals.loss = sums[0];
    totals.kl = sums[1];
    totals.completion_tokens = sums[2];
    totals.reward_sum = sums[3];
    totals.reward_squares = sums[4];
    return totals;
}

// The RL fields of a step event (the loss first, as in every trainer's events).
nlohmann::ordered_json stepFields(const StepTotals& totals) {
    const double mean = totals.reward_sum / totals.samples;
    const double variance = std::max(0.0, totals.reward_squares / totals.samples - mean * mean);
    return {{"loss", totals.loss / totals.samples},
            {"reward_mean", mean},
            {"reward_std", std::sqrt(variance)},
            {"kl", totals.completion_tokens > 0.0 ? totals.kl / totals.completion_tokens : 0.0},
            {"completion_tokens", totals.completion_tokens / totals.samples}};
}

}  // namespace

std::vector<std::vector<data::Message>> readPrompts(const std::vector<std::string>& files,
                                                    const std::string& format) {
    std::vector<Prompt> out;
    for (const std::string& file : files) {
        std::vector<Prompt> prompts;
        if (format == "auto" && isPromptOnly(file)) {
            prompts = readPromptOnly(file);
        } else {
            for (const data::Conversation& conversation : readConversations({file}, format)) {
                if (std::optional<Prompt> prompt = promptOf(conversation))
                    prompts.push_back(std::move(*prompt));
            }
        }
        if (prompts.empty())
            throw UserError(file + ": holds no prompt (a conversation ending with a user turn)");
        out.insert(out.end(), prompts.begin(), prompts.end());
    }
    return out;
}

RunResult runRl(const TrainConfig& config, const RunOptions& options) {
    if (config.method != Method::Rl) {
        throw UserError(config.source + ": $.method: '" + methodName(config.method) +
                        "' config given to the RL trainer (use \"method\": \"rl\")");
    }
    TrainerSession session(config, options);
    const Encoding encoding = makeEncoding(*session.tokenizer, config.model_dir, config.chat_template);
    const std::vector<Prompt> prompts = readPrompts(config.data.train_files, config.data.format);
    const std::unique_ptr<sample::RewardScorer> scorer =
        loadRewardModel(config, options.num_threads, session.device);
    const std::vector<std::vector<std::int32_t>> prompt_ids =
        tokenizePrompts(config, prompts, *session.tokenizer, encoding);
    session.setUpModel();
    model::Transformer reference(config.model_dir, frozenDtype(config));
    reference.moveTo(session.device);

    PromptStream stream(config, prompts.size());
    const auto epoch_size = [&stream](std::int64_t) { return stream.epochSize(); };
    // The global batch: the micro-batches of one process with accumulation x world_size.
    const std::int64_t accumulation = config.gradient_accumulation * session.parallel.worldSize();
    const std::int64_t total_steps = totalSteps(config, accumulation, epoch_size);
    session.resume();
    session.log->emit(session.startEvent("rl", total_steps, {{"prompts", prompts.size()}}));
    const RolloutContext context{prompts, prompt_ids, *session.tokenizer, encoding,
                                 *scorer, config.rl,  config.seed};
    session.startLoop();
    bool cancelled = false;
    while (session.progress.step < total_steps) {
        session.beginStep();
        session.model->setDropoutGenerator(nullptr);  // RL samples and trains without LoRA dropout
        const std::vector<BatchSlot> slots =
            nextStepBatches(config, accumulation, session.progress, epoch_size);
        if (slots.empty()) break;
        const StepTotals totals = trainStep(session, reference, context, stream, slots);
        const StepUpdate update = session.applyUpdate(total_steps);
        if (session.logsStep(total_steps)) {
            session.log->emit(session.stepEvent(stream.epochSize(), stepFields(totals), update));
        }
        cancelled = session.endStep(total_steps);
        if (cancelled) break;
    }
    return session.finish(cancelled, nullptr);
}

}  // namespace vietllm::train
