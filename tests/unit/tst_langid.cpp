// Tests of backend/text/langid.h: crafted lines (Vietnamese with and without diacritics, its
// Latin-script neighbours Indonesian, Malay and Tagalog, English and other languages, text with
// no language), accuracy floors on held-out real samples that the model never saw in training
// (eval/ and Tatoeba; the diacritic-free variant is stripped here, with Qt), and throughput on
// the Wikipedia sample; the CLI's one-JSON-object-per-line output.

#include "backend/text/langid.h"
#include "tests/common/test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QtTest>

#include <algorithm>
#include <ctime>
#include <iterator>
#include <string>
#include <vector>

using vietllm::text::identifyLanguage;
using vietllm::text::LanguageGuess;

namespace {

constexpr int kMinLineChars = 20;  // as the trainer's held-out lines
constexpr int kShortChars = 40;

LanguageGuess identify(const QString& text) {
    return identifyLanguage(text.toStdString());
}

// Every string under one of `keys` anywhere in a JSON value.
void collectStrings(const QJsonValue& value, const QString& key, const QSet<QString>& keys,
                    QStringList& out) {
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            collectStrings(it.value(), it.key(), keys, out);
        }
    } else if (value.isArray()) {
        for (const QJsonValue& item : value.toArray()) collectStrings(item, key, keys, out);
    } else if (value.isString() && keys.contains(key)) {
        out.append(value.toString());
    }
}

// The lines (at least kMinLineChars long) of the strings under `keys` in a JSON-lines file.
QStringList jsonLinesText(const QString& path, const QSet<QString>& keys) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QStringList strings;
    while (!file.atEnd()) {
        const QJsonDocument document = QJsonDocument::fromJson(file.readLine());
        collectStrings(document.object(), QString(), keys, strings);
    }
    QStringList lines;
    for (const QString& text : strings) {
        for (const QString& line : text.split(QLatin1Char('\n'))) {
            if (line.trimmed().size() >= kMinLineChars) lines.append(line.trimmed());
        }
    }
    return lines;
}

// One column of the Tatoeba English<TAB>Vietnamese file.
QStringList tatoebaColumn(const QString& path, int column) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QStringList lines;
    while (!file.atEnd()) {
        const QStringList fields = QString::fromUtf8(file.readLine()).trimmed().split(QLatin1Char('\t'));
        if (fields.size() > column && fields[column].size() >= kMinLineChars) lines.append(fields[column]);
    }
    return lines;
}

bool isVietnameseLetter(QChar c) {
    static const QString letters =
        QStringLiteral("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ");
    return letters.contains(c.toLower());
}

// At least 30% of the words carry a Vietnamese letter (the trainer's rule; drops English left
// in translated data sets).
bool looksVietnamese(const QString& line) {
    int words = 0;
    int marked = 0;
    for (const QString& word : line.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!std::any_of(word.begin(), word.end(), [](QChar c) { return c.isLetter(); })) continue;
        ++words;
        marked += std::any_of(word.begin(), word.end(), isVietnameseLetter) ? 1 : 0;
    }
    return words > 0 && marked * 10 >= words * 3;
}

bool looksEnglish(const QString& line) {
    return std::none_of(line.begin(), line.end(), [](QChar c) {
        return c.isLetter() && (c.unicode() > 0x24F || isVietnameseLetter(c));
    });
}

// Vietnamese without diacritics, computed with Qt independently of the backend.
QString stripDiacritics(QString text) {
    text.replace(QChar(0x0111), QLatin1Char('d')).replace(QChar(0x0110), QLatin1Char('D'));
    QString stripped;
    for (const QChar c : text.normalized(QString::NormalizationForm_D)) {
        if (c.category() != QChar::Mark_NonSpacing) stripped.append(c);
    }
    return stripped.normalized(QString::NormalizationForm_C);
}

struct Accuracy {
    double percent = 0;
    QString confusions;
};

// Share of `lines` labelled `lang`, and the wrong labels with their counts.
Accuracy accuracyOf(const QStringList& lines, const std::string& lang, int max_chars = -1) {
    QMap<QString, int> wrong;
    int right = 0;
    for (const QString& line : lines) {
        const std::string got = identify(max_chars > 0 ? line.left(max_chars) : line).lang;
        if (got == lang) {
            ++right;
        } else {
            ++wrong[QString::fromStdString(got)];
        }
    }
    Accuracy accuracy;
    accuracy.percent = lines.isEmpty() ? 0 : 100.0 * right / lines.size();
    for (auto it = wrong.begin(); it != wrong.end(); ++it) {
        accuracy.confusions += QStringLiteral("%1 %2 ").arg(it.key()).arg(it.value());
    }
    return accuracy;
}

