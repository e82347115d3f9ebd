// Tests of the Data panel's bulk actions (backend/store/bulk_actions.h) and of what the import
// and export dialogs add to the store's transfer code: text checks as labels, duplicates tagged
// or deleted keeping the first, tags, delete, move and copy with the cached dataset counts kept
// right, cancelling that leaves the project as it was, format detection, previews, exports of
// chosen records with the reasons for records a format cannot hold, and `annotate tasks`.

#include "backend/common/errors.h"
#include "backend/data/records.h"
#include "backend/store/annotations.h"
#include "backend/store/bulk_actions.h"
#include "backend/store/import_session.h"
#include "backend/store/project_store.h"
#include "backend/store/ranking_queue.h"
#include "backend/store/record_browser.h"
#include "backend/store/transfer.h"
#include "tests/common/test_support.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace vietllm;
using data::Role;

namespace {

data::Conversation conversation(const std::string& user, const std::string& assistant,
                                const std::string& id) {
    data::Conversation result;
    result.messages = {{Role::User, user}, {Role::Assistant, assistant}};
    result.provenance.source = "unit-test";
    result.provenance.original_id = id;
    return result;
}

data::PreferencePair pair(const std::string& prompt) {
    data::PreferencePair result;
    result.prompt = {{Role::User, prompt}};
    result.chosen = "Câu trả lời tốt.";
    result.rejected = "Câu trả lời kém.";
    result.provenance.source = "unit-test";
    return result;
}

// Adds `records` as a new dataset and returns the ids of its records, in order.
std::vector<std::int64_t> addDataset(store::ProjectStore& project, const std::string& name,
                                     const std::vector<data::Record>& records) {
    store::ImportSession session(project, {name, "test", "messages", false});
    for (const data::Record& record : records) {
        session.add(record);
    }
    const store::ImportSummary summary = session.commit();
    std::vector<std::int64_t> ids;
    for (const store::StoredRecord& stored : project.records(summary.dataset_id, 0, 1000)) {
        ids.push_back(stored.id);
    }
    return ids;
}

// The record-level label names on a record, sorted, each once.
std::vector<std::string> labelNames(const store::ProjectStore& project, std::int64_t record_id) {
    return store::recordSummaries(project, {record_id}).front().labels;
}

bool hasLabel(const store::ProjectStore& project, std::int64_t record_id, const std::string& name) {
    const std::vector<std::string> names = labelNames(project, record_id);
    return std::find(names.begin(), names.end(), name) != names.end();
}

// The counts the store keeps per dataset must equal what counting finds.
void verifyCachedCounts(const store::ProjectStore& project) {
    for (const store::DatasetInfo& dataset : project.datasets()) {
        store::Statement records(project.database(), "SELECT count(*) FROM record WHERE dataset_id = ?");
        records.bindInt(1, dataset.id).step();
        store::Statement messages(project.database(),
                                  "SELECT count(*) FROM message m JOIN record r ON r.id = m.record_id "
                                  "WHERE r.dataset_id = ?");
        messages.bindInt(1, dataset.id).step();
        QCOMPARE(project.recordCount(dataset.id), records.columnInt(0));
        QCOMPARE(project.messageCount(dataset.id), messages.columnInt(0));
    }
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

}  // namespace

class TestBulkActions : public QObject {
    Q_OBJECT

private slots:
    void init();

