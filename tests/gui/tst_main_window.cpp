// The main window, offscreen: it opens in Vietnamese, Ctrl+0..5, clicks and arrow keys switch the
// panels, the language switches at run time (menus, navigation, panels, Qt's own buttons, number
// formats) and back, projects open and list their datasets, and files that are not projects (or
// come from a newer version) are reported without crashing. Every item model runs under
// QAbstractItemModelTester. With VIETLLM_SCREENSHOT_PATH set, screenshot() also saves the PNG
// used in the README.

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/store/project_store.h"
#include "backend/store/sqlite_db.h"
#include "backend/store/transfer.h"
#include "tests/common/test_support.h"
#include "widgets/app_settings.h"
#include "widgets/chat_panel.h"
#include "widgets/data_panel.h"
#include "widgets/error_reporter.h"
#include "widgets/evaluation_panel.h"
#include "widgets/language.h"
#include "widgets/main_window.h"
#include "widgets/models/dataset_table_model.h"
#include "widgets/models/navigation_model.h"
#include "widgets/models/recent_projects_model.h"
#include "widgets/settings_dialog.h"
#include "widgets/start_page.h"
#include "widgets/stock_texts.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QGroupBox>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <functional>
#include <memory>

using vietllm::widgets::AppSettings;
using vietllm::widgets::DatasetTableModel;
using vietllm::widgets::Language;
using vietllm::widgets::MainWindow;
using vietllm::widgets::NavigationModel;
using vietllm::widgets::Panel;
using vietllm::widgets::SettingsDialog;

namespace {

/// Records errors instead of showing modal message boxes.
class RecordingErrorReporter : public vietllm::widgets::ErrorReporter {
public:
    void showError(QWidget* /*parent*/, const QString& title, const QString& message) override {
        titles.append(title);
        messages.append(message);
    }
    QStringList titles;
    QStringList messages;
};

/// Calls `action` with the application's modal dialog once one is open (polling the event loop).
void whenModalOpens(QObject* context, const std::function<void(QWidget*)>& action) {
    auto* timer = new QTimer(context);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, context, [timer, action] {
        if (QWidget* modal = QApplication::activeModalWidget()) {
            timer->stop();
            timer->deleteLater();
            action(modal);
        }
    });
    timer->start();
}

