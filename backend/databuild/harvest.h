#pragma once
// `data harvest`: instruction data from authentic Vietnamese text whose answers are written by
// people. From news (a text file whose articles start at their headline, given by a titles
// file), Wikipedia-style {title,text} JSONL, any JSONL text field or plain text:
//  - title: "Đặt tiêu đề cho bài viết sau" + the article -> its real title;
//  - summary: the article without its lead -> the lead paragraph (long articles only);
//  - reverse: the model writes the instruction a passage answers; the passage is the answer.
// Wikipedia markup is cleaned (== headings ==, CRLF), passages are cut at paragraph ends, and
// each article and passage passes language identification and the Vietnamese syllable ratio.
// Every record keeps its provenance: source file, line, title, url and licence.

#include "backend/databuild/generation.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::databuild {

enum class HarvestTask { Invalid = 0, Title, Summary, Reverse };

/// Parses "title", "summary" or "reverse"; HarvestTask::Invalid otherwise.
HarvestTask parseHarvestTask(std::string_view name);
const char* harvestTaskName(HarvestTask task);

/// An article or document of the input, cleaned.
struct HarvestArticle {
    std::string file;
    std::size_t line = 0;  ///< 1-based line where it starts
    std::string title;     ///< empty when the input has none
    std::string url;
    std::vector<std::vector<std::string>> sections;  ///< paragraphs per section (headings dropped)
};

/// Wikipedia text as paragraphs per section: CRLF -> LF, "== Heading ==" lines (any level) end a
/// section and are dropped, every other non-blank line is a paragraph (NFC, trimmed).
std::vector<std::vector<std::string>> wikiSections(std::string_view text);

/// Passages of at most `max_chars` code points (a longer paragraph stands alone), cut at
/// paragraph ends and never across sections; passages shorter than `min_chars` are dropped.
std::vector<std::string> chunkPassages(const std::vector<std::vector<std::string>>& sections,
                                       std::size_t min_chars, std::size_t max_chars);

struct HarvestOptions {
    std::vector<std::string> input_paths;
    std::string titles_path;          ///< plain text: lines equal to a line of this file start an article
    std::string text_field = "text";  ///< JSONL inputs (files ending .jsonl/.json/.jsonl.gz)
    std::string title_field = "title";
    std::string url_field = "url";
    std::string source;   ///< provenance source (default: the input's file name)
    std::string licence;  ///< provenance licence, e.g. CC-BY-SA-3.0
    std::string output_path;
    std::string dropped_path;  ///< side file (default OUT.dropped.jsonl)
    std::set<HarvestTask> tasks = {HarvestTask::Title, HarvestTask::Summary, HarvestTask::Reverse};
    std::string lang = "vi";  ///< language articles and passages must have; empty: no check
    double min_vietnamese_syllable_ratio = 0.5;
    std::size_t min_passage_chars = 200;
    std::size_t max_passage_chars = 1500;
    std::size_t max_passages_per_article = 4;  ///< reverse instructions per article (0: all)
    std::size_t max_article_chars = 6000;      ///< article text shown in title/summary prompts
    std::size_t min_lead_chars = 80;
    std::size_t min_body_chars = 600;  ///< summary: the article without its lead at least this long
    ModelStepOptions model;            ///< reverse instructions only; max_tokens 256 is plenty
};

/// Reads the articles of one input as the options describe it; throws UserError naming
/// FILE:LINE for a bad JSON line or a missing text field.
std::vector<HarvestArticle> readHarvestArticles(const std::string& path, const HarvestOptions& options);

/// The request asking for the instruction that `passage` answers.
net::ChatRequest reverseInstructionRequest(const std::string& passage, const ModelStepOptions& options);

/// The instruction in a model's reply (labels such as "Câu hỏi:" and quotes removed), or the
/// reason it is unusable ("empty", "truncated", "too-long", "refers-to-passage", "lang").
struct ParsedInstruction {
    std::string instruction;
    std::string reason;
};
ParsedInstruction parseReverseInstruction(const std::string& reply, const std::string& finish_reason);

/// Runs the job; returns the summary (articles, records per task, dropped per reason, usage).
nlohmann::ordered_json runHarvest(const HarvestOptions& options);

}  // namespace vietllm::databuild
