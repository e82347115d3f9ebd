#include "widgets/evaluation_charts.h"

#include "backend/eval/run_report.h"
#include "widgets/models/evaluation_run_model.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>
#include <map>

namespace vietllm::widgets {

namespace {

const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0x94, 0x67, 0xbd), QColor(0xff, 0x7f, 0x0e), QColor(0x8c, 0x56, 0x4b)};

QCustomPlot* createPlot(QWidget* parent) {
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(240, 160);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, QString()));
    return plot;
}

void setTitle(QCustomPlot* plot, const QString& title) {
    if (auto* element = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0))) {
        element->setText(title);
    }
}

// The metric key of the combo box: "task\tmetric".
QString metricKey(const std::string& task, const std::string& metric) {
    return QString::fromStdString(task) + QLatin1Char('\t') + QString::fromStdString(metric);
}

}  // namespace

EvaluationCharts::EvaluationCharts(QWidget* parent) : QWidget(parent) {
    m_metric_caption = new QLabel(this);
    m_metric = new QComboBox(this);
    m_metric_caption->setBuddy(m_metric);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &EvaluationCharts::redraw);
    m_bars = createPlot(this);
    m_steps = createPlot(this);
    m_steps->legend->setVisible(true);
    auto* row = new QHBoxLayout;
    row->addWidget(m_metric_caption);
    row->addWidget(m_metric, 1);
    auto* plots = new QSplitter(Qt::Horizontal, this);
    plots->addWidget(m_bars);
    plots->addWidget(m_steps);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(plots, 1);
    retranslateUi();
}

void EvaluationCharts::setRuns(std::vector<store::EvaluationRun> runs) {
    m_runs.clear();
    for (store::EvaluationRun& run : runs) {
        if (run.status == store::EvaluationStatus::Finished && run.summary.is_object()) {
            m_runs.push_back(std::move(run));
        }
    }
    const QString current = m_metric->currentData().toString();
    QStringList keys;
    for (const store::EvaluationRun& run : m_runs) {
        const std::string headline = eval::runHeadlineMetric(run);
        for (const auto& [name, value] : run.summary.items()) {
            const QString key = metricKey(run.benchmark, name);
            if (name != "n" && value.is_number() && !keys.contains(key)) {
                // The headline metric of each task first, so it is what a new selection shows.
                if (name == headline)
                    keys.prepend(key);
                else
                    keys.append(key);
            }
        }
    }
    const QSignalBlocker blocker(m_metric);
    m_metric->clear();
    for (const QString& key : keys) {
        QString text = key;
        m_metric->addItem(text.replace(QLatin1Char('\t'), QStringLiteral(" · ")), key);
    }
    const int keep = m_metric->findData(current);
    m_metric->setCurrentIndex(keep >= 0 ? keep : 0);
    redraw();
}

void EvaluationCharts::redraw() {
    m_bars->clearPlottables();
    m_steps->clearPlottables();
    const QStringList key = m_metric->currentData().toString().split(QLatin1Char('\t'));
    if (key.size() == 2) {
        const std::string task = key[0].toStdString();
        const std::string metric = key[1].toStdString();
        QVector<double> ticks;
        QVector<double> values;
        QVector<QString> labels;
        std::map<std::string, std::map<std::int64_t, double>> by_run;  // run folder -> step -> value
        for (const store::EvaluationRun& run : m_runs) {
            const auto found = run.summary.find(metric);
            if (run.benchmark != task || found == run.summary.end() || !found->is_number()) continue;
            const std::string model = eval::runModel(run);
            ticks.append(static_cast<double>(ticks.size() + 1));
            values.append(found->get<double>());
            labels.append(shortModelName(model));
            if (const auto step = eval::checkpointStep(model)) {
                by_run[step->run_dir][step->step] = found->get<double>();
            }
        }
        auto* bars = new QCPBars(m_bars->xAxis, m_bars->yAxis);
        bars->setData(ticks, values);
        bars->setBrush(kPalette[0]);
        QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
        ticker->addTicks(ticks, labels);
        m_bars->xAxis->setTicker(ticker);
        m_bars->xAxis->setTickLabelRotation(ticks.size() > 3 ? 30 : 0);
        m_bars->xAxis->setRange(0.4, static_cast<double>(ticks.size()) + 0.6);
        m_bars->yAxis->rescale();
        m_bars->yAxis->setRangeLower(std::min(0.0, m_bars->yAxis->range().lower));
        m_bars->yAxis->setRangeUpper(m_bars->yAxis->range().upper * 1.1 + 1e-9);
        int colour = 0;
        for (const auto& [run_dir, steps] : by_run) {
            QCPGraph* graph = m_steps->addGraph();
            graph->setName(QString::fromStdString(run_dir).section(QLatin1Char('/'), -1));
            graph->setPen(QPen(kPalette[colour++ % 6], 2.0));
            graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
            for (const auto& [step, value] : steps) graph->addData(static_cast<double>(step), value);
        }
        m_steps->rescaleAxes();
        m_steps->xAxis->scaleRange(1.15);  // room for the end points' markers
        m_steps->yAxis->scaleRange(1.2);
        setTitle(m_bars, tr("%1 by model").arg(m_metric->currentText()));
        setTitle(m_steps, tr("%1 by training step").arg(m_metric->currentText()));
    } else {
        setTitle(m_bars, tr("Select finished runs to chart them"));
        setTitle(m_steps, QString());
    }
    m_steps->xAxis->setLabel(tr("step"));
    m_bars->replot();
    m_steps->replot();
}

void EvaluationCharts::retranslateUi() {
    m_metric_caption->setText(tr("&Metric:"));
    redraw();
}

void EvaluationCharts::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

}  // namespace vietllm::widgets
