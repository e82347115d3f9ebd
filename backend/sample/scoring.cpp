#include "backend/sample/scoring.h"

#include "backend/chat/chat_prompter.h"
#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/tokenizer/tokenizer.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <numeric>

namespace vietllm::sample {
namespace {

// A row to run: ids, and which of its positions count (targets from index `first_target` on).
struct Row {
    std::vector<std::int32_t> ids;
    std::size_t first_target = 0;  ///< index in `ids` of the first scored token (>= 1)
};

struct RowScore {
    double logprob = 0;
    std::size_t tokens = 0;
    bool greedy = true;
};

std::int64_t contextLimit(const Engine& engine) {
    const std::int64_t limit = engine.config().max_positions;
    return limit > 0 ? limit : 2048;
}

void checkRowIds(const Engine& engine, const std::vector<std::int32_t>& ids) {
    const std::int64_t vocab = engine.transformer().vocabRows();
    for (const std::int32_t id : ids) {
        if (id < 0 || id >= vocab) {
            throw UserError("token id " + std::to_string(id) + " is outside the model's vocabulary (0.." +
                            std::to_string(vocab - 1) + ")");
        }
    }
}

// Runs `rows` as one left-padded batch and sums the log-probabilities of each row's targets.
std::vector<RowScore> runBatch(const Engine& engine, const std::vector<const Row*>& rows) {
    std::size_t longest = 0;
    for (const Row* row : rows) longest = std::max(longest, row->ids.size());
    const auto batch = static_cast<std::int64_t>(rows.size());
    const auto length = static_cast<std::int64_t>(longest);
    at::Tensor ids = at::zeros({batch, length}, at::TensorOptions().dtype(at::kLong));
    at::Tensor mask = at::zeros({batch, length}, at::TensorOptions().dtype(at::kBool));
    for (std::int64_t b = 0; b < batch; ++b) {
        const std::vector<std::int32_t>& row = rows[static_cast<std::size_t>(b)]->ids;
        const auto pad = length - static_cast<std::int64_t>(row.size());
        std::vector<std::int64_t> wide(row.begin(), row.end());
        ids.select(0, b).narrow(0, pad, length - pad).copy_(at::tensor(at::ArrayRef<std::int64_t>(wide)));
        mask.select(0, b).narrow(0, pad, length - pad).fill_(true);
    }
    const at::Tensor logits = engine.transformer().forward(ids, mask, nullptr);
    std::vector<RowScore> scores(rows.size());
    for (std::int64_t b = 0; b < batch; ++b) {
        const Row& row = *rows[static_cast<std::size_t>(b)];
        const auto pad = length - static_cast<std::int64_t>(row.ids.size());
        const auto first = static_cast<std::int64_t>(row.first_target);
        const auto count = static_cast<std::int64_t>(row.ids.size()) - first;
        // Position t predicts token t + 1.
        const at::Tensor log_probs =
            at::log_softmax(logits.select(0, b).narrow(0, pad + first - 1, count).to(at::kDouble), -1);
        std::vector<std::int64_t> targets(row.ids.begin() + first, row.ids.end());
        const at::Tensor target =
            at::tensor(at::ArrayRef<std::int64_t>(targets)).view({-1, 1}).to(logits.device());
        RowScore& score = scores[static_cast<std::size_t>(b)];
        score.logprob = log_probs.gather(1, target).sum().item<double>();
        score.tokens = static_cast<std::size_t>(count);
        score.greedy = log_probs.argmax(-1).view({-1, 1}).eq(target).all().item<bool>();
    }
    return scores;
}

// Runs every row, longest first, `batch_size` rows at a time; scores in row order.
std::vector<RowScore> runRows(const Engine& engine, const std::vector<Row>& rows, std::size_t batch_size) {
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return rows[a].ids.size() > rows[b].ids.size(); });
    std::vector<RowScore> scores(rows.size());
    c10::InferenceMode inference;
    const std::size_t step = std::max<std::size_t>(1, batch_size);
    for (std::size_t begin = 0; begin < order.size(); begin += step) {
        const std::size_t end = std::min(order.size(), begin + step);
        std::vector<const Row*> batch;
        for (std::size_t k = begin; k < end; ++k) batch.push_back(&rows[order[k]]);
        const std::vector<RowScore> batch_scores = runBatch(engine, batch);
        for (std::size_t k = begin; k < end; ++k) scores[order[k]] = batch_scores[k - begin];
    }
    return scores;
}

