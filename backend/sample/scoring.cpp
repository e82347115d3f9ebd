#include "backend/sample/scoring.h"

#include "backend/chat/chat_template.h"
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
        const at::Tensor target = at::tensor(at::ArrayRef<std::int64_t>(targets)).view({-1, 1});
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

}  // namespace

std::vector<ContinuationScore> scoreContinuations(const Engine& engine,
                                                  const std::vector<ScoreRequest>& requests,
                                                  std::size_t batch_size) {
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
    for (const RowScore& score : runRows(engine, rows, batch_size)) {
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

EngineEvalBackend::EngineEvalBackend(const Engine& engine, std::string model_dir, std::size_t batch_size)
    : m_engine(engine),
      m_model_dir(std::move(model_dir)),
      m_batch_size(std::max<std::size_t>(1, batch_size)) {
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
    for (const ContinuationScore& score : scoreContinuations(m_engine, score_requests, m_batch_size)) {
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
    chat::TemplateKind kind = chat::detectTemplateInFolder(m_model_dir);
    if (kind == chat::TemplateKind::Invalid) {
        kind = chat::TemplateKind::Plain;
    }
    chat::RenderOptions options = chat::renderOptionsInFolder(m_model_dir);
    options.add_generation_prompt = true;
    const std::string text = chat::render(kind, request.messages, options).text();
    return tokens.encode(text, !chat::templateWritesBos(kind));
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
