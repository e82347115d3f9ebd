#include "widgets/models/navigation_model.h"

namespace vietllm::widgets {

NavigationModel::NavigationModel(QObject* parent) : QAbstractListModel(parent) {}

int NavigationModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(allPanels().size());
}

QVariant NavigationModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const Panel panel = panelAt(index.row());
    switch (role) {
        case Qt::DisplayRole:
            return panelName(panel);
        case Qt::ToolTipRole:
            return QStringLiteral("%1 (%2)").arg(panelPurpose(panel),
                                                 panelShortcut(panel).toString(QKeySequence::NativeText));
        case kPanelRole:
            return static_cast<int>(panel);
        default:
            return QVariant();
    }
}

Panel NavigationModel::panelAt(int row) const {
    const std::vector<Panel>& panels = allPanels();
    return row >= 0 && row < static_cast<int>(panels.size()) ? panels[static_cast<std::size_t>(row)]
                                                             : Panel::Invalid;
}

int NavigationModel::rowOf(Panel panel) const {
    const std::vector<Panel>& panels = allPanels();
    for (std::size_t row = 0; row < panels.size(); ++row) {
        if (panels[row] == panel) {
            return static_cast<int>(row);
        }
    }
    return -1;
}

void NavigationModel::retranslate() {
    if (rowCount() > 0) {
        emit dataChanged(index(0), index(rowCount() - 1), {Qt::DisplayRole, Qt::ToolTipRole});
    }
}

}  // namespace vietllm::widgets
