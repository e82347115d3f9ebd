#pragma once
// The GUI's persistent preferences (interface language, recent projects, window layout) over a
// QSettings the caller owns, so tests can point it at a temporary INI file.

#include "widgets/language.h"

#include <QByteArray>
#include <QSettings>
#include <QStringList>

namespace vietllm::widgets {

class AppSettings {
public:
    /// How many recent projects the File menu and the start page remember.
    static constexpr int kMaxRecentProjects = 10;

    explicit AppSettings(QSettings& settings) : m_settings(settings) {}

    /// The interface language; Vietnamese unless the user chose another one.
    Language language() const;
    void setLanguage(Language language);

    /// Recently opened project files, most recent first.
    QStringList recentProjects() const;
    /// Puts `path` (made absolute) at the top of the recent list, dropping duplicates and the oldest.
    void addRecentProject(const QString& path);
    /// Forgets one project, e.g. a file that no longer exists.
    void removeRecentProject(const QString& path);
    void clearRecentProjects();

    /// The folder the last open/new dialog was in, so the next one starts there.
    QString lastDirectory() const;
    void setLastDirectory(const QString& directory);

    /// QMainWindow::saveState()/saveGeometry() blobs, restored at the next start.
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);

private:
    void writeRecentProjects(const QStringList& paths);

    QSettings& m_settings;
};

}  // namespace vietllm::widgets
