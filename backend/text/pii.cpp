#include "backend/text/pii.h"

#include "backend/common/utf8.h"
#include "backend/text/syllable_tokens.h"

#include <pcre2.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <string>

// Two techniques, each where it is the better tool:
// - PCRE2 finds the shapes that are pure syntax (emails, IPv4, IPv6 candidates): a regular
//   expression states them exactly, and each runs only on lines holding its '@', digit or ':'.
// - A hand-written scanner reads digit groups ("0912 345 678", "(+84) 912-345-678") and decides in
//   code, because phones, cards and ID numbers are told apart by rules no regex states readably:
//   carrier prefixes, the Luhn checksum, province codes, nearby keywords, and where a run of digits
//   may be split between two numbers.

namespace vietllm::text {

namespace {

struct Found {
    PiiType type = PiiType::Invalid;
    std::size_t byte_begin = 0;
    std::size_t byte_end = 0;
};

// ---------------------------------------------------------------------------------------------
// PCRE2 patterns

struct CodeDeleter {
    void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct MatchDataDeleter {
    void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

class Pattern {
public:
    explicit Pattern(const char* source) {
        int error_code = 0;
        PCRE2_SIZE error_offset = 0;
        m_code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source), PCRE2_ZERO_TERMINATED, 0,
                                   &error_code, &error_offset, nullptr));
        if (!m_code) {
            throw std::logic_error("PII pattern does not compile at offset " + std::to_string(error_offset));
        }
    }

    /// Byte ranges of every non-overlapping match in `text`.
    std::vector<std::pair<std::size_t, std::size_t>> findAll(std::string_view text) const {
        const std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
            pcre2_match_data_create_from_pattern(m_code.get(), nullptr));
        std::vector<std::pair<std::size_t, std::size_t>> ranges;
        std::size_t offset = 0;
        while (offset <= text.size()) {
            const int rc = pcre2_match(m_code.get(), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                                       offset, 0, data.get(), nullptr);
            if (rc < 0) {
                break;
            }
            const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
            ranges.emplace_back(ovector[0], ovector[1]);
            offset = std::max<std::size_t>(ovector[1], ovector[0] + 1);
        }
        return ranges;
    }

private:
    std::unique_ptr<pcre2_code, CodeDeleter> m_code;
};

struct Patterns {
    // Local part and domain in ASCII, as mail providers in Vietnam issue them.
    Pattern email{
        "(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
        "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}"
        "(?![A-Za-z0-9-]|\\.[A-Za-z0-9])"};
    // Dotted quad, each part 0-255 without leading zeros, not inside a longer dotted number.
    Pattern ipv4{
        "(?<![A-Za-z0-9.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
        "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?![A-Za-z0-9]|\\.[0-9])"};
    // Candidate only: hex groups and colons; isIpv6() checks the structure.
    Pattern ipv6{"(?<![A-Za-z0-9:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![A-Za-z0-9:])"};
};

// Compiled once on first use and read-only afterwards; pcre2_match() on a shared code object is
// thread-safe (each call has its own match data).
const Patterns& patterns() {
    static const Patterns compiled;
    return compiled;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isAsciiAlnum(char c) {
    return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// The code point that ends just before byte `pos` (0 at the start of the text).
char32_t codePointBefore(std::string_view text, std::size_t pos) {
    std::size_t start = pos;
    while (start > 0 && (static_cast<unsigned char>(text[start - 1]) & 0xC0) == 0x80) {
        --start;
    }
    if (start == 0) {
        return 0;
    }
    --start;
    const std::u32string decoded = utf8::decode(text.substr(start, pos - start));
    return decoded.empty() ? 0 : decoded.front();
}

char32_t codePointAt(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) {
        return 0;
    }
    std::size_t length = 1;
    while (pos + length < text.size() && (static_cast<unsigned char>(text[pos + length]) & 0xC0) == 0x80) {
        ++length;
    }
    const std::u32string decoded = utf8::decode(text.substr(pos, length));
    return decoded.empty() ? 0 : decoded.front();
}

bool isLetterOrDigit(char32_t code_point) {
    if (code_point == 0) {
        return false;
    }
    const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(code_point));
    return category == UTF8PROC_CATEGORY_LU || category == UTF8PROC_CATEGORY_LL ||
           category == UTF8PROC_CATEGORY_LT || category == UTF8PROC_CATEGORY_LM ||
           category == UTF8PROC_CATEGORY_LO || category == UTF8PROC_CATEGORY_ND || code_point == U'_';
}

