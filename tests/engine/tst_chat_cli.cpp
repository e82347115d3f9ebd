// Tests of `vietllm-cli chat` driven through a pipe, over a tiny random model: one reply per
// line with token counts on stderr, the history growing turn by turn, /reset and /system,
// trimming of a history longer than the context, Ctrl+C at the prompt, option errors, and
// `generate` following generation_config.json.

#include "backend/weights/random_model.h"
#include "tests/common/test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using vietllm::testing::runCli;

namespace {

// The prompt token counts of the "[prompt N tokens, reply M tokens, ...]" lines on stderr.
QList<int> promptCounts(const QByteArray& standard_error) {
    QList<int> counts;
    static const QRegularExpression pattern(QStringLiteral("\\[prompt (\\d+) tokens, reply (\\d+) tokens"));
    auto matches = pattern.globalMatch(QString::fromUtf8(standard_error));
    while (matches.hasNext()) counts.append(matches.next().captured(1).toInt());
    return counts;
}

}  // namespace

class TestChatCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        vietllm::weights::RandomModelOptions options;
        options.architecture = vietllm::weights::Architecture::Llama;
        options.vocab_size = 300;
        m_model = m_dir.filePath(QStringLiteral("tiny"));
        vietllm::weights::writeRandomModel(m_model.toStdString(), options);
    }

    void twoTurnsGrowTheHistory() {
        const auto result = runCli(chatArguments(), QByteArrayLiteral("Xin chào\nHà Nội ở đâu?\n"));
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        const QList<int> counts = promptCounts(result.standard_error);
        QCOMPARE(counts.size(), 2);
        // The second prompt holds the first exchange too.
        QVERIFY2(counts[1] > counts[0] + 10, result.standard_error.constData());
        QVERIFY(!result.standard_output.isEmpty());
    }

    void resetClearsTheHistory() {
        const auto result = runCli(chatArguments(), QByteArrayLiteral("Xin chào\n/reset\nXin chào\n"));
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        const QList<int> counts = promptCounts(result.standard_error);
        QCOMPARE(counts.size(), 2);
        QCOMPARE(counts[1], counts[0]);
        QVERIFY(result.standard_error.contains("conversation cleared"));
    }

    void systemPrompt() {
        QStringList arguments = chatArguments();
        arguments << QStringLiteral("--system") << QStringLiteral("Bạn là trợ lý.");
        const auto result =
            runCli(arguments, QByteArrayLiteral("Xin chào\n/reset\nXin chào\n/system\n/reset\nXin chào\n"));
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        const QList<int> counts = promptCounts(result.standard_error);
        QCOMPARE(counts.size(), 3);
        QCOMPARE(counts[1], counts[0]);  // /reset keeps the system prompt
        QVERIFY(counts[2] < counts[0]);  // /system alone removes it
    }

    void exitCommandEndsTheChat() {
        const auto result = runCli(chatArguments(), QByteArrayLiteral("Xin chào\n/exit\nXin chào\n"));
        QCOMPARE(result.exit_code, 0);
        QCOMPARE(promptCounts(result.standard_error).size(), 1);
    }

    void longHistoryIsTrimmed() {
        // Each line is ~100 byte tokens: the context of 256 holds two at most.
        const QByteArray line = QByteArray(100, 'a') + '\n';
        const auto result = runCli(chatArguments(), line + line + line);
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        QVERIFY2(result.standard_error.contains("oldest message"), result.standard_error.constData());
        const QList<int> counts = promptCounts(result.standard_error);
        QCOMPARE(counts.size(), 3);
        QVERIFY(counts[2] <= 256);
        // A message longer than the context alone is refused, and the chat goes on.
        const auto too_long = runCli(chatArguments(), QByteArray(400, 'b') + "\nXin chào\n");
        QCOMPARE(too_long.exit_code, 0);
        QVERIFY(too_long.standard_error.contains("not sent"));
        QCOMPARE(promptCounts(too_long.standard_error).size(), 1);
    }

    void ctrlCAtThePromptTwiceQuits() {
        QProcess process;
        process.start(QStringLiteral(VIETLLM_CLI_PATH), chatArguments());
        QVERIFY(process.waitForStarted());
        process.write("Xin chào\n");
        // Wait for the first reply: by then the signals are taken by the chat, not the default action.
        QByteArray standard_error;
        for (int i = 0; i < 600 && promptCounts(standard_error).isEmpty(); ++i) {
            process.waitForReadyRead(100);
            standard_error += process.readAllStandardError();
        }
        QCOMPARE(promptCounts(standard_error).size(), 1);
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        for (int i = 0; i < 100 && !standard_error.contains("Ctrl+C again"); ++i) {
            process.waitForReadyRead(100);
            standard_error += process.readAllStandardError();
        }
        QVERIFY(standard_error.contains("Ctrl+C again"));
        QCOMPARE(process.state(), QProcess::Running);
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }

    void optionErrors() {
        const auto template_error = runCli({QStringLiteral("chat"), QStringLiteral("--model"), m_model,
                                            QStringLiteral("--template"), QStringLiteral("jinja")});
        QCOMPARE(template_error.exit_code, 1);
        QVERIFY(template_error.standard_error.contains("--template"));
        const auto temperature_error = runCli({QStringLiteral("chat"), QStringLiteral("--model"), m_model,
                                               QStringLiteral("--temperature"), QStringLiteral("-1")});
        QCOMPARE(temperature_error.exit_code, 1);
        QVERIFY(temperature_error.standard_error.contains("temperature"));
        const auto help = runCli({QStringLiteral("chat"), QStringLiteral("--help")});
        QCOMPARE(help.exit_code, 0);
        QVERIFY(help.standard_output.contains("/reset"));
    }

    // `generate` takes its defaults from generation_config.json too; the flags given win.
    void generateFollowsGenerationConfig() {
        QTemporaryDir dir;
        vietllm::weights::RandomModelOptions options;
        options.architecture = vietllm::weights::Architecture::Llama;
        options.vocab_size = 300;
        const QString model = dir.filePath(QStringLiteral("configured"));
        vietllm::weights::writeRandomModel(model.toStdString(), options);
        QFile config(model + QStringLiteral("/generation_config.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("{\"max_new_tokens\": 3, \"do_sample\": false}");
        config.close();
        const auto generate = [&model](const QStringList& extra) {
            const auto result =
                runCli(QStringList{QStringLiteral("generate"), QStringLiteral("--model"), model,
                                   QStringLiteral("--prompt"), QStringLiteral("Xin chào"),
                                   QStringLiteral("--ignore-eos"), QStringLiteral("--json")} +
                       extra);
            return QJsonDocument::fromJson(result.standard_output).object();
        };
        const QJsonObject configured = generate({QStringLiteral("--seed"), QStringLiteral("1")});
        QCOMPARE(configured.value(QStringLiteral("ids")).toArray().size(), 3);
        // do_sample false makes it greedy: another seed gives the same tokens.
        QCOMPARE(generate({QStringLiteral("--seed"), QStringLiteral("2")}).value(QStringLiteral("ids")),
                 configured.value(QStringLiteral("ids")));
        QCOMPARE(generate({QStringLiteral("--max-tokens"), QStringLiteral("5")})
                     .value(QStringLiteral("ids"))
                     .toArray()
                     .size(),
                 5);
    }

private:
    QStringList chatArguments() const {
        return {QStringLiteral("chat"),
                QStringLiteral("--model"),
                m_model,
                QStringLiteral("--template"),
                QStringLiteral("chatml"),
                QStringLiteral("--max-tokens"),
                QStringLiteral("6"),
                QStringLiteral("--temperature"),
                QStringLiteral("0"),
                QStringLiteral("--threads"),
                QStringLiteral("1")};
    }

    QTemporaryDir m_dir;
    QString m_model;
};

QTEST_GUILESS_MAIN(TestChatCli)
#include "tst_chat_cli.moc"
