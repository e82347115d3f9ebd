// Tests of the format converters on the real shared samples: every instruct sample reads in its
// natural format, counts match an independent reading with Qt's JSON parser, round trips are
// lossless, and the CLI fails cleanly (or skips to a side file) on bad lines.

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "tests/common/data_test_support.h"
#include "tests/common/test_support.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace vietllm;
using namespace vietllm::testing;

namespace {

// Root-to-leaf paths, paths ending at an assistant message (cut, each end once) and sibling-rank
// pairs of one Open-Assistant node, counted straight from the raw JSON.
struct TreeCounts {
    int leaf_paths = 0;
    int answered_paths = 0;
    int rank_pairs = 0;
};

// For a prompter node: true when no assistant message lies below it on some path to a leaf.
bool hasPathWithoutAssistant(const QJsonObject& node) {
    const QJsonArray replies = node.value(QStringLiteral("replies")).toArray();
    if (node.value(QStringLiteral("role")).toString() == QStringLiteral("assistant")) {
        return false;
    }
    if (replies.isEmpty()) {
        return true;
    }
    for (const QJsonValue& reply : replies) {
        if (hasPathWithoutAssistant(reply.toObject())) {
            return true;
        }
    }
    return false;
}

void countTree(const QJsonObject& node, TreeCounts& counts) {
    const QJsonArray replies = node.value(QStringLiteral("replies")).toArray();
    const bool is_assistant = node.value(QStringLiteral("role")).toString() == QStringLiteral("assistant");
    if (replies.isEmpty()) {
        ++counts.leaf_paths;
    }
    if (is_assistant) {
        // An assistant message ends an answered path when some path below it meets no other assistant.
        bool answered = replies.isEmpty();
        for (const QJsonValue& reply : replies) {
            answered = answered || hasPathWithoutAssistant(reply.toObject());
        }
        counts.answered_paths += answered ? 1 : 0;
    }
    QList<int> ranks;
    for (const QJsonValue& reply : replies) {
        const QJsonObject child = reply.toObject();
        if (child.value(QStringLiteral("rank")).isDouble() &&
            child.value(QStringLiteral("role")).toString() == QStringLiteral("assistant")) {
            ranks.append(child.value(QStringLiteral("rank")).toInt());
        }
        countTree(child, counts);
    }
    if (node.value(QStringLiteral("role")).toString() == QStringLiteral("prompter")) {
        for (int i = 0; i < ranks.size(); ++i) {
            for (int j = i + 1; j < ranks.size(); ++j) {
                counts.rank_pairs += ranks[i] != ranks[j] ? 1 : 0;
            }
        }
    }
}

// Lines of a prompt-response file that must be bad: a field that is not one non-blank string.
QList<int> badPromptResponseLines(const QByteArray& bytes) {
    QList<int> bad;
    const QList<QByteArray> lines = bytes.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty()) {
            continue;
        }
        const QJsonObject object = QJsonDocument::fromJson(lines[i]).object();
        for (const QString& key : {QStringLiteral("prompt"), QStringLiteral("response")}) {
            QJsonValue value = object.value(key);
            if (value.isArray() && value.toArray().size() == 1) {
                value = value.toArray().first();
            }
            if (!value.isString() || value.toString().trimmed().isEmpty()) {
                bad.append(i + 1);
                break;
            }
        }
    }
    return bad;
}

QByteArray gunzip(const QString& path) {
    QProcess gzip;
    gzip.start(QStringLiteral("gzip"), {QStringLiteral("-dc"), path});
    gzip.waitForFinished(60000);
    return gzip.readAllStandardOutput();
}

}  // namespace

class TestConverters : public QObject {
    Q_OBJECT

private slots:
    void alpacaSamplesRead_data();
    void alpacaSamplesRead();
    void alpacaRoundTripsThroughMessages();
    void promptResponseSamplesRead();
    void limaEmptyFieldsAreBadLines();
    void phoGptSampleReadsAsPromptResponse();
    void oasstCountsMatchAnIndependentTraversal();
    void oasstRoundTripIsLossless();
    void hhRlhfGzipReadsAsSharedPrefixPairs();
    void hhRlhfRoundTripsThroughPreference();
    void cliConvertsWithProvenance();
    void cliBrokenLineFailsAndLeavesNoOutput();
    void cliSkipBadWritesSideFile();
    void cliNamesTheRecordAFormatCannotHold();
    void cliRejectsUnknownFormat();
};

