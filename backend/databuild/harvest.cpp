#include "backend/databuild/harvest.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/data/formats.h"
#include "backend/text/langid.h"
#include "backend/text/normalize.h"
#include "backend/text/quality.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

namespace vietllm::databuild {

namespace {

using nlohmann::ordered_json;

// Our own phrasings; one is chosen per record from the seed and the record's id.
const std::vector<std::string> kTitlePhrasings = {
    "Đặt tiêu đề cho bài viết sau.",
    "Hãy viết một tiêu đề ngắn gọn cho bài viết dưới đây.",
    "Bài viết sau nên có tiêu đề gì?",
    "Đọc văn bản sau rồi đề xuất một tiêu đề phù hợp.",
};
const std::vector<std::string> kSummaryPhrasings = {
    "Tóm tắt bài viết sau trong một đoạn văn.",
    "Hãy viết đoạn mở đầu tóm lược nội dung chính của bài viết dưới đây.",
    "Tóm lược ngắn gọn những ý chính của văn bản sau.",
    "Viết một đoạn tóm tắt cho bài viết sau.",
};

constexpr std::size_t kMaxInstructionChars = 600;
constexpr std::size_t kLangMinBytes = 20;

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isJsonLines(const std::string& path) {
    return endsWith(path, ".jsonl") || endsWith(path, ".json") || endsWith(path, ".jsonl.gz") ||
           endsWith(path, ".json.gz");
}

std::string cleanLine(std::string_view line) {
    return trimmed(text::toNfc(line));
}

bool isHeading(const std::string& line) {
    return line.size() >= 4 && line.front() == '=' && line.back() == '=' &&
           line.find_first_not_of('=') != std::string::npos;
}

std::string joinParagraphs(const std::vector<std::string>& paragraphs, std::size_t max_chars) {
    std::string text;
    std::size_t chars = 0;
    for (const std::string& paragraph : paragraphs) {
        const std::size_t size = utf8::codePointCount(paragraph);
        if (!text.empty() && chars + size > max_chars) {
            break;
        }
        text += (text.empty() ? "" : "\n\n") + paragraph;
        chars += size;
    }
    return text;
}

std::vector<std::string> allParagraphs(const HarvestArticle& article) {
    std::vector<std::string> paragraphs;
    for (const std::vector<std::string>& section : article.sections) {
        paragraphs.insert(paragraphs.end(), section.begin(), section.end());
    }
    return paragraphs;
}

std::size_t charCount(const std::vector<std::string>& paragraphs) {
    std::size_t chars = 0;
    for (const std::string& paragraph : paragraphs) {
        chars += utf8::codePointCount(paragraph);
    }
    return chars;
}

std::vector<HarvestArticle> readJsonArticles(const std::string& path, const HarvestOptions& options) {
    std::vector<HarvestArticle> articles;
    forEachJsonObjectLine(path, [&](const nlohmann::ordered_json& value, std::size_t line_number) {
        const auto field = [&](const std::string& name) -> std::string {
            const auto found = value.find(name);
            return found != value.end() && found->is_string() ? found->get<std::string>() : std::string();
        };
        if (!value.contains(options.text_field) || !value[options.text_field].is_string()) {
            throw UserError(
                locatedMessage(path, line_number, "no string field \"" + options.text_field + "\""));
        }
        HarvestArticle article{path, line_number, cleanLine(field(options.title_field)),
                               cleanLine(field(options.url_field)), wikiSections(field(options.text_field))};
        articles.push_back(std::move(article));
    });
    return articles;
}

std::set<std::string> readTitles(const std::string& path) {
    std::ifstream input(path);
    if (!input) {
        throw UserError("--titles " + path + ": cannot open");
    }
    std::set<std::string> titles;
    std::string line;
    while (std::getline(input, line)) {
        if (const std::string title = cleanLine(line); !title.empty()) {
            titles.insert(title);
        }
    }
    return titles;
}

// Plain text: with titles, an article runs from its headline to the next; without, every block
// of lines between blank lines is a document of one paragraph.
std::vector<HarvestArticle> readTextArticles(const std::string& path, const HarvestOptions& options) {
    const std::set<std::string> titles =
        options.titles_path.empty() ? std::set<std::string>() : readTitles(options.titles_path);
    const std::unique_ptr<std::istream> input = data::openInputFile(path);
    std::vector<HarvestArticle> articles;
    std::string line;
    std::size_t line_number = 0;
    bool block_open = false;
    while (std::getline(*input, line)) {
        ++line_number;
        const std::string text = cleanLine(line);
        if (!titles.empty()) {
            if (titles.count(text) > 0) {
                articles.push_back({path, line_number, text, "", {{}}});
            } else if (!text.empty() && !articles.empty()) {
                articles.back().sections.front().push_back(text);
            }
            continue;
        }
        if (text.empty()) {
            block_open = false;
        } else if (block_open) {
            articles.back().sections.front().front() += "\n" + text;
        } else {
            articles.push_back({path, line_number, "", "", {{text}}});
            block_open = true;
        }
    }
    return articles;
}

// Why a text fails the language and quality filters (empty when it passes).
std::vector<std::string> textProblems(const std::string& text, const HarvestOptions& options) {
    std::vector<std::string> reasons;
    if (!options.lang.empty() && text.size() >= kLangMinBytes) {
        const text::LanguageGuess guess = text::identifyLanguage(text);
        if (guess.lang != options.lang && guess.lang != "und") {
            reasons.push_back("lang");
        }
    }
    if (options.lang == "vi" && options.min_vietnamese_syllable_ratio > 0) {
        const text::QualitySignals quality = text::computeQuality(text);
        if (quality.words >= 5 && quality.vietnamese_syllable_ratio < options.min_vietnamese_syllable_ratio) {
            reasons.push_back("vietnamese-syllable-ratio");
        }
    }
    return reasons;
}

std::string fileName(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

// One record to write, or a passage waiting for its instruction.
struct PlannedItem {
    HarvestTask task = HarvestTask::Invalid;
    const HarvestArticle* article = nullptr;
    std::string id;
    std::string user;
    std::string answer;
    std::size_t phrasing = 0;
    std::size_t passage = 0;
    std::optional<std::size_t> request_index;
};

PlannedItem plannedItem(HarvestTask task, const HarvestArticle* article, std::string id) {
    PlannedItem item;
    item.task = task;
    item.article = article;
    item.id = std::move(id);
    return item;
}

class HarvestRun {
public:
    explicit HarvestRun(const HarvestOptions& options)
        : m_options(options),
          m_output(options.output_path, data::Format::Messages),
          m_dropped(options.dropped_path.empty() ? options.output_path + ".dropped.jsonl"
                                                 : options.dropped_path) {
        if (m_options.tasks.count(HarvestTask::Reverse) > 0) {
            m_client = std::make_unique<net::ChatClient>(options.model.client);
        }
    }

    ordered_json run() {
        for (const std::string& path : m_options.input_paths) {
            const std::vector<HarvestArticle> articles = readHarvestArticles(path, m_options);
            m_articles += articles.size();
            std::vector<const HarvestArticle*> batch;
            for (const HarvestArticle& article : articles) {
                if (!inHashShard(fileName(article.file) + ":" + std::to_string(article.line),
                                 m_options.model.shard)) {
                    continue;
                }
                batch.push_back(&article);
                if (batch.size() >= m_options.model.batch_items) {
                    runBatch(batch);
                    batch.clear();
                }
            }
            runBatch(batch);
        }
        m_output.commit();
        m_dropped.commit();
        return summary();
    }

private:
    void runBatch(const std::vector<const HarvestArticle*>& articles) {
        if (articles.empty()) {
            return;
        }
        throwIfCancelled(m_options.model);
        std::vector<PlannedItem> items;
        std::vector<net::ChatRequest> requests;
        for (const HarvestArticle* article : articles) {
            planArticle(*article, items, requests);
        }
        std::vector<net::ChatResult> results(requests.size());
        if (!requests.empty()) {
            m_client->completeAll(requests, [&](std::size_t index, net::ChatResult&& result) {
                results[index] = std::move(result);
            });
        }
        for (PlannedItem& item : items) {
            if (item.request_index) {
                const net::ChatResult& result = results[*item.request_index];
                requireAvailable(result, *m_client);
                const ParsedInstruction parsed =
                    result.status == net::ChatStatus::Ok
                        ? parseReverseInstruction(result.content, result.finish_reason)
                        : ParsedInstruction{{}, "endpoint-rejected"};
                if (!parsed.reason.empty()) {
                    drop(item, {parsed.reason}, result.content.empty() ? result.error : result.content);
                    continue;
                }
                item.user = parsed.instruction;
            }
            write(item);
        }
        m_done += articles.size();
        report();
    }

    void planArticle(const HarvestArticle& article, std::vector<PlannedItem>& items,
                     std::vector<net::ChatRequest>& requests) {
        const std::vector<std::string> paragraphs = allParagraphs(article);
        const std::string base = fileName(article.file) + ":" + std::to_string(article.line);
        const std::string text = joinParagraphs(paragraphs, m_options.max_article_chars);
        if (paragraphs.empty()) {
            return;
        }
        if (const std::vector<std::string> reasons = textProblems(text, m_options); !reasons.empty()) {
            drop(plannedItem(HarvestTask::Invalid, &article, base), reasons, shortened(text, 300));
            return;
        }
        if (m_options.tasks.count(HarvestTask::Title) > 0 && !article.title.empty() &&
            charCount(paragraphs) >= m_options.min_lead_chars) {
            PlannedItem item = plannedItem(HarvestTask::Title, &article, base + ":title");
            item.phrasing = seededHash(m_options.model.seed, item.id) % kTitlePhrasings.size();
            item.user = kTitlePhrasings[item.phrasing] + "\n\n" + text;
            item.answer = article.title;
            items.push_back(std::move(item));
        }
        if (m_options.tasks.count(HarvestTask::Summary) > 0) {
            planSummary(article, base, items);
        }
        if (m_options.tasks.count(HarvestTask::Reverse) > 0) {
            planReverse(article, base, items, requests);
        }
    }

    // The lead: the lead section when the article has sections, else its first paragraph.
    void planSummary(const HarvestArticle& article, const std::string& base,
                     std::vector<PlannedItem>& items) {
        std::vector<std::string> lead_paragraphs;
        std::vector<std::string> body;
        if (article.sections.size() > 1) {
            lead_paragraphs = article.sections.front();
            for (std::size_t i = 1; i < article.sections.size(); ++i) {
                body.insert(body.end(), article.sections[i].begin(), article.sections[i].end());
            }
        } else if (!article.sections.empty() && !article.sections.front().empty()) {
            lead_paragraphs.push_back(article.sections.front().front());
            body.assign(article.sections.front().begin() + 1, article.sections.front().end());
        }
        const std::size_t lead_chars = charCount(lead_paragraphs);
        const std::size_t body_chars = charCount(body);
        if (lead_chars < m_options.min_lead_chars || lead_chars > m_options.max_passage_chars ||
            body_chars < m_options.min_body_chars || body_chars < 2 * lead_chars) {
            return;
        }
        PlannedItem item = plannedItem(HarvestTask::Summary, &article, base + ":summary");
        item.phrasing = seededHash(m_options.model.seed, item.id) % kSummaryPhrasings.size();
        item.user =
            kSummaryPhrasings[item.phrasing] + "\n\n" + joinParagraphs(body, m_options.max_article_chars);
        item.answer = joinParagraphs(lead_paragraphs, m_options.max_passage_chars);
        items.push_back(std::move(item));
    }

    void planReverse(const HarvestArticle& article, const std::string& base, std::vector<PlannedItem>& items,
                     std::vector<net::ChatRequest>& requests) {
        const std::vector<std::string> passages =
            chunkPassages(article.sections, m_options.min_passage_chars, m_options.max_passage_chars);
        std::size_t planned = 0;
        for (std::size_t k = 0; k < passages.size(); ++k) {
            if (m_options.max_passages_per_article > 0 && planned >= m_options.max_passages_per_article) {
                break;
            }
            PlannedItem item =
                plannedItem(HarvestTask::Reverse, &article, base + ":reverse:" + std::to_string(k));
            item.passage = k;
            item.answer = passages[k];
            if (const std::vector<std::string> reasons = textProblems(passages[k], m_options);
                !reasons.empty()) {
                drop(item, reasons, shortened(passages[k], 300));
                continue;
            }
            item.request_index = requests.size();
            requests.push_back(reverseInstructionRequest(passages[k], m_options.model));
            items.push_back(std::move(item));
            ++planned;
        }
    }

    void write(const PlannedItem& item) {
        data::Conversation conversation;
        conversation.messages = {{data::Role::User, item.user}, {data::Role::Assistant, item.answer}};
        conversation.provenance.source =
            m_options.source.empty() ? fileName(item.article->file) : m_options.source;
        conversation.provenance.licence = m_options.licence;
        conversation.provenance.original_id = item.id;
        conversation.provenance.transformations = {std::string("harvest:") + harvestTaskName(item.task)};
        nlohmann::json harvest = {
            {"task", harvestTaskName(item.task)}, {"file", item.article->file}, {"line", item.article->line}};
        if (!item.article->title.empty()) harvest["title"] = item.article->title;
        if (!item.article->url.empty()) harvest["url"] = item.article->url;
        if (!m_options.licence.empty()) harvest["licence"] = m_options.licence;
        if (item.task == HarvestTask::Reverse) {
            harvest["passage"] = item.passage;
            harvest["model"] = m_options.model.client.model;
        } else {
            harvest["phrasing"] = item.phrasing;
        }
        conversation.metadata["harvest"] = std::move(harvest);
        m_output.write(conversation);
        ++m_per_task[harvestTaskName(item.task)];
    }

    void drop(const PlannedItem& item, const std::vector<std::string>& reasons, const std::string& detail) {
        for (const std::string& reason : reasons) {
            ++m_reasons[reason];
        }
        m_dropped.write(eliminatedEntry(
            item.id, reasons, detail,
            {{"file", item.article->file},
             {"line", item.article->line},
             {"task", item.task == HarvestTask::Invalid ? "article" : harvestTaskName(item.task)}}));
    }

    void report() const {
        if (!m_options.model.on_progress) {
            return;
        }
        GenerationProgress progress;
        progress.stage = "articles";
        progress.done = m_done;
        progress.written = m_output.count();
        progress.eliminated = m_dropped.count();
        progress.usage = m_client ? m_client->totals() : net::UsageTotals{};
        m_options.model.on_progress(progress);
    }

    ordered_json summary() const {
        ordered_json per_task = ordered_json::object();
        for (const auto& [task, count] : m_per_task) per_task[task] = count;
        ordered_json reasons = ordered_json::object();
        for (const auto& [reason, count] : m_reasons) reasons[reason] = count;
        ordered_json tasks = ordered_json::array();
        for (const HarvestTask task : m_options.tasks) tasks.push_back(harvestTaskName(task));
        return {{"step", "harvest"},
                {"articles_read", m_articles},
                {"articles_in_shard", m_done},
                {"kept", m_output.count()},
                {"per_task", per_task},
                {"dropped", m_dropped.count()},
                {"reasons", reasons},
                {"usage", usageJson(m_client ? m_client->totals() : net::UsageTotals{})},
                {"options",
                 {{"tasks", tasks},
                  {"licence", m_options.licence},
                  {"lang", m_options.lang},
                  {"min_passage_chars", m_options.min_passage_chars},
                  {"max_passage_chars", m_options.max_passage_chars},
                  {"max_passages_per_article", m_options.max_passages_per_article},
                  {"seed", m_options.model.seed},
                  {"shard", std::to_string(m_options.model.shard.index) + "/" +
                                std::to_string(m_options.model.shard.count)}}}};
    }

    const HarvestOptions& m_options;
    RecordOutput m_output;
    JsonLinesOutput m_dropped;
    std::unique_ptr<net::ChatClient> m_client;
    std::size_t m_articles = 0;
    std::size_t m_done = 0;
    std::map<std::string, std::size_t> m_per_task;
    std::map<std::string, std::size_t> m_reasons;
};

}  // namespace

HarvestTask parseHarvestTask(std::string_view name) {
    if (name == "title") return HarvestTask::Title;
    if (name == "summary") return HarvestTask::Summary;
    if (name == "reverse") return HarvestTask::Reverse;
    return HarvestTask::Invalid;
}

const char* harvestTaskName(HarvestTask task) {
    switch (task) {
        case HarvestTask::Title:
            return "title";
        case HarvestTask::Summary:
            return "summary";
        case HarvestTask::Reverse:
            return "reverse";
        case HarvestTask::Invalid:
            break;
    }
    return "invalid";
}

std::vector<std::vector<std::string>> wikiSections(std::string_view text) {
    std::vector<std::vector<std::string>> sections(1);
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string line = cleanLine(text.substr(start, end - start));
        if (isHeading(line)) {
            if (!sections.back().empty()) {
                sections.emplace_back();
            }
        } else if (!line.empty()) {
            sections.back().push_back(line);
        }
        start = end + 1;
    }
    if (sections.back().empty() && sections.size() > 1) {
        sections.pop_back();
    }
    return sections;
}

std::vector<std::string> chunkPassages(const std::vector<std::vector<std::string>>& sections,
                                       std::size_t min_chars, std::size_t max_chars) {
    std::vector<std::string> passages;
    for (const std::vector<std::string>& section : sections) {
        std::string passage;
        std::size_t chars = 0;
        const auto flush = [&] {
            if (!passage.empty() && chars >= min_chars) {
                passages.push_back(passage);
            }
            passage.clear();
            chars = 0;
        };
        for (const std::string& paragraph : section) {
            const std::size_t size = utf8::codePointCount(paragraph);
            if (!passage.empty() && chars + size > max_chars) {
                flush();
            }
            passage += (passage.empty() ? "" : "\n") + paragraph;
            chars += size;
        }
        flush();
    }
    return passages;
}

std::vector<HarvestArticle> readHarvestArticles(const std::string& path, const HarvestOptions& options) {
    if (!std::filesystem::exists(path)) {
        throw UserError(path + ": no such file");
    }
    return isJsonLines(path) ? readJsonArticles(path, options) : readTextArticles(path, options);
}

net::ChatRequest reverseInstructionRequest(const std::string& passage, const ModelStepOptions& options) {
    return stepRequest(
        {{"system", "Bạn giúp xây dựng dữ liệu huấn luyện tiếng Việt. Chỉ trả lời bằng tiếng Việt."},
         {"user",
          "Dưới đây là một đoạn văn do con người viết. Hãy viết một yêu cầu hoặc câu hỏi bằng tiếng Việt mà "
          "đoạn văn này là câu trả lời tốt cho nó. Người đọc yêu cầu sẽ không nhìn thấy đoạn văn, nên đừng "
          "nhắc tới \"đoạn văn\" hay \"văn bản trên\". Chỉ viết đúng yêu cầu đó, không giải thích.\n\n"
          "Đoạn văn:\n" +
              passage}},
        options);
}

ParsedInstruction parseReverseInstruction(const std::string& reply, const std::string& finish_reason) {
    if (finish_reason == "length") {
        return {{}, "truncated"};
    }
    std::string text = trimmed(text::toNfc(reply));
    for (const char* label :
         {"Yêu cầu:", "Câu hỏi:", "Instruction:", "Question:", "**Yêu cầu:**", "**Câu hỏi:**"}) {
        const std::string prefix(label);
        if (text.compare(0, prefix.size(), prefix) == 0) {
            text = trimmed(text.substr(prefix.size()));
        }
    }
    for (const auto& [open, close] :
         std::vector<std::pair<std::string, std::string>>{{"\"", "\""}, {"“", "”"}, {"«", "»"}, {"'", "'"}}) {
        if (text.size() > open.size() + close.size() && text.compare(0, open.size(), open) == 0 &&
            endsWith(text, close)) {
            text = trimmed(text.substr(open.size(), text.size() - open.size() - close.size()));
        }
    }
    if (text.empty()) {
        return {{}, "empty"};
    }
    if (utf8::codePointCount(text) > kMaxInstructionChars) {
        return {{}, "too-long"};
    }
    const std::string folded = text::stripDiacritics(text);
    std::string lower = folded;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find("doan van") != std::string::npos || lower.find("van ban tren") != std::string::npos) {
        return {{}, "refers-to-passage"};
    }
    if (text.size() >= kLangMinBytes) {
        const text::LanguageGuess guess = text::identifyLanguage(text);
        if (guess.lang != "vi" && guess.lang != "und") {
            return {{}, "lang"};
        }
    }
    return {text, {}};
}

nlohmann::ordered_json runHarvest(const HarvestOptions& options) {
    if (options.input_paths.empty() || options.output_path.empty()) {
        throw UserError("data harvest needs IN... and OUT");
    }
    if (options.tasks.empty()) {
        throw UserError("--tasks: no task chosen (title, summary, reverse)");
    }
    HarvestRun run(options);
    return run.run();
}

}  // namespace vietllm::databuild
