// Tests of backend/store: schema versions and migrations, opening errors, record round trips,
// import atomicity, full-text search with and without diacritics, paging, stats and annotations.

#include "backend/common/errors.h"
#include "backend/data/records.h"
#include "backend/store/annotations.h"
#include "backend/store/import_session.h"
#include "backend/store/project_store.h"
#include "backend/store/record_browser.h"
#include "backend/store/schema.h"
#include "backend/store/sqlite_db.h"
#include "backend/store/transfer.h"
#include "tests/common/test_support.h"
#include "tests/common/text_files.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>
#include <fstream>
#include <functional>
#include <string>

using namespace vietllm;
using data::Role;

namespace {

using testing::expectUserError;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

data::Conversation conversation(const std::vector<std::pair<Role, std::string>>& turns) {
    data::Conversation result;
    for (const auto& [role, content] : turns) {
        result.messages.push_back({role, content});
    }
    result.provenance.source = "unit-test";
    result.provenance.licence = "CC0-1.0";
    result.provenance.original_id = "test:1";
    result.provenance.transformations = {"convert:alpaca->messages", "normalize"};
    result.metadata = {{"category", "open_qa"}, {"score", 0.75}};
    return result;
}

data::TreeNode node(const std::string& id, Role role, const std::string& text, std::optional<int> rank) {
    data::TreeNode result;
    result.id = id;
    result.role = role;
    result.content = text;
    result.rank = rank;
    result.lang = "vi";
    result.metadata = {{"review_count", 3}, {"emojis", {{"+1", 2}}}};
    return result;
}

// A tree with branching at two levels, ranks, an unranked node and per-node metadata.
data::ConversationTree sampleTree() {
    data::ConversationTree tree;
    tree.tree_id = "tree-1";
    tree.root = node("m0", Role::User, "Thủ đô của Việt Nam là gì?", std::nullopt);
    data::TreeNode first = node("m1", Role::Assistant, "Hà Nội.", 1);
    data::TreeNode second = node("m2", Role::Assistant, "Thủ đô là Hà Nội.", 0);
    data::TreeNode third = node("m3", Role::Assistant, "Không biết.", 2);
    data::TreeNode follow_up = node("m4", Role::User, "Còn TP.HCM?", std::nullopt);
    follow_up.replies.push_back(node("m5", Role::Assistant, "Là thành phố lớn nhất.", std::nullopt));
    second.replies.push_back(std::move(follow_up));
    tree.root.replies = {std::move(first), std::move(second), std::move(third)};
    tree.provenance.source = "oasst";
    tree.provenance.licence = "Apache-2.0";
    tree.metadata = {{"tree_state", "ready_for_export"}};
    return tree;
}

data::PreferencePair samplePair() {
    data::PreferencePair pair;
    pair.prompt = {{Role::System, "Trả lời ngắn gọn."}, {Role::User, "1 + 1 bằng mấy?"}};
    pair.chosen = "Bằng 2.";
    pair.rejected = "Bằng 3.";
    pair.chosen_rating = 9.5;
    pair.rejected_rating = 2;
    pair.provenance.source = "hh-rlhf";
    pair.metadata = {{"subset", "harmless"}};
    return pair;
}

std::string jsonOf(const data::Record& record) {
    return data::toJson(record).dump();
}

// Imports `records` into a new dataset as one session.
store::ImportSummary importRecords(store::ProjectStore& project, const std::string& dataset,
                                   const std::vector<data::Record>& records, bool append = false) {
    store::ImportSession session(project, {dataset, "test-input.jsonl", "messages", append});
    for (const data::Record& record : records) {
        session.add(record);
    }
    return session.commit();
}

std::vector<std::string> searchTexts(const store::ProjectStore& project, const std::string& query,
                                     bool ignore_diacritics) {
    store::SearchOptions options;
    options.ignore_diacritics = ignore_diacritics;
    std::vector<std::string> texts;
    for (const store::SearchHit& hit : project.search(query, options)) {
        texts.push_back(hit.text);
    }
    std::sort(texts.begin(), texts.end());
    return texts;
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

}  // namespace

class TestProjectStore : public QObject {
    Q_OBJECT

private slots:
    void init();

    void createdProjectHasCurrentSchemaAndWal();
    void createRefusesExistingFileUnlessOverwrite();
    void newerSchemaIsRefusedNamingBothVersions();
    void emptyFileIsRefusedAndVersionZeroDatabaseMigrates();
    void migrationStepsAreAllOrNothing();
    void versionThreeProjectGainsCachedCounts();
    void foreignFilesAreRefused();
    void missingFileIsNamed();
    void readOnlyProjectRefusesWrites();

    void conversationRoundTrips();
    void preferencePairRoundTrips();
    void conversationTreeRoundTripsWithRanksAndOrder();
    void deepTreeRoundTripsWithoutRecursion();
    void failedRecordRollsBackWholeImport();
    void badLineInFileLeavesProjectUnchanged();
    void existingDatasetNeedsAppend();
    void oasstTreesRoundTripThroughProject();

    void searchIgnoringDiacriticsFindsVietnamese();
    void searchWithDiacriticsDistinguishesTones();
    void searchReportsMatchSpansAndFilters();
    void searchAcceptsAnyUserText();
    void deletingDatasetCleansIndex();

