#include "widgets/about_dialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

namespace vietllm::widgets {

AboutDialog::AboutDialog(QWidget* parent)
    : QDialog(parent),
      m_name_label(new QLabel(this)),
      m_description_label(new QLabel(this)),
      m_details_label(new QLabel(this)) {
    auto* icon_label = new QLabel(this);
    icon_label->setPixmap(QIcon(QStringLiteral(":/icons/vietllm.png")).pixmap(96, 96));
    icon_label->setAlignment(Qt::AlignTop);
    m_description_label->setWordWrap(true);
    m_details_label->setWordWrap(true);
    m_details_label->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* texts = new QVBoxLayout;
    texts->addWidget(m_name_label);
    texts->addWidget(m_description_label);
    texts->addWidget(m_details_label);
    texts->addStretch();

    auto* body = new QHBoxLayout;
    body->addWidget(icon_label);
    body->addLayout(texts, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(body);
    layout->addWidget(buttons);
    resize(460, 220);
    retranslateUi();
}

void AboutDialog::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QDialog::changeEvent(event);
}

void AboutDialog::retranslateUi() {
    setWindowTitle(tr("About vietllm"));
    m_name_label->setText(QStringLiteral("<h2>vietllm %1</h2>").arg(QStringLiteral(VIETLLM_VERSION)));
    m_description_label->setText(
        tr("A desktop workbench for the Vietnamese LLM community: dataset browsing and annotation, "
           "ranking, training, chat and evaluation, offline and in one program."));
    m_details_label->setText(tr("Built with Qt %1; running on Qt %2.")
                                 .arg(QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion())));
}

}  // namespace vietllm::widgets
