// Tests of the records and format rules on small hand-written inputs: roles and format names,
// JSON of our formats, the conversion rules of docs/formats.md, and every kind of bad line.

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "tests/common/data_test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sstream>

using namespace vietllm;
using namespace vietllm::testing;

namespace {

// The message of the UserError that reading `text` throws, or "" when it reads fine.
QString readError(data::Format format, const std::string& text, const std::string& file_name = "in.jsonl") {
    try {
        readTextRecords(format, text, file_name);
    } catch (const UserError& error) {
        return QString::fromUtf8(error.what());
    }
    return QString();
}

nlohmann::json parseJson(const std::string& text) {
    return nlohmann::json::parse(text);
}

data::Conversation twoTurnConversation() {
    data::Conversation conversation;
    conversation.messages = {{data::Role::System, "Bạn là trợ lý."},
                             {data::Role::User, "Xin chào"},
                             {data::Role::Assistant, "Chào bạn!"},
                             {data::Role::User, "Thủ đô của Việt Nam?"},
                             {data::Role::Assistant, "Hà Nội."}};
    conversation.provenance.original_id = "c1";
    return conversation;
}

}  // namespace

class TestFormats : public QObject {
    Q_OBJECT

private slots:
    void rolesAndAliases();
    void formatNamesRoundTrip();
    void messagesJsonRoundTrips();
    void preferenceAcceptsTrlReplies();
    void multiTurnToAlpacaUsesHistory();
    void dollyContextSplitsBackAsAlpacaInput();
    void shareGptRolesAndSystem();
    void listOfOneStringIsAccepted();
    void preferencePairWritesChosenConversation();
    void preferencePairRoundTripsThroughOasst();
    void unholdableRecordsAreRefusedWithReason();
    void treeToAlpacaCutsUnansweredTurns();
    void badLinesNameFileAndLine_data();
    void badLinesNameFileAndLine();
    void arrayElementsAreLocated();
    void skipBadReportsEveryBadLine();
    void emptyInputsGiveNoRecords();
    void brokenGzipIsAnError();
};

void TestFormats::rolesAndAliases() {
    QCOMPARE(data::parseRole("human"), data::Role::User);
    QCOMPARE(data::parseRole("prompter"), data::Role::User);
    QCOMPARE(data::parseRole("GPT"), data::Role::Assistant);
    QCOMPARE(data::parseRole("system"), data::Role::System);
    QCOMPARE(data::parseRole("tool"), data::Role::Invalid);
    for (const data::Role role : {data::Role::System, data::Role::User, data::Role::Assistant}) {
        QCOMPARE(data::parseRole(data::roleName(role)), role);
    }
}

void TestFormats::formatNamesRoundTrip() {
    const QStringList names = QString::fromStdString(data::formatNameList()).split(QStringLiteral(", "));
    QCOMPARE(names.size(), 8);
    for (const QString& name : names) {
        const data::Format format = data::parseFormat(name.toStdString());
        QVERIFY(format != data::Format::Invalid);
        QCOMPARE(QString::fromUtf8(data::formatName(format)), name);
    }
    QCOMPARE(data::parseFormat("Alpaca"), data::Format::Invalid);
}

void TestFormats::messagesJsonRoundTrips() {
    data::Conversation conversation = twoTurnConversation();
    conversation.provenance = {"src", "MIT", "c1", {"convert:alpaca->messages"}};
    conversation.metadata = {{"category", "qa"}};
    const nlohmann::ordered_json json = data::toJson(conversation);
    // Ordered output: messages first, role before content.
    QVERIFY(QString::fromStdString(json.dump())
                .startsWith(QStringLiteral("{\"messages\":[{\"role\":\"system\",\"content\"")));
    const data::Conversation back = data::conversationFromJson(json);
    QCOMPARE(back.messages.size(), conversation.messages.size());
    QCOMPARE(back.messages[3].content, conversation.messages[3].content);
    QCOMPARE(back.provenance.transformations, conversation.provenance.transformations);
    QCOMPARE(back.provenance.licence, std::string("MIT"));
    QVERIFY(back.metadata == conversation.metadata);
    // Unknown top-level keys are kept in metadata.
    const data::Conversation extra =
        data::conversationFromJson(parseJson(R"({"messages":[{"role":"user","content":"a"}],"id":7})"));
    QCOMPARE(extra.metadata["id"].get<int>(), 7);
}