    void pagingByOffsetAndKeyset();
    void pagingStaysFastDeepIntoDataset();
    void statsCountKindsLanguagesAndAnnotations();
    void rankingsKeepEveryAnnotatorWithTies();
    void labelsAreReplacedPerAnnotator();

private:
    std::string projectPath(const char* name = "test.vietllm") const {
        return m_dir->filePath(QString::fromLatin1(name)).toStdString();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestProjectStore::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestProjectStore::createdProjectHasCurrentSchemaAndWal() {
    const std::string path = projectPath();
    {
        store::ProjectStore project = store::ProjectStore::create(path, false);
        QCOMPARE(project.schemaVersion(), store::supportedSchemaVersion());
        QCOMPARE(project.database().queryInt("PRAGMA application_id"), std::int64_t{store::kApplicationId});
        QCOMPARE(project.database().queryInt("PRAGMA foreign_keys"), std::int64_t{1});
        QCOMPARE(project.database().queryInt("PRAGMA busy_timeout"),
                 std::int64_t{store::ProjectStore::kBusyTimeoutMs});
        store::Statement mode(project.database(), "PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(QString::fromStdString(mode.columnText(0)), QStringLiteral("wal"));
        project.createDataset("first");
    }
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".part." + std::to_string(::getpid()))));
    const store::ProjectStore reopened = store::ProjectStore::open(path, store::OpenMode::ReadOnly);
    QCOMPARE(reopened.schemaVersion(), store::supportedSchemaVersion());
    QCOMPARE(reopened.datasets().size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(reopened.datasets()[0].name), QStringLiteral("first"));
    QVERIFY(!reopened.datasets()[0].created_at.empty());
}

void TestProjectStore::createRefusesExistingFileUnlessOverwrite() {
    const std::string path = projectPath();
    store::ProjectStore::create(path, false).createDataset("kept");
    const std::string message = expectUserError([&] { store::ProjectStore::create(path, false); });
    QVERIFY2(contains(message, path) && contains(message, "already exists"), message.c_str());
    QCOMPARE(store::ProjectStore::open(path, store::OpenMode::ReadOnly).datasets().size(), std::size_t{1});
    const store::ProjectStore replaced = store::ProjectStore::create(path, true);
    QVERIFY(replaced.datasets().empty());
}

void TestProjectStore::newerSchemaIsRefusedNamingBothVersions() {
    const std::string path = projectPath();
    store::ProjectStore::create(path, false);
    const int newer = store::supportedSchemaVersion() + 1;
    {
        store::Database raw(path, store::OpenMode::ReadWrite, 1000);
        raw.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    for (const store::OpenMode mode : {store::OpenMode::ReadWrite, store::OpenMode::ReadOnly}) {
        const std::string message = expectUserError([&] { store::ProjectStore::open(path, mode); });
        QVERIFY2(contains(message, path), message.c_str());
        QVERIFY2(contains(message, "version " + std::to_string(newer)), message.c_str());
        QVERIFY2(contains(message, "version " + std::to_string(store::supportedSchemaVersion())),
                 message.c_str());
    }
    store::Database raw(path, store::OpenMode::ReadOnly, 1000);
    QCOMPARE(raw.queryInt("PRAGMA user_version"), std::int64_t{newer});
}

void TestProjectStore::emptyFileIsRefusedAndVersionZeroDatabaseMigrates() {
    const std::string empty_file = projectPath("empty.vietllm");
    writeFile(QString::fromStdString(empty_file), {});
    const std::string empty_message =
        expectUserError([&] { store::ProjectStore::open(empty_file, store::OpenMode::ReadWrite); });
    QVERIFY2(contains(empty_message, "empty file") && contains(empty_message, empty_file),
             empty_message.c_str());
    QCOMPARE(QFileInfo(QString::fromStdString(empty_file)).size(), qint64{0});

    const std::string bare_database = projectPath("bare.vietllm");
    {
        store::Database raw(bare_database, store::OpenMode::CreateReadWrite, 1000);
        raw.exec("PRAGMA page_size = 4096; VACUUM");
        QCOMPARE(raw.queryInt("PRAGMA user_version"), std::int64_t{0});
    }
    const std::string message =
        expectUserError([&] { store::ProjectStore::open(bare_database, store::OpenMode::ReadOnly); });
    QVERIFY2(contains(message, "read-only") && contains(message, "version 0"), message.c_str());
    store::ProjectStore migrated = store::ProjectStore::open(bare_database, store::OpenMode::ReadWrite);
    QCOMPARE(migrated.schemaVersion(), store::supportedSchemaVersion());
    migrated.createDataset("works");
    QCOMPARE(migrated.datasets().size(), std::size_t{1});
}

void TestProjectStore::versionThreeProjectGainsCachedCounts() {
    // A project as version 3 wrote it, with records and messages but no dataset_count table.
    const std::string path = projectPath("v3.vietllm");
    {
        store::Database raw(path, store::OpenMode::CreateReadWrite, 1000);
        const std::vector<store::Migration>& all = store::projectMigrations();
        store::migrate(raw, std::vector<store::Migration>(all.begin(), all.begin() + 3));
        QCOMPARE(raw.queryInt("PRAGMA user_version"), std::int64_t{3});
        raw.exec(
            "INSERT INTO dataset (name) VALUES ('a'), ('b');"
            "INSERT INTO record (dataset_id, kind) VALUES (1, 'conversation'), (1, 'conversation'), "
            "(2, 'conversation');"
            "INSERT INTO message (record_id, position, role, content, lang) VALUES (1, 0, 'user', 'x', "
            "'vi'), "
            "(1, 1, 'assistant', 'y', NULL), (2, 0, 'user', 'z', 'en'), (3, 0, 'user', 'w', '');");
    }
    store::ProjectStore project = store::ProjectStore::open(path, store::OpenMode::ReadWrite);
    QCOMPARE(project.schemaVersion(), store::supportedSchemaVersion());
    // Version 5's language index lists every language, without empty or missing codes.
    QCOMPARE(store::filterChoices(project).languages, (std::vector<std::string>{"en", "vi"}));
    const std::int64_t a = project.requireDataset("a").id;
    const std::int64_t b = project.requireDataset("b").id;
    QCOMPARE(project.recordCount(a), std::int64_t{2});
    QCOMPARE(project.messageCount(a), std::int64_t{3});
    QCOMPARE(project.recordCount(b), std::int64_t{1});
    QCOMPARE(project.messageCount(b), std::int64_t{1});
    // From now on the triggers keep the counts: an import, a new dataset, a deleted record.
    store::ImportSession session(project, {"a", "more", "test", true});
    session.add(conversation({{Role::User, "một"}, {Role::Assistant, "hai"}}));
    session.commit();
    QCOMPARE(project.recordCount(a), std::int64_t{3});
    QCOMPARE(project.messageCount(a), std::int64_t{5});
    const std::int64_t c = project.createDataset("c");
    QCOMPARE(project.recordCount(c), std::int64_t{0});
    project.database().exec("DELETE FROM record WHERE id = 1");
    QCOMPARE(project.recordCount(a), std::int64_t{2});
    QCOMPARE(project.messageCount(a), std::int64_t{3});
}

void TestProjectStore::migrationStepsAreAllOrNothing() {
    const std::string path = projectPath("steps.sqlite");
    store::Database db(path, store::OpenMode::CreateReadWrite, 1000);
    const std::vector<store::Migration> good = {{1, "first", "CREATE TABLE a (x INTEGER);"}};
    store::migrate(db, good);
    QCOMPARE(db.queryInt("PRAGMA user_version"), std::int64_t{1});

    std::vector<store::Migration> broken = good;
    broken.push_back({2, "second", "CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1);"});
    QVERIFY_THROWS_EXCEPTION(std::exception, store::migrate(db, broken));
    QCOMPARE(db.queryInt("PRAGMA user_version"), std::int64_t{1});
    QCOMPARE(db.queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'b'"), std::int64_t{0});

    broken.back().sql = "CREATE TABLE b (x INTEGER);";
    broken.push_back({3, "third", "ALTER TABLE b ADD COLUMN y TEXT;"});
    store::migrate(db, broken);
    QCOMPARE(db.queryInt("PRAGMA user_version"), std::int64_t{3});
    QCOMPARE(db.queryInt("SELECT count(*) FROM pragma_table_info('b')"), std::int64_t{2});
    store::migrate(db, broken);  // already current: nothing runs twice
    QCOMPARE(db.queryInt("PRAGMA user_version"), std::int64_t{3});
}

void TestProjectStore::foreignFilesAreRefused() {
    const std::string text_file = projectPath("notes.vietllm");
    writeFile(QString::fromStdString(text_file),
              QByteArray("this is not a database, just text\n").repeated(200));
    std::string message =
        expectUserError([&] { store::ProjectStore::open(text_file, store::OpenMode::ReadWrite); });
    QVERIFY2(contains(message, text_file) && contains(message, "not an SQLite database"), message.c_str());

    const std::string other_app = projectPath("other.sqlite");
    {
        store::Database raw(other_app, store::OpenMode::CreateReadWrite, 1000);
        raw.exec("CREATE TABLE contacts (name TEXT)");
    }
    message = expectUserError([&] { store::ProjectStore::open(other_app, store::OpenMode::ReadWrite); });
    QVERIFY2(contains(message, other_app) && contains(message, "not a vietllm project"), message.c_str());
    store::Database raw(other_app, store::OpenMode::ReadOnly, 1000);
    QCOMPARE(raw.queryInt("SELECT count(*) FROM sqlite_schema"), std::int64_t{1});  // left untouched

    message = expectUserError(
        [&] { store::ProjectStore::open(m_dir->path().toStdString(), store::OpenMode::ReadOnly); });
    QVERIFY2(contains(message, "folder"), message.c_str());
}

void TestProjectStore::missingFileIsNamed() {
    const std::string path = projectPath("absent.vietllm");
    const std::string message =
        expectUserError([&] { store::ProjectStore::open(path, store::OpenMode::ReadOnly); });
    QVERIFY2(contains(message, path) && contains(message, "no such project"), message.c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(path)));
    const std::string in_missing_folder = projectPath("no/such/folder/p.vietllm");
    const std::string create_message =
        expectUserError([&] { store::ProjectStore::create(in_missing_folder, false); });
    QVERIFY2(contains(create_message, in_missing_folder), create_message.c_str());
}

void TestProjectStore::readOnlyProjectRefusesWrites() {
    const std::string path = projectPath();
    {
        store::ProjectStore project = store::ProjectStore::create(path, false);
        importRecords(project, "kept", {conversation({{Role::User, "xin chào"}})});
    }
    store::ProjectStore read_only = store::ProjectStore::open(path, store::OpenMode::ReadOnly);
    QCOMPARE(read_only.recordCount(read_only.requireDataset("kept").id), std::int64_t{1});
    for (const auto& write : std::vector<std::function<void()>>{
             [&] { read_only.createDataset("new"); },
             [&] {
                 importRecords(read_only, "new", {conversation({{Role::User, "chào"}})});
             },
             [&] { store::Annotations(read_only).addAnnotator("lan", store::AnnotatorKind::Human); },
             [&] { read_only.deleteDataset(1); }}) {
        const std::string message = expectUserError(write);
        QVERIFY2(contains(message, path) && contains(message, "read-only"), message.c_str());
    }
    QCOMPARE(read_only.datasets().size(), std::size_t{1});
    if (::geteuid() == 0) {
        qInfo("running as root, whom file permissions do not stop: write-protected file case not checked");
        return;
    }
    QVERIFY(QFile::setPermissions(QString::fromStdString(path), QFile::ReadOwner));
    const std::string message =
        expectUserError([&] { store::ProjectStore::open(path, store::OpenMode::ReadWrite); });
    QVERIFY2(contains(message, path) && contains(message, "read-only"), message.c_str());
}

void TestProjectStore::conversationRoundTrips() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const data::Conversation full = conversation({{Role::System, "Bạn là trợ lý hữu ích."},
                                                  {Role::User, "Hoa\xCC\x80 Bi\xCC\x80nh o\xCC\x89 đâu? 😀"},
                                                  {Role::Assistant, "Ở miền Bắc.\nDòng hai."},
                                                  {Role::User, ""},
                                                  {Role::Assistant, "Vâng."}});
    data::Conversation bare;
    bare.messages = {{Role::User, "hello"}, {Role::Assistant, "hi"}};
    const store::ImportSummary summary = importRecords(project, "chats", {full, bare});
    QCOMPARE(summary.records, std::size_t{2});
    QCOMPARE(summary.messages, std::size_t{7});
    const std::vector<store::StoredRecord> page = project.records(summary.dataset_id, 0, 10);
    QCOMPARE(page.size(), std::size_t{2});
    QCOMPARE(jsonOf(page[0].record), jsonOf(full));
    QCOMPARE(jsonOf(page[1].record), jsonOf(bare));
    // Stored text is byte-exact: the NFD input is not normalized by storing it.
    QCOMPARE(std::get<data::Conversation>(page[0].record).messages[1].content, full.messages[1].content);
    QCOMPARE(jsonOf(project.record(page[1].id).record), jsonOf(bare));
    QCOMPARE(page[0].dataset_id, summary.dataset_id);
    const std::string message = expectUserError([&] { project.record(page[1].id + 100); });
    QVERIFY2(contains(message, "no record"), message.c_str());
}

void TestProjectStore::preferencePairRoundTrips() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const data::PreferencePair rated = samplePair();
    data::PreferencePair implicit_prompt;
    implicit_prompt.chosen = "Tốt";
    implicit_prompt.rejected = "Tệ";
    const store::ImportSummary summary = importRecords(project, "pairs", {rated, implicit_prompt});
    QCOMPARE(summary.messages, std::size_t{6});
    const std::vector<store::StoredRecord> page = project.records(summary.dataset_id, 0, 10);
    QCOMPARE(page.size(), std::size_t{2});
    QCOMPARE(jsonOf(page[0].record), jsonOf(rated));
    QCOMPARE(jsonOf(page[1].record), jsonOf(implicit_prompt));
    const auto& pair = std::get<data::PreferencePair>(page[0].record);
    QCOMPARE(pair.chosen_rating.value_or(-1), 9.5);
    QCOMPARE(pair.rejected_rating.value_or(-1), 2.0);
    QVERIFY(!std::get<data::PreferencePair>(page[1].record).chosen_rating);
}

