// Evaluation metrics against sacreBLEU's published reference values, Vietnamese answer matching,
// the IFEval checkers, multiple-choice letter parsing, the judge (against a local fake endpoint)
// and the project store's evaluation tables.

#include "backend/common/errors.h"
#include "backend/eval/evaluator.h"
#include "backend/eval/ifeval.h"
#include "backend/eval/judge.h"
#include "backend/eval/metrics.h"
#include "backend/net/chat_client.h"
#include "backend/store/evaluations.h"
#include "tests/common/fake_chat_server.h"
#include "tests/common/test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <set>

using namespace vietllm;

namespace {

// Reference values from sacreBLEU's README and tests and the Hugging Face chrF metric card.
const std::vector<std::string> kReadmeHypotheses = {"The dog bit the man.", "It wasn't surprising.",
                                                    "The man had just bitten him."};
const std::vector<std::vector<std::string>> kReadmeReferences = {
    {"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
    {"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."}};

const std::vector<std::string> kCardHypotheses = {
    "The relationship between cats and dogs is not exactly friendly.",
    "a good bookshop is just a genteel black hole that knows how to read."};
const std::vector<std::vector<std::string>> kCardReferences = {
    {"The relationship between dogs and cats is not exactly friendly.",
     "A good bookshop is just a genteel Black Hole that knows how to read."}};

eval::ChrfOptions chrfOptions(int word_order, double beta, bool eps_smoothing) {
    eval::ChrfOptions options;
    options.word_order = word_order;
    options.beta = beta;
    options.eps_smoothing = eps_smoothing;
    return options;
}

bool strict(const std::string& kind, const nlohmann::json& kwargs, const std::string& reply,
            const std::string& language = "vi") {
    return eval::checkInstruction(kind, kwargs, reply, language).strict;
}

// A successful completion whose reply is `content`.
testing::FakeReply okReply(const std::string& content) {
    testing::FakeReply reply;
    reply.body = testing::completionBody(content);
    return reply;
}

}  // namespace

class TestEvalMetrics : public QObject {
    Q_OBJECT

private slots:
    void bleuMatchesSacrebleu() {
        QVERIFY(std::abs(eval::corpusBleu(kReadmeHypotheses, kReadmeReferences).score - 48.530827) < 0.01);
        const eval::BleuScore scored = eval::bleuFromStatistics({9, 7, 5, 3}, {10, 8, 6, 4}, 11, 11);
        QVERIFY(std::abs(scored.score - 83.75922397) < 0.01);
        QCOMPARE(eval::corpusBleu({"", "", ""}, kReadmeReferences).score, 0.0);
        QVERIFY(std::abs(eval::corpusBleu({"this is a test"}, {{"this is a test"}}).score - 100.0) < 1e-9);
        // One reference stream: statistics and the brevity penalty.
        const eval::BleuScore short_one = eval::corpusBleu({"the cat"}, {{"the cat sat on the mat"}});
        QCOMPARE(short_one.hypothesis_length, std::size_t(2));
        QCOMPARE(short_one.reference_length, std::size_t(6));
        QVERIFY(std::abs(short_one.brevity_penalty - std::exp(1.0 - 3.0)) < 1e-12);
        QVERIFY_THROWS_EXCEPTION(UserError, eval::corpusBleu({"a", "b"}, {{"a"}}));
    }

    void tokenizer13a() {
        QCOMPARE(eval::tokenize13a("It wasn't surprising."), std::string("It wasn't surprising ."));
        QCOMPARE(eval::tokenize13a("Giá 1,000.50 đồng, (rẻ)!"), std::string("Giá 1,000.50 đồng , ( rẻ ) !"));
        QCOMPARE(eval::tokenize13a("a &amp; b &lt;c&gt;"), std::string("a & b < c >"));
        QCOMPARE(eval::tokenize13a("năm 2020-2021"), std::string("năm 2020 - 2021"));
    }

