// Tests of backend/text/quality.h: the Vietnamese syllable validator (phonotactic rules, the
// hunspell syllable list, the OpenSubtitles word list, English words) and the quality signals
// on crafted texts.

#include "backend/text/normalize.h"
#include "backend/text/quality.h"
#include "tests/common/test_support.h"

#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <string>

using vietllm::text::computeQuality;
using vietllm::text::isVietnameseSyllable;
using vietllm::text::QualitySignals;

namespace {

bool accepts(const QString& token) {
    return isVietnameseSyllable(token.toStdString());
}

// Reads a sample word list: the first field of each line, NFC (the OpenSubtitles list holds
// some decomposed entries).
QStringList readFirstFields(const QString& path, bool skip_first_line) {
    QFile file(path);
    QStringList words;
    if (!file.open(QIODevice::ReadOnly)) {
        return words;
    }
    if (skip_first_line) {
        file.readLine();
    }
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        const QString first = line.section(QLatin1Char(' '), 0, 0);
        if (!first.isEmpty()) {
            words << first.normalized(QString::NormalizationForm_C);
        }
    }
    return words;
}

// Letters of the Vietnamese alphabet, in both cases and with every mark.
bool usesVietnameseAlphabetOnly(const QString& token) {
    static const QRegularExpression alphabet(QStringLiteral(
        "^[a-eg-ik-vxyA-EG-IK-VXYđĐàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
        "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ]+$"));
    return alphabet.match(token).hasMatch();
}

bool hasVietnameseMark(const QString& token) {
    for (const QChar c : token) {
        if (c.unicode() >= 0x80) {
            return true;
        }
    }
    return false;
}

}  // namespace

class TestQuality : public QObject {
    Q_OBJECT

private slots:
    void syllableRules_data() {
        QTest::addColumn<QString>("token");
        QTest::addColumn<bool>("valid");
        const auto row = [](const char* token, bool valid) {
            QTest::newRow(token) << QString::fromUtf8(token) << valid;
        };
        // Ordinary syllables, every onset cluster, both cases.
        for (const char* token :
             {"ba",    "chào",  "nghiêng", "NGHIÊNG", "Nguyễn", "khuyếch", "người", "trường", "phở",
              "giữa",  "gì",    "gìn",     "giếng",   "quốc",   "quyên",   "Quỳnh", "quýt",   "khuỷu",
              "khuya", "ngoẹo", "xoáy",    "thuở",    "huơ",    "luật",    "xuân",  "uyên",   "yêu",
              "oán",   "ủy",    "ỉa",      "boong",   "xoong",  "Đắk",     "Lắk",   "rượu",   "ý"}) {
            row(token, true);
        }
        // Both tone placements of open oa/oe/uy.
        for (const char* token : {"hóa", "hoá", "thủy", "thuỷ", "khỏe", "khoẻ", "Ủy", "Uỷ"}) {
            row(token, true);
        }
        // Stop codas c, ch, p, t take only the acute or dot tone.
        for (const char* token : {"các", "cạc", "hoạch", "thích", "đẹp", "một"}) {
            row(token, true);
        }
        for (const char* token : {"càc", "cảc", "cãc", "hoàch", "thỉch", "đẻp", "mồt", "mot"}) {
            row(token, false);
        }
        // k only before i, e, ê, y; c, g, ng never there; gh and ngh only there.
        for (const char* token :
             {"ke", "kê", "ki", "kỹ", "kia", "kiên", "ghi", "ghế", "nghe", "cá", "ngà", "gà"}) {
            row(token, true);
        }
        for (const char* token :
             {"ka", "ko", "ku", "ci", "ce", "cê", "ngi", "nge", "ge", "gha", "ngha", "ghu"}) {
            row(token, false);
        }
        // qu and gi are onsets; q has no other use; iê needs an onset, yê refuses one.
        for (const char* token : {"q", "qa", "qúy", "quu", "iêu", "tyên", "gìa", "guy"}) {
            row(token, false);
        }
        // Tone marks where no spelling puts them; two tone marks; medial after labials.
        for (const char* token : {"lựơng", "baỏ", "hòan", "hóá", "boa", "mua\u0301i"}) {
            row(token, false);
        }
        // Not one syllable at all.
        for (const char* token : {"", "xin chào", "hòa1", "ABC", "HTML", "vietnamese"}) {
            row(token, false);
        }
    }
    void syllableRules() {
        QFETCH(QString, token);
        QFETCH(bool, valid);
        QCOMPARE(accepts(token), valid);
    }

