// `vietllm-cli data translate` end to end against a real local HTTP server that "translates" by
// returning the Vietnamese of the Debian gettext samples with the mask tokens kept. Records the
// fake model answers instead of translating, or where it drops a placeholder, or replies in
// English, must land in the failed file with the right reason; a re-run, a lost OUT and a torn
// last line must cost zero requests; an unreachable endpoint is one clear error.

#include "backend/databuild/translate_mask.h"
#include "tests/common/fake_chat_server.h"
#include "tests/common/test_support.h"
#include "tests/common/text_files.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace vietllm::databuild;
using vietllm::testing::completionBody;
using vietllm::testing::FakeChatServer;
using vietllm::testing::FakeReply;
using vietllm::testing::runCli;

namespace {

constexpr const char* kAnswerPrompt = "How do I make a cup of green tea? Explain the steps.";
constexpr const char* kDropPrompt = "Copied %s to %s.";
constexpr const char* kEnglishPrompt =
    "This sentence will come back from the fake model in English, exactly as it was sent to it.";

std::string unescapeField(const std::string& field) {
    std::string out;
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 1 < field.size() &&
            (field[i + 1] == 'n' || field[i + 1] == 't' || field[i + 1] == '\\')) {
            out.push_back(field[i + 1] == 'n' ? '\n' : field[i + 1] == 't' ? '\t' : '\\');
            ++i;
            continue;
        }
        out.push_back(field[i]);
    }
    return out;
}

// The Vietnamese reply to a masked English text: the vi text masked, each of its tokens
// renumbered to the English token of the same span. Empty when a vi span has no English twin.
std::string cannedReply(const std::string& en, const std::string& vi) {
    const MaskedText en_masked = maskForTranslation(en);
    const MaskedText vi_masked = maskForTranslation(vi);
    std::vector<ProtectedSpan> renumbered;
    std::vector<bool> used(en_masked.spans.size(), false);
    for (const ProtectedSpan& span : vi_masked.spans) {
        std::size_t match = en_masked.spans.size();
        for (std::size_t j = 0; j < en_masked.spans.size() && match == en_masked.spans.size(); ++j) {
            if (!used[j] && en_masked.spans[j].text == span.text) {
                match = j;
            }
        }
        if (match == en_masked.spans.size()) {
            return {};
        }
        used[match] = true;
        renumbered.push_back({ProtectedKind::Placeholder, maskToken(match)});
    }
    return restoreMasked(vi_masked.text, renumbered).text;
}

struct Fixture {
    std::map<std::string, std::string> replies;             ///< masked en -> masked vi
    std::vector<std::pair<std::string, std::string>> rows;  ///< (en, vi) used in the input
};

// Gettext rows with printf placeholders, whose vi keeps them and reads as a sentence.
Fixture loadFixture(const QString& path, std::size_t wanted) {
    Fixture fixture;
    std::ifstream input(path.toStdString());
    std::string line;
    std::getline(input, line);
    std::set<std::string> seen;
    while (fixture.rows.size() < wanted && std::getline(input, line)) {
        std::vector<std::string> fields;
        std::size_t start = 0;
        for (std::size_t tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', start)) {
            fields.push_back(line.substr(start, tab - start));
            start = tab + 1;
        }
        fields.push_back(line.substr(start));
        const std::string en = unescapeField(fields.at(3));
        const std::string vi = unescapeField(fields.at(4));
        if (en.find('%') == std::string::npos || en.size() < 25 || en.find('\n') != std::string::npos ||
            vi.find("  ") != std::string::npos || !seen.insert(en).second) {
            continue;
        }
        const std::string reply = cannedReply(en, vi);
        if (reply.empty() || maskForTranslation(vi).spans.size() != maskForTranslation(en).spans.size()) {
            continue;
        }
        fixture.replies[maskForTranslation(en).text] = reply;
        fixture.rows.emplace_back(en, vi);
    }
    return fixture;
}

FakeReply respond(const Fixture& fixture, const nlohmann::json& request) {
    const std::string text = request["messages"][1]["content"].get<std::string>();
    FakeReply reply;
    if (text == kAnswerPrompt) {
        reply.body = completionBody(
            "Đầu tiên, đun sôi nước rồi để nguội khoảng hai phút. Sau đó cho một thìa trà xanh vào ấm, rót "
            "nước "
            "vào và chờ ba phút. Cuối cùng, rót trà ra chén và thưởng thức khi còn nóng. Chúc bạn ngon "
            "miệng.");
    } else if (text == maskForTranslation(kDropPrompt).text) {
        reply.body = completionBody("Đã chép " + maskToken(0) + " sang nơi khác.");
    } else if (text == kEnglishPrompt) {
        reply.body = completionBody(text);
    } else {
        const auto found = fixture.replies.find(text);
        reply.body = completionBody(found == fixture.replies.end() ? "?" : found->second);
    }
    return reply;
}