void TestFormats::preferenceAcceptsTrlReplies() {
    const auto records = readTextRecords(
        data::Format::Preference,
        R"({"prompt":[{"role":"user","content":"Q"}],"chosen":[{"role":"assistant","content":"good"}],"rejected":"bad","chosen_rating":4.5})"
        "\n");
    QCOMPARE(records.size(), std::size_t{1});
    const auto& pair = std::get<data::PreferencePair>(records[0]);
    QCOMPARE(pair.chosen, std::string("good"));
    QCOMPARE(pair.rejected, std::string("bad"));
    QCOMPARE(*pair.chosen_rating, 4.5);
    QVERIFY(!pair.rejected_rating);
    QCOMPARE(pair.provenance.original_id, std::string("in.jsonl:1"));
}

void TestFormats::multiTurnToAlpacaUsesHistory() {
    const std::string alpaca = writeRecords(data::Format::Alpaca, {twoTurnConversation()});
    const nlohmann::json line = parseJson(alpaca);
    QCOMPARE(line["instruction"].get<std::string>(), std::string("Thủ đô của Việt Nam?"));
    QCOMPARE(line["input"].get<std::string>(), std::string());
    QCOMPARE(line["output"].get<std::string>(), std::string("Hà Nội."));
    QCOMPARE(line["system"].get<std::string>(), std::string("Bạn là trợ lý."));
    QVERIFY(line["history"] == parseJson(R"([["Xin chào","Chào bạn!"]])"));
    // Reading it back gives the same conversation.
    const auto back = std::get<data::Conversation>(readTextRecords(data::Format::Alpaca, alpaca)[0]);
    QCOMPARE(back.messages.size(), std::size_t{5});
    for (std::size_t i = 0; i < back.messages.size(); ++i) {
        QCOMPARE(back.messages[i].role, twoTurnConversation().messages[i].role);
        QCOMPARE(back.messages[i].content, twoTurnConversation().messages[i].content);
    }
}

void TestFormats::dollyContextSplitsBackAsAlpacaInput() {
    const auto records = readTextRecords(
        data::Format::Dolly,
        R"({"instruction":"Tóm tắt","context":"Văn bản dài.","response":"Ngắn.","category":"summarization"})");
    const auto& conversation = std::get<data::Conversation>(records[0]);
    QCOMPARE(conversation.messages[0].content, std::string("Tóm tắt\n\nVăn bản dài."));
    const nlohmann::json alpaca = parseJson(writeRecords(data::Format::Alpaca, records));
    QCOMPARE(alpaca["instruction"].get<std::string>(), std::string("Tóm tắt"));
    QCOMPARE(alpaca["input"].get<std::string>(), std::string("Văn bản dài."));
    QCOMPARE(alpaca["category"].get<std::string>(), std::string("summarization"));
    QVERIFY(!alpaca.contains("context"));
    const nlohmann::json dolly = parseJson(writeRecords(data::Format::Dolly, records));
    QVERIFY(
        dolly ==
        parseJson(
            R"({"instruction":"Tóm tắt","context":"Văn bản dài.","response":"Ngắn.","category":"summarization"})"));
}

void TestFormats::shareGptRolesAndSystem() {
    const std::string line =
        R"({"id":"x1","system":"S","conversations":[{"from":"human","value":"a"},{"from":"gpt","value":"b"},{"from":"user","value":"c"}]})";
    const auto records = readTextRecords(data::Format::ShareGpt, line);
    const auto& conversation = std::get<data::Conversation>(records[0]);
    QCOMPARE(conversation.messages.size(), std::size_t{4});
    QCOMPARE(conversation.messages[0].role, data::Role::System);
    QCOMPARE(conversation.messages[3].role, data::Role::User);
    QCOMPARE(conversation.provenance.original_id, std::string("x1"));
    // Written back: human/gpt, the system as a top-level field, the id kept.
    QVERIFY(
        parseJson(writeRecords(data::Format::ShareGpt, records)) ==
        parseJson(
            R"({"id":"x1","system":"S","conversations":[{"from":"human","value":"a"},{"from":"gpt","value":"b"},{"from":"human","value":"c"}]})"));
    // It ends with a user turn: alpaca cannot hold it.
    QVERIFY(QString::fromStdString(data::unsupportedReason(data::Format::Alpaca, records[0]))
                .contains(QStringLiteral("ends with a user turn")));
}

