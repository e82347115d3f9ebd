#pragma once
// Preferences: for now the interface language. The caller applies the choice on accept, so the
// whole window switches language at once, without a restart.

#include "widgets/language.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;

namespace vietllm::widgets {

class SettingsDialog : public QDialog {
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    /// Selects `language` in the language list.
    void setSelectedLanguage(Language language);
    /// The language the user picked.
    Language selectedLanguage() const;
    /// The dialog's OK/Cancel box, for tests.
    QDialogButtonBox* buttonBox() const { return m_buttons; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();

    QLabel* m_language_label = nullptr;
    QComboBox* m_language_combo = nullptr;
    QLabel* m_language_note = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace vietllm::widgets
