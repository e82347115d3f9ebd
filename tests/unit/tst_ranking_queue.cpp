// Tests of backend/store/ranking_queue: task creation from trees and preference pairs, the
// blind per-annotator order, the queue with skips, drafts and progress, submissions mapped back
// from shown positions, and growing a tree without breaking its stored pre-order.

#include "backend/common/errors.h"
#include "backend/data/records.h"
#include "backend/store/annotations.h"
#include "backend/store/import_session.h"
#include "backend/store/project_store.h"
#include "backend/store/ranking_queue.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <set>

using namespace vietllm;
using data::Role;

namespace {

std::string userErrorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const UserError& error) {
        return error.what();
    }
    return {};
}

data::TreeNode node(const std::string& id, Role role, const std::string& text) {
    data::TreeNode result;
    result.id = id;
    result.role = role;
    result.content = text;
    return result;
}

// A tree (prompt with three replies, the second followed up by a prompt with two replies), a
// preference pair and a conversation, in dataset "d".
std::int64_t fillProject(store::ProjectStore& project) {
    data::ConversationTree tree;
    tree.tree_id = "t1";
    tree.root = node("p", Role::User, "Thủ đô của Việt Nam là gì?");
    tree.root.replies = {node("a1", Role::Assistant, "Hà Nội."),
                         node("a2", Role::Assistant, "Hà Nội, từ 1010."),
                         node("a3", Role::Assistant, "Huế.")};
    tree.root.replies[1].replies = {node("f", Role::User, "Vì sao?")};
    tree.root.replies[1].replies[0].replies = {node("b1", Role::Assistant, "Lý Thái Tổ dời đô."),
                                               node("b2", Role::Assistant, "Không rõ.")};
    data::PreferencePair pair;
    pair.prompt = {{Role::User, "Chào bạn"}};
    pair.chosen = "Xin chào!";
    pair.rejected = "...";
    data::Conversation conversation;
    conversation.messages = {{Role::User, "Một"}, {Role::Assistant, "Hai"}};
    store::ImportSession session(project, {"d", "test", "test", false});
    session.add(tree);
    session.add(pair);
    session.add(conversation);
    return session.commit().dataset_id;
}

}  // namespace

class TestRankingQueue : public QObject {
    Q_OBJECT

private slots:
    void init();
    void createsTasksOncePerSiblingSet();
    void blindOrderIsStableAndPerAnnotator();
    void submitMapsShownPositionsToMessages();
    void queueSkipsDraftsAndProgress();
    void allBadNeedsAReason();
    void growsTreesInPreOrder();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::ProjectStore> m_project;
    std::int64_t m_dataset_id = 0;
};

void TestRankingQueue::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    m_project = std::make_unique<store::ProjectStore>(
        store::ProjectStore::create(m_dir->filePath(QStringLiteral("p.vietllm")).toStdString(), false));
    m_dataset_id = fillProject(*m_project);
}

void TestRankingQueue::createsTasksOncePerSiblingSet() {
    QCOMPARE(store::createRankingTasks(*m_project, m_dataset_id, 2), 3);
    QCOMPARE(store::createRankingTasks(*m_project, std::nullopt, 2), 0);
    QCOMPARE(store::createRankingTasks(*m_project, m_dataset_id + 1, 2), 0);
    const store::RankingTaskView root = store::rankingTaskView(*m_project, 1);
    QCOMPARE(root.prompt.size(), std::size_t{1});
    QCOMPARE(root.candidates.size(), std::size_t{3});
    QCOMPARE(root.candidates[2].content, std::string("Huế."));
    const store::RankingTaskView follow_up = store::rankingTaskView(*m_project, 2);
    QCOMPARE(follow_up.prompt.size(), std::size_t{3});
    QCOMPARE(follow_up.prompt.back().content, std::string("Vì sao?"));
    QCOMPARE(follow_up.prompt[1].role, Role::Assistant);
    const store::RankingTaskView preference = store::rankingTaskView(*m_project, 3);
    QCOMPARE(preference.candidates.size(), std::size_t{2});
    QCOMPARE(preference.candidates[0].content, std::string("Xin chào!"));
    QVERIFY(!userErrorOf([&] { store::rankingTaskView(*m_project, 99); }).empty());
    QVERIFY(!userErrorOf([&] { store::createRankingTasks(*m_project, std::nullopt, 0); }).empty());
}

