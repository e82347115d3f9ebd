#include "widgets/annotation_panel.h"

#include "backend/common/errors.h"
#include "backend/store/annotations.h"
#include "backend/store/label_progress.h"
#include "backend/store/project_store.h"
#include "backend/store/ranking_queue.h"
#include "backend/store/record_browser.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>

namespace vietllm::widgets {

namespace {

// The flag keys, in kFlags order.
constexpr std::array<Qt::Key, 5> kFlagKeys = {Qt::Key_S, Qt::Key_V, Qt::Key_P, Qt::Key_T, Qt::Key_B};

QSpinBox* makeLikertBox(QWidget* parent) {
    auto* box = new QSpinBox(parent);
    box->setRange(0, 5);
    box->setSpecialValueText(QStringLiteral("–"));
    return box;
}

}  // namespace

AnnotationPanel::AnnotationPanel(QWidget* parent)
    : QWidget(parent),
      m_title(new QLabel(this)),
      m_annotator_label(new QLabel(this)),
      m_annotator(new QLineEdit(this)),
      m_quality_label(new QLabel(this)),
      m_quality(makeLikertBox(this)),
      m_helpfulness_label(new QLabel(this)),
      m_helpfulness(makeLikertBox(this)),
      m_note_label(new QLabel(this)),
      m_note(new QLineEdit(this)),
      m_keys(new QLabel(this)),
      m_message(new QLabel(this)),
      m_progress(new QLabel(this)) {
    QFont title_font = m_title->font();
    title_font.setBold(true);
    m_title->setFont(title_font);
    const QString user = qEnvironmentVariable("USER");
    m_annotator->setText(user.isEmpty() ? QStringLiteral("annotator") : user);
    m_annotator_label->setBuddy(m_annotator);
    m_quality_label->setBuddy(m_quality);
    m_helpfulness_label->setBuddy(m_helpfulness);
    m_note_label->setBuddy(m_note);
    m_keys->setTextFormat(Qt::RichText);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #b00020;"));

    auto* form = new QFormLayout;
    form->addRow(m_annotator_label, m_annotator);
    form->addRow(m_quality_label, m_quality);
    form->addRow(m_helpfulness_label, m_helpfulness);
    auto* flags = new QGridLayout;
    for (std::size_t i = 0; i < m_flags.size(); ++i) {
        m_flags[i] = new QCheckBox(this);
        flags->addWidget(m_flags[i], static_cast<int>(i / 2), static_cast<int>(i % 2));
        connect(m_flags[i], &QCheckBox::toggled, this, [this, i](bool on) {
            if (!m_loading) {
                writeValue(kFlags[i], 1.0, on);
            }
        });
    }
    form->addRow(m_note_label, m_note);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_progress);
    layout->addLayout(form);
    layout->addLayout(flags);
    layout->addWidget(m_keys);
    layout->addWidget(m_message);
    layout->addStretch();

    connect(m_quality, QOverload<int>::of(&QSpinBox::valueChanged), this, [this](int value) {
        if (!m_loading) {
            writeValue(kQuality, value, value > 0);
        }
    });
    connect(m_helpfulness, QOverload<int>::of(&QSpinBox::valueChanged), this, [this](int value) {
        if (!m_loading) {
            writeValue(kHelpfulness, value, value > 0);
        }
    });
    connect(m_note, &QLineEdit::editingFinished, this, &AnnotationPanel::writeNote);
    connect(m_annotator, &QLineEdit::editingFinished, this, &AnnotationPanel::loadLabels);
    auto* leave_note =
        new QShortcut(QKeySequence(Qt::Key_Escape), m_note, nullptr, nullptr, Qt::WidgetShortcut);
    connect(leave_note, &QShortcut::activated, this, [this] {
        writeNote();
        if (m_shortcut_target != nullptr) {
            m_shortcut_target->setFocus();
        }
    });
    retranslateUi();
    updateEnabled();
}

void AnnotationPanel::setProject(store::ProjectStore* project) {
    m_project = project;
    setRecord(0);
}

void AnnotationPanel::setRecord(qint64 record_id) {
    setMessage(record_id, std::nullopt);
}

void AnnotationPanel::setMessage(qint64 record_id, std::optional<qint64> message_id) {
    m_record_id = m_project != nullptr ? record_id : 0;
    m_message_id = m_record_id != 0 ? message_id : std::nullopt;
    retranslateUi();
    loadLabels();
}

void AnnotationPanel::markDoneAndNext() {
    markAndNext(store::kDoneLabel, store::kSkippedLabel);
}

void AnnotationPanel::skipAndNext() {
    markAndNext(store::kSkippedLabel, store::kDoneLabel);
}

