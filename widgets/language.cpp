#include "widgets/language.h"

#include <QCoreApplication>
#include <QFile>
#include <QLocale>

namespace vietllm::widgets {

const std::vector<Language>& supportedLanguages() {
    static const std::vector<Language> languages = {Language::Vietnamese, Language::English};
    return languages;
}

QString languageCode(Language language) {
    switch (language) {
        case Language::Vietnamese:
            return QStringLiteral("vi");
        case Language::English:
            return QStringLiteral("en");
        case Language::Invalid:
            break;
    }
    return QString();
}

Language parseLanguage(const QString& code) {
    for (const Language language : supportedLanguages()) {
        if (code == languageCode(language)) {
            return language;
        }
    }
    return Language::Invalid;
}

QString languageNativeName(Language language) {
    switch (language) {
        case Language::Vietnamese:
            return QStringLiteral("Tiếng Việt");
        case Language::English:
            return QStringLiteral("English");
        case Language::Invalid:
            break;
    }
    return QString();
}

LanguageSwitcher::~LanguageSwitcher() {
    QCoreApplication::removeTranslator(&m_translator);
}

bool LanguageSwitcher::apply(Language language) {
    const QString path = QStringLiteral(":/i18n/vietllm_%1.qm").arg(languageCode(language));
    if (language == Language::Invalid || !QFile::exists(path)) {
        return false;
    }
    QCoreApplication::removeTranslator(&m_translator);
    if (!m_translator.load(path)) {
        m_current = Language::Invalid;
        return false;
    }
    // Numbers in tables follow the interface language (1.234 in Vietnamese, 1,234 in English).
    QLocale::setDefault(QLocale(language == Language::Vietnamese ? QLocale::Vietnamese : QLocale::English,
                                language == Language::Vietnamese ? QLocale::Vietnam : QLocale::UnitedStates));
    QCoreApplication::installTranslator(&m_translator);
    m_current = language;
    return true;
}

}  // namespace vietllm::widgets
