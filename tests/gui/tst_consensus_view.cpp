// The consensus view, offscreen: its conflict and leaderboard models under
// QAbstractItemModelTester, a refresh on a project with disagreeing annotators, and a merge of a
// returned task pack on the worker thread (then a second merge of the same pack, which changes
// nothing), with the figures the tables show checked against the backend's.

#include "backend/store/annotations.h"
#include "backend/store/consensus_store.h"
#include "backend/store/import_session.h"
#include "backend/store/packs.h"
#include "backend/store/project_store.h"
#include "widgets/consensus_view.h"
#include "widgets/models/conflict_table_model.h"
#include "widgets/models/leaderboard_model.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using namespace vietllm;
using vietllm::widgets::ConflictTableModel;
using vietllm::widgets::ConsensusView;
using vietllm::widgets::LeaderboardModel;

namespace {

// A project of `tasks` trees (a prompt and three replies each) with a ranking task on each prompt.
void buildProject(const std::string& path, int tasks) {
    store::ProjectStore project = store::ProjectStore::create(path, true);
    {
        store::ImportSession session(project, {"ranked", "test", "oasst", false});
        for (int t = 0; t < tasks; ++t) {
            data::ConversationTree tree;
            tree.tree_id = "t" + std::to_string(t);
            tree.root.id = tree.tree_id + "-p";
            tree.root.role = data::Role::User;
            tree.root.content = "Câu hỏi " + std::to_string(t);
            for (int c = 0; c < 3; ++c) {
                data::TreeNode reply;
                reply.id = tree.tree_id + "-r" + std::to_string(c);
                reply.role = data::Role::Assistant;
                reply.content = "Trả lời " + std::to_string(c);
                tree.root.replies.push_back(std::move(reply));
            }
            session.add(tree);
        }
        session.commit();
    }
    store::Annotations annotations(project);
    store::Statement roots(project.database(), "SELECT id FROM message WHERE parent_id IS NULL ORDER BY id");
    while (roots.step()) {
        annotations.createRankingTask(roots.columnInt(0), 3);
    }
}

// Ranks every task of the project: in candidate order, or reversed.
void rankAll(store::ProjectStore& project, const std::string& annotator, bool reversed) {
    store::Annotations annotations(project);
    const std::optional<std::int64_t> existing = annotations.findAnnotator(annotator);
    const std::int64_t annotator_id =
        existing ? *existing : annotations.addAnnotator(annotator, store::AnnotatorKind::Human);
    std::vector<std::int64_t> tasks;
    store::Statement statement(project.database(), "SELECT id FROM ranking_task ORDER BY id");
    while (statement.step()) {
        tasks.push_back(statement.columnInt(0));
    }
    for (const std::int64_t task : tasks) {
        std::vector<std::int64_t> order = annotations.rankingCandidates(task);
        if (reversed) {
            std::reverse(order.begin(), order.end());
        }
        store::RankingTiers tiers;
        for (const std::int64_t id : order) {
            tiers.push_back({id});
        }
        annotations.submitRanking(task, annotator_id, tiers, false);
    }
}

}  // namespace

class TestConsensusView : public QObject {
    Q_OBJECT

private slots:
    void modelsPassTheModelTester();
    void refreshShowsAgreementConflictsAndLeaderboard();
    void mergesPacksOffTheGuiThread();
};

