#pragma once
// The options of one Data panel bulk action: which records (the selected ones or all that match
// the current filter, with their counts), and what the action needs: the checks to run, the
// duplicate settings, a tag, or the dataset to move or copy to.

#include "backend/store/bulk_actions.h"

#include <QDialog>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QRadioButton;

namespace vietllm::widgets {

enum class BulkActionKind { Invalid = 0, TextChecks, Duplicates, AddTag, RemoveTag, Delete, Transfer };
enum class BulkScope { Invalid = 0, Selected, Matching };

/// One bulk action as the user chose it.
struct BulkRequest {
    BulkActionKind kind = BulkActionKind::Invalid;
    BulkScope scope = BulkScope::Selected;
    store::TextChecks checks;
    store::DuplicateOptions duplicates;
    QString tag;      ///< AddTag, RemoveTag
    QString dataset;  ///< Transfer: the target, created when new
    store::TransferMode mode = store::TransferMode::Move;
};

class BulkActionDialog : public QDialog {
    Q_OBJECT

public:
    /// `selected` records are selected; `matching` says how many match the filter (a number, or
    /// "1,200+" while still counting). `datasets` and `labels` fill the target and tag choices.
    BulkActionDialog(BulkActionKind kind, int selected, const QString& matching, const QStringList& datasets,
                     const QStringList& labels, QWidget* parent = nullptr);

    /// The action with the options chosen.
    BulkRequest request() const;
    /// The translated name of an action, for menus and titles.
    static QString actionText(BulkActionKind kind);

private:
    void updateOk();

    BulkActionKind m_kind = BulkActionKind::Invalid;
    QRadioButton* m_selected = nullptr;
    QRadioButton* m_matching = nullptr;
    QCheckBox* m_normalize = nullptr;
    QCheckBox* m_language = nullptr;
    QCheckBox* m_flags = nullptr;
    QCheckBox* m_near = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QComboBox* m_duplicate_action = nullptr;
    QComboBox* m_tag = nullptr;
    QComboBox* m_mode = nullptr;
    QComboBox* m_dataset = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace vietllm::widgets