/// Texts of the visible labels under `root`.
QStringList visibleLabelTexts(const QWidget* root) {
    QStringList texts;
    for (const QLabel* label : root->findChildren<QLabel*>()) {
        if (label->isVisible()) {
            texts.append(label->text());
        }
    }
    return texts;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void startsInVietnamese();
    void ctrlDigitsSwitchPanels();
    void clicksAndArrowKeysSwitchPanels();
    void evaluationPanelIsBuilt();
    void languageSwitchesAtRunTimeAndBack();
    void settingsDialogSwitchesLanguage();
    void qtStockTextsAreTranslated();
    void nonProjectFileIsReported();
    void newerProjectIsReported();
    void failedOpenKeepsTheOpenProject();
    void newProjectOpensOnTheDataPanel();
    void importedDatasetsAreListed();
    void recentProjectsAreRemembered();
    void screenshot();

private:
    /// A new empty project in the temporary folder.
    QString makeProject(const QString& file_name);
    /// A project holding one real Vietnamese sample dataset; empty (and QSKIP) without samples.
    QString projectFromSample(const QString& sample_path, std::size_t* records_out);
    int rowOf(Panel panel) const { return m_window->navigationModel()->rowOf(panel); }
    QString navigationText(Panel panel) const {
        return m_window->navigationModel()->index(rowOf(panel)).data().toString();
    }
    QString evaluationGroupTitle() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_qsettings;
    std::unique_ptr<AppSettings> m_settings;
    vietllm::widgets::LanguageSwitcher m_languages;
    RecordingErrorReporter m_errors;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_qsettings =
        std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_settings = std::make_unique<AppSettings>(*m_qsettings);
    m_errors = RecordingErrorReporter();
    QVERIFY(m_languages.apply(m_settings->language()));
    m_window = std::make_unique<MainWindow>(*m_settings, m_languages, m_errors);
    using Tester = QAbstractItemModelTester;
    new Tester(m_window->navigationModel(), Tester::FailureReportingMode::QtTest, m_window.get());
    new Tester(m_window->startPage()->recentProjectsModel(), Tester::FailureReportingMode::QtTest,
               m_window.get());
    new Tester(m_window->dataPanel()->datasetModel(), Tester::FailureReportingMode::QtTest, m_window.get());
    m_window->resize(1000, 640);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestMainWindow::cleanup() {
    m_window.reset();
    m_settings.reset();
    m_qsettings.reset();
    m_dir.reset();
}

QString TestMainWindow::makeProject(const QString& file_name) {
    const QString path = m_dir->filePath(file_name);
    vietllm::store::ProjectStore::create(QFile::encodeName(path).toStdString(), false);
    return path;
}

QString TestMainWindow::projectFromSample(const QString& sample_path, std::size_t* records_out) {
    const QString path = makeProject(QStringLiteral("sample.vietllm"));
    auto store = vietllm::store::ProjectStore::open(QFile::encodeName(path).toStdString(),
                                                    vietllm::store::OpenMode::ReadWrite);
    vietllm::store::FileImportRequest request;
    request.input_path = QFile::encodeName(sample_path).toStdString();
    request.format = vietllm::data::Format::PromptResponse;
    request.dataset_name = "vi_alpaca_gpt4vn";
    request.skip_bad = true;
    *records_out = vietllm::store::importFile(store, request).records;
    return path;
}

QString TestMainWindow::evaluationGroupTitle() const {
    const auto* group = m_window->evaluationPanel()->findChild<QGroupBox*>(QStringLiteral("modelsGroup"));
    return group ? group->title() : QString();
}

void TestMainWindow::startsInVietnamese() {
    QCOMPARE(m_languages.current(), Language::Vietnamese);
    QCOMPARE(m_window->currentPanel(), Panel::Start);
    QCOMPARE(navigationText(Panel::Data), QStringLiteral("Dữ liệu"));
    QCOMPARE(navigationText(Panel::Ranking), QStringLiteral("Xếp hạng"));
    QCOMPARE(navigationText(Panel::Training), QStringLiteral("Huấn luyện"));
    QCOMPARE(navigationText(Panel::Chat), QStringLiteral("Trò chuyện"));
    QCOMPARE(navigationText(Panel::Evaluation), QStringLiteral("Đánh giá"));
    QCOMPARE(m_window->menuBar()->actions().constFirst()->text(), QStringLiteral("&Tệp"));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("vietllm"));
    QVERIFY(visibleLabelTexts(m_window->statusBar()).contains(QStringLiteral("Chưa mở dự án nào")));
}

void TestMainWindow::ctrlDigitsSwitchPanels() {
    const QList<QPair<Qt::Key, Panel>> keys = {{Qt::Key_1, Panel::Data},       {Qt::Key_2, Panel::Ranking},
                                               {Qt::Key_3, Panel::Training},   {Qt::Key_4, Panel::Chat},
                                               {Qt::Key_5, Panel::Evaluation}, {Qt::Key_0, Panel::Start}};
    for (const auto& [key, panel] : keys) {
        QTest::keyClick(m_window.get(), key, Qt::ControlModifier);
        QCOMPARE(m_window->currentPanel(), panel);
        auto* navigation = m_window->findChild<QListView*>();
        QCOMPARE(navigation->currentIndex().row(), rowOf(panel));
    }
}

void TestMainWindow::clicksAndArrowKeysSwitchPanels() {
    auto* navigation = m_window->findChild<QListView*>();
    QVERIFY(navigation);
    const QRect chat_rect = navigation->visualRect(m_window->navigationModel()->index(rowOf(Panel::Chat)));
    QTest::mouseClick(navigation->viewport(), Qt::LeftButton, Qt::NoModifier, chat_rect.center());
    QCOMPARE(m_window->currentPanel(), Panel::Chat);
    QVERIFY(m_window->chatPanel()->isVisible());

    navigation->setFocus();
    QTest::keyClick(navigation, Qt::Key_Down);
    QCOMPARE(m_window->currentPanel(), Panel::Evaluation);
    QTest::keyClick(navigation, Qt::Key_Up);
    QTest::keyClick(navigation, Qt::Key_Up);
    QCOMPARE(m_window->currentPanel(), Panel::Training);
}

