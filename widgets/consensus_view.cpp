#include "widgets/consensus_view.h"

#include "backend/store/consensus_store.h"
#include "backend/store/packs.h"
#include "widgets/models/conflict_table_model.h"
#include "widgets/models/leaderboard_model.h"

#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

#include <exception>

namespace vietllm::widgets {

namespace {

constexpr std::size_t kConflictRows = 200;

QString fixed(const std::optional<double>& value) {
    return value ? QLocale().toString(*value, 'f', 3) : QStringLiteral("–");
}

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->horizontalHeader()->setStretchLastSection(true);
    view->verticalHeader()->hide();
    return view;
}

}  // namespace

// What a refresh read, handed from the worker to the GUI thread.
struct ConsensusView::Snapshot {
    store::AgreementReport agreement;
    std::vector<store::LeaderboardRow> leaderboard;
    std::vector<store::ConflictRow> conflicts;
    QString error;
};

// What a merge did.
struct ConsensusView::MergeOutcome {
    int merged = 0;
    int already_merged = 0;
    std::size_t rankings = 0;
    std::size_t labels = 0;
    bool cancelled = false;
    QString error;
};

ConsensusView::ConsensusView(const QString& project_path, QWidget* parent)
    : QWidget(parent), m_project_path(project_path), m_cancel(std::make_shared<std::atomic<bool>>(false)) {
    m_conflicts = new ConflictTableModel(this);
    m_leaderboard = new LeaderboardModel(this);
    m_tabs = new QTabWidget(this);
    m_agreement = new QLabel(m_tabs);
    m_agreement->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_agreement->setWordWrap(true);
    m_agreement->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_agreement->setMargin(8);
    m_conflict_view = makeTable(m_conflicts, m_tabs);
    m_leaderboard_view = makeTable(m_leaderboard, m_tabs);
    m_tabs->addTab(m_agreement, QString());
    m_tabs->addTab(m_conflict_view, QString());
    m_tabs->addTab(m_leaderboard_view, QString());
    m_merge_button = new QPushButton(this);
    m_cancel_button = new QPushButton(this);
    m_refresh_button = new QPushButton(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_merge_button);
    buttons->addWidget(m_cancel_button);
    buttons->addWidget(m_refresh_button);
    buttons->addWidget(m_status, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(buttons);
    connect(m_merge_button, &QPushButton::clicked, this, &ConsensusView::chooseAndMerge);
    connect(m_cancel_button, &QPushButton::clicked, this, &ConsensusView::cancel);
    connect(m_refresh_button, &QPushButton::clicked, this, &ConsensusView::refresh);
    setBusy(false);
    retranslate();
}

ConsensusView::~ConsensusView() {
    if (m_worker) {
        m_cancel->store(true);
        m_worker->wait();
    }
}

QString ConsensusView::agreementText() const {
    return m_agreement->text();
}

QString ConsensusView::statusText() const {
    return m_status->text();
}

void ConsensusView::refresh() {
    if (m_worker) {
        return;
    }
    auto snapshot = std::make_shared<Snapshot>();
    const std::string path = m_project_path.toStdString();
    QThread* worker = QThread::create([path, snapshot] {
        try {
            const store::ProjectStore project = store::ProjectStore::open(path, store::OpenMode::ReadOnly);
            snapshot->agreement = store::agreementReport(project, std::nullopt);
            snapshot->leaderboard = store::leaderboard(project, std::nullopt);
            snapshot->conflicts = store::conflicts(project, std::nullopt, kConflictRows);
        } catch (const std::exception& error) {
            snapshot->error = QString::fromStdString(error.what());
        }
    });
    connect(worker, &QThread::finished, this, [this, snapshot] {
        setBusy(false);
        m_last = snapshot;
        showSnapshot(*snapshot);
        emit refreshed();
    });
    startWorker(worker);
}

void ConsensusView::mergePacks(const QStringList& pack_paths) {
    if (m_worker || pack_paths.isEmpty()) {
        return;
    }
    m_cancel->store(false);
    auto outcome = std::make_shared<MergeOutcome>();
    const std::string path = m_project_path.toStdString();
    const std::shared_ptr<std::atomic<bool>> cancel = m_cancel;
    QThread* worker = QThread::create([this, path, pack_paths, outcome, cancel] {
        try {
            store::ProjectStore project = store::ProjectStore::open(path, store::OpenMode::ReadWrite);
            for (int i = 0; i < pack_paths.size(); ++i) {
                if (cancel->load()) {
                    outcome->cancelled = true;
                    break;
                }
                const QString progress = tr("Merging pack %1 of %2…").arg(i + 1).arg(pack_paths.size());
                QMetaObject::invokeMethod(
                    this, [this, progress] { m_status->setText(progress); }, Qt::QueuedConnection);
                const store::PackSummary summary =
                    store::mergeReturnPack(project, pack_paths[i].toStdString());
                outcome->already_merged += summary.already_merged ? 1 : 0;
                outcome->merged += summary.already_merged ? 0 : 1;
                outcome->rankings += summary.rankings;
                outcome->labels += summary.labels;
            }
        } catch (const std::exception& error) {
            outcome->error = QString::fromStdString(error.what());
        }
    });
    connect(worker, &QThread::finished, this, [this, outcome] {
        setBusy(false);
        QString summary =
            tr("Merged %n pack(s): %1 rankings and %2 labels changed.", nullptr, outcome->merged)
                .arg(outcome->rankings)
                .arg(outcome->labels);
        if (outcome->already_merged > 0) {
            summary +=
                QLatin1Char(' ') + tr("%n pack(s) were already merged.", nullptr, outcome->already_merged);
        }
        if (outcome->cancelled) {
            summary += QLatin1Char(' ') + tr("Cancelled.");
        }
        if (!outcome->error.isEmpty()) {
            summary += QLatin1Char(' ') + tr("Stopped: %1").arg(outcome->error);
        }
        m_status->setText(summary);
        emit mergeFinished(summary);
        refresh();
    });
    startWorker(worker);
}

void ConsensusView::cancel() {
    m_cancel->store(true);
}

void ConsensusView::chooseAndMerge() {
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Merge returned task packs"), QString(),
                                                            tr("Task packs (*.vlpack)"));
    mergePacks(paths);
}

