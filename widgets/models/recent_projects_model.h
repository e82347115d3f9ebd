#pragma once
// The start page's list of recently opened projects: file name as text, full path as tooltip,
// greyed out when the file has gone. The list itself lives in AppSettings.

#include <QAbstractListModel>
#include <QStringList>

namespace vietllm::widgets {

class RecentProjectsModel : public QAbstractListModel {
    Q_OBJECT

public:
    /// Qt::UserRole + 1: the project's absolute path.
    static constexpr int kPathRole = Qt::UserRole + 1;

    explicit RecentProjectsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// Replaces the list (most recent first), e.g. after a project was opened.
    void setPaths(const QStringList& paths);
    const QStringList& paths() const { return m_paths; }

private:
    QStringList m_paths;
};

}  // namespace vietllm::widgets
