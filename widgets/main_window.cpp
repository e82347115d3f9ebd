#include "widgets/main_window.h"

#include "backend/common/errors.h"
#include "backend/store/project_store.h"
#include "widgets/about_dialog.h"
#include "widgets/app_settings.h"
#include "widgets/chat_panel.h"
#include "widgets/data_panel.h"
#include "widgets/error_reporter.h"
#include "widgets/evaluation_panel.h"
#include "widgets/language.h"
#include "widgets/models/navigation_model.h"
#include "widgets/ranking_panel.h"
#include "widgets/settings_dialog.h"
#include "widgets/start_page.h"
#include "widgets/training_panel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>

// Q_INIT_RESOURCE declares a function of the global namespace, so it cannot be called from inside
// vietllm::widgets. The resources live in a static library, which the linker would drop unless
// something references them.
static void initVietllmResources() {
    Q_INIT_RESOURCE(vietllm);
}

namespace vietllm::widgets {

namespace {

/// The file-dialog filter for project files, translated.
QString projectFileFilter() {
    return MainWindow::tr("vietllm projects (*.vietllm);;All files (*)");
}

}  // namespace

MainWindow::MainWindow(AppSettings& settings, LanguageSwitcher& languages, ErrorReporter& errors,
                       QWidget* parent)
    : QMainWindow(parent), m_settings(settings), m_languages(languages), m_errors(errors) {
    initVietllmResources();
    setWindowIcon(QIcon(QStringLiteral(":/icons/vietllm.png")));
    createActions();
    createMenus();
    createCentralWidget();
    m_project_label = new QLabel(this);
    statusBar()->addPermanentWidget(m_project_label, 1);
    if (!restoreGeometry(m_settings.windowGeometry())) {
        resize(1100, 720);
    }
    refreshRecentProjects();
    retranslateUi();
    showPanel(Panel::Start);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
    // Object names let tests (and accessibility tools) find the actions whatever the language.
    m_new_action = new QAction(this);
    m_new_action->setObjectName(QStringLiteral("action_new_project"));
    m_new_action->setShortcut(QKeySequence::New);
    connect(m_new_action, &QAction::triggered, this, &MainWindow::showNewProjectDialog);

    m_open_action = new QAction(this);
    m_open_action->setObjectName(QStringLiteral("action_open_project"));
    m_open_action->setShortcut(QKeySequence::Open);
    connect(m_open_action, &QAction::triggered, this, &MainWindow::showOpenProjectDialog);

    m_close_action = new QAction(this);
    m_close_action->setObjectName(QStringLiteral("action_close_project"));
    m_close_action->setShortcut(QKeySequence::Close);
    connect(m_close_action, &QAction::triggered, this, &MainWindow::closeProject);

    m_quit_action = new QAction(this);
    m_quit_action->setObjectName(QStringLiteral("action_quit"));
    m_quit_action->setShortcut(QKeySequence::Quit);
    m_quit_action->setMenuRole(QAction::QuitRole);
    connect(m_quit_action, &QAction::triggered, this, &QWidget::close);

    m_clear_recent_action = new QAction(this);
    m_clear_recent_action->setObjectName(QStringLiteral("action_clear_recent"));
    connect(m_clear_recent_action, &QAction::triggered, this, [this] {
        m_settings.clearRecentProjects();
        refreshRecentProjects();
    });

    m_preferences_action = new QAction(this);
    m_preferences_action->setObjectName(QStringLiteral("action_preferences"));
    m_preferences_action->setShortcut(QKeySequence::Preferences);
    m_preferences_action->setMenuRole(QAction::PreferencesRole);
    connect(m_preferences_action, &QAction::triggered, this, &MainWindow::showSettingsDialog);

    m_about_action = new QAction(this);
    m_about_action->setObjectName(QStringLiteral("action_about"));
    m_about_action->setMenuRole(QAction::AboutRole);
    connect(m_about_action, &QAction::triggered, this, &MainWindow::showAboutDialog);

    m_about_qt_action = new QAction(this);
    m_about_qt_action->setObjectName(QStringLiteral("action_about_qt"));
    m_about_qt_action->setMenuRole(QAction::AboutQtRole);
    connect(m_about_qt_action, &QAction::triggered, qApp, &QApplication::aboutQt);

    m_panel_actions = new QActionGroup(this);
    m_panel_actions->setExclusive(true);
    for (const Panel panel : allPanels()) {
        QAction* action = m_panel_actions->addAction(panelName(panel));
        action->setCheckable(true);
        action->setShortcut(panelShortcut(panel));
        action->setData(static_cast<int>(panel));
        connect(action, &QAction::triggered, this, [this, panel] { showPanel(panel); });
    }
    // Shortcuts also work while the menu bar is hidden or a panel has focus.
    addActions({m_new_action, m_open_action, m_close_action, m_quit_action});
    addActions(m_panel_actions->actions());
}

void MainWindow::createMenus() {
    m_file_menu = menuBar()->addMenu(QString());
    m_file_menu->addAction(m_new_action);
    m_file_menu->addAction(m_open_action);
    m_recent_menu = m_file_menu->addMenu(QString());
    connect(m_recent_menu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    m_file_menu->addAction(m_close_action);
    m_file_menu->addSeparator();
    m_file_menu->addAction(m_quit_action);

    m_view_menu = menuBar()->addMenu(QString());
    m_view_menu->addActions(m_panel_actions->actions());

    m_settings_menu = menuBar()->addMenu(QString());
    m_settings_menu->addAction(m_preferences_action);

    m_help_menu = menuBar()->addMenu(QString());
    m_help_menu->addAction(m_about_action);
    m_help_menu->addAction(m_about_qt_action);
}

void MainWindow::createCentralWidget() {
    m_navigation_model = new NavigationModel(this);
    m_navigation_view = new QListView(this);
    m_navigation_view->setModel(m_navigation_model);
    m_navigation_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_navigation_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_navigation_view->setUniformItemSizes(true);
    m_navigation_view->setSpacing(4);
    m_navigation_view->setFixedWidth(190);

    m_pages = new QStackedWidget(this);
    for (const Panel panel : allPanels()) {
        if (panel == Panel::Start) {
            m_start_page = new StartPage(m_pages);
            m_pages->addWidget(m_start_page);
        } else if (panel == Panel::Data) {
            m_data_panel = new DataPanel(m_pages);
            m_pages->addWidget(m_data_panel);
        } else if (panel == Panel::Ranking) {
            m_ranking_panel = new RankingPanel(m_pages);
            m_pages->addWidget(m_ranking_panel);
        } else if (panel == Panel::Training) {
            m_training_panel = new TrainingPanel(m_pages);
            m_pages->addWidget(m_training_panel);
        } else if (panel == Panel::Chat) {
            m_chat_panel = new ChatPanel(m_pages);
            m_pages->addWidget(m_chat_panel);
        } else if (panel == Panel::Evaluation) {
            m_evaluation_panel = new EvaluationPanel(m_pages);
            m_pages->addWidget(m_evaluation_panel);
        }
    }
    connect(m_navigation_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid()) {
                    showPanel(m_navigation_model->panelAt(current.row()));
                }
            });
    connect(m_start_page, &StartPage::newProjectRequested, this, &MainWindow::showNewProjectDialog);
    connect(m_start_page, &StartPage::openProjectRequested, this, &MainWindow::showOpenProjectDialog);
    connect(m_start_page, &StartPage::recentProjectActivated, this, &MainWindow::openProject);
    connect(m_data_panel, &DataPanel::openProjectRequested, this, &MainWindow::showOpenProjectDialog);
    connect(m_training_panel, &TrainingPanel::chatRequested, this, [this](const QString& checkpoint_dir) {
        if (m_chat_panel->addModelFolder(checkpoint_dir)) {
            showPanel(Panel::Chat);
        }
    });
    connect(m_training_panel, &TrainingPanel::evaluateRequested, this, [this](const QString& checkpoint_dir) {
        m_evaluation_panel->chooseCheckpoint(checkpoint_dir);
        showPanel(Panel::Evaluation);
    });

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_navigation_view);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
}

