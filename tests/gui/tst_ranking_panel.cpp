// The Ranking panel, offscreen: its item models under QAbstractItemModelTester; ranking with
// keys only (picks, a tie, undo, all bad with a reason, skip, draft, submit) checked against
// what the store holds, with the blind shuffle undone; drafts surviving a new panel; the
// progress line; stacked cards when narrow; growing and reviewing a tree; candidates generated
// by a tiny random model; the Data panel annotation's done/skip/progress; and the README
// screenshot (saved when VIETLLM_RANKING_SCREENSHOT_PATH is set).

#include "backend/store/annotations.h"
#include "backend/store/import_session.h"
#include "backend/store/label_progress.h"
#include "backend/store/project_store.h"
#include "backend/store/ranking_queue.h"
#include "backend/weights/random_model.h"
#include "widgets/annotation_panel.h"
#include "widgets/language.h"
#include "widgets/models/ranking_order_model.h"
#include "widgets/models/ranking_tree_model.h"
#include "widgets/ranking_panel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeView>
#include <QtTest>
#include <algorithm>
#include <memory>
#include <set>

using namespace vietllm;
using data::Role;
using widgets::RankingOrderModel;
using widgets::RankingPanel;

namespace {

data::TreeNode node(const std::string& id, Role role, const std::string& text) {
    data::TreeNode result;
    result.id = id;
    result.role = role;
    result.content = text;
    return result;
}

// Three trees, each a prompt with three replies (the first tree's second reply followed up by a
// prompt with two replies), in dataset "cây": four ranking tasks.
void fillProject(store::ProjectStore& project) {
    store::ImportSession session(project, {"cây", "test", "oasst", false});
    for (int i = 0; i < 3; ++i) {
        const std::string n = std::to_string(i);
        data::ConversationTree tree;
        tree.tree_id = "t" + n;
        tree.root = node("p" + n, Role::User, "Câu hỏi " + n + ": thủ đô của Việt Nam là gì?");
        tree.root.replies = {node("a" + n, Role::Assistant, "Trả lời A" + n + ": Hà Nội."),
                             node("b" + n, Role::Assistant, "Trả lời B" + n + ": Hà Nội, từ năm 1010."),
                             node("c" + n, Role::Assistant, "Trả lời C" + n + ": Huế.")};
        if (i == 0) {
            tree.root.replies[1].replies = {node("f", Role::User, "Vì sao lại là năm 1010?")};
            tree.root.replies[1].replies[0].replies = {
                node("g", Role::Assistant, "Lý Thái Tổ dời đô về Thăng Long."),
                node("h", Role::Assistant, "Không rõ.")};
        }
        session.add(tree);
    }
    session.commit();
}

std::string messageText(store::ProjectStore& project, std::int64_t message_id) {
    store::Statement statement(project.database(), "SELECT content FROM message WHERE id = ?");
    statement.bindInt(1, message_id).step();
    return statement.columnText(0);
}

}  // namespace

class TestRankingPanel : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void orderModelPicksTiesUndoesAndMoves();
    void treeModelShowsTheTree();
    void ranksWithKeysThroughTheBlindOrder();
    void tieAllBadAndSkip();
    void draftSurvivesReopening();
    void cardsStackWhenNarrow();
    void growsAndReviewsTrees();
    void generatesCandidatesWithALocalModel();
    void annotationPanelDoneSkipAndProgress();
    void screenshot();

private:
    void openPanel();
    void press(Qt::Key key);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::ProjectStore> m_project;
    std::unique_ptr<RankingPanel> m_panel;
};

void TestRankingPanel::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    m_project = std::make_unique<store::ProjectStore>(
        store::ProjectStore::create(m_dir->filePath(QStringLiteral("rank.vietllm")).toStdString(), false));
    fillProject(*m_project);
}

void TestRankingPanel::cleanup() {
    m_panel.reset();
    m_project.reset();
    m_dir.reset();
}

void TestRankingPanel::openPanel() {
    m_panel = std::make_unique<RankingPanel>();
    m_panel->resize(1300, 800);
    m_panel->setProject(m_project.get());
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QApplication::setActiveWindow(m_panel.get());
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    m_panel->rankPage()->setFocus();
}

