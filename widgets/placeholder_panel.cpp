#include "widgets/placeholder_panel.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace vietllm::widgets {

PlaceholderPanel::PlaceholderPanel(Panel panel, QWidget* parent)
    : QWidget(parent),
      m_panel(panel),
      m_title_label(new QLabel(this)),
      m_purpose_label(new QLabel(this)),
      m_status_label(new QLabel(this)) {
    QFont title_font = m_title_label->font();
    title_font.setPointSizeF(title_font.pointSizeF() * 1.5);
    title_font.setBold(true);
    m_title_label->setFont(title_font);
    m_purpose_label->setWordWrap(true);
    m_status_label->setWordWrap(true);
    m_status_label->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addWidget(m_title_label);
    layout->addWidget(m_purpose_label);
    layout->addSpacing(12);
    layout->addWidget(m_status_label);
    layout->addStretch();
    retranslateUi();
}

void PlaceholderPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void PlaceholderPanel::retranslateUi() {
    m_title_label->setText(panelName(m_panel));
    m_purpose_label->setText(panelPurpose(m_panel));
    m_status_label->setText(tr("Not built yet: this panel will come in a later version."));
}

}  // namespace vietllm::widgets
