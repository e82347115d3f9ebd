// The dataset card's PNG charts drawn by `vietllm-cli data export` in the GUI build (QtGui on the
// offscreen platform): every chart the card links exists, decodes, has the painter's size and
// shows bars.

#include "tests/common/test_support.h"

#include <QColor>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace vietllm::testing;

class TestDatabuildCharts : public QObject {
    Q_OBJECT

private slots:
    void exportDrawsTheLinkedCharts() {
        VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        const CliResult result = runCli({QStringLiteral("data"), QStringLiteral("export"), alpaca, out,
                                         QStringLiteral("--format"), QStringLiteral("prompt-response")});
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        QFile card_file(out + QStringLiteral("/README.md"));
        QVERIFY(card_file.open(QIODevice::ReadOnly));
        const QString card = QString::fromUtf8(card_file.readAll());
        QVERIFY(!card.contains(QStringLiteral("No charts were drawn")));
        const QRegularExpression link(QStringLiteral("!\\[[^\\]]+\\]\\((chart_[a-z_]+\\.png)\\)"));
        QStringList linked;
        for (auto match = link.globalMatch(card); match.hasNext();) linked << match.next().captured(1);
        QCOMPARE(linked.size(), 4);
        for (const QString& name : linked) {
            const QImage image(out + QLatin1Char('/') + name);
            QVERIFY2(!image.isNull(), qPrintable(name));
            QCOMPARE(image.size(), QSize(900, 500));
            int bar_pixels = 0;
            for (int y = 0; y < image.height(); y += 2) {
                for (int x = 0; x < image.width(); x += 2) {
                    bar_pixels += image.pixelColor(x, y) == QColor(0x2a, 0x6f, 0xb0) ? 1 : 0;
                }
            }
            QVERIFY2(bar_pixels > 500, qPrintable(name));
        }
        QVERIFY(QDir(out).entryList({QStringLiteral("*.tmp.png")}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDatabuildCharts)
#include "tst_databuild_charts.moc"