    void textChecksBecomeLabels();
    void duplicatesAreTaggedOrDeletedKeepingTheFirst();
    void tagsAreAddedAndRemoved();
    void deleteAndMoveKeepCountsRight();
    void copyAddsAnImportToTheTarget();
    void cancelLeavesProjectAsItWas();
    void matchingIdsFollowTheFilter();
    void formatIsDetectedFromTheFirstRecord();
    void previewAndImportReportProgressAndCancel();
    void exportOfChosenRecordsCountsWhatFormatCannotHold();
    void annotateTasksCreatesAndCounts();

private:
    std::string projectPath() const {
        return (m_dir->path() + QStringLiteral("/bulk.vietllm")).toStdString();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestBulkActions::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestBulkActions::textChecksBecomeLabels() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::vector<std::int64_t> ids = addDataset(
        project, "mixed",
        {conversation("Hoà  bình là gì?", "Hoà bình là   trạng thái không có chiến tranh.", "a"),
         conversation("What is the capital of France and why is it famous?",
                      "Paris is the capital of France and it is famous for its museums.", "b"),
         conversation("Số điện thoại của bạn là gì?", "Gọi cho tôi qua số 0912.345.678 nhé.", "c")});
    store::TextChecks checks;
    checks.normalize = true;
    checks.language = true;
    checks.flags = true;
    std::vector<std::size_t> reported;
    const store::BulkResult result =
        store::runTextChecks(project, ids, checks, [&](std::size_t done, std::size_t) {
            reported.push_back(done);
            return true;
        });
    QCOMPARE(result.records, std::size_t{3});
    QVERIFY(!reported.empty());
    QCOMPARE(reported.back(), std::size_t{3});

    // Normalization rewrote the first record's text (tone placement, spaces) and says so.
    QCOMPARE(result.counts.at(store::kNormalizedLabel), std::size_t{1});
    QVERIFY(hasLabel(project, ids[0], store::kNormalizedLabel));
    const store::StoredRecord stored = project.record(ids[0]);
    const auto& first = std::get<data::Conversation>(stored.record);
    QCOMPARE(first.messages[0].content, std::string("Hòa bình là gì?"));
    // The search index follows the new text.
    store::SearchOptions search;
    search.ignore_diacritics = true;
    QCOMPARE(project.search("trạng thái", search).size(), std::size_t{1});

    // Languages: labels and filled message languages, so the language filter finds them.
    QVERIFY(hasLabel(project, ids[0], "lang:vi"));
    QVERIFY(hasLabel(project, ids[1], "lang:en"));
    store::RecordFilter english;
    english.language = "en";
    QCOMPARE(store::matchingRecordIds(project, english), std::vector<std::int64_t>{ids[1]});

    // Flags as `data clean` judges them: PII in the third, English in the second.
    QVERIFY(hasLabel(project, ids[2], "check:pii"));
    QVERIFY(hasLabel(project, ids[1], "check:lang"));
    QVERIFY(!hasLabel(project, ids[0], "check:pii"));
    store::RecordFilter flagged;
    flagged.label = "check:pii";
    QCOMPARE(store::matchingRecordIds(project, flagged), std::vector<std::int64_t>{ids[2]});

    // Running again replaces the checks' labels instead of piling them up.
    const store::BulkResult again = store::runTextChecks(project, ids, checks);
    QCOMPARE(again.counts.count(store::kNormalizedLabel), std::size_t{0});
    QCOMPARE(again.counts.at("check:pii"), std::size_t{1});
    const std::optional<std::int64_t> checker =
        store::Annotations(project).findAnnotator(store::kChecksAnnotator);
    QVERIFY(checker.has_value());
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM label WHERE record_id = " +
                                         std::to_string(ids[2]) + " AND name = 'check:pii'"),
             std::int64_t{1});
}

