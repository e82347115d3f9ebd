#include "widgets/record_editor.h"

#include "backend/common/errors.h"
#include "backend/store/project_store.h"
#include "backend/store/record_browser.h"
#include "widgets/models/record_table_model.h"
#include "widgets/models/turn_list_model.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>
#include <functional>
#include <variant>

namespace vietllm::widgets {

namespace {

using SelectRow = std::function<void(int)>;

// Undo commands: each changes the turn model and then selects the turn it touched, so that undo
// shows the user what it undid.
class InsertTurnCommand : public QUndoCommand {
public:
    InsertTurnCommand(TurnListModel* model, int row, Turn turn, SelectRow select)
        : m_model(model), m_row(row), m_turn(std::move(turn)), m_select(std::move(select)) {}
    void redo() override {
        m_model->insertTurn(m_row, m_turn);
        m_select(m_row);
    }
    void undo() override {
        m_model->removeTurn(m_row);
        m_select(std::min(m_row, m_model->rowCount() - 1));
    }

private:
    TurnListModel* m_model;
    int m_row;
    Turn m_turn;
    SelectRow m_select;
};

class RemoveTurnCommand : public QUndoCommand {
public:
    RemoveTurnCommand(TurnListModel* model, int row, SelectRow select)
        : m_model(model), m_row(row), m_select(std::move(select)) {}
    void redo() override {
        m_turn = m_model->removeTurn(m_row);
        m_select(std::min(m_row, m_model->rowCount() - 1));
    }
    void undo() override {
        m_model->insertTurn(m_row, m_turn);
        m_select(m_row);
    }

private:
    TurnListModel* m_model;
    int m_row;
    Turn m_turn;
    SelectRow m_select;
};

class MoveTurnCommand : public QUndoCommand {
public:
    MoveTurnCommand(TurnListModel* model, int from, int to, SelectRow select)
        : m_model(model), m_from(from), m_to(to), m_select(std::move(select)) {}
    void redo() override {
        m_model->moveTurn(m_from, m_to);
        m_select(m_to);
    }
    void undo() override {
        m_model->moveTurn(m_to, m_from);
        m_select(m_from);
    }

private:
    TurnListModel* m_model;
    int m_from;
    int m_to;
    SelectRow m_select;
};

// Typing in one turn is one undo step: consecutive edits of the same turn merge.
class EditTextCommand : public QUndoCommand {
public:
    static constexpr int kId = 1;
    EditTextCommand(TurnListModel* model, int row, QString old_text, QString new_text, SelectRow select)
        : m_model(model),
          m_row(row),
          m_old(std::move(old_text)),
          m_new(std::move(new_text)),
          m_select(std::move(select)) {}
    int id() const override { return kId; }
    bool mergeWith(const QUndoCommand* other) override {
        const auto* edit = static_cast<const EditTextCommand*>(other);
        if (edit->m_row != m_row) {
            return false;
        }
        m_new = edit->m_new;
        return true;
    }
    void redo() override {
        m_model->setTurnText(m_row, m_new);
        m_select(m_row);
    }
    void undo() override {
        m_model->setTurnText(m_row, m_old);
        m_select(m_row);
    }

private:
    TurnListModel* m_model;
    int m_row;
    QString m_old;
    QString m_new;
    SelectRow m_select;
};

class SetRoleCommand : public QUndoCommand {
public:
    SetRoleCommand(TurnListModel* model, int row, data::Role old_role, data::Role new_role, SelectRow select)
        : m_model(model), m_row(row), m_old(old_role), m_new(new_role), m_select(std::move(select)) {}
    void redo() override {
        m_model->setTurnRole(m_row, m_new);
        m_select(m_row);
    }
    void undo() override {
        m_model->setTurnRole(m_row, m_old);
        m_select(m_row);
    }

private:
    TurnListModel* m_model;
    int m_row;
    data::Role m_old;
    data::Role m_new;
    SelectRow m_select;
};

QString fromUtf8(const std::string& text) {
    return QString::fromStdString(text);
}

std::vector<Turn> messageTurns(const std::vector<data::Message>& messages) {
    std::vector<Turn> turns;
    for (const data::Message& message : messages) {
        turns.push_back({message.role, fromUtf8(message.content), QString()});
    }
    return turns;
}

// A tree's messages in reading order (pre-order), each tagged with its depth and rank.
void appendTreeTurns(const data::TreeNode& node, int depth, std::vector<Turn>& turns) {
    QString tag = RecordEditor::tr("level %1").arg(depth + 1);
    if (node.rank) {
        tag += QStringLiteral(", ") + RecordEditor::tr("rank %1").arg(*node.rank + 1);
    }
    turns.push_back({node.role, fromUtf8(node.content), tag});
    for (const data::TreeNode& reply : node.replies) {
        appendTreeTurns(reply, depth + 1, turns);
    }
}

}  // namespace

RecordEditor::RecordEditor(QWidget* parent)
    : QWidget(parent),
      m_title(new QLabel(this)),
      m_read_only_note(new QLabel(this)),
      m_turns(new TurnListModel(this)),
      m_turn_view(new QTableView(this)),
      m_role_label(new QLabel(this)),
      m_role(new QComboBox(this)),
      m_text(new QPlainTextEdit(this)),
      m_undo(new QUndoStack(this)),
      m_add(new QPushButton(this)),
      m_delete(new QPushButton(this)),
      m_up(new QPushButton(this)),
      m_down(new QPushButton(this)),
      m_undo_button(new QPushButton(this)),
      m_redo_button(new QPushButton(this)),
      m_save(new QPushButton(this)),
      m_message(new QLabel(this)) {
    QFont title_font = m_title->font();
    title_font.setBold(true);
    m_title->setFont(title_font);
    m_read_only_note->setWordWrap(true);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_turn_view->setModel(m_turns);
    m_turn_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_turn_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_turn_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_turn_view->setWordWrap(false);
    m_turn_view->verticalHeader()->hide();
    m_turn_view->horizontalHeader()->setStretchLastSection(true);
    m_turn_view->horizontalHeader()->setSectionResizeMode(TurnListModel::kRoleColumn,
                                                          QHeaderView::ResizeToContents);
    m_role_label->setBuddy(m_role);
    for (const data::Role role : {data::Role::User, data::Role::Assistant, data::Role::System}) {
        m_role->addItem(QString(), static_cast<int>(role));
    }
    m_text->setTabChangesFocus(true);
    m_text->setUndoRedoEnabled(false);
    m_text->installEventFilter(this);

    // Shortcuts work anywhere inside the editor; in the text box too, since none is a plain key.
    const auto bind = [this](QPushButton* button, const QKeySequence& keys) {
        auto* action = new QAction(this);
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, button, &QPushButton::click);
        addAction(action);
        button->setProperty("shortcut", keys.toString(QKeySequence::NativeText));
    };
    bind(m_add, QKeySequence(Qt::ALT | Qt::Key_Insert));
    bind(m_delete, QKeySequence(Qt::ALT | Qt::Key_Delete));
    bind(m_up, QKeySequence(Qt::ALT | Qt::Key_Up));
    bind(m_down, QKeySequence(Qt::ALT | Qt::Key_Down));
    bind(m_undo_button, QKeySequence::Undo);
    bind(m_redo_button, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    bind(m_save, QKeySequence::Save);

    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {m_add, m_delete, m_up, m_down, m_undo_button, m_redo_button}) {
        buttons->addWidget(button);
    }
    buttons->addStretch();
    buttons->addWidget(m_save);
    auto* role_row = new QHBoxLayout;
    role_row->addWidget(m_role_label);
    role_row->addWidget(m_role);
    role_row->addStretch();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_read_only_note);
    layout->addWidget(m_turn_view, 1);
    layout->addLayout(role_row);
    layout->addWidget(m_text, 2);
    layout->addLayout(buttons);
    layout->addWidget(m_message);

    connect(m_turn_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showCurrentTurn(); });
    connect(m_text, &QPlainTextEdit::textChanged, this, &RecordEditor::onTextEdited);
    connect(m_role, QOverload<int>::of(&QComboBox::activated), this, &RecordEditor::onRoleChosen);
    connect(m_add, &QPushButton::clicked, this, &RecordEditor::addTurn);
    connect(m_delete, &QPushButton::clicked, this, &RecordEditor::deleteTurn);
    connect(m_up, &QPushButton::clicked, this, [this] { moveTurn(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveTurn(+1); });
    connect(m_undo_button, &QPushButton::clicked, m_undo, &QUndoStack::undo);
    connect(m_redo_button, &QPushButton::clicked, m_undo, &QUndoStack::redo);
    connect(m_save, &QPushButton::clicked, this, &RecordEditor::save);
    connect(m_undo, &QUndoStack::indexChanged, this, [this] { updateState(); });
    retranslateUi();
    updateState();
}

