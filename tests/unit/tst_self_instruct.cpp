// ROUGE-L over Vietnamese syllables (hand-computed cases, diacritics kept), the parsing and
// filters of Self-Instruct, and self-instruct and evol-instruct end to end against a local
// OpenAI-compatible server: every elimination reason lands in the side file, and a second run is
// answered by the response cache alone.

#include "backend/common/errors.h"
#include "backend/databuild/evol_instruct.h"
#include "backend/databuild/rouge.h"
#include "backend/databuild/self_instruct.h"
#include "tests/common/fake_chat_server.h"
#include "tests/common/text_files.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
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
using vietllm::testing::writeText;

namespace {

std::map<std::string, int> reasonCounts(const std::vector<nlohmann::json>& entries) {
    std::map<std::string, int> counts;
    for (const nlohmann::json& entry : entries) {
        for (const nlohmann::json& reason : entry["reasons"]) ++counts[reason.get<std::string>()];
    }
    return counts;
}

const std::vector<std::string> kSeeds = {
    "Hãy giải thích vì sao bầu trời có màu xanh vào ban ngày.",
    "Liệt kê năm món ăn đặc sản của miền Trung Việt Nam.",
    "Viết một lời chúc mừng sinh nhật ngắn gọn cho đồng nghiệp.",
    "Tóm tắt đoạn văn sau trong hai câu.",
    "Phân loại các con vật sau thành động vật có vú và bò sát.",
    "Đề xuất ba cách tiết kiệm điện trong gia đình.",
    "So sánh ưu và nhược điểm của làm việc tại nhà.",
    "Dịch câu tục ngữ sau sang tiếng Anh và giải thích ý nghĩa.",
    "Ước tính thời gian cần để đi bộ mười cây số.",
    "Sửa lỗi chính tả trong câu sau.",
};

// New instructions a fake model proposes, all different from each other and from the seeds.
const std::vector<std::string> kNovel = {
    "Lập kế hoạch ôn thi học kỳ trong hai tuần cho học sinh lớp mười.",
    "Kể tên bốn loại nhạc cụ dân tộc và mô tả âm sắc của từng loại.",
    "Đưa ra lời khuyên cho người mới bắt đầu chạy bộ buổi sáng.",
    "Ước lượng chi phí một chuyến du lịch Đà Lạt ba ngày cho hai người.",
    "Giải bài toán: một bể nước chảy vào mỗi giờ hai trăm lít, bao lâu thì đầy bể nghìn lít?",
    "Ưu tiên những việc nào khi dọn nhà đón Tết, sắp xếp theo thứ tự quan trọng.",
    "Ông bà thường dạy con cháu điều gì qua câu ca dao về lòng hiếu thảo?",
    "Soạn email xin nghỉ phép một ngày gửi trưởng phòng với lý do việc gia đình.",
    "Phân tích nguyên nhân khiến giá rau tăng mạnh sau mùa mưa bão.",
    "Nêu các bước sơ cứu khi bị bỏng nước sôi ở mức độ nhẹ.",
    "Tạo câu đố vui về loài mèo dành cho trẻ mẫu giáo.",
    "Chuyển câu chủ động sau thành câu bị động mà vẫn giữ nghĩa.",
};

FakeReply selfInstructReply(const nlohmann::json& request, int index) {
    const std::string prompt = request["messages"].back()["content"].get<std::string>();
    FakeReply reply;
    if (prompt.find("Nhiệm vụ: ") != std::string::npos) {
        const std::string task = prompt.substr(prompt.find("Nhiệm vụ: ") + std::string("Nhiệm vụ: ").size());
        reply.body =
            task.find("câu đố") != std::string::npos
                ? completionBody("Đầu vào: Không có\nĐầu ra:")
                : completionBody("Đầu vào: Không có\nĐầu ra: Đây là một câu trả lời đầy đủ cho nhiệm vụ.");
        return reply;
    }
    // Two new tasks per request, in turn, and one candidate of each kind to reject.
    const std::size_t start = static_cast<std::size_t>(index) * 2 % kNovel.size();
    std::string list = "Sau đây là các nhiệm vụ mới:\n";
    int number = 9;
    for (std::size_t k = 0; k < 2; ++k) {
        list += std::to_string(number++) + ". " + kNovel[(start + k) % kNovel.size()] + "\n";
    }
    list += std::to_string(number++) + ". Hãy giải thích vì sao bầu trời có màu xanh vào buổi sáng.\n";
    list += std::to_string(number++) + ") Vẽ một bức tranh về cánh đồng lúa chín.\n";
    list += std::to_string(number++) + ". Dịch câu.\n";
    list += "**" + std::to_string(number++) + ".** Hãy mô tả hình ảnh sau bằng ba câu\nthật sinh động.\n";
    list += std::to_string(number++) + ". " + kNovel[start] + "\n";
    reply.body = completionBody(list);
    return reply;
}

// The instruction between the markers of an evolution prompt.
std::string evolvedFrom(const std::string& prompt) {
    const std::string open = "#Đề bài gốc#:\n";
    const std::size_t begin = prompt.rfind(open) + open.size();
    return prompt.substr(begin, prompt.find("\n\n#Đề bài mới#", begin) - begin);
}

FakeReply evolReply(const nlohmann::json& request) {
    const std::string prompt = request["messages"].back()["content"].get<std::string>();
    FakeReply reply;
    if (prompt.find("#Đề bài gốc#:") != std::string::npos) {
        const std::string parent = evolvedFrom(prompt);
        std::string evolved;
        if (parent.find("thơ") != std::string::npos) {
            evolved = "#Đề bài mới#: " + parent + " Viết theo thể lục bát.";
        } else if (parent.find("Thủ đô") != std::string::npos) {
            evolved = parent;
        } else if (prompt.find("Cách viết lại:") == std::string::npos) {
            evolved = "Hãy kể về lịch sử nghề làm nón lá ở Huế, rồi liên hệ với câu hỏi: " + parent;
        } else {
            evolved = parent + " Trả lời trong đúng " + std::to_string(3 + prompt.size() % 5) +
                      " câu, kèm một ví dụ cụ thể về " +
                      (prompt.find("ràng buộc") != std::string::npos ? "gia đình" : "trường học") + ".";
        }
        reply.body = completionBody(evolved);
        return reply;
    }
    if (prompt.find("lượng tử") != std::string::npos) {
        reply.body = completionBody("Xin lỗi, tôi không thể trả lời câu hỏi này.");
    } else if (prompt.find("màu sắc") != std::string::npos) {
        reply.body = completionBody("Vâng, và là.");
    } else {
        reply.body = completionBody(
            "Đây là câu trả lời chi tiết: trước hết cần hiểu rõ yêu cầu, sau đó trình bày từng ý theo thứ "
            "tự, "
            "cuối cùng đưa ra một ví dụ cụ thể để người đọc dễ hình dung.");
    }
    return reply;
}

}  // namespace

