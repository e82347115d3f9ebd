// Tests of `data clean`: multi-line normalization that keeps code, the per-role language check,
// PII, length and repetition filters on small records, and on the real LIMA-vi sample the
// English-left answers dropped with reason "lang" (the notes count ~19%), outputs independent of
// the thread count, sharding and clean failures on bad input.

#include "backend/common/errors.h"
#include "backend/databuild/clean.h"
#include "backend/databuild/record_text.h"
#include "tests/common/data_test_support.h"
#include "tests/common/test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace vietllm;
using namespace vietllm::testing;

namespace {

data::Record conversation(const std::string& user, const std::string& assistant) {
    data::Conversation record;
    record.messages = {{data::Role::User, user}, {data::Role::Assistant, assistant}};
    record.provenance.original_id = "test:1";
    return record;
}

const data::Conversation& asConversation(const data::Record& record) {
    return std::get<data::Conversation>(record);
}

bool hasReason(const databuild::CleanResult& result, const std::string& reason) {
    return std::find(result.reasons.begin(), result.reasons.end(), reason) != result.reasons.end();
}

const std::string kVietnameseAnswer =
    "Hà Nội là thủ đô của Việt Nam, nằm ở đồng bằng sông Hồng. Thành phố có nhiều hồ đẹp và di tích lịch sử.";
const std::string kEnglishAnswer =
    "Hanoi is the capital of Vietnam, located in the Red River Delta. The city has many lakes and old "
    "temples.";

}  // namespace

class TestDatabuildClean : public QObject {
    Q_OBJECT

private slots:
    void normalizeMultilineKeepsCodeAndLayout() {
        const std::string text =
            "Ví dụ  về   hoà bình:\r\n```python\ndef f(x):\n    return  x\n```\n  - mục\u00a0một\n\n";
        const std::string normalized = databuild::normalizeMultiline(text, {});
        QCOMPARE(QString::fromStdString(normalized),
                 QStringLiteral("Ví dụ về hòa bình:\n```python\ndef f(x):\n    return  x\n```\n  - mục một"));
        QCOMPARE(databuild::normalizeMultiline(normalized, {}), normalized);
    }

    void proseLeavesOutCodeBlocks() {
        const std::string prose = databuild::proseText("Giải thích:\n```\nprint('hello world')\n```\nHết.");
        QVERIFY(prose.find("print") == std::string::npos);
        QVERIFY(prose.find("Giải thích:") != std::string::npos);
        QVERIFY(prose.find("Hết.") != std::string::npos);
    }

    void languageIsCheckedPerRole() {
        const databuild::CleanOptions options;
        data::Record english_answer =
            conversation("Thủ đô của Việt Nam là thành phố nào vậy bạn?", kEnglishAnswer);
        const databuild::CleanResult dropped = databuild::cleanRecord(english_answer, options);
        QVERIFY(hasReason(dropped, "lang"));
        QCOMPARE(QString::fromStdString(dropped.details.at("lang").at("assistant").get<std::string>()),
                 QStringLiteral("en"));
        QVERIFY(!dropped.details.at("lang").contains("user"));

        data::Record english_question =
            conversation("What is the capital city of Vietnam, please?", kVietnameseAnswer);
        const databuild::CleanResult user_dropped = databuild::cleanRecord(english_question, options);
        QVERIFY(hasReason(user_dropped, "lang"));
        QVERIFY(user_dropped.details.at("lang").contains("user"));

        data::Record good = conversation("Thủ đô của Việt Nam là thành phố nào vậy bạn?", kVietnameseAnswer);
        QVERIFY(databuild::cleanRecord(good, options).reasons.empty());

        // A Vietnamese answer whose code block is English is still Vietnamese.
        data::Record with_code = conversation(
            "Viết hàm Python cộng hai số giúp tôi với.",
            "Đây là hàm cộng hai số mà bạn cần, rất đơn giản và dễ hiểu:\n```python\n# add two numbers and "
            "return the result to the caller\ndef add(a, b):\n    return a + b\n```");
        QVERIFY(databuild::cleanRecord(with_code, options).reasons.empty());
    }