void verifyFloor(const char* name, const QStringList& lines, const std::string& lang, int max_chars,
                 double floor_percent) {
    QVERIFY2(lines.size() >= 500, name);
    const Accuracy accuracy = accuracyOf(lines, lang, max_chars);
    const QString report =
        QStringLiteral("%1: %2 lines, %3% labelled %4 (floor %5%); wrong: %6")
            .arg(QLatin1String(name))
            .arg(lines.size())
            .arg(accuracy.percent, 0, 'f', 2)
            .arg(QString::fromStdString(lang))
            .arg(floor_percent)
            .arg(accuracy.confusions.isEmpty() ? QStringLiteral("none") : accuracy.confusions);
    qInfo().noquote() << report;
    QVERIFY2(accuracy.percent >= floor_percent, qPrintable(report));
}

}  // namespace

class TestLangid : public QObject {
    Q_OBJECT

private slots:
    void crafted_data();
    void crafted();
    void neighboursAreNeverVietnamese_data();
    void neighboursAreNeverVietnamese();
    void undeterminedInput_data();
    void undeterminedInput();
    void decomposedVietnameseIsVietnamese();
    void scoreIsAConfidence();
    void heldOutVietnamese();
    void heldOutEnglish();
    void throughputOnWikipedia();
    void cliPrintsOneJsonObjectPerLine();
};

void TestLangid::crafted_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("lang");
    const auto row = [](const char* name, const char* text, const char* lang) {
        QTest::newRow(name) << QString::fromUtf8(text) << QString::fromLatin1(lang);
    };
    row("vi plain chat 1", "toi khong biet lam sao ca", "vi");
    row("vi plain chat 2", "ban oi cho minh hoi cai nay bao nhieu tien vay", "vi");
    row("vi plain chat 3", "hom nay troi dep qua, di choi thoi", "vi");
    row("vi plain chat 4", "em cam on anh nhieu lam nha", "vi");
    row("vi plain chat 5", "sao lau qua vay, cho hoai ma khong thay ai", "vi");
    row("vi plain chat 6", "duong nay di ve ha noi mat bao lau", "vi");
    row("vi", "Tôi không biết phải làm sao cả.", "vi");
    row("vi question", "Bạn có thể giải thích mô hình ngôn ngữ lớn là gì không?", "vi");
    row("vi uppercase", "CHÚC MỪNG NĂM MỚI", "vi");
    row("vi mixed diacritics", "mình đi ăn com trua nhé", "vi");
    row("en", "I don't know what I should do about this problem.", "en");
    row("en chat", "thanks a lot, see you tomorrow", "en");
    row("id", "saya tidak tahu apa yang harus dilakukan", "id");
    row("id 2", "Kami akan mengirimkan pesanan Anda secepatnya", "id");
    row("tl", "hindi ko alam kung ano ang dapat kong gawin", "tl");
    row("tl 2", "Magandang umaga po, kumusta na kayo ngayong araw?", "tl");
    row("fr", "Je ne sais pas ce qu'il faut faire maintenant.", "fr");
    row("de", "Ich weiß nicht, was ich jetzt tun soll.", "de");
    row("es", "No sé qué debería hacer ahora mismo.", "es");
    row("pt", "Eu não sei o que devo fazer agora.", "pt");
    row("it", "Non so che cosa dovrei fare adesso.", "it");
    row("nl", "Ik weet niet wat ik nu moet doen.", "nl");
    row("ru", "Я не знаю, что мне теперь делать.", "ru");
    row("zh", "我不知道现在应该做什么。", "zh");
    row("zh with English terms", "请使用 --force 选项来覆盖已有的文件。", "zh");
    row("ja", "今何をすればいいのか分かりません。", "ja");
    row("ko", "지금 무엇을 해야 할지 모르겠어요.", "ko");
    row("th", "ฉันไม่รู้ว่าควรทำอะไรตอนนี้", "th");
}

void TestLangid::crafted() {
    QFETCH(QString, text);
    QFETCH(QString, lang);
    const LanguageGuess guess = identify(text);
    QCOMPARE(QString::fromStdString(guess.lang), lang);
}

