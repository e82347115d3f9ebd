#pragma once
// Streams generated text in pieces that are safe to show: a piece never ends inside a UTF-8
// character, and text that could still become a stop string is held back until it is known not
// to be one. When a stop string completes, the text before it is released and the rest dropped.

#include <string>
#include <vector>

namespace vietllm::sample {

class TextStream {
public:
    /// A stream that stops at the first of `stop_strings` (empty strings are ignored).
    explicit TextStream(std::vector<std::string> stop_strings);

    /// Appends the bytes of the next token(s) and returns the text that became safe to show
    /// (possibly empty). After a stop string completes, stopped() is true and later calls return "".
    std::string push(const std::string& bytes);
    /// Releases what is still held at the end of generation; bytes of an unfinished UTF-8
    /// character become U+FFFD.
    std::string finish();
    bool stopped() const { return m_stopped; }

private:
    std::vector<std::string> m_stop_strings;
    std::string m_pending;
    bool m_stopped = false;
};

/// Length of the longest prefix of `bytes` that does not end inside a UTF-8 character (an
/// incomplete multi-byte sequence at the end is excluded; invalid bytes count as complete).
std::size_t completeUtf8Prefix(const std::string& bytes);

}  // namespace vietllm::sample
