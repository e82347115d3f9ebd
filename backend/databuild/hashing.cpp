#include "backend/databuild/hashing.h"

#include <cstring>

namespace vietllm::databuild {

std::uint64_t hashBytes(std::string_view bytes, std::uint64_t seed) {
    std::uint64_t state = mix64(seed ^ (bytes.size() * 0x9e3779b97f4a7c15ULL));
    std::size_t offset = 0;
    for (; offset + 8 <= bytes.size(); offset += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + offset, 8);
        state = mix64(state ^ word);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, bytes.data() + offset, bytes.size() - offset);
    return mix64(state ^ tail ^ 0xff51afd7ed558ccdULL);
}

}  // namespace vietllm::databuild
