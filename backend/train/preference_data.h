#pragma once
// Preference data for the reward-model and preference trainers, torch-free: pairs (a prompt
// conversation, a chosen and a rejected reply) read from the preference formats, each side rendered
// with the chat template and tokenized like SFT data (labels on the reply only).

#include "backend/chat/chat_template.h"
#include "backend/data/records.h"
#include "backend/train/sft_data.h"
#include "backend/train/train_config.h"

#include <optional>
#include <string>
#include <vector>

namespace vietllm::train {

/// Both sides of a preference pair as token ids: the prompt followed by the chosen, or the
/// rejected, reply (ending with the reply's end-of-turn token).
struct TokenizedPair {
    TokenizedExample chosen;
    TokenizedExample rejected;
};

/// Every preference pair of `files` in `format` ("auto" recognises it from the first record):
/// `preference` (what `data export` and the Ranking panel's pairs export write), `hh-rlhf`, and
/// `oasst` trees (differently ranked siblings). Throws UserError naming the file and line of a
/// malformed record, or the file when its format holds no preference pairs.
std::vector<data::PreferencePair> readPreferencePairs(const std::vector<std::string>& files,
                                                      const std::string& format);

/// The conversation of `pair`'s prompt answered with `reply`.
data::Conversation answeredPrompt(const data::PreferencePair& pair, const std::string& reply);

/// Tokenizes both sides of `pair`; nullopt when either side is longer than `max_seq_len` tokens
/// (truncating would cut off the reply that rewards and log-probabilities are read from).
std::optional<TokenizedPair> tokenizePair(const data::PreferencePair& pair,
                                          const tokenizer::Tokenizer& tokenizer, const Encoding& encoding,
                                          std::int64_t max_seq_len);

/// The tokenized pairs of a run, split into training and held-out sets.
struct PreferenceSplit {
    std::vector<TokenizedPair> train;
    std::vector<TokenizedPair> eval;
    std::int64_t dropped = 0;  ///< pairs with a side longer than max_seq_len or an empty reply
    chat::TemplateKind template_kind = chat::TemplateKind::Invalid;  ///< what the pairs were rendered with
};

/// Reads and tokenizes `config`'s preference data (rm and dpo): the eval files, or a seeded
/// eval_fraction of the training pairs, held out. Throws UserError naming the config when no pair fits.
PreferenceSplit loadPreferenceSplit(const TrainConfig& config, const tokenizer::Tokenizer& tokenizer);

}  // namespace vietllm::train
