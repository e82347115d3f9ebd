#pragma once
// The ranking being built in the Ranking panel: places (best first) over the candidates in the
// order the annotator sees them, one row per place ("1. B = C" for a tie). Keys fill it a pick
// at a time (each pick takes the next place, or the previous one after a tie key), Backspace
// takes the last pick back, and the rows can be dragged to reorder whole places.

#include <QAbstractListModel>
#include <vector>

namespace vietllm::widgets {

class RankingOrderModel : public QAbstractListModel {
    Q_OBJECT

public:
    explicit RankingOrderModel(QObject* parent = nullptr);

    /// Starts over with `count` candidates (shown positions 0..count-1) and no places.
    void reset(int count);
    /// Replaces the places (e.g. from a draft); positions outside 0..count-1 or repeated are dropped.
    void setPlaces(const std::vector<std::vector<int>>& places);
    /// The places, best first, each a list of shown positions.
    const std::vector<std::vector<int>>& places() const { return m_places; }
    /// Number of candidates.
    int candidateCount() const { return m_count; }

    /// Gives candidate `shown_position` the next place (or the last one after tieNext()); false
    /// when it is already placed or out of range.
    bool pick(int shown_position);
    /// Makes the next pick share the last place.
    void tieNext() { m_tie_next = !m_places.empty(); }
    /// True while the next pick will tie.
    bool tiePending() const { return m_tie_next; }
    /// Takes back the last pick; false when nothing is placed.
    bool undo();
    /// The 1-based place of a candidate, 0 when unplaced.
    int placeOf(int shown_position) const;
    /// True when every candidate has a place.
    bool isComplete() const;

    /// "A", "B", ... the letter of a shown position.
    static QString letter(int shown_position);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    Qt::DropActions supportedDropActions() const override;
    bool moveRows(const QModelIndex& source_parent, int source_row, int count,
                  const QModelIndex& destination_parent, int destination_child) override;

signals:
    /// The places changed (a pick, an undo, a move or a reset).
    void placesChanged();

private:
    int m_count = 0;
    bool m_tie_next = false;
    std::vector<std::vector<int>> m_places;
};

}  // namespace vietllm::widgets
