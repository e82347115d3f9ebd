// Legacy Vietnamese encodings: detection and repair of TCVN3, VNI, CP1258 and VIQR text that was
// read as CP1252. Round trips encode real Vietnamese lines with encoders independent of the
// decoders under test (glibc iconv for TCVN3 and CP1258; for VNI and VIQR, encoders here that
// work from Qt's NFD decomposition), read the bytes back as CP1252 through iconv, and check that
// detection and repair give back the original line exactly.

#include "backend/text/legacy_encoding.h"
#include "tests/common/test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QtTest>

#include <iconv.h>

#include <array>
#include <cerrno>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

using vietllm::text::convertFromLegacy;
using vietllm::text::detectLegacyEncoding;
using vietllm::text::LegacyEncoding;
using vietllm::text::legacyEncodingName;
using vietllm::text::repairLegacy;

Q_DECLARE_METATYPE(vietllm::text::LegacyEncoding)

namespace {

// Runs glibc iconv over `input`; nullopt when a character has no encoding in `to`.
std::optional<QByteArray> iconvConvert(const char* to, const char* from, const QByteArray& input) {
    iconv_t converter = iconv_open(to, from);
    if (converter == reinterpret_cast<iconv_t>(-1)) {
        return std::nullopt;
    }
    QByteArray in = input;
    QByteArray out(input.size() * 4 + 16, '\0');
    char* in_pointer = in.data();
    char* out_pointer = out.data();
    std::size_t in_left = static_cast<std::size_t>(in.size());
    std::size_t out_left = static_cast<std::size_t>(out.size());
    const std::size_t result = iconv(converter, &in_pointer, &in_left, &out_pointer, &out_left);
    iconv_close(converter);
    if (result == static_cast<std::size_t>(-1) || in_left != 0) {
        return std::nullopt;
    }
    out.truncate(out.size() - static_cast<int>(out_left));
    return out;
}

// What a user sees when legacy bytes are opened as Windows-1252: iconv's CP1252, with the five
// bytes CP1252 leaves undefined shown as the C1 controls Windows maps them to.
QString readAsCp1252(const QByteArray& bytes) {
    QString text;
    for (const char byte : bytes) {
        const auto value = static_cast<unsigned char>(byte);
        const std::optional<QByteArray> utf8 = iconvConvert("UTF-8", "CP1252", QByteArray(1, byte));
        text += utf8 ? QString::fromUtf8(*utf8) : QString(QChar(value));
    }
    return text;
}

// Splits an NFD cluster's combining marks into shape (circumflex, breve, horn) and tone.
struct Marks {
    char16_t shape = 0;
    char16_t tone = 0;
};

constexpr char16_t kCircumflex = 0x0302;
constexpr char16_t kBreve = 0x0306;
constexpr char16_t kHorn = 0x031B;
constexpr std::array<char16_t, 5> kTones = {0x0301, 0x0300, 0x0309, 0x0303, 0x0323};  // ' ` ? ~ .

int toneIndex(char16_t tone) {
    for (std::size_t i = 0; i < kTones.size(); ++i) {
        if (kTones[i] == tone) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

// Walks the NFD form of `line` one letter at a time: visit(base, marks) returns false to give up.
bool forEachCluster(const QString& line, const std::function<bool(QChar, Marks)>& visit) {
    const QString nfd = line.normalized(QString::NormalizationForm_D);
    for (qsizetype i = 0; i < nfd.size();) {
        const QChar base = nfd[i++];
        Marks marks;
        while (i < nfd.size() && nfd[i].category() == QChar::Mark_NonSpacing) {
            const char16_t mark = nfd[i++].unicode();
            if (mark == kCircumflex || mark == kBreve || mark == kHorn) {
                marks.shape = mark;
            } else if (toneIndex(mark) >= 0) {
                marks.tone = mark;
            } else {
                return false;
            }
        }
        if (!visit(base, marks)) {
            return false;
        }
    }
    return true;
}

// VNI-Times byte layout, by (shape, tone), for lower case; upper case is 0x20 lower.
// Tone columns: none, acute, grave, hook, tilde, dot.
constexpr std::array<int, 6> kVniPlainVowel = {0, 0xF9, 0xF8, 0xFB, 0xF5, 0xEF};
constexpr std::array<int, 6> kVniCircumflex = {0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4};
constexpr std::array<int, 6> kVniBreve = {0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB};
constexpr std::array<int, 6> kVniToneOfI = {'i', 0xED, 0xEC, 0xE6, 0xF3, 0xF2};

// VNI encoding of one NFC line; nullopt when it holds a character VNI cannot write.
std::optional<QByteArray> encodeVni(const QString& line) {
    QByteArray out;
    const bool complete = forEachCluster(line, [&](QChar base, Marks marks) {
        const bool upper = base.isUpper();
        const int shift = upper ? 0x20 : 0;
        const char16_t lower = base.toLower().unicode();
        const int tone = marks.tone == 0 ? 0 : toneIndex(marks.tone) + 1;
        if (lower == 0x0111) {  // đ
            out.append(static_cast<char>(0xF1 - shift));
            return true;
        }
        if (lower >= 0x80) {
            return false;
        }
        if (lower == 'i' && tone != 0) {
            out.append(static_cast<char>(kVniToneOfI[static_cast<std::size_t>(tone)] - shift));
            return true;
        }
        if (lower == 'y' && tone == 5) {
            out.append(static_cast<char>(0xEE - shift));
            return true;
        }
        int mark = kVniPlainVowel[static_cast<std::size_t>(tone)];
        if (marks.shape == kHorn) {
            out.append(static_cast<char>((lower == 'o' ? 0xF4 : 0xF6) - shift));
        } else {
            out.append(static_cast<char>(base.unicode()));
            if (marks.shape == kCircumflex) {
                mark = kVniCircumflex[static_cast<std::size_t>(tone)];
            } else if (marks.shape == kBreve) {
                mark = kVniBreve[static_cast<std::size_t>(tone)];
            }
        }
        if (mark != 0) {
            out.append(static_cast<char>(mark - shift));
        }
        return true;
    });
    return complete ? std::optional<QByteArray>(out) : std::nullopt;
}

// VIQR (RFC 1456) of one NFC line, typed as people did: shape mark, then tone mark, after the
// vowel; no escapes before punctuation.
std::optional<QByteArray> encodeViqr(const QString& line) {
    QByteArray out;
    const bool complete = forEachCluster(line, [&](QChar base, Marks marks) {
        const char16_t code = base.unicode();
        if (code == 0x0111 || code == 0x0110) {
            out.append(code == 0x0110 ? "DD" : "dd");
            return true;
        }
        if (code >= 0x80) {
            return false;
        }
        out.append(static_cast<char>(code));
        if (marks.shape != 0) {
            out.append(marks.shape == kCircumflex ? '^' : marks.shape == kBreve ? '(' : '+');
        }
        if (marks.tone != 0) {
            out.append("'`?~."[toneIndex(marks.tone)]);
        }
        return true;
    });
    return complete ? std::optional<QByteArray>(out) : std::nullopt;
}

// The line as a user sees it after saving it in `encoding` and opening it as CP1252.
std::optional<QString> misread(const QString& line, LegacyEncoding encoding) {
    std::optional<QByteArray> bytes;
    switch (encoding) {
        case LegacyEncoding::Tcvn3:
            bytes = iconvConvert("TCVN5712-1", "UTF-8", line.toUtf8());
            break;
        case LegacyEncoding::Cp1258:
            bytes = iconvConvert("CP1258", "UTF-8", line.toUtf8());
            break;
        case LegacyEncoding::Vni:
            bytes = encodeVni(line);
            break;
        case LegacyEncoding::Viqr:
            bytes = encodeViqr(line);
            break;
        default:
            break;
    }
    if (!bytes) {
        return std::nullopt;
    }
    return encoding == LegacyEncoding::Viqr ? QString::fromLatin1(*bytes) : readAsCp1252(*bytes);
}

QStringList readLines(const QString& path, int limit) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QStringList lines;
    while (!file.atEnd() && lines.size() < limit) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (!line.isEmpty()) {
            lines << line;
        }
    }
    return lines;
}

std::string utf8(const QString& text) {
    return text.toStdString();
}

QString fromUtf8(const std::string& text) {
    return QString::fromStdString(text);
}

}  // namespace