void TestFormats::listOfOneStringIsAccepted() {
    const auto records =
        readTextRecords(data::Format::PromptResponse, R"({"prompt":["Câu hỏi"],"response":"Trả lời"})");
    QCOMPARE(std::get<data::Conversation>(records[0]).messages[0].content, std::string("Câu hỏi"));
    QVERIFY(readError(data::Format::PromptResponse, R"({"prompt":["a","b"],"response":"x"})")
                .contains(QStringLiteral("list of 2 items")));
}

void TestFormats::preferencePairWritesChosenConversation() {
    data::PreferencePair pair;
    pair.prompt = {{data::Role::User, "Q"}};
    pair.chosen = "good";
    pair.rejected = "bad";
    const nlohmann::json messages = parseJson(writeRecords(data::Format::Messages, {pair}));
    QVERIFY(messages["messages"] ==
            parseJson(R"([{"role":"user","content":"Q"},{"role":"assistant","content":"good"}])"));
    const nlohmann::json prompt_response = parseJson(writeRecords(data::Format::PromptResponse, {pair}));
    QCOMPARE(prompt_response["response"].get<std::string>(), std::string("good"));
}

void TestFormats::preferencePairRoundTripsThroughOasst() {
    data::PreferencePair pair;
    pair.prompt = {{data::Role::User, "Q1"}, {data::Role::Assistant, "A1"}, {data::Role::User, "Q2"}};
    pair.chosen = "good";
    pair.rejected = "bad";
    pair.provenance.original_id = "p7";
    const std::string oasst = writeRecords(data::Format::Oasst, {pair});
    const auto trees = readTextRecords(data::Format::Oasst, oasst);
    std::size_t written = 0;
    const nlohmann::json back =
        parseJson(writeRecords(data::Format::Preference, trees, data::Layout::JsonLines, &written));
    QCOMPARE(written, std::size_t{1});
    QVERIFY(back["prompt"] == nlohmann::json(data::toJson(pair.prompt)));
    QCOMPARE(back["chosen"].get<std::string>(), pair.chosen);
    QCOMPARE(back["rejected"].get<std::string>(), pair.rejected);
}

void TestFormats::unholdableRecordsAreRefusedWithReason() {
    const data::Record conversation = twoTurnConversation();
    QVERIFY(!data::unsupportedReason(data::Format::Preference, conversation).empty());
    QVERIFY(!data::unsupportedReason(data::Format::HhRlhf, conversation).empty());
    QVERIFY(!data::unsupportedReason(data::Format::Oasst, conversation).empty());  // system message
    QVERIFY(data::unsupportedReason(data::Format::Alpaca, conversation).empty());
    std::size_t written = 1;
    const std::string output =
        writeRecords(data::Format::Preference, {conversation}, data::Layout::JsonLines, &written);
    QCOMPARE(written, std::size_t{0});
    QVERIFY(output.empty());
    data::Conversation two_users;
    two_users.messages = {{data::Role::User, "a"}, {data::Role::User, "b"}, {data::Role::Assistant, "c"}};
    QVERIFY(QString::fromStdString(data::unsupportedReason(data::Format::Dolly, data::Record(two_users)))
                .contains(QStringLiteral("alternating")));
}