void TestBulkActions::duplicatesAreTaggedOrDeletedKeepingTheFirst() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::string long_answer =
        "Sông Cửu Long chảy qua nhiều tỉnh miền Tây Nam Bộ và mang phù sa bồi đắp cho cánh đồng lúa rộng "
        "lớn, "
        "nuôi sống hàng triệu người dân sống dọc hai bên bờ sông từ bao đời nay";
    const std::vector<std::int64_t> ids =
        addDataset(project, "dups",
                   {conversation("Kể về sông Cửu Long.", long_answer, "1"),
                    conversation("Thủ đô Việt Nam?", "Hà Nội.", "2"),
                    conversation("Kể về sông Cửu Long.", long_answer, "3"),
                    conversation("Kể về sông Cửu Long.", long_answer + " nữa", "4")});
    store::DuplicateOptions options;
    options.action = store::DuplicateAction::Tag;
    const store::BulkResult tagged = store::markDuplicates(project, ids, options);
    QCOMPARE(tagged.changed, std::size_t{2});
    QCOMPARE(tagged.counts.at("exact"), std::size_t{1});
    QCOMPARE(tagged.counts.at("near"), std::size_t{1});
    QVERIFY(!hasLabel(project, ids[0], store::kDuplicateLabel));
    QVERIFY(!hasLabel(project, ids[1], store::kDuplicateLabel));
    QVERIFY(hasLabel(project, ids[2], store::kDuplicateLabel));
    QVERIFY(hasLabel(project, ids[3], store::kDuplicateLabel));
    const std::vector<store::LabelValue> labels = store::Annotations(project).labels(ids[2]);
    QCOMPARE(labels.front().text, "exact of record " + std::to_string(ids[0]));

    // Exact only, deleting: the near duplicate stays, the exact one goes, the first is kept.
    options.action = store::DuplicateAction::Delete;
    options.near = false;
    const store::BulkResult deleted = store::markDuplicates(project, ids, options);
    QCOMPARE(deleted.changed, std::size_t{1});
    const std::int64_t dataset = project.requireDataset("dups").id;
    QCOMPARE(project.recordCount(dataset), std::int64_t{3});
    QVERIFY_THROWS_EXCEPTION(UserError, project.record(ids[2]));
    // The near duplicate lost its mark: in this run it was kept.
    QVERIFY(!hasLabel(project, ids[3], store::kDuplicateLabel));
    verifyCachedCounts(project);
}

void TestBulkActions::tagsAreAddedAndRemoved() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::vector<std::int64_t> ids =
        addDataset(project, "tags",
                   {conversation("a", "b", "1"), conversation("c", "d", "2"), conversation("e", "f", "3")});
    const store::BulkResult added = store::addTag(project, {ids[0], ids[2]}, "review", "lan");
    QCOMPARE(added.changed, std::size_t{2});
    QVERIFY(hasLabel(project, ids[0], "review"));
    QVERIFY(!hasLabel(project, ids[1], "review"));
    QVERIFY(store::Annotations(project).findAnnotator("lan").has_value());
    QVERIFY_THROWS_EXCEPTION(UserError, store::addTag(project, ids, "", "lan"));

    const store::BulkResult removed = store::removeTag(project, ids, "review");
    QCOMPARE(removed.changed, std::size_t{2});
    QVERIFY(!hasLabel(project, ids[0], "review"));
    QVERIFY(!hasLabel(project, ids[2], "review"));
}

void TestBulkActions::deleteAndMoveKeepCountsRight() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::vector<std::int64_t> ids = addDataset(
        project, "source",
        {conversation("a", "b", "1"), conversation("c", "d", "2"), pair("p1"), conversation("e", "f", "3")});
    addDataset(project, "other", {conversation("x", "y", "9")});
    const std::int64_t source = project.requireDataset("source").id;
    QCOMPARE(project.recordCount(source), std::int64_t{4});
    QCOMPARE(project.messageCount(source), std::int64_t{9});

    store::Annotations annotations(project);
    const std::int64_t annotator = annotations.addAnnotator("lan", store::AnnotatorKind::Human);
    annotations.setLabel({ids[2], std::nullopt, annotator, "quality", 4.0, ""});

    const store::BulkResult moved =
        store::transferRecords(project, {ids[1], ids[2]}, "moved", store::TransferMode::Move);
    QCOMPARE(moved.changed, std::size_t{2});
    const std::int64_t target = project.requireDataset("moved").id;
    QCOMPARE(project.recordCount(target), std::int64_t{2});
    QCOMPARE(project.messageCount(target), std::int64_t{5});
    QCOMPARE(project.recordCount(source), std::int64_t{2});
    QCOMPARE(project.record(ids[2]).dataset_id, target);
    QVERIFY(hasLabel(project, ids[2], "quality"));  // labels go with a moved record
    verifyCachedCounts(project);

    const store::BulkResult deleted = store::deleteRecords(project, {ids[0], ids[2]});
    QCOMPARE(deleted.changed, std::size_t{2});
    QCOMPARE(project.recordCount(source), std::int64_t{1});
    QCOMPARE(project.recordCount(target), std::int64_t{1});
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM label"), std::int64_t{0});
    verifyCachedCounts(project);

    // Editing a conversation's messages and deleting a dataset keep the counts right too.
    store::replaceConversationMessages(project, ids[3],
                                       {{Role::User, "một"}, {Role::Assistant, "hai"}, {Role::User, "ba"}});
    verifyCachedCounts(project);
    project.deleteDataset(target);
    verifyCachedCounts(project);
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM dataset_count"), std::int64_t{2});
}

