// Tests of backend/text/toxicity.h: crafted accented, unaccented, teencode and masked insults;
// clean sentences whose unaccented words collide with swear words ("cac", "di", "lon", "nung");
// code-point spans; every lexicon entry found in a carrier sentence; the CLI from a foreign folder;
// and precision/recall/F1 floors on ViHOS (character and comment level) and ViHSD.

#include "backend/text/toxicity.h"
#include "tests/common/csv_reader.h"
#include "tests/common/test_support.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QtTest>

#include <string>
#include <vector>

using vietllm::text::scoreToxicity;
using vietllm::text::ToxicityResult;
using vietllm::text::ToxicSpan;

namespace {

QString spanText(const QString& text, const ToxicSpan& span) {
    return vietllm::testing::codePointSlice(text, span.begin, span.end);
}

QStringList spanTexts(const QString& text, const ToxicityResult& result) {
    QStringList out;
    for (const ToxicSpan& span : result.spans) {
        out << spanText(text, span);
    }
    return out;
}

ToxicityResult score(const QString& text) {
    return scoreToxicity(text.toStdString());
}

struct Counts {
    long long true_positive = 0;
    long long false_positive = 0;
    long long false_negative = 0;
    double precision() const { return ratio(true_positive, true_positive + false_positive); }
    double recall() const { return ratio(true_positive, true_positive + false_negative); }
    double f1() const {
        const double p = precision();
        const double r = recall();
        return p + r > 0 ? 2 * p * r / (p + r) : 0;
    }
    void add(bool predicted, bool gold) {
        true_positive += predicted && gold ? 1 : 0;
        false_positive += predicted && !gold ? 1 : 0;
        false_negative += !predicted && gold ? 1 : 0;
    }
    static double ratio(long long a, long long b) {
        return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0;
    }
};

struct VihosScores {
    Counts characters;
    Counts comments;
    int rows = 0;
};

// ViHOS: `,content,index_spans`, index_spans a JSON list of offensive character offsets.
VihosScores scoreVihos(const QString& path) {
    VihosScores scores;
    const QList<QStringList> rows = vietllm::testing::readCsv(path);
    for (qsizetype r = 1; r < rows.size(); ++r) {
        if (rows[r].size() != 3) {
            continue;
        }
        ++scores.rows;
        const QString& text = rows[r][1];
        QSet<qint64> gold;
        for (const QJsonValue& offset : QJsonDocument::fromJson(rows[r][2].toUtf8()).array()) {
            gold.insert(offset.toInteger());
        }
        const ToxicityResult result = score(text);
        QSet<qint64> predicted;
        for (const ToxicSpan& span : result.spans) {
            for (std::size_t i = span.begin; i < span.end; ++i) {
                predicted.insert(static_cast<qint64>(i));
            }
        }
        for (const qint64 offset : predicted) {
            scores.characters.add(true, gold.contains(offset));
        }
        for (const qint64 offset : gold) {
            if (!predicted.contains(offset)) {
                scores.characters.add(false, true);
            }
        }
        scores.comments.add(result.toxic, !gold.isEmpty());
    }
    return scores;
}

void report(const char* name, const Counts& counts) {
    qInfo("%-34s P=%.3f R=%.3f F1=%.3f", name, counts.precision(), counts.recall(), counts.f1());
}

}  // namespace

class TestToxicity : public QObject {
    Q_OBJECT

private slots:
    void flagsOffensiveText_data();
    void flagsOffensiveText();
    void leavesCleanTextAlone_data();
    void leavesCleanTextAlone();
    void spansAreCodePointsOfTheInput();
    void scoreGrowsWithEvidence();
    void contextWordsOnlyInsideToxicText();
    void everyLexiconEntryIsFound();
    void survivesHostileInput();
    void cliWorksFromAnyFolder();
    void vihosDevFloors();
    void vihosTestHeldOutFloors();
    void vihsdDevFloors();
    void fewFlagsOnNewsAndFast();
};