// Rows that share one context (the options of a multiple-choice prompt).
struct PrefixGroup {
    std::vector<std::int32_t> context;
    std::vector<std::size_t> rows;  ///< indices of the rows continuing it
    std::size_t longest = 0;        ///< longest row (context + continuation)
};

std::vector<PrefixGroup> groupByContext(const std::vector<Row>& rows) {
    std::map<std::vector<std::int32_t>, std::size_t> index;
    std::vector<PrefixGroup> groups;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::vector<std::int32_t> context(
            rows[r].ids.begin(), rows[r].ids.begin() + static_cast<std::ptrdiff_t>(rows[r].first_target));
        auto found = index.find(context);
        if (found == index.end()) {
            found = index.emplace(context, groups.size()).first;
            groups.push_back({std::move(context), {}, 0});
        }
        PrefixGroup& group = groups[found->second];
        group.rows.push_back(r);
        group.longest = std::max(group.longest, rows[r].ids.size());
    }
    return groups;
}

// Sharing pays when the repeated contexts are most of the work: the second pass and the cache
// copies cost about what they save when contexts are short (bench_eval: XCOPA's short prompts
// with 2 options ran 0.77x with sharing, Belebele's long passages with 4 options 3.3x). Sharing
// is used when it skips at least half of the tokens the plain path would run.
constexpr double kMinSharedTokenFraction = 0.5;

bool sharingPays(const std::vector<Row>& rows) {
    std::size_t all_tokens = 0;
    for (const Row& row : rows) {
        all_tokens += row.ids.size();
    }
    std::size_t skipped_tokens = 0;
    for (const PrefixGroup& group : groupByContext(rows)) {
        skipped_tokens += (group.rows.size() - 1) * group.context.size();
    }
    return static_cast<double>(skipped_tokens) >= kMinSharedTokenFraction * static_cast<double>(all_tokens);
}

at::Tensor longTensor(const std::vector<std::int32_t>& ids) {
    const std::vector<std::int64_t> wide(ids.begin(), ids.end());
    return at::tensor(at::ArrayRef<std::int64_t>(wide));
}

