// Checks translations/*.ts without a GUI: the Vietnamese file has every entry translated (no
// unfinished, empty or obsolete entries), all text is NFC and follows the project's Vietnamese
// spelling (backend normalizer), placeholders (%1, %n) and keyboard
// accelerators survive translation, the English file has the same entries, and the files are up
// to date with the tr() strings in widgets/ (when lupdate is installed).

#include "backend/text/normalize.h"

#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct TsMessage {
    QString context;
    QString source;
    QString translation_type;  ///< "", "unfinished", "obsolete" or "vanished"
    QStringList translations;  ///< one text, or one per plural form
    bool numerus = false;      ///< a %n message with plural forms
    qint64 line_number = 0;
};

struct TsFile {
    QString language;
    QList<TsMessage> messages;
    QString error;
};

QString translationsDir() {
    return QStringLiteral(VIETLLM_SOURCE_DIR "/translations");
}

/// Reads the contexts and messages of a Qt Linguist .ts file.
TsFile readTs(const QString& path) {
    TsFile ts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ts.error = QStringLiteral("cannot open %1").arg(path);
        return ts;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            continue;
        }
        const auto name = xml.name();
        if (name == QLatin1String("TS")) {
            ts.language = xml.attributes().value(QLatin1String("language")).toString();
        } else if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            message = TsMessage();
            message.context = context;
            message.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            message.line_number = xml.lineNumber();
        } else if (name == QLatin1String("source")) {
            message.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            message.translation_type = xml.attributes().value(QLatin1String("type")).toString();
            if (!message.numerus) {
                message.translations = {xml.readElementText()};
                ts.messages.append(message);
            }
        } else if (name == QLatin1String("numerusform")) {
            message.translations.append(xml.readElementText());
            // The message is complete once its last form is read; keep the latest copy.
            if (message.translations.size() == 1) {
                ts.messages.append(message);
            } else {
                ts.messages.last() = message;
            }
        }
    }
    if (xml.hasError()) {
        ts.error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    }
    return ts;
}

/// "%1", "%2", "%n" ... in `text`, sorted, so translations can be checked to keep them all.
QStringList placeholders(const QString& text) {
    static const QRegularExpression pattern(QStringLiteral("%(\\d+|n)"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();) {
        found.append(it.next().captured(0));
    }
    found.sort();
    return found;
}

/// True when `text` has a keyboard accelerator: an '&' before a character, not "&&".
bool hasAccelerator(const QString& text) {
    for (int i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) == QLatin1Char('&')) {
            if (text.at(i + 1) != QLatin1Char('&')) {
                return true;
            }
            ++i;
        }
    }
    return false;
}

QString describe(const QString& file, const TsMessage& message) {
    return QStringLiteral("%1:%2: [%3] \"%4\"")
        .arg(file)
        .arg(message.line_number)
        .arg(message.context, message.source);
}

QSet<QString> keys(const TsFile& ts) {
    QSet<QString> result;
    for (const TsMessage& message : ts.messages) {
        result.insert(message.context + QLatin1Char('\x1f') + message.source);
    }
    return result;
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void vietnameseIsComplete();
    void everyTextIsNfc_data();
    void everyTextIsNfc();
    void vietnameseFollowsTheProjectsSpelling();
    void placeholdersAndAcceleratorsSurvive_data();
    void placeholdersAndAcceleratorsSurvive();
    void englishHasTheSameEntries();
    void filesMatchTheSources();
};

