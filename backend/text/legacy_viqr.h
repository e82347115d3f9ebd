#pragma once
// Reading VIQR (RFC 1456), Vietnamese typed in plain ASCII with the marks after each vowel:
// ' acute, ` grave, ? hook, ~ tilde, . dot below, ^ circumflex, ( breve, + horn, dd for đ, and
// a backslash before a mark that is meant literally. The marks collide with punctuation, so a
// word is only converted when it then reads as Vietnamese, and a lone . or ? at the end of the
// line stays punctuation. Internal to legacy_encoding.cpp.

#include <string>
#include <string_view>

namespace vietllm::text::legacy {

/// How strongly the marks of one line point at VIQR; legacy_encoding.cpp weighs them.
struct ViqrMarks {
    int strong = 0;   ///< converted syllables with ^ ( + ` ~, dd or two marks, which prose never has
    int medium = 0;   ///< converted syllables whose one mark is ' . or ? with letters after it
    int weak = 0;     ///< converted syllables whose one mark is a final ' . or ?
    int invalid = 0;  ///< marked letter runs that read as no Vietnamese syllable (left as they were)
};

struct ViqrLine {
    std::u32string text;  ///< the line with every convertible syllable converted
    ViqrMarks marks;
};

/// Reads one line (without its line break) as VIQR.
ViqrLine decodeViqrLine(std::u32string_view line);

}  // namespace vietllm::text::legacy
