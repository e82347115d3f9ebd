#pragma once
// The sampler chain that turns one row of logits into the next token id. Torch-free: it works on
// a float vector, so it is the same on CPU and GPU and testable on its own.
//
// Order, each step skipped at its neutral value:
//   1. ids at or above the usable vocabulary (padding rows of the embedding) are never drawn;
//   2. penalties over the last `penalty_last_n` ids of prompt + output: repetition (a positive logit
//      is divided by it, a negative one multiplied, as in transformers and llama.cpp), then frequency
//      (minus frequency_penalty x count) and presence (minus presence_penalty once), as in OpenAI's API;
//   3. temperature <= 0 picks the best id (greedy), otherwise logits are divided by it;
//   4. top-k keeps the k best; 5. softmax; 6. top-p keeps the smallest set whose probability
//      reaches p; 7. min-p drops ids below min_p x the best probability;
//   8. one draw from the renormalized rest with a generator seeded by `seed`.

#include <cstdint>
#include <random>
#include <vector>

namespace vietllm::sample {

struct SamplingOptions {
    double temperature = 1.0;
    std::int64_t top_k = 0;  // 0 = off
    double top_p = 1.0;
    double min_p = 0.0;
    double repetition_penalty = 1.0;
    double frequency_penalty = 0.0;
    double presence_penalty = 0.0;
    std::int64_t penalty_last_n = 64;  // -1 = the whole history
    std::uint64_t seed = 0;
};

class Sampler {
public:
    /// A chain for `options` over ids [0, usable_vocab). Throws UserError for out-of-range options.
    Sampler(const SamplingOptions& options, std::int64_t usable_vocab);

    /// Picks the next id from `logits` (modified in place) given the ids so far (`history`).
    std::int32_t next(std::vector<float>& logits, const std::vector<std::int32_t>& history);

private:
    void applyPenalties(std::vector<float>& logits, const std::vector<std::int32_t>& history) const;

    SamplingOptions m_options;
    std::int64_t m_usable_vocab;
    std::mt19937_64 m_generator;
};

}  // namespace vietllm::sample
