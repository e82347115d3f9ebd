#include "backend/sample/text_stream.h"

#include "backend/common/utf8.h"

#include <algorithm>
#include <utility>

namespace vietllm::sample {
namespace {

// Invalid bytes (a stray byte-fallback token) are shown as U+FFFD rather than passed on.
std::string sanitized(const std::string& text) {
    return utf8::isValid(text) ? text : utf8::encode(utf8::decode(text));
}

}  // namespace

std::size_t completeUtf8Prefix(const std::string& bytes) {
    // Look back at most 3 bytes for the lead byte of a sequence that the end cuts short.
    const std::size_t size = bytes.size();
    for (std::size_t back = 1; back <= std::min<std::size_t>(3, size); ++back) {
        const auto byte = static_cast<unsigned char>(bytes[size - back]);
        if ((byte & 0xC0) == 0x80) {
            continue;  // a continuation byte: keep looking for its lead
        }
        std::size_t needed = 1;
        if ((byte & 0xE0) == 0xC0) {
            needed = 2;
        } else if ((byte & 0xF0) == 0xE0) {
            needed = 3;
        } else if ((byte & 0xF8) == 0xF0) {
            needed = 4;
        }
        return needed > back ? size - back : size;
    }
    return size;
}

TextStream::TextStream(std::vector<std::string> stop_strings) {
    for (std::string& stop : stop_strings) {
        if (!stop.empty()) {
            m_stop_strings.push_back(std::move(stop));
        }
    }
}

std::string TextStream::push(const std::string& bytes) {
    if (m_stopped) {
        return {};
    }
    m_pending += bytes;
    std::size_t first_stop = std::string::npos;
    for (const std::string& stop : m_stop_strings) {
        first_stop = std::min(first_stop, m_pending.find(stop));
    }
    if (first_stop != std::string::npos) {
        m_stopped = true;
        std::string released = m_pending.substr(0, first_stop);
        m_pending.clear();
        return sanitized(released);
    }
    // Hold back the longest tail that is the start of some stop string.
    std::size_t held = 0;
    for (const std::string& stop : m_stop_strings) {
        for (std::size_t length = std::min(stop.size() - 1, m_pending.size()); length > held; --length) {
            if (m_pending.compare(m_pending.size() - length, length, stop, 0, length) == 0) {
                held = length;
                break;
            }
        }
    }
    const std::size_t safe = completeUtf8Prefix(m_pending.substr(0, m_pending.size() - held));
    std::string released = m_pending.substr(0, safe);
    m_pending.erase(0, safe);
    return sanitized(released);
}

std::string TextStream::finish() {
    if (m_stopped) {
        return {};
    }
    std::string released = sanitized(m_pending);
    m_pending.clear();
    return released;
}

}  // namespace vietllm::sample