void TestConverters::alpacaSamplesRead_data() {
    QTest::addColumn<QString>("relative_path");
    QTest::newRow("stanford alpaca 1k") << QStringLiteral("instruct/en_alpaca_data_random1k.json");
    QTest::newRow("llama-factory identity") << QStringLiteral("instruct/en_llamafactory_identity.json");
}

void TestConverters::alpacaSamplesRead() {
    QFETCH(QString, relative_path);
    const QString path = samplePath(relative_path);
    if (path.isEmpty()) {
        QSKIP(qPrintable(
            QStringLiteral("shared sample data absent: %1/%2").arg(sampleDataDir(), relative_path)));
    }
    const QJsonArray source = QJsonDocument::fromJson(readWholeFile(path)).array();
    const std::vector<data::Record> records = readFileRecords(data::Format::Alpaca, path);
    QCOMPARE(static_cast<qsizetype>(records.size()), source.size());
    for (qsizetype i = 0; i < source.size(); ++i) {
        const QJsonObject item = source[i].toObject();
        const auto& conversation = std::get<data::Conversation>(records[static_cast<std::size_t>(i)]);
        QCOMPARE(conversation.messages.size(), std::size_t{2});
        QString user = item.value(QStringLiteral("instruction")).toString();
        if (!item.value(QStringLiteral("input")).toString().isEmpty()) {
            user += QStringLiteral("\n\n") + item.value(QStringLiteral("input")).toString();
        }
        QCOMPARE(QString::fromStdString(conversation.messages[0].content), user);
        QCOMPARE(QString::fromStdString(conversation.messages[1].content),
                 item.value(QStringLiteral("output")).toString());
        QCOMPARE(conversation.messages[1].role, data::Role::Assistant);
        QCOMPARE(QString::fromStdString(conversation.provenance.original_id),
                 QFileInfo(path).fileName() + QStringLiteral("[%1]").arg(i));
    }
}

void TestConverters::alpacaRoundTripsThroughMessages() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/en_alpaca_data_random1k.json");
    const std::vector<data::Record> records = readFileRecords(data::Format::Alpaca, path);
    const std::string messages = writeRecords(data::Format::Messages, records);
    const std::vector<data::Record> reread = readTextRecords(data::Format::Messages, messages, "mid.jsonl");
    std::size_t written = 0;
    const std::string alpaca = writeRecords(data::Format::Alpaca, reread, data::Layout::JsonArray, &written);
    QCOMPARE(written, std::size_t{1000});
    const QJsonDocument original = QJsonDocument::fromJson(readWholeFile(path));
    const QJsonDocument round_trip = QJsonDocument::fromJson(toBytes(alpaca));
    QVERIFY(round_trip.isArray());
    QCOMPARE(round_trip.array().size(), 1000);
    QVERIFY(round_trip == original);
}

void TestConverters::promptResponseSamplesRead() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
    const QList<QJsonObject> source = qtJsonLines(readWholeFile(path));
    const std::vector<data::Record> records = readFileRecords(data::Format::PromptResponse, path);
    QCOMPARE(static_cast<qsizetype>(records.size()), source.size());
    QCOMPARE(records.size(), std::size_t{1000});
    const auto& last = std::get<data::Conversation>(records.back());
    QCOMPARE(QString::fromStdString(last.messages.front().content),
             source.last().value(QStringLiteral("prompt")).toString());
    QCOMPARE(QString::fromStdString(last.provenance.original_id),
             QStringLiteral("vi_alpaca_gpt4vn_sample1000.jsonl:1000"));
}

void TestConverters::limaEmptyFieldsAreBadLines() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/vi_lima_gpt4_translated.jsonl");
    const QList<int> expected_bad = badPromptResponseLines(readWholeFile(path));
    QVERIFY(!expected_bad.isEmpty());
    // Strict reading stops at the first bad line and names it.
    try {
        readFileRecords(data::Format::PromptResponse, path);
        QFAIL("a null field was accepted");
    } catch (const UserError& error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.startsWith(path + QStringLiteral(":%1: ").arg(expected_bad.first())),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("is empty")), qPrintable(message));
    }
    data::ReadOptions options;
    options.skip_bad = true;
    QList<int> bad_lines;
    options.on_bad_line = [&](const data::BadLine& bad) {
        bad_lines.append(static_cast<int>(bad.line_number));
        QVERIFY(!bad.reason.empty());
        QVERIFY(!bad.text.empty());
    };
    const std::vector<data::Record> records = readFileRecords(data::Format::PromptResponse, path, options);
    QCOMPARE(bad_lines, expected_bad);
    QCOMPARE(static_cast<int>(records.size()) + bad_lines.size(), qtJsonLines(readWholeFile(path)).size());
}

