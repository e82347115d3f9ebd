#pragma once
// What the "reward" metric needs: a reward model that scores a reply as the assistant's answer to a
// conversation (sample::RewardEvalBackend wraps a trained reward-model folder), so that the task
// runner stays torch-free.

#include "backend/data/records.h"

#include <string>
#include <vector>

namespace vietllm::eval {

class RewardBackend {
public:
    virtual ~RewardBackend() = default;
    /// A short description for reports ("reward:/models/rm").
    virtual std::string describe() const = 0;
    /// The reward of `replies[i]` as the answer after `conversations[i]` (its last turn is the
    /// user's); results in order.
    virtual std::vector<double> score(const std::vector<std::vector<data::Message>>& conversations,
                                      const std::vector<std::string>& replies) = 0;
};

}  // namespace vietllm::eval
