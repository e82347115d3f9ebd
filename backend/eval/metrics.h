#pragma once
// Evaluation metrics: corpus BLEU (13a tokenizer, exponential smoothing) and chrF/chrF++ with
// sacreBLEU's definitions, SQuAD-style exact match and token F1 after Vietnamese-aware answer
// normalization, and accuracy. Written here because no Debian C++ library scores MT output; the
// definitions (and the reference values the tests assert) follow sacreBLEU 2.x.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::eval {

/// The sacreBLEU "13a" tokenization of one segment (mteval-v13a: punctuation split off, periods
/// and commas kept inside numbers, HTML entities of the four basic characters unescaped).
std::string tokenize13a(std::string_view text);

struct BleuScore {
    double score = 0;                  ///< 0..100
    std::vector<std::size_t> matches;  ///< clipped n-gram matches, n = 1..4
    std::vector<std::size_t> totals;   ///< hypothesis n-grams, n = 1..4
    std::size_t hypothesis_length = 0;
    std::size_t reference_length = 0;  ///< closest reference length, summed
    double brevity_penalty = 1;
};

/// BLEU from n-gram statistics (sacreBLEU's compute_bleu with smooth_method "exp").
BleuScore bleuFromStatistics(const std::vector<std::size_t>& matches, const std::vector<std::size_t>& totals,
                             std::size_t hypothesis_length, std::size_t reference_length);

/// Corpus BLEU of `hypotheses` against reference streams: `references[r][i]` is reference r of
/// segment i (sacreBLEU's corpus_bleu argument layout). Throws UserError when lengths disagree.
BleuScore corpusBleu(const std::vector<std::string>& hypotheses,
                     const std::vector<std::vector<std::string>>& references);

struct ChrfOptions {
    int char_order = 6;
    int word_order = 2;  ///< 2 = chrF++, 0 = chrF
    double beta = 2;
    bool eps_smoothing = false;  ///< sacreBLEU's default (false) averages only the orders that exist
    bool lowercase = false;
};

/// Corpus chrF(++) (0..100) with the same reference layout as corpusBleu; for each segment the
/// reference with the best segment score is used.
double corpusChrf(const std::vector<std::string>& hypotheses,
                  const std::vector<std::vector<std::string>>& references, const ChrfOptions& options = {});

/// Answer normalization for string-match metrics: NFC, Vietnamese tone placement unified, lower
/// case, punctuation removed, whitespace collapsed and trimmed.
std::string normalizeAnswer(std::string_view text);

/// 1 when the normalized prediction equals any normalized reference, else 0.
double exactMatch(std::string_view prediction, const std::vector<std::string>& references);

/// Best token-overlap F1 (0..1) of the normalized prediction against the references.
double tokenF1(std::string_view prediction, const std::vector<std::string>& references);

}  // namespace vietllm::eval
