#include "app/cli/charts/card_chart_painter.h"

#include "backend/common/errors.h"

#include <QFont>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QString>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace vietllm::cli {

namespace {

constexpr int kMarginLeft = 80;
constexpr int kMarginRight = 30;
constexpr int kMarginTop = 60;
constexpr int kMarginBottom = 110;
const QColor kBarColor(0x2a, 0x6f, 0xb0);

// A round axis maximum at or above `value`: 1, 2 or 5 times a power of ten.
double niceMaximum(double value) {
    if (value <= 0) {
        return 1;
    }
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * power >= value) {
            return step * power;
        }
    }
    return 10 * power;
}

QString numberText(double value) {
    return value == std::floor(value) ? QString::number(static_cast<long long>(value))
                                      : QString::number(value, 'g', 4);
}

void drawAxes(QPainter& painter, const databuild::CardChart& chart, const QRect& plot, double maximum) {
    painter.setPen(Qt::black);
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    painter.drawLine(plot.bottomLeft(), plot.topLeft());
    constexpr int kTicks = 5;
    for (int i = 0; i <= kTicks; ++i) {
        const double value = maximum * i / kTicks;
        const int y = plot.bottom() - static_cast<int>(plot.height() * i / kTicks);
        painter.setPen(QColor(0xdd, 0xdd, 0xdd));
        if (i > 0) painter.drawLine(plot.left() + 1, y, plot.right(), y);
        painter.setPen(Qt::black);
        painter.drawText(QRect(0, y - 10, kMarginLeft - 8, 20), Qt::AlignRight | Qt::AlignVCenter,
                         numberText(value));
    }
    painter.save();
    painter.translate(16, plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-plot.height() / 2, -10, plot.height(), 20), Qt::AlignCenter,
                     QString::fromStdString(chart.y_label));
    painter.restore();
    painter.drawText(QRect(plot.left(), CardChartPainter::kHeight - 28, plot.width(), 24), Qt::AlignCenter,
                     QString::fromStdString(chart.x_label));
}

void drawBars(QPainter& painter, const databuild::CardChart& chart, const QRect& plot, double maximum) {
    const int count = static_cast<int>(chart.values.size());
    if (count == 0) {
        painter.drawText(plot, Qt::AlignCenter, QStringLiteral("no records"));
        return;
    }
    const double slot = static_cast<double>(plot.width()) / count;
    const int bar_width = std::max(2, static_cast<int>(slot * 0.7));
    const QFontMetrics metrics(painter.font());
    for (int i = 0; i < count; ++i) {
        const double value = chart.values[static_cast<std::size_t>(i)];
        const int height = static_cast<int>(plot.height() * value / maximum);
        const int x = plot.left() + static_cast<int>(slot * i + (slot - bar_width) / 2);
        painter.fillRect(QRect(x, plot.bottom() - height, bar_width, height), kBarColor);
        painter.setPen(Qt::black);
        painter.drawText(QRect(x - 10, plot.bottom() - height - 18, bar_width + 20, 16), Qt::AlignCenter,
                         numberText(value));
        // Labels turned 45 degrees, cut to the room below the plot.
        const QString label =
            metrics.elidedText(QString::fromStdString(chart.labels[static_cast<std::size_t>(i)]),
                               Qt::ElideRight, kMarginBottom + 20);
        painter.save();
        painter.translate(x + bar_width / 2, plot.bottom() + 8);
        painter.rotate(35);
        painter.drawText(0, metrics.ascent(), label);
        painter.restore();
    }
}

}  // namespace

CardChartPainter::CardChartPainter() {
    if (QCoreApplication::instance() == nullptr) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        m_application = std::make_unique<QGuiApplication>(m_argc, m_argv);
    }
}

CardChartPainter::~CardChartPainter() = default;

void CardChartPainter::draw(const databuild::CardChart& chart, const std::string& path) const {
    QImage image(kWidth, kHeight, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    QFont title_font = painter.font();
    title_font.setPointSize(14);
    title_font.setBold(true);
    painter.setFont(title_font);
    painter.drawText(QRect(0, 10, kWidth, 36), Qt::AlignCenter, QString::fromStdString(chart.title));
    QFont font = painter.font();
    font.setPointSize(9);
    font.setBold(false);
    painter.setFont(font);
    const QRect plot(kMarginLeft, kMarginTop, kWidth - kMarginLeft - kMarginRight,
                     kHeight - kMarginTop - kMarginBottom);
    const double largest =
        chart.values.empty() ? 0 : *std::max_element(chart.values.begin(), chart.values.end());
    const double maximum = niceMaximum(largest);
    drawAxes(painter, chart, plot, maximum);
    drawBars(painter, chart, plot, maximum);
    painter.end();
    const std::string temporary = path + ".tmp.png";
    std::error_code error;
    if (!image.save(QString::fromStdString(temporary), "PNG")) {
        std::filesystem::remove(temporary, error);
        throw UserError(path + ": cannot write the chart");
    }
    std::filesystem::rename(temporary, path, error);
    if (error) {
        throw UserError(path + ": cannot write the chart (" + error.message() + ")");
    }
}

}  // namespace vietllm::cli