nlohmann::json messagesRecord(const std::string& id, const std::string& user, const std::string& assistant) {
    return {{"messages",
             {{{"role", "user"}, {"content", user}}, {{"role", "assistant"}, {"content", assistant}}}},
            {"provenance", {{"source", "test"}, {"original_id", id}}}};
}

std::vector<nlohmann::json> jsonLines(const QString& path) {
    return vietllm::testing::readJsonLines(path.toStdString());
}

// A record whose translation the checks must refuse: its id, its user text, and the fixture row
// whose English is its assistant text.
struct SpecialRecord {
    std::string id;
    std::string user;
    std::size_t reply_row = 0;
};

// Writes the input of a translate run: the fixture's rows paired into two-turn records, then the
// special records.
void writeInput(const QString& path, const Fixture& fixture, const std::vector<SpecialRecord>& specials) {
    std::ofstream in(path.toStdString());
    for (std::size_t i = 0; i + 1 < fixture.rows.size(); i += 2) {
        in << messagesRecord("row" + std::to_string(i), fixture.rows[i].first, fixture.rows[i + 1].first)
                  .dump()
           << '\n';
    }
    for (const SpecialRecord& special : specials) {
        in << messagesRecord(special.id, special.user, fixture.rows[special.reply_row].first).dump() << '\n';
    }
}

// The arguments of `data translate IN OUT` against the fake server with the model "fake-mt".
QStringList translateArguments(const QString& in_path, const QString& out_path,
                               const FakeChatServer& server) {
    return {QStringLiteral("data"),
            QStringLiteral("translate"),
            in_path,
            out_path,
            QStringLiteral("--endpoint"),
            QString::fromStdString(server.endpoint()),
            QStringLiteral("--model"),
            QStringLiteral("fake-mt")};
}

}  // namespace

class TestTranslate : public QObject {
    Q_OBJECT

private slots:
    void translatesChecksAndResumes() {
        VIETLLM_REQUIRE_SAMPLE(gettext, "parallel/envi_debian_gettext_ui_strings.tsv");
        const Fixture fixture = loadFixture(gettext, 40);
        QCOMPARE(fixture.rows.size(), std::size_t(40));
        FakeChatServer server([&](const nlohmann::json& request, int) { return respond(fixture, request); });

        QTemporaryDir dir;
        const QString in_path = dir.filePath(QStringLiteral("in.jsonl"));
        const QString out_path = dir.filePath(QStringLiteral("out.jsonl"));
        writeInput(in_path, fixture,
                   {{"answer", kAnswerPrompt, 0}, {"drop", kDropPrompt, 1}, {"english", kEnglishPrompt, 2}});
        const QStringList arguments = translateArguments(in_path, out_path, server) +
                                      QStringList{QStringLiteral("--concurrency"), QStringLiteral("4")};
        const auto first = runCli(arguments);
        QVERIFY2(first.exit_code == 0, first.standard_error.constData());
        // 23 records of 2 fields: 46 calls, of which the 3 special records' replies repeat fields
        // of the first rows; those come from the cache unless both were in flight at once.
        const int requests_after_first = server.requestCount();
        QVERIFY(requests_after_first >= 43 && requests_after_first <= 46);

        const std::vector<nlohmann::json> written = jsonLines(out_path);
        QCOMPARE(written.size(), std::size_t(20));
        std::size_t exact = 0;
        for (std::size_t r = 0; r < written.size(); ++r) {
            const nlohmann::json& record = written[r];
            const std::size_t row =
                std::stoul(record["provenance"]["original_id"].get<std::string>().substr(3));
            const std::string user = record["messages"][0]["content"].get<std::string>();
            QCOMPARE(record["messages"][1]["role"].get<std::string>(), std::string("assistant"));
            exact += user == fixture.rows[row].second ? 1 : 0;
            QCOMPARE(record["metadata"]["translation"]["source_texts"][0].get<std::string>(),
                     fixture.rows[row].first);
            QVERIFY(record["provenance"]["transformations"].dump().find("translate:en->vi:fake-mt") !=
                    std::string::npos);
        }
        QVERIFY2(exact >= 18, qPrintable(QString::number(exact)));

        const std::vector<nlohmann::json> failed = jsonLines(out_path + QStringLiteral(".failed.jsonl"));
        QCOMPARE(failed.size(), std::size_t(3));
        std::map<std::string, std::string> reasons;
        for (const nlohmann::json& entry : failed) {
            reasons[entry["id"].get<std::string>()] = entry["reasons"].dump();
        }
        QVERIFY2(reasons["answer"].find("answered_instead") != std::string::npos, reasons["answer"].c_str());
        QVERIFY2(reasons["drop"].find("placeholder_missing") != std::string::npos, reasons["drop"].c_str());
        QVERIFY2(reasons["english"].find("not_vietnamese") != std::string::npos, reasons["english"].c_str());

        // A second run finds everything done: no request at all.
        const auto second = runCli(arguments);
        QVERIFY2(second.exit_code == 0, second.standard_error.constData());
        QCOMPARE(server.requestCount(), requests_after_first);
        QVERIFY(second.standard_error.contains("\"skipped_done\":23"));

        // A run killed before writing anything: OUT lost, the cache answers every call.
        QFile::remove(out_path);
        QFile::remove(out_path + QStringLiteral(".failed.jsonl"));
        const auto third = runCli(arguments);
        QVERIFY2(third.exit_code == 0, third.standard_error.constData());
        QCOMPARE(server.requestCount(), requests_after_first);
        QCOMPARE(jsonLines(out_path).size(), std::size_t(20));

        // A run killed in the middle of a line: the torn line is cut and redone from the cache.
        const auto size = std::filesystem::file_size(out_path.toStdString());
        std::filesystem::resize_file(out_path.toStdString(), size - 40);
        const auto fourth = runCli(arguments);
        QVERIFY2(fourth.exit_code == 0, fourth.standard_error.constData());
        QCOMPARE(server.requestCount(), requests_after_first);
        QCOMPARE(jsonLines(out_path).size(), std::size_t(20));
        QVERIFY(fourth.standard_error.contains("\"translated\":1,"));
    }