class TestSelfInstruct : public QObject {
    Q_OBJECT

private slots:
    void rougeTokensKeepDiacritics() {
        const std::vector<std::string> expected = {"điều", "hòa", "nhiệt", "độ", "25"};
        QVERIFY(rougeTokens("Điều HÒA, nhiệt-độ: 25!") == expected);
        // NFD input gives the same syllables as NFC.
        QVERIFY(rougeTokens("ho\xcc\x80"
                            "a") == std::vector<std::string>{"hòa"});
    }

    void rougeHandComputed() {
        // hòa/hoa differ only by a tone mark: one syllable of two shared, F = 2*1/(2+2).
        QCOMPARE(rougeL(std::string_view("hòa bình"), std::string_view("hoa bình")), 0.5);
        // Điều/Đều differ by one vowel: nothing shared.
        QCOMPARE(rougeL(std::string_view("Điều"), std::string_view("Đều")), 0.0);
        // LCS "viết một bài thơ về mùa" = 6 of 8 and 7 syllables: 12/15.
        QCOMPARE(rougeL(std::string_view("Hãy viết một bài thơ về mùa thu"),
                        std::string_view("Viết một bài thơ về mùa xuân")),
                 0.8);
        // Order matters: "hà nội" is the longest common subsequence, 2*2/(4+4).
        QCOMPARE(rougeL(std::string_view("tôi yêu Hà Nội"), std::string_view("Hà Nội yêu tôi")), 0.5);
        QCOMPARE(rougeL(std::string_view("Xin chào"), std::string_view("xin CHÀO!")), 1.0);
        QCOMPARE(rougeL(std::string_view(""), std::string_view("")), 0.0);
        QCOMPARE(
            longestCommonSubsequence({"a", "b", "c", "b", "d", "a", "b"}, {"b", "d", "c", "a", "b", "a"}),
            std::size_t{4});
    }

