#pragma once
// Log-likelihood scoring for evaluation on the libtorch engine, torch-free on the outside:
// continuations scored in length-sorted batches where the rows sharing a context (the options of
// one multiple-choice prompt) run that context once and go on from its KV cache, rolling log-likelihood over
// long documents with a sliding window (bits per byte), and EngineEvalBackend, which puts both and greedy
// generation behind eval::ModelBackend.

#include "backend/eval/model_backend.h"
#include "backend/sample/engine.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vietllm::sample {

struct ScoreRequest {
    std::vector<std::int32_t> context;       ///< at least one id
    std::vector<std::int32_t> continuation;  ///< the ids whose log-probabilities are summed
};

struct ContinuationScore {
    double logprob = 0;      ///< sum over the continuation tokens (nats)
    std::size_t tokens = 0;  ///< continuation tokens
    bool greedy = false;     ///< every continuation token was the arg-max of its position
};

/// Scores every request; results come back in request order. Rows are context + continuation,
/// the context cut from the left when the row exceeds the model's context. With `share_prefix`
/// (taken only when it skips at least half of the tokens), requests with the same context form a group:
/// groups, longest first, run as many per pass as fit in `batch_size` rows (a group is never split), their
/// contexts once into a KV cache and then every continuation from it. Without it, every row runs whole,
/// `batch_size` rows per left-padded pass (batch_size 1: one at a time). Both give the same scores (float
/// rounding aside). Throws UserError for an empty context or continuation or an id outside the vocabulary.
std::vector<ContinuationScore> scoreContinuations(const Engine& engine,
                                                  const std::vector<ScoreRequest>& requests,
                                                  std::size_t batch_size, bool share_prefix = true);

struct RollingScore {
    double nll_nats = 0;
    std::size_t tokens = 0;
};

/// Negative log-likelihood of every id of `ids` given `prefix_id` and the ids before it, in
/// windows of at most `window_tokens` inputs: each window scores the ids not scored yet and sees
/// as much earlier text as fits (so every id is scored exactly once).
RollingScore rollingNll(const Engine& engine, std::int32_t prefix_id, const std::vector<std::int32_t>& ids,
                        std::int64_t window_tokens, std::size_t batch_size);

/// eval::ModelBackend over a local model folder: texts are tokenized with the model's tokenizer,
/// chat requests rendered with its chat template, generation greedy.
class EngineEvalBackend : public eval::ModelBackend {
public:
    /// `engine` must outlive this object and have a tokenizer (UserError otherwise).
    /// `share_prefix`: multiple-choice options reuse their prompt's KV cache (see
    /// scoreContinuations); off only to measure or check against the plain path.
    EngineEvalBackend(const Engine& engine, std::string model_dir, std::size_t batch_size,
                      bool share_prefix = true);

    std::string describe() const override;
    bool canScore() const override { return true; }
    std::vector<eval::LoglikelihoodResult> loglikelihood(
        const std::vector<eval::LoglikelihoodRequest>& requests) override;
    eval::RollingResult rolling(const std::string& text, std::int64_t window_tokens) override;
    std::vector<std::string> generate(const std::vector<eval::GenerationRequest>& requests) override;

private:
    std::vector<std::int32_t> promptIds(const eval::GenerationRequest& request) const;

    const Engine& m_engine;
    std::string m_model_dir;
    std::size_t m_batch_size;
    bool m_share_prefix;
};

}  // namespace vietllm::sample
