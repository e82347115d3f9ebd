#pragma once
// The Training panel's run history: one row per run folder of the project (newest first) with its
// method, base model, status, progress and losses. A check box per row puts the run's curves on the
// charts next to the current one (overlay).

#include "backend/runs/run_history.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <vector>

namespace vietllm::widgets {

class RunHistoryModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kNameColumn = 0;
    static constexpr int kMethodColumn = 1;
    static constexpr int kStatusColumn = 2;
    static constexpr int kProgressColumn = 3;
    static constexpr int kLossColumn = 4;
    static constexpr int kEvalLossColumn = 5;
    static constexpr int kModelColumn = 6;
    static constexpr int kColumnCount = 7;

    explicit RunHistoryModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces the rows, keeping the overlay check of runs that are still listed. `active_dir`
    /// is the folder of the run this panel is running now (its "running" status is live; any
    /// other run that says "running" was interrupted and shows so).
    void setRuns(std::vector<runs::RunSummary> runs, const QString& active_dir);
    /// The run of `row`.
    const runs::RunSummary& run(int row) const { return m_runs[static_cast<std::size_t>(row)]; }
    /// Folders of the runs checked for overlay.
    QStringList overlayDirs() const;
    /// Tells views that headers changed with the interface language.
    void retranslate();

signals:
    /// A run's overlay check box changed.
    void overlayChanged();

private:
    QString statusText(const runs::RunSummary& run) const;

    std::vector<runs::RunSummary> m_runs;
    QStringList m_overlay_dirs;
    QString m_active_dir;
};

}  // namespace vietllm::widgets