    void chrfMatchesSacrebleu() {
        // The metric card's examples: chrF and chrF++ (char 6, beta 2).
        QVERIFY(std::abs(eval::corpusChrf(kCardHypotheses, kCardReferences, chrfOptions(0, 2, false)) -
                         84.64214891738334) < 0.01);
        const double chrf_pp = eval::corpusChrf(kCardHypotheses, kCardReferences, chrfOptions(2, 2, false));
        QVERIFY2(std::abs(chrf_pp - 82.87263732906315) < 0.01, std::to_string(chrf_pp).c_str());
        eval::ChrfOptions lowercase = chrfOptions(2, 2, false);
        lowercase.lowercase = true;
        QVERIFY(std::abs(eval::corpusChrf(kCardHypotheses, kCardReferences, lowercase) - 92.12853119829202) <
                0.01);
        // sacreBLEU's test_chrf.py: beta 3 with epsilon smoothing, and effective-order mode.
        QVERIFY(std::abs(eval::corpusChrf({"aa"}, {{"ab"}}, chrfOptions(0, 3, true)) - 8.3333) < 0.01);
        QVERIFY(std::abs(eval::corpusChrf({"a", "b"}, {{"a", "c"}}, chrfOptions(0, 3, true)) - 8.3333) <
                0.01);
        QVERIFY(std::abs(eval::corpusChrf({"a b c"}, {{"abc"}}, chrfOptions(0, 3, true)) - 50.0) < 0.01);
        QVERIFY(std::abs(eval::corpusChrf({"aa"}, {{"ab"}}, chrfOptions(0, 3, false)) - 25.0) < 0.01);
        QVERIFY(std::abs(eval::corpusChrf({"a", "b"}, {{"a", "c"}}, chrfOptions(0, 3, false)) - 50.0) < 0.01);
        QVERIFY(std::abs(eval::corpusChrf(
                             {" risk assessment must be made of those who are qualified and expertise in "
                              "the sector - these are the scientists ."},
                             {{"risk assessment has to be undertaken by those who are qualified and "
                               "expert in that area - that is the scientists ."}},
                             chrfOptions(0, 3, true)) -
                         63.361730) < 0.01);
        QVERIFY(std::abs(eval::corpusChrf(
                             {"Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře."},
                             {{"Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a "
                               "kdo zemře."}},
                             chrfOptions(0, 2, true)) -
                         39.14078509) < 0.01);
        QCOMPARE(eval::corpusChrf({""}, {{"reference"}}, chrfOptions(2, 2, false)), 0.0);
        // Identical Vietnamese text scores 100.
        QVERIFY(std::abs(eval::corpusChrf({"Xin chào các bạn."}, {{"Xin chào các bạn."}}) - 100.0) < 1e-9);
    }

    void answerMatching() {
        QCOMPARE(eval::normalizeAnswer("  Hà   Nội. "), std::string("hà nội"));
        // NFD input and the other tone placement still match.
        QCOMPARE(
            eval::exactMatch("Tha\xcc\x80nh pho\xcc\x82\xcc\x81 Hồ Chí Minh", {"thành phố hồ chí minh!"}),
            1.0);
        QCOMPARE(eval::exactMatch("thuỷ lợi", {"Thủy lợi"}), 1.0);
        QCOMPARE(eval::exactMatch("Hà Nội", {"Huế", "Đà Nẵng"}), 0.0);
        // F1: "năm 1975" against "1975": precision 1/2, recall 1 -> 2/3.
        QVERIFY(std::abs(eval::tokenF1("năm 1975", {"1975"}) - 2.0 / 3.0) < 1e-12);
        QCOMPARE(eval::tokenF1("không biết", {"1975"}), 0.0);
        QCOMPARE(eval::tokenF1("308", {"khoảng 300", "308"}), 1.0);
    }

