// data harvest on the real news and Wikipedia samples: the answers are the human-written text
// itself (the real headline, the real lead, the passage), provenance points at the file and line
// it came from, Wikipedia markup is gone, and reverse instructions come from a local
// OpenAI-compatible server, unusable replies going to the side file with their reasons.

#include "backend/databuild/harvest.h"
#include "tests/common/fake_chat_server.h"
#include "tests/common/test_support.h"
#include "tests/common/text_files.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace vietllm::databuild;
using vietllm::testing::completionBody;
using vietllm::testing::FakeChatServer;
using vietllm::testing::FakeReply;
using vietllm::testing::fileContents;
using vietllm::testing::readJsonLines;

namespace {

std::vector<std::string> fileLines(const QString& path) {
    std::vector<std::string> lines;
    std::ifstream input(path.toStdString());
    std::string line;
    while (std::getline(input, line)) lines.push_back(line);
    return lines;
}

std::vector<std::string> splitOn(const std::string& text, const std::string& separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t at = text.find(separator); at != std::string::npos; at = text.find(separator, start)) {
        parts.push_back(text.substr(start, at - start));
        start = at + separator.size();
    }
    parts.push_back(text.substr(start));
    return parts;
}

// The first words of the passage in a reverse-instruction request.
std::string passageOf(const nlohmann::json& request) {
    const std::string prompt = request["messages"].back()["content"];
    return prompt.substr(prompt.find("Đoạn văn:\n") + std::string("Đoạn văn:\n").size());
}

FakeReply reverseReply(const nlohmann::json& request, int index) {
    const std::vector<std::string> words = splitOn(passageOf(request), " ");
    std::string topic;
    for (std::size_t i = 0; i < words.size() && i < 8; ++i) topic += (i ? " " : "") + words[i];
    FakeReply reply;
    if (index % 7 == 3) {
        reply.body = completionBody("Hãy tóm tắt đoạn văn trên.");
    } else if (index % 7 == 5) {
        reply.body = completionBody("Please describe the history of this place in a few sentences.");
    } else {
        reply.body = completionBody("Câu hỏi: \"Hãy giới thiệu về chủ đề sau: " + topic + "\"");
    }
    return reply;
}

}  // namespace

class TestHarvest : public QObject {
    Q_OBJECT

private slots:
    void wikiMarkupIsCleaned() {
        const auto sections = wikiSections(
            "Mở đầu bài.\r\nCâu thứ hai.\r\n\r\n\r\n== Lịch sử ==\r\n\r\n=== Thời "
            "cổ ===\r\nĐoạn một.\r\n\r\n== Xem thêm ==\r\n");
        QCOMPARE(sections.size(), std::size_t{2});
        QVERIFY(sections[0] == (std::vector<std::string>{"Mở đầu bài.", "Câu thứ hai."}));
        QVERIFY(sections[1] == std::vector<std::string>{"Đoạn một."});
    }

    void passagesEndAtParagraphs() {
        const std::vector<std::vector<std::string>> sections = {
            {std::string(120, 'a'), std::string(100, 'b'), std::string(110, 'c')}, {std::string(50, 'd')}};
        const std::vector<std::string> passages = chunkPassages(sections, 100, 250);
        QCOMPARE(passages.size(), std::size_t{2});
        QCOMPARE(passages[0], std::string(120, 'a') + "\n" + std::string(100, 'b'));
        QCOMPARE(passages[1], std::string(110, 'c'));  // the 50-character section is too short
    }

    void reverseRepliesAreParsed() {
        QCOMPARE(parseReverseInstruction("Câu hỏi: “Vì sao lá cây có màu xanh?”", "stop").instruction,
                 std::string("Vì sao lá cây có màu xanh?"));
        QCOMPARE(parseReverseInstruction("Tóm tắt văn bản trên giúp tôi.", "stop").reason,
                 std::string("refers-to-passage"));
        QCOMPARE(parseReverseInstruction("Vì sao", "length").reason, std::string("truncated"));
        QCOMPARE(parseReverseInstruction("  ", "stop").reason, std::string("empty"));
    }

    void newsTitlesAndLeadsAreTheRealText() {
        VIETLLM_REQUIRE_SAMPLE(full, "text/vi_news_binhvq_demo_full.txt");
        VIETLLM_REQUIRE_SAMPLE(titles, "text/vi_news_binhvq_demo_titles.txt");
        QTemporaryDir dir;
        HarvestOptions options;
        options.input_paths = {full.toStdString()};
        options.titles_path = titles.toStdString();
        options.licence = "UNCLEAR";
        options.output_path = dir.filePath("news.jsonl").toStdString();
        options.tasks = {HarvestTask::Title, HarvestTask::Summary};
        const nlohmann::ordered_json summary = runHarvest(options);
        const std::vector<std::string> lines = fileLines(full);
        const std::vector<nlohmann::json> records = readJsonLines(options.output_path);
        std::size_t title_count = 0;
        std::size_t summary_count = 0;
        for (const nlohmann::json& record : records) {
            const nlohmann::json& harvest = record["metadata"]["harvest"];
            const std::size_t line = harvest["line"];
            const std::string answer = record["messages"][1]["content"];
            const std::string user = record["messages"][0]["content"];
            QCOMPARE(record["provenance"]["licence"].get<std::string>(), std::string("UNCLEAR"));
            QCOMPARE(record["provenance"]["source"].get<std::string>(),
                     std::string("vi_news_binhvq_demo_full.txt"));
            QCOMPARE(harvest["title"].get<std::string>(), lines.at(line - 1));
            if (harvest["task"] == "title") {
                ++title_count;
                QCOMPARE(answer, lines.at(line - 1));  // the real headline
                QVERIFY(user.find(lines.at(line)) !=
                        std::string::npos);  // the article follows the instruction
            } else {
                ++summary_count;
                QCOMPARE(answer, lines.at(line));  // the real lead, the line after the headline
                QVERIFY(user.find(answer) == std::string::npos);
            }
        }
        // 44 headlines start articles in the sample; some articles are too short for a summary.
        QCOMPARE(summary["articles_read"].get<int>(), 44);
        // Counted independently (a script over the sample): every article has a title; 41 have a lead
        // of 80+ characters followed by 600+ characters (and twice the lead).
        QCOMPARE(title_count, std::size_t{44});
        QCOMPARE(summary_count, std::size_t{41});
        QCOMPARE(summary["per_task"]["summary"].get<std::size_t>(), summary_count);
    }