// Index of the first token that starts at or after byte `pos`.
std::size_t tokenIndexAt(const std::vector<SyllableToken>& tokens, std::size_t pos) {
    const auto found =
        std::lower_bound(tokens.begin(), tokens.end(), pos,
                         [](const SyllableToken& token, std::size_t p) { return token.byte_begin < p; });
    return static_cast<std::size_t>(found - tokens.begin());
}

bool plainIs(const std::vector<SyllableToken>& tokens, std::size_t index, std::string_view word) {
    return index < tokens.size() && tokens[index].plain == word;
}

// True when one of the phrases (diacritic-free, space-separated syllables) ends at token `last`.
template <std::size_t N>
bool phraseEndsAt(const std::vector<SyllableToken>& tokens, std::size_t last,
                  const std::array<std::string_view, N>& phrases) {
    for (const std::string_view phrase : phrases) {
        std::size_t index = last + 1;
        std::size_t end = phrase.size();
        bool matched = true;
        while (matched && end > 0) {
            const std::size_t space = phrase.rfind(' ', end - 1);
            const std::size_t start = space == std::string_view::npos ? 0 : space + 1;
            matched = index > 0 && plainIs(tokens, index - 1, phrase.substr(start, end - start));
            --index;
            end = space == std::string_view::npos ? 0 : space;
        }
        if (matched) {
            return true;
        }
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Context words

// Words that announce an identity-document number ("CCCD", "căn cước", "số định danh", ...).
constexpr std::array<std::string_view, 10> kIdKeywords = {
    "cccd", "cmnd", "cmt", "cmtnd", "can cuoc", "chung minh", "dinh danh", "id", "ho chieu", "passport",
};
// Words that make a nearby number something else (an account, an order, a tracking code).
constexpr std::array<std::string_view, 10> kNotIdKeywords = {
    "tai khoan", "stk",       "don hang", "ma don",  "van don",
    "hoa don",   "giao dich", "order",    "account", "ma so thue",
};
// Units after a number that make it an amount, not an identifier.
constexpr std::array<std::string_view, 16> kAmountUnits = {
    "dong", "d", "vnd",    "usd",  "trieu", "ty",  "nghin", "ngan",
    "tr",   "k", "dollar", "euro", "eur",   "yen", "won",   "te",
};
// Words before a number that make it a catalogue or tax number ("ISBN 0-7864-0138-9", "MST 0312345678").
constexpr std::array<std::string_view, 5> kCatalogueWords = {"isbn", "issn", "doi", "mst", "ma so thue"};
constexpr std::array<std::string_view, 4> kVersionWords = {"phien ban", "version", "ver", "firmware"};

constexpr std::size_t kIdContextTokensBefore = 6;
constexpr std::size_t kIdContextTokensAfter = 3;
// "+84 09 12 34 56 78" has six groups; no phone, card or ID number is written in more.
constexpr std::size_t kMaxGroupsPerNumber = 6;

// Whether an ID keyword stands within a few tokens before `first` (with no "account"/"order"
// word closer to the number) or right after `last`.
bool hasIdContext(const std::vector<SyllableToken>& tokens, std::size_t first, std::size_t last) {
    for (std::size_t back = 1; back <= kIdContextTokensBefore && back <= first; ++back) {
        if (phraseEndsAt(tokens, first - back, kNotIdKeywords)) {
            return false;
        }
        if (phraseEndsAt(tokens, first - back, kIdKeywords)) {
            return true;
        }
    }
    for (std::size_t ahead = 1; ahead <= kIdContextTokensAfter && last + ahead < tokens.size(); ++ahead) {
        if (phraseEndsAt(tokens, last + ahead, kIdKeywords)) {
            return true;
        }
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Digit-group numbers: phones, cards, ID numbers

struct DigitGroups {
    std::size_t byte_begin = 0;                               ///< includes a leading "(" or "+"
    std::vector<std::pair<std::size_t, std::size_t>> groups;  ///< byte ranges of the digit runs
    std::vector<char> separators;  ///< separators[i] joins groups i and i+1: ' ', '.', '-' or ')'
    bool plus = false;             ///< written with "+" before the first group
    bool parenthesized = false;    ///< first group in parentheses: "(+84)", "(024)"
};

std::size_t skipDigits(std::string_view text, std::size_t pos) {
    while (pos < text.size() && isDigit(text[pos])) {
        ++pos;
    }
    return pos;
}

// Reads the groups that start at `pos`; returns groups empty when nothing number-like starts there.
DigitGroups readDigitGroups(std::string_view text, std::size_t pos) {
    DigitGroups number;
    number.byte_begin = pos;
    if (pos < text.size() && text[pos] == '(') {
        number.parenthesized = true;
        ++pos;
    }
    if (pos < text.size() && text[pos] == '+') {
        number.plus = true;
        ++pos;
    }
    const std::size_t first_end = skipDigits(text, pos);
    if (first_end == pos) {
        return {};
    }
    number.groups.emplace_back(pos, first_end);
    pos = first_end;
    if (number.parenthesized) {
        if (pos >= text.size() || text[pos] != ')') {
            return {};
        }
        ++pos;
        if (pos < text.size() && (text[pos] == ' ' || text[pos] == '-' || text[pos] == '.')) {
            ++pos;
        }
        const std::size_t end = skipDigits(text, pos);
        if (end == pos) {
            return {};
        }
        number.separators.push_back(')');
        number.groups.emplace_back(pos, end);
        pos = end;
    }
    while (pos + 1 < text.size() && (text[pos] == ' ' || text[pos] == '.' || text[pos] == '-') &&
           isDigit(text[pos + 1])) {
        const std::size_t end = skipDigits(text, pos + 1);
        number.separators.push_back(text[pos]);
        number.groups.emplace_back(pos + 1, end);
        pos = end;
    }
    return number;
}

// A number must stand alone: not glued to letters, not part of a decimal, date, time, ratio or law
// number ("1,5", "12/2023", "10:30", "137/2015/NĐ-CP"), and not an amount of money.
bool standsAlone(std::string_view text, std::size_t begin, std::size_t end) {
    const char32_t before = codePointBefore(text, begin);
    if (isLetterOrDigit(before) || before == U'$' || before == U'€' || before == U'£' || before == U'#') {
        return false;
    }
    const bool joiner_before =
        before == U'.' || before == U',' || before == U'-' || before == U'/' || before == U':';
    if (joiner_before && isLetterOrDigit(codePointBefore(text, begin - 1))) {
        return false;
    }
    const char32_t after = codePointAt(text, end);
    if (isLetterOrDigit(after) || after == U'%') {
        return false;
    }
    const bool joiner_after =
        after == U'.' || after == U',' || after == U'-' || after == U'/' || after == U':';
    return !(joiner_after && end + 1 < text.size() && isAsciiAlnum(text[end + 1]));
}

bool followedByAmountUnit(const std::vector<SyllableToken>& tokens, std::size_t byte_end) {
    const std::size_t next = tokenIndexAt(tokens, byte_end);
    return next < tokens.size() && phraseEndsAt(tokens, next, kAmountUnits);
}

bool precededByCatalogueWord(const std::vector<SyllableToken>& tokens, std::size_t byte_begin) {
    const std::size_t next = tokenIndexAt(tokens, byte_begin);
    return next > 0 && phraseEndsAt(tokens, next - 1, kCatalogueWords);
}

// Vietnamese phone numbers, national form after "+84"/"84" is rewritten to "0...": mobiles have
// 10 digits with a carrier prefix; pre-2018 mobiles 11 digits (01x); landlines 11 digits (02x).
bool isNationalPhone(const std::string& national) {
    if (national.size() == 10 && national[0] == '0') {
        const char a = national[1];
        const char b = national[2];
        switch (a) {
            case '3':
                return b >= '2';
            case '5':
                return b == '2' || b == '5' || b == '6' || b == '8' || b == '9';
            case '7':
                return b == '0' || b >= '6';
            case '8':
                return b != '0' && b != '7';
            case '9':
                return b != '5';
            default:
                return false;
        }
    }
    if (national.size() == 11 && national[0] == '0') {
        const std::string_view prefix = std::string_view(national).substr(1, 3);
        const bool old_mobile = prefix.substr(0, 2) == "12" ||
                                (prefix.substr(0, 2) == "16" && prefix[2] >= '2') || prefix == "186" ||
                                prefix == "188" || prefix == "199";
        return old_mobile || prefix[0] == '2';
    }
    return false;
}

std::string joinDigits(std::string_view text, const DigitGroups& number, std::size_t first,
                       std::size_t last) {
    std::string digits;
    for (std::size_t i = first; i <= last; ++i) {
        digits.append(text.substr(number.groups[i].first, number.groups[i].second - number.groups[i].first));
    }
    return digits;
}

// Phone numbers are grouped in twos to fives; a lone digit ("0-7864-0138-9") is an ISBN or a list.
bool hasPhoneLayout(const DigitGroups& number, std::size_t first, std::size_t last) {
    for (std::size_t i = first; i <= last; ++i) {
        if (number.groups[i].second - number.groups[i].first < 2) {
            return false;
        }
    }
    return true;
}

bool isPhone(std::string_view text, const DigitGroups& number, std::size_t first, std::size_t last) {
    if (!hasPhoneLayout(number, first, last)) {
        return false;
    }
    const std::string digits = joinDigits(text, number, first, last);
    const bool international = first == 0 && number.plus;
    const std::size_t first_length = number.groups[first].second - number.groups[first].first;
    if (international || (digits.rfind("84", 0) == 0 && (first_length == 2 || first == last))) {
        if (digits.rfind("84", 0) != 0) {
            return false;
        }
        const std::string rest = digits.substr(2);
        return isNationalPhone(rest.rfind('0', 0) == 0 ? rest : "0" + rest);
    }
    return isNationalPhone(digits);
}

bool luhnValid(const std::string& digits) {
    int sum = 0;
    bool double_it = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int value = *it - '0';
        if (double_it) {
            value *= 2;
            value = value > 9 ? value - 9 : value;
        }
        sum += value;
        double_it = !double_it;
    }
    return sum % 10 == 0;
}

// Issuer prefixes of the card networks used in Vietnam: Visa, Mastercard, Amex, JCB, Diners,
// Discover, UnionPay and the domestic Napas (9704).
bool hasCardIssuerPrefix(const std::string& digits) {
    const int two = std::stoi(digits.substr(0, 2));
    const int four = std::stoi(digits.substr(0, 4));
    return digits[0] == '4' || (two >= 51 && two <= 55) || (four >= 2221 && four <= 2720) || two == 34 ||
           two == 37 || (four >= 3528 && four <= 3589) || two == 36 || two == 38 || two == 39 ||
           (four >= 3000 && four <= 3059) || four == 6011 || (two == 64 && digits[2] >= '4') || two == 65 ||
           two == 62 || four == 9704;
}

// Card numbers are written in one run or in groups of four (Amex 4-6-5, Diners 4-6-4) joined by
// one kind of separator, never dots (dots group thousands in amounts).
bool hasCardLayout(const DigitGroups& number, std::size_t first, std::size_t last) {
    if (first == last) {
        return true;
    }
    for (std::size_t i = first; i < last; ++i) {
        if (number.separators[i] != number.separators[first] || number.separators[i] == '.' ||
            number.separators[i] == ')') {
            return false;
        }
    }
    std::vector<std::size_t> lengths;
    for (std::size_t i = first; i <= last; ++i) {
        lengths.push_back(number.groups[i].second - number.groups[i].first);
    }
    const bool amex_like = lengths.size() == 3 && lengths[0] == 4 && lengths[1] == 6 && lengths[2] >= 4;
    const bool fours =
        std::all_of(lengths.begin(), lengths.end() - 1, [](std::size_t n) { return n == 4; }) &&
        lengths.back() >= 1 && lengths.back() <= 4;
    return amex_like || fours;
}

bool isCard(std::string_view text, const DigitGroups& number, std::size_t first, std::size_t last) {
    if (first == 0 && (number.plus || number.parenthesized)) {
        return false;
    }
    const std::string digits = joinDigits(text, number, first, last);
    return digits.size() >= 13 && digits.size() <= 19 && hasCardLayout(number, first, last) &&
           hasCardIssuerPrefix(digits) && luhnValid(digits);
}

// Province codes of the CCCD (first three digits: birthplace), the 63 provinces before the 2025
// merger; numbers issued since keep them.
bool isCccdProvince(int code) {
    constexpr std::array<int, 63> kCodes = {1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25,
                                            26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48,
                                            49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75,
                                            77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};
    return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

// CCCD: 12 digits = province code, century/sex digit (0-3 for births in 1900-2099), year, serial.
// CMND: 9 digits (older cards). Both only next to an ID keyword.
bool isIdNumber(std::string_view text, const DigitGroups& number, std::size_t first, std::size_t last,
                const std::vector<SyllableToken>& tokens) {
    if (first == 0 && (number.plus || number.parenthesized)) {
        return false;
    }
    const std::string digits = joinDigits(text, number, first, last);
    const bool cccd =
        digits.size() == 12 && isCccdProvince(std::stoi(digits.substr(0, 3))) && digits[3] <= '3';
    if (!cccd && digits.size() != 9) {
        return false;
    }
    const std::size_t first_token = tokenIndexAt(tokens, number.groups[first].first);
    const std::size_t last_token = tokenIndexAt(tokens, number.groups[last].first);
    return hasIdContext(tokens, first_token, last_token);
}

PiiType classifyDigits(std::string_view text, const DigitGroups& number, std::size_t first, std::size_t last,
                       const std::vector<SyllableToken>& tokens) {
    if (isPhone(text, number, first, last)) {
        return PiiType::Phone;
    }
    if (isCard(text, number, first, last)) {
        return PiiType::Card;
    }
    if (isIdNumber(text, number, first, last, tokens)) {
        return PiiType::Id;
    }
    return PiiType::Invalid;
}

// The longest number that the groups from `first` on begin with, ending where a space separates
// groups (or at the end); type Invalid when none.
Found longestNumberFrom(std::string_view text, const DigitGroups& number, std::size_t first,
                        const std::vector<SyllableToken>& tokens, std::size_t& last_used) {
    const std::size_t count = std::min(number.groups.size(), first + kMaxGroupsPerNumber);
    for (std::size_t last = count; last-- > first;) {
        if (last + 1 < number.groups.size() && number.separators[last] != ' ') {
            continue;
        }
        const std::size_t begin = first == 0 ? number.byte_begin : number.groups[first].first;
        const std::size_t end = number.groups[last].second;
        if (!standsAlone(text, begin, end) || followedByAmountUnit(tokens, end) ||
            precededByCatalogueWord(tokens, begin)) {
            continue;
        }
        const PiiType type = classifyDigits(text, number, first, last, tokens);
        if (type != PiiType::Invalid) {
            last_used = last;
            return {type, begin, end};
        }
    }
    return {};
}

// Splits a run of groups into numbers. A run may hold several numbers side by side ("0912345678
// 0987654321"), but only a space may separate two of them.
void scanDigitGroups(std::string_view text, const DigitGroups& number,
                     const std::vector<SyllableToken>& tokens, std::vector<Found>& found) {
    std::size_t first = 0;
    while (first < number.groups.size()) {
        const bool may_start = first == 0 || number.separators[first - 1] == ' ';
        std::size_t last = first;
        const Found span = may_start ? longestNumberFrom(text, number, first, tokens, last) : Found{};
        if (span.type != PiiType::Invalid) {
            found.push_back(span);
        }
        first = last + 1;
    }
}

void findNumbers(std::string_view text, const std::vector<SyllableToken>& tokens, std::vector<Found>& found) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        const bool may_start = isDigit(c) || c == '+' || c == '(';
        const bool glued = pos > 0 && (isDigit(text[pos - 1]) || (text[pos - 1] == '+' && isDigit(c)));
        if (!may_start || glued) {
            ++pos;
            continue;
        }
        const DigitGroups number = readDigitGroups(text, pos);
        if (number.groups.empty()) {
            ++pos;
            continue;
        }
        scanDigitGroups(text, number, tokens, found);
        pos = number.groups.back().second;
    }
}

// Passport numbers: one capital letter and seven digits, only next to "hộ chiếu"/"passport".
void findPassports(std::string_view text, const std::vector<SyllableToken>& tokens,
                   std::vector<Found>& found) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const SyllableToken& token = tokens[i];
        const std::string_view original = text.substr(token.byte_begin, token.byte_end - token.byte_begin);
        const bool shape = original.size() == 8 && original[0] >= 'A' && original[0] <= 'Z' &&
                           std::all_of(original.begin() + 1, original.end(), isDigit);
        if (shape && hasIdContext(tokens, i, i)) {
            found.push_back({PiiType::Id, token.byte_begin, token.byte_end});
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Addresses

// Counts the colon-separated groups of one side of an IPv6 address (1-4 hex digits each; empty
// side: 0 groups); false when a group is empty or too long.
bool countIpv6Groups(std::string_view side, std::size_t& groups, std::size_t& hex_digits) {
    if (side.empty()) {
        return true;
    }
    std::size_t start = 0;
    while (true) {
        const std::size_t colon = side.find(':', start);
        const std::size_t length = (colon == std::string_view::npos ? side.size() : colon) - start;
        if (length == 0 || length > 4) {
            return false;
        }
        ++groups;
        hex_digits += length;
        if (colon == std::string_view::npos) {
            return true;
        }
        start = colon + 1;
    }
}

// Eight groups, or fewer with one "::". At least four hex digits, so "::1" and "a::b" (C++
// scope, not an address) are left alone.
bool isIpv6(std::string_view candidate) {
    const std::size_t gap = candidate.find("::");
    std::size_t groups = 0;
    std::size_t hex_digits = 0;
    if (gap == std::string_view::npos) {
        return countIpv6Groups(candidate, groups, hex_digits) && groups == 8;
    }
    const bool valid = candidate.find("::", gap + 1) == std::string_view::npos &&
                       countIpv6Groups(candidate.substr(0, gap), groups, hex_digits) &&
                       countIpv6Groups(candidate.substr(gap + 2), groups, hex_digits);
    return valid && groups < 8 && hex_digits >= 4;
}

void findEmails(std::string_view text, std::vector<Found>& found) {
    for (const auto& [begin, end] : patterns().email.findAll(text)) {
        found.push_back({PiiType::Email, begin, end});
    }
}

void findIpv4(std::string_view text, const std::vector<SyllableToken>& tokens, std::vector<Found>& found) {
    for (const auto& [begin, end] : patterns().ipv4.findAll(text)) {
        const std::size_t first = tokenIndexAt(tokens, begin);
        const bool version = first > 0 && phraseEndsAt(tokens, first - 1, kVersionWords);
        if (!version) {
            found.push_back({PiiType::Ip, begin, end});
        }
    }
}

void findIpv6(std::string_view text, std::vector<Found>& found) {
    for (const auto& [begin, end] : patterns().ipv6.findAll(text)) {
        if (isIpv6(text.substr(begin, end - begin))) {
            found.push_back({PiiType::Ip, begin, end});
        }
    }
}

// ---------------------------------------------------------------------------------------------

// Keeps the earliest, then longest, of overlapping spans (an email beats the digits inside it).
std::vector<Found> withoutOverlaps(std::vector<Found> found) {
    std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
        return a.byte_begin != b.byte_begin ? a.byte_begin < b.byte_begin : a.byte_end > b.byte_end;
    });
    std::vector<Found> kept;
    for (const Found& span : found) {
        if (kept.empty() || span.byte_begin >= kept.back().byte_end) {
            kept.push_back(span);
        }
    }
    return kept;
}

std::vector<PiiSpan> toCodePointSpans(std::string_view text, const std::vector<Found>& found) {
    std::vector<PiiSpan> spans;
    std::size_t byte_pos = 0;
    std::size_t code_point = 0;
    const auto advanceTo = [&](std::size_t target) {
        for (; byte_pos < target; ++byte_pos) {
            code_point += (static_cast<unsigned char>(text[byte_pos]) & 0xC0) != 0x80 ? 1 : 0;
        }
        return code_point;
    };
    for (const Found& span : found) {
        const std::size_t begin = advanceTo(span.byte_begin);
        const std::size_t end = advanceTo(span.byte_end);
        spans.push_back({span.type, begin, end});
    }
    return spans;
}

// Each detector runs only when its telltale character is present; the tokens (for keyword
// context) are built only for text with digits, which is where they are needed.
std::vector<PiiSpan> findPiiInValidText(std::string_view text) {
    std::vector<Found> found;
    if (text.find('@') != std::string_view::npos) {
        findEmails(text, found);
    }
    if (text.find(':') != std::string_view::npos) {
        findIpv6(text, found);
    }
    if (text.find_first_of("0123456789") != std::string_view::npos) {
        const std::vector<SyllableToken> tokens = splitSyllables(text);
        findIpv4(text, tokens, found);
        findNumbers(text, tokens, found);
        findPassports(text, tokens, found);
    }
    return toCodePointSpans(text, withoutOverlaps(std::move(found)));
}

}  // namespace