class TestLegacyEncoding : public QObject {
    Q_OBJECT

private slots:
    void sampleSentences_data();
    void sampleSentences();
    void unicodeTextStaysAlone_data();
    void unicodeTextStaysAlone();
    void realUnicodeSamplesAreNone();
    void englishSamplesAreNone();
    void roundTripRealLines_data();
    void roundTripRealLines();
    void wholeDocumentRepair();
    void viqrDocumentKeepsLineEnds();
    void viqrPunctuation_data();
    void viqrPunctuation();
    void tcvnPunctuationBytesStayPunctuation();
    void namesAndNoneConversion();
};

void TestLegacyEncoding::sampleSentences_data() {
    QTest::addColumn<QString>("legacy");
    QTest::addColumn<LegacyEncoding>("encoding");
    QTest::newRow("tcvn3") << QStringLiteral("Xin chµo c¸c b¹n, hßa b×nh vµ thñy lîi ë ViÖt Nam")
                           << LegacyEncoding::Tcvn3;
    QTest::newRow("vni") << QStringLiteral("Xin chaøo caùc baïn, hoøa bình vaø thuûy lôïi ôû Vieät Nam")
                         << LegacyEncoding::Vni;
    QTest::newRow("cp1258") << QStringLiteral("Xin chào các baòn, hoÌa biÌnh và thuÒy lõòi õÒ Viêòt Nam")
                            << LegacyEncoding::Cp1258;
    QTest::newRow("viqr") << QStringLiteral("Xin cha`o ca'c ba.n, ho`a bi`nh va` thu?y lo+.i o+? Vie^.t Nam")
                          << LegacyEncoding::Viqr;
}