void TestToxicity::flagsOffensiveText_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("spans");
    const auto row = [](const char* name, const char* text, QStringList spans) {
        QTest::newRow(name) << QString::fromUtf8(text) << spans;
    };
    // Accented.
    row("địt mẹ", "Địt mẹ mày, im đi", {"Địt mẹ mày"});
    row("ngu như bò", "Thằng này ngu như bò", {"Thằng", "ngu như bò"});
    row("óc chó", "Đúng là đồ óc chó", {"óc chó"});
    row("súc vật", "Mày là đồ súc vật", {"Mày", "súc vật"});
    row("đéo", "Đéo ai quan tâm đâu", {"Đéo"});
    row("khốn nạn", "Bọn khốn nạn lừa đảo", {"Bọn", "khốn nạn", "lừa đảo"});
    row("slur", "Lũ bắc kì chúng mày", {"Lũ", "bắc kì", "chúng mày"});
    row("đĩ", "Con đĩ kia", {"Con đĩ"});
    // Unaccented: whole text without diacritics.
    row("dit me unaccented", "dit me may thang cho", {"dit me may", "thang cho"});
    row("du ma unaccented", "du ma tui no", {"du ma"});
    row("oc cho unaccented", "ban oc cho vl", {"oc cho", "vl"});
    // Unaccented word chosen inside accented text.
    row("bare ngu in accented text", "Nói thế mà cũng nói được, ngu thật", {"ngu"});
    row("bare deo in accented text", "Tôi deo quan tâm mấy chuyện đó", {"deo"});
    // Teencode and abbreviations.
    row("vcl", "Hài vcl", {"vcl"});
    row("đm", "Đm thằng kia", {"Đm", "thằng"});
    row("dm ascii", "dm nó chứ", {"dm", "nó"});
    row("đcm", "đcm cay quá", {"đcm"});
    row("clgt", "clgt vậy trời", {"clgt"});
    row("dkm", "dkm bọn nó", {"dkm", "bọn", "nó"});
    row("cc", "Cc gì vậy", {"Cc"});
    row("j for i", "đjt mẹ nó", {"đjt mẹ", "nó"});
    row("lengthened", "đmmmm nguuuu quá", {"đmmmm", "nguuuu"});
    row("doubled final", "vãi lồnnn", {"vãi lồnnn"});
    row("masked", "đ*t mẹ cuộc đời", {"đ*t", "mẹ"});
    row("nfd input", "c\x61\xcc\x86\xcc\xa3\x63 gì", {"c\x61\xcc\x86\xcc\xa3\x63"});
    row("upper case", "ĐỊT MẸ", {"ĐỊT MẸ"});
}

void TestToxicity::flagsOffensiveText() {
    QFETCH(QString, text);
    QFETCH(QStringList, spans);
    const ToxicityResult result = score(text);
    QVERIFY2(result.toxic, qPrintable(QStringLiteral("score %1").arg(result.score)));
    QCOMPARE(spanTexts(text, result), spans);
}

void TestToxicity::leavesCleanTextAlone_data() {
    QTest::addColumn<QString>("text");
    const auto row = [](const char* name, const char* text) {
        QTest::newRow(name) << QString::fromUtf8(text);
    };
    // Unaccented text whose words collide with swear words once diacritics are gone.
    row("cac ban", "Cac ban oi cho minh hoi duong di Ha Noi");
    row("di du lich", "Toi di du lich Da Lat, di bo mot chut");
    row("lon bia", "Mot lon bia 333 gia bao nhieu vay");
    row("buoi sang", "Buoi sang an pho roi di lam");
    row("may bay", "May bay cat canh luc 10 gio");
    row("deo kinh", "Nho deo kinh khi di xe may");
    row("con cho", "Con cho nha toi rat khon");
    row("dien xuat", "Anh ay dien xuat rat tot");
    row("lon len", "Con be lon len xinh qua");
    // Accented text containing the same letters as real words.
    row("các bạn", "Các bạn cho mình hỏi đường đi Hà Nội");
    row("gạch không nung", "Sản xuất gạch không nung tại nhà máy xi măng");
    row("đi du lịch", "Gia đình tôi đi du lịch Đà Nẵng");
    row("một lon", "Anh ấy uống một lon nước ngọt");
    row("như cho", "Làm như cho có rồi về");
    row("admin", "Nhờ admin duyệt bài giúp em");
    row("units", "Chiều dài 5 dm, thể tích 500 ml");
    row("names and symbols", "Chất Cl trong nước; máy Dell; Museo del Prado; Craig L. Thomas");
    row("news", "Ông ấy bị bắt vì tội giết người, cảnh sát đang điều tra");
    row("pet", "Con chó nhà hàng xóm sủa suốt đêm");
    row("english", "Hello thầy, bài giảng hay quá");
}

void TestToxicity::leavesCleanTextAlone() {
    QFETCH(QString, text);
    const ToxicityResult result = score(text);
    QVERIFY2(!result.toxic, qPrintable(QStringLiteral("score %1, spans %2")
                                           .arg(result.score)
                                           .arg(spanTexts(text, result).join(QLatin1Char('|')))));
}