// Sets record label `name`, clears `other` (a record is done or skipped, not both) and moves the
// record table one row down.
void AnnotationPanel::markAndNext(const char* name, const char* other) {
    if (m_project == nullptr || m_record_id == 0 || m_message_id) {
        return;
    }
    try {
        const qint64 annotator = annotatorId();
        store::Annotations(*m_project).setLabel({m_record_id, std::nullopt, annotator, name, 1.0, {}});
        store::clearRecordLabel(*m_project, m_record_id, annotator, other);
        m_message->clear();
        emit labelsChanged(m_record_id);
    } catch (const UserError& error) {
        m_message->setText(QString::fromUtf8(error.what()));
        return;
    }
    updateProgress();
    auto* view = qobject_cast<QAbstractItemView*>(m_shortcut_target);
    if (view != nullptr && view->model() != nullptr) {
        const QModelIndex current = view->currentIndex();
        const QModelIndex next = view->model()->index(current.row() + 1, std::max(current.column(), 0));
        if (next.isValid()) {
            view->setCurrentIndex(next);
        }
    }
}

QString AnnotationPanel::annotatorName() const {
    return m_annotator->text().trimmed();
}

void AnnotationPanel::setAnnotatorName(const QString& name) {
    m_annotator->setText(name);
    loadLabels();
}

void AnnotationPanel::installShortcuts(QWidget* target) {
    m_shortcut_target = target;
    const auto add = [this, target](const QKeySequence& keys, const std::function<void()>& action) {
        auto* shortcut = new QShortcut(keys, target, nullptr, nullptr, Qt::WidgetShortcut);
        connect(shortcut, &QShortcut::activated, this, action);
    };
    for (int value = 0; value <= 5; ++value) {
        const auto digit = static_cast<Qt::Key>(Qt::Key_0 + value);
        add(QKeySequence(digit), [this, value] { setLikert(kQuality, value); });
        add(QKeySequence(QKeyCombination(Qt::AltModifier, digit)),
            [this, value] { setLikert(kHelpfulness, value); });
    }
    for (std::size_t i = 0; i < kFlagKeys.size(); ++i) {
        add(QKeySequence(kFlagKeys[i]), [this, i] { toggleFlag(i); });
    }
    add(QKeySequence(Qt::Key_N), [this] { m_note->setFocus(); });
    add(QKeySequence(Qt::CTRL | Qt::Key_Return), [this] { markDoneAndNext(); });
    add(QKeySequence(Qt::CTRL | Qt::Key_Enter), [this] { markDoneAndNext(); });
    add(QKeySequence(Qt::Key_K), [this] { skipAndNext(); });
}

void AnnotationPanel::setLikert(const char* name, int value) {
    if (m_record_id == 0) {
        return;
    }
    QSpinBox* box = std::string(name) == kQuality ? m_quality : m_helpfulness;
    box->setValue(value);
}

void AnnotationPanel::toggleFlag(std::size_t flag) {
    if (m_record_id != 0 && flag < m_flags.size()) {
        m_flags[flag]->toggle();
    }
}

qint64 AnnotationPanel::annotatorId() {
    const std::string name = annotatorName().toStdString();
    if (name.empty()) {
        throw UserError(tr("Enter an annotator name first.").toStdString());
    }
    store::Annotations annotations(*m_project);
    if (const auto id = annotations.findAnnotator(name)) {
        return *id;
    }
    return annotations.addAnnotator(name, store::AnnotatorKind::Human);
}

void AnnotationPanel::writeValue(const char* name, double value, bool set) {
    if (m_project == nullptr || m_record_id == 0) {
        return;
    }
    try {
        const qint64 annotator = annotatorId();
        if (set) {
            store::Annotations(*m_project).setLabel({m_record_id, m_message_id, annotator, name, value, {}});
        } else if (m_message_id) {
            store::clearMessageLabel(*m_project, *m_message_id, annotator, name);
        } else {
            store::clearRecordLabel(*m_project, m_record_id, annotator, name);
        }
        m_message->clear();
        emit labelsChanged(m_record_id);
    } catch (const UserError& error) {
        m_message->setText(QString::fromUtf8(error.what()));
    }
    updateProgress();
}

void AnnotationPanel::writeNote() {
    if (m_loading || m_project == nullptr || m_record_id == 0) {
        return;
    }
    const QString note = m_note->text().trimmed();
    try {
        const qint64 annotator = annotatorId();
        if (note.isEmpty() && m_message_id) {
            store::clearMessageLabel(*m_project, *m_message_id, annotator, kNote);
        } else if (note.isEmpty()) {
            store::clearRecordLabel(*m_project, m_record_id, annotator, kNote);
        } else {
            store::Annotations(*m_project)
                .setLabel({m_record_id, m_message_id, annotator, kNote, std::nullopt, note.toStdString()});
        }
        m_message->clear();
        emit labelsChanged(m_record_id);
    } catch (const UserError& error) {
        m_message->setText(QString::fromUtf8(error.what()));
    }
    updateProgress();
}