    void ifevalChecks() {
        QVERIFY(strict("startend:end_checker", {{"end_phrase", "Tôi có thể giúp gì nữa không?"}},
                       "Bài thơ...\nTôi có thể giúp gì nữa không?"));
        QVERIFY(!strict("startend:end_checker", {{"end_phrase", "Hết."}}, "Hết. Thêm nữa"));
        QVERIFY(
            strict("startend:first_word", {{"first_word", "chiêm chiếp"}}, "Chiêm chiếp, tiếng chim hót."));
        QVERIFY(!strict("startend:first_word", {{"first_word", "chiêm chiếp"}}, "Chim hót chiêm chiếp."));
        QVERIFY(strict("startend:quotation", {}, "\"Chào bạn, mình bực lắm.\""));
        QVERIFY(!strict("startend:quotation", {}, "Chào bạn"));
        QVERIFY(strict("keywords:existence", {{"keywords", {"nhà kinh tế học", "bình"}}},
                       "Bình là một nhà kinh tế học."));
        QVERIFY(!strict("keywords:existence", {{"keywords", {"dũng"}}}, "Bình là một nhà kinh tế học."));
        QVERIFY(strict("keywords:forbidden_words", {{"forbidden_words", {"nhiệt độ"}}},
                       "Khí hậu đang nóng lên."));
        QVERIFY(!strict("keywords:forbidden_words", {{"forbidden_words", {"nhiệt độ"}}}, "Nhiệt độ tăng."));
        QVERIFY(strict("keywords:frequency", {{"keyword", "voi"}, {"frequency", 3}, {"relation", "at least"}},
                       "Voi to. Con voi con. Đàn voi."));
        QVERIFY(!strict("keywords:frequency",
                        {{"keyword", "buổi sáng"}, {"frequency", 2}, {"relation", "less than"}},
                        "Buổi sáng đi chợ, buổi sáng đi học."));
        QVERIFY(strict("keywords:number_frequency",
                       {{"number", "4"}, {"frequency", 2}, {"relation", "exactly"}},
                       "Có 4 con mèo và 4 con chó, tổng 14 chân... không, 24."));
        QVERIFY(strict("detectable_content:number_placeholders", {{"num_placeholders", 2}},
                       "Gửi [tên], tại [địa chỉ]."));
        QVERIFY(!strict("detectable_content:number_placeholders", {{"num_placeholders", 3}},
                        "Gửi [tên], tại [địa chỉ]."));
        QVERIFY(strict("detectable_content:postscript", {{"postscript_marker", "P.S."}},
                       "Thư.\n\nP.S. Nhớ nhé."));
        QVERIFY(!strict("detectable_content:postscript", {{"postscript_marker", "P.S."}},
                        "Thư không có tái bút."));
        QVERIFY(strict("detectable_format:constrained_response", {}, "Câu trả lời của tôi là không."));
        QVERIFY(strict("detectable_format:constrained_response", {}, "My answer is maybe.", "en"));
        QVERIFY(!strict("detectable_format:constrained_response", {}, "Không biết."));
        QVERIFY(strict("detectable_format:json_format", {}, "```json\n{\"ten\": \"Tipperary\"}\n```"));
        QVERIFY(!strict("detectable_format:json_format", {}, "{ten: Tipperary}"));
        QVERIFY(strict("detectable_format:multiple_sections",
                       {{"section_title", "PHẦN"}, {"num_sections", 2}}, "PHẦN 1\nkẹo\nPHẦN 2\nbánh"));
        QVERIFY(!strict("detectable_format:multiple_sections",
                        {{"section_title", "PHẦN"}, {"num_sections", 3}}, "PHẦN 1\nkẹo\nPHẦN 2\nbánh"));
        QVERIFY(
            strict("detectable_format:number_bullet_lists", {{"num_bullets", 3}}, "* Mực\n* Tuyết\n- Bông"));
        QVERIFY(!strict("detectable_format:number_bullet_lists", {{"num_bullets", 3}}, "* Mực\n* Tuyết"));
        QVERIFY(strict("detectable_format:number_highlighted_sections", {{"num_highlights", 2}},
                       "*phần một* và **phần hai**"));
        QVERIFY(
            !strict("detectable_format:number_highlighted_sections", {{"num_highlights", 2}}, "*phần một*"));
        QVERIFY(strict("detectable_format:title", {}, "<<Hiến chương ASEAN>>\nKính gửi..."));
        QVERIFY(!strict("detectable_format:title", {}, "<<>> Kính gửi"));
        QVERIFY(strict("combination:repeat_prompt", {{"prompt_to_repeat", "Viết thư."}},
                       "viết thư. Đây là thư."));
        QVERIFY(strict("combination:two_responses", {}, "Câu một.\n******\nCâu hai."));
        QVERIFY(!strict("combination:two_responses", {}, "Câu một.\n******\nCâu một."));
        QVERIFY(strict("length_constraints:number_paragraphs", {{"num_paragraphs", 2}},
                       "Đoạn một.\n***\nĐoạn hai."));
        QVERIFY(
            !strict("length_constraints:number_paragraphs", {{"num_paragraphs", 2}}, "Một.\n***\n***\nHai."));
        QVERIFY(strict("length_constraints:number_sentences",
                       {{"num_sentences", 3}, {"relation", "less than"}}, "Câu một. Câu hai!"));
        QVERIFY(!strict("length_constraints:number_sentences",
                        {{"num_sentences", 2}, {"relation", "less than"}}, "Câu một. Câu hai! Câu ba?"));
        QVERIFY(strict("length_constraints:number_words", {{"num_words", 5}, {"relation", "at least"}},
                       "Tôi có một đồng xu nhỏ."));
        QVERIFY(!strict("length_constraints:number_words", {{"num_words", 300}, {"relation", "at least"}},
                        "Tôi có một đồng xu."));
        QVERIFY(strict("language:response_language", {{"response_language", "th"}},
                       "ฉันชอบกินข้าวผัดกับเพื่อนของฉันทุกวัน"));
        QVERIFY(strict("language:response_language", {{"response_language", "ta"}}, "நான் தமிழ் பேசுகிறேன்"));
        QVERIFY(!strict("language:response_language", {{"response_language", "th"}},
                        "Tôi thích ăn cơm chiên với bạn bè mỗi ngày."));
        // Loose accepts the reply once a leading line is dropped; strict does not.
        const eval::InstructionOutcome outcome = eval::checkInstruction(
            "startend:first_word", {{"first_word", "chiêm"}}, "Đây là câu chuyện:\nChiêm chiếp", "vi");
        QVERIFY(!outcome.strict);
        QVERIFY(outcome.loose);
        // Loose also drops markdown stars.
        QVERIFY(eval::checkInstruction("startend:quotation", {}, "**\"Chào\"**", "vi").loose);
        QVERIFY_THROWS_EXCEPTION(UserError, eval::checkInstruction("keywords:nope", {}, "x", "vi"));
        QVERIFY_THROWS_EXCEPTION(UserError,
                                 eval::checkInstruction("keywords:frequency", {{"keyword", "a"}}, "a", "vi"));
    }

