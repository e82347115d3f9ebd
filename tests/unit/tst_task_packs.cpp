// Tests of offline annotation with task packs (backend/store/packs.h) and `vietllm-cli annotate`:
// export → open → annotate → return → merge, idempotent merges, replaced votes, refused packs
// (another project, truncated, damaged), redundancy, reports and consensus exports, and the merge
// simulation with careful, careless and malicious annotators whose figures docs/benchmarks.md
// reports.

#include "backend/annotate/agreement.h"
#include "backend/annotate/consensus.h"
#include "backend/common/errors.h"
#include "backend/store/annotation_export.h"
#include "backend/store/annotations.h"
#include "backend/store/consensus_store.h"
#include "backend/store/import_session.h"
#include "backend/store/packs.h"
#include "tests/common/test_support.h"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using namespace vietllm;
using vietllm::testing::CliResult;
using vietllm::testing::runCli;

namespace {

// A synthetic task: its candidates' qualities in display order (higher is better). Each reply's
// text names its quality, so a simulated annotator "reads" the replies of a working project.
struct SyntheticTask {
    std::vector<int> qualities;
};

std::string replyText(std::size_t task, int quality) {
    return "Trả lời cho câu hỏi " + std::to_string(task) + " q=" + std::to_string(quality);
}

int qualityOf(const std::string& text) {
    return std::stoi(text.substr(text.rfind("q=") + 2));
}

// Creates a project with one conversation tree per task (a user prompt, one assistant reply per
// candidate) and a ranking task on each prompt.
void buildProject(const std::string& path, const std::vector<SyntheticTask>& tasks) {
    store::ProjectStore project = store::ProjectStore::create(path, true);
    {
        store::ImportSession session(project, {"sim", "synthetic", "oasst", false});
        for (std::size_t t = 0; t < tasks.size(); ++t) {
            data::ConversationTree tree;
            tree.tree_id = "tree-" + std::to_string(t);
            tree.root.id = tree.tree_id + "-prompt";
            tree.root.role = data::Role::User;
            tree.root.content = "Câu hỏi số " + std::to_string(t) + ": hãy giải thích.";
            for (std::size_t c = 0; c < tasks[t].qualities.size(); ++c) {
                data::TreeNode reply;
                reply.id = tree.tree_id + "-reply-" + std::to_string(c);
                reply.role = data::Role::Assistant;
                reply.content = replyText(t, tasks[t].qualities[c]);
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

enum class Behaviour { Invalid = 0, Careful, Careless, Malicious };

// Ranks every task of a working project as `behaviour` would: careful annotators order by the
// quality they read and swap one adjacent pair a quarter of the time, careless ones order at
// random, malicious ones reverse the true order.
void annotateWorkingProject(const std::string& path, const std::string& annotator, Behaviour behaviour,
                            std::mt19937& random) {
    store::ProjectStore work = store::ProjectStore::open(path, store::OpenMode::ReadWrite);
    store::Annotations annotations(work);
    const std::int64_t annotator_id = *annotations.findAnnotator(annotator);
    std::vector<std::int64_t> task_ids;
    {
        store::Statement tasks(work.database(), "SELECT id FROM ranking_task ORDER BY id");
        while (tasks.step()) {
            task_ids.push_back(tasks.columnInt(0));
        }
    }
    store::Statement content(work.database(), "SELECT content FROM message WHERE id = ?");
    for (const std::int64_t task_id : task_ids) {
        std::vector<std::int64_t> order = annotations.rankingCandidates(task_id);
        std::vector<std::pair<int, std::int64_t>> by_quality;
        for (const std::int64_t id : order) {
            content.bindInt(1, id).step();
            by_quality.push_back({-qualityOf(content.columnText(0)), id});
            content.reset();
        }
        std::sort(by_quality.begin(), by_quality.end());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = by_quality[i].second;
        }
        if (behaviour == Behaviour::Careful && random() % 4 == 0) {
            const std::size_t at = random() % (order.size() - 1);
            std::swap(order[at], order[at + 1]);
        } else if (behaviour == Behaviour::Careless) {
            std::shuffle(order.begin(), order.end(), random);
        } else if (behaviour == Behaviour::Malicious) {
            std::reverse(order.begin(), order.end());
        }
        store::RankingTiers tiers;
        for (const std::int64_t id : order) {
            tiers.push_back({id});
        }
        annotations.submitRanking(task_id, annotator_id, tiers, false);
    }
}

// The true places of a coordinator task's candidates, read from their text.
annotate::Places truePlaces(store::ProjectStore& project, const annotate::RankingItem& item) {
    store::Statement content(project.database(), "SELECT content FROM message WHERE id = ?");
    std::vector<int> qualities;
    for (const std::int64_t id : item.candidates) {
        content.bindInt(1, id).step();
        qualities.push_back(qualityOf(content.columnText(0)));
        content.reset();
    }
    annotate::Places places;
    for (const int quality : qualities) {
        places.push_back(static_cast<int>(
            std::count_if(qualities.begin(), qualities.end(), [&](int other) { return other > quality; })));
    }
    return places;
}

std::vector<nlohmann::json> readJsonLines(const QString& path) {
    QFile file(path);
    std::vector<nlohmann::json> values;
    if (file.open(QIODevice::ReadOnly)) {
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            if (!line.isEmpty()) {
                values.push_back(nlohmann::json::parse(line.toStdString()));
            }
        }
    }
    return values;
}

QString describe(const CliResult& result) {
    return QStringLiteral("exit %1, stderr: %2")
        .arg(result.exit_code)
        .arg(QString::fromUtf8(result.standard_error));
}

std::vector<SyntheticTask> threeTasks() {
    return {{{1, 3, 2}}, {{2, 1, 3, 4}}, {{3, 2, 1}}};
}

std::int64_t countRows(const std::string& project_path, const std::string& sql) {
    const store::ProjectStore project = store::ProjectStore::open(project_path, store::OpenMode::ReadOnly);
    return project.database().queryInt(sql);
}

}  // namespace

class TestTaskPacks : public QObject {
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void roundTripThroughTheCli();
    void mergeIsIdempotentAndResubmissionReplaces();
    void refusesForeignTruncatedAndDamagedPacks();
    void redundancyLimitsAssignments();
    void reportsAndExports();
    void mergeSimulationRecoversTrueRankings();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    // Exports a pack for `annotator`, opens it, ranks every task best-first, returns it.
    QString annotateOnce(const QString& project, const QString& annotator, Behaviour behaviour,
                         const QString& tag);

    QTemporaryDir m_dir;
    std::mt19937 m_random{5};
};

QString TestTaskPacks::annotateOnce(const QString& project, const QString& annotator, Behaviour behaviour,
                                    const QString& tag) {
    const QString pack = path(tag + QStringLiteral(".vlpack"));
    const QString work = path(tag + QStringLiteral(".vietllm"));
    const QString back = path(tag + QStringLiteral("-return.vlpack"));
    const CliResult exported =
        runCli({QStringLiteral("annotate"), QStringLiteral("pack-export"), project, QStringLiteral("--out"),
                pack, QStringLiteral("--annotator"), annotator});
    if (exported.exit_code != 0) {
        qWarning("%s", qPrintable(describe(exported)));
        return {};
    }
    const CliResult opened = runCli(
        {QStringLiteral("annotate"), QStringLiteral("pack-open"), pack, QStringLiteral("--project"), work});
    if (opened.exit_code != 0) {
        qWarning("%s", qPrintable(describe(opened)));
        return {};
    }
    annotateWorkingProject(work.toStdString(), annotator.toStdString(), behaviour, m_random);
    const CliResult returned = runCli(
        {QStringLiteral("annotate"), QStringLiteral("pack-return"), work, QStringLiteral("--out"), back});
    return returned.exit_code == 0 ? back : QString();
}

void TestTaskPacks::roundTripThroughTheCli() {
    const QString project = path(QStringLiteral("round.vietllm"));
    buildProject(project.toStdString(), threeTasks());
    QFile instructions(path(QStringLiteral("guide.md")));
    QVERIFY(instructions.open(QIODevice::WriteOnly));
    instructions.write("Xếp hạng câu trả lời từ tốt nhất đến kém nhất.\n");
    instructions.close();
    const QString pack = path(QStringLiteral("an.vlpack"));
    CliResult result =
        runCli({QStringLiteral("annotate"), QStringLiteral("pack-export"), project, QStringLiteral("--out"),
                pack, QStringLiteral("--annotator"), QStringLiteral("an"), QStringLiteral("--tasks"),
                QStringLiteral("ranking,labels"), QStringLiteral("--instructions"), instructions.fileName()});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    const std::vector<nlohmann::json> lines = readJsonLines(pack);
    QCOMPARE(lines.size(), std::size_t{1 + 3 + 3 + 1});  // header, records, tasks, end
    QCOMPARE(lines.front()["format"], "vietllm-pack");
    QCOMPARE(lines.front()["annotator"]["name"], "an");
    QCOMPARE(lines.front()["instructions"], "Xếp hạng câu trả lời từ tốt nhất đến kém nhất.\n");
    QCOMPARE(lines.back()["type"], "end");

    const QString work = path(QStringLiteral("an-work.vietllm"));
    result = runCli(
        {QStringLiteral("annotate"), QStringLiteral("pack-open"), pack, QStringLiteral("--project"), work});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    result = runCli(
        {QStringLiteral("annotate"), QStringLiteral("pack-open"), pack, QStringLiteral("--project"), work});
    QCOMPARE(result.exit_code, 1);  // the working project exists already
    annotateWorkingProject(work.toStdString(), "an", Behaviour::Malicious, m_random);
    {
        store::ProjectStore working =
            store::ProjectStore::open(work.toStdString(), store::OpenMode::ReadWrite);
        store::Annotations annotations(working);
        const std::int64_t record_id = working.database().queryInt("SELECT min(id) FROM record");
        annotations.setLabel(
            {record_id, std::nullopt, *annotations.findAnnotator("an"), "quality", 0.75, "ổn"});
        annotations.setLabel(
            {record_id, std::nullopt, *annotations.findAnnotator("an"), "_ranking_draft", 1.0, ""});
    }
    const QString back = path(QStringLiteral("an-return.vlpack"));
    result = runCli(
        {QStringLiteral("annotate"), QStringLiteral("pack-return"), work, QStringLiteral("--out"), back});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    result = runCli({QStringLiteral("annotate"), QStringLiteral("merge"), project, back});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    QVERIFY(result.standard_error.contains("3 rankings, 1 labels"));

    store::ProjectStore coordinator =
        store::ProjectStore::open(project.toStdString(), store::OpenMode::ReadOnly);
    store::Annotations annotations(coordinator);
    const std::vector<annotate::RankingItem> items = store::loadRankingItems(coordinator, std::nullopt);
    QCOMPARE(items.size(), std::size_t{3});
    for (const annotate::RankingItem& item : items) {
        QCOMPARE(item.ballots.size(), std::size_t{1});
        // Malicious: the worst candidate (by the text's quality) is placed first.
        const annotate::Places truth = truePlaces(coordinator, item);
        const auto worst = std::max_element(truth.begin(), truth.end()) - truth.begin();
        QCOMPARE(item.ballots[0].tiers.front().front(), item.candidates[static_cast<std::size_t>(worst)]);
    }
    const std::vector<store::LabelValue> labels =
        annotations.labels(coordinator.database().queryInt("SELECT min(id) FROM record"));
    QCOMPARE(labels.size(), std::size_t{1});  // the draft mark stays in the working project
    QCOMPARE(labels[0].name, std::string("quality"));
    QCOMPARE(*labels[0].value, 0.75);
    QCOMPARE(labels[0].text, std::string("ổn"));
}

void TestTaskPacks::mergeIsIdempotentAndResubmissionReplaces() {
    const QString project = path(QStringLiteral("idem.vietllm"));
    buildProject(project.toStdString(), threeTasks());
    const QString back =
        annotateOnce(project, QStringLiteral("binh"), Behaviour::Careful, QStringLiteral("binh"));
    QVERIFY(!back.isEmpty());
    QCOMPARE(runCli({QStringLiteral("annotate"), QStringLiteral("merge"), project, back}).exit_code, 0);
    const std::string snapshot_sql = "SELECT count(*) + sum(id) + sum(length(created_at)) FROM ranking";
    const std::int64_t before = countRows(project.toStdString(), snapshot_sql);
    const CliResult again = runCli({QStringLiteral("annotate"), QStringLiteral("merge"), project, back});
    QCOMPARE(again.exit_code, 0);
    QVERIFY2(again.standard_error.contains("already merged"), again.standard_error.constData());
    QCOMPARE(countRows(project.toStdString(), snapshot_sql), before);

    // binh changes one ranking in the working project and returns again: the vote is replaced.
    const QString work = path(QStringLiteral("binh.vietllm"));
    std::int64_t changed_task = 0;
    {
        store::ProjectStore working =
            store::ProjectStore::open(work.toStdString(), store::OpenMode::ReadWrite);
        store::Annotations annotations(working);
        const std::int64_t task = working.database().queryInt("SELECT min(id) FROM ranking_task");
        std::vector<std::int64_t> candidates = annotations.rankingCandidates(task);
        annotations.submitRanking(task, *annotations.findAnnotator("binh"), {candidates}, false);
        changed_task = working.database().queryInt(
            "SELECT origin_id FROM pack_link WHERE kind = 'ranking_task' AND local_id = " +
            std::to_string(task));
    }
    const QString second = path(QStringLiteral("binh-return-2.vlpack"));
    QCOMPARE(runCli({QStringLiteral("annotate"), QStringLiteral("pack-return"), work, QStringLiteral("--out"),
                     second})
                 .exit_code,
             0);
    const CliResult replaced = runCli({QStringLiteral("annotate"), QStringLiteral("merge"), project, second});
    QCOMPARE(replaced.exit_code, 0);
    QVERIFY2(replaced.standard_error.contains("1 rankings, 0 labels changed (1 replaced"),
             replaced.standard_error.constData());
    store::ProjectStore coordinator =
        store::ProjectStore::open(project.toStdString(), store::OpenMode::ReadOnly);
    QCOMPARE(coordinator.database().queryInt("SELECT count(*) FROM ranking"), std::int64_t{3});
    const std::vector<store::RankingVote> votes = store::Annotations(coordinator).rankings(changed_task);
    QCOMPARE(votes.size(), std::size_t{1});
    QCOMPARE(votes[0].tiers.size(), std::size_t{1});  // all tied now
    QCOMPARE(coordinator.database().queryInt("SELECT count(*) FROM annotation_pack WHERE role = 'merged'"),
             std::int64_t{2});
}

void TestTaskPacks::refusesForeignTruncatedAndDamagedPacks() {
    const QString project = path(QStringLiteral("mine.vietllm"));
    buildProject(project.toStdString(), threeTasks());
    const QString other = path(QStringLiteral("other.vietllm"));
    buildProject(other.toStdString(), threeTasks());
    const QString back =
        annotateOnce(other, QStringLiteral("chi"), Behaviour::Careful, QStringLiteral("chi"));
    QVERIFY(!back.isEmpty());
    CliResult result = runCli({QStringLiteral("annotate"), QStringLiteral("merge"), project, back});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains(back.toUtf8() + ":1:") &&
                 result.standard_error.contains("another project"),
             result.standard_error.constData());

    QFile source(back);
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray bytes = source.readAll();
    const QString truncated = path(QStringLiteral("truncated.vlpack"));
    QFile cut(truncated);
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(bytes.left(bytes.size() * 2 / 3));
    cut.close();
    result = runCli({QStringLiteral("annotate"), QStringLiteral("merge"), other, truncated});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(
        result.standard_error.contains(truncated.toUtf8()) && result.standard_error.contains("truncated"),
        result.standard_error.constData());

    const QString damaged = path(QStringLiteral("damaged.vlpack"));
    QByteArray changed = bytes;
    const qsizetype at = changed.indexOf("\"not_rankable\":false");
    QVERIFY(at > 0);
    changed.replace(at, 20, "\"not_rankable\":true ");
    QFile damaged_file(damaged);
    QVERIFY(damaged_file.open(QIODevice::WriteOnly));
    damaged_file.write(changed);
    damaged_file.close();
    result = runCli({QStringLiteral("annotate"), QStringLiteral("merge"), other, damaged});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("sha256") && result.standard_error.contains("damaged"),
             result.standard_error.constData());