void ConsensusView::startWorker(QThread* worker) {
    m_worker = worker;
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    setBusy(true);
    worker->start();
}

void ConsensusView::showSnapshot(const Snapshot& snapshot) {
    if (!snapshot.error.isEmpty()) {
        m_agreement->setText(tr("Cannot read the annotations: %1").arg(snapshot.error));
        m_conflicts->setRows({});
        m_leaderboard->setRows({});
        return;
    }
    QStringList lines;
    const store::RankingAgreement& ranking = snapshot.agreement.ranking;
    lines << tr("Rankings: %1 tasks ranked by two or more annotators, %2 annotators, %3 pairs of rankings.")
                 .arg(ranking.items)
                 .arg(ranking.annotators)
                 .arg(ranking.pairs)
          << tr("Mean Kendall τ-b: %1; pairwise agreement: %2.")
                 .arg(fixed(ranking.mean_tau_b), fixed(ranking.pairwise_agreement));
    lines << QString() << tr("Labels (Krippendorff's α; 0.667 is the usual floor, 0.8 good):");
    if (snapshot.agreement.labels.empty()) {
        lines << tr("No labels yet.");
    }
    for (const store::LabelAgreement& label : snapshot.agreement.labels) {
        const QString measurement = label.measurement == annotate::Measurement::Nominal   ? tr("nominal")
                                    : label.measurement == annotate::Measurement::Ordinal ? tr("ordinal")
                                                                                          : tr("interval");
        lines << tr("%1 (%2): α = %3 over %4 items, %5 annotators")
                     .arg(QString::fromStdString(label.name), measurement, fixed(label.alpha))
                     .arg(label.units)
                     .arg(label.annotators);
    }
    m_agreement->setText(lines.join(QLatin1Char('\n')));
    m_conflicts->setRows(snapshot.conflicts);
    m_leaderboard->setRows(snapshot.leaderboard);
}

void ConsensusView::setBusy(bool busy) {
    if (!busy) {
        m_worker = nullptr;  // the finished thread deletes itself (deleteLater)
    }
    m_merge_button->setEnabled(!busy);
    m_refresh_button->setEnabled(!busy);
    m_cancel_button->setEnabled(busy);
}

void ConsensusView::retranslate() {
    m_tabs->setTabText(0, tr("Agreement"));
    m_tabs->setTabText(1, tr("Conflicts"));
    m_tabs->setTabText(2, tr("Leaderboard"));
    m_merge_button->setText(tr("Merge packs…"));
    m_merge_button->setToolTip(tr("Merge task packs returned by annotators into this project"));
    m_cancel_button->setText(tr("Cancel"));
    m_refresh_button->setText(tr("Refresh"));
    m_conflicts->retranslate();
    m_leaderboard->retranslate();
    if (m_last) {
        showSnapshot(*m_last);
    } else {
        m_agreement->setText(tr("Not loaded yet."));
    }
}

void ConsensusView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

}  // namespace vietllm::widgets