void TestLegacyEncoding::sampleSentences() {
    QFETCH(QString, legacy);
    QFETCH(LegacyEncoding, encoding);
    const QString expected = QStringLiteral("Xin chào các bạn, hòa bình và thủy lợi ở Việt Nam");
    QCOMPARE(detectLegacyEncoding(utf8(legacy)), encoding);
    QCOMPARE(fromUtf8(convertFromLegacy(utf8(legacy), encoding)), expected);
    QCOMPARE(fromUtf8(repairLegacy(utf8(legacy))), expected);
}

void TestLegacyEncoding::unicodeTextStaysAlone_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("vietnamese") << QStringLiteral("Xin chào các bạn, hòa bình và thủy lợi ở Việt Nam");
    QTest::newRow("vietnamese-latin1-letters") << QStringLiteral("Rõ ràng là rõ, ý kiến hay.");
    QTest::newRow("vietnamese-nfd")
        << QStringLiteral("Xin chào các bạn").normalized(QString::NormalizationForm_D);
    QTest::newRow("cafe") << QStringLiteral("café");
    QTest::newRow("muller") << QStringLiteral("Müller");
    QTest::newRow("deja-vu") << QStringLiteral("déjà vu");
    QTest::newRow("french") << QStringLiteral(
        "Où est la gare ? C'est là-bas, près de l'hôtel. Il a été très naïf.");
    QTest::newRow("german") << QStringLiteral("Die Mäuse laufen über die Straße zum Bäcker, schön und müde.");
    QTest::newRow("spanish") << QStringLiteral("¿Aún no has llegado al país? Raúl está aquí, mañana más.");
    QTest::newRow("italian") << QStringLiteral("Non può essere più di così, perché è già là.");
    QTest::newRow("printf-guillemets") << QStringLiteral("»%s« uporablja %%m, »%s« pa ne");
    QTest::newRow("portuguese") << QStringLiteral("Não sei se a mãe põe as ações em São Paulo.");
    QTest::newRow("english") << QStringLiteral("I'm sure it's fine, isn't it? We'd go at 5 a.m. to the U.S.");
    QTest::newRow("code") << QStringLiteral(
        "for (int i = 0; i < n; ++i) { x.y = a^b + c? d : e; } // `code`");
    QTest::newRow("quotes") << QStringLiteral("“Xin chào” – anh nói… • ‘ok’");
    QTest::newRow("markdown") << QStringLiteral("Use `ls -la` (see man ls). Really?! Yes... ok.");
}

void TestLegacyEncoding::unicodeTextStaysAlone() {
    QFETCH(QString, text);
    QCOMPARE(detectLegacyEncoding(utf8(text)), LegacyEncoding::None);
    QCOMPARE(fromUtf8(repairLegacy(utf8(text))), text);
}