    void shardsSplitTheInputAndResumeOnTheirOwn() {
        VIETLLM_REQUIRE_SAMPLE(gettext, "parallel/envi_debian_gettext_ui_strings.tsv");
        const Fixture fixture = loadFixture(gettext, 30);
        QCOMPARE(fixture.rows.size(), std::size_t(30));
        FakeChatServer server([&](const nlohmann::json& request, int) { return respond(fixture, request); });
        QTemporaryDir dir;
        const QString in_path = dir.filePath(QStringLiteral("in.jsonl"));
        writeInput(in_path, fixture, {{"answer", kAnswerPrompt, 0}, {"english", kEnglishPrompt, 2}});
        const auto translate = [&](const QString& out, const QStringList& more) {
            return runCli(translateArguments(in_path, out, server) + more);
        };
        const auto sortedLines = [](const std::vector<QString>& paths) {
            std::vector<std::string> lines;
            for (const QString& path : paths) {
                for (const nlohmann::json& line : jsonLines(path)) lines.push_back(line.dump());
            }
            std::sort(lines.begin(), lines.end());
            return lines;
        };
        const QString whole = dir.filePath(QStringLiteral("whole.jsonl"));
        const auto unsharded = translate(whole, {});
        QVERIFY2(unsharded.exit_code == 0, unsharded.standard_error.constData());
        std::vector<QString> outs;
        std::vector<QString> failed;
        std::set<std::string> ids;
        std::size_t records = 0;
        for (int k = 0; k < 3; ++k) {
            outs.push_back(dir.filePath(QStringLiteral("shard%1.jsonl").arg(k)));
            failed.push_back(outs.back() + QStringLiteral(".failed.jsonl"));
            const auto shard =
                translate(outs.back(), {QStringLiteral("--shard"), QStringLiteral("%1/3").arg(k)});
            QVERIFY2(shard.exit_code == 0, shard.standard_error.constData());
            for (const QString& path : {outs.back(), failed.back()}) {
                for (const nlohmann::json& line : jsonLines(path)) {
                    const std::string id = line.contains("id")
                                               ? line["id"].get<std::string>()
                                               : line["provenance"]["original_id"].get<std::string>();
                    QVERIFY2(ids.insert(id).second, id.c_str());  // disjoint
                    ++records;
                }
            }
        }
        QCOMPARE(records, std::size_t(17));
        QCOMPARE(sortedLines(outs), sortedLines({whole}));
        QCOMPARE(sortedLines(failed), sortedLines({whole + QStringLiteral(".failed.jsonl")}));
        QCOMPARE(jsonLines(whole + QStringLiteral(".failed.jsonl")).size(), std::size_t(2));
        // A shard re-run finds its own records done and sends nothing.
        const int sent = server.requestCount();
        const auto again = translate(outs[1], {QStringLiteral("--shard"), QStringLiteral("1/3")});
        QVERIFY2(again.exit_code == 0, again.standard_error.constData());
        QCOMPARE(server.requestCount(), sent);
        QVERIFY2(again.standard_error.contains("\"skipped_done\":6"), again.standard_error.constData());
    }

