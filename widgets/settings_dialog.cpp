#include "widgets/settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace vietllm::widgets {

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent),
      m_language_label(new QLabel(this)),
      m_language_combo(new QComboBox(this)),
      m_language_note(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    // Language names stay in their own language so a user lost in the other one finds theirs.
    for (const Language language : supportedLanguages()) {
        m_language_combo->addItem(languageNativeName(language), static_cast<int>(language));
    }
    m_language_label->setBuddy(m_language_combo);
    m_language_note->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(m_language_label, m_language_combo);
    form->addRow(QString(), m_language_note);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    retranslateUi();
}

void SettingsDialog::setSelectedLanguage(Language language) {
    const int row = m_language_combo->findData(static_cast<int>(language));
    if (row >= 0) {
        m_language_combo->setCurrentIndex(row);
    }
}

Language SettingsDialog::selectedLanguage() const {
    return static_cast<Language>(m_language_combo->currentData().toInt());
}

void SettingsDialog::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QDialog::changeEvent(event);
}

void SettingsDialog::retranslateUi() {
    setWindowTitle(tr("Preferences"));
    m_language_label->setText(tr("Interface &language:"));
    m_language_note->setText(tr("The new language applies at once; no restart is needed."));
}

}  // namespace vietllm::widgets