// Ordinary Unicode Vietnamese must never be "repaired": every line and document of the
// Wikipedia, news and Truyện Kiều samples is checked one by one.
void TestLegacyEncoding::realUnicodeSamplesAreNone() {
    VIETLLM_REQUIRE_SAMPLE(wiki_path, "text/vi_wikipedia_150docs.jsonl");
    VIETLLM_REQUIRE_SAMPLE(news_path, "text/vi_news_binhvq_demo_full.txt");
    VIETLLM_REQUIRE_SAMPLE(kieu_path, "text/vi_truyen_kieu_nguyen_du.txt");
    int units = 0;
    QStringList false_positives;
    const auto check = [&](const QString& text) {
        ++units;
        const LegacyEncoding found = detectLegacyEncoding(utf8(text));
        if (found != LegacyEncoding::None) {
            false_positives << QStringLiteral("%1: %2").arg(legacyEncodingName(found), text.left(120));
        }
    };
    int documents = 0;
    for (const QString& json_line : readLines(wiki_path, 1000)) {
        const QString text = QJsonDocument::fromJson(json_line.toUtf8()).object().value("text").toString();
        check(text);
        ++documents;
        for (const QString& line : text.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts)) {
            check(line);
        }
    }
    for (const QString& line : readLines(news_path, 1000) + readLines(kieu_path, 4000)) {
        check(line);
    }
    qInfo("unicode samples: %d wiki documents, %d documents and lines checked, %lld detected as legacy",
          documents, units, static_cast<long long>(false_positives.size()));
    for (const QString& hit : false_positives) {
        qInfo("  false positive %s", qPrintable(hit));
    }
    QVERIFY(documents >= 100);
    QVERIFY2(false_positives.size() * 1000 <= units, "more than 0.1% false positives");
}

// English prose, prompts and UI strings with printf placeholders are never legacy Vietnamese.
void TestLegacyEncoding::englishSamplesAreNone() {
    VIETLLM_REQUIRE_SAMPLE(prompts_path, "instruct/en_oasst_prompt_lottery_250.jsonl");
    VIETLLM_REQUIRE_SAMPLE(ui_path, "parallel/envi_debian_gettext_ui_strings.tsv");
    int checked = 0;
    QStringList false_positives;
    const auto check = [&](const QString& text) {
        ++checked;
        if (detectLegacyEncoding(utf8(text)) != LegacyEncoding::None) {
            false_positives << text.left(120);
        }
    };
    for (const QString& json_line : readLines(prompts_path, 250)) {
        check(QJsonDocument::fromJson("[" + json_line.toUtf8() + "]").array().at(0).toString());
    }
    for (const QString& row : readLines(ui_path, 3000)) {
        const QStringList fields = row.split(QLatin1Char('\t'));
        if (fields.size() >= 4) {
            check(fields.at(3));
        }
    }
    qInfo("english samples: %d texts checked, %lld detected as legacy", checked,
          static_cast<long long>(false_positives.size()));
    for (const QString& hit : false_positives) {
        qInfo("  false positive: %s", qPrintable(hit));
    }
    QVERIFY(checked >= 2000);
    QVERIFY2(false_positives.size() * 500 <= checked, "more than 0.2% false positives");
}

void TestLegacyEncoding::roundTripRealLines_data() {
    QTest::addColumn<LegacyEncoding>("encoding");
    QTest::addColumn<double>("min_line_accuracy");
    QTest::newRow("tcvn3") << LegacyEncoding::Tcvn3 << 0.99;
    QTest::newRow("vni") << LegacyEncoding::Vni << 0.99;
    QTest::newRow("cp1258") << LegacyEncoding::Cp1258 << 0.97;
    QTest::newRow("viqr") << LegacyEncoding::Viqr << 0.98;
}