    // --local-model: the step starts `vietllm-engine serve` on a tiny random model, talks to it and
    // stops it. The random model's replies are garbage, so every record fails its checks.
    void localModelServesTheStep() {
        QTemporaryDir dir;
        const QString model = dir.filePath(QStringLiteral("tiny-llama"));
        const auto init = runCli({QStringLiteral("model"), QStringLiteral("init"), QStringLiteral("--arch"),
                                  QStringLiteral("llama"), QStringLiteral("--size"), QStringLiteral("tiny"),
                                  QStringLiteral("--out"), model});
        QVERIFY2(init.exit_code == 0, init.standard_error.constData());
        // A longer context than the tiny preset's 256 tokens (RoPE has no position table), so that
        // the translation prompt fits and the replies reach the checks.
        QFile config(model + QStringLiteral("/config.json"));
        QVERIFY(config.open(QIODevice::ReadWrite));
        nlohmann::json config_json = nlohmann::json::parse(config.readAll().toStdString());
        config_json["max_position_embeddings"] = 2048;
        config.resize(0);
        config.write(QByteArray::fromStdString(config_json.dump()));
        config.close();
        const QString in_path = dir.filePath(QStringLiteral("in.jsonl"));
        {
            std::ofstream in(in_path.toStdString());
            in << messagesRecord("a", "Open the settings window.", "The settings window is open now.").dump()
               << '\n';
            in << messagesRecord("b", "Save the file before closing.", "The file was saved.").dump() << '\n';
        }
        const QString out = dir.filePath(QStringLiteral("out.jsonl"));
        const auto result = runCli({QStringLiteral("data"), QStringLiteral("translate"), in_path, out,
                                    QStringLiteral("--local-model"), model, QStringLiteral("--max-tokens"),
                                    QStringLiteral("8")});
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        const nlohmann::json summary =
            nlohmann::json::parse(result.standard_error.trimmed().split('\n').last());
        QCOMPARE(summary["http_requests"].get<int>(), 4);  // two fields of two records
        QCOMPARE(summary["failed"].get<int>(), 2);
        for (const nlohmann::json& entry : jsonLines(out + QStringLiteral(".failed.jsonl"))) {
            QVERIFY2(!entry["reasons"].empty(), entry.dump().c_str());
            // The checks judged real replies: the engine did not refuse the calls.
            QVERIFY2(entry["reasons"].dump().find("endpoint_rejected") == std::string::npos,
                     entry.dump().c_str());
        }
        // The engine answered the four calls and was stopped: its log says so, and no process
        // serving the model is left.
        QFile log(out + QStringLiteral(".engine.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray log_text = log.readAll();
        QCOMPARE(log_text.count("/v1/chat/completions"), 4);
        QVERIFY2(log_text.contains("serve: stopped"), log_text.constData());
        for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
            if (cmdline.open(QIODevice::ReadOnly)) QVERIFY(!cmdline.readAll().contains(model.toUtf8()));
        }
        // --local-model and --endpoint together are refused.
        const auto both = runCli({QStringLiteral("data"), QStringLiteral("translate"), in_path, out,
                                  QStringLiteral("--local-model"), model, QStringLiteral("--endpoint"),
                                  QStringLiteral("http://127.0.0.1:1/v1")});
        QCOMPARE(both.exit_code, 1);
        QVERIFY(both.standard_error.contains("--local-model"));
    }

    void unreachableEndpointIsOneClearError() {
        std::string endpoint;
        {
            FakeChatServer closed([](const nlohmann::json&, int) { return FakeReply{}; });
            endpoint = closed.endpoint();
        }
        QTemporaryDir dir;
        const QString in_path = dir.filePath(QStringLiteral("in.jsonl"));
        {
            std::ofstream in(in_path.toStdString());
            in << messagesRecord("a", "Open the file.", "It is open now.").dump() << '\n';
        }
        const auto result =
            runCli({QStringLiteral("data"), QStringLiteral("translate"), in_path,
                    dir.filePath(QStringLiteral("out.jsonl")), QStringLiteral("--endpoint"),
                    QString::fromStdString(endpoint), QStringLiteral("--model"), QStringLiteral("m"),
                    QStringLiteral("--max-retries"), QStringLiteral("1")});
        QCOMPARE(result.exit_code, 1);
        QVERIFY2(result.standard_error.contains("--endpoint http://127.0.0.1:"),
                 result.standard_error.constData());
        QCOMPARE(result.standard_error.count('\n'), 1);
    }

    void missingOptionsAreUserErrors() {
        const auto result =
            runCli({QStringLiteral("data"), QStringLiteral("translate"), QStringLiteral("a.jsonl"),
                    QStringLiteral("b.jsonl"), QStringLiteral("--model"), QStringLiteral("m")});
        QCOMPARE(result.exit_code, 1);
        QVERIFY(result.standard_error.contains("--endpoint"));
    }
};

QTEST_GUILESS_MAIN(TestTranslate)
#include "tst_translate.moc"
