#include "backend/text/syllable_tokens.h"

#include "backend/common/utf8.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

namespace vietllm::text {

namespace {

constexpr char32_t kMask = U'*';

bool isWordCodePoint(char32_t code_point) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(code_point))) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
        case UTF8PROC_CATEGORY_ND:
            return true;
        default:
            return false;
    }
}

std::size_t utf8Length(char32_t code_point) {
    if (code_point < 0x80) {
        return 1;
    }
    if (code_point < 0x800) {
        return 2;
    }
    return code_point < 0x10000 ? 3 : 4;
}

// utf8proc_map of `text` with `options`; the input is valid UTF-8, so a failure cannot happen
// short of memory exhaustion, where the unfolded text is the safest answer.
std::string mapUtf8(std::string_view text, utf8proc_option_t options) {
    utf8proc_uint8_t* mapped = nullptr;
    const utf8proc_ssize_t length =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     static_cast<utf8proc_ssize_t>(text.size()), &mapped, options);
    const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
    if (length < 0) {
        return std::string(text);
    }
    return std::string(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
}

bool isMark(char32_t code_point) {
    const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(code_point));
    return category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_MC ||
           category == UTF8PROC_CATEGORY_ME;
}

// Appends the lower-case and the diacritic-free forms of one precomposed code point. This is the
// tokenizer's hot path, so it allocates nothing: utf8proc_decompose_char writes to a small buffer.
void foldCodePoint(char32_t code_point, std::string& lower, std::string& plain) {
    if (code_point < 0x80) {
        const char c = static_cast<char>(code_point >= U'A' && code_point <= U'Z' ? code_point - U'A' + U'a'
                                                                                  : code_point);
        lower.push_back(c);
        plain.push_back(c);
        return;
    }
    constexpr char32_t kEth = 0x00F0;
    constexpr char32_t kDStroke = 0x0111;
    auto lowered = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(code_point)));
    lowered = lowered == kEth ? kDStroke : lowered;  // ð (eth) typed for đ
    utf8::append(lower, lowered);
    if (lowered == kDStroke) {
        plain.push_back('d');
        return;
    }
    std::array<utf8proc_int32_t, 8> buffer{};
    int boundary_class = 0;
    const utf8proc_ssize_t count = utf8proc_decompose_char(
        static_cast<utf8proc_int32_t>(lowered), buffer.data(), buffer.size(),
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK), &boundary_class);
    if (count < 0 || static_cast<std::size_t>(count) > buffer.size()) {
        utf8::append(plain, lowered);
        return;
    }
    for (utf8proc_ssize_t i = 0; i < count; ++i) {
        utf8::append(plain, static_cast<char32_t>(buffer[static_cast<std::size_t>(i)]));
    }
}

// Fills `lower` and `plain` of a token from its spelling. Precomposed text (NFC, nearly all input)
// is folded code point by code point; text with combining marks (NFD) is composed first, and a mark
// with no precomposed letter stays in `lower` only.
void foldToken(std::u32string_view code_points, SyllableToken& token) {
    std::u32string composed;
    if (std::any_of(code_points.begin(), code_points.end(), isMark)) {
        const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        composed = utf8::decode(mapUtf8(utf8::encode(code_points), options));
        code_points = composed;
    }
    for (const char32_t code_point : code_points) {
        if (isMark(code_point)) {
            utf8::append(token.lower, code_point);
        } else {
            foldCodePoint(code_point, token.lower, token.plain);
        }
    }
}

}  // namespace

std::vector<SyllableToken> splitSyllables(std::string_view text) {
    const std::u32string code_points = utf8::decode(text);
    std::vector<SyllableToken> tokens;
    std::size_t byte_pos = 0;
    std::size_t i = 0;
    while (i < code_points.size()) {
        if (!isWordCodePoint(code_points[i])) {
            byte_pos += utf8Length(code_points[i]);
            ++i;
            continue;
        }
        SyllableToken token;
        token.begin = i;
        token.byte_begin = byte_pos;
        while (i < code_points.size()) {
            const bool masked = code_points[i] == kMask && i > token.begin && i + 1 < code_points.size() &&
                                isWordCodePoint(code_points[i + 1]);
            if (!masked && !isWordCodePoint(code_points[i])) {
                break;
            }
            byte_pos += utf8Length(code_points[i]);
            ++i;
        }
        token.end = i;
        token.byte_end = byte_pos;
        foldToken(std::u32string_view(code_points).substr(token.begin, token.end - token.begin), token);
        tokens.push_back(std::move(token));
    }
    return tokens;
}

bool anyDiacritics(const std::vector<SyllableToken>& tokens) {
    for (const SyllableToken& token : tokens) {
        if (token.hasDiacritics()) {
            return true;
        }
    }
    return false;
}

}  // namespace vietllm::text