void MainWindow::showPanel(Panel panel) {
    const int row = m_navigation_model->rowOf(panel);
    if (row < 0) {
        return;
    }
    m_pages->setCurrentIndex(row);
    const QModelIndex index = m_navigation_model->index(row);
    if (m_navigation_view->currentIndex() != index) {
        m_navigation_view->setCurrentIndex(index);
    }
    m_panel_actions->actions().at(row)->setChecked(true);
}

Panel MainWindow::currentPanel() const {
    return m_navigation_model->panelAt(m_pages->currentIndex());
}

bool MainWindow::applyLanguage(Language language) {
    if (!m_languages.apply(language)) {
        return false;
    }
    m_settings.setLanguage(language);
    return true;
}

bool MainWindow::openProject(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    std::unique_ptr<store::ProjectStore> project;
    try {
        project = std::make_unique<store::ProjectStore>(
            store::ProjectStore::open(QFile::encodeName(absolute).toStdString(), store::OpenMode::ReadWrite));
        m_data_panel->setProject(project.get());
        m_ranking_panel->setProject(project.get());
        m_chat_panel->setProject(project.get());
        m_training_panel->setProject(project.get());
        m_evaluation_panel->setProject(project.get());
    } catch (const UserError& error) {
        showOpenProjectInPanels();
        reportOpenFailure(absolute, QString::fromStdString(error.what()));
        return false;
    } catch (const std::exception& error) {
        showOpenProjectInPanels();
        reportOpenFailure(absolute, tr("Internal error: %1").arg(QString::fromStdString(error.what())));
        return false;
    }
    m_project = std::move(project);
    m_project_path = absolute;
    m_settings.addRecentProject(absolute);
    m_settings.setLastDirectory(QFileInfo(absolute).absolutePath());
    refreshRecentProjects();
    updateProjectState();
    showPanel(Panel::Data);
    return true;
}

