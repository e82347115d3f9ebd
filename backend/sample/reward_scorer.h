#pragma once
// Scalar rewards from a trained reward model, torch-free on the outside. A reward model is a Hugging
// Face "<Family>ForSequenceClassification" folder with one label (what `vietllm-cli train rm` writes
// and transformers loads unchanged): the base model's weights without the LM head plus
// `score.weight` [1, hidden], read at the last real token of each sequence after the final norm.
// Used by the RL trainer, by evaluation's reward-model scoring and by the Ranking panel.

#include "backend/chat/chat_template.h"
#include "backend/data/records.h"
#include "backend/eval/reward_backend.h"
#include "backend/sample/engine.h"
#include "backend/tokenizer/tokenizer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vietllm::sample {

class RewardScorer {
public:
    /// Loads MODEL_DIR (config.json with num_labels 1, safetensors with score.weight, a tokenizer)
    /// with weights in options.dtype on options.device (the RL trainer scores on its run's device).
    /// Throws UserError naming the folder when it is not a one-label sequence-classification model,
    /// or naming the device when it is not available.
    RewardScorer(const std::string& model_dir, const EngineOptions& options);
    ~RewardScorer();
    RewardScorer(RewardScorer&&) noexcept;
    RewardScorer& operator=(RewardScorer&&) noexcept;

    /// The reward of every row of token ids (each read at its last id), in `batch_size` rows per
    /// forward pass; results in row order. Throws UserError for an empty row or an id outside the
    /// vocabulary.
    std::vector<float> scoreIds(const std::vector<std::vector<std::int32_t>>& rows,
                                std::size_t batch_size) const;

    /// The reward of each reply as the assistant's answer after `conversation` (system and user
    /// turns), rendered with `template_override` when it is not TemplateKind::Invalid, else with the
    /// template the model was trained with (config.json's "vietllm_chat_template", which `train rm`
    /// writes), else the one its folder implies.
    std::vector<float> scoreReplies(const std::vector<data::Message>& conversation,
                                    const std::vector<std::string>& replies, std::size_t batch_size,
                                    chat::TemplateKind template_override = chat::TemplateKind::Invalid) const;

    /// The reward of `replies[i]` as the answer after `conversations[i]`, each rendered like
    /// scoreReplies() does, scored `batch_size` rows per forward pass.
    std::vector<float> scoreConversations(
        const std::vector<std::vector<data::Message>>& conversations, const std::vector<std::string>& replies,
        std::size_t batch_size, chat::TemplateKind template_override = chat::TemplateKind::Invalid) const;

    /// The reward model's tokenizer (rows given to scoreIds must use its ids).
    const tokenizer::Tokenizer& tokenizer() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A reward-model folder as evaluation's reward backend (the "reward" metric of `eval run
/// --reward-model DIR`).
class RewardEvalBackend : public eval::RewardBackend {
public:
    /// Scores with `scorer` (not owned), `batch_size` rows per forward pass; `model_dir` names it.
    RewardEvalBackend(const RewardScorer& scorer, std::string model_dir, std::size_t batch_size);

    std::string describe() const override;
    std::vector<double> score(const std::vector<std::vector<data::Message>>& conversations,
                              const std::vector<std::string>& replies) override;

private:
    const RewardScorer& m_scorer;
    std::string m_model_dir;
    std::size_t m_batch_size;
};

}  // namespace vietllm::sample