void TestLangid::neighboursAreNeverVietnamese_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("accepted");
    const QStringList malay_or_indonesian{QStringLiteral("ms"), QStringLiteral("id")};
    QTest::newRow("ms 1") << QStringLiteral("saya tidak tahu apa yang perlu dibuat sekarang")
                          << malay_or_indonesian;
    QTest::newRow("ms 2") << QStringLiteral("Kerajaan akan mengumumkan keputusan itu pada minggu hadapan")
                          << malay_or_indonesian;
    QTest::newRow("ms 3") << QStringLiteral("boleh tolong saya buka fail ini?") << malay_or_indonesian;
    QTest::newRow("id short") << QStringLiteral("apa kabar, sudah makan?") << malay_or_indonesian;
    QTest::newRow("id 3") << QStringLiteral("Tidak dapat membuka berkas karena izin ditolak")
                          << malay_or_indonesian;
    QTest::newRow("tl 3") << QStringLiteral("Salamat po sa tulong ninyo kahapon")
                          << QStringList{QStringLiteral("tl")};
    QTest::newRow("tl 4") << QStringLiteral("Hindi mabuksan ang file dahil walang pahintulot")
                          << QStringList{QStringLiteral("tl")};
}

void TestLangid::neighboursAreNeverVietnamese() {
    QFETCH(QString, text);
    QFETCH(QStringList, accepted);
    const QString lang = QString::fromStdString(identify(text).lang);
    QVERIFY2(lang != QStringLiteral("vi"), qPrintable(text));
    QVERIFY2(accepted.contains(lang), qPrintable(QStringLiteral("%1 -> %2").arg(text, lang)));
}

void TestLangid::undeterminedInput_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << QStringLiteral("   \t  ");
    QTest::newRow("number") << QStringLiteral("1234567");
    QTest::newRow("arithmetic") << QStringLiteral("3.14 * (2 + 5) = 21.98");
    QTest::newRow("punctuation") << QStringLiteral("!!! ??? ... ---");
    QTest::newRow("phone and date") << QStringLiteral("0912 345 678 - 01/02/2024");
    QTest::newRow("emoji") << QString::fromUtf8("😀😂👍 ❤️");
    QTest::newRow("greek (no such class)") << QString::fromUtf8("Δεν ξέρω τι να κάνω τώρα.");
}

void TestLangid::undeterminedInput() {
    QFETCH(QString, text);
    const LanguageGuess guess = identify(text);
    QCOMPARE(QString::fromStdString(guess.lang), QStringLiteral("und"));
    QCOMPARE(guess.score, 0.0);
}

void TestLangid::decomposedVietnameseIsVietnamese() {
    const QString composed = QString::fromUtf8("Người dân đổ xô đi mua vàng trong ngày vía Thần Tài");
    const QString decomposed = composed.normalized(QString::NormalizationForm_D);
    QVERIFY(decomposed != composed);
    const LanguageGuess from_nfc = identify(composed);
    const LanguageGuess from_nfd = identify(decomposed);
    QCOMPARE(from_nfd.lang, std::string("vi"));
    QCOMPARE(from_nfd.score, from_nfc.score);  // the same features after composition
}

void TestLangid::scoreIsAConfidence() {
    const LanguageGuess clear = identify(QString::fromUtf8(
        "Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam, một trong những đô thị lớn nhất."));
    QCOMPARE(clear.lang, std::string("vi"));
    QVERIFY(clear.score > 0.99 && clear.score <= 1.0);
    const LanguageGuess one_word = identify(QStringLiteral("ok"));
    QVERIFY(one_word.score >= 0.0 && one_word.score < clear.score);
}

void TestLangid::heldOutVietnamese() {
    VIETLLM_REQUIRE_SAMPLE(xnli, "eval/vi_xnli_1000sample.jsonl");
    VIETLLM_REQUIRE_SAMPLE(belebele, "eval/vi_belebele_seahelm895.jsonl");
    VIETLLM_REQUIRE_SAMPLE(tatoeba, "parallel/envi_tatoeba_manythings_2017.tsv");
    QStringList lines = jsonLinesText(xnli, {QStringLiteral("premise"), QStringLiteral("hypothesis")});
    lines += jsonLinesText(belebele, {QStringLiteral("passage"), QStringLiteral("question")});
    lines += tatoebaColumn(tatoeba, 1);
    lines.removeDuplicates();
    QStringList vietnamese;
    std::copy_if(lines.begin(), lines.end(), std::back_inserter(vietnamese), looksVietnamese);
    QStringList stripped;
    std::transform(vietnamese.begin(), vietnamese.end(), std::back_inserter(stripped), stripDiacritics);

    verifyFloor("vi, full lines", vietnamese, "vi", -1, 99.0);
    verifyFloor("vi, first 40 chars", vietnamese, "vi", kShortChars, 99.0);
    verifyFloor("vi without diacritics, full lines", stripped, "vi", -1, 95.0);
    verifyFloor("vi without diacritics, first 40 chars", stripped, "vi", kShortChars, 97.0);
}

