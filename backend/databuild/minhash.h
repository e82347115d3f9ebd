#pragma once
// Near-duplicate detection: MinHash signatures over syllable shingles and an LSH index with
// banding. Written here rather than taken from a library because no Debian C++ library offers
// MinHash, and the shingles must be Vietnamese syllables (diacritics kept, lower-cased, NFC).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vietllm::databuild {

/// The set of shingles (hashes of n consecutive syllables) of normalized, lower-cased text. Text
/// with fewer than n syllables is one shingle of all of them; text without syllables has none.
std::vector<std::uint64_t> shingleSet(std::string_view text, std::size_t shingle_size);

/// Exact Jaccard similarity of two shingle sets (sorted, unique, as shingleSet() returns them).
double exactJaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

/// Banding of a signature: `bands` bands of `rows` rows. Two sets with Jaccard s share a band
/// with probability 1 - (1 - s^rows)^bands.
struct LshBands {
    std::size_t bands = 0;
    std::size_t rows = 0;
};

/// The banding of `permutations` rows that minimises the weighted false-positive and
/// false-negative areas around `threshold` (misses weigh 0.9, since candidates are verified).
LshBands chooseBands(std::size_t permutations, double threshold);

/// Computes MinHash signatures with `permutations` hash functions.
class MinHasher {
public:
    MinHasher(std::size_t permutations, std::uint64_t seed);
    /// The signature of a shingle set: per permutation, the smallest permuted shingle hash (all
    /// ones for an empty set).
    std::vector<std::uint64_t> signature(const std::vector<std::uint64_t>& shingles) const;
    std::size_t permutations() const { return m_seeds.size(); }

private:
    std::vector<std::uint64_t> m_seeds;
};

/// Share of equal positions in two signatures: the MinHash estimate of Jaccard similarity.
double estimatedJaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

/// An LSH index of signatures. Candidates are items sharing a band; they are confirmed by the
/// estimated Jaccard over the full signature. Each item keeps its signature truncated to 32 bits
/// per row (a chance collision of 2^-32 per row does not move the estimate) plus one bucket entry
/// per band: about 4 * permutations + 16 * bands bytes per item.
class LshIndex {
public:
    LshIndex(std::size_t permutations, double threshold);
    /// The first inserted item whose estimated Jaccard with `signature` is at least the threshold
    /// (the most similar when several are), or -1; with its estimated similarity.
    std::pair<long long, double> findSimilar(const std::vector<std::uint64_t>& signature) const;
    /// Adds an item; returns its index (0, 1, 2, ...).
    std::size_t insert(const std::vector<std::uint64_t>& signature);
    const LshBands& bands() const { return m_bands; }
    std::size_t size() const { return m_count; }

private:
    std::uint64_t bandKey(const std::vector<std::uint64_t>& signature, std::size_t band) const;

    std::size_t m_permutations;
    double m_threshold;
    LshBands m_bands;
    std::vector<std::uint32_t> m_rows;  ///< signatures, permutations entries per item
    std::vector<std::unordered_multimap<std::uint64_t, std::uint32_t>> m_buckets;  ///< per band
    std::size_t m_count = 0;
};

}  // namespace vietllm::databuild