void TestBulkActions::copyAddsAnImportToTheTarget() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::vector<std::int64_t> ids =
        addDataset(project, "source", {conversation("a", "b", "1"), pair("p1"), conversation("e", "f", "3")});
    addDataset(project, "target", {conversation("x", "y", "9")});
    const store::BulkResult copied =
        store::transferRecords(project, {ids[0], ids[1]}, "target", store::TransferMode::Copy);
    QCOMPARE(copied.changed, std::size_t{2});
    const std::int64_t target = project.requireDataset("target").id;
    QCOMPARE(project.recordCount(target), std::int64_t{3});
    QCOMPARE(project.recordCount(project.requireDataset("source").id), std::int64_t{3});
    const std::vector<store::StoredRecord> records = project.records(target, 0, 10);
    QVERIFY(std::holds_alternative<data::PreferencePair>(records[2].record));
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM import_run WHERE format = 'copy'"),
             std::int64_t{1});
    verifyCachedCounts(project);
    QVERIFY_THROWS_EXCEPTION(UserError, store::transferRecords(project, ids, "", store::TransferMode::Move));
}

void TestBulkActions::cancelLeavesProjectAsItWas() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    std::vector<data::Record> records;
    for (int i = 0; i < 300; ++i) {
        records.push_back(conversation("câu hỏi " + std::to_string(i), "trả lời", std::to_string(i)));
    }
    const std::vector<std::int64_t> ids = addDataset(project, "many", records);
    const auto stopAfter = [](std::size_t limit) {
        return [limit](std::size_t done, std::size_t) { return done < limit; };
    };
    QVERIFY_THROWS_EXCEPTION(store::BulkCancelled, store::deleteRecords(project, ids, stopAfter(100)));
    QCOMPARE(project.recordCount(project.requireDataset("many").id), std::int64_t{300});
    QVERIFY_THROWS_EXCEPTION(
        store::BulkCancelled,
        store::transferRecords(project, ids, "new", store::TransferMode::Move, stopAfter(64)));
    QVERIFY(!project.findDataset("new").has_value());
    QVERIFY_THROWS_EXCEPTION(store::BulkCancelled, store::addTag(project, ids, "t", "lan", stopAfter(64)));
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM label"), std::int64_t{0});
    QVERIFY(!store::Annotations(project).findAnnotator("lan").has_value());
    verifyCachedCounts(project);
}

void TestBulkActions::matchingIdsFollowTheFilter() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::vector<std::int64_t> first =
        addDataset(project, "one", {conversation("hòa bình", "b", "1"), pair("p")});
    const std::vector<std::int64_t> second =
        addDataset(project, "two", {conversation("chiến tranh", "d", "2")});
    QCOMPARE(store::matchingRecordIds(project, {}).size(), std::size_t{3});
    store::RecordFilter filter;
    filter.dataset_id = project.requireDataset("one").id;
    QCOMPARE(store::matchingRecordIds(project, filter), first);
    store::RecordFilter search;
    search.search = "hoa binh";
    search.ignore_diacritics = true;
    QCOMPARE(store::matchingRecordIds(project, search), std::vector<std::int64_t>{first[0]});
    QVERIFY_THROWS_EXCEPTION(
        store::BulkCancelled,
        store::matchingRecordIds(project, {}, [](std::size_t, std::size_t) { return false; }));
    Q_UNUSED(second);
}