void MainWindow::showOpenProjectInPanels() {
    try {
        m_data_panel->setProject(m_project.get());
        m_ranking_panel->setProject(m_project.get());
        m_chat_panel->setProject(m_project.get());
        m_training_panel->setProject(m_project.get());
        m_evaluation_panel->setProject(m_project.get());
    } catch (const std::exception&) {
        // The project that stayed open cannot be read either (deleted, disk gone): close it.
        closeProject();
    }
}

bool MainWindow::createProject(const QString& path, bool overwrite) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute == m_project_path) {
        closeProject();  // never replace the file under an open connection
    }
    try {
        store::ProjectStore::create(QFile::encodeName(absolute).toStdString(), overwrite);
    } catch (const std::exception& error) {
        m_errors.showError(
            this, tr("Cannot create the project"),
            tr("The project %1 could not be created.\n\n%2")
                .arg(QDir::toNativeSeparators(absolute), QString::fromStdString(error.what())));
        return false;
    }
    return openProject(absolute);
}

void MainWindow::closeProject() {
    m_data_panel->setProject(nullptr);
    m_ranking_panel->setProject(nullptr);
    m_chat_panel->setProject(nullptr);
    m_training_panel->setProject(nullptr);
    m_evaluation_panel->setProject(nullptr);
    m_project.reset();
    m_project_path.clear();
    updateProjectState();
    showPanel(Panel::Start);
}

void MainWindow::reportOpenFailure(const QString& path, const QString& reason) {
    if (!QFileInfo::exists(path)) {
        // A recent project that was deleted or moved: stop offering it.
        m_settings.removeRecentProject(path);
        refreshRecentProjects();
    }
    statusBar()->showMessage(tr("Could not open %1").arg(QDir::toNativeSeparators(path)), 10000);
    m_errors.showError(
        this, tr("Cannot open the project"),
        tr("%1 could not be opened as a vietllm project.\n\n%2").arg(QDir::toNativeSeparators(path), reason));
}

