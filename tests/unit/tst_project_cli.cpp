// Tests of `vietllm-cli project ...` and tools/make_demo_project.sh: exit codes, messages that
// name the file and line, the Open-Assistant round trip through a project, stats and search.

#include "tests/common/test_support.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <string>
#include <vector>

using vietllm::testing::CliResult;
using vietllm::testing::runCli;

namespace {

std::vector<nlohmann::json> readJsonLines(const QString& path) {
    QFile file(path);
    std::vector<nlohmann::json> values;
    if (!file.open(QIODevice::ReadOnly)) {
        return values;
    }
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty()) {
            values.push_back(nlohmann::json::parse(line.toStdString()));
        }
    }
    return values;
}

// Creates `project` and imports `messages_file` (format messages) into it through the CLI.
bool initAndImportMessages(const QString& project, const QString& messages_file) {
    return runCli({QStringLiteral("project"), QStringLiteral("init"), project}).exit_code == 0 &&
           runCli({QStringLiteral("project"), QStringLiteral("import"), project, QStringLiteral("--format"),
                   QStringLiteral("messages"), messages_file})
                   .exit_code == 0;
}

nlohmann::json statsOf(const QString& project) {
    const CliResult result = runCli({QStringLiteral("project"), QStringLiteral("stats"), project});
    if (result.exit_code != 0) {
        return nlohmann::json();
    }
    return nlohmann::json::parse(result.standard_output.toStdString());
}

QString describe(const CliResult& result) {
    return QStringLiteral("exit %1, stderr: %2")
        .arg(result.exit_code)
        .arg(QString::fromUtf8(result.standard_error));
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

// The companions a project or its temporary copy may leave in `dir` (none must be left).
QStringList leftovers(const QString& dir) {
    return QDir(dir).entryList({QStringLiteral("*.part.*"), QStringLiteral("*-wal"), QStringLiteral("*-shm")},
                               QDir::Files);
}

// Runs tools/make_demo_project.sh; returns the exit code.
int runDemoScript(const QString& cli, const QString& project, const QString& data_dir, QByteArray* errors) {
    QProcess process;
    process.start(QStringLiteral("sh"),
                  {QStringLiteral(VIETLLM_SOURCE_DIR "/tools/make_demo_project.sh"), cli, project, data_dir});
    process.waitForFinished(120000);
    *errors = process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

const QByteArray kVietnameseChats =
    R"({"messages": [{"role": "user", "content": "Hòa Bình ở đâu?"}, {"role": "assistant", "content": "Hòa Bình là một tỉnh ở miền Bắc."}]}
{"messages": [{"role": "user", "content": "Hóa học là gì?"}, {"role": "assistant", "content": "Là khoa học về chất."}]}
)";

}  // namespace

class TestProjectCli : public QObject {
    Q_OBJECT

private slots:
    void init();
    void initRefusesToOverwriteWithoutForce();
    void oasstTreesRoundTripThroughCli();
    void statsDescribeDatasets();
    void importErrorsNameFileAndLineAndChangeNothing();
    void openErrorsNameTheFile();
    void exportFailuresLeaveNoFile();
    void searchPrintsHitsWithAndWithoutDiacritics();
    void demoScriptBuildsBuiltInSampleAtomically();
    void demoScriptImportsSharedSamples();

private:
    QString path(const QString& name) const { return m_dir->filePath(name); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestProjectCli::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestProjectCli::initRefusesToOverwriteWithoutForce() {
    const QString project = path(QStringLiteral("p.vietllm"));
    const QString chats = path(QStringLiteral("c.jsonl"));
    writeFile(chats, kVietnameseChats);
    CliResult result = runCli({QStringLiteral("project"), QStringLiteral("init"), project});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    QVERIFY(QFile::exists(project));
    result =
        runCli({QStringLiteral("project"), QStringLiteral("import"), project, QStringLiteral("--format"),
                QStringLiteral("messages"), QStringLiteral("--dataset"), QStringLiteral("chats"), chats});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));

