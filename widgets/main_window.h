#pragma once
// The workbench's main window: File menu (new, open, recent, close, quit), a navigation list on
// the left that switches the panels on the right (Ctrl+0 start page, Ctrl+1..5 panels), the open
// project's path in the status bar, preferences and About. It owns the open project store.

#include "widgets/panels.h"

#include <QMainWindow>
#include <memory>
#include <vector>

class QActionGroup;
class QLabel;
class QListView;
class QStackedWidget;

namespace vietllm::store {
class ProjectStore;
}

namespace vietllm::widgets {

class AppSettings;
class ChatPanel;
class DataPanel;
class EvaluationPanel;
class ErrorReporter;
class LanguageSwitcher;
class RankingPanel;
class TrainingPanel;
class NavigationModel;
class StartPage;
enum class Language;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// The window reads and writes `settings`, switches languages through `languages` and reports
    /// failures through `errors`; all three must outlive it.
    MainWindow(AppSettings& settings, LanguageSwitcher& languages, ErrorReporter& errors,
               QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens the project file at `path`, replacing the open one, and shows the Data panel. On a
    /// file that is not a project (or is from a newer version) it reports the error, keeps the
    /// current project and returns false.
    bool openProject(const QString& path);
    /// Creates a new empty project at `path` and opens it; reports and returns false on failure.
    /// An existing file is replaced only with `overwrite` (the save dialog has asked the user).
    bool createProject(const QString& path, bool overwrite);
    /// Closes the open project (if any) and shows the start page.
    void closeProject();
    /// Path of the open project; empty when none is open.
    QString projectPath() const { return m_project_path; }

    /// Shows `panel` and selects it in the navigation list.
    void showPanel(Panel panel);
    /// The panel on screen.
    Panel currentPanel() const;
    /// Switches the interface language now and remembers it; false when no translation exists.
    bool applyLanguage(Language language);

    /// The navigation list's model, for tests.
    NavigationModel* navigationModel() const { return m_navigation_model; }
    /// The start page, for tests.
    StartPage* startPage() const { return m_start_page; }
    /// The Data panel, for tests.
    DataPanel* dataPanel() const { return m_data_panel; }
    /// The Ranking panel, for tests (and for adding views to its tabs).
    RankingPanel* rankingPanel() const { return m_ranking_panel; }
    /// The Chat playground, for tests.
    ChatPanel* chatPanel() const { return m_chat_panel; }
    /// The Training panel, for tests.
    TrainingPanel* trainingPanel() const { return m_training_panel; }
    /// The Evaluation panel (for tests).
    EvaluationPanel* evaluationPanel() const { return m_evaluation_panel; }

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createCentralWidget();
    void retranslateUi();
    void updateProjectState();
    void rebuildRecentMenu();
    void refreshRecentProjects();
    void showNewProjectDialog();
    void showOpenProjectDialog();
    void showSettingsDialog();
    void showAboutDialog();
    /// Points the panels back at the project that stays open after a failed open.
    void showOpenProjectInPanels();
    void reportOpenFailure(const QString& path, const QString& reason);

    AppSettings& m_settings;
    LanguageSwitcher& m_languages;
    ErrorReporter& m_errors;

    std::unique_ptr<store::ProjectStore> m_project;
    QString m_project_path;

    NavigationModel* m_navigation_model = nullptr;
    QListView* m_navigation_view = nullptr;
    QStackedWidget* m_pages = nullptr;
    StartPage* m_start_page = nullptr;
    DataPanel* m_data_panel = nullptr;
    ChatPanel* m_chat_panel = nullptr;
    RankingPanel* m_ranking_panel = nullptr;
    TrainingPanel* m_training_panel = nullptr;
    EvaluationPanel* m_evaluation_panel = nullptr;
    QLabel* m_project_label = nullptr;

    QMenu* m_file_menu = nullptr;
    QMenu* m_recent_menu = nullptr;
    QMenu* m_view_menu = nullptr;
    QMenu* m_settings_menu = nullptr;
    QMenu* m_help_menu = nullptr;
    QAction* m_new_action = nullptr;
    QAction* m_open_action = nullptr;
    QAction* m_close_action = nullptr;
    QAction* m_quit_action = nullptr;
    QAction* m_clear_recent_action = nullptr;
    QAction* m_preferences_action = nullptr;
    QAction* m_about_action = nullptr;
    QAction* m_about_qt_action = nullptr;
    QActionGroup* m_panel_actions = nullptr;
};

}  // namespace vietllm::widgets
