// The array scanner is our own rather than nlohmann's parser: it streams (Alpaca files can be
// large), it knows the line where each element starts, and it keeps going past an element that
// does not parse, which a whole-document parse cannot do.

#include "backend/data/json_units.h"

#include "backend/common/errors.h"

#include <istream>
#include <streambuf>

namespace vietllm::data {

namespace {

using Traits = std::streambuf::traits_type;

constexpr int kEnd = Traits::eof();

bool isJsonSpace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isBlank(const std::string& text) {
    for (const char c : text) {
        if (!isJsonSpace(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    return true;
}

// Reads a byte-level view of the input while counting lines.
class Scanner {
public:
    explicit Scanner(std::streambuf& buffer) : m_buffer(buffer) {}

    int peek() { return m_buffer.sgetc(); }
    int next() {
        const int c = m_buffer.sbumpc();
        if (c == '\n') {
            ++m_line_number;
        }
        return c;
    }
    std::size_t lineNumber() const { return m_line_number; }

    void skipSpace() {
        while (isJsonSpace(peek())) {
            next();
        }
    }

    // Reads up to the end of the line; false at the end of the input with nothing read.
    bool readLine(std::string& line) {
        line.clear();
        int c = m_buffer.sbumpc();
        if (c == kEnd) {
            return false;
        }
        while (c != kEnd && c != '\n') {
            line.push_back(static_cast<char>(c));
            c = m_buffer.sbumpc();
        }
        ++m_line_number;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        return true;
    }

    // Reads one array element: everything up to a ',' or ']' outside strings and brackets.
    std::string readElement() {
        std::string text;
        int depth = 0;
        bool in_string = false;
        bool escaped = false;
        for (int c = peek(); c != kEnd; c = peek()) {
            if (!in_string && depth <= 0 && (c == ',' || c == ']')) {
                break;
            }
            text.push_back(static_cast<char>(next()));
            if (in_string) {
                in_string = escaped || c != '"';
                escaped = !escaped && c == '\\';
            } else if (c == '"') {
                in_string = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                --depth;
            }
        }
        while (!text.empty() && isJsonSpace(static_cast<unsigned char>(text.back()))) {
            text.pop_back();
        }
        return text;
    }

private:
    std::streambuf& m_buffer;
    std::size_t m_line_number = 1;  // the line of the next byte
};

// Skips a UTF-8 byte order mark; returns the bytes read when they were something else.
std::string skipByteOrderMark(Scanner& scanner) {
    static constexpr unsigned char kMark[] = {0xEF, 0xBB, 0xBF};
    std::string read;
    for (const unsigned char expected : kMark) {
        if (scanner.peek() != expected) {
            break;
        }
        read.push_back(static_cast<char>(scanner.next()));
    }
    return read.size() == sizeof(kMark) ? std::string() : read;
}

void readLines(Scanner& scanner, std::string first_line_prefix,
               const std::function<void(JsonUnit&&)>& visit) {
    std::string line;
    while (scanner.readLine(line)) {
        line.insert(0, first_line_prefix);
        first_line_prefix.clear();
        if (!isBlank(line)) {
            JsonUnit unit;
            unit.line_number = scanner.lineNumber() - 1;
            unit.text = std::move(line);
            visit(std::move(unit));
        }
    }
}

void readArray(Scanner& scanner, const std::string& file_name, const std::function<void(JsonUnit&&)>& visit) {
    scanner.next();  // '['
    scanner.skipSpace();
    if (scanner.peek() == ']') {
        scanner.next();
    } else {
        for (std::size_t index = 0;; ++index) {
            scanner.skipSpace();
            JsonUnit unit;
            unit.line_number = scanner.lineNumber();
            unit.array_index = index;
            unit.text = scanner.readElement();
            if (unit.text.empty()) {
                throw UserError(
                    locatedMessage(file_name, unit.line_number,
                                   "empty element " + std::to_string(index) + " in the JSON array"));
            }
            visit(std::move(unit));
            const int separator = scanner.next();
            if (separator == kEnd) {
                throw UserError(
                    locatedMessage(file_name, scanner.lineNumber(), "the JSON array is not closed"));
            }
            if (separator == ']') {
                break;
            }
        }
    }
    scanner.skipSpace();
    if (scanner.peek() != kEnd) {
        throw UserError(
            locatedMessage(file_name, scanner.lineNumber(), "text after the end of the JSON array"));
    }
}

}  // namespace

void forEachJsonUnit(std::istream& input, const std::string& file_name,
                     const std::function<void(JsonUnit&&)>& visit) {
    std::streambuf* buffer = input.rdbuf();
    if (buffer == nullptr) {
        return;
    }
    Scanner scanner(*buffer);
    std::string prefix = skipByteOrderMark(scanner);
    if (prefix.empty()) {
        scanner.skipSpace();  // blank lines before a '[' or the first JSONL record
    }
    if (prefix.empty() && scanner.peek() == '[') {
        readArray(scanner, file_name, visit);
    } else {
        readLines(scanner, std::move(prefix), visit);
    }
}

}  // namespace vietllm::data