    result = runCli({QStringLiteral("project"), QStringLiteral("init"), project});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains(project.toUtf8()) && result.standard_error.contains("--force"),
             result.standard_error.constData());
    QCOMPARE(statsOf(project)["totals"]["records"].get<int>(), 2);

    result = runCli({QStringLiteral("project"), QStringLiteral("init"), project, QStringLiteral("--force")});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    QCOMPARE(statsOf(project)["totals"]["records"].get<int>(), 0);
    QVERIFY(leftovers(m_dir->path()).isEmpty());
}

void TestProjectCli::oasstTreesRoundTripThroughCli() {
    VIETLLM_REQUIRE_SAMPLE(input, "instruct/en_oasst_100_trees.jsonl");
    const QString project = path(QStringLiteral("oasst.vietllm"));
    const QString output = path(QStringLiteral("out.jsonl"));
    QCOMPARE(runCli({QStringLiteral("project"), QStringLiteral("init"), project}).exit_code, 0);
    CliResult result = runCli({QStringLiteral("project"), QStringLiteral("import"), project,
                               QStringLiteral("--format"), QStringLiteral("oasst"), input});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    QVERIFY2(result.standard_error.contains("imported 100 records"), result.standard_error.constData());
    result = runCli({QStringLiteral("project"), QStringLiteral("export"), project, QStringLiteral("--format"),
                     QStringLiteral("oasst"), output});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));

    const std::vector<nlohmann::json> expected = readJsonLines(input);
    const std::vector<nlohmann::json> actual = readJsonLines(output);
    QCOMPARE(actual.size(), std::size_t{100});
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        // Structural equality of the whole tree: ids, roles, texts, ranks, replies in order and
        // every other field the export carries.
        QVERIFY2(expected[i] == actual[i], qPrintable(QStringLiteral("tree %1 differs").arg(i)));
    }
}

void TestProjectCli::statsDescribeDatasets() {
    const QString project = path(QStringLiteral("s.vietllm"));
    const QString chats = path(QStringLiteral("vi_chats.jsonl"));
    writeFile(chats, kVietnameseChats);
    QVERIFY(initAndImportMessages(project, chats));
    const nlohmann::json stats = statsOf(project);
    QCOMPARE(stats["datasets"].size(), std::size_t{1});
    const nlohmann::json& dataset = stats["datasets"][0];
    QCOMPARE(QString::fromStdString(dataset["name"].get<std::string>()), QStringLiteral("vi_chats"));
    QCOMPARE(dataset["records"].get<int>(), 2);
    QCOMPARE(dataset["messages"].get<int>(), 4);
    QCOMPARE(dataset["kinds"], (nlohmann::json{{"conversation", 2}}));
    QCOMPARE(dataset["roles"], (nlohmann::json{{"assistant", 2}, {"user", 2}}));
    QCOMPARE(QString::fromStdString(dataset["imports"][0]["source"].get<std::string>()), chats);
    QVERIFY(stats["annotators"].is_array());
    QCOMPARE(stats["rankings"].get<int>(), 0);
}

