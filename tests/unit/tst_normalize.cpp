// Tests of backend/text/normalize.h: NFC, tone placement of open oa/oe/uy syllables, the repair
// of impossible tone positions, Ð → Đ, invisible characters and spaces, idempotence over many
// generated inputs, the real Wikipedia and Truyện Kiều samples, and throughput.

#include "backend/common/utf8.h"
#include "backend/text/normalize.h"
#include "tests/common/test_support.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QtTest>

#include <ctime>
#include <string>
#include <vector>

using vietllm::text::normalize;
using vietllm::text::NormalizeOptions;
using vietllm::text::ToneStyle;

namespace {

std::string utf8(const QString& text) {
    return text.toStdString();
}

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

NormalizeOptions withStyle(ToneStyle style) {
    NormalizeOptions options;
    options.tone_style = style;
    return options;
}

bool isNfc(const std::string& text) {
    const QString string = qs(text);
    return string.normalized(QString::NormalizationForm_C) == string;
}

// The text with its tone marks removed (shape marks and đ kept): two spellings that differ
// only in where the tone sits compare equal. Computed with Qt, independently of the backend.
QString withoutTones(const QString& text) {
    QString decomposed = text.normalized(QString::NormalizationForm_D);
    static const QRegularExpression tone_marks(
        QStringLiteral("[\\x{0300}\\x{0301}\\x{0303}\\x{0309}\\x{0323}]"));
    decomposed.remove(tone_marks);
    return decomposed.normalized(QString::NormalizationForm_C);
}

// The letters of a token without surrounding punctuation, lower case and without tones.
QString toneLessCore(const QString& token) {
    static const QRegularExpression edges(QStringLiteral("^[^\\p{L}]+|[^\\p{L}]+$"));
    return withoutTones(token).toLower().remove(edges);
}

// True for an open syllable whose rime is exactly oa, oe or uy (not qu-/gi-).
bool isTwoWaySyllable(const QString& token) {
    const QString core = toneLessCore(token);
    static const QRegularExpression two_way(
        QStringLiteral("^(ngh|ng|nh|ch|kh|ph|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?(oa|oe|uy)$"));
    return two_way.match(core).hasMatch();
}

// What a correct normalizer must keep of a line: NFC, format and control characters gone,
// split at whitespace. Built with Qt as an independent oracle.
QStringList expectedTokens(const std::string& line) {
    QString text = qs(line).normalized(QString::NormalizationForm_C);
    QStringList tokens;
    QString token;
    for (const QChar c : text) {
        if (c.isSpace()) {
            if (!token.isEmpty()) {
                tokens << token;
            }
            token.clear();
        } else if (c.category() != QChar::Other_Format && c.category() != QChar::Other_Control) {
            token.append(c);
        }
    }
    if (!token.isEmpty()) {
        tokens << token;
    }
    return tokens;
}

struct SampleDiff {
    int tokens = 0;
    int two_way_moves = 0;  // tone moved inside an oa/oe/uy syllable
    int repairs = 0;        // tone moved out of an impossible place
    int eth = 0;            // Ð → Đ
    QStringList unexplained;
    QStringList repaired_examples;
};

// Classifies one changed letter run (a syllable) of the sample.
void classifyChange(const QString& before, const QString& after, SampleDiff& diff) {
    QString eth_fixed = before;
    eth_fixed.replace(QChar(0xD0), QChar(0x110)).replace(QChar(0xF0), QChar(0x111));
    if (eth_fixed == after) {
        ++diff.eth;
    } else if (withoutTones(before) != withoutTones(after)) {
        diff.unexplained << before + QStringLiteral(" -> ") + after;
    } else if (isTwoWaySyllable(after)) {
        ++diff.two_way_moves;
    } else {
        ++diff.repairs;
        diff.repaired_examples << before + QStringLiteral(" -> ") + after;
    }
}

// Compares normalize(line) token by token with the oracle; inside a changed token (hóa-học,
// Geneva,Thụy) compares its letter runs one by one.
void diffLine(const std::string& line, const std::string& output, SampleDiff& diff) {
    const QStringList before = expectedTokens(line);
    const QStringList after = qs(output).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (before.size() != after.size()) {
        diff.unexplained << QStringLiteral("token count: %1 | %2").arg(qs(line), qs(output));
        return;
    }
    static const QRegularExpression non_letters(QStringLiteral("[^\\p{L}\\p{M}]+"));
    for (int i = 0; i < before.size(); ++i) {
        diff.tokens += 1;
        if (before[i] == after[i]) {
            continue;
        }
        const QStringList runs_before = before[i].split(non_letters);
        const QStringList runs_after = after[i].split(non_letters);
        if (runs_before.size() != runs_after.size()) {
            diff.unexplained << before[i] + QStringLiteral(" -> ") + after[i];
            continue;
        }
        for (int run = 0; run < runs_before.size(); ++run) {
            if (runs_before[run] != runs_after[run]) {
                classifyChange(runs_before[run], runs_after[run], diff);
            }
        }
    }
}

std::vector<std::string> sampleLines(const QString& path, bool jsonl) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    std::vector<std::string> lines;
    const auto addLines = [&](const QString& text) {
        for (QString line : text.split(QLatin1Char('\n'))) {
            if (line.endsWith(QLatin1Char('\r'))) {
                line.chop(1);
            }
            lines.push_back(utf8(line));
        }
    };
    while (!file.atEnd()) {
        const QByteArray raw = file.readLine();
        if (jsonl) {
            addLines(QJsonDocument::fromJson(raw).object().value(QStringLiteral("text")).toString());
        } else {
            addLines(QString::fromUtf8(raw));
        }
    }
    return lines;
}

}  // namespace

