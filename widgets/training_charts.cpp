#include "widgets/training_charts.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

namespace vietllm::widgets {

namespace {

const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0x94, 0x67, 0xbd), QColor(0xff, 0x7f, 0x0e), QColor(0x8c, 0x56, 0x4b)};

QColor paletteColour(int index) {
    constexpr int size = static_cast<int>(sizeof(kPalette) / sizeof(kPalette[0]));
    return kPalette[index % size];
}

void setSeries(QCPGraph* graph, const std::vector<runs::SeriesPoint>& points) {
    QVector<double> steps;
    QVector<double> values;
    steps.reserve(static_cast<qsizetype>(points.size()));
    values.reserve(static_cast<qsizetype>(points.size()));
    for (const runs::SeriesPoint& point : points) {
        steps.append(static_cast<double>(point.step));
        values.append(point.value);
    }
    graph->setData(steps, values, true);
}

QCPGraph* addGraph(QCustomPlot* plot, const QString& name, const QColor& colour, bool bold) {
    QCPGraph* graph = plot->addGraph();
    graph->setName(name);
    graph->setPen(QPen(colour, bold ? 2.0 : 1.2));
    return graph;
}

}  // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout;
    m_loss = createPlot(this);
    m_learning_rate = createPlot(this);
    m_grad_norm = createPlot(this);
    m_throughput = createPlot(this);
    m_method = createPlot(this);
    m_loss->legend->setVisible(true);
    m_method->legend->setVisible(true);
    m_method->setVisible(false);
    grid->addWidget(m_loss, 0, 0);
    grid->addWidget(m_learning_rate, 0, 1);
    grid->addWidget(m_grad_norm, 1, 0);
    grid->addWidget(m_throughput, 1, 1);
    grid->addWidget(m_method, 2, 0, 1, 2);

    m_smoothing_slider = new QSlider(Qt::Horizontal, this);
    m_smoothing_slider->setRange(0, 99);
    m_smoothing_slider->setValue(static_cast<int>(m_smoothing * 100));
    m_smoothing_label = new QLabel(this);
    m_smoothing_label->setBuddy(m_smoothing_slider);
    connect(m_smoothing_slider, &QSlider::valueChanged, this,
            [this](int value) { setSmoothing(value / 100.0); });

    auto* smoothing_row = new QHBoxLayout;
    smoothing_row->addWidget(m_smoothing_label);
    smoothing_row->addWidget(m_smoothing_slider, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(grid, 1);
    layout->addLayout(smoothing_row);
    retranslateUi();
}

QCustomPlot* TrainingCharts::createPlot(QWidget* parent) {
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(240, 160);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(
        0, 0, new QCPTextElement(plot, QString(), QFont(font().family(), 10, QFont::Bold)));
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    return plot;
}

void TrainingCharts::setCurves(const Curve& current, const std::vector<Curve>& overlays) {
    m_current = current;
    m_overlays = overlays;
    redraw();
}

void TrainingCharts::setSmoothing(double smoothing) {
    m_smoothing = std::clamp(smoothing, 0.0, 0.99);
    const int slider_value = static_cast<int>(m_smoothing * 100 + 0.5);
    if (m_smoothing_slider->value() != slider_value) {
        m_smoothing_slider->setValue(slider_value);
    }
    m_smoothing_label->setText(tr("&Smoothing: %1").arg(m_smoothing, 0, 'f', 2));
    redraw();
}

void TrainingCharts::drawRun(const Curve& curve, int colour_index, bool current) {
    const QColor colour = paletteColour(colour_index);
    const runs::RunMetrics& metrics = curve.metrics;
    if (current && m_smoothing > 0 && !metrics.loss.empty()) {
        QColor faint = colour;
        faint.setAlpha(70);
        QCPGraph* raw = addGraph(m_loss, tr("%1 (raw)").arg(curve.name), faint, false);
        setSeries(raw, metrics.loss);
        raw->removeFromLegend();
    }
    setSeries(addGraph(m_loss, curve.name, colour, current), runs::smoothSeries(metrics.loss, m_smoothing));
    if (!metrics.eval_loss.empty()) {
        QCPGraph* eval = addGraph(m_loss, tr("%1 eval").arg(curve.name), colour, current);
        eval->setLineStyle(QCPGraph::lsLine);
        eval->setPen(QPen(colour, current ? 2.0 : 1.2, Qt::DashLine));
        eval->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        setSeries(eval, metrics.eval_loss);
    }
    setSeries(addGraph(m_learning_rate, curve.name, colour, current), metrics.learning_rate);
    setSeries(addGraph(m_grad_norm, curve.name, colour, current), metrics.grad_norm);
    setSeries(addGraph(m_throughput, curve.name, colour, current), metrics.tokens_per_s);
}

void TrainingCharts::drawMethodSeries(const runs::RunMetrics& metrics) {
    int colour_index = 0;
    for (const auto& [name, points] : metrics.extra) {
        const QColor colour = paletteColour(colour_index++);
        QCPGraph* graph = addGraph(m_method, QString::fromStdString(name), colour, true);
        if (name.rfind("eval_", 0) == 0) {
            graph->setPen(QPen(colour, 2.0, Qt::DashLine));
            graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        }
        setSeries(graph, points);
    }
    m_method->setVisible(!metrics.extra.empty());
}

void TrainingCharts::redraw() {
    for (QCustomPlot* plot : {m_loss, m_learning_rate, m_grad_norm, m_throughput, m_method}) {
        plot->clearGraphs();
    }
    int colour_index = 1;
    for (const Curve& overlay : m_overlays) {
        drawRun(overlay, colour_index++, false);
    }
    drawRun(m_current, 0, true);
    drawMethodSeries(m_current.metrics);
    for (QCustomPlot* plot : {m_loss, m_learning_rate, m_grad_norm, m_throughput, m_method}) {
        plot->rescaleAxes();
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void TrainingCharts::retranslateUi() {
    const std::pair<QCustomPlot*, QString> titles[] = {
        {m_loss, tr("Loss")},
        {m_learning_rate, tr("Learning rate")},
        {m_grad_norm, tr("Gradient norm")},
        {m_throughput, tr("Tokens per second")},
        {m_method, tr("Method metrics (accuracy, margin, rewards)")},
    };
    for (const auto& [plot, title] : titles) {
        if (auto* element = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0))) {
            element->setText(title);
        }
        plot->xAxis->setLabel(tr("Step"));
    }
    m_smoothing_label->setText(tr("&Smoothing: %1").arg(m_smoothing, 0, 'f', 2));
    redraw();
}

void TrainingCharts::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

}  // namespace vietllm::widgets
