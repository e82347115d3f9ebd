// Tests of backend/common: UTF-8 helpers, atomic file writes and located error messages.

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "tests/common/test_support.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace vietllm;

class TestCommon : public QObject {
    Q_OBJECT

private slots:
    void validUtf8IsAccepted();
    void invalidUtf8IsRejectedAtItsByte_data();
    void invalidUtf8IsRejectedAtItsByte();
    void decodeEncodeRoundTripsRandomCodePoints();
    void decodeReplacesInvalidBytes();
    void codePointCountCountsVietnameseLetters();
    void atomicWriterCommitsWholeFile();
    void atomicWriterWithoutCommitKeepsOldFile();
    void atomicWriterReportsUnwritableFolder();
    void locatedMessageNamesFileAndLine();
    void textCommandsKeepOneLinePerLine();
    void textCommandsRejectFoldersAndMissingFiles();
};

void TestCommon::validUtf8IsAccepted() {
    QVERIFY(utf8::isValid(""));
    QVERIFY(utf8::isValid("Tiếng Việt có dấu: ệ ỗ ự đ"));
    QVERIFY(utf8::isValid("\xF0\x9F\x98\x80 emoji"));
}

void TestCommon::invalidUtf8IsRejectedAtItsByte_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("expected_offset");
    QTest::newRow("lone continuation") << QByteArray("ab\x80") << 2;
    QTest::newRow("truncated 3-byte") << QByteArray("x\xE1\xBB") << 1;
    QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << 0;
    QTest::newRow("surrogate") << QByteArray("ok\xED\xA0\x80") << 2;
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 0;
    QTest::newRow("latin-1 byte") << QByteArray("caf\xE9!") << 3;
}

void TestCommon::invalidUtf8IsRejectedAtItsByte() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, expected_offset);
    const std::string text(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    const auto offset = utf8::firstInvalidByte(text);
    QVERIFY(offset.has_value());
    QCOMPARE(static_cast<int>(*offset), expected_offset);
    QVERIFY(!utf8::isValid(text));
}

void TestCommon::decodeEncodeRoundTripsRandomCodePoints() {
    std::mt19937 random(42);
    std::uniform_int_distribution<std::uint32_t> pick(1, 0x10FFFF);
    for (int round = 0; round < 200; ++round) {
        std::u32string code_points;
        while (code_points.size() < 50) {
            const char32_t code_point = pick(random);
            if (code_point < 0xD800 || code_point > 0xDFFF) {
                code_points.push_back(code_point);
            }
        }
        const std::string encoded = utf8::encode(code_points);
        QVERIFY(utf8::isValid(encoded));
        QCOMPARE(utf8::codePointCount(encoded), code_points.size());
        QVERIFY(utf8::decode(encoded) == code_points);
        // Qt's own decoder agrees with ours.
        QCOMPARE(QString::fromUtf8(encoded.data(), static_cast<qsizetype>(encoded.size())).toUcs4().size(),
                 static_cast<qsizetype>(code_points.size()));
    }
}

void TestCommon::decodeReplacesInvalidBytes() {
    const std::u32string decoded = utf8::decode(
        "a\xFF"
        "b");
    QCOMPARE(decoded.size(), std::size_t{3});
    QCOMPARE(static_cast<std::uint32_t>(decoded[1]), 0xFFFDu);
}

void TestCommon::codePointCountCountsVietnameseLetters() {
    QCOMPARE(utf8::codePointCount("Việt Nam"), std::size_t{8});
}

void TestCommon::atomicWriterCommitsWholeFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("out.jsonl")).toStdString();
    {
        AtomicFileWriter writer(path);
        writer.stream() << "line 1\nline 2\n";
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        writer.commit();
    }
    QFile file(QString::fromStdString(path));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("line 1\nline 2\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
}

void TestCommon::atomicWriterWithoutCommitKeepsOldFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("keep.txt"));
    QFile old_file(path);
    QVERIFY(old_file.open(QIODevice::WriteOnly));
    old_file.write("old content");
    old_file.close();
    {
        AtomicFileWriter writer(path.toStdString());
        writer.stream() << "half-written new cont";
        // No commit: an error or a cancel happened.
    }
    QVERIFY(old_file.open(QIODevice::ReadOnly));
    QCOMPARE(old_file.readAll(), QByteArray("old content"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
}

void TestCommon::atomicWriterReportsUnwritableFolder() {
    bool threw = false;
    try {
        AtomicFileWriter writer("/nonexistent-folder-vietllm/out.jsonl");
    } catch (const UserError& error) {
        threw = true;
        QVERIFY(QString::fromUtf8(error.what())
                    .contains(QStringLiteral("/nonexistent-folder-vietllm/out.jsonl")));
    }
    QVERIFY(threw);
}

void TestCommon::locatedMessageNamesFileAndLine() {
    QCOMPARE(QString::fromStdString(locatedMessage("data.jsonl", 12, "broken JSON")),
             QStringLiteral("data.jsonl:12: broken JSON"));
    QCOMPARE(QString::fromStdString(locatedMessage("", 3, "x")), QStringLiteral("<stdin>:3: x"));
}

void TestCommon::textCommandsKeepOneLinePerLine() {
    // Empty lines, invalid UTF-8 and CRLF must not merge or drop lines.
    const QByteArray input("a\r\n\n\xff\xfe broken\nXin  chào\n");
    for (const QString& tool : {QStringLiteral("normalize"), QStringLiteral("langid"), QStringLiteral("pii"),
                                QStringLiteral("toxicity"), QStringLiteral("quality")}) {
        const testing::CliResult result = testing::runCli({QStringLiteral("text"), tool}, input);
        QCOMPARE(result.exit_code, 0);
        QCOMPARE(result.standard_output.count('\n'), 4);
        QVERIFY2(result.standard_error.contains("<stdin>:3: invalid UTF-8"),
                 result.standard_error.constData());
    }
}

void TestCommon::textCommandsRejectFoldersAndMissingFiles() {
    QTemporaryDir dir;
    const testing::CliResult folder =
        testing::runCli({QStringLiteral("text"), QStringLiteral("normalize"), dir.path()});
    QCOMPARE(folder.exit_code, 1);
    QVERIFY(folder.standard_error.contains("is a folder"));
    const QString missing = dir.filePath(QStringLiteral("missing.txt"));
    const testing::CliResult absent =
        testing::runCli({QStringLiteral("text"), QStringLiteral("langid"), missing});
    QCOMPARE(absent.exit_code, 1);
    QVERIFY(absent.standard_error.contains(missing.toUtf8()));
    const testing::CliResult unknown =
        testing::runCli({QStringLiteral("text"), QStringLiteral("pii"), QStringLiteral("--bogus")});
    QCOMPARE(unknown.exit_code, 1);
    QVERIFY(unknown.standard_error.contains("--bogus"));
}

QTEST_GUILESS_MAIN(TestCommon)
#include "tst_common.moc"
