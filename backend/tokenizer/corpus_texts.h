#pragma once
// The texts of a training or evaluation corpus file for tokenizer work. JSONL gives one text per
// record (its string fields, or the fields named; message lists give their "content"), a .json
// document gives one text per string (the fields named anywhere in it, or every string), and any
// other file one text per non-empty line. Every text is checked as UTF-8 and NFC-normalized.

#include <string>
#include <vector>

namespace vietllm::tokenizer {

/// The texts of `path` in file order. `fields` (may be empty) names the JSON fields to read.
/// Throws UserError naming the file (and line) when it is missing, not UTF-8 or not valid JSON.
std::vector<std::string> readCorpusTexts(const std::string& path, const std::vector<std::string>& fields);

/// Number of white-space-separated pieces of `text` (syllables of Vietnamese, words of English;
/// punctuation and digits count with the piece they touch).
std::size_t countWhitespacePieces(const std::string& text);

}  // namespace vietllm::tokenizer
