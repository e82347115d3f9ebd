#pragma once
// The page shown first: what vietllm is, buttons to create or open a project, and the recent
// projects (double-click or Enter opens one).

#include <QWidget>

class QLabel;
class QListView;
class QPushButton;

namespace vietllm::widgets {

class RecentProjectsModel;

class StartPage : public QWidget {
    Q_OBJECT

public:
    explicit StartPage(QWidget* parent = nullptr);

    /// Shows `paths` (most recent first) in the recent-projects list.
    void setRecentProjects(const QStringList& paths);
    /// The model behind the recent list, for tests.
    RecentProjectsModel* recentProjectsModel() const { return m_recent_model; }

signals:
    void newProjectRequested();
    void openProjectRequested();
    void recentProjectActivated(const QString& path);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();

    QLabel* m_subtitle_label = nullptr;
    QPushButton* m_new_button = nullptr;
    QPushButton* m_open_button = nullptr;
    QLabel* m_recent_label = nullptr;
    QLabel* m_no_recent_label = nullptr;
    QListView* m_recent_view = nullptr;
    RecentProjectsModel* m_recent_model = nullptr;
};

}  // namespace vietllm::widgets