    void rougeIndexIsExactAndPrunes() {
        RougeIndex index(0.7);
        for (const std::string& seed : kSeeds) index.add(rougeTokens(seed));
        double score = 0;
        QCOMPARE(index.findSimilar(rougeTokens("Hãy giải thích vì sao bầu trời có màu xanh vào buổi sáng."),
                                   &score),
                 0LL);
        QVERIFY(score >= 0.7 && score < 1.0);
        const std::size_t before = index.lcsComputations();
        QCOMPARE(index.findSimilar(rougeTokens("Mô tả quy trình sản xuất nước mắm truyền thống.")), -1LL);
        // Shares too few syllables with every seed for the bound to reach 0.7: no LCS computed.
        QCOMPARE(index.lcsComputations(), before);
        // Brute force agrees on every seed pair.
        for (const std::string& a : kSeeds) {
            for (const std::string& b : kNovel) {
                RougeIndex single(0.7);
                single.add(rougeTokens(a));
                QCOMPARE(single.findSimilar(rougeTokens(b)) >= 0, rougeL(a, b) >= 0.7);
            }
        }
    }

    void numberedListsParse() {
        const std::vector<std::string> items = parseNumberedList(
            "Sau đây là các nhiệm vụ:\n9. Giải thích hiện tượng nhật thực.\n10) Liệt kê các tỉnh miền "
            "Tây\nvà "
            "đặc sản của từng tỉnh.\n\n**11.** Viết một bài thơ ngắn.\nNhiệm vụ 12: Đặt tên cho quán cà "
            "phê.\n\n"
            "Ghi chú: dòng sau một dòng trống không thuộc nhiệm vụ nào.");
        const std::vector<std::string> expected = {"Giải thích hiện tượng nhật thực.",
                                                   "Liệt kê các tỉnh miền Tây và đặc sản của từng tỉnh.",
                                                   "Viết một bài thơ ngắn.", "Đặt tên cho quán cà phê."};
        QVERIFY(items == expected);
    }

    void instructionFilters() {
        QCOMPARE(instructionProblem("Đặt tên cho năm quán cà phê ở phố cổ.", 4, 150), std::string());
        QCOMPARE(instructionProblem("Ước tính dân số Hà Nội năm 2030.", 4, 150), std::string());
        QCOMPARE(instructionProblem("Phân tích ảnh hưởng của mưa axit tới cây trồng.", 4, 150),
                 std::string());
        QCOMPARE(instructionProblem("Vẽ một bức tranh về mùa thu Hà Nội.", 4, 150), std::string("blacklist"));
        QCOMPARE(instructionProblem("Hãy mô tả hình ảnh sau bằng ba câu.", 4, 150), std::string("blacklist"));
        QCOMPARE(instructionProblem("Mở tệp dữ liệu và đếm số dòng.", 4, 150), std::string("blacklist"));
        QCOMPARE(instructionProblem("“Hãy kể một câu chuyện cười.”", 4, 150),
                 std::string("starts-with-punctuation"));
        QCOMPARE(instructionProblem("Viết chương trình Python tính giai thừa.", 4, 150),
                 std::string("program"));
        QCOMPARE(instructionProblem("Dịch câu.", 4, 150), std::string("too-short"));
        QCOMPARE(instructionProblem("Write a short poem about the autumn rain in the city.", 4, 150),
                 std::string("lang"));
    }

