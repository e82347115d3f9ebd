#include "backend/train/rl_trainer.h"

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/model/transformer.h"
#include "backend/sample/reward_scorer.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/sft_data.h"
#include "backend/train/trainer_loop.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>

namespace vietllm::train {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
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

// Samples one token per row from `logits` [rows, vocab]: temperature, then nucleus (top-p)
// filtering, over the ids the tokenizer knows.
at::Tensor sampleTokens(const at::Tensor& logits, const RlConfig& rl, std::int64_t usable_vocab,
                        at::Generator& generator) {
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
    return at::multinomial(probabilities, 1, false, generator).squeeze(1);
}

// Samples a completion for every prompt row (left-padded, one batch, KV cache); each completion ends
// with its stop token when it produced one within max_new_tokens.
std::vector<std::vector<std::int32_t>> sampleCompletions(
    const model::Transformer& policy, const std::vector<std::vector<std::int32_t>>& prompts,
    const RlConfig& rl, std::int64_t usable_vocab, const std::vector<std::int32_t>& stop_ids,
    at::Generator& generator) {
    at::NoGradGuard no_grad;
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
    model::KvCache cache(policy.config(), rows, columns + rl.max_new_tokens,
                         at::TensorOptions().dtype(policy.dtype()));
    at::Tensor key_mask = longTensor(mask, rows, columns).to(at::kBool);
    at::Tensor logits =
        policy.forward(longTensor(ids, rows, columns), key_mask, &cache).select(1, columns - 1);
    std::vector<std::vector<std::int32_t>> out(prompts.size());
    std::vector<bool> done(prompts.size(), false);
    for (std::int64_t step = 0; step < rl.max_new_tokens; ++step) {
        const at::Tensor next = sampleTokens(logits, rl, usable_vocab, generator).contiguous();
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
        logits = policy.forward(next.view({rows, 1}), key_mask, &cache).select(1, 0);
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
    const at::Tensor ids = longTensor(rollout.ids, rollout.rows, rollout.length);
    const at::Tensor logits =
        model.forwardPacked(ids, longTensor(rollout.positions, rollout.rows, rollout.length),
                            longTensor(rollout.documents, rollout.rows, rollout.length));
    const at::Tensor log_probs = at::log_softmax(logits.narrow(1, 0, rollout.length - 1), -1);
    return log_probs.gather(-1, ids.narrow(1, 1, rollout.length - 1).unsqueeze(-1)).squeeze(-1);
}

at::Tensor floatTensor(const std::vector<float>& values, std::int64_t rows, std::int64_t columns) {
    return at::tensor(at::ArrayRef<float>(values), at::TensorOptions().dtype(at::kFloat))
        .view({rows, columns});
}

// The GRPO loss summed over the rows of `rollout` (each row's per-token terms averaged over its
// completion tokens), and the summed per-token k3 KL estimate.
std::pair<at::Tensor, double> rolloutLoss(const model::Transformer& policy,
                                          const model::Transformer& reference, const Rollout& rollout,
                                          double kl_coef) {
    const at::Tensor mask = floatTensor(rollout.completion_mask, rollout.rows, rollout.length - 1);
    const at::Tensor advantages = floatTensor(rollout.advantages, rollout.rows, 1);
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

std::unique_ptr<sample::RewardScorer> loadRewardModel(const TrainConfig& config, int num_threads) {
    sample::EngineOptions options;
    options.num_threads = num_threads;
    try {
        return std::make_unique<sample::RewardScorer>(config.rl.reward_model_dir, options);
    } catch (const UserError& error) {
        throw UserError(config.source + ": $.rl.reward_model: " + error.what());
    }
}

// Everything a step's rollouts need besides the models.
struct RolloutContext {
    const std::vector<Prompt>& prompts;
    const std::vector<std::vector<std::int32_t>>& prompt_ids;
    const tokenizer::Tokenizer& tokenizer;
    const Encoding& encoding;
    const sample::RewardScorer& scorer;
    const RlConfig& rl;
};

// Samples samples_per_prompt completions for each of `chosen` prompts, scores them with the reward
// model and returns them as a rollout with group-normalised advantages.
Rollout makeRollout(const model::Transformer& policy, const RolloutContext& context,
                    const std::vector<std::size_t>& chosen, at::Generator& generator) {
    const auto group = static_cast<std::size_t>(context.rl.samples_per_prompt);
    std::vector<std::vector<std::int32_t>> rows;
    for (const std::size_t index : chosen) {
        for (std::size_t k = 0; k < group; ++k) rows.push_back(context.prompt_ids[index]);
    }
    const std::vector<std::vector<std::int32_t>> completions =
        sampleCompletions(policy, rows, context.rl, static_cast<std::int64_t>(context.tokenizer.vocabSize()),
                          context.encoding.turn_end_ids, generator);
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
    const std::vector<std::pair<std::int64_t, std::string>> existing = prepareRun(config, options);
    const std::unique_ptr<tokenizer::Tokenizer> tokenizer = tokenizer::loadTokenizer(config.model_dir);
    Encoding encoding = makeEncoding(*tokenizer, config.model_dir, config.chat_template);
    const std::vector<Prompt> prompts = readPrompts(config.data.train_files, config.data.format);
    const std::unique_ptr<sample::RewardScorer> scorer = loadRewardModel(config, options.num_threads);
    Encoding prompt_encoding = encoding;
    prompt_encoding.render.add_generation_prompt = true;
    std::vector<std::vector<std::int32_t>> prompt_ids;
    for (const Prompt& prompt : prompts) {
        data::Conversation conversation;
        conversation.messages = prompt;
        prompt_ids.push_back(tokenizeConversation(conversation, *tokenizer, prompt_encoding,
                                                  std::numeric_limits<std::int64_t>::max())
                                 .ids);
        if (static_cast<std::int64_t>(prompt_ids.back().size()) + config.rl.max_new_tokens >
            config.max_seq_len) {
            throw UserError(config.source + ": $.max_seq_len: prompt " + std::to_string(prompt_ids.size()) +
                            " has " + std::to_string(prompt_ids.back().size()) +
                            " tokens; with max_new_tokens " + std::to_string(config.rl.max_new_tokens) +
                            " it exceeds max_seq_len " + std::to_string(config.max_seq_len));
        }
    }
    model::Transformer policy(config.model_dir, at::kFloat);
    const model::Transformer reference(config.model_dir, at::kFloat);
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(config.seed);
    if (config.lora) {
        policy.addLora(config.lora->target_modules, config.lora->rank, config.lora->alpha,
                       config.lora->dropout, generator);
    } else {
        policy.makeWeightsTrainable();
    }
    policy.setGradientCheckpointing(config.gradient_checkpointing);
    std::vector<at::Tensor> parameters;
    std::int64_t trainable = 0;
    for (const model::NamedTensor& parameter : policy.trainableParameters()) {
        parameters.push_back(parameter.tensor);
        trainable += parameter.tensor.numel();
    }
    const std::unique_ptr<torch::optim::AdamW> optimizer_owner = makeOptimizer(config, parameters);
    torch::optim::AdamW& optimizer = *optimizer_owner;

    std::error_code error;
    fs::create_directories(config.output_dir, error);
    MetricsLog log(config.output_dir, options.on_event);
    PromptStream stream(config, prompts.size());
    const std::int64_t steps_per_epoch =
        (stream.epochSize() + config.gradient_accumulation - 1) / config.gradient_accumulation;
    const std::int64_t total_steps =
        config.max_steps > 0 ? config.max_steps : steps_per_epoch * config.epochs;
    Progress progress;
    if (options.resume) {
        progress = loadCheckpoint(existing.back().second, policy.trainableParameters(), optimizer, generator);
    }
    log.emit({{"event", "start"},
              {"method", "rl"},
              {"total_steps", total_steps},
              {"parameters", policy.parameterCount()},
              {"trainable_parameters", trainable},
              {"resumed_from_step",
               options.resume ? nlohmann::ordered_json(progress.step) : nlohmann::ordered_json()},
              {"time", isoTimeNow()},
              {"prompts", prompts.size()}});

    const RolloutContext context{prompts, prompt_ids, *tokenizer, encoding, *scorer, config.rl};
    const AutocastScope autocast(config.dtype == TrainDType::BFloat16);
    const Clock::time_point session_start = Clock::now();
    const double elapsed_before = progress.elapsed_s;
    const std::int64_t tokens_before = progress.tokens;
    bool cancelled = false;
    while (progress.step < total_steps) {
        optimizer.zero_grad();
        std::vector<Rollout> rollouts;
        for (std::int64_t i = 0; i < config.gradient_accumulation; ++i) {
            if (progress.batch_index >= stream.epochSize()) {
                if (config.max_steps == 0 && progress.epoch + 1 >= config.epochs) break;
                ++progress.epoch;
                progress.batch_index = 0;
                if (i > 0) break;  // an update never mixes epochs
            }
            rollouts.push_back(
                makeRollout(policy, context, stream.at(progress.epoch, progress.batch_index++), generator));
        }
        if (rollouts.empty()) break;
        std::int64_t rows = 0;
        std::vector<float> rewards;
        std::int64_t completion_tokens = 0;
        for (const Rollout& rollout : rollouts) {
            rows += rollout.rows;
            rewards.insert(rewards.end(), rollout.rewards.begin(), rollout.rewards.end());
            completion_tokens += rollout.completion_tokens;
        }
        double loss_total = 0.0;
        double kl_total = 0.0;
        for (const Rollout& rollout : rollouts) {
            const auto [loss_sum, kl_sum] = rolloutLoss(policy, reference, rollout, config.rl.kl_coef);
            (loss_sum / static_cast<double>(rows)).backward();
            loss_total += loss_sum.item<double>();
            kl_total += kl_sum;
            progress.tokens += rollout.token_count;
        }
        const double lr =
            config.optimizer.lr * learningRateFactor(config.schedule, progress.step, total_steps);
        setLearningRate(optimizer, lr);
        const double grad_norm = clipGradients(config, parameters);
        optimizer.step();
        ++progress.step;
        const double session_s = std::chrono::duration<double>(Clock::now() - session_start).count();
        progress.elapsed_s = elapsed_before + session_s;
        if (progress.step % config.log_every_steps == 0 || progress.step == total_steps) {
            const double count = static_cast<double>(rewards.size());
            const double mean = std::accumulate(rewards.begin(), rewards.end(), 0.0) / count;
            double variance = 0.0;
            for (const float reward : rewards) variance += (reward - mean) * (reward - mean);
            log.emit(
                {{"event", "step"},
                 {"step", progress.step},
                 {"epoch", static_cast<double>(progress.epoch) + static_cast<double>(progress.batch_index) /
                                                                     static_cast<double>(stream.epochSize())},
                 {"loss", loss_total / static_cast<double>(rows)},
                 {"lr", lr},
                 {"grad_norm", grad_norm},
                 {"tokens", progress.tokens},
                 {"tokens_per_s",
                  session_s > 0.0 ? static_cast<double>(progress.tokens - tokens_before) / session_s : 0.0},
                 {"elapsed_s", progress.elapsed_s},
                 {"reward_mean", mean},
                 {"reward_std", std::sqrt(variance / count)},
                 {"kl", completion_tokens > 0 ? kl_total / static_cast<double>(completion_tokens) : 0.0},
                 {"completion_tokens", static_cast<double>(completion_tokens) / static_cast<double>(rows)}});
        }
        cancelled = options.cancel != nullptr && options.cancel->load() && progress.step < total_steps;
        const bool periodic = config.save_every_steps > 0 && progress.step % config.save_every_steps == 0 &&
                              progress.step < total_steps;
        if (periodic || cancelled) {
            const std::string path =
                saveCheckpoint(config, policy.trainableParameters(), optimizer, generator, progress);
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
        result.output = (fs::path(config.output_dir) / "final").string();
        writeFinal(config, policy, result.output);
    }
    log.emit({{"event", "done"},
              {"step", progress.step},
              {"status", cancelled ? "cancelled" : "finished"},
              {"output", result.output}});
    return result;
}

}  // namespace vietllm::train
