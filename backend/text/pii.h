#pragma once
// Personal data in Vietnamese text: emails, Vietnamese phone numbers, citizen ID numbers
// (CCCD/CMND, with context), Luhn-valid card numbers and IP addresses.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::text {

enum class PiiType { Invalid = 0, Email, Phone, Id, Card, Ip };

/// A found span; offsets in Unicode code points, end exclusive.
struct PiiSpan {
    PiiType type = PiiType::Invalid;
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// All PII spans of `text` (valid UTF-8), sorted by begin, non-overlapping.
std::vector<PiiSpan> findPii(std::string_view text);

/// `text` with each span replaced by <EMAIL>, <PHONE>, <ID>, <CARD> or <IP>.
std::string redactPii(std::string_view text, const std::vector<PiiSpan>& spans);

/// "email", "phone", "id", "card", "ip".
const char* piiTypeName(PiiType type);

}  // namespace vietllm::text
