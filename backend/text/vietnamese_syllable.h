#pragma once
// Vietnamese letters and syllables: splitting a precomposed letter into base, shape and tone,
// and a phonotactic analysis of one written syllable (onset + medial + nucleus + coda + tone).
// Our own code: no Debian library knows Vietnamese spelling rules, and normalize() runs it on
// every syllable, so it works on small fixed arrays without allocating.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vietllm::text {

/// The six Vietnamese tones; Level ("ngang") carries no mark.
enum class Tone : std::uint8_t { Invalid = 0, Level, Grave, Acute, Hook, Tilde, Dot };

/// One Latin letter split into its parts. `key` is the lower-case letter without its tone, in a
/// one-byte alphabet: 'a'-'z' for the plain letters, and 'A' ă, 'B' â, 'D' đ, 'E' ê, 'O' ô,
/// 'P' ơ, 'W' ư. key == 0 means the code point is not a letter of the Vietnamese alphabet.
struct VietLetter {
    char key = 0;
    Tone tone = Tone::Invalid;
    bool upper = false;
};

/// Every precomposed Vietnamese letter lies below this code point (ỹ is U+1EF9).
constexpr char32_t kVietLetterTableSize = 0x1F00;

/// The table behind decodeVietLetter, kVietLetterTableSize entries indexed by code point: hot
/// loops fetch it once instead of calling decodeVietLetter per character.
const VietLetter* vietLetterTable();

/// Splits a precomposed (NFC) code point; key == 0 for anything that is not a Vietnamese letter
/// (plain a-z, including f j w z, count as letters so that English words can be judged).
VietLetter decodeVietLetter(char32_t code_point);

/// True for the keys of the twelve vowel letters (a ă â e ê i o ô ơ u ư y).
bool isVowelKey(char key);

/// The precomposed code point of `letter` (the inverse of decodeVietLetter); 0 when the
/// combination does not exist (a tone on a consonant).
char32_t encodeVietLetter(const VietLetter& letter);

/// The longest written Vietnamese syllable has 7 letters (nghiêng, khuyếch).
constexpr std::size_t kMaxSyllableLetters = 7;

/// What the analysis of one syllable found. Letter indices count from the syllable start.
struct SyllableAnalysis {
    /// Onset and rime form a Vietnamese syllable (tone placement not yet judged).
    bool well_formed = false;
    /// The tone fits the coda: syllables ending in c, ch, p, t only take the acute or dot tone.
    bool tone_fits_coda = false;
    /// Index of the letter carrying the tone mark; -1 when the tone is level.
    int tone_index = -1;
    /// Bit i set: the tone mark may sit on letter i (two bits for open oa/oe/uy syllables).
    std::uint8_t allowed_tone_positions = 0;
    /// Where the standard rule puts the tone mark.
    int canonical_tone_position = -1;
    /// Open syllable whose rime is exactly oa, oe or uy: index of its o/u, else -1.
    int two_way_first_vowel = -1;

    /// True for a well-formed syllable whose tone is allowed where it sits.
    bool valid() const;
};

/// Analyses `count` letters (decoded with decodeVietLetter) as one syllable.
SyllableAnalysis analyzeSyllable(const VietLetter* letters, std::size_t count);

/// True when the NFC code points form one valid syllable (any case); false for anything with a
/// character outside the Vietnamese alphabet or longer than a syllable can be.
bool isValidSyllable(std::u32string_view code_points);

}  // namespace vietllm::text