void TestFormats::treeToAlpacaCutsUnansweredTurns() {
    // prompter -> assistant (rank 0) -> prompter (leaf); prompter -> assistant (rank 1, leaf)
    const std::string tree =
        R"({"message_tree_id":"t","prompt":{"message_id":"p","text":"Q","role":"prompter","replies":[)"
        R"({"message_id":"a0","text":"A0","role":"assistant","rank":0,"replies":[)"
        R"({"message_id":"f","text":"follow-up","role":"prompter","replies":[]}]},)"
        R"({"message_id":"a1","text":"A1","role":"assistant","rank":1,"replies":[]}]}})";
    const auto records = readTextRecords(data::Format::Oasst, tree);
    const auto& parsed = std::get<data::ConversationTree>(records[0]);
    QCOMPARE(data::conversationsFromTree(parsed).size(), std::size_t{2});
    const auto answered = data::answeredConversationsFromTree(parsed);
    QCOMPARE(answered.size(), std::size_t{2});
    QCOMPARE(answered[0].messages.back().content, std::string("A0"));
    QCOMPARE(answered[1].messages.back().content, std::string("A1"));
    const auto pairs = data::preferencePairsFromTree(parsed);
    QCOMPARE(pairs.size(), std::size_t{1});
    QCOMPARE(pairs[0].chosen, std::string("A0"));
    QCOMPARE(pairs[0].rejected, std::string("A1"));
    // hh-rlhf from the tree: the same pair as a transcript.
    const nlohmann::json hh = parseJson(writeRecords(data::Format::HhRlhf, records));
    QCOMPARE(hh["chosen"].get<std::string>(), std::string("\n\nHuman: Q\n\nAssistant: A0"));
}

void TestFormats::badLinesNameFileAndLine_data() {
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    const int alpaca = static_cast<int>(data::Format::Alpaca);
    const QByteArray good = R"({"instruction":"a","input":"","output":"b"})";
    QTest::newRow("broken JSON") << alpaca << good + "\n{\"instruction\": \n"
                                 << QStringLiteral("in.jsonl:2: broken JSON");
    QTest::newRow("missing field") << alpaca << good + "\n\n" + R"({"instruction":"a"})"
                                   << QStringLiteral("in.jsonl:3: missing field \"output\"");
    QTest::newRow("ill-typed field") << alpaca << QByteArray(R"({"instruction":"a","output":5})")
                                     << QStringLiteral(
                                            "in.jsonl:1: field \"output\" must be a string, not number");
    QTest::newRow("null field") << static_cast<int>(data::Format::PromptResponse)
                                << QByteArray(R"({"prompt":null,"response":"x"})")
                                << QStringLiteral("in.jsonl:1: field \"prompt\" is empty (null)");
    QTest::newRow("invalid UTF-8") << alpaca << QByteArray("{\"instruction\":\"caf\xE9\",\"output\":\"b\"}")
                                   << QStringLiteral("in.jsonl:1: invalid UTF-8 at byte 20");
    QTest::newRow("not an object") << alpaca << QByteArray("[1, 2]\n")
                                   << QStringLiteral("in.jsonl:1: element 0: a record must be a JSON object");
    QTest::newRow("unknown role") << static_cast<int>(data::Format::Messages)
                                  << QByteArray(R"({"messages":[{"role":"tool","content":"x"}]})")
                                  << QStringLiteral(
                                         "in.jsonl:1: field \"messages[0].role\": unknown role \"tool\"");
    QTest::newRow("hh without prompt")
        << static_cast<int>(data::Format::HhRlhf)
        << QByteArray(R"({"chosen":"\n\nHuman: a","rejected":"\n\nHuman: b"})")
        << QStringLiteral("in.jsonl:1: \"chosen\" and \"rejected\" share no prompt");
    QTest::newRow("oasst flat message") << static_cast<int>(data::Format::Oasst)
                                        << QByteArray(R"({"message_id":"m","text":"x","role":"prompter"})")
                                        << QStringLiteral("in.jsonl:1: missing field \"prompt\"");
}

void TestFormats::badLinesNameFileAndLine() {
    QFETCH(int, format);
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const QString message = readError(static_cast<data::Format>(format), text.toStdString());
    QVERIFY2(message.startsWith(expected), qPrintable(message));
}

