#pragma once
// The per-item results of one stored evaluation run, a page at a time (runs can hold thousands of
// items): item id, prompt, model output, reference, score and whether it was correct.

#include "backend/store/evaluations.h"

#include <QAbstractTableModel>
#include <vector>

namespace vietllm::widgets {

class EvaluationItemModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kItemColumn = 0;
    static constexpr int kPromptColumn = 1;
    static constexpr int kOutputColumn = 2;
    static constexpr int kReferenceColumn = 3;
    static constexpr int kScoreColumn = 4;
    static constexpr int kCorrectColumn = 5;
    static constexpr int kColumnCount = 6;
    static constexpr int kDefaultPageSize = 100;

    explicit EvaluationItemModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Shows the first page of run `run_id` read through `evaluations` (nullptr or run 0: empty).
    /// `evaluations` must outlive the model or be replaced first.
    void setRun(const store::Evaluations* evaluations, std::int64_t run_id);
    /// Shows page `page` (0-based, clamped to the pages there are).
    void setPage(int page);
    int page() const { return m_page; }
    int pageCount() const;
    std::int64_t totalItems() const { return m_total; }
    /// The item on `row` of the page shown.
    const store::EvaluationResultRow& item(int row) const { return m_rows[static_cast<std::size_t>(row)]; }

private:
    void load();

    const store::Evaluations* m_evaluations = nullptr;
    std::int64_t m_run_id = 0;
    std::int64_t m_total = 0;
    int m_page = 0;
    int m_page_size = kDefaultPageSize;
    std::vector<store::EvaluationResultRow> m_rows;
};

/// An item as readable text for the detail pane: prompt, choices with their log-probabilities,
/// output, reference, score and correctness.
QString itemDetailText(const store::EvaluationResultRow& item);

}  // namespace vietllm::widgets
