#include "widgets/models/recent_projects_model.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QPalette>

namespace vietllm::widgets {

RecentProjectsModel::RecentProjectsModel(QObject* parent) : QAbstractListModel(parent) {}

int RecentProjectsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_paths.size());
}

QVariant RecentProjectsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const QString& path = m_paths.at(index.row());
    switch (role) {
        case Qt::DisplayRole: {
            // Name first, folder after it: two "data.vietllm" in different folders stay distinguishable.
            const QFileInfo info(path);
            return QStringLiteral("%1 — %2").arg(info.fileName(),
                                                 QDir::toNativeSeparators(info.absolutePath()));
        }
        case Qt::ToolTipRole:
        case kPathRole:
            return path;
        case Qt::ForegroundRole:
            // A project that was moved or deleted stays listed (it may be on an unplugged disk) but greyed.
            return QFileInfo::exists(path)
                       ? QVariant()
                       : QVariant(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
        default:
            return QVariant();
    }
}

void RecentProjectsModel::setPaths(const QStringList& paths) {
    beginResetModel();
    m_paths = paths;
    endResetModel();
}

}  // namespace vietllm::widgets