    void instancesParse() {
        const SeedTask task = parseInstance("Sắp xếp các số", "Đầu vào: 3, 1, 2\nĐầu ra: 1, 2, 3");
        QCOMPARE(task.input, std::string("3, 1, 2"));
        QCOMPARE(task.output, std::string("1, 2, 3"));
        const SeedTask none = parseInstance("Kể chuyện", "Đầu vào: Không có\nĐầu ra: Ngày xửa ngày xưa...");
        QVERIFY(none.input.empty());
        QCOMPARE(none.output, std::string("Ngày xửa ngày xưa..."));
    }

    void selfInstructEndToEnd() {
        QTemporaryDir dir;
        const std::string seeds = dir.filePath("seeds.jsonl").toStdString();
        std::string seed_lines;
        for (std::size_t i = 0; i < kSeeds.size(); ++i) {
            seed_lines +=
                nlohmann::json({{"id", i},
                                {"instruction", kSeeds[i]},
                                {"instances", {{{"input", ""}, {"output", "Một câu trả lời mẫu."}}}}})
                    .dump() +
                "\n";
        }
        writeText(seeds, seed_lines);
        FakeChatServer server(
            [](const nlohmann::json& request, int index) { return selfInstructReply(request, index); });
        SelfInstructOptions options;
        options.seed_path = seeds;
        options.output_path = dir.filePath("out.jsonl").toStdString();
        options.count = kNovel.size();
        options.max_requests = 12;
        options.model.client.endpoint = server.endpoint();
        options.model.client.model = "fake";
        options.model.client.cache_path = dir.filePath("cache.sqlite").toStdString();
        options.model.client.concurrency = 3;
        options.model.client.initial_backoff_ms = 1;
        const nlohmann::ordered_json summary = runSelfInstruct(options);
        QCOMPARE(summary["instructions_kept"].get<std::size_t>(), kNovel.size());
        QCOMPARE(summary["generation_requests"].get<int>(), 8);  // two batches of four
        const std::vector<nlohmann::json> records = readJsonLines(options.output_path);
        QCOMPARE(records.size(), kNovel.size() - 1);  // the riddle's output is empty
        std::set<std::string> users;
        for (const nlohmann::json& record : records) {
            const std::string user = record["messages"][0]["content"];
            QVERIFY(users.insert(user).second);
            QVERIFY(std::find(kNovel.begin(), kNovel.end(), user) != kNovel.end());
            QCOMPARE(record["messages"][1]["content"].get<std::string>(),
                     std::string("Đây là một câu trả lời đầy đủ cho nhiệm vụ."));
            QCOMPARE(record["provenance"]["source"].get<std::string>(), std::string("self-instruct"));
        }
        const std::map<std::string, int> reasons =
            reasonCounts(readJsonLines(options.output_path + ".eliminated.jsonl"));
        for (const char* reason : {"similar", "blacklist", "too-short", "duplicate", "empty-output"}) {
            QVERIFY2(reasons.count(reason) > 0, reason);
        }
        QCOMPARE(reasons.at("empty-output"), 1);
        // Generation prompts show 8 numbered examples; once there are machine tasks, 2 of them.
        const std::vector<nlohmann::json> requests = server.requests();
        bool saw_machine_example = false;
        for (const nlohmann::json& request : requests) {
            const std::string prompt = request["messages"].back()["content"];
            if (prompt.find("Nhiệm vụ: ") != std::string::npos) continue;
            QVERIFY(prompt.find("\n8. ") != std::string::npos && prompt.find("\n9. ") == std::string::npos);
            for (const std::string& novel : kNovel)
                saw_machine_example |= prompt.find(". " + novel) != std::string::npos;
        }
        QVERIFY(saw_machine_example);
        // A second run sends nothing and writes the same bytes.
        const std::string first = fileContents(options.output_path);
        const int sent = server.requestCount();
        const nlohmann::ordered_json again = runSelfInstruct(options);
        QCOMPARE(server.requestCount(), sent);
        QCOMPARE(again["usage"]["http_requests"].get<int>(), 0);
        QCOMPARE(fileContents(options.output_path), first);
    }

