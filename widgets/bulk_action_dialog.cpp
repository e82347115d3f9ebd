#include "widgets/bulk_action_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace vietllm::widgets {

QString BulkActionDialog::actionText(BulkActionKind kind) {
    switch (kind) {
        case BulkActionKind::TextChecks:
            return tr("Run text checks…");
        case BulkActionKind::Duplicates:
            return tr("Find duplicates…");
        case BulkActionKind::AddTag:
            return tr("Add tag…");
        case BulkActionKind::RemoveTag:
            return tr("Remove tag…");
        case BulkActionKind::Delete:
            return tr("Delete…");
        case BulkActionKind::Transfer:
            return tr("Move or copy to dataset…");
        case BulkActionKind::Invalid:
            break;
    }
    return QString();
}

BulkActionDialog::BulkActionDialog(BulkActionKind kind, int selected, const QString& matching,
                                   const QStringList& datasets, const QStringList& labels, QWidget* parent)
    : QDialog(parent), m_kind(kind) {
    setWindowTitle(QString(actionText(kind)).remove(QStringLiteral("…")));
    auto* scope = new QGroupBox(tr("Records"), this);
    m_selected = new QRadioButton(tr("The %n selected record(s)", nullptr, selected), scope);
    m_matching = new QRadioButton(tr("All records matching the current filter (%1)").arg(matching), scope);
    m_selected->setEnabled(selected > 0);
    (selected > 0 ? m_selected : m_matching)->setChecked(true);
    auto* scope_layout = new QVBoxLayout(scope);
    scope_layout->addWidget(m_selected);
    scope_layout->addWidget(m_matching);

    auto* options = new QFormLayout;
    switch (kind) {
        case BulkActionKind::TextChecks:
            m_normalize =
                new QCheckBox(tr("Normalize the text (NFC, tone marks, spaces), as saving does"), this);
            m_language =
                new QCheckBox(tr("Identify the language (label lang:xx; fills message languages)"), this);
            m_flags = new QCheckBox(tr("Flag quality, PII and toxicity problems (labels check:…)"), this);
            m_language->setChecked(true);
            m_flags->setChecked(true);
            for (QCheckBox* box : {m_normalize, m_language, m_flags}) {
                options->addRow(box);
                connect(box, &QCheckBox::toggled, this, &BulkActionDialog::updateOk);
            }
            break;
        case BulkActionKind::Duplicates:
            m_near = new QCheckBox(tr("Also near duplicates (MinHash)"), this);
            m_near->setChecked(true);
            m_threshold = new QDoubleSpinBox(this);
            m_threshold->setRange(0.5, 1.0);
            m_threshold->setSingleStep(0.05);
            m_threshold->setValue(0.8);
            m_duplicate_action = new QComboBox(this);
            m_duplicate_action->addItem(tr("Tag them \"duplicate\""),
                                        static_cast<int>(store::DuplicateAction::Tag));
            m_duplicate_action->addItem(tr("Delete them"), static_cast<int>(store::DuplicateAction::Delete));
            options->addRow(m_near);
            options->addRow(tr("Similarity from:"), m_threshold);
            options->addRow(tr("Duplicates (the first of each group is kept):"), m_duplicate_action);
            connect(m_near, &QCheckBox::toggled, m_threshold, &QWidget::setEnabled);
            break;
        case BulkActionKind::AddTag:
        case BulkActionKind::RemoveTag:
            m_tag = new QComboBox(this);
            m_tag->setEditable(true);
            m_tag->addItems(labels);
            m_tag->setCurrentText(QString());
            options->addRow(tr("Tag:"), m_tag);
            connect(m_tag, &QComboBox::currentTextChanged, this, &BulkActionDialog::updateOk);
            break;
        case BulkActionKind::Transfer:
            m_mode = new QComboBox(this);
            m_mode->addItem(tr("Move (with labels and rankings)"),
                            static_cast<int>(store::TransferMode::Move));
            m_mode->addItem(tr("Copy (the data only)"), static_cast<int>(store::TransferMode::Copy));
            m_dataset = new QComboBox(this);
            m_dataset->setEditable(true);
            m_dataset->addItems(datasets);
            m_dataset->setCurrentText(QString());
            m_dataset->lineEdit()->setPlaceholderText(tr("an existing dataset or a new name"));
            options->addRow(tr("Action:"), m_mode);
            options->addRow(tr("Dataset:"), m_dataset);
            connect(m_dataset, &QComboBox::currentTextChanged, this, &BulkActionDialog::updateOk);
            break;
        case BulkActionKind::Delete:
            options->addRow(new QLabel(tr("The records are deleted with their labels and rankings."), this));
            break;
        case BulkActionKind::Invalid:
            break;
    }

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(scope);
    layout->addLayout(options);
    layout->addWidget(new QLabel(tr("You confirm the number of records before anything changes."), this));
    layout->addWidget(m_buttons);
    updateOk();
}

void BulkActionDialog::updateOk() {
    bool ok = true;
    if (m_kind == BulkActionKind::TextChecks) {
        ok = m_normalize->isChecked() || m_language->isChecked() || m_flags->isChecked();
    } else if (m_tag != nullptr) {
        ok = !m_tag->currentText().trimmed().isEmpty();
    } else if (m_dataset != nullptr) {
        ok = !m_dataset->currentText().trimmed().isEmpty();
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

BulkRequest BulkActionDialog::request() const {
    BulkRequest request;
    request.kind = m_kind;
    request.scope = m_selected->isChecked() ? BulkScope::Selected : BulkScope::Matching;
    if (m_normalize != nullptr) {
        request.checks.normalize = m_normalize->isChecked();
        request.checks.language = m_language->isChecked();
        request.checks.flags = m_flags->isChecked();
    }
    if (m_duplicate_action != nullptr) {
        request.duplicates.action =
            static_cast<store::DuplicateAction>(m_duplicate_action->currentData().toInt());
        request.duplicates.near = m_near->isChecked();
        request.duplicates.threshold = m_threshold->value();
    }
    if (m_tag != nullptr) {
        request.tag = m_tag->currentText().trimmed();
    }
    if (m_dataset != nullptr) {
        request.dataset = m_dataset->currentText().trimmed();
        request.mode = static_cast<store::TransferMode>(m_mode->currentData().toInt());
    }
    return request;
}

}  // namespace vietllm::widgets