    const QString garbage = path(QStringLiteral("garbage.vlpack"));
    QFile garbage_file(garbage);
    QVERIFY(garbage_file.open(QIODevice::WriteOnly));
    garbage_file.write(bytes.left(bytes.indexOf('\n') + 1) + "{not json\n" +
                       bytes.mid(bytes.indexOf('\n') + 1));
    garbage_file.close();
    result = runCli({QStringLiteral("annotate"), QStringLiteral("merge"), other, garbage});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains(garbage.toUtf8() + ":2:"), result.standard_error.constData());
    QCOMPARE(countRows(other.toStdString(), "SELECT count(*) FROM ranking"), std::int64_t{0});

    // A task pack is not a return pack.
    result = runCli(
        {QStringLiteral("annotate"), QStringLiteral("merge"), other, path(QStringLiteral("chi.vlpack"))});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("field \"kind\""), result.standard_error.constData());
}

void TestTaskPacks::redundancyLimitsAssignments() {
    const QString project = path(QStringLiteral("redundancy.vietllm"));
    buildProject(project.toStdString(), threeTasks());
    store::ProjectStore coordinator =
        store::ProjectStore::open(project.toStdString(), store::OpenMode::ReadWrite);
    store::PackExportRequest request;
    request.redundancy = 2;
    request.limit = 2;
    request.annotator_name = "an";
    request.output_path = path(QStringLiteral("r-an.vlpack")).toStdString();
    QCOMPARE(store::exportTaskPack(coordinator, request).ranking_tasks, std::size_t{2});
    request.limit = 0;
    request.output_path = path(QStringLiteral("r-an-2.vlpack")).toStdString();
    QCOMPARE(store::exportTaskPack(coordinator, request).ranking_tasks, std::size_t{1});  // only the one left
    request.annotator_name = "binh";
    request.output_path = path(QStringLiteral("r-binh.vlpack")).toStdString();
    QCOMPARE(store::exportTaskPack(coordinator, request).ranking_tasks, std::size_t{3});
    request.annotator_name = "chi";
    request.output_path = path(QStringLiteral("r-chi.vlpack")).toStdString();
    QVERIFY_THROWS_EXCEPTION(vietllm::UserError, store::exportTaskPack(coordinator, request));
    QVERIFY(!QFile::exists(path(QStringLiteral("r-chi.vlpack"))));
}