void TestLangid::heldOutEnglish() {
    VIETLLM_REQUIRE_SAMPLE(belebele, "eval/en_belebele_seahelm895.jsonl");
    VIETLLM_REQUIRE_SAMPLE(ifeval, "eval/en_sea_ifeval.jsonl");
    VIETLLM_REQUIRE_SAMPLE(tatoeba, "parallel/envi_tatoeba_manythings_2017.tsv");
    QStringList lines = jsonLinesText(belebele, {QStringLiteral("passage"), QStringLiteral("question")});
    lines += jsonLinesText(ifeval, {QStringLiteral("text")});
    lines += tatoebaColumn(tatoeba, 0);
    lines.removeDuplicates();
    QStringList english;
    std::copy_if(lines.begin(), lines.end(), std::back_inserter(english), looksEnglish);

    verifyFloor("en, full lines", english, "en", -1, 99.0);
    verifyFloor("en, first 40 chars", english, "en", kShortChars, 98.0);
}

void TestLangid::throughputOnWikipedia() {
    VIETLLM_REQUIRE_SAMPLE(wikipedia, "text/vi_wikipedia_150docs.jsonl");
    QFile file(wikipedia);
    QVERIFY(file.open(QIODevice::ReadOnly));
    std::vector<std::string> documents;
    std::size_t bytes = 0;
    while (!file.atEnd()) {
        const QJsonObject document = QJsonDocument::fromJson(file.readLine()).object();
        documents.push_back(document.value(QStringLiteral("text")).toString().toStdString());
        bytes += documents.back().size();
    }
    QVERIFY(documents.size() >= 100);
    identifyLanguage("khởi động");  // builds the n-gram table outside the timed loop

    // CPU time of this single thread: MB/s per core, whatever else the machine runs.
    constexpr int kRounds = 3;
    const std::clock_t start = std::clock();
    int vietnamese = 0;
    for (int round = 0; round < kRounds; ++round) {
        for (const std::string& document : documents) {
            vietnamese += identifyLanguage(document).lang == "vi" ? 1 : 0;
        }
    }
    const double seconds = std::max(1e-6, static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC);
    const double megabytes = static_cast<double>(bytes) * kRounds / 1e6;
    qInfo().noquote() << QStringLiteral(
                             "langid throughput: %1 MB of Wikipedia documents in %2 s CPU = %3 MB/s per core")
                             .arg(megabytes, 0, 'f', 2)
                             .arg(seconds, 0, 'f', 3)
                             .arg(megabytes / seconds, 0, 'f', 1);
    // A few articles are mostly English reference lists or Latin species names; as wholes they
    // are English. Every other article must be Vietnamese.
    QVERIFY2(vietnamese >= kRounds * static_cast<int>(documents.size()) * 95 / 100,
             qPrintable(QString::number(vietnamese)));
    QVERIFY2(megabytes / seconds > 1.0, "language identification is far slower than expected");
}

void TestLangid::cliPrintsOneJsonObjectPerLine() {
    const vietllm::testing::CliResult result = vietllm::testing::runCli(
        {QStringLiteral("text"), QStringLiteral("langid")},
        QByteArray(
            "toi khong biet lam sao ca\n\n2024-01-01 12:00\nsaya tidak tahu apa yang harus dilakukan\n"));
    QCOMPARE(result.exit_code, 0);
    const QList<QByteArray> lines = result.standard_output.trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    const QStringList expected{QStringLiteral("vi"), QStringLiteral("und"), QStringLiteral("und"),
                               QStringLiteral("id")};
    for (int i = 0; i < lines.size(); ++i) {
        const QJsonObject object = QJsonDocument::fromJson(lines[i]).object();
        QCOMPARE(object.value(QStringLiteral("lang")).toString(), expected[i]);
        const double score = object.value(QStringLiteral("score")).toDouble(-1);
        QVERIFY(score >= 0.0 && score <= 1.0);
    }
}

QTEST_GUILESS_MAIN(TestLangid)
#include "tst_langid.moc"
