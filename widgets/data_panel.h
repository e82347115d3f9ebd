#pragma once
// The Data panel: the open project's datasets with their sizes in a sortable table. Without a
// project it says how to get one; with an empty project, how to import data.

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace vietllm::store {
class ProjectStore;
}

namespace vietllm::widgets {

class DatasetTableModel;

class DataPanel : public QWidget {
    Q_OBJECT

public:
    explicit DataPanel(QWidget* parent = nullptr);

    /// Shows the datasets of `project`, or the "no project" page for nullptr. The project must
    /// outlive the panel or be replaced first. Store errors propagate (see DatasetTableModel).
    void setProject(const store::ProjectStore* project);
    /// The model behind the table, for tests.
    DatasetTableModel* datasetModel() const { return m_model; }
    /// The table, for tests.
    QTableView* datasetView() const { return m_view; }

signals:
    void openProjectRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void updatePage();

    bool m_has_project = false;
    QLabel* m_title_label = nullptr;
    QLabel* m_summary_label = nullptr;
    QStackedWidget* m_pages = nullptr;
    QWidget* m_no_project_page = nullptr;
    QLabel* m_no_project_label = nullptr;
    QPushButton* m_open_button = nullptr;
    QLabel* m_no_datasets_label = nullptr;
    QTableView* m_view = nullptr;
    DatasetTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_sorted = nullptr;
};

}  // namespace vietllm::widgets