    void piiIsRedactedOrDropped() {
        databuild::CleanOptions options;
        data::Record record =
            conversation("Số điện thoại của tôi là 0912.345.678, bạn hãy gọi lại nhé.", kVietnameseAnswer);
        const databuild::CleanResult redacted = databuild::cleanRecord(record, options);
        QVERIFY(redacted.reasons.empty());
        QVERIFY(redacted.pii_redacted);
        QVERIFY(asConversation(record).messages[0].content.find("<PHONE>") != std::string::npos);
        QVERIFY(asConversation(record).messages[0].content.find("0912") == std::string::npos);

        options.pii = databuild::PiiPolicy::Drop;
        data::Record again =
            conversation("Số điện thoại của tôi là 0912.345.678, bạn hãy gọi lại nhé.", kVietnameseAnswer);
        const databuild::CleanResult dropped = databuild::cleanRecord(again, options);
        QVERIFY(hasReason(dropped, "pii"));
        QCOMPARE(dropped.details.at("pii").at("phone").get<int>(), 1);
    }

    void lengthAndRepetitionThresholds() {
        const databuild::CleanOptions options;
        data::Record empty_answer = conversation("Thủ đô của Việt Nam là thành phố nào vậy bạn?", "   ");
        QVERIFY(hasReason(databuild::cleanRecord(empty_answer, options), "length"));

        std::string repeated;
        for (int i = 0; i < 6; ++i) {
            repeated += "Hà Nội là thủ đô của nước Việt Nam.\n";
        }
        data::Record repeating = conversation("Thủ đô của Việt Nam là thành phố nào vậy bạn?", repeated);
        QVERIFY(hasReason(databuild::cleanRecord(repeating, options), "duplicate-line-ratio"));

        databuild::CleanOptions short_limit;
        short_limit.max_chars = 50;
        data::Record long_record =
            conversation("Thủ đô của Việt Nam là thành phố nào vậy bạn?", kVietnameseAnswer);
        QVERIFY(hasReason(databuild::cleanRecord(long_record, short_limit), "length"));
    }

    void limaEnglishAnswersAreDroppedWithReasonLang() {
        VIETLLM_REQUIRE_SAMPLE(lima, "instruct/vi_lima_gpt4_translated.jsonl");
        QTemporaryDir dir;
        databuild::CleanJob job;
        job.input.paths = {lima.toStdString()};
        job.input.format = data::Format::PromptResponse;
        job.input.skip_bad = true;
        job.input.threads = 2;
        job.output_path = dir.filePath(QStringLiteral("out.jsonl")).toStdString();
        job.dropped_path = dir.filePath(QStringLiteral("dropped.jsonl")).toStdString();
        const nlohmann::ordered_json summary = databuild::runClean(job);

        const int read = summary["records_read"].get<int>();
        QCOMPARE(read, 1006);  // 1016 lines, 10 with a null field
        QCOMPARE(summary["bad_lines"].get<int>(), 10);
        const QList<QJsonObject> kept = qtJsonLines(readWholeFile(dir.filePath(QStringLiteral("out.jsonl"))));
        const QList<QJsonObject> dropped =
            qtJsonLines(readWholeFile(dir.filePath(QStringLiteral("dropped.jsonl"))));
        QCOMPARE(kept.size(), summary["kept"].get<int>());
        QCOMPARE(kept.size() + dropped.size(), read + 10);

        int english_answers = 0;
        for (const QJsonObject& entry : dropped) {
            const QJsonArray reasons = entry.value(QStringLiteral("reasons")).toArray();
            QVERIFY(!reasons.isEmpty());
            const QJsonObject lang =
                entry.value(QStringLiteral("details")).toObject().value(QStringLiteral("lang")).toObject();
            if (reasons.contains(QStringLiteral("lang")) &&
                lang.value(QStringLiteral("assistant")).toString() == "en") {
                ++english_answers;
            }
        }
        // The notes measured 194 of 1030 answers (18.8%) still in English.
        const double share = static_cast<double>(english_answers) / read;
        QVERIFY2(share > 0.15 && share < 0.23, qPrintable(QString::number(share)));
        // Every kept record is Vietnamese on both sides and carries the step in its provenance.
        for (const QJsonObject& record : kept) {
            const QJsonArray messages = record.value(QStringLiteral("messages")).toArray();
            QCOMPARE(messages.size(), 2);
            QVERIFY(!messages[1].toObject().value(QStringLiteral("content")).toString().trimmed().isEmpty());
        }
    }