void TestMainWindow::evaluationPanelIsBuilt() {
    // Every panel is a real one: showing each makes exactly one page visible.
    for (const Panel panel : vietllm::widgets::allPanels()) {
        m_window->showPanel(panel);
        QCOMPARE(m_window->currentPanel(), panel);
    }
    m_window->showPanel(Panel::Evaluation);
    QVERIFY(m_window->evaluationPanel()->isVisible());
}

void TestMainWindow::languageSwitchesAtRunTimeAndBack() {
    m_window->showPanel(Panel::Evaluation);
    QVERIFY(m_window->applyLanguage(Language::English));
    QTRY_COMPARE(navigationText(Panel::Data), QStringLiteral("Data"));
    QTRY_COMPARE(m_window->menuBar()->actions().constFirst()->text(), QStringLiteral("&File"));
    QTRY_COMPARE(evaluationGroupTitle(), QStringLiteral("Models"));
    QTRY_VERIFY(visibleLabelTexts(m_window->statusBar()).contains(QStringLiteral("No project open")));
    QCOMPARE(m_window->findChild<QAction*>(QStringLiteral("action_open_project"))->text(),
             QStringLiteral("&Open Project…"));
    QCOMPARE(m_settings->language(), Language::English);
    QCOMPARE(AppSettings(*m_qsettings).language(), Language::English);

    QVERIFY(m_window->applyLanguage(Language::Vietnamese));
    QTRY_COMPARE(navigationText(Panel::Data), QStringLiteral("Dữ liệu"));
    QTRY_COMPARE(m_window->menuBar()->actions().constFirst()->text(), QStringLiteral("&Tệp"));
    QTRY_COMPARE(evaluationGroupTitle(), QStringLiteral("Mô hình"));
    QCOMPARE(m_settings->language(), Language::Vietnamese);
    QVERIFY(!m_window->applyLanguage(Language::Invalid));
    QCOMPARE(m_languages.current(), Language::Vietnamese);
}