// 400 news lines and 600 Truyện Kiều lines, each saved in the legacy encoding and opened as
// CP1252, must come back exactly: one by one (detection sees a single line) and as one
// document. Lines the encoding leaves as they were (pure ASCII) must stay untouched.
void TestLegacyEncoding::roundTripRealLines() {
    QFETCH(LegacyEncoding, encoding);
    QFETCH(double, min_line_accuracy);
    VIETLLM_REQUIRE_SAMPLE(news_path, "text/vi_news_binhvq_demo_full.txt");
    VIETLLM_REQUIRE_SAMPLE(kieu_path, "text/vi_truyen_kieu_nguyen_du.txt");
    if (!iconvConvert("TCVN5712-1", "UTF-8", "a") || !iconvConvert("CP1258", "UTF-8", "a")) {
        QSKIP("glibc iconv lacks TCVN5712-1 or CP1258");
    }
    QStringList originals;
    QStringList legacy_lines;
    int unencodable = 0;
    int unchanged = 0;
    for (const QString& line : readLines(news_path, 400) + readLines(kieu_path, 600)) {
        const QString original = line.normalized(QString::NormalizationForm_C);
        const std::optional<QString> legacy = misread(original, encoding);
        if (!legacy) {
            ++unencodable;
        } else if (*legacy == original) {
            ++unchanged;
            QCOMPARE(fromUtf8(repairLegacy(utf8(original))), original);
        } else {
            originals << original;
            legacy_lines << *legacy;
        }
    }
    int detected = 0;
    int restored = 0;
    QStringList failures;
    for (qsizetype i = 0; i < legacy_lines.size(); ++i) {
        const bool found = detectLegacyEncoding(utf8(legacy_lines[i])) == encoding;
        const QString repaired = fromUtf8(repairLegacy(utf8(legacy_lines[i])));
        detected += found ? 1 : 0;
        if (found && repaired == originals[i]) {
            ++restored;
        } else if (failures.size() < 8) {
            failures << QStringLiteral("%1\n      -> %2").arg(legacy_lines[i], repaired);
        }
    }
    const std::string document = utf8(legacy_lines.join(QLatin1Char('\n')));
    const QStringList repaired_lines = fromUtf8(repairLegacy(document)).split(QLatin1Char('\n'));
    QCOMPARE(detectLegacyEncoding(document), encoding);
    QCOMPARE(repaired_lines.size(), originals.size());
    int restored_in_document = 0;
    for (qsizetype i = 0; i < originals.size(); ++i) {
        restored_in_document += repaired_lines[i] == originals[i] ? 1 : 0;
    }
    const auto tried = static_cast<double>(legacy_lines.size());
    qInfo(
        "%s: %lld lines, %d detected alone, %d restored alone (%.2f%%), %d restored in one document "
        "(%.2f%%); %d lines unchanged by the encoding, %d not encodable",
        legacyEncodingName(encoding), static_cast<long long>(legacy_lines.size()), detected, restored,
        100.0 * restored / tried, restored_in_document, 100.0 * restored_in_document / tried, unchanged,
        unencodable);
    for (const QString& failure : failures) {
        qInfo("  failed: %s", qPrintable(failure));
    }
    QVERIFY(legacy_lines.size() >= 900);
    QVERIFY2(restored >= min_line_accuracy * tried, "line accuracy below the bar");
    QVERIFY2(restored_in_document >= restored, "a whole document repairs worse than its lines alone");
}

// A whole document: detected once, short lines (a lone "Ở") follow the document's encoding,
// Unicode lines and line endings stay as they were.
void TestLegacyEncoding::wholeDocumentRepair() {
    const QString original = QStringLiteral(
        "Trăm năm trong cõi người ta,\r\nChữ tài chữ mệnh khéo là ghét nhau.\r\n\r\nỞ\r\nĐà Nẵng\r\n");
    const std::optional<QString> legacy = misread(original, LegacyEncoding::Tcvn3);
    QVERIFY(legacy.has_value());
    QCOMPARE(detectLegacyEncoding(utf8(*legacy)), LegacyEncoding::Tcvn3);
    QCOMPARE(fromUtf8(repairLegacy(utf8(*legacy))), original);
    QCOMPARE(fromUtf8(convertFromLegacy(utf8(*legacy), LegacyEncoding::Tcvn3)), original);

    const QString mixed = QStringLiteral("Dòng Unicode bình thường.\n") + *legacy;
    QCOMPARE(fromUtf8(repairLegacy(utf8(mixed))), QStringLiteral("Dòng Unicode bình thường.\n") + original);
}

// convertFromLegacy and repairLegacy keep "\n" and "\r\n" and read each VIQR line alone: the
// final . of a line is punctuation even when a line break follows it.
void TestLegacyEncoding::viqrDocumentKeepsLineEnds() {
    const std::string viqr = "To^i ye^u ca'c ba.n va` ba.\r\nNgu+o+`i o+? Vie^.t Nam.\nOK\n";
    const QString expected = QStringLiteral("Tôi yêu các bạn và ba.\r\nNgười ở Việt Nam.\nOK\n");
    QCOMPARE(detectLegacyEncoding(viqr), LegacyEncoding::Viqr);
    QCOMPARE(fromUtf8(convertFromLegacy(viqr, LegacyEncoding::Viqr)), expected);
    QCOMPARE(fromUtf8(repairLegacy(viqr)), expected);
}