void TestBulkActions::formatIsDetectedFromTheFirstRecord() {
    const QString dir = m_dir->path();
    const std::vector<std::pair<QByteArray, data::Format>> cases = {
        {"{\"instruction\": \"a\", \"input\": \"\", \"output\": \"b\"}\n", data::Format::Alpaca},
        {"[\n{\"instruction\": \"a\", \"input\": \"\", \"output\": \"b\"},\n{\"instruction\": \"c\", "
         "\"input\": "
         "\"\", \"output\": \"d\"}\n]\n",
         data::Format::Alpaca},
        {"{\"instruction\": \"a\", \"context\": \"\", \"response\": \"b\", \"category\": \"qa\"}\n",
         data::Format::Dolly},
        {"{\"conversations\": [{\"from\": \"human\", \"value\": \"a\"}]}\n", data::Format::ShareGpt},
        {"{\"prompt\": \"a\", \"response\": \"b\"}\n", data::Format::PromptResponse},
        {"{\"message_tree_id\": \"t\", \"prompt\": {\"text\": \"a\"}}\n", data::Format::Oasst},
        {"{\"chosen\": \"\\n\\nHuman: a\\n\\nAssistant: b\", \"rejected\": \"x\"}\n", data::Format::HhRlhf},
        {"{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n", data::Format::Messages},
        {"{\"prompt\": [{\"role\": \"user\", \"content\": \"a\"}], \"chosen\": \"b\", \"rejected\": \"c\"}\n",
         data::Format::Preference},
    };
    int index = 0;
    for (const auto& [content, format] : cases) {
        const QString path = dir + QStringLiteral("/f%1.jsonl").arg(index++);
        writeFile(path, content);
        QCOMPARE(store::detectFormat(path.toStdString()), format);
    }
    const QString unknown = dir + QStringLiteral("/unknown.jsonl");
    writeFile(unknown, "{\"question\": \"a\"}\n");
    try {
        store::detectFormat(unknown.toStdString());
        QFAIL("an unknown shape must be refused");
    } catch (const UserError& error) {
        const std::string message = error.what();
        QVERIFY2(message.find(unknown.toStdString() + ":1:") != std::string::npos &&
                     message.find("question") != std::string::npos,
                 message.c_str());
    }
}

void TestBulkActions::previewAndImportReportProgressAndCancel() {
    const QString input = m_dir->path() + QStringLiteral("/many.jsonl");
    QByteArray lines;
    for (int i = 0; i < 600; ++i) {
        lines += "{\"prompt\": \"câu hỏi " + QByteArray::number(i) + "\", \"response\": \"trả lời\"}\n";
    }
    writeFile(input, lines);
    const std::vector<data::Record> preview =
        store::previewRecords(input.toStdString(), data::Format::PromptResponse, 5);
    QCOMPARE(preview.size(), std::size_t{5});
    QCOMPARE(std::get<data::Conversation>(preview[4]).messages[0].content, std::string("câu hỏi 4"));

    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    store::FileImportRequest request;
    request.input_path = input.toStdString();
    request.format = data::Format::PromptResponse;
    request.dataset_name = "imported";
    request.on_progress = [](std::size_t records) { return records < 300; };
    QVERIFY_THROWS_EXCEPTION(store::BulkCancelled, store::importFile(project, request));
    QVERIFY(!project.findDataset("imported").has_value());
    std::size_t last = 0;
    request.on_progress = [&](std::size_t records) {
        last = records;
        return true;
    };
    QCOMPARE(store::importFile(project, request).records, std::size_t{600});
    QCOMPARE(last, std::size_t{600});
}