void TestProjectStore::conversationTreeRoundTripsWithRanksAndOrder() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const data::ConversationTree tree = sampleTree();
    const store::ImportSummary summary = importRecords(project, "trees", {tree});
    QCOMPARE(summary.messages, std::size_t{6});
    const std::vector<store::StoredRecord> page = project.records(summary.dataset_id, 0, 1);
    QCOMPARE(jsonOf(page.at(0).record), jsonOf(tree));
    const auto& stored = std::get<data::ConversationTree>(page[0].record);
    QCOMPARE(QString::fromStdString(stored.tree_id), QStringLiteral("tree-1"));
    QCOMPARE(stored.root.replies.size(), std::size_t{3});
    QCOMPARE(QString::fromStdString(stored.root.replies[0].id), QStringLiteral("m1"));
    QCOMPARE(QString::fromStdString(stored.root.replies[1].id), QStringLiteral("m2"));
    QCOMPARE(QString::fromStdString(stored.root.replies[2].id), QStringLiteral("m3"));
    QCOMPARE(stored.root.replies[1].rank.value_or(-1), 0);
    QCOMPARE(stored.root.replies[2].rank.value_or(-1), 2);
    QVERIFY(!stored.root.rank);
    QCOMPARE(QString::fromStdString(stored.root.replies[1].replies.at(0).replies.at(0).id),
             QStringLiteral("m5"));
    QCOMPARE(stored.root.replies[0].metadata["emojis"]["+1"].get<int>(), 2);
}

