#pragma once
// Small UTF-8 helpers shared by the text core, the converters and the store. Offsets that reach
// users (JSON spans) are counted in Unicode code points, as Python and JavaScript index strings.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vietllm::utf8 {

/// Byte offset of the first invalid sequence, or nullopt when `text` is valid UTF-8.
std::optional<std::size_t> firstInvalidByte(std::string_view text);
/// True when `text` is valid UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool isValid(std::string_view text);
/// Decodes valid UTF-8 into code points; invalid bytes become U+FFFD.
std::u32string decode(std::string_view text);
/// Encodes code points as UTF-8.
std::string encode(std::u32string_view code_points);
/// Appends one code point as UTF-8.
void append(std::string& out, char32_t code_point);
/// Number of code points in valid UTF-8 text.
std::size_t codePointCount(std::string_view text);

}  // namespace vietllm::utf8