void TestBulkActions::exportOfChosenRecordsCountsWhatFormatCannotHold() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::vector<std::int64_t> ids = addDataset(
        project, "mixed", {conversation("a", "b", "1"), pair("p1"), conversation("c", "d", "2"), pair("p2")});
    store::FileExportRequest request;
    request.output_path = (m_dir->path() + QStringLiteral("/pairs.jsonl")).toStdString();
    request.format = data::Format::Preference;
    request.record_ids = {ids[3], ids[0], ids[1]};
    std::size_t reported_total = 0;
    request.on_progress = [&](std::size_t, std::size_t total) {
        reported_total = total;
        return true;
    };
    const store::ExportSummary summary = store::exportFile(project, request);
    QCOMPARE(summary.records, std::size_t{3});
    QCOMPARE(summary.written, std::size_t{2});
    QCOMPARE(summary.unwritable, std::size_t{1});
    QCOMPARE(reported_total, std::size_t{3});
    QCOMPARE(summary.unwritable_reasons.size(), std::size_t{1});
    QVERIFY(!summary.unwritable_reasons.begin()->first.empty());
    QFile file(QString::fromStdString(request.output_path));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].contains("p2"));  // in the order asked

    request.output_path = (m_dir->path() + QStringLiteral("/cancelled.jsonl")).toStdString();
    request.record_ids.clear();
    request.on_progress = [](std::size_t, std::size_t) { return false; };
    QVERIFY_THROWS_EXCEPTION(store::BulkCancelled, store::exportFile(project, request));
    QVERIFY(!QFile::exists(QString::fromStdString(request.output_path)));
}

void TestBulkActions::annotateTasksCreatesAndCounts() {
    {
        store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
        addDataset(project, "pairs", {pair("p1"), pair("p2"), conversation("a", "b", "1")});
    }
    const QString path = QString::fromStdString(projectPath());
    testing::CliResult result = testing::runCli(
        {QStringLiteral("annotate"), QStringLiteral("tasks"), path, QStringLiteral("--json")});
    QCOMPARE(result.exit_code, 0);
    nlohmann::json counts = nlohmann::json::parse(result.standard_output.toStdString());
    QCOMPARE(counts["created"].get<int>(), 2);
    QCOMPARE(counts["open"].get<int>(), 2);
    QCOMPARE(counts["total"].get<int>(), 2);

    // Again: nothing new; three replies at least: nothing qualifies.
    result = testing::runCli(
        {QStringLiteral("annotate"), QStringLiteral("tasks"), path, QStringLiteral("--json")});
    QCOMPARE(result.exit_code, 0);
    counts = nlohmann::json::parse(result.standard_output.toStdString());
    QCOMPARE(counts["created"].get<int>(), 0);
    QCOMPARE(counts["open"].get<int>(), 2);

    result = testing::runCli({QStringLiteral("annotate"), QStringLiteral("tasks"), path,
                              QStringLiteral("--min-replies"), QStringLiteral("5")});
    QCOMPARE(result.exit_code, 1);
    QVERIFY(result.standard_error.contains("--min-replies"));
    result = testing::runCli({QStringLiteral("annotate"), QStringLiteral("tasks"), path,
                              QStringLiteral("--dataset"), QStringLiteral("nope")});
    QCOMPARE(result.exit_code, 1);
    QVERIFY(result.standard_error.contains("nope"));
    result = testing::runCli({QStringLiteral("annotate"), QStringLiteral("tasks"), path});
    QCOMPARE(result.exit_code, 0);
    QVERIFY2(result.standard_output.contains("created 0 ranking tasks; 2 open, 0 done, 0 cancelled"),
             result.standard_output.constData());
}

QTEST_GUILESS_MAIN(TestBulkActions)
#include "tst_bulk_actions.moc"
