#pragma once
// New ranking candidates for a prompt: 2-4 replies from a local model (sample::Engine with the
// model's chat template, one seed and temperature per reply) or from an OpenAI-compatible
// endpoint (net::ChatClient), stored as sibling assistant messages of the prompt with their
// source and parameters in the message metadata, plus a ranking task over them. The generation
// functions are plain blocking calls meant for a worker thread; they never touch the project.

#include "backend/data/records.h"
#include "backend/net/chat_client.h"
#include "backend/store/project_store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vietllm::widgets {

struct CandidateRequest {
    std::vector<data::Message> prompt;  ///< the conversation, ending with the user turn to answer
    int count = 3;                      ///< replies wanted, 2-4
    std::int64_t max_new_tokens = 256;
    double temperature = 0.7;  ///< of the first reply; each further one adds kTemperatureStep
    std::uint64_t seed = 1;    ///< of the first reply; each further one adds 1
    bool ignore_eos = false;   ///< keep going past end-of-sequence (tiny test models)
    std::int64_t required_rankings = 3;
};

/// Temperature added for each further reply, so that the replies differ.
inline constexpr double kTemperatureStep = 0.2;

struct GeneratedCandidate {
    std::string text;
    nlohmann::json metadata;  ///< {"source": ..., "generation": {parameters}}
};

/// Called after each finished reply with (done, total); return false to cancel.
using CandidateProgress = std::function<bool(int done, int total)>;

/// Loads `model_dir` and generates request.count replies. Throws UserError for a folder that
/// cannot be loaded, a model without a tokenizer, a prompt the template refuses, or an empty
/// reply; returns what was finished when cancelled.
std::vector<GeneratedCandidate> generateWithEngine(const std::string& model_dir,
                                                   const CandidateRequest& request,
                                                   const CandidateProgress& progress);

/// Asks the endpoint for request.count replies. Throws UserError for bad options or a failed call.
std::vector<GeneratedCandidate> generateWithEndpoint(const net::ChatClientOptions& options,
                                                     const CandidateRequest& request,
                                                     const CandidateProgress& progress);

/// Adds `candidates` as assistant replies of `parent_message_id` (a tree's user message) and
/// creates a ranking task over exactly them; returns the task id.
std::int64_t storeCandidates(store::ProjectStore& project, std::int64_t parent_message_id,
                             const std::vector<GeneratedCandidate>& candidates,
                             std::int64_t required_rankings);

}  // namespace vietllm::widgets
