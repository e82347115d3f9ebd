#pragma once
// GPT-2's byte <-> unicode map used by byte-level BPE vocabularies: the 188 printable bytes
// (0x21-0x7E, 0xA1-0xAC, 0xAE-0xFF) stand for themselves, the other 68 map in order to U+0100 and
// up, so that every byte has a visible, non-space character (space 0x20 -> 'Ġ' U+0120).

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace vietllm::tokenizer {

/// The code point that stands for `byte` in byte-level vocabularies.
char32_t byteToUnicode(unsigned char byte);

/// The UTF-8 string of the byte-level characters of `bytes`.
std::string bytesToByteLevel(std::string_view bytes);

/// The bytes a byte-level token stands for; nullopt when a character is not one of the 256.
std::optional<std::string> byteLevelToBytes(std::string_view token);

}  // namespace vietllm::tokenizer