RecordEditor::~RecordEditor() {
    m_undo->disconnect(this);
}

void RecordEditor::setProject(store::ProjectStore* project) {
    m_project = project;
    showRecord(0);
}

void RecordEditor::showRecord(qint64 record_id) {
    m_undo->clear();
    m_record_id = 0;
    m_editable = false;
    m_kind = store::RecordKind::Invalid;
    std::vector<Turn> turns;
    showMessage(QString(), false);
    if (m_project != nullptr && record_id > 0) {
        try {
            const store::StoredRecord stored = m_project->record(record_id);
            m_record_id = stored.id;
            m_kind = store::kindOf(stored.record);
            if (const auto* conversation = std::get_if<data::Conversation>(&stored.record)) {
                turns = messageTurns(conversation->messages);
                m_editable = !m_project->database().isReadOnly();
            } else if (const auto* pair = std::get_if<data::PreferencePair>(&stored.record)) {
                turns = messageTurns(pair->prompt);
                turns.push_back({data::Role::Assistant, fromUtf8(pair->chosen), tr("chosen")});
                turns.push_back({data::Role::Assistant, fromUtf8(pair->rejected), tr("rejected")});
            } else if (const auto* tree = std::get_if<data::ConversationTree>(&stored.record)) {
                appendTreeTurns(tree->root, 0, turns);
            }
        } catch (const std::exception& error) {
            showMessage(QString::fromUtf8(error.what()), true);
        }
    }
    m_updating = true;
    m_turns->setTurns(std::move(turns));
    m_updating = false;
    m_undo->setClean();
    selectRow(m_turns->rowCount() > 0 ? 0 : -1);
    retranslateUi();
    updateState();
}

