#pragma once
// What an evaluation needs from a model, so that the task runner stays torch-free: log-likelihood
// of continuations (local models), rolling log-likelihood of documents (bits per byte) and
// generation (local models through the engine, or an OpenAI-compatible endpoint).

#include "backend/data/records.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::eval {

struct LoglikelihoodRequest {
    std::string context;
    std::string continuation;
};

struct LoglikelihoodResult {
    double logprob = 0;      ///< sum of the continuation tokens' log-probabilities (nats)
    std::size_t tokens = 0;  ///< continuation tokens scored
    bool greedy = false;     ///< every continuation token was the arg-max
};

struct RollingResult {
    double nll_nats = 0;     ///< total negative log-likelihood of the document's tokens
    std::size_t tokens = 0;  ///< tokens scored
};

struct GenerationRequest {
    std::vector<data::Message> messages;  ///< chat tasks: the conversation so far (last turn: user)
    std::string prompt;                   ///< completion tasks: the raw prompt (messages empty)
    std::int64_t max_new_tokens = 64;
    std::vector<std::string> stop;
};

class ModelBackend {
public:
    virtual ~ModelBackend() = default;

    /// A short description for reports ("local:/models/x", "endpoint:http://...").
    virtual std::string describe() const = 0;
    /// True when loglikelihood() and rolling() work (local models); endpoints answer by generation.
    virtual bool canScore() const = 0;
    /// Scores every request (batched as the backend sees fit); results in request order.
    virtual std::vector<LoglikelihoodResult> loglikelihood(
        const std::vector<LoglikelihoodRequest>& requests) = 0;
    /// Negative log-likelihood of a whole document with a sliding window of `window_tokens`.
    virtual RollingResult rolling(const std::string& text, std::int64_t window_tokens) = 0;
    /// Greedy generation for every request; texts in request order.
    virtual std::vector<std::string> generate(const std::vector<GenerationRequest>& requests) = 0;
};

}  // namespace vietllm::eval