void TestConverters::phoGptSampleReadsAsPromptResponse() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/vi_phogpt_sample_prompt_response_pairs.jsonl");
    const std::vector<data::Record> records = readFileRecords(data::Format::PromptResponse, path);
    QCOMPARE(records.size(), std::size_t{3});
    for (const data::Record& record : records) {
        const auto& conversation = std::get<data::Conversation>(record);
        // The PhoGPT template stays in the prompt, verbatim (docs/formats.md).
        QVERIFY(QString::fromStdString(conversation.messages[0].content)
                    .startsWith(QStringLiteral("### Câu hỏi:")));
        QVERIFY(!conversation.messages[1].content.empty());
    }
}

void TestConverters::oasstCountsMatchAnIndependentTraversal() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/en_oasst_100_trees.jsonl");
    TreeCounts expected;
    for (const QJsonObject& tree : qtJsonLines(readWholeFile(path))) {
        countTree(tree.value(QStringLiteral("prompt")).toObject(), expected);
    }
    const std::vector<data::Record> records = readFileRecords(data::Format::Oasst, path);
    QCOMPARE(records.size(), std::size_t{100});
    std::size_t leaf_paths = 0;
    std::size_t answered_paths = 0;
    std::size_t rank_pairs = 0;
    for (const data::Record& record : records) {
        const auto& tree = std::get<data::ConversationTree>(record);
        leaf_paths += data::conversationsFromTree(tree).size();
        answered_paths += data::answeredConversationsFromTree(tree).size();
        rank_pairs += data::preferencePairsFromTree(tree).size();
        for (const data::PreferencePair& pair : data::preferencePairsFromTree(tree)) {
            QCOMPARE(pair.prompt.back().role, data::Role::User);
            QVERIFY(pair.metadata["chosen_rank"].get<int>() < pair.metadata["rejected_rank"].get<int>());
        }
    }
    QCOMPARE(static_cast<int>(leaf_paths), expected.leaf_paths);
    QCOMPARE(static_cast<int>(answered_paths), expected.answered_paths);
    QCOMPARE(static_cast<int>(rank_pairs), expected.rank_pairs);
    QVERIFY(expected.rank_pairs > 0 && expected.answered_paths < expected.leaf_paths);
    // The writers produce the same numbers.
    std::size_t written = 0;
    writeRecords(data::Format::Messages, records, data::Layout::JsonLines, &written);
    QCOMPARE(static_cast<int>(written), expected.leaf_paths);
    writeRecords(data::Format::Alpaca, records, data::Layout::JsonLines, &written);
    QCOMPARE(static_cast<int>(written), expected.answered_paths);
    writeRecords(data::Format::Preference, records, data::Layout::JsonLines, &written);
    QCOMPARE(static_cast<int>(written), expected.rank_pairs);
}

void TestConverters::oasstRoundTripIsLossless() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/en_oasst_100_trees.jsonl");
    const std::vector<data::Record> records = readFileRecords(data::Format::Oasst, path);
    const QList<QJsonObject> source = qtJsonLines(readWholeFile(path));
    const QList<QJsonObject> written = qtJsonLines(toBytes(writeRecords(data::Format::Oasst, records)));
    QCOMPARE(written.size(), source.size());
    for (qsizetype i = 0; i < source.size(); ++i) {
        QVERIFY2(written[i] == source[i], qPrintable(QStringLiteral("tree %1 differs").arg(i)));
    }
}