void TestToxicity::spansAreCodePointsOfTheInput() {
    const QString text = QStringLiteral("Ôi trời ơi, đồ óc chó");
    const ToxicityResult result = score(text);
    QCOMPARE(result.spans.size(), std::size_t{1});
    QCOMPARE(result.spans[0].begin, std::size_t{15});
    QCOMPARE(result.spans[0].end, std::size_t{21});
    // NFD input: the same words, more code points; spans still cut the input at the right place.
    const QString nfd = text.normalized(QString::NormalizationForm_D);
    const ToxicityResult nfd_result = score(nfd);
    QCOMPARE(spanTexts(nfd, nfd_result),
             QStringList({QStringLiteral("óc chó").normalized(QString::NormalizationForm_D)}));
}

void TestToxicity::scoreGrowsWithEvidence() {
    const ToxicityResult clean = score(QStringLiteral("Hôm nay trời đẹp quá"));
    const ToxicityResult one = score(QStringLiteral("Hôm nay trời đẹp vl"));
    const ToxicityResult two = score(QStringLiteral("Hôm nay trời đẹp vl, đm"));
    QCOMPARE(clean.score, 0.0);
    QVERIFY(!clean.toxic);
    QVERIFY(clean.spans.empty());
    QVERIFY(one.score > clean.score);
    QVERIFY(two.score > one.score);
    QVERIFY(two.score < 1.0);
    // A repeated word is one piece of evidence, not many.
    QCOMPARE(score(QStringLiteral("điên điên điên")).score, score(QStringLiteral("điên")).score);
}

void TestToxicity::contextWordsOnlyInsideToxicText() {
    // "mày" alone points at someone but is not offensive: no span, not toxic.
    const ToxicityResult friendly = score(QStringLiteral("Mày ơi đi ăn không"));
    QVERIFY(!friendly.toxic);
    QVERIFY(friendly.spans.empty());
    const ToxicityResult hostile = score(QStringLiteral("Mày ngu lắm"));
    QVERIFY(hostile.toxic);
    QCOMPARE(spanTexts(QStringLiteral("Mày ngu lắm"), hostile), QStringList({"Mày", "ngu"}));
}