void AnnotationPanel::loadLabels() {
    m_loading = true;
    m_quality->setValue(0);
    m_helpfulness->setValue(0);
    for (QCheckBox* flag : m_flags) {
        flag->setChecked(false);
    }
    m_note->clear();
    m_message->clear();
    if (m_project != nullptr && m_record_id != 0) {
        store::Annotations annotations(*m_project);
        const auto annotator = annotations.findAnnotator(annotatorName().toStdString());
        for (const store::LabelValue& label :
             annotator ? annotations.labels(m_record_id) : std::vector<store::LabelValue>()) {
            if (label.annotator_id != *annotator || label.message_id != m_message_id) {
                continue;
            }
            const int value = static_cast<int>(label.value.value_or(0));
            if (label.name == kQuality) {
                m_quality->setValue(value);
            } else if (label.name == kHelpfulness) {
                m_helpfulness->setValue(value);
            } else if (label.name == kNote) {
                m_note->setText(QString::fromStdString(label.text));
            }
            for (std::size_t i = 0; i < kFlags.size(); ++i) {
                if (label.name == kFlags[i]) {
                    m_flags[i]->setChecked(value != 0);
                }
            }
        }
    }
    m_loading = false;
    updateEnabled();
    updateProgress();
}

void AnnotationPanel::updateProgress() {
    m_progress->setVisible(!m_message_id);
    const auto annotator = m_project != nullptr
                               ? store::Annotations(*m_project).findAnnotator(annotatorName().toStdString())
                               : std::nullopt;
    if (!annotator) {
        m_progress->clear();
        return;
    }
    const store::LabelProgress progress = store::labelProgress(*m_project, *annotator);
    m_progress->setText(tr("Done %1 / %2 records, %3 skipped, %4 drafts")
                            .arg(progress.done)
                            .arg(progress.records)
                            .arg(progress.skipped)
                            .arg(progress.drafts));
}

void AnnotationPanel::updateEnabled() {
    const bool enabled = m_project != nullptr && m_record_id != 0;
    m_quality->setEnabled(enabled);
    m_helpfulness->setEnabled(enabled);
    for (QCheckBox* flag : m_flags) {
        flag->setEnabled(enabled);
    }
    m_note->setEnabled(enabled);
}

void AnnotationPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void AnnotationPanel::retranslateUi() {
    m_title->setText(m_message_id ? tr("Labels of the selected message") : tr("Labels"));
    m_annotator_label->setText(tr("&Annotator:"));
    m_quality_label->setText(tr("&Quality (1-5):"));
    m_helpfulness_label->setText(tr("&Helpfulness (1-5):"));
    m_flags[0]->setText(tr("Spam"));
    m_flags[1]->setText(tr("Not Vietnamese"));
    m_flags[2]->setText(tr("Personal data (PII)"));
    m_flags[3]->setText(tr("Toxic"));
    m_flags[4]->setText(tr("Bad translation"));
    m_note_label->setText(tr("N&ote:"));
    // The key table: what each key does while the record table has the focus.
    const QList<QPair<QString, QString>> rows = {
        {QStringLiteral("1 … 5, 0"), tr("quality; 0 clears")},
        {QStringLiteral("Alt+1 … Alt+5, Alt+0"), tr("helpfulness; Alt+0 clears")},
        {QStringLiteral("S  V  P  T  B"), tr("spam, not Vietnamese, PII, toxic, bad translation")},
        {QStringLiteral("N / Esc"), tr("write a note / back to the table")},
        {QStringLiteral("Ctrl+Enter"), tr("mark done (a draft until then), next record")},
        {QStringLiteral("K"), tr("skip the record, next record")},
        {QStringLiteral("↑ ↓"), tr("previous / next record")},
        {QStringLiteral("Ctrl+F"), tr("search")},
        {QStringLiteral("Alt+Insert, Alt+Delete, Alt+↑ ↓"), tr("add, delete, move a turn")},
        {QStringLiteral("Ctrl+Z, Ctrl+Shift+Z, Ctrl+S"), tr("undo, redo, save the record")}};
    QString table =
        QStringLiteral(
            "<table cellspacing=\"2\"><tr><th align=\"left\">%1</th><th align=\"left\">%2</th></tr>")
            .arg(tr("Key"), tr("Action"));
    for (const auto& [keys, action] : rows) {
        table += QStringLiteral("<tr><td><tt>%1</tt>&nbsp;&nbsp;</td><td>%2</td></tr>")
                     .arg(keys.toHtmlEscaped(), action);
    }
    m_keys->setText(table + QStringLiteral("</table>"));
}

}  // namespace vietllm::widgets