    void wikipediaTitlesLeadsAndReverseInstructions() {
        VIETLLM_REQUIRE_SAMPLE(wiki, "text/vi_wikipedia_150docs.jsonl");
        QTemporaryDir dir;
        // The first 6 articles, so that the fake server sees a few dozen requests.
        const std::string input = dir.filePath("wiki6.jsonl").toStdString();
        std::vector<nlohmann::json> docs;
        {
            std::ifstream source(wiki.toStdString());
            std::ofstream out(input);
            std::string line;
            while (docs.size() < 6 && std::getline(source, line)) {
                out << line << '\n';
                docs.push_back(nlohmann::json::parse(line));
            }
        }
        FakeChatServer server(reverseReply);
        HarvestOptions options;
        options.input_paths = {input};
        options.licence = "CC-BY-SA-3.0";
        options.output_path = dir.filePath("wiki.jsonl").toStdString();
        options.model.client.endpoint = server.endpoint();
        options.model.client.model = "fake";
        options.model.client.cache_path = dir.filePath("cache.sqlite").toStdString();
        options.model.batch_items = 2;
        const nlohmann::ordered_json summary = runHarvest(options);
        const std::vector<nlohmann::json> records = readJsonLines(options.output_path);
        std::map<std::string, std::size_t> per_task;
        for (const nlohmann::json& record : records) {
            const nlohmann::json& harvest = record["metadata"]["harvest"];
            const nlohmann::json& doc = docs.at(harvest["line"].get<std::size_t>() - 1);
            const std::string text = doc["text"];
            const std::string answer = record["messages"][1]["content"];
            const std::string user = record["messages"][0]["content"];
            ++per_task[harvest["task"].get<std::string>()];
            QCOMPARE(harvest["title"].get<std::string>(), doc["title"].get<std::string>());
            QCOMPARE(harvest["licence"].get<std::string>(), std::string("CC-BY-SA-3.0"));
            QVERIFY(user.find('\r') == std::string::npos && answer.find('\r') == std::string::npos);
            QVERIFY(user.find("==") == std::string::npos);
            if (harvest["task"] == "title") {
                QCOMPARE(answer, doc["title"].get<std::string>());
                continue;
            }
            // Summary leads and reverse passages: every paragraph is a line of the real article.
            for (const std::string& paragraph :
                 splitOn(answer, harvest["task"] == "summary" ? "\n\n" : "\n")) {
                QVERIFY2(text.find(paragraph) != std::string::npos, paragraph.c_str());
            }
            if (harvest["task"] == "reverse") {
                QVERIFY(user.rfind("Hãy giới thiệu về chủ đề sau: ", 0) == 0);
                QCOMPARE(harvest["model"].get<std::string>(), std::string("fake"));
            }
        }
        QCOMPARE(per_task["title"], std::size_t{6});
        QVERIFY(per_task["summary"] >= 3);
        QVERIFY(per_task["reverse"] >= 10);
        const std::vector<nlohmann::json> dropped = readJsonLines(options.output_path + ".dropped.jsonl");
        std::set<std::string> reasons;
        for (const nlohmann::json& entry : dropped) reasons.insert(entry["reasons"][0].get<std::string>());
        QVERIFY(reasons.count("refers-to-passage") > 0);
        QVERIFY(reasons.count("lang") > 0);
        QCOMPARE(summary["usage"]["http_requests"].get<int>(), server.requestCount());
        // Every seventh reply (index 3, 10, ...) refers to the passage; only the model's replies can.
        const int requests = server.requestCount();
        QCOMPARE(summary["reasons"]["refers-to-passage"].get<int>(), (requests + 3) / 7);
        QVERIFY(per_task["reverse"] < static_cast<std::size_t>(requests));
        // Run again: the cache answers everything and the output is the same.
        const std::string first = fileContents(options.output_path);
        runHarvest(options);
        QCOMPARE(fileContents(options.output_path), first);
        QCOMPARE(server.requestCount(), summary["usage"]["http_requests"].get<int>());
    }
};

QTEST_GUILESS_MAIN(TestHarvest)
#include "tst_harvest.moc"