// Every entry of the lexicon, in a neutral accented carrier sentence, must be found as written;
// guards against entries the matcher cannot read (bad syllables, unreachable policies).
void TestToxicity::everyLexiconEntryIsFound() {
    QFile file(QStringLiteral(VIETLLM_SOURCE_DIR "/resources/lexicon/vi_toxic_lexicon.tsv"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    int entries = 0;
    for (const QString& line : QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'))) {
        if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) {
            continue;
        }
        const QStringList fields = line.split(QLatin1Char('\t'));
        QCOMPARE(fields.size(), 4);
        QCOMPARE(fields[0], fields[0].normalized(QString::NormalizationForm_C).toLower());
        if (fields[1] == QStringLiteral("context")) {
            continue;
        }
        ++entries;
        const QString text = QStringLiteral("Bạn ấy viết ") + fields[0] + QStringLiteral(" ở đây.");
        const ToxicityResult result = score(text);
        QVERIFY2(spanTexts(text, result).contains(fields[0]), qPrintable(fields[0]));
        QVERIFY2(result.toxic == (fields[2].toDouble() >= 0.5), qPrintable(fields[0]));
    }
    QVERIFY(entries > 200);
}

void TestToxicity::survivesHostileInput() {
    QVERIFY(!scoreToxicity("").toxic);
    QVERIFY(!scoreToxicity(std::string("\xff\xfe\xc3")).toxic);
    QVERIFY(scoreToxicity(std::string("\xff ") + "đm" + std::string(" \xc3")).toxic);
    QVERIFY(!scoreToxicity(std::string(100000, 'a')).toxic);
    QVERIFY(!scoreToxicity(std::string(2000, '*')).toxic);
    std::string many;
    for (int i = 0; i < 5000; ++i) {
        many += "đm ";
    }
    const ToxicityResult result = scoreToxicity(many);
    QVERIFY(result.toxic);
    QCOMPARE(result.spans.size(), std::size_t{5000});
}

// The lexicon is compiled in: the CLI must answer from a folder with no resources/ in sight.
void TestToxicity::cliWorksFromAnyFolder() {
    QProcess process;
    process.setWorkingDirectory(QDir::tempPath());
    process.start(QStringLiteral(VIETLLM_CLI_PATH), {QStringLiteral("text"), QStringLiteral("toxicity")});
    QVERIFY(process.waitForStarted(60000));
    process.write(QStringLiteral("Hôm nay trời đẹp\nThằng này ngu vcl\n").toUtf8());
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject clean = QJsonDocument::fromJson(lines[0]).object();
    const QJsonObject toxic = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(clean.value(QStringLiteral("toxic")).toBool(), false);
    QCOMPARE(clean.value(QStringLiteral("score")).toDouble(), 0.0);
    QCOMPARE(toxic.value(QStringLiteral("toxic")).toBool(), true);
    const QJsonArray spans = toxic.value(QStringLiteral("spans")).toArray();
    QCOMPARE(spans.size(), 3);
    QCOMPARE(spans[1].toArray(), QJsonArray({10, 13}));
}

// Tuned on this file. Measured when written: characters P=0.932 R=0.291 F1=0.444;
// comments P=0.993 R=0.544 F1=0.703.
void TestToxicity::vihosDevFloors() {
    VIETLLM_REQUIRE_SAMPLE(path, "safety/vi_vihos_dev_spans.csv");
    const VihosScores scores = scoreVihos(path);
    QCOMPARE(scores.rows, 1106);
    report("ViHOS dev, characters", scores.characters);
    report("ViHOS dev, comments toxic/clean", scores.comments);
    QVERIFY(scores.characters.precision() >= 0.88);
    QVERIFY(scores.characters.f1() >= 0.40);
    QVERIFY(scores.comments.precision() >= 0.95);
    QVERIFY(scores.comments.f1() >= 0.66);
}

// Held out: never used for tuning. Measured when written: characters P=0.924 R=0.285 F1=0.436;
// comments P=0.993 R=0.539 F1=0.698.
void TestToxicity::vihosTestHeldOutFloors() {
    VIETLLM_REQUIRE_SAMPLE(path, "safety/vi_vihos_test.csv");
    const VihosScores scores = scoreVihos(path);
    QCOMPARE(scores.rows, 1106);
    report("ViHOS test (held out), characters", scores.characters);
    report("ViHOS test (held out), comments", scores.comments);
    QVERIFY(scores.characters.precision() >= 0.85);
    QVERIFY(scores.characters.f1() >= 0.38);
    QVERIFY(scores.comments.precision() >= 0.93);
    QVERIFY(scores.comments.f1() >= 0.64);
}

// ViHSD dev: clean (0) against offensive (1) + hate (2). Tuned on this file. Measured when
// written: P=0.747 R=0.539 F1=0.627. Many "clean" rows hold casual profanity ("đẹp vl"), which
// the lexicon rightly flags, so precision here is bounded by the labels.
void TestToxicity::vihsdDevFloors() {
    VIETLLM_REQUIRE_SAMPLE(path, "safety/vi_vihsd_dev.csv");
    const QList<QStringList> rows = vietllm::testing::readCsv(path);
    Counts counts;
    int used = 0;
    for (qsizetype r = 1; r < rows.size(); ++r) {
        if (rows[r].size() != 2) {
            continue;
        }
        ++used;
        counts.add(score(rows[r][0]).toxic, rows[r][1].toInt() > 0);
    }
    QCOMPARE(used, 2672);
    report("ViHSD dev, clean vs offensive+hate", counts);
    QVERIFY(counts.precision() >= 0.70);
    QVERIFY(counts.f1() >= 0.59);
}

// Clean published news: measured 1 toxic line of 1,000 (a quoted "khốn nạn").
void TestToxicity::fewFlagsOnNewsAndFast() {
    VIETLLM_REQUIRE_SAMPLE(path, "text/vi_news_binhvq_demo_full.txt");
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QElapsedTimer timer;
    timer.start();
    int toxic = 0;
    qint64 bytes = 0;
    for (const QByteArray& line : lines) {
        toxic += scoreToxicity(line.toStdString()).toxic ? 1 : 0;
        bytes += line.size();
    }
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    qInfo("news: %d toxic lines of %lld; %.2f MB/s", toxic, static_cast<long long>(lines.size()),
          static_cast<double>(bytes) / 1e6 / seconds);
    QVERIFY(toxic <= 3);
    QVERIFY(seconds < 10);
}

QTEST_GUILESS_MAIN(TestToxicity)
#include "tst_toxicity.moc"
