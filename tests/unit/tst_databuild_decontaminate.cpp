// Tests of `data decontaminate`: benchmark files of any JSONL shape (every string value is text),
// planted benchmark questions from the real Vietnamese eval samples found and reported with the
// benchmark file, line and n-gram, the other tone-mark placement and NFD matched, untouched records
// kept, and bad benchmark files named by file and line.

#include "backend/common/errors.h"
#include "backend/databuild/decontaminate.h"
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

void writeFile(const QString& path, const std::string& text) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

// Line `number` (1-based) of a JSONL file, parsed by Qt.
QJsonObject jsonLine(const QString& path, int number) {
    return QJsonDocument::fromJson(nonEmptyLines(readWholeFile(path)).at(number - 1)).object();
}

std::string messagesLine(const QString& user, const QString& assistant, const QString& id) {
    QJsonObject provenance{{QStringLiteral("original_id"), id}};
    const QJsonObject record{{QStringLiteral("messages"),
                              QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                     {QStringLiteral("content"), user}},
                                         QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                                     {QStringLiteral("content"), assistant}}}},
                             {QStringLiteral("provenance"), provenance}};
    return QJsonDocument(record).toJson(QJsonDocument::Compact).toStdString() + "\n";
}

}  // namespace

class TestDatabuildDecontaminate : public QObject {
    Q_OBJECT

private slots:
    void findsPlantedBenchmarkQuestions() {
        VIETLLM_REQUIRE_SAMPLE(mmlu, "eval/vi_global_mmlu_lite_dev.jsonl");
        VIETLLM_REQUIRE_SAMPLE(xcopa, "eval/vi_xcopa_val.jsonl");
        VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
        // The question of MMLU line 42 (nested in "prompts"), and the premise of XCOPA line 12.
        const QString question = jsonLine(mmlu, 42)
                                     .value(QStringLiteral("prompts"))
                                     .toArray()
                                     .at(0)
                                     .toObject()
                                     .value(QStringLiteral("question"))
                                     .toString();
        const QString premise = jsonLine(xcopa, 12).value(QStringLiteral("premise")).toString();
        QVERIFY(question.split(' ').size() >= 13);

        QTemporaryDir dir;
        const QList<QByteArray> clean_lines = nonEmptyLines(readWholeFile(alpaca)).mid(0, 200);
        std::string input;
        for (const QByteArray& line : clean_lines) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            input +=
                messagesLine(object.value(QStringLiteral("prompt")).toString(),
                             object.value(QStringLiteral("response")).toString(), QStringLiteral("clean"));
        }
        input += messagesLine(QStringLiteral("Trả lời câu hỏi sau: ") + question,
                              QStringLiteral("Đáp án là C."), QStringLiteral("planted-mmlu"));
        input += messagesLine(QStringLiteral("Tìm nguyên nhân."),
                              QStringLiteral("Ví dụ: ") + premise + QStringLiteral(" Vì vậy..."),
                              QStringLiteral("planted-xcopa"));
        writeFile(dir.filePath(QStringLiteral("in.jsonl")), input);

        databuild::DecontaminateJob job;
        job.input.paths = {dir.filePath(QStringLiteral("in.jsonl")).toStdString()};
        job.input.threads = 2;
        job.against = {mmlu.toStdString(), xcopa.toStdString()};
        job.output_path = dir.filePath(QStringLiteral("out.jsonl")).toStdString();
        job.matches_path = dir.filePath(QStringLiteral("matches.jsonl")).toStdString();
        job.options.min_tokens = 5;  // XCOPA premises are short sentences
        const nlohmann::ordered_json summary = databuild::runDecontaminate(job);

        const QList<QJsonObject> matches =
            qtJsonLines(readWholeFile(dir.filePath(QStringLiteral("matches.jsonl"))));
        QCOMPARE(matches.size(), 2);
        QCOMPARE(summary["kept"].get<int>(), 200);
        QCOMPARE(matches[0].value(QStringLiteral("id")).toString(), QStringLiteral("planted-mmlu"));
        QCOMPARE(matches[0].value(QStringLiteral("benchmark")).toString(), mmlu);
        QCOMPARE(matches[0].value(QStringLiteral("benchmark_line")).toInt(), 42);
        QCOMPARE(matches[0].value(QStringLiteral("line")).toInt(), 201);
        const QString ngram = matches[0].value(QStringLiteral("ngram")).toString();
        QCOMPARE(ngram.split(' ').size(), 13);
        QVERIFY2(question.toLower().contains(ngram.section(' ', 0, 2)), qPrintable(ngram));
        QCOMPARE(matches[1].value(QStringLiteral("id")).toString(), QStringLiteral("planted-xcopa"));
        QCOMPARE(matches[1].value(QStringLiteral("benchmark")).toString(), xcopa);
        QCOMPARE(matches[1].value(QStringLiteral("benchmark_line")).toInt(), 12);
        QCOMPARE(nonEmptyLines(readWholeFile(dir.filePath(QStringLiteral("out.jsonl")))).size(), 200);
    }

    void anyJsonShapeAndShortStrings() {
        databuild::DecontaminateOptions options;
        options.ngram = 4;
        options.min_tokens = 3;
        databuild::BenchmarkIndex index(options);
        index.addText("Một hai ba bốn năm sáu", "bench.jsonl", 3);
        index.addText("bảy tám chín", "bench.jsonl", 4);  // shorter than n: one n-gram of its own
        index.addText("mười một", "bench.jsonl", 5);      // shorter than min_tokens: ignored
        QVERIFY(index.findIn("xin chào HAI BA BỐN NĂM nhé").has_value());
        const auto short_match = index.findIn("số bảy, tám, chín!");
        QVERIFY(short_match.has_value());
        QCOMPARE(short_match->line, std::size_t{4});
        QCOMPARE(QString::fromStdString(short_match->ngram), QStringLiteral("bảy tám chín"));
        QVERIFY(!index.findIn("hai ba năm bốn").has_value());
        QVERIFY(!index.findIn("mười một").has_value());
        // The other tone-mark placement and NFD text match after normalization.
        index.addText("Hòa bình và thủy lợi giúp dân khỏe", "bench.jsonl", 6);
        const auto variant = index.findIn("vì hoà bình và thuỷ lợi");
        QVERIFY(variant.has_value());
        QCOMPARE(variant->line, std::size_t{6});
        QVERIFY(index
                    .findIn(QStringLiteral("thủy lợi giúp dân")
                                .normalized(QString::NormalizationForm_D)
                                .toStdString())
                    .has_value());
    }

    void badBenchmarkFileNamesLine() {
        QTemporaryDir dir;
        const QString bench = dir.filePath(QStringLiteral("bench.jsonl"));
        writeFile(bench, "{\"q\": \"một hai ba bốn năm sáu bảy tám chín mười\"}\n\n{broken\n");
        databuild::BenchmarkIndex index({});
        try {
            index.addFile(bench.toStdString());
            QFAIL("no error for a broken benchmark line");
        } catch (const UserError& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("bench.jsonl:3")), error.what());
        }
        const CliResult cli = runCli({QStringLiteral("data"), QStringLiteral("decontaminate"), bench,
                                      dir.filePath(QStringLiteral("out.jsonl"))});
        QCOMPARE(cli.exit_code, 1);
        QVERIFY(cli.standard_error.contains("--against"));
    }
};

QTEST_GUILESS_MAIN(TestDatabuildDecontaminate)
#include "tst_databuild_decontaminate.moc"