void TestMainWindow::settingsDialogSwitchesLanguage() {
    QString cancel_text;
    whenModalOpens(this, [&cancel_text](QWidget* modal) {
        auto* dialog = qobject_cast<SettingsDialog*>(modal);
        QVERIFY(dialog);
        QCOMPARE(dialog->selectedLanguage(), Language::Vietnamese);
        cancel_text = dialog->buttonBox()->button(QDialogButtonBox::Cancel)->text();
        auto* combo = dialog->findChild<QComboBox*>();
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(dialog->selectedLanguage(), Language::English);
        QTest::mouseClick(dialog->buttonBox()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    });
    m_window->findChild<QAction*>(QStringLiteral("action_preferences"))->trigger();
    QCOMPARE(cancel_text, QStringLiteral("Hủy"));
    QCOMPARE(m_languages.current(), Language::English);
    QCOMPARE(m_settings->language(), Language::English);
    QTRY_COMPARE(navigationText(Panel::Data), QStringLiteral("Data"));
}

void TestMainWindow::qtStockTextsAreTranslated() {
    QStringList untranslated;
    for (const auto& text : vietllm::widgets::stockTexts()) {
        if (QCoreApplication::translate(text.context, text.source) == QLatin1String(text.source)) {
            untranslated.append(
                QStringLiteral("%1: %2").arg(QLatin1String(text.context), QLatin1String(text.source)));
        }
    }
    QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QLatin1Char('\n'))));

    SettingsDialog dialog;
    QCOMPARE(dialog.buttonBox()->button(QDialogButtonBox::Ok)->text(), QStringLiteral("Đồng ý"));
    QCOMPARE(dialog.buttonBox()->button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Hủy"));
    QVERIFY(m_languages.apply(Language::English));
    QTRY_COMPARE(dialog.buttonBox()->button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Cancel"));
}

void TestMainWindow::nonProjectFileIsReported() {
    const QString path = m_dir->filePath(QStringLiteral("notes.txt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("Đây không phải là một dự án.\n");
    file.close();

    QVERIFY(!m_window->openProject(path));
    QCOMPARE(m_errors.messages.size(), 1);
    QVERIFY2(m_errors.messages.constFirst().contains(QStringLiteral("notes.txt")),
             qPrintable(m_errors.messages.constFirst()));
    QCOMPARE(m_errors.titles.constFirst(), QStringLiteral("Không mở được dự án"));
    QVERIFY(m_window->projectPath().isEmpty());
    QVERIFY(m_settings->recentProjects().isEmpty());

    // A missing file and a folder are reported the same way; the window stays usable.
    QVERIFY(!m_window->openProject(m_dir->filePath(QStringLiteral("missing.vietllm"))));
    QVERIFY(!m_window->openProject(m_dir->path()));
    QCOMPARE(m_errors.messages.size(), 3);
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(m_window->currentPanel(), Panel::Training);
}

void TestMainWindow::newerProjectIsReported() {
    const QString path = makeProject(QStringLiteral("future.vietllm"));
    {
        vietllm::store::Database db(QFile::encodeName(path).toStdString(),
                                    vietllm::store::OpenMode::ReadWrite, 1000);
        db.exec("PRAGMA user_version = 9999");
    }
    QVERIFY(!m_window->openProject(path));
    QCOMPARE(m_errors.messages.size(), 1);
    QVERIFY2(m_errors.messages.constFirst().contains(QStringLiteral("9999")),
             qPrintable(m_errors.messages.constFirst()));
    QVERIFY(m_window->projectPath().isEmpty());
}

void TestMainWindow::failedOpenKeepsTheOpenProject() {
    const QString good = makeProject(QStringLiteral("good.vietllm"));
    QVERIFY(m_window->openProject(good));
    const QString bad = m_dir->filePath(QStringLiteral("bad.vietllm"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, '\x7f'));
    file.close();

    QVERIFY(!m_window->openProject(bad));
    QCOMPARE(m_errors.messages.size(), 1);
    QCOMPARE(m_window->projectPath(), QFileInfo(good).absoluteFilePath());
    QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("good")));
}

void TestMainWindow::newProjectOpensOnTheDataPanel() {
    QCOMPARE(m_window->dataPanel()->datasetView()->isVisible(), false);
    const QString path = m_dir->filePath(QStringLiteral("mới.vietllm"));
    QVERIFY(m_window->createProject(path, false));
    QVERIFY(QFileInfo::exists(path));
    QCOMPARE(m_window->projectPath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(m_window->currentPanel(), Panel::Data);
    QCOMPARE(m_window->windowTitle(), QStringLiteral("mới — vietllm"));
    const QStringList status = visibleLabelTexts(m_window->statusBar());
    QVERIFY2(
        status.contains(QStringLiteral("Dự án: %1").arg(QDir::toNativeSeparators(m_window->projectPath()))),
        qPrintable(status.join(QLatin1Char('|'))));
    QCOMPARE(m_window->dataPanel()->datasetModel()->rowCount(), 0);
    QVERIFY(visibleLabelTexts(m_window->dataPanel())
                .join(QLatin1Char(' '))
                .contains(QStringLiteral("chưa có bộ dữ liệu")));

    // Creating over an existing file needs the user's consent (overwrite), else it is an error.
    QVERIFY(!m_window->createProject(path, false));
    QCOMPARE(m_errors.messages.size(), 1);

    m_window->closeProject();
    QVERIFY(m_window->projectPath().isEmpty());
    QCOMPARE(m_window->currentPanel(), Panel::Start);
    QCOMPARE(m_window->windowTitle(), QStringLiteral("vietllm"));
}

void TestMainWindow::importedDatasetsAreListed() {
    VIETLLM_REQUIRE_SAMPLE(sample, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
    std::size_t records = 0;
    const QString path = projectFromSample(sample, &records);
    QVERIFY(records > 900);

    QVERIFY(m_window->openProject(path));
    const DatasetTableModel* model = m_window->dataPanel()->datasetModel();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, DatasetTableModel::kNameColumn).data().toString(),
             QStringLiteral("vi_alpaca_gpt4vn"));
    const QModelIndex count = model->index(0, DatasetTableModel::kRecordsColumn);
    QCOMPARE(count.data(DatasetTableModel::kSortRole).toLongLong(), static_cast<qint64>(records));
    const auto store = vietllm::store::ProjectStore::open(QFile::encodeName(path).toStdString(),
                                                          vietllm::store::OpenMode::ReadOnly);
    QCOMPARE(model->index(0, 0).data(DatasetTableModel::kDatasetIdRole).toLongLong(),
             static_cast<qint64>(store.requireDataset("vi_alpaca_gpt4vn").id));
    QVERIFY(m_window->dataPanel()->datasetView()->isVisible());
    // Numbers follow the interface language: 1.000 in Vietnamese, 1,000 in English.
    QCOMPARE(count.data().toString(), QLocale(QLocale::Vietnamese).toString(static_cast<qint64>(records)));
    QVERIFY(m_window->applyLanguage(Language::English));
    QTRY_COMPARE(count.data().toString(), QLocale(QLocale::English).toString(static_cast<qint64>(records)));
    QTRY_COMPARE(model->headerData(DatasetTableModel::kRecordsColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Records"));
}

void TestMainWindow::recentProjectsAreRemembered() {
    const QString first = makeProject(QStringLiteral("first.vietllm"));
    const QString second = makeProject(QStringLiteral("second.vietllm"));
    QVERIFY(m_window->openProject(first));
    QVERIFY(m_window->openProject(second));
    QVERIFY(m_window->openProject(first));
    const QStringList expected = {QFileInfo(first).absoluteFilePath(), QFileInfo(second).absoluteFilePath()};
    QCOMPARE(m_settings->recentProjects(), expected);
    QCOMPARE(m_window->startPage()->recentProjectsModel()->paths(), expected);

    // A recent project that has disappeared is reported once and dropped from the list.
    QVERIFY(QFile::remove(second));
    QVERIFY(!m_window->openProject(second));
    QCOMPARE(m_settings->recentProjects(), QStringList{QFileInfo(first).absoluteFilePath()});
    QCOMPARE(m_window->startPage()->recentProjectsModel()->rowCount(), 1);

    // Activating the start page's entry opens it.
    m_window->closeProject();
    auto* list = m_window->startPage()->findChild<QListView*>();
    list->setFocus();
    list->setCurrentIndex(list->model()->index(0, 0));
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(m_window->projectPath(), QFileInfo(first).absoluteFilePath());
}

void TestMainWindow::screenshot() {
    VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
    VIETLLM_REQUIRE_SAMPLE(lima, "instruct/vi_lima_gpt4_translated.jsonl");
    const QString path = makeProject(QStringLiteral("demo.vietllm"));
    {
        auto store = vietllm::store::ProjectStore::open(QFile::encodeName(path).toStdString(),
                                                        vietllm::store::OpenMode::ReadWrite);
        const QList<QPair<QString, QString>> samples = {
            {alpaca, QStringLiteral("Alpaca dịch máy (GPT-4), 1.000 mẫu")},
            {lima, QStringLiteral("LIMA dịch bằng GPT-4")}};
        for (const auto& [sample, description] : samples) {
            vietllm::store::FileImportRequest request;
            request.input_path = QFile::encodeName(sample).toStdString();
            request.format = vietllm::data::Format::PromptResponse;
            request.dataset_name = vietllm::store::defaultDatasetName(request.input_path);
            request.append = true;
            request.skip_bad = true;
            store.createDataset(request.dataset_name, description.toStdString());
            QVERIFY(vietllm::store::importFile(store, request).records > 900);
        }
    }
    QVERIFY(m_window->openProject(path));
    QCOMPARE(m_window->dataPanel()->datasetModel()->rowCount(), 2);
    QCOMPARE(m_window->currentPanel(), Panel::Data);
    QApplication::processEvents();
    const QImage image = m_window->grab().toImage();
    QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
    // Rendered text is anti-aliased: a window whose fonts failed to load has only a few colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2) {
            colours.insert(image.pixel(x, y));
        }
    }
    QVERIFY2(colours.size() > 40, qPrintable(QString::number(colours.size())));
    const QString output = qEnvironmentVariable("VIETLLM_SCREENSHOT_PATH");
    if (!output.isEmpty()) {
        QVERIFY2(image.save(output), qPrintable(output));
    }
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
