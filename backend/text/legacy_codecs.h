#pragma once
// Decoders for Vietnamese text that was stored in an 8-bit legacy encoding (TCVN3/ABC, VNI,
// CP1258) and then read as if it were CP1252 or Latin-1, so that every legacy byte became one
// Western character. The decoders map those characters back to bytes and the bytes to Unicode.
// Internal to legacy_encoding.cpp (and its tests); the public API is legacy_encoding.h.

#include <string>
#include <string_view>

namespace vietllm::text::legacy {

/// The byte that `code_point` stands for when 8-bit text was read as CP1252, or as Latin-1 (whose
/// U+0080-U+009F also cover the five bytes CP1252 leaves undefined); -1 for any other code point.
int cp1252Byte(char32_t code_point);

/// True for letters and combining marks, the code points that words are made of.
bool isWordCodePoint(char32_t code_point);

/// True when `word` is written in lower, upper or title case (not "ViÖt").
bool hasConsistentCase(std::u32string_view word);

/// True when `word` (NFC letters only) is one Vietnamese syllable in lower, upper or title case:
/// the shape test that tells a repaired word from a look-alike.
bool isVietnameseWord(std::u32string_view word);

/// NFC of `code_points` (utf8proc).
std::u32string composeNfc(std::u32string_view code_points);

/// TCVN3 (ABC, the .VnTime fonts) read as CP1252. Also decodes the capitals that its superset
/// TCVN 5712 VN1 (glibc's TCVN5712-1) keeps in C0 and 0x80-0x9F, but only inside a word that
/// then reads as Vietnamese, because ABC documents use those bytes for Windows punctuation.
std::u32string decodeTcvn3(std::u32string_view text);

/// VNI (VNI-Times fonts) read as CP1252: a base letter followed by a byte for its marks.
std::u32string decodeVni(std::u32string_view text);

/// Windows-1258 read as CP1252: some letters precomposed, other tones as a combining byte.
std::u32string decodeCp1258(std::u32string_view text);

}  // namespace vietllm::text::legacy
