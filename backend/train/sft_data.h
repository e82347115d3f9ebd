#pragma once
// SFT data, torch-free: conversations from the data formats -> chat template -> token ids with
// labels (-100 everywhere except assistant replies and their end-of-turn token), truncated to
// max_seq_len, then planned into micro-batches per epoch: packed rows (several examples per row,
// each with its own document id and positions restarting at 0, so attention never crosses an
// example) or, without packing, length-bucketed padded rows. The plan is a pure function of the
// examples, the seed and the epoch, which is what makes resuming exact.

#include "backend/chat/chat_template.h"
#include "backend/data/formats.h"
#include "backend/data/records.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::tokenizer {
class Tokenizer;
}

namespace vietllm::train {

/// Label of a position that takes no part in the loss (the value PyTorch's cross-entropy ignores).
constexpr std::int32_t kIgnoreLabel = -100;

struct TokenizedExample {
    std::vector<std::int32_t> ids;
    /// labels[i] is the target predicted AT position i (ids[i + 1] or kIgnoreLabel), already shifted.
    std::vector<std::int32_t> labels;
    /// Positions whose target counts (labels != kIgnoreLabel).
    std::int64_t labelCount() const;
};

/// The format of a data file, recognised from the keys of its first record (what "auto" means).
/// Throws UserError naming the file when they match no format.
data::Format detectFormat(const std::string& file);

/// Reads every conversation of `files` in `format` ("auto" looks at the first record's keys).
/// Preference pairs give their chosen conversation, message trees their answered paths.
/// Throws UserError naming the file and line of a bad record.
std::vector<data::Conversation> readConversations(const std::vector<std::string>& files,
                                                  const std::string& format);

/// How conversations become ids: the template, its BOS/EOS texts, and the ids that end a turn.
struct Encoding {
    chat::TemplateKind template_kind = chat::TemplateKind::Invalid;
    chat::RenderOptions render;
    std::vector<std::int32_t> prefix_ids;    ///< what the tokenizer puts before a text (BOS), if any
    std::vector<std::int32_t> turn_end_ids;  ///< EOS and end-of-turn tokens
    std::int32_t eos_id = -1;                ///< appended after a reply that ends without a turn end
};

/// The encoding for a model folder: `template_name` ("auto" detects it from the folder) and the
/// BOS/EOS of tokenizer_config.json. Throws UserError for an unknown template name.
Encoding makeEncoding(const tokenizer::Tokenizer& tokenizer, const std::string& model_dir,
                      const std::string& template_name);

/// Tokenizes one conversation: each rendered segment separately, assistant segments supervised
/// (plus an EOS when the reply has no turn-end token of its own), truncated to `max_seq_len`
/// tokens. Labels are shifted: the target of position i is token i + 1.
TokenizedExample tokenizeConversation(const data::Conversation& conversation,
                                      const tokenizer::Tokenizer& tokenizer, const Encoding& encoding,
                                      std::int64_t max_seq_len);

/// One micro-batch, row-major [rows, length]: ids (0 at padding), labels (shifted, kIgnoreLabel at
/// padding), positions (restarting at 0 for each packed example) and document ids (1, 2, ... per
/// example in the row; 0 at padding). Attention is allowed only between equal document ids.
struct MicroBatch {
    std::int64_t rows = 0;
    std::int64_t length = 0;
    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> labels;
    std::vector<std::int64_t> positions;
    std::vector<std::int64_t> documents;
    std::int64_t label_count = 0;  ///< supervised positions
    std::int64_t token_count = 0;  ///< real (non-padding) positions
};

/// The micro-batches of one epoch. Examples are shuffled with `seed` and `epoch`; with `packing`
/// they are packed greedily, in that order, into rows of at most `max_seq_len` tokens; without it
/// they are sorted by length inside windows of 64 micro-batches (less padding) and the resulting
/// micro-batches shuffled again. Deterministic for the same inputs on every platform.
std::vector<MicroBatch> planEpoch(const std::vector<TokenizedExample>& examples, std::int64_t max_seq_len,
                                  std::int64_t micro_batch_size, bool packing, std::uint64_t seed,
                                  std::int64_t epoch);

/// Every example as its own micro-batch rows, in order, for evaluation (no shuffling).
std::vector<MicroBatch> planEvaluation(const std::vector<TokenizedExample>& examples,
                                       std::int64_t max_seq_len, std::int64_t micro_batch_size, bool packing);

/// A portable permutation of 0..count-1 (Fisher-Yates on a SplitMix64 stream: std::shuffle and the
/// std distributions differ between standard libraries).
std::vector<std::size_t> shuffledIndices(std::size_t count, std::uint64_t seed);

}  // namespace vietllm::train