void TestTaskPacks::reportsAndExports() {
    const QString project = path(QStringLiteral("reports.vietllm"));
    buildProject(project.toStdString(), threeTasks());
    for (const char* name : {"an", "binh", "chi"}) {
        const QString back = annotateOnce(project, QString::fromLatin1(name), Behaviour::Careful,
                                          QStringLiteral("rep-") + QString::fromLatin1(name));
        QVERIFY(!back.isEmpty());
        QCOMPARE(runCli({QStringLiteral("annotate"), QStringLiteral("merge"), project, back}).exit_code, 0);
    }
    CliResult result =
        runCli({QStringLiteral("annotate"), QStringLiteral("agreement"), project, QStringLiteral("--json")});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    const nlohmann::json agreement = nlohmann::json::parse(result.standard_output.toStdString());
    QCOMPARE(agreement["ranking"]["items"], 3);
    QCOMPARE(agreement["ranking"]["annotators"], 3);
    QCOMPARE(agreement["ranking"]["pairs"], 9);
    QVERIFY(agreement["ranking"]["mean_tau_b"].get<double>() > 0.3);

    result = runCli(
        {QStringLiteral("annotate"), QStringLiteral("leaderboard"), project, QStringLiteral("--json")});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    const nlohmann::json board = nlohmann::json::parse(result.standard_output.toStdString());
    QCOMPARE(board.size(), std::size_t{3});
    QCOMPARE(board[0]["rankings"], 3);
    QVERIFY(board[0]["trust"].get<double>() >= board[2]["trust"].get<double>());

    result = runCli({QStringLiteral("annotate"), QStringLiteral("conflicts"), project,
                     QStringLiteral("--limit"), QStringLiteral("2"), QStringLiteral("--json")});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    QCOMPARE(nlohmann::json::parse(result.standard_output.toStdString()).size(), std::size_t{2});

    const QString sft = path(QStringLiteral("sft.jsonl"));
    result = runCli({QStringLiteral("annotate"), QStringLiteral("export"), project, QStringLiteral("--kind"),
                     QStringLiteral("sft"), QStringLiteral("--out"), sft});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    const std::vector<nlohmann::json> conversations = readJsonLines(sft);
    QCOMPARE(conversations.size(), std::size_t{3});
    for (const nlohmann::json& conversation : conversations) {
        QCOMPARE(conversation["messages"].size(), std::size_t{2});
        QCOMPARE(conversation["messages"][1]["role"], "assistant");
    }
    const QString pairs = path(QStringLiteral("pairs.jsonl"));
    result = runCli({QStringLiteral("annotate"), QStringLiteral("export"), project, QStringLiteral("--kind"),
                     QStringLiteral("pairs"), QStringLiteral("--out"), pairs});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    QCOMPARE(readJsonLines(pairs).size(), std::size_t{3 + 6 + 3});  // C(3,2) + C(4,2) + C(3,2)
    const QString raw = path(QStringLiteral("raw.jsonl"));
    result = runCli({QStringLiteral("annotate"), QStringLiteral("export"), project, QStringLiteral("--kind"),
                     QStringLiteral("pairs-raw"), QStringLiteral("--out"), raw});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    const std::vector<nlohmann::json> raw_pairs = readJsonLines(raw);
    QCOMPARE(raw_pairs.size(), std::size_t{3 * 12});
    QVERIFY(raw_pairs[0].contains("annotator"));
    const QString trees = path(QStringLiteral("trees.jsonl"));
    result = runCli({QStringLiteral("annotate"), QStringLiteral("export"), project, QStringLiteral("--kind"),
                     QStringLiteral("oasst"), QStringLiteral("--out"), trees});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    const std::vector<nlohmann::json> oasst = readJsonLines(trees);
    QCOMPARE(oasst.size(), std::size_t{3});
    for (const nlohmann::json& tree : oasst) {
        std::vector<int> ranks;
        for (const nlohmann::json& reply : tree["prompt"]["replies"]) {
            ranks.push_back(reply["rank"].get<int>());
        }
        std::sort(ranks.begin(), ranks.end());
        QCOMPARE(ranks.front(), 0);
    }
    // Every SFT reply is its tree's rank-0 reply.
    for (std::size_t i = 0; i < oasst.size(); ++i) {
        for (const nlohmann::json& reply : oasst[i]["prompt"]["replies"]) {
            if (reply["rank"] == 0) {
                QCOMPARE(reply["text"], conversations[i]["messages"][1]["content"]);
            }
        }
    }
    result = runCli({QStringLiteral("annotate"), QStringLiteral("export"), project, QStringLiteral("--kind"),
                     QStringLiteral("dpo"), QStringLiteral("--out"), trees});
    QCOMPARE(result.exit_code, 1);
    result = runCli({QStringLiteral("annotate"), QStringLiteral("export"), project, QStringLiteral("--kind"),
                     QStringLiteral("sft"), QStringLiteral("--min-trust"), QStringLiteral("2"),
                     QStringLiteral("--out"), sft});
    QCOMPARE(result.exit_code, 1);
}