void TestTranslations::vietnameseIsComplete() {
    const TsFile ts = readTs(translationsDir() + QStringLiteral("/vietllm_vi.ts"));
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QCOMPARE(ts.language, QStringLiteral("vi"));
    QVERIFY2(ts.messages.size() >= 50, qPrintable(QString::number(ts.messages.size())));
    QStringList problems;
    for (const TsMessage& message : ts.messages) {
        if (!message.translation_type.isEmpty()) {
            problems.append(describe(QStringLiteral("vietllm_vi.ts"), message) + QStringLiteral(" is ") +
                            message.translation_type);
        }
        for (const QString& translation : message.translations) {
            if (translation.trimmed().isEmpty()) {
                problems.append(describe(QStringLiteral("vietllm_vi.ts"), message) +
                                QStringLiteral(" has an empty translation"));
            }
        }
        // Vietnamese has one plural form.
        if (message.source.contains(QStringLiteral("%n")) && message.translations.size() != 1) {
            problems.append(describe(QStringLiteral("vietllm_vi.ts"), message) +
                            QStringLiteral(" needs exactly one plural form"));
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::everyTextIsNfc_data() {
    QTest::addColumn<QString>("file_name");
    QTest::newRow("vi") << QStringLiteral("vietllm_vi.ts");
    QTest::newRow("en") << QStringLiteral("vietllm_en.ts");
}

void TestTranslations::everyTextIsNfc() {
    QFETCH(QString, file_name);
    const TsFile ts = readTs(translationsDir() + QLatin1Char('/') + file_name);
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QStringList problems;
    for (const TsMessage& message : ts.messages) {
        QStringList texts = message.translations;
        texts.append(message.source);
        for (const QString& text : texts) {
            if (text.normalized(QString::NormalizationForm_C) != text) {
                problems.append(describe(file_name, message) + QStringLiteral(" is not NFC: ") + text);
            }
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::vietnameseFollowsTheProjectsSpelling() {
    // The backend's normalizer is the project's spelling rule (tone marks as in "hóa", "tùy";
    // no misplaced marks, no doubled spaces): every line of every translation must be a fixed point.
    const TsFile ts = readTs(translationsDir() + QStringLiteral("/vietllm_vi.ts"));
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QStringList problems;
    for (const TsMessage& message : ts.messages) {
        for (const QString& translation : message.translations) {
            for (const QString& line : translation.split(QLatin1Char('\n'))) {
                const std::string utf8 = line.toStdString();
                const std::string normalized = vietllm::text::normalize(utf8);
                if (normalized != utf8) {
                    problems.append(describe(QStringLiteral("vietllm_vi.ts"), message) +
                                    QStringLiteral(": \"") + line + QStringLiteral("\" should read \"") +
                                    QString::fromStdString(normalized) + QLatin1Char('"'));
                }
            }
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::placeholdersAndAcceleratorsSurvive_data() {
    everyTextIsNfc_data();
}

void TestTranslations::placeholdersAndAcceleratorsSurvive() {
    QFETCH(QString, file_name);
    const TsFile ts = readTs(translationsDir() + QLatin1Char('/') + file_name);
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QStringList problems;
    for (const TsMessage& message : ts.messages) {
        for (const QString& translation : message.translations) {
            if (translation.isEmpty()) {
                continue;  // English may leave a text as in the source
            }
            if (placeholders(translation) != placeholders(message.source)) {
                problems.append(describe(file_name, message) + QStringLiteral(" changes placeholders: ") +
                                translation);
            }
            if (hasAccelerator(translation) != hasAccelerator(message.source)) {
                problems.append(describe(file_name, message) +
                                QStringLiteral(" adds or drops the accelerator: ") + translation);
            }
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::englishHasTheSameEntries() {
    const TsFile vietnamese = readTs(translationsDir() + QStringLiteral("/vietllm_vi.ts"));
    const TsFile english = readTs(translationsDir() + QStringLiteral("/vietllm_en.ts"));
    QVERIFY2(english.error.isEmpty(), qPrintable(english.error));
    QCOMPARE(english.language, QStringLiteral("en"));
    const QSet<QString> only_vi = keys(vietnamese) - keys(english);
    const QSet<QString> only_en = keys(english) - keys(vietnamese);
    QVERIFY2(only_vi.isEmpty(), qPrintable(QStringList(only_vi.values()).join(QLatin1Char('\n'))));
    QVERIFY2(only_en.isEmpty(), qPrintable(QStringList(only_en.values()).join(QLatin1Char('\n'))));
}

void TestTranslations::filesMatchTheSources() {
    const QString lupdate = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate");
    if (!QFileInfo::exists(lupdate)) {
        QSKIP(qPrintable(QStringLiteral("lupdate not installed at %1 (qt6-l10n-tools)").arg(lupdate)));
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fresh = dir.filePath(QStringLiteral("fresh_vi.ts"));
    QProcess process;
    process.start(lupdate,
                  {QStringLiteral("-silent"), QStringLiteral("-I"), QStringLiteral(VIETLLM_SOURCE_DIR),
                   QStringLiteral("-locations"), QStringLiteral("none"),
                   QStringLiteral(VIETLLM_SOURCE_DIR "/widgets"), QStringLiteral("-ts"), fresh});
    QVERIFY(process.waitForFinished(60000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());

    const QSet<QString> in_sources = keys(readTs(fresh));
    const QSet<QString> in_file = keys(readTs(translationsDir() + QStringLiteral("/vietllm_vi.ts")));
    const QSet<QString> missing = in_sources - in_file;
    const QSet<QString> stale = in_file - in_sources;
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("run the update_translations target; missing:\n") +
                                           QStringList(missing.values()).join(QLatin1Char('\n'))));
    QVERIFY2(stale.isEmpty(),
             qPrintable(QStringLiteral("stale:\n") + QStringList(stale.values()).join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