void TestProjectCli::importErrorsNameFileAndLineAndChangeNothing() {
    const QString project = path(QStringLiteral("e.vietllm"));
    const QString broken = path(QStringLiteral("broken.jsonl"));
    QByteArray lines = kVietnameseChats;
    lines.insert(lines.indexOf('\n') + 1, "{\"messages\": [oops]}\n");  // line 2 of 3
    writeFile(broken, lines);
    QCOMPARE(runCli({QStringLiteral("project"), QStringLiteral("init"), project}).exit_code, 0);
    const QStringList import = {QStringLiteral("project"),  QStringLiteral("import"),   project,
                                QStringLiteral("--format"), QStringLiteral("messages"), broken};
    CliResult result = runCli(import);
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains((broken + QStringLiteral(":2")).toUtf8()),
             result.standard_error.constData());
    QVERIFY(statsOf(project)["datasets"].empty());

    result = runCli(QStringList(import) << QStringLiteral("--skip-bad"));
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    QVERIFY2(result.standard_error.contains("1 bad lines skipped"), result.standard_error.constData());
    QCOMPARE(statsOf(project)["totals"]["records"].get<int>(), 2);

    result = runCli(QStringList(import) << QStringLiteral("--skip-bad"));  // same dataset name again
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("already exists"), result.standard_error.constData());
    result = runCli(QStringList(import) << QStringLiteral("--skip-bad") << QStringLiteral("--append"));
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    QCOMPARE(statsOf(project)["totals"]["records"].get<int>(), 4);

    result = runCli({QStringLiteral("project"), QStringLiteral("import"), project, QStringLiteral("--format"),
                     QStringLiteral("klingon"), broken});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("unknown format 'klingon'"), result.standard_error.constData());
    result = runCli({QStringLiteral("project"), QStringLiteral("import"), project, QStringLiteral("--format"),
                     QStringLiteral("messages"), path(QStringLiteral("absent.jsonl"))});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("absent.jsonl"), result.standard_error.constData());
    result = runCli({QStringLiteral("project"), QStringLiteral("import"), project, QStringLiteral("--format"),
                     QStringLiteral("messages")});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("expected FILE IN"), result.standard_error.constData());
}

void TestProjectCli::openErrorsNameTheFile() {
    const QString missing = path(QStringLiteral("missing.vietllm"));
    CliResult result = runCli({QStringLiteral("project"), QStringLiteral("stats"), missing});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(
        result.standard_error.contains(missing.toUtf8()) && result.standard_error.contains("no such project"),
        result.standard_error.constData());

    const QString text_file = path(QStringLiteral("notes.vietllm"));
    writeFile(text_file, QByteArray("plain text, not SQLite\n").repeated(100));
    result = runCli({QStringLiteral("project"), QStringLiteral("stats"), text_file});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains(text_file.toUtf8()) &&
                 result.standard_error.contains("not an SQLite database"),
             result.standard_error.constData());

    result = runCli({QStringLiteral("project"), QStringLiteral("frobnicate"), text_file});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("unknown subcommand"), result.standard_error.constData());
    QCOMPARE(runCli({QStringLiteral("project"), QStringLiteral("--help")}).exit_code, 0);
}

void TestProjectCli::exportFailuresLeaveNoFile() {
    const QString project = path(QStringLiteral("x.vietllm"));
    const QString chats = path(QStringLiteral("chats.jsonl"));
    writeFile(chats, kVietnameseChats);
    QVERIFY(initAndImportMessages(project, chats));
    const QString in_missing_folder = path(QStringLiteral("no/such/out.jsonl"));
    CliResult result = runCli({QStringLiteral("project"), QStringLiteral("export"), project,
                               QStringLiteral("--format"), QStringLiteral("messages"), in_missing_folder});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains(in_missing_folder.toUtf8()), result.standard_error.constData());

    const QString output = path(QStringLiteral("out.jsonl"));
    result =
        runCli({QStringLiteral("project"), QStringLiteral("export"), project, QStringLiteral("--format"),
                QStringLiteral("messages"), QStringLiteral("--dataset"), QStringLiteral("nope"), output});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("no dataset named 'nope'"), result.standard_error.constData());
    QVERIFY(!QFile::exists(output));

    result =
        runCli({QStringLiteral("project"), QStringLiteral("export"), project, QStringLiteral("--format"),
                QStringLiteral("messages"), QStringLiteral("--dataset"), QStringLiteral("chats"), output});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    const std::vector<nlohmann::json> exported = readJsonLines(output);
    const std::vector<nlohmann::json> original = readJsonLines(chats);
    QCOMPARE(exported.size(), std::size_t{2});
    for (std::size_t i = 0; i < exported.size(); ++i) {
        QCOMPARE(exported[i]["messages"], original[i]["messages"]);
    }
    QVERIFY(leftovers(m_dir->path()).isEmpty());
}

