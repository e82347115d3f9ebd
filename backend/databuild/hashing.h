#pragma once
// Stable 64-bit hashing for the data-building steps. Our own code rather than std::hash because
// the values must be the same on every platform and run (shards computed on different machines
// are compared), and because it is the hot path of MinHash and n-gram matching.

#include <cstdint>
#include <string_view>

namespace vietllm::databuild {

/// A bijective 64-bit mixer (the splitmix64 finaliser): spreads every input bit over the output.
inline std::uint64_t mix64(std::uint64_t value) {
    value ^= value >> 30;
    value *= 0xbf58476d1ce4e5b9ULL;
    value ^= value >> 27;
    value *= 0x94d049bb133111ebULL;
    value ^= value >> 31;
    return value;
}

/// Hash of `bytes` under `seed`: 8-byte words folded through mix64. Stable across platforms.
std::uint64_t hashBytes(std::string_view bytes, std::uint64_t seed = 0);

/// Combines a running sequence hash with the next element's hash (order matters).
inline std::uint64_t combineHash(std::uint64_t sequence, std::uint64_t element) {
    return mix64(sequence ^ (element + 0x9e3779b97f4a7c15ULL + (sequence << 6) + (sequence >> 2)));
}

}  // namespace vietllm::databuild