    void decomposedSyllableAccepted() {
        QVERIFY(accepts(QStringLiteral("Vi\u1EC7t").normalized(QString::NormalizationForm_D)));
        QVERIFY(accepts(QStringLiteral("ng\u01B0\u1EDDi").normalized(QString::NormalizationForm_D)));
    }

    void englishWordsRejected_data() {
        QTest::addColumn<QString>("word");
        for (const char* word :
             {"strength", "computer", "world", "people", "school", "friend", "water", "think",
              "which",    "could",    "first", "just",   "hello",  "house",  "night", "street",
              "book",     "queen",    "quit",  "cat",    "dog",    "love",   "time",  "good",
              "yes",      "that",     "it",    "of",     "and",    "with",   "is",    "are",
              "was",      "what",     "from",  "have",   "this",   "you"}) {
            QTest::newRow(word) << QString::fromLatin1(word);
        }
    }
    void englishWordsRejected() {
        QFETCH(QString, word);
        QVERIFY(!accepts(word));
    }

    // Words that English and Vietnamese share: phonotactics cannot tell them apart (the is a
    // fabric, an "peace", to "big", me "tamarind").
    void sharedWordsAccepted() {
        for (const char* word : {"an", "to", "me", "ban", "the", "hi", "in", "long", "man", "than"}) {
            QVERIFY2(accepts(QString::fromLatin1(word)), word);
        }
    }

    // The hunspell-vi syllable list (GPL, read here only): accepted in its own "hoá" placement
    // and, converted by normalize(), in the "hóa" placement.
    void hunspellSyllables() {
        VIETLLM_REQUIRE_SAMPLE(path, "text/vi_hunspell_syllables_DauMoi.dic");
        const QStringList entries = readFirstFields(path, true);
        QCOMPARE(entries.size(), 6642);
        QStringList rejected;
        int accepted = 0;
        int accepted_other_placement = 0;
        int abbreviations = 0;
        for (const QString& entry : entries) {
            if (!accepts(entry)) {
                rejected << entry;
                static const QRegularExpression two_capitals(QStringLiteral("^\\p{Lu}.*\\p{Lu}"));
                abbreviations += two_capitals.match(entry).hasMatch() ? 1 : 0;
                continue;
            }
            ++accepted;
            const std::string other = vietllm::text::normalize(entry.toStdString());
            accepted_other_placement += isVietnameseSyllable(other) ? 1 : 0;
        }
        qInfo(
            "hunspell DauMoi: %d of %d accepted (%.2f%%), %d also in the hóa placement; %d rejected, %d of "
            "them "
            "abbreviations: %s",
            accepted, static_cast<int>(entries.size()), 100.0 * accepted / entries.size(),
            accepted_other_placement, static_cast<int>(rejected.size()), abbreviations,
            qPrintable(rejected.join(u' ')));
        QVERIFY(accepted >= 6590);                     // 99.2%: all but abbreviations and a few loanwords
        QCOMPARE(accepted_other_placement, accepted);  // both placements accepted
        QVERIFY(abbreviations >= 20);                  // ABC, HTML, UBND... are not syllables
    }

    // The 50k OpenSubtitles word list: report how many tokens are rejected and check that the
    // rejected ones look non-Vietnamese, while the frequent Vietnamese words pass.
    void openSubtitlesWords() {
        VIETLLM_REQUIRE_SAMPLE(path, "text/vi_word_freq_opensubtitles2018_50k.txt");
        const QStringList entries = readFirstFields(path, false);
        QCOMPARE(entries.size(), 50000);
        int tokens = 0;
        int rejected = 0;
        int rejected_foreign_looking = 0;  // outside the Vietnamese alphabet, or no diacritic at all
        QStringList rejected_vietnamese_looking;
        int frequent_marked = 0;
        int frequent_marked_accepted = 0;
        for (int rank = 0; rank < entries.size(); ++rank) {
            for (const QString& token : entries[rank].split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
                ++tokens;
                const bool ok = accepts(token);
                const bool looks_vietnamese = usesVietnameseAlphabetOnly(token) && hasVietnameseMark(token);
                if (rank < 2000 && looks_vietnamese) {
                    ++frequent_marked;
                    frequent_marked_accepted += ok ? 1 : 0;
                }
                if (ok) {
                    continue;
                }
                ++rejected;
                if (looks_vietnamese) {
                    rejected_vietnamese_looking << token;
                } else {
                    ++rejected_foreign_looking;
                }
            }
        }
        qInfo(
            "OpenSubtitles 50k: %d tokens, %d rejected (%d without Vietnamese marks or outside the alphabet: "
            "English, names, hyphenated, digits, mojibake; %d in the Vietnamese alphabet with marks, e.g. "
            "%s); "
            "top-2000 marked words: %d of %d accepted",
            tokens, rejected, rejected_foreign_looking, static_cast<int>(rejected_vietnamese_looking.size()),
            qPrintable(rejected_vietnamese_looking.mid(0, 60).join(u' ')), frequent_marked_accepted,
            frequent_marked);
        QVERIFY(rejected_foreign_looking > rejected / 2);
        QVERIFY(frequent_marked_accepted >= frequent_marked * 97 / 100);
        // Misplaced tones, missing tones on stop codas and typos are what remains.
        for (const char* typo : {"hòan", "ngòai", "qúa", "đựơc", "biêt", "môt"}) {
            QVERIFY2(rejected_vietnamese_looking.contains(QString::fromUtf8(typo)), typo);
        }
    }

