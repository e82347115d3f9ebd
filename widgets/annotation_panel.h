#pragma once
// Per-record labels of one annotator, keyboard first: quality and helpfulness on 1-5 Likert
// scales, five flags (spam, not Vietnamese, PII, toxic, bad translation) and a free-text note,
// with the keys listed beside them. Every change is written to the project at once (labels
// table, one row per record, annotator and label name), so nothing is lost on a crash. A record
// stays a draft until the annotator marks it done (Ctrl+Enter) or skips it (K); the progress
// line counts both (store::labelProgress). The same panel labels one message of a record when
// given one (the Ranking panel's tree review).

#include <QWidget>
#include <array>
#include <optional>
#include <string>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace vietllm::store {
class ProjectStore;
}

namespace vietllm::widgets {

class AnnotationPanel : public QWidget {
    Q_OBJECT

public:
    /// Stored label names: two Likert scales, five flags (value 1 when set) and the note (text).
    static constexpr const char* kQuality = "quality";
    static constexpr const char* kHelpfulness = "helpfulness";
    static constexpr std::array<const char*, 5> kFlags = {"spam", "not_vietnamese", "pii", "toxic",
                                                          "bad_translation"};
    static constexpr const char* kNote = "note";

    explicit AnnotationPanel(QWidget* parent = nullptr);

    /// Works on `project` (nullptr: none); the project must outlive the panel or be replaced first.
    void setProject(store::ProjectStore* project);
    /// Shows (and then edits) the labels of record `record_id` (0: none) by the current annotator.
    void setRecord(qint64 record_id);
    /// Shows (and then edits) the labels of one message of a record, or of the record itself when
    /// `message_id` is none; the progress line and the done/skip keys belong to records only.
    void setMessage(qint64 record_id, std::optional<qint64> message_id);
    /// Marks the record done by the current annotator and moves the record table to the next row.
    void markDoneAndNext();
    /// Marks the record skipped by the current annotator and moves the record table to the next row.
    void skipAndNext();
    /// Makes the label keys work while `target` (the record table) has the focus.
    void installShortcuts(QWidget* target);
    /// The annotator whose labels are shown and written; created in the project on first use.
    QString annotatorName() const;
    /// Switches annotator and reloads the labels.
    void setAnnotatorName(const QString& name);

    /// Sets a Likert label (kQuality or kHelpfulness) to 1-5, or clears it with 0.
    void setLikert(const char* name, int value);
    /// Sets or clears one of kFlags.
    void toggleFlag(std::size_t flag);

    /// The message line (errors), for tests.
    QLabel* messageLabel() const { return m_message; }
    /// The note box, for tests.
    QLineEdit* noteEdit() const { return m_note; }
    /// The progress line ("done 12 / 1500, ..."), for tests.
    QLabel* progressLabel() const { return m_progress; }

signals:
    /// A label of `record_id` was written.
    void labelsChanged(qint64 record_id);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void loadLabels();
    void writeValue(const char* name, double value, bool set);
    void writeNote();
    qint64 annotatorId();
    void updateEnabled();
    void updateProgress();
    void markAndNext(const char* name, const char* other);

    store::ProjectStore* m_project = nullptr;
    qint64 m_record_id = 0;
    std::optional<qint64> m_message_id;
    bool m_loading = false;
    QWidget* m_shortcut_target = nullptr;

    QLabel* m_title = nullptr;
    QLabel* m_annotator_label = nullptr;
    QLineEdit* m_annotator = nullptr;
    QLabel* m_quality_label = nullptr;
    QSpinBox* m_quality = nullptr;
    QLabel* m_helpfulness_label = nullptr;
    QSpinBox* m_helpfulness = nullptr;
    std::array<QCheckBox*, 5> m_flags{};
    QLabel* m_note_label = nullptr;
    QLineEdit* m_note = nullptr;
    QLabel* m_keys = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_progress = nullptr;
};

}  // namespace vietllm::widgets
