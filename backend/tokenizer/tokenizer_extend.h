#pragma once
// Extends a BPE tokenizer.json with a Vietnamese vocabulary: trains new merges (bpe_trainer.h) on
// the Vietnamese words of a corpus, expressed in the base tokenizer's own pre-tokenization and
// alphabet, appends the new tokens after every existing id and their merges after every existing
// merge, writes the extended tokenizer.json, and optionally resizes a model's embedding and LM head
// to match (embedding_resize.h). Only merges whose token holds a non-ASCII letter are learned, so
// ASCII text (English, code) tokenizes to exactly the same ids as before; tokens per syllable and
// per English word are measured before and after on held-out text.

#include "backend/tokenizer/tokenizer.h"

#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vietllm::tokenizer {

/// The default number of new tokens: the smallest of 4k, 8k, 12k, 16k that takes held-out
/// Vietnamese Wikipedia text to at most 1.35 Llama-2 tokens per syllable (docs/benchmarks.md).
constexpr std::size_t kDefaultNewTokens = 12000;

/// Whether tokens may span several syllables ("▁Việt▁Nam"). They can only where the base has no
/// pre-tokenizer (Llama-2's tokenizer.json: the metaspace comes from the normalizer and the BPE
/// model sees a whole line); Auto uses them there and stays within words elsewhere.
enum class CrossSyllables { Invalid = 0, Auto, Yes, No };

struct ExtendOptions {
    std::string base;                            ///< tokenizer.json or a folder holding one
    std::vector<std::string> corpus;             ///< training files (see corpus_texts.h)
    std::vector<std::string> fields;             ///< JSON fields to read; empty: every string field
    std::vector<std::string> english;            ///< English evaluation files (not trained on)
    std::size_t new_tokens = kDefaultNewTokens;  ///< tokens to add
    std::int64_t min_frequency = 2;              ///< a merge needs this many occurrences
    std::size_t held_out_every = 10;             ///< every Nth text of each corpus file is held out (0: none)
    CrossSyllables cross_syllables = CrossSyllables::Auto;
    std::string out_dir;    ///< receives the tokenizer (and model) files
    std::string model_dir;  ///< optional: a model whose vocabulary rows to resize
    std::function<void(const std::string& stage)> on_progress;  ///< one line per stage
    const std::atomic<bool>* cancel = nullptr;                  ///< set to stop before writing
};

/// Token counts of one evaluation file, before and after the extension.
struct TextStats {
    std::string file;
    std::size_t texts = 0;
    std::size_t pieces = 0;  ///< white-space-separated syllables or words
    std::int64_t tokens_before = 0;
    std::int64_t tokens_after = 0;
    std::size_t texts_changed = 0;  ///< texts whose ids differ

    double perPieceBefore() const { return pieces ? static_cast<double>(tokens_before) / pieces : 0.0; }
    double perPieceAfter() const { return pieces ? static_cast<double>(tokens_after) / pieces : 0.0; }
};

struct ExtendReport {
    std::size_t base_vocab_size = 0;
    std::size_t new_vocab_size = 0;
    std::size_t new_tokens = 0;
    std::size_t new_characters = 0;  ///< new single-character tokens (letters the base lacked)
    std::size_t new_merges = 0;
    std::size_t training_texts = 0;
    std::size_t held_out_texts = 0;
    std::size_t distinct_words = 0;
    std::int64_t word_occurrences = 0;
    bool cross_syllables = false;  ///< whether multi-syllable tokens were learned
    double train_seconds = 0;
    double total_seconds = 0;
    std::vector<TextStats> vietnamese;       ///< held-out corpus texts, per file, then "total"
    std::vector<TextStats> english;          ///< per file, then "total"
    std::vector<std::string> sample_tokens;  ///< the first learned merge tokens, as text
    std::vector<std::string> written_files;
    std::vector<std::string> skipped_files;  ///< base files not copied because they would be stale
    std::vector<std::string> resized_tensors;
};

/// Runs the whole extension. Throws UserError for bad input (missing corpus, a base that is not
/// a BPE tokenizer.json, new_tokens 0, an unusable model) naming the file or option.
ExtendReport extendTokenizer(const ExtendOptions& options);

/// The report as JSON (the CLI prints it).
nlohmann::json extendReportJson(const ExtendReport& report);

}  // namespace vietllm::tokenizer