void TestTaskPacks::mergeSimulationRecoversTrueRankings() {
    // 40 tasks of 3 or 4 candidates with random true orders; 6 annotators each get a pack of
    // every task (redundancy 6): 4 careful, 1 careless, 1 malicious. All through real packs.
    QElapsedTimer timer;
    timer.start();
    std::mt19937 random(2024);
    std::vector<SyntheticTask> tasks;
    for (int t = 0; t < 40; ++t) {
        SyntheticTask task;
        for (int q = 1; q <= 3 + t % 2; ++q) {
            task.qualities.push_back(q);
        }
        std::shuffle(task.qualities.begin(), task.qualities.end(), random);
        tasks.push_back(task);
    }
    const std::string project_path = path(QStringLiteral("sim.vietllm")).toStdString();
    buildProject(project_path, tasks);
    const std::vector<std::pair<std::string, Behaviour>> annotators = {
        {"careful-1", Behaviour::Careful}, {"careless", Behaviour::Careless},
        {"careful-2", Behaviour::Careful}, {"malicious", Behaviour::Malicious},
        {"careful-3", Behaviour::Careful}, {"careful-4", Behaviour::Careful}};
    std::vector<std::string> returns;
    {
        store::ProjectStore coordinator = store::ProjectStore::open(project_path, store::OpenMode::ReadWrite);
        for (const auto& [name, behaviour] : annotators) {
            store::PackExportRequest request;
            request.annotator_name = name;
            request.limit = 0;
            request.redundancy = 6;
            request.output_path = path(QString::fromStdString("sim-" + name + ".vlpack")).toStdString();
            QCOMPARE(store::exportTaskPack(coordinator, request).ranking_tasks, tasks.size());
            const std::string work = path(QString::fromStdString("sim-" + name + ".vietllm")).toStdString();
            store::openTaskPack(request.output_path, work);
            annotateWorkingProject(work, name, behaviour, random);
            returns.push_back(path(QString::fromStdString("sim-" + name + "-return.vlpack")).toStdString());
            const store::ProjectStore working = store::ProjectStore::open(work, store::OpenMode::ReadOnly);
            QCOMPARE(store::writeReturnPack(working, returns.back()).rankings, tasks.size());
        }
        for (const std::string& back : returns) {
            QCOMPARE(store::mergeReturnPack(coordinator, back).rankings, tasks.size());
        }
    }
    store::ProjectStore coordinator = store::ProjectStore::open(project_path, store::OpenMode::ReadOnly);
    const std::vector<annotate::RankingItem> items = store::loadRankingItems(coordinator, std::nullopt);
    QCOMPARE(items.size(), tasks.size());
    const std::vector<annotate::AnnotatorTrust> trust = annotate::estimateTrust(items);
    const annotate::TrustWeights weights = annotate::trustWeights(trust);
    struct Figures {
        int exact_top = 0;
        int exact_order = 0;
        double tau_sum = 0.0;
    };
    const auto score = [&](const annotate::TrustWeights& used) {
        Figures figures;
        for (const annotate::RankingItem& item : items) {
            const annotate::Places truth = truePlaces(coordinator, item);
            const annotate::Consensus consensus = annotate::rankedPairs(item, used);
            const annotate::Places places = *annotate::placesOf(item.candidates, consensus.tiers);
            const auto best = std::min_element(truth.begin(), truth.end()) - truth.begin();
            figures.exact_top +=
                consensus.tiers.front().size() == 1 &&
                        consensus.tiers.front().front() == item.candidates[static_cast<std::size_t>(best)]
                    ? 1
                    : 0;
            figures.exact_order += places == truth ? 1 : 0;
            figures.tau_sum += annotate::kendallTauB(places, truth).value_or(0.0);
        }
        return figures;
    };
    const Figures weighted = score(weights);
    const Figures unweighted = score({});
    const double n = static_cast<double>(items.size());
    qInfo("merge simulation: %zu tasks, %zu annotators x %zu packs, %lld ms", items.size(), annotators.size(),
          std::size_t{1}, static_cast<long long>(timer.elapsed()));
    qInfo("trust-weighted consensus: exact top %.1f%%, exact order %.1f%%, mean tau-b to truth %.3f",
          100.0 * weighted.exact_top / n, 100.0 * weighted.exact_order / n, weighted.tau_sum / n);
    qInfo("unweighted consensus:     exact top %.1f%%, exact order %.1f%%, mean tau-b to truth %.3f",
          100.0 * unweighted.exact_top / n, 100.0 * unweighted.exact_order / n, unweighted.tau_sum / n);
    std::map<std::string, double> trust_of;
    store::Statement name(coordinator.database(), "SELECT name FROM annotator WHERE id = ?");
    for (const annotate::AnnotatorTrust& entry : trust) {
        name.bindInt(1, entry.annotator_id).step();
        trust_of[name.columnText(0)] = entry.trust;
        qInfo("  %-10s trust %.3f, mean tau-b to the others' consensus %.3f", name.columnText(0).c_str(),
              entry.trust, entry.agreement.value_or(-9));
        name.reset();
    }
    QVERIFY(weighted.exact_top >= 0.9 * n);
    QVERIFY(weighted.tau_sum / n >= 0.8);
    QVERIFY(weighted.tau_sum >= unweighted.tau_sum);
    for (const char* careful : {"careful-1", "careful-2", "careful-3", "careful-4"}) {
        QVERIFY(trust_of[careful] > trust_of["careless"]);
    }
    QVERIFY(trust_of["careless"] > trust_of["malicious"]);
    QVERIFY(trust_of["malicious"] < 0.05);
    // The malicious annotator does not move the consensus: without their ballots it is the same.
    int moved = 0;
    const std::int64_t malicious_id = *store::Annotations(coordinator).findAnnotator("malicious");
    for (const annotate::RankingItem& item : items) {
        moved += annotate::rankedPairs(item, weights).tiers !=
                         annotate::rankedPairs(item, weights, malicious_id).tiers
                     ? 1
                     : 0;
    }
    qInfo("tasks whose consensus the malicious annotator changes: %d of %zu", moved, items.size());
    QCOMPARE(moved, 0);
}

QTEST_GUILESS_MAIN(TestTaskPacks)
#include "tst_task_packs.moc"