    void ifevalCoversTheSharedFiles() {
        VIETLLM_REQUIRE_SAMPLE(vi_path, "eval/vi_sea_ifeval.jsonl");
        VIETLLM_REQUIRE_SAMPLE(en_path, "eval/en_sea_ifeval.jsonl");
        std::set<std::string> kinds;
        for (const QString& path : {vi_path, en_path}) {
            std::ifstream in(path.toStdString());
            std::string line;
            while (std::getline(in, line)) {
                const nlohmann::json item = nlohmann::json::parse(line);
                const std::string kind = item["metadata"]["subcategory"];
                kinds.insert(kind);
                // Every item's arguments are understood (no throw), whatever the reply.
                eval::checkInstruction(kind, item["kwargs"][0], "Một câu trả lời.",
                                       item["metadata"]["language"].get<std::string>());
            }
        }
        QCOMPARE(kinds.size(), std::size_t(21));
        QCOMPARE(std::vector<std::string>(kinds.begin(), kinds.end()), eval::knownInstructionKinds());
    }

    void choiceLetters() {
        QCOMPARE(eval::parseChoiceLetter("B", 4), 1);
        QCOMPARE(eval::parseChoiceLetter("(C) vì ...", 4), 2);
        QCOMPARE(eval::parseChoiceLetter("Đáp án: D", 4), 3);
        QCOMPARE(eval::parseChoiceLetter("The answer is A.", 4), 0);
        QCOMPARE(eval::parseChoiceLetter("[[B]]", 2), 1);
        QCOMPARE(eval::parseChoiceLetter("E", 4), -1);
        QCOMPARE(eval::parseChoiceLetter("Không biết", 4), -1);
        QCOMPARE(eval::parseChoiceLetter("A hoặc B", 4), 0);
    }

    void judgeParsing() {
        QCOMPARE(eval::parseRating("Nhận xét... Điểm: [[8]]").value_or(0), 8.0);
        QCOMPARE(eval::parseRating("định dạng [[điểm]] ... [[ 7.5 ]]").value_or(0), 7.5);
        QCOMPARE(eval::parseRating("Rating: 6").value_or(0), 6.0);
        QVERIFY(!eval::parseRating("không có điểm").has_value());
        QVERIFY(!eval::parseRating("[[11]]").has_value());
        QCOMPARE(eval::parseVerdict("Trợ lý A tốt hơn. [[A]]").value_or('?'), 'A');
        QCOMPARE(eval::parseVerdict("[[ C ]]").value_or('?'), 'C');
        QVERIFY(!eval::parseVerdict("A tốt hơn").has_value());
    }