void TestLegacyEncoding::viqrPunctuation_data() {
    QTest::addColumn<QString>("viqr");
    QTest::addColumn<QString>("expected");
    QTest::newRow("period-at-line-end")
        << QStringLiteral("To^i ye^u ca'c ba.n va` ba.") << QStringLiteral("Tôi yêu các bạn và ba.");
    QTest::newRow("dot-below-before-capital") << QStringLiteral("Bo^. Co^ng an va` Nguye^~n Thi. Hoa")
                                              << QStringLiteral("Bộ Công an và Nguyễn Thị Hoa");
    QTest::newRow("dot-below-then-period")
        << QStringLiteral("Ddo' la` nha` cu?a ho..") << QStringLiteral("Đó là nhà của họ.");
    QTest::newRow("ellipsis") << QStringLiteral("Anh a^'y cu+o+`i ma~i...")
                              << QStringLiteral("Anh ấy cười mãi...");
    QTest::newRow("question-after-particle")
        << QStringLiteral("Em ddi dda^u dda^'y? Chu+a?") << QStringLiteral("Em đi đâu đấy? Chưa?");
    QTest::newRow("hook-mid-line") << QStringLiteral("Ngu+o+`i o+? Vie^.t Nam de^~ thu+o+ng")
                                   << QStringLiteral("Người ở Việt Nam dễ thương");
    QTest::newRow("escaped-mark") << QStringLiteral("Ddi ho.c ba\\. Ve^` nha`.")
                                  << QStringLiteral("Đi học ba. Về nhà.");
    QTest::newRow("english-word-kept") << QStringLiteral("Ddo^.i ba'o Vie^.t Nam va` what? ddu+o+.c chu+a")
                                       << QStringLiteral("Đội báo Việt Nam và what? được chưa");
}

void TestLegacyEncoding::viqrPunctuation() {
    QFETCH(QString, viqr);
    QFETCH(QString, expected);
    QCOMPARE(detectLegacyEncoding(utf8(viqr)), LegacyEncoding::Viqr);
    QCOMPARE(fromUtf8(repairLegacy(utf8(viqr))), expected);
}

// In an ABC (TCVN3) document, “ ” – … stay punctuation; a capital on those bytes (VN1) is read
// only inside a word that then spells Vietnamese.
void TestLegacyEncoding::tcvnPunctuationBytesStayPunctuation() {
    const QString legacy = QStringLiteral("“Xin chµo” – anh nãi… ViÖt Nam");
    QCOMPARE(detectLegacyEncoding(utf8(legacy)), LegacyEncoding::Tcvn3);
    QCOMPARE(fromUtf8(repairLegacy(utf8(legacy))), QStringLiteral("“Xin chào” – anh nói… Việt Nam"));
}

void TestLegacyEncoding::namesAndNoneConversion() {
    QCOMPARE(QString::fromLatin1(legacyEncodingName(LegacyEncoding::Tcvn3)), QStringLiteral("tcvn3"));
    QCOMPARE(QString::fromLatin1(legacyEncodingName(LegacyEncoding::Vni)), QStringLiteral("vni"));
    QCOMPARE(QString::fromLatin1(legacyEncodingName(LegacyEncoding::Viqr)), QStringLiteral("viqr"));
    QCOMPARE(QString::fromLatin1(legacyEncodingName(LegacyEncoding::Cp1258)), QStringLiteral("cp1258"));
    QCOMPARE(QString::fromLatin1(legacyEncodingName(LegacyEncoding::None)), QStringLiteral("none"));
    const std::string text =
        "c\xCC\x81"
        "a f\xC3\xA9";  // NFD and Latin text: untouched by None
    QCOMPARE(convertFromLegacy(text, LegacyEncoding::None), text);
    QCOMPARE(repairLegacy(text), text);
    const std::string invalid_utf8 = "abc\xFF\xFE";
    QCOMPARE(repairLegacy(invalid_utf8), invalid_utf8);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, convertFromLegacy("x", LegacyEncoding::Invalid));
}

QTEST_GUILESS_MAIN(TestLegacyEncoding)
#include "tst_legacy_encoding.moc"