void TestRankingQueue::blindOrderIsStableAndPerAnnotator() {
    const std::vector<std::int64_t> candidates = {11, 12, 13, 14};
    std::set<std::vector<std::int64_t>> orders;
    for (std::int64_t annotator = 1; annotator <= 20; ++annotator) {
        const auto order = store::blindOrder(candidates, 7, annotator);
        QCOMPARE(order, store::blindOrder(candidates, 7, annotator));
        auto sorted = order;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, candidates);
        orders.insert(order);
    }
    QVERIFY(orders.size() >= 5);
    // Fixed values: the order must not change between builds, sessions or platforms.
    QCOMPARE(store::blindOrder(candidates, 1, 1), (std::vector<std::int64_t>{12, 13, 14, 11}));
    QCOMPARE(store::blindOrder(candidates, 1, 2), (std::vector<std::int64_t>{13, 14, 12, 11}));
    QCOMPARE(store::blindOrder(candidates, 7, 2), (std::vector<std::int64_t>{12, 14, 11, 13}));
}

void TestRankingQueue::submitMapsShownPositionsToMessages() {
    store::createRankingTasks(*m_project, m_dataset_id, 2);
    store::Annotations annotations(*m_project);
    const std::int64_t lan = annotations.addAnnotator("lan", store::AnnotatorKind::Human);
    store::RankingQueue queue(*m_project, lan, m_dataset_id);
    const std::vector<std::int64_t> shown = queue.shownCandidates(1);
    QCOMPARE(shown.size(), std::size_t{3});
    // Second shown best, then the third and first tied.
    queue.submit(1, {{{1}, {2, 0}}, false, ""});
    const auto votes = annotations.rankings(1);
    QCOMPARE(votes.size(), std::size_t{1});
    QCOMPARE(votes[0].tiers.size(), std::size_t{2});
    QCOMPARE(votes[0].tiers[0], std::vector<std::int64_t>{shown[1]});
    QCOMPARE(std::set<std::int64_t>(votes[0].tiers[1].begin(), votes[0].tiers[1].end()),
             (std::set<std::int64_t>{shown[0], shown[2]}));
    QVERIFY(!userErrorOf([&] { queue.submit(1, {{{1}, {2}}, false, ""}); }).empty());
    QVERIFY(!userErrorOf([&] { queue.submit(1, {{{5}, {2, 0}}, false, ""}); }).empty());
}

void TestRankingQueue::queueSkipsDraftsAndProgress() {
    store::createRankingTasks(*m_project, std::nullopt, 1);
    store::Annotations annotations(*m_project);
    const std::int64_t lan = annotations.addAnnotator("lan", store::AnnotatorKind::Human);
    const std::int64_t minh = annotations.addAnnotator("minh", store::AnnotatorKind::Human);
    store::RankingQueue queue(*m_project, lan, std::nullopt);
    QCOMPARE(queue.nextTask(0), std::optional<std::int64_t>(1));
    queue.skip(1);
    QCOMPARE(queue.nextTask(0), std::optional<std::int64_t>(2));
    QCOMPARE(queue.nextTask(2), std::optional<std::int64_t>(3));
    QCOMPARE(queue.nextTask(3), std::optional<std::int64_t>(2));  // wraps round
    QVERIFY(!queue.draft(2));
    queue.saveDraft(2, {{{1}, {0}}, false, ""});
    queue.saveDraft(2, {{{0}}, true, "đều sai"});
    const auto draft = queue.draft(2);
    QVERIFY(draft);
    QCOMPARE(draft->places, (std::vector<std::vector<int>>{{0}}));
    QVERIFY(draft->all_bad);
    QCOMPARE(draft->reason, std::string("đều sai"));
    store::RankingProgress progress = queue.progress();
    QCOMPARE(progress.total, 3);
    QCOMPARE(progress.ranked, 0);
    QCOMPARE(progress.skipped, 1);
    QCOMPARE(progress.drafts, 1);
    queue.submit(2, {{{0}, {1}}, false, ""});
    QVERIFY(!queue.draft(2));
    progress = queue.progress();
    QCOMPARE(progress.ranked, 1);
    QCOMPARE(progress.drafts, 0);
    QCOMPARE(annotations.taskStatus(2), std::string("done"));
    QCOMPARE(queue.nextTask(0), std::optional<std::int64_t>(3));
    // Another annotator's queue is untouched by lan's skip; done tasks leave every queue.
    store::RankingQueue other(*m_project, minh, std::nullopt);
    QCOMPARE(other.nextTask(0), std::optional<std::int64_t>(1));
    QCOMPARE(other.nextTask(1), std::optional<std::int64_t>(3));
    QCOMPARE(other.progress().skipped, 0);
    // Submitting a skipped task clears the skip.
    queue.submit(1, {{{0}, {1}, {2}}, false, ""});
    QCOMPARE(queue.progress().skipped, 0);
    QCOMPARE(store::RankingQueue(*m_project, lan, m_dataset_id + 7).progress().total, 0);
}