    void outputDoesNotDependOnThreadsAndShardsPartition() {
        VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
        QTemporaryDir dir;
        const auto run = [&](unsigned threads, databuild::Shard shard, const QString& name) {
            databuild::CleanJob job;
            job.input.paths = {alpaca.toStdString()};
            job.input.format = data::Format::PromptResponse;
            job.input.threads = threads;
            job.input.batch_size = 64;
            job.input.shard = shard;
            job.output_path = dir.filePath(name).toStdString();
            job.dropped_path = dir.filePath(name + QStringLiteral(".dropped")).toStdString();
            databuild::runClean(job);
            return readWholeFile(dir.filePath(name)) +
                   readWholeFile(dir.filePath(name + QStringLiteral(".dropped")));
        };
        const QByteArray one = run(1, {}, QStringLiteral("one"));
        const QByteArray two = run(2, {}, QStringLiteral("two"));
        QVERIFY(!one.isEmpty());
        QCOMPARE(two, one);

        run(2, {0, 2}, QStringLiteral("s0"));
        run(2, {1, 2}, QStringLiteral("s1"));
        const int whole = nonEmptyLines(readWholeFile(dir.filePath(QStringLiteral("two")))).size();
        const int shard0 = nonEmptyLines(readWholeFile(dir.filePath(QStringLiteral("s0")))).size();
        const int shard1 = nonEmptyLines(readWholeFile(dir.filePath(QStringLiteral("s1")))).size();
        QCOMPARE(shard0 + shard1, whole);
        QVERIFY(shard0 > 0 && shard1 > 0);
    }

    void badInputNamesFileAndLine() {
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("bad.jsonl"));
        {
            std::ofstream out(input.toStdString());
            out << "{\"messages\": [{\"role\": \"user\", \"content\": \"Xin chào bạn\"}]}\n{not json\n";
        }
        databuild::CleanJob job;
        job.input.paths = {input.toStdString()};
        job.output_path = dir.filePath(QStringLiteral("out.jsonl")).toStdString();
        job.dropped_path = dir.filePath(QStringLiteral("dropped.jsonl")).toStdString();
        try {
            databuild::runClean(job);
            QFAIL("no error for a broken line");
        } catch (const UserError& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("bad.jsonl:2")), error.what());
        }
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("out.jsonl"))));
    }

    void cliPrintsSummaryAndRejectsBadOptions() {
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("in.jsonl"));
        {
            std::ofstream out(input.toStdString());
            out << "{\"prompt\": \"Thủ đô của Việt Nam là thành phố nào vậy bạn?\", \"response\": \""
                << kEnglishAnswer
                << "\"}\n{\"prompt\": \"Thủ đô của Việt Nam là thành phố nào vậy bạn?\", \"response\": \""
                << kVietnameseAnswer << "\"}\n";
        }
        const QString output = dir.filePath(QStringLiteral("out.jsonl"));
        const CliResult ok =
            runCli({QStringLiteral("data"), QStringLiteral("clean"), QStringLiteral("--format"),
                    QStringLiteral("prompt-response"), input, output});
        QCOMPARE(ok.exit_code, 0);
        const QJsonObject summary = QJsonDocument::fromJson(ok.standard_error.trimmed()).object();
        QCOMPARE(summary.value(QStringLiteral("kept")).toInt(), 1);
        QCOMPARE(summary.value(QStringLiteral("reasons")).toObject().value(QStringLiteral("lang")).toInt(),
                 1);
        QCOMPARE(nonEmptyLines(readWholeFile(output + QStringLiteral(".dropped.jsonl"))).size(), 1);

        const CliResult bad = runCli({QStringLiteral("data"), QStringLiteral("clean"),
                                      QStringLiteral("--pii"), QStringLiteral("hide"), input, output});
        QCOMPARE(bad.exit_code, 1);
        QVERIFY(bad.standard_error.contains("--pii"));
        const CliResult shard = runCli({QStringLiteral("data"), QStringLiteral("clean"),
                                        QStringLiteral("--shard"), QStringLiteral("2/2"), input, output});
        QCOMPARE(shard.exit_code, 1);
        QVERIFY(shard.standard_error.contains("--shard"));
    }
};

QTEST_GUILESS_MAIN(TestDatabuildClean)
#include "tst_databuild_clean.moc"
