#pragma once
// ROUGE-L over Vietnamese syllables, for the novelty filter of self-instruct and the
// information-gain check of evol-instruct. Our own LCS rather than a ROUGE package: the usual
// tokenizer keeps only [a-z0-9] runs, so every letter with a diacritic and đ becomes a separator
// ("Điều" gives "i", "u"), and "hòa" and "hoa" would read the same. Here a token is a syllable
// (a run of letters, marks and digits), NFC and lower-cased, its diacritics kept.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vietllm::databuild {

/// The syllables ROUGE-L compares: NFC, lower-cased, diacritics kept, punctuation dropped.
std::vector<std::string> rougeTokens(std::string_view text);

/// Length of the longest common subsequence of two token sequences (O(|a|·|b|) time, O(|b|) memory).
std::size_t longestCommonSubsequence(const std::vector<std::string>& a, const std::vector<std::string>& b);

/// ROUGE-L F1 of two token sequences: 2·LCS / (|a| + |b|); 0 when both are empty.
double rougeL(const std::vector<std::string>& a, const std::vector<std::string>& b);
/// ROUGE-L F1 of two texts, tokenized with rougeTokens().
double rougeL(std::string_view a, std::string_view b);

/// The kept instructions of a generation run, searched for one too similar to a candidate. The
/// answer is exact (every kept text whose ROUGE-L could reach the threshold is compared), and
/// the cost stays bounded: an inverted index from syllable to texts gives each text's multiset
/// overlap with the candidate, an upper bound of the LCS, and only texts whose bound reaches the
/// threshold get the quadratic LCS.
class RougeIndex {
public:
    explicit RougeIndex(double threshold) : m_threshold(threshold) {}
    /// The index of the first kept text with ROUGE-L >= threshold against `tokens`, or -1; the
    /// score found goes to `score` when given.
    long long findSimilar(const std::vector<std::string>& tokens, double* score = nullptr) const;
    /// Keeps a text; returns its index.
    std::size_t add(std::vector<std::string> tokens);
    std::size_t size() const { return m_texts.size(); }
    /// LCS computations done so far (the pruning's effect, for the summary).
    std::size_t lcsComputations() const { return m_lcs_count; }

private:
    double m_threshold;
    std::vector<std::vector<std::string>> m_texts;
    std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::size_t>>>
        m_postings;  ///< syllable -> (text, count)
    mutable std::size_t m_lcs_count = 0;
};

}  // namespace vietllm::databuild