void TestRankingPanel::press(Qt::Key key) {
    QWidget* focus = QApplication::focusWidget();
    QTest::keyClick(focus != nullptr ? focus : m_panel->rankPage(), key);
}

void TestRankingPanel::orderModelPicksTiesUndoesAndMoves() {
    RankingOrderModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reset(4);
    QVERIFY(model.pick(2));
    QVERIFY(!model.pick(2));
    QVERIFY(!model.pick(7));
    model.tieNext();
    QVERIFY(model.pick(0));
    QVERIFY(model.pick(3));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(0)).toString(), QStringLiteral("1.  C = A"));
    QCOMPARE(model.placeOf(0), 1);
    QCOMPARE(model.placeOf(3), 2);
    QVERIFY(!model.isComplete());
    QVERIFY(model.pick(1));
    QVERIFY(model.isComplete());
    QVERIFY(model.moveRows(QModelIndex(), 2, 1, QModelIndex(), 0));  // drag the last place to the top
    QCOMPARE(model.places(), (std::vector<std::vector<int>>{{1}, {2, 0}, {3}}));
    QVERIFY(model.undo());
    QVERIFY(model.undo());
    QCOMPARE(model.places(), (std::vector<std::vector<int>>{{1}, {2}}));
    model.setPlaces({{3, 3}, {9}, {0}});
    QCOMPARE(model.places(), (std::vector<std::vector<int>>{{3}, {0}}));
    model.reset(0);
    QVERIFY(!model.undo());
    QVERIFY(!model.isComplete());
}

void TestRankingPanel::treeModelShowsTheTree() {
    widgets::RankingTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMessages(store::recordMessages(*m_project, 1));
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex root = model.index(0, 0);
    QCOMPARE(model.rowCount(root), 3);
    const QModelIndex second = model.index(1, 0, root);
    QCOMPARE(model.rowCount(second), 1);
    QCOMPARE(model.role(model.index(0, 0, second)), Role::User);
    QCOMPARE(model.rowCount(model.index(0, 0, second)), 2);
    QVERIFY(model.data(second).toString().contains(QStringLiteral("Trả lời B0")));
    QCOMPARE(model.indexOfMessage(model.messageId(second)), second);
    QCOMPARE(model.parent(second), root);
    model.setMessages({});
    QCOMPARE(model.rowCount(), 0);
}

void TestRankingPanel::ranksWithKeysThroughTheBlindOrder() {
    openPanel();
    QVERIFY(m_panel->messageLabel()->text().contains(QStringLiteral("annotator")));
    QVERIFY(m_panel->addAnnotator(QStringLiteral("lan")));
    QVERIFY(!m_panel->addAnnotator(QStringLiteral("lan")));
    QVERIFY(m_panel->messageLabel()->text().contains(QStringLiteral("already exists")));
    QCOMPARE(m_panel->createTasks(), 4);
    QCOMPARE(m_panel->currentTaskId(), 1);
    QCOMPARE(m_panel->progressLabel()->text(), QStringLiteral("0 / 4 tasks ranked, 0 skipped, 0 drafts"));
    const std::vector<std::int64_t> shown = m_panel->shownCandidates();
    QCOMPARE(shown.size(), std::size_t{3});
    // The cards show the candidates in the annotator's own order.
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(m_panel->cardText(i)->toPlainText().toStdString(),
                 messageText(*m_project, shown[static_cast<std::size_t>(i)]));
    }
    const auto canonical = store::Annotations(*m_project).rankingCandidates(1);
    QVERIFY(std::is_permutation(shown.begin(), shown.end(), canonical.begin()));

    m_panel->rankPage()->setFocus();
    press(Qt::Key_Return);  // incomplete: refused
    QVERIFY(store::Annotations(*m_project).rankings(1).empty());
    press(Qt::Key_2);
    press(Qt::Key_1);
    press(Qt::Key_Backspace);  // takes the 1 back
    press(Qt::Key_3);
    press(Qt::Key_1);
    QCOMPARE(m_panel->orderModel()->places(), (std::vector<std::vector<int>>{{1}, {2}, {0}}));
    press(Qt::Key_Return);
    const auto votes = store::Annotations(*m_project).rankings(1);
    QCOMPARE(votes.size(), std::size_t{1});
    QVERIFY(!votes[0].not_rankable);
    QCOMPARE(votes[0].tiers, (store::RankingTiers{{shown[1]}, {shown[2]}, {shown[0]}}));
    QCOMPARE(m_panel->currentTaskId(), 2);
    QCOMPARE(m_panel->progressLabel()->text(), QStringLiteral("1 / 4 tasks ranked, 0 skipped, 0 drafts"));
}

