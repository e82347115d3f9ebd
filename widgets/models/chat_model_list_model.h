#pragma once
// The chat playground's model picker: the project's registered model folders, each followed by
// its checkpoints, with the folder path as tooltip. Backed by store::ModelRegistry.

#include "backend/store/model_registry.h"

#include <QAbstractListModel>
#include <vector>

namespace vietllm::widgets {

class ChatModelListModel : public QAbstractListModel {
    Q_OBJECT

public:
    /// Qt::UserRole + 1: the folder to load (QString).
    static constexpr int kPathRole = Qt::UserRole + 1;
    /// Qt::UserRole + 2: the registered model's id (qint64), for checkpoints their model's.
    static constexpr int kModelIdRole = Qt::UserRole + 2;

    explicit ChatModelListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// Reads the registry again (nullptr: no project, no rows). Store errors propagate.
    void reload(const store::ModelRegistry* registry);
    /// The row whose folder is `path`, or -1.
    int rowOfPath(const QString& path) const;
    /// Tells views that the checkpoint labels changed with the interface language.
    void retranslate();

private:
    struct Entry {
        qint64 model_id = 0;
        QString name;
        QString family;
        QString path;
        qint64 size_bytes = 0;
        bool checkpoint = false;
        std::optional<std::int64_t> step;
    };
    QString label(const Entry& entry) const;

    std::vector<Entry> m_entries;
};

}  // namespace vietllm::widgets
