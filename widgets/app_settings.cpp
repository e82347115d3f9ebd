#include "widgets/app_settings.h"

#include <QDir>
#include <QFileInfo>

namespace vietllm::widgets {

namespace {

const QString kLanguageKey = QStringLiteral("interface/language");
const QString kRecentProjectsKey = QStringLiteral("projects/recent");
const QString kLastDirectoryKey = QStringLiteral("projects/last_directory");
const QString kWindowGeometryKey = QStringLiteral("interface/window_geometry");

QString absolutePath(const QString& path) {
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

}  // namespace

Language AppSettings::language() const {
    const Language stored = parseLanguage(m_settings.value(kLanguageKey).toString());
    return stored == Language::Invalid ? Language::Vietnamese : stored;
}

void AppSettings::setLanguage(Language language) {
    m_settings.setValue(kLanguageKey, languageCode(language));
}

QStringList AppSettings::recentProjects() const {
    return m_settings.value(kRecentProjectsKey).toStringList();
}

void AppSettings::addRecentProject(const QString& path) {
    const QString absolute = absolutePath(path);
    QStringList paths = recentProjects();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    writeRecentProjects(paths.mid(0, kMaxRecentProjects));
}

void AppSettings::removeRecentProject(const QString& path) {
    QStringList paths = recentProjects();
    paths.removeAll(absolutePath(path));
    writeRecentProjects(paths);
}

void AppSettings::clearRecentProjects() {
    writeRecentProjects({});
}

QString AppSettings::lastDirectory() const {
    return m_settings.value(kLastDirectoryKey, QDir::homePath()).toString();
}

void AppSettings::setLastDirectory(const QString& directory) {
    m_settings.setValue(kLastDirectoryKey, directory);
}

QByteArray AppSettings::windowGeometry() const {
    return m_settings.value(kWindowGeometryKey).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry) {
    m_settings.setValue(kWindowGeometryKey, geometry);
}

void AppSettings::writeRecentProjects(const QStringList& paths) {
    m_settings.setValue(kRecentProjectsKey, paths);
}

}  // namespace vietllm::widgets
