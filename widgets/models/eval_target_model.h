#pragma once
// What the Evaluation panel can evaluate, one checkable row each: the project's registered model
// folders and their checkpoints, the Training panel's run checkpoints (PROJECT.runs/<run>/
// checkpoint-N and final), folders added by hand and OpenAI-compatible endpoints.

#include <QAbstractListModel>
#include <QString>
#include <vector>

namespace vietllm::widgets {

class EvalTargetModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum class Source { Invalid = 0, Registered, RunCheckpoint, Folder, Endpoint };

    struct Target {
        Source source = Source::Invalid;
        QString label;       ///< shown ("qwen2-0.5b", "sft-20261126 / step 40", ...)
        QString path;        ///< model folder; empty for endpoints
        QString endpoint;    ///< endpoints: base URL
        QString model_name;  ///< endpoints: the served model's name
        bool checked = false;
    };

    explicit EvalTargetModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    /// Replaces the project's rows (registered models and run checkpoints); rows added by hand and
    /// the check marks of folders still listed stay.
    void setProjectTargets(const std::vector<Target>& targets);
    /// Adds a model folder (or checks it when listed already) and returns its row.
    int addFolder(const QString& path);
    /// Adds an endpoint (checked) and returns its row.
    int addEndpoint(const QString& url, const QString& model_name);
    /// Checks or unchecks `row`.
    void setChecked(int row, bool checked);
    /// The checked rows, in list order.
    std::vector<Target> checkedTargets() const;

private:
    std::vector<Target> m_targets;
};

}  // namespace vietllm::widgets