class TestNormalize : public QObject {
    Q_OBJECT

private:
    // Runs the real-sample checks on `lines` in one style and returns the classified diff.
    SampleDiff checkSample(const std::vector<std::string>& lines, ToneStyle style) {
        SampleDiff diff;
        const NormalizeOptions options = withStyle(style);
        for (const std::string& line : lines) {
            const std::string once = normalize(line, options);
            if (!isNfc(once) || normalize(once, options) != once) {
                diff.unexplained << QStringLiteral("not NFC or not idempotent: ") + qs(line);
                continue;
            }
            diffLine(line, once, diff);
        }
        return diff;
    }

private slots:
    void parseToneStyle_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("style");
        const int first = static_cast<int>(ToneStyle::OnFirstVowel);
        const int second = static_cast<int>(ToneStyle::OnSecondVowel);
        const int invalid = static_cast<int>(ToneStyle::Invalid);
        QTest::newRow("hóa NFC") << QStringLiteral("h\u00F3a") << first;
        QTest::newRow("hóa NFD") << QStringLiteral("ho\u0301a") << first;
        QTest::newRow("hoà NFC") << QStringLiteral("ho\u00E0") << second;
        QTest::newRow("hoà NFD") << QStringLiteral("hoa\u0300") << second;
        QTest::newRow("hòa") << QStringLiteral("h\u00F2a") << first;
        QTest::newRow("hoá") << QStringLiteral("ho\u00E1") << second;
        QTest::newRow("ascii first") << QStringLiteral("hoa-first") << first;
        QTest::newRow("ascii second") << QStringLiteral("hoa-second") << second;
        QTest::newRow("no tone") << QStringLiteral("hoa") << invalid;
        QTest::newRow("empty") << QString() << invalid;
        QTest::newRow("other word") << QStringLiteral("th\u1EE7y") << invalid;
        QTest::newRow("old/new") << QStringLiteral("old") << invalid;
    }
    void parseToneStyle() {
        QFETCH(QString, name);
        QFETCH(int, style);
        QCOMPARE(static_cast<int>(vietllm::text::parseToneStyle(utf8(name))), style);
    }

    void tonePlacement_data() {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        const char* const pairs[][2] = {
            {"hóa", "hoá"},
            {"hòa", "hoà"},
            {"họa", "hoạ"},
            {"thủy", "thuỷ"},
            {"khỏe", "khoẻ"},
            {"Hòa", "Hoà"},
            {"Ủy", "Uỷ"},
            {"ủy", "uỷ"},
            {"tùy", "tuỳ"},
            {"lòe", "loè"},
            {"xõa", "xoã"},
            {"lũy", "luỹ"},
            {"góa", "goá"},
            {"òa", "oà"},
            {"HÒA", "HOÀ"},
            {"THỦY", "THUỶ"},
            {"Thủy", "Thuỷ"},
            {"KHỎE", "KHOẺ"},
            {"ngõa", "ngoã"},
            {"xòe", "xoè"},
            {"nhòa", "nhoà"},
            {"trủy", "truỷ"},
            {"Hòa Bình", "Hoà Bình"},
            {"thủy điện", "thuỷ điện"},
            {"khỏe mạnh.", "khoẻ mạnh."},
            {"(hóa học)", "(hoá học)"},
            {"tùy-ý", "tuỳ-ý"},
        };
        for (const auto& pair : pairs) {
            QTest::newRow(pair[0]) << QString::fromUtf8(pair[0]) << QString::fromUtf8(pair[1]);
        }
    }
    void tonePlacement() {
        QFETCH(QString, first);
        QFETCH(QString, second);
        const NormalizeOptions on_first = withStyle(ToneStyle::OnFirstVowel);
        const NormalizeOptions on_second = withStyle(ToneStyle::OnSecondVowel);
        QCOMPARE(qs(normalize(utf8(first), on_first)), first);
        QCOMPARE(qs(normalize(utf8(second), on_first)), first);
        QCOMPARE(qs(normalize(utf8(first), on_second)), second);
        QCOMPARE(qs(normalize(utf8(second), on_second)), second);
        QCOMPARE(qs(normalize(utf8(second))), first);  // the default is the first vowel
        const std::string decomposed = utf8(second.normalized(QString::NormalizationForm_D));
        QCOMPARE(qs(normalize(decomposed, on_first)), first);
    }

    void untouchedSyllables_data() {
        QTest::addColumn<QString>("text");
        const char* const words[] = {
            "hoàng", "hoạch",   "khuyên", "khuyết", "quý",   "quỳ",   "quả",   "quà",   "Quỳnh",
            "già",   "giò",     "giữa",   "khuya",  "khuỷu", "ngoẹo", "ngoài", "xoáy",  "thuở",
            "Huế",   "tuần",    "hoán",   "oán",    "thoát", "huỳnh", "tuyết", "quyển", "toàn",
            "Việt",  "nghiêng", "người",  "café",   "José",  "naïve", "Raúl",  "São",   "mùa",
            "múa",   "núi",     "hỏi",    "giấy",   "quốc",  "hoa",   "thuy",  "OK",
        };
        for (const char* word : words) {
            QTest::newRow(word) << QString::fromUtf8(word);
        }
    }
    void untouchedSyllables() {
        QFETCH(QString, text);
        QCOMPARE(qs(normalize(utf8(text), withStyle(ToneStyle::OnFirstVowel))), text);
        QCOMPARE(qs(normalize(utf8(text), withStyle(ToneStyle::OnSecondVowel))), text);
    }

    void misplacedToneRepaired_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        const char* const pairs[][2] = {
            {"lựơng", "lượng"},   {"baỏ", "bảo"},   {"qúa", "quá"},     {"qủy", "quỷ"},
            {"gìa", "già"},       {"hòan", "hoàn"}, {"ngòai", "ngoài"}, {"tòan", "toàn"},
            {"khỏang", "khoảng"}, {"đựơc", "được"}, {"mùôn", "muồn"},   {"HÒAN", "HOÀN"},
            {"ngừơi", "người"},
        };
        for (const auto& pair : pairs) {
            QTest::newRow(pair[0]) << QString::fromUtf8(pair[0]) << QString::fromUtf8(pair[1]);
        }
    }
    void misplacedToneRepaired() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(qs(normalize(utf8(input))), expected);
    }

    void ethBecomesDStroke_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("Ðà Nẵng") << QStringLiteral("\u00D0\u00E0 N\u1EB5ng")
                                 << QStringLiteral("\u0110\u00E0 N\u1EB5ng");
        QTest::newRow("ÐẠI HỌC") << QStringLiteral("\u00D0\u1EA0I H\u1ECCC")
                                 << QStringLiteral("\u0110\u1EA0I H\u1ECCC");
        QTest::newRow("ðiện") << QStringLiteral("\u00F0i\u1EC7n") << QStringLiteral("\u0111i\u1EC7n");
        QTest::newRow("Ðoàn") << QStringLiteral("\u00D0o\u00E0n") << QStringLiteral("\u0110o\u00E0n");
        QTest::newRow("Icelandic Guðrún")
            << QStringLiteral("Gu\u00F0r\u00FAn") << QStringLiteral("Gu\u00F0r\u00FAn");
        QTest::newRow("Icelandic ÞÓRÐUR")
            << QStringLiteral("\u00DE\u00D3R\u00D0UR") << QStringLiteral("\u00DE\u00D3R\u00D0UR");
        QTest::newRow("not a syllable") << QStringLiteral("\u00D0orri") << QStringLiteral("\u00D0orri");
        QTest::newRow("alone") << QStringLiteral("\u00D0") << QStringLiteral("\u00D0");
    }
    void ethBecomesDStroke() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(qs(normalize(utf8(input))), expected);
    }

    void invisibleAndSpaces_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("BOM") << QStringLiteral("\uFEFFXin ch\u00E0o") << QStringLiteral("Xin ch\u00E0o");
        QTest::newRow("ZWSP in word")
            << QStringLiteral("Vi\u1EC7t\u200BNam") << QStringLiteral("Vi\u1EC7tNam");
        QTest::newRow("ZWNJ ZWJ WJ") << QStringLiteral("a\u200Cb\u200Dc\u2060d") << QStringLiteral("abcd");
        QTest::newRow("soft hyphen") << QStringLiteral("h\u00F2\u00ADa") << QStringLiteral("h\u00F2a");
        QTest::newRow("soft hyphen joins a syllable")
            << QStringLiteral("ho\u00AD\u00E0") << QStringLiteral("h\u00F2a");
        QTest::newRow("LRM RLM bidi")
            << QStringLiteral("\u200Eab\u200F\u202Ac\u202C\u2066d\u2069") << QStringLiteral("abcd");
        QTest::newRow("NBSP") << QStringLiteral("a\u00A0b") << QStringLiteral("a b");
        QTest::newRow("narrow NBSP") << QStringLiteral("10\u202F000") << QStringLiteral("10 000");
        QTest::newRow("em space, ideographic")
            << QStringLiteral("a\u2003b\u3000c") << QStringLiteral("a b c");
        QTest::newRow("tabs and runs") << QStringLiteral("a \t\t  b") << QStringLiteral("a b");
        QTest::newRow("trim") << QStringLiteral("  \t a b \u00A0 ") << QStringLiteral("a b");
        QTest::newRow("line ends") << QStringLiteral("\r\na\r\n") << QStringLiteral("a");
        QTest::newRow("inner separators")
            << QStringLiteral("a\u2028b\u2029c\u0085d\re") << QStringLiteral("a b c d e");
        QTest::newRow("controls") << QStringLiteral("a\u0001b\u007Fc\u0090d") << QStringLiteral("abcd");
        QTest::newRow("only invisible") << QStringLiteral("\u200B\uFEFF \u00A0") << QString();
        QTest::newRow("empty") << QString() << QString();
    }
    void invisibleAndSpaces() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(qs(normalize(utf8(input))), expected);
    }

    void decomposedInputComposed() {
        const QString nfc = QStringLiteral("Ti\u1EBFng Vi\u1EC7t c\u00F3 d\u1EA5u, \u0110\u1EA0I H\u1ECCC");
        const std::string nfd = utf8(nfc.normalized(QString::NormalizationForm_D));
        QCOMPARE(qs(normalize(nfd)), nfc);
        QCOMPARE(qs(vietllm::text::toNfc(nfd)), nfc);
        // Marks in a non-canonical order are reordered before composing: e + dot + circumflex.
        QCOMPARE(qs(vietllm::text::toNfc("Vie\xCC\xA3\xCC\x82t")), QStringLiteral("Vi\u1EC7t"));
        QCOMPARE(qs(vietllm::text::toNfc("Vie\xCC\x82\xCC\xA3t")), QStringLiteral("Vi\u1EC7t"));
        // Invalid bytes become U+FFFD.
        QCOMPARE(qs(vietllm::text::toNfc("a\xFF"
                                         "b")),
                 QStringLiteral("a\uFFFDb"));
        QCOMPARE(qs(normalize("a\xFF"
                              "b")),
                 QStringLiteral("a\uFFFDb"));
    }

    void stripDiacritics_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("sentence") << QStringLiteral("Ti\u1EBFng Vi\u1EC7t") << QStringLiteral("Tieng Viet");
        QTest::newRow("đ Đ") << QStringLiteral("\u0110\u00E0 N\u1EB5ng \u0111\u1EB9p")
                             << QStringLiteral("Da Nang dep");
        QTest::newRow("upper") << QStringLiteral("\u0110\u01AF\u1EE2C") << QStringLiteral("DUOC");
        QTest::newRow("all vowels") << QStringLiteral("\u1EA5\u1EB7\u1EC7\u1ECB\u1ED9\u1EE3\u1EF1\u1EF5")
                                    << QStringLiteral("aaeioouy");
        QTest::newRow("NFD") << QStringLiteral("ngu\u031Bo\u031B\u0300i") << QStringLiteral("nguoi");
        QTest::newRow("eth") << QStringLiteral("\u00D0\u00E0") << QStringLiteral("Da");
        QTest::newRow("other scripts kept")
            << QStringLiteral("\u00F1 \u00DF \u4E2D") << QStringLiteral("\u00F1 \u00DF \u4E2D");
    }
    void stripDiacritics() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(qs(vietllm::text::stripDiacritics(utf8(input))), expected);
    }

    void fixLegacyRepairsFirst() {
        // TCVN3 (ABC) bytes read as Latin-1, the sample of docs/notes on legacy encodings.
        const QString tcvn3 = QStringLiteral(
            "Xin ch\u00B5o c\u00B8c b\u00B9n, h\u00DFa b\u00D7nh v\u00B5 th\u00F1y l\u00EEi \u00EB Vi\u00D6t "
            "Nam");
        NormalizeOptions options;
        options.fix_legacy = true;
        QCOMPARE(qs(normalize(utf8(tcvn3), options)),
                 QStringLiteral(
                     "Xin ch\u00E0o c\u00E1c b\u1EA1n, h\u00F2a b\u00ECnh v\u00E0 th\u1EE7y l\u1EE3i \u1EDF "
                     "Vi\u1EC7t Nam"));
        QCOMPARE(qs(normalize(utf8(tcvn3))), tcvn3);  // opt-in only
    }

    void generatedInputsIdempotentAndNfc() {
        const QStringList vietnamese = {
            QStringLiteral("h\u00F2a"),
            QStringLiteral("ho\u00E0"),
            QStringLiteral("th\u1EE7y"),
            QStringLiteral("Khoe\u0309"),
            QStringLiteral("KHO\u1EBA"),
            QStringLiteral("\u1EE6y"),
            QStringLiteral("u\u1EF7"),
            QStringLiteral("qu\u00FD"),
            QStringLiteral("gi\u00E0"),
            QStringLiteral("nghi\u00EAng"),
            QStringLiteral("Vi\u1EC7t"),
            QStringLiteral("ng\u01B0\u1EDDi"),
            QStringLiteral("l\u1EF1\u01A1ng"),
            QStringLiteral("ba\u1ECF"),
            QStringLiteral("\u00D0\u00E0"),
            QStringLiteral("\u00F0"),
            QStringLiteral("\u0110\u1EA0I"),
            QStringLiteral("q\u00FAa"),
            QStringLiteral("o"),
            QStringLiteral("u"),
            QStringLiteral("y"),
            QStringLiteral("a"),
            QStringLiteral("e"),
            QStringLiteral("H"),
            QStringLiteral("Q"),
            QStringLiteral("g"),
            QStringLiteral("i"),
            QStringLiteral("\u00F3"),
            QStringLiteral("\u00E0"),
            QStringLiteral("\u1EF3"),
        };
        QStringList pieces = vietnamese;
        for (const QString& word : vietnamese) {
            pieces << word.normalized(QString::NormalizationForm_D) << word.toUpper();
        }
        pieces << QStringLiteral("\u0300") << QStringLiteral("\u0301") << QStringLiteral("\u0303")
               << QStringLiteral("\u0309") << QStringLiteral("\u0323") << QStringLiteral("\u0302")
               << QStringLiteral("\u0306") << QStringLiteral("\u031B") << QStringLiteral("\uFEFF")
               << QStringLiteral("\u200B") << QStringLiteral("\u200C") << QStringLiteral("\u200D")
               << QStringLiteral("\u2060") << QStringLiteral("\u00AD") << QStringLiteral("\u200E")
               << QStringLiteral("\u202A") << QStringLiteral(" ") << QStringLiteral("  ")
               << QStringLiteral("\t") << QStringLiteral("\u00A0") << QStringLiteral("\u202F")
               << QStringLiteral("\u2003") << QStringLiteral("\u3000") << QStringLiteral("\r")
               << QStringLiteral("\n") << QStringLiteral("\u2028") << QStringLiteral("\u0085")
               << QStringLiteral("1") << QStringLiteral("-") << QStringLiteral(".") << QStringLiteral("'")
               << QStringLiteral("\u00F1") << QStringLiteral("\u212B") << QStringLiteral("\uAC00")
               << QStringLiteral("\u1100") << QStringLiteral("\u1161") << QStringLiteral("\U0001F600")
               << QStringLiteral("\u00EF") << QStringLiteral("\u0001");
        std::vector<std::string> byte_pieces;
        for (const QString& piece : pieces) {
            byte_pieces.push_back(utf8(piece));
        }
        byte_pieces.push_back("\xFF");  // an invalid byte
        const QRegularExpression forbidden(QStringLiteral(
            "[\\x{FEFF}\\x{200B}-\\x{200F}\\x{2060}\\x{00AD}\\x{202A}\\x{00A0}\\x{202F}\\x{2003}"
            "\\x{3000}\\x{2028}\\x{0085}\\t\\r\\n\\x{0001}]|  |^ | $"));
        QRandomGenerator random(20240501);
        for (int round = 0; round < 20000; ++round) {
            std::string input;
            const int count = random.bounded(1, 12);
            for (int i = 0; i < count; ++i) {
                input += byte_pieces[random.bounded(static_cast<quint32>(byte_pieces.size()))];
            }
            const ToneStyle style = round % 2 == 0 ? ToneStyle::OnFirstVowel : ToneStyle::OnSecondVowel;
            const std::string once = normalize(input, withStyle(style));
            QVERIFY2(vietllm::utf8::isValid(once), input.c_str());
            QVERIFY2(isNfc(once), (input + " -> " + once).c_str());
            QVERIFY2(normalize(once, withStyle(style)) == once, (input + " -> " + once).c_str());
            QVERIFY2(!qs(once).contains(forbidden), (input + " -> " + once).c_str());
        }
    }

    void wikipediaSample() {
        VIETLLM_REQUIRE_SAMPLE(path, "text/vi_wikipedia_150docs.jsonl");
        const std::vector<std::string> lines = sampleLines(path, true);
        QVERIFY(lines.size() > 5000);
        for (const ToneStyle style : {ToneStyle::OnFirstVowel, ToneStyle::OnSecondVowel}) {
            const SampleDiff diff = checkSample(lines, style);
            qInfo("Wikipedia, style %d: %d tokens, %d oa/oe/uy tone moves, %d repairs %s, %d eth",
                  static_cast<int>(style), diff.tokens, diff.two_way_moves, diff.repairs,
                  qPrintable(diff.repaired_examples.join(u", ")), diff.eth);
            QVERIFY2(diff.unexplained.isEmpty(), qPrintable(diff.unexplained.mid(0, 20).join(u"\n")));
            QVERIFY(diff.two_way_moves > 0);
            QVERIFY(diff.two_way_moves + diff.repairs < diff.tokens / 100);
            QVERIFY(diff.repairs <= 20);
        }
    }

    void truyenKieuSample() {
        VIETLLM_REQUIRE_SAMPLE(path, "text/vi_truyen_kieu_nguyen_du.txt");
        const std::vector<std::string> lines = sampleLines(path, false);
        QVERIFY(lines.size() > 3000);
        for (const ToneStyle style : {ToneStyle::OnFirstVowel, ToneStyle::OnSecondVowel}) {
            const SampleDiff diff = checkSample(lines, style);
            qInfo("Truyen Kieu, style %d: %d tokens, %d oa/oe/uy tone moves, %d repairs %s",
                  static_cast<int>(style), diff.tokens, diff.two_way_moves, diff.repairs,
                  qPrintable(diff.repaired_examples.join(u", ")));
            QVERIFY2(diff.unexplained.isEmpty(), qPrintable(diff.unexplained.mid(0, 20).join(u"\n")));
            QVERIFY(diff.two_way_moves + diff.repairs < diff.tokens / 50);
            QVERIFY(diff.repairs <= 5);
        }
    }

    // The CLI wrapper: one output line per input line, the style flag, a bad flag value.
    void cliNormalize() {
        const QByteArray input =
            QByteArrayLiteral("ho\xC3\xA0\nThu\xE1\xBB\xB7  \xC2\xA0 l\xE1\xBB\xA3i\r\n\n");
        const vietllm::testing::CliResult first = vietllm::testing::runCli({"text", "normalize"}, input);
        QCOMPARE(first.exit_code, 0);
        QCOMPARE(QString::fromUtf8(first.standard_output),
                 QStringLiteral("h\u00F2a\nTh\u1EE7y l\u1EE3i\n\n"));
        const vietllm::testing::CliResult second = vietllm::testing::runCli(
            {"text", "normalize", "--tone-style", QStringLiteral("ho\u00E0")}, input);
        QCOMPARE(second.exit_code, 0);
        QCOMPARE(QString::fromUtf8(second.standard_output),
                 QStringLiteral("ho\u00E0\nThu\u1EF7 l\u1EE3i\n\n"));
        const vietllm::testing::CliResult bad =
            vietllm::testing::runCli({"text", "normalize", "--tone-style", "old"}, input);
        QVERIFY(bad.exit_code != 0);
        QVERIFY(bad.standard_error.contains("--tone-style"));
    }

    // Throughput on one core (CPU time, so that other processes on the machine do not count).
    void throughput() {
        VIETLLM_REQUIRE_SAMPLE(path, "text/vi_wikipedia_150docs.jsonl");
        const std::vector<std::string> lines = sampleLines(path, true);
        std::size_t bytes_per_pass = 0;
        for (const std::string& line : lines) {
            bytes_per_pass += line.size() + 1;
        }
        normalize(
            "warm up the tables: h\xC3\xB2"
            "a");
        const std::clock_t start = std::clock();
        std::size_t bytes = 0;
        std::size_t output_bytes = 0;
        while (bytes < 16 * 1000 * 1000) {
            for (const std::string& line : lines) {
                output_bytes += normalize(line).size();
            }
            bytes += bytes_per_pass;
        }
        const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
        const double mb_per_second = static_cast<double>(bytes) / 1e6 / seconds;
        qInfo("normalize: %.1f MB/s on one core (%zu MB of Wikipedia text, %zu MB out, %.2f s CPU)",
              mb_per_second, bytes / 1000000, output_bytes / 1000000, seconds);
        QVERIFY(output_bytes > bytes / 2);
        // A floor far below the measured speed, so that only a real regression fails here.
        QVERIFY(mb_per_second > 10.0);
    }
};

QTEST_GUILESS_MAIN(TestNormalize)
#include "tst_normalize.moc"
