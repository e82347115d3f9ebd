#pragma once
// The Evaluation panel's charts (QCustomPlot) over the selected runs: for the chosen task and
// metric, a bar per model (checkpoints, folders, endpoints) and, for checkpoints of training runs
// (PROJECT.runs/<run>/checkpoint-N), the metric against the training step, one line per run.

#include "backend/store/evaluations.h"

#include <QString>
#include <QWidget>
#include <vector>

class QComboBox;
class QCustomPlot;
class QLabel;

namespace vietllm::widgets {

class EvaluationCharts : public QWidget {
    Q_OBJECT

public:
    explicit EvaluationCharts(QWidget* parent = nullptr);

    /// Charts `runs` (finished ones; others are skipped); the metric choice lists every
    /// "task · metric" they have and keeps the current one when it is still there.
    void setRuns(std::vector<store::EvaluationRun> runs);
    /// For tests.
    QComboBox* metricBox() const { return m_metric; }
    QCustomPlot* barPlot() const { return m_bars; }
    QCustomPlot* stepPlot() const { return m_steps; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void redraw();
    void retranslateUi();

    std::vector<store::EvaluationRun> m_runs;
    QLabel* m_metric_caption = nullptr;
    QComboBox* m_metric = nullptr;
    QCustomPlot* m_bars = nullptr;
    QCustomPlot* m_steps = nullptr;
};

}  // namespace vietllm::widgets