void TestRankingPanel::tieAllBadAndSkip() {
    openPanel();
    QVERIFY(m_panel->addAnnotator(QStringLiteral("minh")));
    m_panel->createTasks();
    // Task 1: the first two shown replies tie for first place.
    std::vector<std::int64_t> shown = m_panel->shownCandidates();
    press(Qt::Key_1);
    press(Qt::Key_Equal);
    press(Qt::Key_2);
    press(Qt::Key_3);
    press(Qt::Key_Enter);
    auto votes = store::Annotations(*m_project).rankings(1);
    QCOMPARE(votes.size(), std::size_t{1});
    QCOMPARE(votes[0].tiers.size(), std::size_t{2});
    QCOMPARE(std::set<std::int64_t>(votes[0].tiers[0].begin(), votes[0].tiers[0].end()),
             (std::set<std::int64_t>{shown[0], shown[1]}));
    QCOMPARE(votes[0].tiers[1], std::vector<std::int64_t>{shown[2]});
    // Task 2: all bad, with a reason typed after B.
    QCOMPARE(m_panel->currentTaskId(), 2);
    press(Qt::Key_B);
    QVERIFY(m_panel->allBadBox()->isChecked());
    QCOMPARE(QApplication::focusWidget(), m_panel->reasonEdit());
    QTest::keyClicks(m_panel->reasonEdit(), QStringLiteral("sai het 2 bs"));  // keys type text here
    QVERIFY(m_panel->orderModel()->places().empty());
    press(Qt::Key_Return);
    votes = store::Annotations(*m_project).rankings(2);
    QCOMPARE(votes.size(), std::size_t{1});
    QVERIFY(votes[0].not_rankable);
    store::Statement comment(m_project->database(), "SELECT comment FROM ranking WHERE task_id = 2");
    QVERIFY(comment.step());
    QCOMPARE(comment.columnText(0), std::string("sai het 2 bs"));
    // Task 3: skipped, nothing stored; the queue moves on and counts it.
    QCOMPARE(m_panel->currentTaskId(), 3);
    m_panel->rankPage()->setFocus();
    press(Qt::Key_S);
    QVERIFY(store::Annotations(*m_project).rankings(3).empty());
    QCOMPARE(m_panel->currentTaskId(), 4);
    QCOMPARE(m_panel->progressLabel()->text(), QStringLiteral("2 / 4 tasks ranked, 1 skipped, 0 drafts"));
    press(Qt::Key_3);
    press(Qt::Key_2);
    press(Qt::Key_1);
    press(Qt::Key_Return);
    // Only the skipped task is left out; the queue is empty now.
    QCOMPARE(m_panel->currentTaskId(), 0);
    QCOMPARE(m_panel->progressLabel()->text(), QStringLiteral("3 / 4 tasks ranked, 1 skipped, 0 drafts"));
}

void TestRankingPanel::draftSurvivesReopening() {
    openPanel();
    QVERIFY(m_panel->addAnnotator(QStringLiteral("lan")));
    m_panel->createTasks();
    press(Qt::Key_3);
    press(Qt::Key_D);
    QCOMPARE(m_panel->progressLabel()->text(), QStringLiteral("0 / 4 tasks ranked, 0 skipped, 1 drafts"));
    m_panel.reset();
    openPanel();
    QVERIFY(m_panel->selectAnnotator(QStringLiteral("lan")));
    QCOMPARE(m_panel->currentTaskId(), 1);
    QCOMPARE(m_panel->orderModel()->places(), (std::vector<std::vector<int>>{{2}}));
    QVERIFY(m_panel->messageLabel()->text().contains(QStringLiteral("Draft")));
    const std::vector<std::int64_t> shown = m_panel->shownCandidates();
    QCOMPARE(shown.size(), std::size_t{3});
    press(Qt::Key_1);
    press(Qt::Key_2);
    press(Qt::Key_Return);
    QCOMPARE(m_panel->currentTaskId(), 2);
    QCOMPARE(store::Annotations(*m_project).rankings(1).at(0).tiers,
             (store::RankingTiers{{shown[2]}, {shown[0]}, {shown[1]}}));
    QCOMPARE(m_panel->progressLabel()->text(), QStringLiteral("1 / 4 tasks ranked, 0 skipped, 0 drafts"));
}