    void shardsSplitOnePool() {
        QTemporaryDir dir;
        const std::string seeds = dir.filePath("seeds.jsonl").toStdString();
        std::string seed_lines;
        for (const std::string& seed : kSeeds)
            seed_lines += nlohmann::json({{"instruction", seed}}).dump() + "\n";
        writeText(seeds, seed_lines);
        FakeChatServer server(
            [](const nlohmann::json& request, int index) { return selfInstructReply(request, index); });
        const auto optionsFor = [&](const std::string& out, const std::string& pool, std::size_t shard) {
            SelfInstructOptions options;
            options.seed_path = seeds;
            options.output_path = dir.filePath(QString::fromStdString(out)).toStdString();
            options.pool_path = dir.filePath(QString::fromStdString(pool)).toStdString();
            options.count = kNovel.size();
            options.max_requests = 12;
            options.model.client.endpoint = server.endpoint();
            options.model.client.model = "fake";
            options.model.client.cache_path = options.output_path + ".cache.sqlite";
            options.model.client.initial_backoff_ms = 1;
            options.model.shard = {shard, 3};
            return options;
        };
        const auto sortedLines = [](const std::vector<std::string>& paths) {
            std::vector<std::string> lines;
            for (const std::string& path : paths) {
                for (const nlohmann::json& line : readJsonLines(path)) lines.push_back(line.dump());
            }
            std::sort(lines.begin(), lines.end());
            return lines;
        };
        // The unsharded run writes the pool; three shards reuse it and split the instance calls.
        SelfInstructOptions whole = optionsFor("whole.jsonl", "pool.jsonl", 0);
        whole.model.shard = {};
        QVERIFY(!runSelfInstruct(whole)["pool_reused"].get<bool>());
        const int after_whole = server.requestCount();
        std::vector<std::string> outs;
        std::vector<std::string> eliminated;
        for (std::size_t k = 0; k < 3; ++k) {
            const SelfInstructOptions shard =
                optionsFor("shard" + std::to_string(k) + ".jsonl", "pool.jsonl", k);
            const nlohmann::ordered_json summary = runSelfInstruct(shard);
            QVERIFY(summary["pool_reused"].get<bool>());
            QVERIFY(summary["kept"].get<std::size_t>() < kNovel.size() - 1);  // a share, not all
            outs.push_back(shard.output_path);
            eliminated.push_back(shard.output_path + ".eliminated.jsonl");
        }
        QCOMPARE(server.requestCount() - after_whole, static_cast<int>(kNovel.size()));  // instances only
        QCOMPARE(sortedLines(outs), sortedLines({whole.output_path}));
        QCOMPARE(sortedLines(eliminated), sortedLines({whole.output_path + ".eliminated.jsonl"}));
        QCOMPARE(readJsonLines(whole.output_path).size(), kNovel.size() - 1);

        // Without a pool, the first shard makes it and the others split that same pool.
        for (std::size_t k = 0; k < 3; ++k) {
            const SelfInstructOptions shard =
                optionsFor("new" + std::to_string(k) + ".jsonl", "new-pool.jsonl", k);
            QCOMPARE(runSelfInstruct(shard)["pool_reused"].get<bool>(), k > 0);
        }
        SelfInstructOptions reference = optionsFor("new-whole.jsonl", "new-pool.jsonl", 0);
        reference.model.shard = {};
        runSelfInstruct(reference);
        QCOMPARE(
            sortedLines({dir.filePath("new0.jsonl").toStdString(), dir.filePath("new1.jsonl").toStdString(),
                         dir.filePath("new2.jsonl").toStdString()}),
            sortedLines({reference.output_path}));

        // A shard re-run is answered by its cache; a shard without a pool and a pool made with other
        // settings are refused.
        const int sent = server.requestCount();
        QCOMPARE(
            runSelfInstruct(optionsFor("shard1.jsonl", "pool.jsonl", 1))["usage"]["http_requests"].get<int>(),
            0);
        QCOMPARE(server.requestCount(), sent);
        SelfInstructOptions no_pool = optionsFor("x.jsonl", "pool.jsonl", 1);
        no_pool.pool_path.clear();
        QVERIFY_THROWS_EXCEPTION(vietllm::UserError, runSelfInstruct(no_pool));
        SelfInstructOptions other = optionsFor("y.jsonl", "pool.jsonl", 1);
        other.rouge_threshold = 0.5;
        QVERIFY_THROWS_EXCEPTION(vietllm::UserError, runSelfInstruct(other));
    }

