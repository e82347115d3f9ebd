#pragma once
// The record viewer and editor beside the record table. A conversation's turns can be added,
// deleted, moved, re-roled and rewritten, each step undoable (Ctrl+Z, Ctrl+Shift+Z); Save
// (Ctrl+S) normalizes every turn (store::normalizeMessageText) and replaces the record's
// messages in one transaction. Preference pairs and conversation trees are shown read-only.

#include "backend/store/record_rows.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QUndoStack;

namespace vietllm::store {
class ProjectStore;
}

namespace vietllm::widgets {

class TurnListModel;

class RecordEditor : public QWidget {
    Q_OBJECT

public:
    explicit RecordEditor(QWidget* parent = nullptr);
    /// Detaches from the undo history first: it reports its clearing while being destroyed.
    ~RecordEditor() override;

    /// Works on `project` (nullptr: none) and shows no record. The project must outlive the editor
    /// or be replaced first.
    void setProject(store::ProjectStore* project);
    /// Shows record `record_id` (0: none), dropping unsaved changes; store errors are shown in the
    /// editor's message line.
    void showRecord(qint64 record_id);
    /// The record on show; 0 when none.
    qint64 recordId() const { return m_record_id; }
    /// True when the record can be edited (a conversation in a writable project).
    bool isEditable() const { return m_editable; }
    /// True when there are changes not yet saved.
    bool hasUnsavedChanges() const;
    /// Saves the changes; on a refused save (an empty turn, a read-only project) it shows why and
    /// returns false.
    bool save();

    /// Adds an empty user or assistant turn (the other role than the current turn's) after it.
    void addTurn();
    /// Deletes the current turn.
    void deleteTurn();
    /// Moves the current turn up (-1) or down (+1).
    void moveTurn(int offset);

    /// The turns on show, for tests.
    TurnListModel* turnModel() const { return m_turns; }
    /// The turn list, for tests.
    QTableView* turnView() const { return m_turn_view; }
    /// The text of the current turn, for tests.
    QPlainTextEdit* textEdit() const { return m_text; }
    /// The role of the current turn, for tests.
    QComboBox* roleBox() const { return m_role; }
    /// The undo history, for tests.
    QUndoStack* undoStack() const { return m_undo; }
    /// The message line (errors, "saved"), for tests.
    QLabel* messageLabel() const { return m_message; }

signals:
    /// A record's messages were saved.
    void recordSaved(qint64 record_id);

protected:
    void changeEvent(QEvent* event) override;
    /// Lets Ctrl+Z and Ctrl+Shift+Z in the text box reach the editor's undo history rather than
    /// the text box's own.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void retranslateUi();
    void updateState();
    void showCurrentTurn();
    void onTextEdited();
    void onRoleChosen();
    int currentRow() const;
    void selectRow(int row);
    void showMessage(const QString& text, bool error);

    store::ProjectStore* m_project = nullptr;
    qint64 m_record_id = 0;
    bool m_editable = false;
    bool m_updating = false;
    store::RecordKind m_kind = store::RecordKind::Invalid;

    QLabel* m_title = nullptr;
    QLabel* m_read_only_note = nullptr;
    TurnListModel* m_turns = nullptr;
    QTableView* m_turn_view = nullptr;
    QLabel* m_role_label = nullptr;
    QComboBox* m_role = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QUndoStack* m_undo = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_delete = nullptr;
    QPushButton* m_up = nullptr;
    QPushButton* m_down = nullptr;
    QPushButton* m_undo_button = nullptr;
    QPushButton* m_redo_button = nullptr;
    QPushButton* m_save = nullptr;
    QLabel* m_message = nullptr;
};

}  // namespace vietllm::widgets