void TestProjectStore::deepTreeRoundTripsWithoutRecursion() {
    constexpr int kDepth = 3000;
    data::ConversationTree tree;
    tree.tree_id = "deep";
    tree.root = node("n0", Role::User, "gốc", std::nullopt);
    data::TreeNode* tip = &tree.root;
    for (int i = 1; i < kDepth; ++i) {
        tip->replies.push_back(node("n" + std::to_string(i), i % 2 ? Role::Assistant : Role::User,
                                    "lượt " + std::to_string(i), std::nullopt));
        tip = &tip->replies.back();
    }
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const store::ImportSummary summary = importRecords(project, "deep", {tree});
    QCOMPARE(summary.messages, std::size_t{kDepth});
    const store::StoredRecord stored = project.record(project.records(summary.dataset_id, 0, 1).at(0).id);
    const data::TreeNode* walk = &std::get<data::ConversationTree>(stored.record).root;
    for (int i = 0; i < kDepth; ++i) {
        QCOMPARE(walk->id, "n" + std::to_string(i));
        QCOMPARE(walk->replies.size(), std::size_t{i + 1 < kDepth ? 1u : 0u});
        if (!walk->replies.empty()) {
            walk = &walk->replies.front();
        }
    }
}

void TestProjectStore::failedRecordRollsBackWholeImport() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    importRecords(project, "before", {conversation({{Role::User, "câu hỏi cũ"}})});
    const std::int64_t messages_before = project.database().queryInt("SELECT count(*) FROM message");
    data::Conversation bad = conversation({{Role::User, "câu hỏi mới"}, {Role::Assistant, "trả lời"}});
    bad.messages[1].role = Role::Invalid;
    for (const bool append : {false, true}) {
        const std::string dataset = append ? "before" : "broken";
        store::ImportSession session(project, {dataset, "input.jsonl", "messages", append});
        session.add(conversation({{Role::User, "độc nhất vô nhị"}}), 1);
        session.add(sampleTree(), 2);
        const std::string message = expectUserError([&] { session.add(bad, 7); });
        QVERIFY2(contains(message, "input.jsonl:7") && contains(message, "role"), message.c_str());
    }
    QCOMPARE(project.datasets().size(), std::size_t{1});
    QCOMPARE(project.recordCount(project.requireDataset("before").id), std::int64_t{1});
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM message"), messages_before);
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM import_run"), std::int64_t{1});
    QVERIFY(searchTexts(project, "độc nhất", false).empty());
    QCOMPARE(searchTexts(project, "cũ", false).size(), std::size_t{1});
}