void TestConverters::hhRlhfGzipReadsAsSharedPrefixPairs() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/en_hh_rlhf_harmless_base_test.jsonl.gz");
    const QList<QJsonObject> source = qtJsonLines(gunzip(path));
    QCOMPARE(source.size(), 2312);
    const std::vector<data::Record> records = readFileRecords(data::Format::HhRlhf, path);
    QCOMPARE(static_cast<qsizetype>(records.size()), source.size());
    for (qsizetype i = 0; i < source.size(); ++i) {
        const auto& pair = std::get<data::PreferencePair>(records[static_cast<std::size_t>(i)]);
        QCOMPARE(pair.prompt.front().role, data::Role::User);
        QCOMPARE(pair.prompt.back().role, data::Role::User);
        const QString chosen = source[i].value(QStringLiteral("chosen")).toString();
        QVERIFY(chosen.endsWith(QString::fromStdString(pair.chosen)));
        QVERIFY(chosen.startsWith(QStringLiteral("\n\nHuman: ") +
                                  QString::fromStdString(pair.prompt.front().content)));
    }
}

void TestConverters::hhRlhfRoundTripsThroughPreference() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/en_hh_rlhf_harmless_base_test.jsonl.gz");
    const std::vector<data::Record> records = readFileRecords(data::Format::HhRlhf, path);
    const std::string preference = writeRecords(data::Format::Preference, records);
    const std::vector<data::Record> reread =
        readTextRecords(data::Format::Preference, preference, "mid.jsonl");
    const QList<QJsonObject> written = qtJsonLines(toBytes(writeRecords(data::Format::HhRlhf, reread)));
    const QList<QJsonObject> source = qtJsonLines(gunzip(path));
    QCOMPARE(written.size(), source.size());
    for (qsizetype i = 0; i < source.size(); ++i) {
        QVERIFY2(written[i] == source[i], qPrintable(QStringLiteral("pair %1 differs").arg(i + 1)));
    }
}

void TestConverters::cliConvertsWithProvenance() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/en_alpaca_data_random1k.json");
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("alpaca.messages.jsonl"));
    const CliResult result =
        runCli({QStringLiteral("data"), QStringLiteral("convert"), QStringLiteral("--from"),
                QStringLiteral("alpaca"), QStringLiteral("--to"), QStringLiteral("messages"),
                QStringLiteral("--licence"), QStringLiteral("CC-BY-NC-4.0"), path, out});
    QVERIFY2(result.exit_code == 0, result.standard_error.constData());
    QVERIFY(result.standard_error.contains("converted 1000 records"));
    const QList<QJsonObject> lines = qtJsonLines(readWholeFile(out));
    QCOMPARE(lines.size(), 1000);
    const QJsonObject provenance = lines[7].value(QStringLiteral("provenance")).toObject();
    QCOMPARE(provenance.value(QStringLiteral("source")).toString(),
             QStringLiteral("en_alpaca_data_random1k.json"));
    QCOMPARE(provenance.value(QStringLiteral("original_id")).toString(),
             QStringLiteral("en_alpaca_data_random1k.json[7]"));
    QCOMPARE(provenance.value(QStringLiteral("licence")).toString(), QStringLiteral("CC-BY-NC-4.0"));
    QCOMPARE(provenance.value(QStringLiteral("transformations")).toArray(),
             QJsonArray({QStringLiteral("convert:alpaca->messages")}));
}

void TestConverters::cliBrokenLineFailsAndLeavesNoOutput() {
    QTemporaryDir dir;
    const QString in = dir.filePath(QStringLiteral("broken.jsonl"));
    QFile file(in);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        "{\"prompt\": \"Xin chào\", \"response\": \"Chào bạn\"}\n\n{\"prompt\": \"Hỏi\", \"response\": \n");
    file.close();
    const QString out = dir.filePath(QStringLiteral("out.jsonl"));
    const CliResult result = runCli({QStringLiteral("data"), QStringLiteral("convert"),
                                     QStringLiteral("--from"), QStringLiteral("prompt-response"),
                                     QStringLiteral("--to"), QStringLiteral("sharegpt"), in, out});
    QVERIFY(result.exit_code != 0);
    QVERIFY2(result.standard_error.contains((in + QStringLiteral(":3: broken JSON")).toUtf8()),
             result.standard_error.constData());
    QVERIFY(!QFile::exists(out));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("broken.jsonl")});
}

