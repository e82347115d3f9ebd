#pragma once
// The turns of the record open in the record editor: role and text per message, in order. The
// editor changes them only through its undo commands, which call the edit functions here.

#include "backend/data/records.h"

#include <QAbstractTableModel>
#include <QString>
#include <vector>

namespace vietllm::widgets {

struct Turn {
    data::Role role = data::Role::Invalid;
    QString text;
    QString tag;  ///< what the turn is in a preference pair or tree ("chosen", "reply 2 of 3"), else empty
};

class TurnListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    static constexpr int kRoleColumn = 0;
    static constexpr int kTextColumn = 1;
    static constexpr int kColumnCount = 2;

    explicit TurnListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces every turn (a new record was opened).
    void setTurns(std::vector<Turn> turns);
    /// The turns, in order.
    const std::vector<Turn>& turns() const { return m_turns; }
    /// Inserts `turn` so that it becomes row `row` (0..rowCount()).
    void insertTurn(int row, const Turn& turn);
    /// Removes row `row` and returns it.
    Turn removeTurn(int row);
    /// Moves row `from` to row `to` (both existing rows).
    void moveTurn(int from, int to);
    /// Sets a turn's text.
    void setTurnText(int row, const QString& text);
    /// Sets a turn's role.
    void setTurnRole(int row, data::Role role);
    /// The translated name of a role, as the table and the role box show it.
    static QString roleText(data::Role role);
    /// Tells views that headers and role names changed with the interface language.
    void retranslate();

private:
    std::vector<Turn> m_turns;
};

}  // namespace vietllm::widgets
