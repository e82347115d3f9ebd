#pragma once
// A BPE trainer that learns new merges on top of an existing vocabulary. Words arrive already
// tokenized by the base tokenizer (ids into its vocabulary), so every learned merge joins two
// existing (or earlier learned) tokens and can be appended to the base tokenizer's merge list.
// Written here rather than taken from SentencePiece's trainer, which builds a separate model
// from raw characters and cannot express merges in another tokenizer's alphabet.
//
// The algorithm is the classic one with incremental counts: a table of distinct words with their
// frequencies, a count per adjacent pair, an index pair -> words, and a lazy max-heap of pairs.
// Each merge rewrites only the words that hold the pair and updates the counts of their pairs.

#include "backend/tokenizer/tokenizer.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vietllm::tokenizer {

/// A distinct word of the training corpus, as base token ids, with its number of occurrences.
struct TrainingWord {
    std::vector<TokenId> ids;
    std::int64_t count = 0;
};

/// A merge the trainer learned: `left` + `right` -> `merged`, in the order learned.
struct LearnedMerge {
    TokenId left = 0;
    TokenId right = 0;
    TokenId merged = 0;
    std::int64_t count = 0;  ///< occurrences of the pair when it was chosen
    bool new_token = false;  ///< false when the merged text was already a token of the vocabulary
};

/// Decides whether two tokens (by text) may be merged; the trainer never counts other pairs.
using PairFilter = std::function<bool(const std::string& left, const std::string& right)>;

struct BpeTrainerOptions {
    std::size_t new_tokens = 0;      ///< stop after this many tokens that are new to the vocabulary
    std::int64_t min_frequency = 2;  ///< stop when the best pair occurs fewer times
    PairFilter allow_pair;           ///< empty: every pair is allowed
    std::function<void(std::size_t new_tokens_so_far)> on_progress;  ///< every 256 merges
    const std::atomic<bool>* cancel = nullptr;  ///< set to stop early (the merges so far are kept)
};

class BpeTrainer {
public:
    /// `vocabulary[id]` is the text of each base token (empty for unused ids). New tokens get the
    /// ids after the last one.
    explicit BpeTrainer(std::vector<std::string> vocabulary);

    /// Learns merges over `words` (the base ids of each distinct word). Deterministic: the most
    /// frequent pair wins, ties go to the smaller (left id, right id).
    std::vector<LearnedMerge> train(std::vector<TrainingWord> words, const BpeTrainerOptions& options);

    /// Every token text, base and learned, by id.
    const std::vector<std::string>& vocabulary() const { return m_vocabulary; }

private:
    std::vector<std::string> m_vocabulary;
};

}  // namespace vietllm::tokenizer