// Runs a few groups in two passes: their contexts once (left-padded, into a KV cache), then every
// continuation row (right-padded) from a copy of its context's cache rows.
void runGroups(const Engine& engine, const std::vector<Row>& rows,
               const std::vector<const PrefixGroup*>& groups, std::vector<RowScore>& scores) {
    const model::Transformer& model = engine.transformer();
    const auto group_count = static_cast<std::int64_t>(groups.size());
    std::int64_t context_length = 0;
    std::int64_t continuation_length = 0;
    std::vector<std::int64_t> row_group;
    std::vector<std::size_t> row_index;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        context_length = std::max(context_length, static_cast<std::int64_t>(groups[g]->context.size()));
        for (const std::size_t r : groups[g]->rows) {
            continuation_length = std::max(
                continuation_length, static_cast<std::int64_t>(rows[r].ids.size() - rows[r].first_target));
            row_group.push_back(static_cast<std::int64_t>(g));
            row_index.push_back(r);
        }
    }
    const auto long_options = at::TensorOptions().dtype(at::kLong);
    const auto bool_options = at::TensorOptions().dtype(at::kBool);
    at::Tensor context_ids = at::zeros({group_count, context_length}, long_options);
    at::Tensor context_mask = at::zeros({group_count, context_length}, bool_options);
    for (std::int64_t g = 0; g < group_count; ++g) {
        const std::vector<std::int32_t>& context = groups[static_cast<std::size_t>(g)]->context;
        const auto pad = context_length - static_cast<std::int64_t>(context.size());
        context_ids.select(0, g).narrow(0, pad, context_length - pad).copy_(longTensor(context));
        context_mask.select(0, g).narrow(0, pad, context_length - pad).fill_(true);
    }
    model::KvCache cache(model.config(), group_count, context_length + continuation_length,
                         model.cacheOptions());
    // The last context position predicts each continuation's first token.
    const at::Tensor first_logits =
        model.forward(context_ids, context_mask, &cache).select(1, context_length - 1);

    const auto row_count = static_cast<std::int64_t>(row_index.size());
    const at::Tensor groups_of_rows = at::tensor(at::ArrayRef<std::int64_t>(row_group));
    at::Tensor ids = at::zeros({row_count, continuation_length}, long_options);
    at::Tensor mask = at::zeros({row_count, continuation_length}, bool_options);
    for (std::int64_t k = 0; k < row_count; ++k) {
        const Row& row = rows[row_index[static_cast<std::size_t>(k)]];
        const std::vector<std::int32_t> continuation(
            row.ids.begin() + static_cast<std::ptrdiff_t>(row.first_target), row.ids.end());
        const auto count = static_cast<std::int64_t>(continuation.size());
        ids.select(0, k).narrow(0, 0, count).copy_(longTensor(continuation));
        mask.select(0, k).narrow(0, 0, count).fill_(true);
    }
    model::KvCache row_cache = cache.selectRows(groups_of_rows.to(model.device()));
    const at::Tensor key_mask = at::cat({context_mask.index_select(0, groups_of_rows), mask}, 1);
    const at::Tensor logits = model.forward(ids, key_mask, &row_cache);
    for (std::int64_t k = 0; k < row_count; ++k) {
        const Row& row = rows[row_index[static_cast<std::size_t>(k)]];
        const auto count = static_cast<std::int64_t>(row.ids.size() - row.first_target);
        const at::Tensor row_logits =
            at::cat({first_logits.select(0, row_group[static_cast<std::size_t>(k)]).unsqueeze(0),
                     logits.select(0, k).narrow(0, 0, count - 1)},
                    0);
        const at::Tensor log_probs = at::log_softmax(row_logits.to(at::kDouble), -1);
        const at::Tensor target = ids.select(0, k).narrow(0, 0, count).view({-1, 1}).to(log_probs.device());
        RowScore& score = scores[row_index[static_cast<std::size_t>(k)]];
        score.logprob = log_probs.gather(1, target).sum().item<double>();
        score.tokens = static_cast<std::size_t>(count);
        score.greedy = log_probs.argmax(-1).view({-1, 1}).eq(target).all().item<bool>();
    }
}

// Like runRows, but each distinct context runs once: groups, longest first, are taken while their
// rows fit in `batch_size` (a group is never split); scores in row order.
std::vector<RowScore> runSharedPrefixRows(const Engine& engine, const std::vector<Row>& rows,
                                          std::size_t batch_size) {
    const std::vector<PrefixGroup> groups = groupByContext(rows);
    std::vector<const PrefixGroup*> order;
    for (const PrefixGroup& group : groups) order.push_back(&group);
    std::stable_sort(order.begin(), order.end(),
                     [](const PrefixGroup* a, const PrefixGroup* b) { return a->longest > b->longest; });
    std::vector<RowScore> scores(rows.size());
    c10::InferenceMode inference;
    std::size_t begin = 0;
    while (begin < order.size()) {
        std::size_t end = begin;
        std::size_t batch_rows = 0;
        while (end < order.size() && (end == begin || batch_rows + order[end]->rows.size() <= batch_size)) {
            batch_rows += order[end]->rows.size();
            ++end;
        }
        runGroups(engine, rows,
                  std::vector<const PrefixGroup*>(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                                  order.begin() + static_cast<std::ptrdiff_t>(end)),
                  scores);
        begin = end;
    }
    return scores;
}

}  // namespace