void TestProjectStore::badLineInFileLeavesProjectUnchanged() {
    const QString input = m_dir->filePath(QStringLiteral("chats.jsonl"));
    const QByteArray good =
        R"({"messages":[{"role":"user","content":"Chào"},{"role":"assistant","content":"Xin chào!"}]})";
    writeFile(input, good + "\n" + good + "\n" + "{\"messages\": [broken\n" + good + "\n");
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    store::FileImportRequest request;
    request.input_path = input.toStdString();
    request.format = data::Format::Messages;
    const std::string message = expectUserError([&] { store::importFile(project, request); });
    QVERIFY2(contains(message, request.input_path + ":3"), message.c_str());
    QVERIFY(project.datasets().empty());
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM record"), std::int64_t{0});

    std::vector<std::size_t> bad_lines;
    request.skip_bad = true;
    request.on_bad_line = [&](const data::BadLine& bad_line) { bad_lines.push_back(bad_line.line_number); };
    const store::ImportSummary summary = store::importFile(project, request);
    QCOMPARE(summary.records, std::size_t{3});
    QCOMPARE(summary.skipped, std::size_t{1});
    QCOMPARE(bad_lines, std::vector<std::size_t>{3});
    QCOMPARE(QString::fromStdString(project.datasets().at(0).name), QStringLiteral("chats"));
    const nlohmann::json imports = project.stats()["datasets"][0]["imports"];
    QCOMPARE(imports.size(), std::size_t{1});
    QCOMPARE(imports[0]["skipped"].get<int>(), 1);
    QCOMPARE(imports[0]["records"].get<int>(), 3);
    QCOMPARE(QString::fromStdString(imports[0]["format"].get<std::string>()), QStringLiteral("messages"));
}

void TestProjectStore::existingDatasetNeedsAppend() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    importRecords(project, "set", {samplePair()});
    const std::string message = expectUserError([&] { importRecords(project, "set", {samplePair()}); });
    QVERIFY2(contains(message, "'set' already exists"), message.c_str());
    QCOMPARE(project.recordCount(project.requireDataset("set").id), std::int64_t{1});
    importRecords(project, "set", {samplePair()}, true);
    QCOMPARE(project.recordCount(project.requireDataset("set").id), std::int64_t{2});
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM provenance"), std::int64_t{1});
    QCOMPARE(QString::fromStdString(store::defaultDatasetName("/data/en_hh_rlhf_test.jsonl.gz")),
             QStringLiteral("en_hh_rlhf_test"));
    QCOMPARE(QString::fromStdString(store::defaultDatasetName("alpaca.json")), QStringLiteral("alpaca"));
}

namespace {

// Compares two Open-Assistant trees message by message (id, role, text, rank, replies in
// order); returns the first difference, or an empty string, and counts the messages compared.
std::string firstTreeDifference(const nlohmann::json& expected, const nlohmann::json& actual,
                                std::size_t& messages_compared) {
    if (expected.at("message_tree_id") != actual.at("message_tree_id")) {
        return "tree id";
    }
    std::vector<std::pair<const nlohmann::json*, const nlohmann::json*>> pending = {
        {&expected.at("prompt"), &actual.at("prompt")}};
    while (!pending.empty()) {
        const auto [want, got] = pending.back();
        pending.pop_back();
        ++messages_compared;
        const std::string id = want->at("message_id").dump();
        for (const char* field : {"message_id", "role", "text", "rank"}) {
            if (want->contains(field) != got->contains(field) ||
                (want->contains(field) && want->at(field) != got->at(field))) {
                return "message " + id + ": field " + field;
            }
        }
        const nlohmann::json empty = nlohmann::json::array();
        const nlohmann::json& want_replies = want->contains("replies") ? want->at("replies") : empty;
        const nlohmann::json& got_replies = got->contains("replies") ? got->at("replies") : empty;
        if (want_replies.size() != got_replies.size()) {
            return "message " + id + ": number of replies";
        }
        for (std::size_t i = 0; i < want_replies.size(); ++i) {
            pending.emplace_back(&want_replies[i], &got_replies[i]);
        }
    }
    return {};
}

// Vietnamese texts whose search behaviour the search tests check.
std::vector<data::Record> searchCorpus() {
    return {
        conversation({{Role::User, "Hòa Bình là một tỉnh miền núi."},
                      {Role::Assistant, "Hóa học là môn khoa học tự nhiên."}}),
        conversation({{Role::User, "Chiếc đồng hồ này rất đẹp."}, {Role::Assistant, "ĐỒNG NAI có cao su."}}),
        conversation({{Role::User, "The dong is the currency of Vietnam."},
                      {Role::Assistant,
                       "Ho\xCC\x80"
                       "a thuận là tên một xã."}})};
}

}  // namespace

void TestProjectStore::searchIgnoringDiacriticsFindsVietnamese() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    importRecords(project, "vi", searchCorpus());
    QCOMPARE(searchTexts(project, "hoa binh", true),
             std::vector<std::string>{"Hòa Bình là một tỉnh miền núi."});
    QCOMPARE(searchTexts(project, "dong", true),
             (std::vector<std::string>{"Chiếc đồng hồ này rất đẹp.", "The dong is the currency of Vietnam.",
                                       "ĐỒNG NAI có cao su."}));
    const std::vector<std::string> hoa = searchTexts(project, "hoa", true);
    QCOMPARE(hoa.size(), std::size_t{3});  // Hòa Bình, Hóa học, Hòa thuận (stored decomposed)
    QCOMPARE(searchTexts(project, "hóa", true), hoa);  // the query loses its marks too
    QCOMPARE(searchTexts(project, "DONG NAI", true), std::vector<std::string>{"ĐỒNG NAI có cao su."});
}

void TestProjectStore::searchWithDiacriticsDistinguishesTones() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    importRecords(project, "vi", searchCorpus());
    const std::vector<std::string> hoa_grave = searchTexts(project, "hòa", false);
    QCOMPARE(hoa_grave,
             (std::vector<std::string>{"Hòa Bình là một tỉnh miền núi.", "Hòa thuận là tên một xã."}));
    QCOMPARE(searchTexts(project, "HÒA", false), hoa_grave);
    QCOMPARE(searchTexts(project, "hóa", false),
             std::vector<std::string>{"Hóa học là môn khoa học tự nhiên."});
    QCOMPARE(searchTexts(project, "đồng", false),
             (std::vector<std::string>{"Chiếc đồng hồ này rất đẹp.", "ĐỒNG NAI có cao su."}));
    QCOMPARE(searchTexts(project, "dong", false),
             std::vector<std::string>{"The dong is the currency of Vietnam."});
    QVERIFY(searchTexts(project, "hoa binh", false).empty());
}

