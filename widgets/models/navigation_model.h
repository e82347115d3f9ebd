#pragma once
// The list behind the main window's left navigation bar: one row per panel, showing its translated
// name, with its purpose and shortcut as tooltip.

#include "widgets/panels.h"

#include <QAbstractListModel>

namespace vietllm::widgets {

class NavigationModel : public QAbstractListModel {
    Q_OBJECT

public:
    /// Qt::UserRole + 1: the row's Panel as an int.
    static constexpr int kPanelRole = Qt::UserRole + 1;

    explicit NavigationModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// The panel shown in `row`; Panel::Invalid outside the list.
    Panel panelAt(int row) const;
    /// The row of `panel`; -1 when it is not in the list.
    int rowOf(Panel panel) const;
    /// Tells views that every name changed; called after the interface language changed.
    void retranslate();
};

}  // namespace vietllm::widgets