std::vector<ContinuationScore> scoreContinuations(const Engine& engine,
                                                  const std::vector<ScoreRequest>& requests,
                                                  std::size_t batch_size, bool share_prefix) {
    const auto limit = static_cast<std::size_t>(contextLimit(engine));
    std::vector<Row> rows;
    for (const ScoreRequest& request : requests) {
        if (request.context.empty() || request.continuation.empty()) {
            throw UserError("scoring needs a non-empty context and continuation");
        }
        if (request.continuation.size() >= limit) {
            throw UserError("a continuation of " + std::to_string(request.continuation.size()) +
                            " tokens does not fit the model's context of " + std::to_string(limit));
        }
        checkRowIds(engine, request.context);
        checkRowIds(engine, request.continuation);
        const std::size_t keep = std::min(request.context.size(), limit - request.continuation.size());
        Row row;
        row.ids.assign(request.context.end() - static_cast<std::ptrdiff_t>(keep), request.context.end());
        row.first_target = row.ids.size();
        row.ids.insert(row.ids.end(), request.continuation.begin(), request.continuation.end());
        rows.push_back(std::move(row));
    }
    std::vector<ContinuationScore> out;
    const std::vector<RowScore> scores = share_prefix && sharingPays(rows)
                                             ? runSharedPrefixRows(engine, rows, batch_size)
                                             : runRows(engine, rows, batch_size);
    for (const RowScore& score : scores) {
        out.push_back({score.logprob, score.tokens, score.greedy});
    }
    return out;
}

RollingScore rollingNll(const Engine& engine, std::int32_t prefix_id, const std::vector<std::int32_t>& ids,
                        std::int64_t window_tokens, std::size_t batch_size) {
    const auto window = static_cast<std::size_t>(
        std::max<std::int64_t>(2, std::min<std::int64_t>(window_tokens, contextLimit(engine) - 1)));
    std::vector<std::int32_t> all = {prefix_id};
    all.insert(all.end(), ids.begin(), ids.end());
    checkRowIds(engine, all);
    std::vector<Row> rows;
    // Targets are all[1..n]; a window of `window` inputs ends at `end` (exclusive target end).
    for (std::size_t scored = 1; scored < all.size();) {
        const std::size_t end = std::min(all.size(), scored + window);
        const std::size_t begin = end - 1 >= window ? end - 1 - window : 0;
        Row row;
        row.ids.assign(all.begin() + static_cast<std::ptrdiff_t>(begin),
                       all.begin() + static_cast<std::ptrdiff_t>(end));
        row.first_target = scored - begin;
        rows.push_back(std::move(row));
        scored = end;
    }
    RollingScore total;
    for (const RowScore& score : runRows(engine, rows, batch_size)) {
        total.nll_nats -= score.logprob;
        total.tokens += score.tokens;
    }
    return total;
}

EngineEvalBackend::EngineEvalBackend(const Engine& engine, std::string model_dir, std::size_t batch_size,
                                     bool share_prefix)
    : m_engine(engine),
      m_model_dir(std::move(model_dir)),
      m_batch_size(std::max<std::size_t>(1, batch_size)),
      m_share_prefix(share_prefix) {
    if (m_engine.tokenizer() == nullptr) {
        throw UserError(m_model_dir + ": the model has no tokenizer (tokenizer.json or tokenizer.model)");
    }
}

std::string EngineEvalBackend::describe() const {
    return "local:" + m_model_dir;
}