void TestProjectStore::searchReportsMatchSpansAndFilters() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    importRecords(project, "vi", searchCorpus());
    const store::ImportSummary other =
        importRecords(project, "other", {conversation({{Role::User, "Tôi ở Hòa Bình."}})});

    store::SearchOptions options;
    options.ignore_diacritics = true;
    options.dataset_id = project.requireDataset("vi").id;
    std::vector<store::SearchHit> hits = project.search("hoa binh", options);
    QCOMPARE(hits.size(), std::size_t{1});
    QCOMPARE(hits[0].role, Role::User);
    QCOMPARE(hits[0].matches, (std::vector<store::CodePointSpan>{{0, 3}, {4, 8}}));
    QCOMPARE(QString::fromStdString(store::searchSnippet(hits[0].text, hits[0].matches, 100, "[", "]")),
             QStringLiteral("[Hòa] [Bình] là một tỉnh miền núi."));
    QCOMPARE(QString::fromStdString(store::searchSnippet(hits[0].text, hits[0].matches, 4, "[", "]")),
             QStringLiteral("[Hòa] [Bình]…"));
    QCOMPARE(project.record(hits[0].record_id).dataset_id, options.dataset_id.value());

    options.dataset_id = other.dataset_id;
    hits = project.search("hoa binh", options);
    QCOMPARE(hits.size(), std::size_t{1});
    QCOMPARE(hits[0].matches, (std::vector<store::CodePointSpan>{{6, 9}, {10, 14}}));
    QCOMPARE(QString::fromStdString(store::searchSnippet(hits[0].text, hits[0].matches, 2, "[", "]")),
             QStringLiteral("…ở [Hòa] [Bình]…"));

    options = {};
    QCOMPARE(project.search("hòa", options).size(), std::size_t{3});
    options.limit = 1;
    QCOMPARE(project.search("hòa", options).size(), std::size_t{1});
    QCOMPARE(searchTexts(project, "đồ*", false).size(), std::size_t{2});
    QCOMPARE(searchTexts(project, "\"tỉnh miền\"", false).size(), std::size_t{1});
    QVERIFY(searchTexts(project, "\"miền tỉnh\"", false).empty());
}

void TestProjectStore::searchAcceptsAnyUserText() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    importRecords(project, "vi", searchCorpus());
    for (const char* query :
         {"OR", "\"unbalanced", "a:b", "NEAR(hòa bình)", "*", "^hoa", "-", "hòa AND", "("}) {
        try {
            searchTexts(project, query, false);
            searchTexts(project, query, true);
        } catch (const std::exception& error) {
            QFAIL(
                qPrintable(QStringLiteral("query %1 threw: %2").arg(QString::fromUtf8(query), error.what())));
        }
    }
    QCOMPARE(searchTexts(project, "NEAR(hòa bình)", false).size(), std::size_t{0});
    for (const char* no_words : {"  \t ", "\"\"\"", "\"  \""}) {
        const std::string message = expectUserError([&] { searchTexts(project, no_words, false); });
        QVERIFY2(contains(message, "empty"), message.c_str());
    }
}

void TestProjectStore::deletingDatasetCleansIndex() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const store::ImportSummary gone = importRecords(project, "gone", searchCorpus());
    importRecords(project, "kept", {sampleTree()});
    store::Annotations annotations(project);
    const std::int64_t annotator = annotations.addAnnotator("lan", store::AnnotatorKind::Human);
    const std::int64_t record_id = project.records(gone.dataset_id, 0, 1).at(0).id;
    annotations.setLabel({record_id, std::nullopt, annotator, "quality", 0.5, ""});
    project.deleteDataset(gone.dataset_id);
    QVERIFY(searchTexts(project, "hoa", true).empty());
    QCOMPARE(searchTexts(project, "hà nội", false).size(), std::size_t{2});
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM label"), std::int64_t{0});
    QCOMPARE(project.database().queryInt("SELECT count(*) FROM message"), std::int64_t{6});
    project.database().exec("INSERT INTO message_fts (message_fts) VALUES ('integrity-check')");
    const std::string message = expectUserError([&] { project.deleteDataset(gone.dataset_id); });
    QVERIFY2(contains(message, "no dataset"), message.c_str());
}

void TestProjectStore::oasstTreesRoundTripThroughProject() {
    VIETLLM_REQUIRE_SAMPLE(input, "instruct/en_oasst_100_trees.jsonl");
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    store::FileImportRequest request;
    request.input_path = input.toStdString();
    request.format = data::Format::Oasst;
    const store::ImportSummary summary = store::importFile(project, request);
    QCOMPARE(summary.records, std::size_t{100});
    QCOMPARE(QString::fromStdString(project.datasets().at(0).name), QStringLiteral("en_oasst_100_trees"));

    const std::string output = m_dir->filePath(QStringLiteral("exported.jsonl")).toStdString();
    store::FileExportRequest export_request;
    export_request.output_path = output;
    export_request.format = data::Format::Oasst;
    const store::ExportSummary exported = store::exportFile(project, export_request);
    QCOMPARE(exported.records, std::size_t{100});
    QCOMPARE(exported.written, std::size_t{100});

    const std::vector<nlohmann::json> expected = testing::readJsonLines(request.input_path);
    const std::vector<nlohmann::json> actual = testing::readJsonLines(output);
    QCOMPARE(actual.size(), expected.size());
    std::size_t messages = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const std::string difference = firstTreeDifference(expected[i], actual[i], messages);
        QVERIFY2(difference.empty(), ("tree " + std::to_string(i) + ": " + difference).c_str());
    }
    QCOMPARE(messages, summary.messages);
    QCOMPARE(project.messageCount(summary.dataset_id), static_cast<std::int64_t>(messages));
    // Every other field (review counts, emojis, labels, tree_state...) survives as well.
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QVERIFY2(expected[i] == actual[i],
                 ("tree " + std::to_string(i) + " differs outside the compared fields").c_str());
    }
}