void MainWindow::updateProjectState() {
    const bool open = !m_project_path.isEmpty();
    m_close_action->setEnabled(open);
    m_project_label->setText(open ? tr("Project: %1").arg(QDir::toNativeSeparators(m_project_path))
                                  : tr("No project open"));
    setWindowTitle(open ? tr("%1 — vietllm").arg(QFileInfo(m_project_path).completeBaseName())
                        : QStringLiteral("vietllm"));
}

void MainWindow::refreshRecentProjects() {
    m_start_page->setRecentProjects(m_settings.recentProjects());
}

void MainWindow::rebuildRecentMenu() {
    m_recent_menu->clear();
    const QStringList paths = m_settings.recentProjects();
    for (int i = 0; i < paths.size(); ++i) {
        const QString path = paths.at(i);
        // "&1 name" gives the first nine entries a keyboard accelerator.
        const QString label = i < 9 ? QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName())
                                    : QFileInfo(path).fileName();
        QAction* action = m_recent_menu->addAction(label);
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
        connect(action, &QAction::triggered, this, [this, path] { openProject(path); });
    }
    if (!paths.isEmpty()) {
        m_recent_menu->addSeparator();
    }
    m_recent_menu->addAction(m_clear_recent_action);
    m_clear_recent_action->setEnabled(!paths.isEmpty());
}

void MainWindow::showNewProjectDialog() {
    QString path = QFileDialog::getSaveFileName(this, tr("New Project"), m_settings.lastDirectory(),
                                                projectFileFilter());
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".vietllm");
    }
    // QFileDialog has already asked before an existing file is replaced.
    createProject(path, /*overwrite=*/true);
}

void MainWindow::showOpenProjectDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), m_settings.lastDirectory(),
                                                      projectFileFilter());
    if (!path.isEmpty()) {
        openProject(path);
    }
}

void MainWindow::showSettingsDialog() {
    SettingsDialog dialog(this);
    dialog.setSelectedLanguage(m_languages.current());
    if (dialog.exec() == QDialog::Accepted && dialog.selectedLanguage() != m_languages.current()) {
        applyLanguage(dialog.selectedLanguage());
    }
}

void MainWindow::showAboutDialog() {
    AboutDialog dialog(this);
    dialog.exec();
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_data_panel->setProject(nullptr);     // saves a record edit still pending in the editor
    m_ranking_panel->setProject(nullptr);  // stops a generation in flight
    m_chat_panel->setProject(nullptr);     // stops a reply in flight
    m_training_panel->setProject(nullptr);
    m_evaluation_panel->setProject(nullptr);
    m_settings.setWindowGeometry(saveGeometry());
    QMainWindow::closeEvent(event);
}

void MainWindow::retranslateUi() {
    m_file_menu->setTitle(tr("&File"));
    m_new_action->setText(tr("&New Project…"));
    m_open_action->setText(tr("&Open Project…"));
    m_recent_menu->setTitle(tr("Open &Recent"));
    m_clear_recent_action->setText(tr("&Clear List"));
    m_close_action->setText(tr("&Close Project"));
    m_quit_action->setText(tr("&Quit"));
    m_view_menu->setTitle(tr("&View"));
    for (QAction* action : m_panel_actions->actions()) {
        action->setText(panelName(static_cast<Panel>(action->data().toInt())));
    }
    m_settings_menu->setTitle(tr("&Settings"));
    m_preferences_action->setText(tr("&Preferences…"));
    m_help_menu->setTitle(tr("&Help"));
    m_about_action->setText(tr("&About vietllm"));
    m_about_qt_action->setText(tr("About &Qt"));
    m_navigation_model->retranslate();
    updateProjectState();
}

}  // namespace vietllm::widgets