    void evolInstructEndToEnd() {
        QTemporaryDir dir;
        const std::string input = dir.filePath("in.jsonl").toStdString();
        const std::vector<std::string> instructions = {
            "Giải thích cách nấu phở bò tại nhà.", "Viết một bài thơ về mùa thu.",
            "Thủ đô của Việt Nam là gì?",          "Trình bày khái niệm máy tính lượng tử.",
            "Kể tên các màu sắc của cầu vồng.",    "Nêu lợi ích của việc đọc sách mỗi ngày."};
        std::string lines;
        for (std::size_t i = 0; i < instructions.size(); ++i) {
            lines += nlohmann::json(
                         {{"messages", {{{"role", "user"}, {"content", instructions[i]}}}},
                          {"provenance", {{"source", "test"}, {"original_id", "q" + std::to_string(i)}}}})
                         .dump() +
                     "\n";
        }
        writeText(input, lines);
        FakeChatServer server([](const nlohmann::json& request, int) { return evolReply(request); });
        EvolInstructOptions options;
        options.input_paths = {input};
        options.output_path = dir.filePath("out.jsonl").toStdString();
        options.rounds = 2;
        options.model.client.endpoint = server.endpoint();
        options.model.client.model = "fake";
        options.model.client.cache_path = dir.filePath("cache.sqlite").toStdString();
        options.model.batch_items = 4;
        const nlohmann::ordered_json summary = runEvolInstruct(options);
        const std::vector<nlohmann::json> eliminated =
            readJsonLines(options.output_path + ".eliminated.jsonl");
        std::map<std::string, std::set<std::string>> reasons_of;  // root id -> reasons
        std::map<std::string, std::set<int>> rounds_of;
        for (const nlohmann::json& entry : eliminated) {
            const std::string root = entry["id"].get<std::string>().substr(0, 2);
            reasons_of[root].insert(entry["reasons"][0].get<std::string>());
            rounds_of[root].insert(entry["round"].get<int>());
        }
        QVERIFY(reasons_of["q1"].count("copies-template") > 0);
        QVERIFY(reasons_of["q2"].count("no-information-gain") > 0);
        QVERIFY(reasons_of["q3"].count("response-difficult") > 0);
        QVERIFY(reasons_of["q4"].count("response-trivial") > 0);
        // An eliminated evolution's parent goes back to the pool: evolved again in round 2.
        QVERIFY(rounds_of["q2"] == (std::set<int>{1, 2}));
        const std::vector<nlohmann::json> records = readJsonLines(options.output_path);
        QVERIFY(!records.empty());
        bool saw_round_one_of_q0 = false;
        for (const nlohmann::json& record : records) {
            const nlohmann::json& evol = record["metadata"]["evol"];
            QVERIFY(evol["root_id"] != "q1" && evol["root_id"] != "q2");
            QVERIFY(record["provenance"]["transformations"].back().get<std::string>().rfind("evol-instruct:",
                                                                                            0) == 0);
            if (evol["root_id"] == "q0" && evol["round"] == 1) {
                saw_round_one_of_q0 = true;
                QCOMPARE(evol["parent"].get<std::string>(), instructions[0]);
            }
        }
        QVERIFY(saw_round_one_of_q0);
        QCOMPARE(summary["kept"].get<std::size_t>(), records.size());
        const int sent = server.requestCount();
        runEvolInstruct(options);
        QCOMPARE(server.requestCount(), sent);
    }
};

QTEST_GUILESS_MAIN(TestSelfInstruct)
#include "tst_self_instruct.moc"
