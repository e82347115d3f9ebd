#include "backend/sample/sampler.h"

#include "backend/common/errors.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

namespace vietllm::sample {
namespace {

struct Candidate {
    std::int32_t id;
    float logit;
    double probability;
};

void checkRange(bool ok, const std::string& option, const std::string& rule) {
    if (!ok) {
        throw UserError("option --" + option + " " + rule);
    }
}

}  // namespace

Sampler::Sampler(const SamplingOptions& options, std::int64_t usable_vocab)
    : m_options(options), m_usable_vocab(usable_vocab), m_generator(options.seed) {
    checkRange(std::isfinite(options.temperature) && options.temperature >= 0.0, "temperature",
               "must be >= 0");
    checkRange(options.top_k >= 0, "top-k", "must be >= 0");
    checkRange(options.top_p > 0.0 && options.top_p <= 1.0, "top-p", "must be in (0, 1]");
    checkRange(options.min_p >= 0.0 && options.min_p <= 1.0, "min-p", "must be in [0, 1]");
    checkRange(options.repetition_penalty > 0.0, "repetition-penalty", "must be > 0");
    checkRange(options.penalty_last_n >= -1, "penalty-last-n", "must be >= -1");
}

void Sampler::applyPenalties(std::vector<float>& logits, const std::vector<std::int32_t>& history) const {
    const bool any = m_options.repetition_penalty != 1.0 || m_options.frequency_penalty != 0.0 ||
                     m_options.presence_penalty != 0.0;
    if (!any || m_options.penalty_last_n == 0) {
        return;
    }
    const std::size_t window =
        m_options.penalty_last_n < 0
            ? history.size()
            : std::min(history.size(), static_cast<std::size_t>(m_options.penalty_last_n));
    std::map<std::int32_t, int> counts;
    for (std::size_t i = history.size() - window; i < history.size(); ++i) {
        ++counts[history[i]];
    }
    for (const auto& [id, count] : counts) {
        if (id < 0 || static_cast<std::size_t>(id) >= logits.size()) {
            continue;
        }
        float& logit = logits[static_cast<std::size_t>(id)];
        const auto penalty = static_cast<float>(m_options.repetition_penalty);
        logit = logit > 0.0F ? logit / penalty : logit * penalty;
        logit -= static_cast<float>(m_options.frequency_penalty * count + m_options.presence_penalty);
    }
}

std::int32_t Sampler::next(std::vector<float>& logits, const std::vector<std::int32_t>& history) {
    const std::size_t usable = std::min(logits.size(), static_cast<std::size_t>(m_usable_vocab));
    if (usable == 0) {
        throw UserError("the model has no usable vocabulary to sample from");
    }
    logits.resize(usable);
    applyPenalties(logits, history);
    if (m_options.temperature <= 0.0) {
        return static_cast<std::int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    }
    std::vector<Candidate> candidates(usable);
    for (std::size_t id = 0; id < usable; ++id) {
        candidates[id] = {static_cast<std::int32_t>(id),
                          static_cast<float>(static_cast<double>(logits[id]) / m_options.temperature), 0.0};
    }
    // Best first; ties broken by the lower id so that runs are reproducible.
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return a.logit != b.logit ? a.logit > b.logit : a.id < b.id;
    });
    if (m_options.top_k > 0 && static_cast<std::size_t>(m_options.top_k) < candidates.size()) {
        candidates.resize(static_cast<std::size_t>(m_options.top_k));
    }
    const double best = candidates.front().logit;
    double total = 0.0;
    for (Candidate& candidate : candidates) {
        candidate.probability = std::exp(static_cast<double>(candidate.logit) - best);
        total += candidate.probability;
    }
    std::size_t keep = candidates.size();
    double cumulative = 0.0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        candidates[i].probability /= total;
        cumulative += candidates[i].probability;
        if (cumulative >= m_options.top_p && keep == candidates.size()) {
            keep = i + 1;
        }
    }
    candidates.resize(keep);
    const double floor = m_options.min_p * candidates.front().probability;
    candidates.erase(
        std::remove_if(candidates.begin() + 1, candidates.end(),
                       [&](const Candidate& candidate) { return candidate.probability < floor; }),
        candidates.end());
    const double kept_total =
        std::accumulate(candidates.begin(), candidates.end(), 0.0,
                        [](double sum, const Candidate& c) { return sum + c.probability; });
    std::uniform_real_distribution<double> uniform(0.0, kept_total);
    double draw = uniform(m_generator);
    for (const Candidate& candidate : candidates) {
        draw -= candidate.probability;
        if (draw < 0.0) {
            return candidate.id;
        }
    }
    return candidates.back().id;
}

}  // namespace vietllm::sample