std::vector<PiiSpan> findPii(std::string_view text) {
    if (utf8::isValid(text)) {
        return findPiiInValidText(text);
    }
    return findPiiInValidText(utf8::encode(utf8::decode(text)));
}

std::string redactPii(std::string_view text, const std::vector<PiiSpan>& spans) {
    const std::u32string code_points = utf8::decode(text);
    std::string out;
    std::size_t pos = 0;
    for (const PiiSpan& span : spans) {
        if (span.begin < pos || span.end > code_points.size() || span.begin > span.end) {
            continue;
        }
        out += utf8::encode(std::u32string_view(code_points).substr(pos, span.begin - pos));
        out += '<';
        std::string name = piiTypeName(span.type);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](char c) { return static_cast<char>(c - 'a' + 'A'); });
        out += name + '>';
        pos = span.end;
    }
    out += utf8::encode(std::u32string_view(code_points).substr(pos));
    return out;
}

const char* piiTypeName(PiiType type) {
    switch (type) {
        case PiiType::Email:
            return "email";
        case PiiType::Phone:
            return "phone";
        case PiiType::Id:
            return "id";
        case PiiType::Card:
            return "card";
        case PiiType::Ip:
            return "ip";
        case PiiType::Invalid:
            break;
    }
    return "invalid";
}

}  // namespace vietllm::text