void TestRankingQueue::allBadNeedsAReason() {
    store::createRankingTasks(*m_project, std::nullopt, 3);
    store::Annotations annotations(*m_project);
    const std::int64_t lan = annotations.addAnnotator("lan", store::AnnotatorKind::Human);
    store::RankingQueue queue(*m_project, lan, std::nullopt);
    QVERIFY(!userErrorOf([&] { queue.submit(1, {{}, true, "  "}); }).empty());
    queue.submit(1, {{{0}}, true, "sai hết"});
    const auto votes = annotations.rankings(1);
    QCOMPARE(votes.size(), std::size_t{1});
    QVERIFY(votes[0].not_rankable);
    QVERIFY(votes[0].tiers.empty());
    store::Statement comment(m_project->database(), "SELECT comment FROM ranking WHERE task_id = 1");
    QVERIFY(comment.step());
    QCOMPARE(comment.columnText(0), std::string("sai hết"));
    QCOMPARE(annotations.taskStatus(1), std::string("open"));
}

void TestRankingQueue::growsTreesInPreOrder() {
    const auto messages = store::recordMessages(*m_project, 1);
    QCOMPARE(messages.size(), std::size_t{7});
    const std::int64_t root = messages[0].id;
    const std::int64_t a2 = messages[2].id;
    const std::int64_t added = store::addTreeMessage(*m_project, root, Role::Assistant, "Hà Nội là thủ đô.",
                                                     {{"source", "model-x"}});
    const std::int64_t follow = store::addTreeMessage(*m_project, a2, Role::User, "Còn Sài Gòn?", {});
    const auto tree = std::get<data::ConversationTree>(m_project->record(1).record);
    QCOMPARE(tree.root.replies.size(), std::size_t{4});
    QCOMPARE(tree.root.replies[3].content, std::string("Hà Nội là thủ đô."));
    QCOMPARE(tree.root.replies[3].metadata.dump(), std::string(R"({"source":"model-x"})"));
    QCOMPARE(tree.root.replies[1].replies.size(), std::size_t{2});
    QCOMPARE(tree.root.replies[1].replies[0].replies.size(), std::size_t{2});
    QCOMPARE(tree.root.replies[1].replies[1].content, std::string("Còn Sài Gòn?"));
    QCOMPARE(tree.root.replies[3].id, "vietllm-" + std::to_string(added));
    const auto after = store::recordMessages(*m_project, 1);
    QCOMPARE(after.size(), std::size_t{9});
    QCOMPARE(after.back().id, added);
    QVERIFY(std::any_of(after.begin(), after.end(), [&](const auto& m) { return m.id == follow; }));
    // Search finds the new text.
    QCOMPARE(m_project->search("Sài Gòn", {}).size(), std::size_t{1});
    QVERIFY(!userErrorOf([&] { store::addTreeMessage(*m_project, root, Role::User, "x", {}); }).empty());
    QVERIFY(
        !userErrorOf([&] { store::addTreeMessage(*m_project, root, Role::Assistant, "  ", {}); }).empty());
    QVERIFY(!userErrorOf([&] { store::addTreeMessage(*m_project, 999, Role::Assistant, "x", {}); }).empty());
    const auto conversation = store::recordMessages(*m_project, 3);
    QVERIFY(userErrorOf([&] {
                store::addTreeMessage(*m_project, conversation[0].id, Role::Assistant, "x", {});
            }).find("only conversation trees") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestRankingQueue)
#include "tst_ranking_queue.moc"