std::vector<eval::LoglikelihoodResult> EngineEvalBackend::loglikelihood(
    const std::vector<eval::LoglikelihoodRequest>& requests) {
    const tokenizer::Tokenizer& tokens = *m_engine.tokenizer();
    std::map<std::string, std::vector<std::int32_t>> contexts;  // options of one prompt share it
    std::vector<ScoreRequest> score_requests;
    for (const eval::LoglikelihoodRequest& request : requests) {
        auto found = contexts.find(request.context);
        if (found == contexts.end()) {
            std::vector<std::int32_t> ids = tokens.encode(request.context, true);
            if (ids.empty()) {
                const auto start = tokens.bosId() ? tokens.bosId() : tokens.eosId();
                if (!start) throw UserError(m_model_dir + ": an empty context needs a BOS or EOS token");
                ids = {*start};
            }
            found = contexts.emplace(request.context, std::move(ids)).first;
        }
        score_requests.push_back({found->second, tokens.encode(request.continuation, false)});
    }
    std::vector<eval::LoglikelihoodResult> out;
    for (const ContinuationScore& score :
         scoreContinuations(m_engine, score_requests, m_batch_size, m_share_prefix)) {
        out.push_back({score.logprob, score.tokens, score.greedy});
    }
    return out;
}

eval::RollingResult EngineEvalBackend::rolling(const std::string& text, std::int64_t window_tokens) {
    const tokenizer::Tokenizer& tokens = *m_engine.tokenizer();
    const auto start = tokens.bosId() ? tokens.bosId() : tokens.eosId();
    if (!start) {
        throw UserError(m_model_dir + ": bits per byte needs a BOS or EOS token to start each document");
    }
    const std::vector<std::int32_t> ids = tokens.encode(text, false);
    if (ids.empty()) {
        return {};
    }
    const RollingScore score = rollingNll(m_engine, *start, ids, window_tokens, m_batch_size);
    return {score.nll_nats, score.tokens};
}

std::vector<std::int32_t> EngineEvalBackend::promptIds(const eval::GenerationRequest& request) const {
    const tokenizer::Tokenizer& tokens = *m_engine.tokenizer();
    if (request.messages.empty()) {
        return tokens.encode(request.prompt, true);
    }
    return chat::ChatPrompter::forModel(tokens, m_model_dir, chat::TemplateKind::Invalid,
                                        chat::UnknownTemplate::UsePlain)
        .encode(request.messages);
}

std::vector<std::string> EngineEvalBackend::generate(const std::vector<eval::GenerationRequest>& requests) {
    std::vector<std::string> outputs;
    const auto limit = static_cast<std::size_t>(contextLimit(m_engine));
    std::size_t begin = 0;
    while (begin < requests.size()) {
        // One batch: consecutive requests with the same length limit and stop strings.
        std::size_t end = begin + 1;
        while (end < requests.size() && end - begin < m_batch_size &&
               requests[end].max_new_tokens == requests[begin].max_new_tokens &&
               requests[end].stop == requests[begin].stop) {
            ++end;
        }
        GenerationOptions options;
        options.sampling.temperature = 0;
        // Leave at least half of the context to the prompt (tiny test models have short contexts).
        options.max_new_tokens =
            std::min<std::int64_t>(requests[begin].max_new_tokens, static_cast<std::int64_t>(limit / 2));
        options.stop_strings = requests[begin].stop;
        const std::size_t room = limit > static_cast<std::size_t>(options.max_new_tokens)
                                     ? limit - static_cast<std::size_t>(options.max_new_tokens)
                                     : 1;
        std::vector<std::vector<std::int32_t>> prompts;
        for (std::size_t i = begin; i < end; ++i) {
            std::vector<std::int32_t> ids = promptIds(requests[i]);
            if (ids.size() > room) {
                ids.erase(ids.begin(), ids.end() - static_cast<std::ptrdiff_t>(room));
            }
            prompts.push_back(std::move(ids));
        }
        for (GenerationResult& result : m_engine.generate(prompts, options, {})) {
            outputs.push_back(std::move(result.text));
        }
        begin = end;
    }
    return outputs;
}

}  // namespace vietllm::sample