void TestConsensusView::modelsPassTheModelTester() {
    ConflictTableModel conflicts;
    LeaderboardModel leaderboard;
    QAbstractItemModelTester conflict_tester(&conflicts,
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester leaderboard_tester(&leaderboard,
                                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    store::ConflictRow conflict;
    conflict.task_id = 7;
    conflict.ballots = 3;
    conflict.mean_tau = -0.25;
    conflict.prompt = "Câu hỏi";
    conflicts.setRows({conflict, store::ConflictRow{}});
    QCOMPARE(conflicts.rowCount(), 2);
    QCOMPARE(conflicts.data(conflicts.index(0, 0), ConflictTableModel::kTaskIdRole).toLongLong(), 7);
    QCOMPARE(conflicts.data(conflicts.index(0, ConflictTableModel::kPromptColumn)).toString(),
             QStringLiteral("Câu hỏi"));
    QCOMPARE(
        conflicts.data(conflicts.index(1, ConflictTableModel::kMeanTauColumn), ConflictTableModel::kSortRole)
            .toDouble(),
        -1.0);
    store::LeaderboardRow row;
    row.name = "an";
    row.kind = "human";
    row.rankings = 4;
    row.trust = 0.5;
    leaderboard.setRows({row});
    QCOMPARE(leaderboard.rowCount(), 1);
    QCOMPARE(
        leaderboard.data(leaderboard.index(0, LeaderboardModel::kTrustColumn), LeaderboardModel::kSortRole)
            .toDouble(),
        0.5);
    QCOMPARE(leaderboard
                 .data(leaderboard.index(0, LeaderboardModel::kAgreementColumn), LeaderboardModel::kSortRole)
                 .toDouble(),
             -1.0);
    leaderboard.retranslate();
    conflicts.setRows({});
    QCOMPARE(conflicts.rowCount(), 0);
}

void TestConsensusView::refreshShowsAgreementConflictsAndLeaderboard() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("p.vietllm")).toStdString();
    buildProject(path, 4);
    {
        store::ProjectStore project = store::ProjectStore::open(path, store::OpenMode::ReadWrite);
        rankAll(project, "an", false);
        rankAll(project, "binh", false);
        rankAll(project, "chi", true);
    }
    ConsensusView view(QString::fromStdString(path));
    QAbstractItemModelTester conflict_tester(view.conflictModel(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester leaderboard_tester(view.leaderboardModel(),
                                                QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy refreshed(&view, &ConsensusView::refreshed);
    view.refresh();
    QVERIFY(view.isBusy());
    QVERIFY(refreshed.wait(20000));
    QVERIFY(!view.isBusy());
    QCOMPARE(view.leaderboardModel()->rowCount(), 3);
    QCOMPARE(view.conflictModel()->rowCount(), 4);
    // The reversed annotator is last, with the lowest trust.
    const QModelIndex last = view.leaderboardModel()->index(2, LeaderboardModel::kAnnotatorColumn);
    QCOMPARE(view.leaderboardModel()->data(last).toString(), QStringLiteral("chi"));
    const store::ProjectStore project = store::ProjectStore::open(path, store::OpenMode::ReadOnly);
    const store::AgreementReport report = store::agreementReport(project, std::nullopt);
    QCOMPARE(report.ranking.items, std::size_t{4});
    QVERIFY2(view.agreementText().contains(QStringLiteral("4")), qPrintable(view.agreementText()));
}

void TestConsensusView::mergesPacksOffTheGuiThread() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("c.vietllm")).toStdString();
    buildProject(path, 3);
    const std::string pack = dir.filePath(QStringLiteral("dung.vlpack")).toStdString();
    const std::string work = dir.filePath(QStringLiteral("dung.vietllm")).toStdString();
    const std::string back = dir.filePath(QStringLiteral("dung-return.vlpack")).toStdString();
    {
        store::ProjectStore coordinator = store::ProjectStore::open(path, store::OpenMode::ReadWrite);
        store::PackExportRequest request;
        request.output_path = pack;
        request.annotator_name = "dung";
        store::exportTaskPack(coordinator, request);
    }
    store::openTaskPack(pack, work);
    {
        store::ProjectStore working = store::ProjectStore::open(work, store::OpenMode::ReadWrite);
        rankAll(working, "dung", false);
        store::writeReturnPack(working, back);
    }
    ConsensusView view(QString::fromStdString(path));
    QSignalSpy merged(&view, &ConsensusView::mergeFinished);
    QSignalSpy refreshed(&view, &ConsensusView::refreshed);
    view.mergePacks({QString::fromStdString(back)});
    QVERIFY(merged.wait(20000));
    QVERIFY2(merged.at(0).at(0).toString().contains(QStringLiteral("3")),
             qPrintable(merged.at(0).at(0).toString()));
    QVERIFY(refreshed.wait(20000));
    QCOMPARE(view.leaderboardModel()->rowCount(), 1);
    QCOMPARE(view.leaderboardModel()
                 ->data(view.leaderboardModel()->index(0, LeaderboardModel::kRankingsColumn),
                        LeaderboardModel::kSortRole)
                 .toULongLong(),
             qulonglong{3});
    view.mergePacks({QString::fromStdString(back)});
    QVERIFY(merged.wait(20000));
    QVERIFY(refreshed.wait(20000));
    const store::ProjectStore project = store::ProjectStore::open(path, store::OpenMode::ReadOnly);
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM ranking"), std::int64_t{3});
    view.mergePacks({dir.filePath(QStringLiteral("missing.vlpack"))});
    QVERIFY(merged.wait(20000));
    QVERIFY2(view.statusText().contains(QStringLiteral("missing.vlpack")), qPrintable(view.statusText()));
    QVERIFY(refreshed.wait(20000));
}

QTEST_MAIN(TestConsensusView)
#include "tst_consensus_view.moc"