void TestProjectCli::searchPrintsHitsWithAndWithoutDiacritics() {
    const QString project = path(QStringLiteral("q.vietllm"));
    const QString chats = path(QStringLiteral("chats.jsonl"));
    writeFile(chats, kVietnameseChats);
    QVERIFY(initAndImportMessages(project, chats));
    CliResult result = runCli({QStringLiteral("project"), QStringLiteral("search"), project,
                               QStringLiteral("hoa binh"), QStringLiteral("--plain-diacritics")});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    const QList<QByteArray> lines = result.standard_output.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    for (const QByteArray& line : lines) {
        const nlohmann::json hit = nlohmann::json::parse(line.toStdString());
        QVERIFY2(hit["snippet"].get<std::string>().find("[Hòa] [Bình]") != std::string::npos,
                 line.constData());
        QCOMPARE(QString::fromStdString(hit["dataset"].get<std::string>()), QStringLiteral("chats"));
    }
    result =
        runCli({QStringLiteral("project"), QStringLiteral("search"), project, QStringLiteral("hoa binh")});
    QVERIFY2(result.exit_code == 0, qPrintable(describe(result)));
    QVERIFY(result.standard_output.isEmpty());
    result = runCli({QStringLiteral("project"), QStringLiteral("search"), project, QStringLiteral("hóa"),
                     QStringLiteral("--limit"), QStringLiteral("5")});
    QCOMPARE(result.standard_output.count('\n'), 1);
    result = runCli({QStringLiteral("project"), QStringLiteral("search"), project, QStringLiteral("hóa"),
                     QStringLiteral("--limit"), QStringLiteral("many")});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("--limit"), result.standard_error.constData());
}

void TestProjectCli::demoScriptBuildsBuiltInSampleAtomically() {
    const QString project = path(QStringLiteral("demo/demo.vietllm"));
    QByteArray errors;
    QCOMPARE(
        runDemoScript(QStringLiteral(VIETLLM_CLI_PATH), project, path(QStringLiteral("no-samples")), &errors),
        0);
    const nlohmann::json stats = statsOf(project);
    QCOMPARE(stats["datasets"].size(), std::size_t{3});
    QCOMPARE(stats["totals"]["records"].get<int>(), 4 + 1 + 1);
    QVERIFY(leftovers(path(QStringLiteral("demo"))).isEmpty());

    // A CLI that fails half-way (after init, at the first import) must leave no project behind.
    const QString failing_cli = path(QStringLiteral("failing-cli.sh"));
    writeFile(failing_cli, QByteArray("#!/bin/sh\ncase \"$2\" in import) exit 1;; esac\nexec '") +
                               VIETLLM_CLI_PATH + "' \"$@\"\n");
    QVERIFY(QFile::setPermissions(failing_cli, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const QString second = path(QStringLiteral("demo/second.vietllm"));
    QVERIFY(runDemoScript(failing_cli, second, path(QStringLiteral("no-samples")), &errors) != 0);
    QVERIFY(!QFile::exists(second));
    QVERIFY(leftovers(path(QStringLiteral("demo"))).isEmpty());
}

void TestProjectCli::demoScriptImportsSharedSamples() {
    VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
    const QString project = path(QStringLiteral("demo.vietllm"));
    QByteArray errors;
    QCOMPARE(
        runDemoScript(QStringLiteral(VIETLLM_CLI_PATH), project, vietllm::testing::sampleDataDir(), &errors),
        0);
    const nlohmann::json stats = statsOf(project);
    QStringList names;
    for (const nlohmann::json& dataset : stats["datasets"]) {
        names << QString::fromStdString(dataset["name"].get<std::string>());
        QVERIFY2(dataset["records"].get<int>() > 0, qPrintable(names.last()));
    }
    QVERIFY2(names.contains(QStringLiteral("vi_alpaca_gpt4vn")) &&
                 names.contains(QStringLiteral("en_oasst_trees")),
             qPrintable(names.join(u',')));
    QCOMPARE(stats["datasets"][0]["records"].get<int>(), 1000);
    QVERIFY(leftovers(m_dir->path()).isEmpty());
}

QTEST_GUILESS_MAIN(TestProjectCli)
#include "tst_project_cli.moc"