bool RecordEditor::hasUnsavedChanges() const {
    return !m_undo->isClean();
}

bool RecordEditor::save() {
    if (!m_editable || m_record_id == 0) {
        return false;
    }
    std::vector<data::Message> messages;
    for (const Turn& turn : m_turns->turns()) {
        messages.push_back({turn.role, store::normalizeMessageText(turn.text.toStdString())});
    }
    try {
        store::replaceConversationMessages(*m_project, m_record_id, messages);
    } catch (const UserError& error) {
        showMessage(QString::fromUtf8(error.what()), true);
        return false;
    }
    const qint64 saved = m_record_id;
    const int row = currentRow();
    showRecord(saved);
    selectRow(std::min(row, m_turns->rowCount() - 1));
    showMessage(tr("Saved; the text was normalized."), false);
    emit recordSaved(saved);
    return true;
}

int RecordEditor::currentRow() const {
    const QModelIndex current = m_turn_view->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void RecordEditor::selectRow(int row) {
    if (row < 0 || row >= m_turns->rowCount()) {
        m_turn_view->selectionModel()->clear();
    } else {
        m_turn_view->selectionModel()->setCurrentIndex(
            m_turns->index(row, TurnListModel::kTextColumn),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    showCurrentTurn();
}

void RecordEditor::showCurrentTurn() {
    const int row = currentRow();
    m_updating = true;
    if (row < 0) {
        m_text->clear();
        m_role->setCurrentIndex(-1);
    } else {
        const Turn& turn = m_turns->turns()[static_cast<std::size_t>(row)];
        if (m_text->toPlainText() != turn.text) {
            m_text->setPlainText(turn.text);
        }
        m_role->setCurrentIndex(m_role->findData(static_cast<int>(turn.role)));
    }
    m_updating = false;
    updateState();
}

void RecordEditor::onTextEdited() {
    const int row = currentRow();
    if (m_updating || !m_editable || row < 0) {
        return;
    }
    const QString old_text = m_turns->turns()[static_cast<std::size_t>(row)].text;
    if (old_text != m_text->toPlainText()) {
        m_undo->push(new EditTextCommand(m_turns, row, old_text, m_text->toPlainText(),
                                         [this](int r) { selectRow(r); }));
    }
}

void RecordEditor::onRoleChosen() {
    const int row = currentRow();
    if (!m_editable || row < 0) {
        return;
    }
    const auto role = static_cast<data::Role>(m_role->currentData().toInt());
    const data::Role old_role = m_turns->turns()[static_cast<std::size_t>(row)].role;
    if (role != old_role) {
        m_undo->push(new SetRoleCommand(m_turns, row, old_role, role, [this](int r) { selectRow(r); }));
    }
}

void RecordEditor::addTurn() {
    if (!m_editable) {
        return;
    }
    const int row = currentRow();
    const data::Role previous =
        row >= 0 ? m_turns->turns()[static_cast<std::size_t>(row)].role : data::Role::Assistant;
    const data::Role role = previous == data::Role::User ? data::Role::Assistant : data::Role::User;
    m_undo->push(new InsertTurnCommand(m_turns, row + 1, {role, QString(), QString()},
                                       [this](int r) { selectRow(r); }));
    m_text->setFocus();
}

void RecordEditor::deleteTurn() {
    const int row = currentRow();
    if (m_editable && row >= 0) {
        m_undo->push(new RemoveTurnCommand(m_turns, row, [this](int r) { selectRow(r); }));
    }
}

void RecordEditor::moveTurn(int offset) {
    const int row = currentRow();
    const int target = row + offset;
    if (m_editable && row >= 0 && target >= 0 && target < m_turns->rowCount()) {
        m_undo->push(new MoveTurnCommand(m_turns, row, target, [this](int r) { selectRow(r); }));
    }
}

void RecordEditor::showMessage(const QString& text, bool error) {
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void RecordEditor::updateState() {
    const int row = currentRow();
    const bool has_record = m_record_id > 0;
    m_text->setReadOnly(!m_editable);
    m_role->setEnabled(m_editable && row >= 0);
    m_add->setEnabled(m_editable);
    m_delete->setEnabled(m_editable && row >= 0 && m_turns->rowCount() > 1);
    m_up->setEnabled(m_editable && row > 0);
    m_down->setEnabled(m_editable && row >= 0 && row + 1 < m_turns->rowCount());
    m_undo_button->setEnabled(m_undo->canUndo());
    m_redo_button->setEnabled(m_undo->canRedo());
    m_save->setEnabled(m_editable && hasUnsavedChanges());
    m_read_only_note->setVisible(has_record && !m_editable);
}

bool RecordEditor::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_text && event->type() == QEvent::ShortcutOverride) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo) ||
            key->keyCombination() == QKeyCombination(Qt::ControlModifier | Qt::ShiftModifier, Qt::Key_Z)) {
            event->ignore();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void RecordEditor::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void RecordEditor::retranslateUi() {
    m_title->setText(m_record_id > 0
                         ? tr("Record %1 · %2").arg(m_record_id).arg(RecordTableModel::kindText(m_kind))
                         : tr("Select a record to see its turns."));
    m_read_only_note->setText(m_project != nullptr && m_project->database().isReadOnly()
                                  ? tr("The project is open read-only.")
                                  : tr("Preference pairs and conversation trees are shown read-only; "
                                       "conversations can be edited."));
    m_role_label->setText(tr("&Role:"));
    for (int i = 0; i < m_role->count(); ++i) {
        m_role->setItemText(i, TurnListModel::roleText(static_cast<data::Role>(m_role->itemData(i).toInt())));
    }
    const auto label = [](QPushButton* button, const QString& text) {
        button->setText(text);
        button->setToolTip(QStringLiteral("%1 (%2)").arg(text.simplified().remove(QLatin1Char('&')),
                                                         button->property("shortcut").toString()));
    };
    label(m_add, tr("Add turn"));
    label(m_delete, tr("Delete turn"));
    label(m_up, tr("Move up"));
    label(m_down, tr("Move down"));
    label(m_undo_button, tr("Undo"));
    label(m_redo_button, tr("Redo"));
    label(m_save, tr("Save"));
    m_turns->retranslate();
}

}  // namespace vietllm::widgets