void TestRankingPanel::cardsStackWhenNarrow() {
    openPanel();
    QVERIFY(m_panel->addAnnotator(QStringLiteral("lan")));
    m_panel->createTasks();
    QVERIFY(m_panel->cardsSideBySide());
    m_panel->resize(900, 800);
    QTRY_VERIFY(!m_panel->cardsSideBySide());
    QTRY_VERIFY(m_panel->cardText(0)->mapTo(m_panel.get(), QPoint()).y() <
                m_panel->cardText(1)->mapTo(m_panel.get(), QPoint()).y());
    m_panel->resize(1400, 800);
    QTRY_VERIFY(m_panel->cardsSideBySide());
}

void TestRankingPanel::growsAndReviewsTrees() {
    openPanel();
    QVERIFY(m_panel->addAnnotator(QStringLiteral("lan")));
    m_panel->showRecordTree(2);
    widgets::RankingTreeModel* model = m_panel->treeModel();
    const QModelIndex root = model->index(0, 0);
    const QModelIndex reply = model->index(0, 0, root);
    m_panel->treeView()->setCurrentIndex(reply);
    const qint64 follow_up = m_panel->addMessageUnderSelection(QStringLiteral("Vì sao là Hà Nội?"));
    QVERIFY(follow_up > 0);
    // The new prompt is selected; a reply under it is an assistant message.
    QCOMPARE(model->messageId(m_panel->treeView()->currentIndex()), follow_up);
    QCOMPARE(model->role(m_panel->treeView()->currentIndex()), Role::User);
    const qint64 answer = m_panel->addMessageUnderSelection(QStringLiteral("Vì vị trí trung tâm."));
    QVERIFY(answer > 0);
    QCOMPARE(m_panel->addMessageUnderSelection(QStringLiteral("   ")), 0);
    const auto tree = std::get<data::ConversationTree>(m_project->record(2).record);
    QCOMPARE(tree.root.replies[0].replies.size(), std::size_t{1});
    QCOMPARE(tree.root.replies[0].replies[0].content, std::string("Vì sao là Hà Nội?"));
    QCOMPARE(tree.root.replies[0].replies[0].replies.at(0).role, Role::Assistant);
    // Review: labels go on the selected message.
    m_panel->treeView()->setCurrentIndex(model->indexOfMessage(answer));
    m_panel->reviewPanel()->setLikert(widgets::AnnotationPanel::kQuality, 4);
    const auto labels = store::Annotations(*m_project).labels(2);
    QCOMPARE(labels.size(), std::size_t{1});
    QCOMPARE(labels[0].message_id, std::optional<std::int64_t>(answer));
    QCOMPARE(labels[0].value, std::optional<double>(4.0));
    m_panel->reviewPanel()->setLikert(widgets::AnnotationPanel::kQuality, 0);
    QVERIFY(store::Annotations(*m_project).labels(2).empty());
}