    void emptyText() {
        const QualitySignals empty = computeQuality("");
        QCOMPARE(empty.chars, std::size_t{0});
        QCOMPARE(empty.words, std::size_t{0});
        QCOMPARE(empty.vietnamese_syllable_ratio, 0.0);
        QCOMPARE(empty.duplicate_line_ratio, 0.0);
        QCOMPARE(empty.top_ngram_ratio, 0.0);
        QCOMPARE(empty.mean_word_length, 0.0);
    }

    void countsAndSyllables() {
        const QualitySignals vietnamese = computeQuality(
            "Xin ch\xC3\xA0o c\xC3\xA1"
            "c b\xE1\xBA\xA1n!");
        QCOMPARE(vietnamese.chars, std::size_t{17});
        QCOMPARE(vietnamese.words, std::size_t{4});
        QCOMPARE(vietnamese.vietnamese_syllable_ratio, 1.0);
        QCOMPARE(vietnamese.mean_word_length, 14.0 / 4.0);
        QCOMPARE(vietnamese.symbol_ratio, 1.0 / 17.0);
        const QualitySignals english = computeQuality("the strength of computers");
        QCOMPARE(english.vietnamese_syllable_ratio, 0.25);  // only "the"
        const QualitySignals hyphenated = computeQuality(
            "H\xC3\xB2"
            "a-B\xC3\xACnh, 2024");
        QCOMPARE(hyphenated.vietnamese_syllable_ratio, 1.0);  // letter runs: Hòa, Bình
        QCOMPARE(hyphenated.words, std::size_t{2});
    }

    void duplicateLines() {
        QCOMPARE(computeQuality("a b c\na b c\nd e f\n  a b c \r\n").duplicate_line_ratio, 0.5);
        QCOMPARE(computeQuality("one\ntwo\n\n\nthree").duplicate_line_ratio, 0.0);
        QCOMPARE(computeQuality("same\nsame\nsame\nsame").duplicate_line_ratio, 0.75);
    }

    void repeatedNgrams() {
        const QualitySignals repeated = computeQuality(
            "m\xE1\xBB\x99t hai ba b\xE1\xBB\x91n n\xC4\x83m "
            "M\xE1\xBB\x98T hai ba b\xE1\xBB\x91n n\xC4\x83m");
        QCOMPARE(repeated.duplicate_ngram_ratio, 1.0);  // case-insensitive
        QCOMPARE(repeated.top_ngram_ratio, 12.0 / 28.0);
        const QualitySignals varied =
            computeQuality("m\xE1\xBB\x99t hai ba b\xE1\xBB\x91n n\xC4\x83m s\xC3\xA1u b\xE1\xBA\xA3y");
        QCOMPARE(varied.duplicate_ngram_ratio, 0.0);
        QVERIFY(varied.top_ngram_ratio <= 0.3);  // each 2-gram once: the longest, 6 of 20 characters
        const QualitySignals spam = computeQuality("mua ngay mua ngay mua ngay mua ngay mua ngay mua ngay");
        QVERIFY(spam.top_ngram_ratio > 0.5);
        QCOMPARE(spam.duplicate_ngram_ratio, 1.0);
    }

    void characterClasses() {
        const QualitySignals digits = computeQuality("abc 123");
        QCOMPARE(digits.digit_ratio, 3.0 / 7.0);
        QCOMPARE(digits.symbol_ratio, 0.0);
        const QualitySignals symbols = computeQuality("a!! #$");
        QCOMPARE(symbols.symbol_ratio, 4.0 / 6.0);
        const QualitySignals upper = computeQuality(
            "ABC def \xC4\x90\xE1\xBB\xA8"
            "C");  // ĐỨC
        QCOMPARE(upper.uppercase_ratio, 6.0 / 9.0);
        QCOMPARE(upper.chars, std::size_t{11});
    }
};

QTEST_GUILESS_MAIN(TestQuality)
#include "tst_quality.moc"