namespace {

std::string firstContent(const store::StoredRecord& stored) {
    return std::get<data::Conversation>(stored.record).messages.at(0).content;
}

std::vector<data::Record> numbered(const std::string& prefix, int from, int to) {
    std::vector<data::Record> records;
    for (int i = from; i < to; ++i) {
        data::Conversation item;
        item.messages = {{Role::User, prefix + " " + std::to_string(i)}, {Role::Assistant, "ok"}};
        records.emplace_back(std::move(item));
    }
    return records;
}

}  // namespace

void TestProjectStore::pagingByOffsetAndKeyset() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::int64_t a = importRecords(project, "A", numbered("A", 0, 300)).dataset_id;
    const std::int64_t b = importRecords(project, "B", numbered("B", 0, 50)).dataset_id;
    importRecords(project, "A", numbered("A", 300, 600), true);
    QCOMPARE(project.recordCount(a), std::int64_t{600});
    QCOMPARE(project.recordCount(b), std::int64_t{50});
    QCOMPARE(project.messageCount(a), std::int64_t{1200});

    const std::vector<store::StoredRecord> page = project.records(a, 295, 10);  // spans B's ids
    QCOMPARE(page.size(), std::size_t{10});
    for (std::size_t i = 0; i < page.size(); ++i) {
        QCOMPARE(firstContent(page[i]), "A " + std::to_string(295 + i));
        QCOMPARE(page[i].dataset_id, a);
    }
    const std::vector<store::StoredRecord> next = project.recordsAfter(a, page.back().id, 5);
    QCOMPARE(next.size(), std::size_t{5});
    QCOMPARE(firstContent(next.front()), std::string("A 305"));
    QCOMPARE(firstContent(project.records(a, 599, 10).at(0)), std::string("A 599"));
    QVERIFY(project.records(a, 600, 10).empty());
    QCOMPARE(firstContent(project.records(a, -5, 2).at(0)), std::string("A 0"));
    QVERIFY(project.records(a, 0, 0).empty());
    QVERIFY(project.records(a + b + 100, 0, 10).empty());

    int visited = 0;
    project.forEachRecord(a, [&](store::StoredRecord&& stored) {
        QCOMPARE(firstContent(stored), "A " + std::to_string(visited));
        ++visited;
    });
    QCOMPARE(visited, 600);
}

void TestProjectStore::pagingStaysFastDeepIntoDataset() {
    constexpr int kRecords = 20000;
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    QElapsedTimer timer;
    timer.start();
    const std::int64_t dataset =
        importRecords(project, "big", numbered("câu hỏi số", 0, kRecords)).dataset_id;
    const qint64 import_ms = timer.elapsed();

    timer.restart();
    const std::vector<store::StoredRecord> deep = project.records(dataset, kRecords - 100, 100);
    const qint64 offset_page_ms = timer.elapsed();
    timer.restart();
    const std::vector<store::StoredRecord> keyset = project.recordsAfter(dataset, deep.front().id - 1, 100);
    const qint64 keyset_page_ms = timer.elapsed();
    qInfo(
        "import of %d records (2 messages each): %lld ms; page of 100 at offset %d: %lld ms; keyset page: "
        "%lld ms",
        kRecords, import_ms, kRecords - 100, offset_page_ms, keyset_page_ms);
    QCOMPARE(deep.size(), std::size_t{100});
    QCOMPARE(firstContent(deep.back()), "câu hỏi số " + std::to_string(kRecords - 1));
    QCOMPARE(keyset.size(), std::size_t{100});
    QCOMPARE(keyset.front().id, deep.front().id);
    QVERIFY2(offset_page_ms < 1000 && keyset_page_ms < 1000, "paging must not scan the whole dataset");

    // The paging queries must be index range scans, with no sort of the dataset.
    store::Statement plan(project.database(),
                          "EXPLAIN QUERY PLAN SELECT id FROM record WHERE dataset_id = 1 ORDER BY id "
                          "LIMIT 10 OFFSET 100");
    std::string details;
    while (plan.step()) {
        details += plan.columnText(3) + "; ";
    }
    QVERIFY2(contains(details, "INDEX record_dataset") && !contains(details, "TEMP B-TREE"), details.c_str());
}

void TestProjectStore::statsCountKindsLanguagesAndAnnotations() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::int64_t mixed =
        importRecords(project, "mixed",
                      {conversation({{Role::User, "a"}, {Role::Assistant, "b"}}), sampleTree(), samplePair()})
            .dataset_id;
    importRecords(project, "empty-ish", {samplePair()});
    store::Annotations annotations(project);
    const std::int64_t lan = annotations.addAnnotator("lan", store::AnnotatorKind::Human);
    annotations.addAnnotator("judge-model", store::AnnotatorKind::Model);
    const std::int64_t tree_record = project.records(mixed, 1, 1).at(0).id;
    annotations.setLabel({tree_record, std::nullopt, lan, "quality", 4, ""});
    const std::int64_t root = project.database().queryInt("SELECT id FROM message WHERE external_id = 'm0'");
    const std::int64_t task = annotations.createRankingTask(root, 1);
    const std::vector<std::int64_t> candidates = annotations.rankingCandidates(task);
    annotations.submitRanking(task, lan, {{candidates[1]}, {candidates[0], candidates[2]}}, false);

    const nlohmann::json stats = project.stats();
    QCOMPARE(stats["schema_version"].get<int>(), store::supportedSchemaVersion());
    QCOMPARE(stats["datasets"].size(), std::size_t{2});
    const nlohmann::json& first = stats["datasets"][0];
    QCOMPARE(QString::fromStdString(first["name"].get<std::string>()), QStringLiteral("mixed"));
    QCOMPARE(first["records"].get<int>(), 3);
    QCOMPARE(first["messages"].get<int>(), 2 + 6 + 4);
    QCOMPARE(first["kinds"], (nlohmann::json{{"conversation", 1}, {"preference", 1}, {"tree", 1}}));
    QCOMPARE(first["languages"], (nlohmann::json{{"und", 6}, {"vi", 6}}));
    QCOMPARE(first["roles"], (nlohmann::json{{"assistant", 7}, {"system", 1}, {"user", 4}}));
    QCOMPARE(first["labels"].get<int>(), 1);
    QCOMPARE(first["rankings"].get<int>(), 1);
    QCOMPARE(stats["datasets"][1]["rankings"].get<int>(), 0);
    QCOMPARE(stats["totals"]["records"].get<int>(), 4);
    QCOMPARE(stats["totals"]["messages"].get<int>(), 16);
    QCOMPARE(stats["annotators"].size(), std::size_t{2});
    QCOMPARE(QString::fromStdString(stats["annotators"][1]["kind"].get<std::string>()),
             QStringLiteral("model"));
    QCOMPARE(stats["annotators"][0]["rankings"].get<int>(), 1);
    QCOMPARE(stats["ranking_tasks"], (nlohmann::json{{"done", 1}}));
    QCOMPARE(stats["labels"].get<int>(), 1);
    QCOMPARE(stats["models"].get<int>(), 0);
}

