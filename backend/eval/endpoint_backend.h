#pragma once
// An evaluation backend over an OpenAI-compatible chat endpoint (net::ChatClient): generation
// only (greedy, temperature 0). Chat endpoints give no log-probabilities, so multiple-choice tasks
// are answered by letter and bits-per-byte tasks are refused.

#include "backend/eval/model_backend.h"

namespace vietllm::net {
class ChatClient;
}

namespace vietllm::eval {

class EndpointBackend : public ModelBackend {
public:
    /// Sends every request through `client` (not owned).
    explicit EndpointBackend(net::ChatClient& client);

    std::string describe() const override;
    bool canScore() const override { return false; }
    /// Throws UserError: endpoints answer by generation.
    std::vector<LoglikelihoodResult> loglikelihood(
        const std::vector<LoglikelihoodRequest>& requests) override;
    /// Throws UserError: endpoints answer by generation.
    RollingResult rolling(const std::string& text, std::int64_t window_tokens) override;
    /// Runs the requests concurrently; a completion prompt is sent as one user message. Text after a
    /// stop string is cut. Throws UserError when a request fails after its retries.
    std::vector<std::string> generate(const std::vector<GenerationRequest>& requests) override;

private:
    net::ChatClient& m_client;
};

}  // namespace vietllm::eval