void TestRankingPanel::generatesCandidatesWithALocalModel() {
    weights::RandomModelOptions options;
    options.architecture = weights::Architecture::Llama;
    options.vocab_size = 300;
    const QString model_dir = m_dir->filePath(QStringLiteral("tiny"));
    weights::writeRandomModel(model_dir.toStdString(), options);
    openPanel();
    QVERIFY(m_panel->addAnnotator(QStringLiteral("lan")));
    m_panel->showRecordTree(3);
    const QModelIndex root = m_panel->treeModel()->index(0, 0);
    const qint64 prompt_id = m_panel->treeModel()->messageId(root);
    m_panel->treeView()->setCurrentIndex(root);
    widgets::CandidateRequest request;
    request.count = 3;
    request.max_new_tokens = 6;
    request.ignore_eos = true;
    request.required_rankings = 2;
    QSignalSpy finished(m_panel.get(), &RankingPanel::generationFinished);
    m_panel->startGeneration(model_dir, {}, request);
    QVERIFY(m_panel->isGenerating());
    QVERIFY(finished.wait(50000));
    QVERIFY(!m_panel->isGenerating());
    const qint64 task_id = finished.at(0).at(0).toLongLong();
    QVERIFY2(task_id > 0, qPrintable(m_panel->messageLabel()->text()));
    const auto candidates = store::Annotations(*m_project).rankingCandidates(task_id);
    QCOMPARE(candidates.size(), std::size_t{3});
    int generated = 0;
    for (const store::TreeMessage& message : store::recordMessages(*m_project, 3)) {
        if (message.metadata.dump().find("local:tiny") == std::string::npos) {
            continue;
        }
        ++generated;
        QCOMPARE(message.parent_id, std::optional<std::int64_t>(prompt_id));
        QCOMPARE(message.role, Role::Assistant);
        QVERIFY(!message.content.empty());
        QVERIFY(std::find(candidates.begin(), candidates.end(), message.id) != candidates.end());
        QVERIFY(message.metadata.dump().find("\"seed\"") != std::string::npos);
    }
    QCOMPARE(generated, 3);
    QCOMPARE(store::rankingTaskView(*m_project, task_id).parent_message_id, prompt_id);
    // A prompt that is not a user message cannot be answered.
    m_panel->treeView()->setCurrentIndex(m_panel->treeModel()->index(0, 0, root));
    m_panel->startGeneration(model_dir, {}, request);
    QVERIFY(!m_panel->isGenerating());
}

void TestRankingPanel::annotationPanelDoneSkipAndProgress() {
    QStandardItemModel rows(3, 1);
    QTableView table;
    table.setModel(&rows);
    table.setCurrentIndex(rows.index(0, 0));
    widgets::AnnotationPanel panel;
    panel.installShortcuts(&table);
    panel.setProject(m_project.get());
    panel.setAnnotatorName(QStringLiteral("lan"));
    panel.setRecord(1);
    panel.setLikert(widgets::AnnotationPanel::kQuality, 3);
    QCOMPARE(panel.progressLabel()->text(), QStringLiteral("Done 0 / 3 records, 0 skipped, 1 drafts"));
    panel.markDoneAndNext();
    QCOMPARE(panel.progressLabel()->text(), QStringLiteral("Done 1 / 3 records, 0 skipped, 0 drafts"));
    QCOMPARE(table.currentIndex().row(), 1);
    panel.setRecord(2);
    panel.skipAndNext();
    QCOMPARE(panel.progressLabel()->text(), QStringLiteral("Done 1 / 3 records, 1 skipped, 0 drafts"));
    QCOMPARE(table.currentIndex().row(), 2);
    // Done after a skip replaces it.
    panel.markDoneAndNext();
    const auto annotator = store::Annotations(*m_project).findAnnotator("lan");
    QVERIFY(annotator);
    const store::LabelProgress progress = store::labelProgress(*m_project, *annotator);
    QCOMPARE(progress.done, 2);
    QCOMPARE(progress.skipped, 0);
}

void TestRankingPanel::screenshot() {
    widgets::LanguageSwitcher languages;
    QVERIFY(languages.apply(widgets::Language::Vietnamese));
    openPanel();
    m_panel->resize(1400, 860);
    QVERIFY(m_panel->addAnnotator(QStringLiteral("lan")));
    m_panel->createTasks();
    press(Qt::Key_2);
    press(Qt::Key_Equal);
    press(Qt::Key_3);
    QApplication::processEvents();
    QVERIFY2(m_panel->progressLabel()->text().contains(QStringLiteral("0 / 4")),
             qPrintable(m_panel->progressLabel()->text()));
    QVERIFY2(m_panel->tabs()->tabText(0) != QStringLiteral("Rank"), qPrintable(m_panel->tabs()->tabText(0)));
    const QImage image = m_panel->grab().toImage();
    QVERIFY(!image.isNull());
    const QString output = qEnvironmentVariable("VIETLLM_RANKING_SCREENSHOT_PATH");
    if (!output.isEmpty()) {
        QVERIFY2(image.save(output), qPrintable(output));
    }
    QVERIFY(languages.apply(widgets::Language::English));
}

QTEST_MAIN(TestRankingPanel)
#include "tst_ranking_panel.moc"
