#pragma once
// The interface languages and the translator that switches between them at run time. Installing
// a translator makes Qt send QEvent::LanguageChange to every widget, whose retranslateUi() then
// re-reads its texts: no restart is needed.

#include <QString>
#include <QTranslator>
#include <vector>

namespace vietllm::widgets {

enum class Language { Invalid = 0, Vietnamese, English };

/// The interface languages vietllm ships, Vietnamese first.
const std::vector<Language>& supportedLanguages();
/// The language's code as stored in settings and in .qm file names: "vi", "en".
QString languageCode(Language language);
/// Parses a code written by languageCode(); Language::Invalid when unknown.
Language parseLanguage(const QString& code);
/// The language's name in that language ("Tiếng Việt", "English"), so users find their own.
QString languageNativeName(Language language);

/// Owns the application's translator and swaps it when the user picks another language.
class LanguageSwitcher {
public:
    LanguageSwitcher() = default;
    ~LanguageSwitcher();
    LanguageSwitcher(const LanguageSwitcher&) = delete;
    LanguageSwitcher& operator=(const LanguageSwitcher&) = delete;

    /// Loads the embedded translation for `language` and installs it on the application; returns
    /// false (keeping the previous language) when no translation is embedded for it.
    bool apply(Language language);
    /// The language last applied successfully.
    Language current() const { return m_current; }

private:
    QTranslator m_translator;
    Language m_current = Language::Invalid;
};

}  // namespace vietllm::widgets
