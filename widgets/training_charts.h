#pragma once
// The Training panel's live charts (QCustomPlot): loss with eval loss, learning rate, gradient norm
// and tokens per second, against the optimizer step. The current run is drawn bold; runs checked
// in the history are overlaid in their own colours. Loss curves can be smoothed (EMA). A fifth plot,
// shown only when the current run reports them, draws its method's own numbers (DPO's accuracy and
// margin, a reward model's, RL's...), one legend entry per field.

#include "backend/runs/metrics_stream.h"

#include <QString>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QSlider;
class QLabel;

namespace vietllm::widgets {

class TrainingCharts : public QWidget {
    Q_OBJECT

public:
    /// A run to draw: its name in the legend and its metrics.
    struct Curve {
        QString name;
        runs::RunMetrics metrics;
    };

    explicit TrainingCharts(QWidget* parent = nullptr);

    /// Draws `current` (may have no points yet) and `overlays`, replacing what was drawn.
    void setCurves(const Curve& current, const std::vector<Curve>& overlays);
    /// EMA weight in [0, 0.99] applied to the loss curves (eval loss is drawn raw).
    void setSmoothing(double smoothing);
    double smoothing() const { return m_smoothing; }

    /// The plots, for tests: loss, learning rate, grad norm, tokens/s.
    QCustomPlot* lossPlot() const { return m_loss; }
    QCustomPlot* learningRatePlot() const { return m_learning_rate; }
    QCustomPlot* gradNormPlot() const { return m_grad_norm; }
    QCustomPlot* throughputPlot() const { return m_throughput; }
    /// The method-specific plot (hidden when the current run has no such numbers).
    QCustomPlot* methodPlot() const { return m_method; }

protected:
    void changeEvent(QEvent* event) override;

private:
    QCustomPlot* createPlot(QWidget* parent);
    void retranslateUi();
    void redraw();
    void drawRun(const Curve& curve, int colour_index, bool current);
    void drawMethodSeries(const runs::RunMetrics& metrics);

    QCustomPlot* m_loss = nullptr;
    QCustomPlot* m_learning_rate = nullptr;
    QCustomPlot* m_grad_norm = nullptr;
    QCustomPlot* m_throughput = nullptr;
    QCustomPlot* m_method = nullptr;
    QSlider* m_smoothing_slider = nullptr;
    QLabel* m_smoothing_label = nullptr;
    double m_smoothing = 0.6;
    Curve m_current;
    std::vector<Curve> m_overlays;
};

}  // namespace vietllm::widgets
