// vietllm: the desktop workbench. Loads the settings, installs the interface language
// (Vietnamese unless the user chose English), shows the main window and opens the project given
// on the command line, if any.

#include "widgets/app_settings.h"
#include "widgets/error_reporter.h"
#include "widgets/language.h"
#include "widgets/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("vietllm"));
    QApplication::setApplicationName(QStringLiteral("vietllm"));
    QApplication::setApplicationVersion(QStringLiteral(VIETLLM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("vietllm"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Vietnamese LLM workbench"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("project file (*.vietllm) to open"));
    parser.process(app);

    QSettings settings;
    vietllm::widgets::AppSettings app_settings(settings);
    vietllm::widgets::LanguageSwitcher languages;
    languages.apply(app_settings.language());
    vietllm::widgets::MessageBoxErrorReporter errors;

    vietllm::widgets::MainWindow window(app_settings, languages, errors);
    window.show();
    if (!parser.positionalArguments().isEmpty()) {
        window.openProject(parser.positionalArguments().constFirst());
    }
    return QApplication::exec();
}