void TestProjectStore::rankingsKeepEveryAnnotatorWithTies() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    importRecords(project, "trees", {sampleTree()});
    const auto message_id = [&](const char* external_id) {
        store::Statement find(project.database(), "SELECT id FROM message WHERE external_id = ?");
        find.bindText(1, external_id).step();
        return find.columnInt(0);
    };
    store::Annotations annotations(project);
    const std::int64_t alice = annotations.addAnnotator("alice", store::AnnotatorKind::Human);
    const std::int64_t bob = annotations.addAnnotator("bob", store::AnnotatorKind::Human);
    const std::int64_t carol = annotations.addAnnotator("carol", store::AnnotatorKind::Human);
    QVERIFY2(contains(expectUserError([&] { annotations.addAnnotator("bob", store::AnnotatorKind::Model); }),
                      "already exists"),
             "duplicate annotator accepted");
    const std::int64_t m1 = message_id("m1");
    const std::int64_t m2 = message_id("m2");
    const std::int64_t m3 = message_id("m3");
    const std::int64_t task = annotations.createRankingTask(message_id("m0"), 2);
    QCOMPARE(annotations.rankingCandidates(task), (std::vector<std::int64_t>{m1, m2, m3}));
    QVERIFY(contains(expectUserError([&] { annotations.createRankingTask(message_id("m5"), 2); }),
                     "fewer than two"));

    annotations.submitRanking(task, alice, {{m3}, {m1}, {m2}}, false);
    annotations.submitRanking(task, alice, {{m2}, {m1}, {m3}}, false);  // replaces alice's first ranking
    QCOMPARE(QString::fromStdString(annotations.taskStatus(task)), QStringLiteral("open"));
    annotations.submitRanking(task, bob, {{m2, m1}, {m3}}, false);
    QCOMPARE(QString::fromStdString(annotations.taskStatus(task)), QStringLiteral("done"));
    annotations.submitRanking(task, carol, {}, true);

    const std::vector<store::RankingVote> votes = annotations.rankings(task);
    QCOMPARE(votes.size(), std::size_t{3});
    QCOMPARE(votes[0].annotator_id, alice);
    QCOMPARE(votes[0].tiers, (store::RankingTiers{{m2}, {m1}, {m3}}));
    QCOMPARE(votes[1].tiers, (store::RankingTiers{{m1, m2}, {m3}}));  // tie, in display order
    QVERIFY(votes[2].not_rankable);
    QVERIFY(votes[2].tiers.empty());

    for (const store::RankingTiers& wrong :
         {store::RankingTiers{{m1}, {m2}}, store::RankingTiers{{m1}, {m1}, {m2}, {m3}},
          store::RankingTiers{{m1}, {}, {m2}, {m3}}, store::RankingTiers{{m1}, {m2}, {message_id("m4")}}}) {
        const std::string message =
            expectUserError([&] { annotations.submitRanking(task, bob, wrong, false); });
        QVERIFY2(message != "(no error)", "an invalid ranking was accepted");
    }
    QCOMPARE(annotations.rankings(task)[1].tiers, (store::RankingTiers{{m1, m2}, {m3}}));
}

void TestProjectStore::labelsAreReplacedPerAnnotator() {
    store::ProjectStore project = store::ProjectStore::create(projectPath(), false);
    const std::int64_t dataset = importRecords(project, "trees", {sampleTree(), sampleTree()}).dataset_id;
    const std::vector<store::StoredRecord> page = project.records(dataset, 0, 2);
    const std::int64_t record_id = page[0].id;
    const std::int64_t message_in_record = project.database().queryInt(
        "SELECT min(id) FROM message WHERE record_id = " + std::to_string(record_id));
    const std::int64_t message_elsewhere = project.database().queryInt(
        "SELECT min(id) FROM message WHERE record_id = " + std::to_string(page[1].id));
    store::Annotations annotations(project);
    const std::int64_t lan = annotations.addAnnotator("lan", store::AnnotatorKind::Human);
    annotations.setLabel({record_id, std::nullopt, lan, "spam", 0, ""});
    annotations.setLabel({record_id, message_in_record, lan, "spam", 1, "quảng cáo"});
    annotations.setLabel({record_id, std::nullopt, lan, "spam", 1, ""});
    const std::vector<store::LabelValue> labels = annotations.labels(record_id);
    QCOMPARE(labels.size(), std::size_t{2});
    QVERIFY(!labels[0].message_id);
    QCOMPARE(labels[0].value.value_or(-1), 1.0);
    QCOMPARE(labels[1].message_id.value_or(-1), message_in_record);
    QCOMPARE(QString::fromStdString(labels[1].text), QStringLiteral("quảng cáo"));
    const std::string message = expectUserError([&] {
        annotations.setLabel({record_id, message_elsewhere, lan, "spam", 1, ""});
    });
    QVERIFY2(contains(message, "is not in record"), message.c_str());
    QVERIFY(contains(expectUserError([&] {
                         annotations.setLabel({record_id, std::nullopt, lan + 9, "x", 1, ""});
                     }),
                     "no annotator"));
}

QTEST_GUILESS_MAIN(TestProjectStore)
#include "tst_project_store.moc"