void TestConverters::cliSkipBadWritesSideFile() {
    VIETLLM_REQUIRE_SAMPLE(path, "instruct/vi_lima_gpt4_translated.jsonl");
    const QList<int> expected_bad = badPromptResponseLines(readWholeFile(path));
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("lima.jsonl"));
    const CliResult result =
        runCli({QStringLiteral("data"), QStringLiteral("convert"), QStringLiteral("--from"),
                QStringLiteral("prompt-response"), QStringLiteral("--to"), QStringLiteral("messages"),
                QStringLiteral("--skip-bad"), path, out});
    QVERIFY2(result.exit_code == 0, result.standard_error.constData());
    const int total = qtJsonLines(readWholeFile(path)).size();
    const QString summary = QStringLiteral("converted %1 records, skipped %2 bad lines -> %3.bad.jsonl")
                                .arg(total - expected_bad.size())
                                .arg(expected_bad.size())
                                .arg(out);
    QVERIFY2(result.standard_error.contains(summary.toUtf8()), result.standard_error.constData());
    QCOMPARE(qtJsonLines(readWholeFile(out)).size(), total - expected_bad.size());
    const QList<QJsonObject> bad = qtJsonLines(readWholeFile(out + QStringLiteral(".bad.jsonl")));
    QCOMPARE(bad.size(), expected_bad.size());
    const QList<QByteArray> source_lines = readWholeFile(path).split('\n');
    for (qsizetype i = 0; i < bad.size(); ++i) {
        QCOMPARE(bad[i].value(QStringLiteral("file")).toString(), path);
        QCOMPARE(bad[i].value(QStringLiteral("line")).toInt(), expected_bad[i]);
        QVERIFY(bad[i].value(QStringLiteral("reason")).toString().contains(QStringLiteral("is empty")));
        QCOMPARE(bad[i].value(QStringLiteral("text")).toString().toUtf8(), source_lines[expected_bad[i] - 1]);
    }
}

void TestConverters::cliNamesTheRecordAFormatCannotHold() {
    QTemporaryDir dir;
    const QString in = dir.filePath(QStringLiteral("chat.json"));
    QFile file(in);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        R"([{"instruction":"a","input":"","output":"b"}, {"instruction":"c","input":"","output":"d"}])");
    file.close();
    const QString out = dir.filePath(QStringLiteral("pairs.jsonl"));
    const QStringList arguments = {QStringLiteral("data"),
                                   QStringLiteral("convert"),
                                   QStringLiteral("--from"),
                                   QStringLiteral("alpaca"),
                                   QStringLiteral("--to"),
                                   QStringLiteral("preference"),
                                   in,
                                   out};
    const CliResult strict = runCli(arguments);
    QCOMPARE(strict.exit_code, 1);
    QVERIFY2(strict.standard_error.contains(
                 (in + QStringLiteral(":1: element 0: cannot be written as preference")).toUtf8()),
             strict.standard_error.constData());
    QVERIFY(!QFile::exists(out));
    // With --skip-bad both records go to the side file, as our messages JSON, and OUT is empty.
    const QString side = dir.filePath(QStringLiteral("refused.jsonl"));
    const CliResult skipping =
        runCli(arguments + QStringList{QStringLiteral("--skip-bad"), QStringLiteral("--bad-lines"), side});
    QCOMPARE(skipping.exit_code, 0);
    QVERIFY(skipping.standard_error.contains("converted 0 records, skipped 2 bad lines"));
    QCOMPARE(readWholeFile(out), QByteArray());
    const QList<QJsonObject> refused = qtJsonLines(readWholeFile(side));
    QCOMPARE(refused.size(), 2);
    QVERIFY(refused[1]
                .value(QStringLiteral("reason"))
                .toString()
                .startsWith(QStringLiteral("element 1: cannot be written")));
    const QJsonObject record =
        QJsonDocument::fromJson(refused[1].value(QStringLiteral("text")).toString().toUtf8()).object();
    QCOMPARE(record.value(QStringLiteral("messages")).toArray().size(), 2);
}

void TestConverters::cliRejectsUnknownFormat() {
    QTemporaryDir dir;
    const CliResult result =
        runCli({QStringLiteral("data"), QStringLiteral("convert"), QStringLiteral("--from"),
                QStringLiteral("parquet"), QStringLiteral("--to"), QStringLiteral("messages"),
                dir.filePath(QStringLiteral("in.jsonl")), dir.filePath(QStringLiteral("out.jsonl"))});
    QCOMPARE(result.exit_code, 1);
    QVERIFY(result.standard_error.contains("unknown format 'parquet'"));
    QVERIFY(result.standard_error.contains("hh-rlhf"));
}

QTEST_GUILESS_MAIN(TestConverters)
#include "tst_converters.moc"