    void judgeAgainstFakeServer() {
        // The fake judge prefers the answer that mentions "Hà Nội" and grades it 9, others 4.
        testing::FakeChatServer server([](const nlohmann::json& request, int) {
            const std::string prompt = request["messages"][1]["content"];
            if (prompt.find("trợ lý A:") != std::string::npos) {
                const std::size_t a = prompt.find("trợ lý A:");
                const std::size_t b = prompt.find("trợ lý B:");
                const bool a_good = prompt.substr(a, b - a).find("Hà Nội") != std::string::npos;
                return okReply(a_good ? "A hay hơn. [[A]]" : "[[B]]");
            }
            const std::size_t answer = prompt.find("cần chấm:");
            const bool good = prompt.find("Hà Nội", answer) != std::string::npos;
            return okReply(good ? "Tốt. Điểm: [[9]]" : "Điểm: [[4]]");
        });
        net::ChatClientOptions options;
        options.endpoint = server.endpoint();
        options.model = "judge";
        options.max_retries = 0;
        net::ChatClient client(options);
        eval::Judge judge(client);
        const eval::JudgeTurn good{{"Thủ đô của Việt Nam là gì?"},
                                   {"Thủ đô của Việt Nam là Hà Nội."},
                                   "Đó là thành phố Huế, kinh đô xưa."};
        const eval::JudgeTurn weak{{"Thủ đô của Việt Nam là gì?"},
                                   {"Tôi nghĩ đó là thành phố Huế."},
                                   "Thủ đô của Việt Nam là Hà Nội."};
        const eval::JudgeTurn english{{"Thủ đô của Việt Nam là gì?"},
                                      {"The capital of Vietnam is Hanoi, of course."},
                                      "Thủ đô của Việt Nam là Hà Nội."};
        const std::vector<eval::Grade> grades = judge.grade({good, weak, english});
        QCOMPARE(grades[0].score.value_or(0), 9.0);
        QCOMPARE(grades[1].score.value_or(0), 4.0);
        QCOMPARE(grades[2].score.value_or(0), 1.0);
        QVERIFY(grades[2].language_penalty);
        QCOMPARE(server.requestCount(), 2);  // the English answer never reached the judge
        const std::vector<eval::Comparison> comparisons = judge.compare({good, weak, english});
        // Both orders were asked for the Vietnamese answers: 2 x 2 more requests.
        QCOMPARE(server.requestCount(), 6);
        QCOMPARE(comparisons[0].model_first, eval::PairwiseOutcome::Win);
        QCOMPARE(comparisons[0].model_second, eval::PairwiseOutcome::Win);
        QCOMPARE(comparisons[0].win_score, 1.0);
        QCOMPARE(comparisons[1].win_score, 0.0);
        QVERIFY(comparisons[2].language_penalty);
        QCOMPARE(comparisons[2].win_score, 0.0);
        // The grading prompt is Vietnamese and carries the reference.
        const std::string prompt = eval::Judge::gradingPrompt(weak);
        QVERIFY(prompt.find("câu trả lời tham khảo") != std::string::npos);
        QVERIFY(prompt.find("[[") != std::string::npos);
    }

    void storeRoundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("p.vietllm").toStdString();
        store::ProjectStore project = store::ProjectStore::create(path, false);
        store::Evaluations evaluations(project);
        const std::int64_t run = evaluations.startRun("tiny / xcopa_vi", "xcopa_vi", {{"model", "local:/m"}});
        store::EvaluationResultRow row;
        row.item_id = "0";
        row.prompt = "Người đàn ông bật vòi nước. vì vậy";
        row.output = "B";
        row.reference = "B";
        row.score = 1;
        row.correct = true;
        row.details = {{"choices", {"Nhà vệ sinh đầy nước.", "Nước chảy ra từ vòi."}},
                       {"logprobs", {-3.5, -2.0}}};
        store::EvaluationResultRow other = row;
        other.item_id = "1";
        other.correct = false;
        other.score = 0;
        other.details = nullptr;
        evaluations.addResults(run, {row, other});
        evaluations.finishRun(run, store::EvaluationStatus::Finished, {{"acc", 0.5}, {"n", 2}});
        const std::vector<store::EvaluationRun> runs = evaluations.runs();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].benchmark, std::string("xcopa_vi"));
        QCOMPARE(runs[0].status, store::EvaluationStatus::Finished);
        QCOMPARE(runs[0].summary["acc"].get<double>(), 0.5);
        QVERIFY(!runs[0].finished_at.empty());
        QCOMPARE(evaluations.resultCount(run), std::int64_t(2));
        const std::vector<store::EvaluationResultRow> rows = evaluations.results(run, 0, 10);
        QCOMPARE(rows[0].details["choices"][1].get<std::string>(), std::string("Nước chảy ra từ vòi."));
        QCOMPARE(rows[0].correct.value_or(false), true);
        QCOMPARE(rows[1].correct.value_or(true), false);
        QVERIFY(rows[1].details.is_null());
        QCOMPARE(evaluations.results(run, 1, 10).size(), std::size_t(1));
        QVERIFY_THROWS_EXCEPTION(UserError, evaluations.run(run + 100));
        QVERIFY_THROWS_EXCEPTION(UserError,
                                 evaluations.finishRun(run + 100, store::EvaluationStatus::Failed, nullptr));
    }
};

QTEST_GUILESS_MAIN(TestEvalMetrics)
#include "tst_eval_metrics.moc"
