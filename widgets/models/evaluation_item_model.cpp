#include "widgets/models/evaluation_item_model.h"

#include "backend/eval/eval_items.h"

#include <QLocale>
#include <algorithm>

namespace vietllm::widgets {

namespace {

// The first line of a long text, for a table cell (the detail pane shows it whole).
QString firstLine(const std::string& text) {
    const QString whole = QString::fromStdString(text);
    const qsizetype newline = whole.indexOf(QLatin1Char('\n'));
    return newline < 0 ? whole : whole.left(newline) + QStringLiteral(" …");
}

}  // namespace

QString itemDetailText(const store::EvaluationResultRow& item) {
    QString text =
        EvaluationItemModel::tr("Prompt:") + QLatin1Char('\n') + QString::fromStdString(item.prompt);
    if (item.details.is_object() && item.details.contains("choices") && item.details["choices"].is_array()) {
        text += QStringLiteral("\n\n") + EvaluationItemModel::tr("Choices:");
        const nlohmann::json& choices = item.details["choices"];
        const nlohmann::json logprobs = item.details.value("logprobs", nlohmann::json::array());
        for (std::size_t c = 0; c < choices.size(); ++c) {
            text += QLatin1Char('\n') + QString::fromStdString(eval::choiceLetter(c)) + QStringLiteral(". ") +
                    QString::fromStdString(choices[c].is_string() ? choices[c].get<std::string>()
                                                                  : choices[c].dump());
            if (logprobs.is_array() && c < logprobs.size() && logprobs[c].is_number()) {
                text += QStringLiteral("   (log p = %1)")
                            .arg(QLocale().toString(logprobs[c].get<double>(), 'f', 3));
            }
        }
    }
    text += QStringLiteral("\n\n") + EvaluationItemModel::tr("Model output:") + QLatin1Char('\n') +
            QString::fromStdString(item.output);
    text += QStringLiteral("\n\n") + EvaluationItemModel::tr("Reference:") + QLatin1Char('\n') +
            QString::fromStdString(item.reference);
    if (item.score) {
        text += QStringLiteral("\n\n") +
                EvaluationItemModel::tr("Score: %1").arg(QLocale().toString(*item.score, 'f', 4));
    }
    if (item.correct) {
        text += QLatin1Char('\n') +
                (*item.correct ? EvaluationItemModel::tr("Correct") : EvaluationItemModel::tr("Wrong"));
    }
    return text;
}

EvaluationItemModel::EvaluationItemModel(QObject* parent) : QAbstractTableModel(parent) {}

int EvaluationItemModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EvaluationItemModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant EvaluationItemModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return QVariant();
    }
    const store::EvaluationResultRow& item = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::ToolTipRole && index.column() == kPromptColumn) {
        return QString::fromStdString(item.prompt);
    }
    if (role != Qt::DisplayRole) {
        return QVariant();
    }
    switch (index.column()) {
        case kItemColumn:
            return QString::fromStdString(item.item_id);
        case kPromptColumn:
            return firstLine(item.prompt);
        case kOutputColumn:
            return firstLine(item.output);
        case kReferenceColumn:
            return firstLine(item.reference);
        case kScoreColumn:
            return item.score ? QVariant(QLocale().toString(*item.score, 'f', 4)) : QVariant();
        case kCorrectColumn:
            return item.correct ? QVariant(*item.correct ? tr("yes") : tr("no")) : QVariant();
        default:
            return QVariant();
    }
}

QVariant EvaluationItemModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (orientation == Qt::Vertical) {
        return static_cast<qlonglong>(m_page) * m_page_size + section + 1;
    }
    switch (section) {
        case kItemColumn:
            return tr("Item");
        case kPromptColumn:
            return tr("Prompt");
        case kOutputColumn:
            return tr("Output");
        case kReferenceColumn:
            return tr("Reference");
        case kScoreColumn:
            return tr("Score");
        case kCorrectColumn:
            return tr("Correct");
        default:
            return QVariant();
    }
}

void EvaluationItemModel::setRun(const store::Evaluations* evaluations, std::int64_t run_id) {
    m_evaluations = evaluations;
    m_run_id = run_id;
    m_page = 0;
    m_total = evaluations != nullptr && run_id > 0 ? evaluations->resultCount(run_id) : 0;
    load();
}

void EvaluationItemModel::setPage(int page) {
    m_page = std::clamp(page, 0, std::max(0, pageCount() - 1));
    load();
}

int EvaluationItemModel::pageCount() const {
    return static_cast<int>((m_total + m_page_size - 1) / m_page_size);
}

void EvaluationItemModel::load() {
    beginResetModel();
    m_rows.clear();
    if (m_evaluations != nullptr && m_total > 0) {
        m_rows =
            m_evaluations->results(m_run_id, static_cast<std::int64_t>(m_page) * m_page_size, m_page_size);
    }
    endResetModel();
}

}  // namespace vietllm::widgets
