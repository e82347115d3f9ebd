#include "backend/tokenizer/byte_level.h"

#include "backend/common/utf8.h"

namespace vietllm::tokenizer {

namespace {

constexpr bool mapsToItself(unsigned byte) {
    return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || byte >= 0xAE;
}

// The n-th byte (in byte order) that does not map to itself maps to U+0100 + n.
constexpr std::array<char32_t, 256> kByteToUnicode = [] {
    std::array<char32_t, 256> table{};
    char32_t shifted = 0;
    for (unsigned byte = 0; byte < 256; ++byte) {
        table[byte] = mapsToItself(byte) ? byte : 0x100 + shifted++;
    }
    return table;
}();

// The inverse for the 68 shifted code points U+0100..U+0143.
constexpr std::array<unsigned char, 68> kShiftedToByte = [] {
    std::array<unsigned char, 68> table{};
    for (unsigned byte = 0; byte < 256; ++byte) {
        if (!mapsToItself(byte)) {
            table[kByteToUnicode[byte] - 0x100] = static_cast<unsigned char>(byte);
        }
    }
    return table;
}();

}  // namespace

char32_t byteToUnicode(unsigned char byte) {
    return kByteToUnicode[byte];
}

std::string bytesToByteLevel(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char byte : bytes) {
        utf8::append(out, kByteToUnicode[static_cast<unsigned char>(byte)]);
    }
    return out;
}

std::optional<std::string> byteLevelToBytes(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (const char32_t code_point : utf8::decode(token)) {
        if (code_point < 0x100 && mapsToItself(code_point)) {
            out.push_back(static_cast<char>(code_point));
        } else if (code_point >= 0x100 && code_point < 0x100 + kShiftedToByte.size()) {
            out.push_back(static_cast<char>(kShiftedToByte[code_point - 0x100]));
        } else {
            return std::nullopt;
        }
    }
    return out;
}

}  // namespace vietllm::tokenizer