void TestFormats::arrayElementsAreLocated() {
    const std::string array =
        "[\n  {\"instruction\": \"a\", \"output\": \"b\"},\n  {\"instruction\": \"c\"},\n  {\"x\": }\n]";
    QCOMPARE(readError(data::Format::Alpaca, array, "data.json"),
             QStringLiteral("data.json:3: element 1: missing field \"output\""));
    data::ReadOptions options;
    options.skip_bad = true;
    std::vector<data::BadLine> bad_lines;
    options.on_bad_line = [&](const data::BadLine& bad) { bad_lines.push_back(bad); };
    const auto records = readTextRecords(data::Format::Alpaca, array, "data.json", options);
    QCOMPARE(records.size(), std::size_t{1});
    QCOMPARE(std::get<data::Conversation>(records[0]).provenance.original_id, std::string("data.json[0]"));
    QCOMPARE(bad_lines.size(), std::size_t{2});
    QCOMPARE(bad_lines[1].line_number, std::size_t{4});
    QCOMPARE(bad_lines[1].text, std::string("{\"x\": }"));
    QCOMPARE(readError(data::Format::Alpaca, "[{\"instruction\":\"a\",\"output\":\"b\"}", "open.json"),
             QStringLiteral("open.json:1: the JSON array is not closed"));
}

void TestFormats::skipBadReportsEveryBadLine() {
    const std::string text =
        "{\"prompt\":\"a\",\"response\":\"b\"}\n"
        "not json\n"
        "{\"prompt\":\"\",\"response\":\"b\"}\r\n"
        "{\"prompt\":\"c\",\"response\":\"d\"}\n";
    data::ReadOptions options;
    options.skip_bad = true;
    options.source_name = "my-set";
    std::vector<data::BadLine> bad_lines;
    options.on_bad_line = [&](const data::BadLine& bad) { bad_lines.push_back(bad); };
    const auto records = readTextRecords(data::Format::PromptResponse, text, "x/in.jsonl", options);
    QCOMPARE(records.size(), std::size_t{2});
    QCOMPARE(std::get<data::Conversation>(records[1]).provenance.original_id, std::string("in.jsonl:4"));
    QCOMPARE(std::get<data::Conversation>(records[1]).provenance.source, std::string("my-set"));
    QCOMPARE(bad_lines.size(), std::size_t{2});
    QCOMPARE(bad_lines[0].file, std::string("x/in.jsonl"));
    QCOMPARE(bad_lines[0].line_number, std::size_t{2});
    QCOMPARE(bad_lines[0].text, std::string("not json"));
    QVERIFY(QString::fromStdString(bad_lines[0].reason).startsWith(QStringLiteral("broken JSON")));
    QCOMPARE(bad_lines[1].line_number, std::size_t{3});
    QCOMPARE(bad_lines[1].reason, std::string("field \"prompt\" is empty"));
}

void TestFormats::emptyInputsGiveNoRecords() {
    for (const std::string text : {"", "\n\n  \n", "[]", " [ ]\n", "\xEF\xBB\xBF"}) {
        QCOMPARE(readTextRecords(data::Format::Alpaca, text).size(), std::size_t{0});
    }
    QCOMPARE(writeRecords(data::Format::Alpaca, {}, data::Layout::JsonArray), std::string("[]\n"));
}

void TestFormats::brokenGzipIsAnError() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cut.jsonl.gz"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // Three hh-rlhf lines, gzip-compressed, without the last 12 bytes: a truncated download.
    file.write(QByteArray::fromHex(
        "1f8b0800000000000203ab564acec82f4ecd53b2528ac98bc9f328cd4dccb352c8c804711c8b8b338b4b"
        "12f34aac14129574948a52b352934b525308284d52aae5aa1e"));
    file.close();
    bool threw = false;
    try {
        readFileRecords(data::Format::HhRlhf, path);
    } catch (const UserError& error) {
        threw = true;
        QVERIFY2(QString::fromUtf8(error.what()).startsWith(path + QStringLiteral(": cannot read")),
                 error.what());
    }
    QVERIFY(threw);
}

QTEST_GUILESS_MAIN(TestFormats)
#include "tst_formats.moc"
