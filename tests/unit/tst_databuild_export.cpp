// Tests of `data export`: the train/validation split keeps every source item (an Open-Assistant
// tree, records sharing a message_tree_id) on one side, TRL's conversational SFT and preference
// shapes on the real samples, records a kind cannot hold listed rather than dropped silently,
// and the dataset card's per-source counts, filters and statistics.

#include "backend/databuild/export.h"
#include "backend/databuild/record_text.h"
#include "tests/common/data_test_support.h"
#include "tests/common/test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace vietllm;
using namespace vietllm::testing;

namespace {

void writeFile(const QString& path, const std::string& text) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

QList<QJsonObject> splitFile(const QTemporaryDir& dir, const QString& name) {
    return qtJsonLines(readWholeFile(dir.filePath(QStringLiteral("out/") + name)));
}

QString firstUserText(const QJsonObject& line) {
    return line.value(QStringLiteral("messages"))
        .toArray()
        .at(0)
        .toObject()
        .value(QStringLiteral("content"))
        .toString();
}

databuild::ExportJob exportJob(const QTemporaryDir& dir, const QString& input, data::Format format) {
    databuild::ExportJob job;
    job.input.paths = {input.toStdString()};
    job.input.format = format;
    job.input.threads = 2;
    job.output_dir = dir.filePath(QStringLiteral("out")).toStdString();
    return job;
}

}  // namespace

class TestDatabuildExport : public QObject {
    Q_OBJECT

private slots:
    void treesStayOnOneSide() {
        VIETLLM_REQUIRE_SAMPLE(oasst, "instruct/en_oasst_100_trees.jsonl");
        QTemporaryDir dir;
        databuild::ExportJob job = exportJob(dir, oasst, data::Format::Oasst);
        job.valid_fraction = 0.3;
        job.seed = 7;
        const nlohmann::ordered_json summary = databuild::runExport(job);
        QSet<QString> train_roots;
        QSet<QString> validation_roots;
        for (const QJsonObject& line : splitFile(dir, QStringLiteral("train.jsonl"))) {
            train_roots.insert(firstUserText(line));
        }
        for (const QJsonObject& line : splitFile(dir, QStringLiteral("validation.jsonl"))) {
            validation_roots.insert(firstUserText(line));
        }
        // Every conversation starts with its tree's root prompt: no root may appear on both sides.
        QVERIFY(!train_roots.intersects(validation_roots));
        QCOMPARE(summary["train_records"].get<int>() + summary["validation_records"].get<int>(), 100);
        const int validation_trees = summary["validation_records"].get<int>();
        QVERIFY2(validation_trees >= 15 && validation_trees <= 45,
                 qPrintable(QString::number(validation_trees)));
        QCOMPARE(train_roots.size() + validation_roots.size(), 100);
        // 564 answered conversations in the 100 trees (docs/formats.md).
        QCOMPARE(summary["train_items"].get<int>() + summary["validation_items"].get<int>(), 564);
    }

    void recordsSharingATreeIdStayTogether() {
        QTemporaryDir dir;
        std::string input;
        for (int group = 0; group < 60; ++group) {
            for (int member = 0; member < 3; ++member) {
                const nlohmann::json record = {
                    {"messages",
                     {{{"role", "user"},
                       {"content", "câu hỏi " + std::to_string(group) + "/" + std::to_string(member)}},
                      {{"role", "assistant"}, {"content", "trả lời"}}}},
                    {"provenance",
                     {{"source", "nhóm"}, {"original_id", "r" + std::to_string(group * 3 + member)}}},
                    {"metadata", {{"message_tree_id", "tree-" + std::to_string(group)}}}};
                input += record.dump() + "\n";
            }
        }
        writeFile(dir.filePath(QStringLiteral("in.jsonl")), input);
        databuild::ExportJob job =
            exportJob(dir, dir.filePath(QStringLiteral("in.jsonl")), data::Format::Messages);
        job.valid_fraction = 0.5;
        databuild::runExport(job);
        QHash<QString, QSet<QString>> sides;  // group -> sides it landed on
        for (const QString& side : {QStringLiteral("train.jsonl"), QStringLiteral("validation.jsonl")}) {
            for (const QJsonObject& line : splitFile(dir, side)) {
                sides[firstUserText(line).section(' ', 2).section('/', 0, 0)].insert(side);
            }
        }
        QCOMPARE(sides.size(), 60);
        int in_validation = 0;
        for (const QSet<QString>& landed : sides) {
            QCOMPARE(landed.size(), 1);
            in_validation += landed.contains(QStringLiteral("validation.jsonl")) ? 1 : 0;
        }
        QVERIFY(in_validation > 10 && in_validation < 50);
        // The same key always goes to the same side; another seed gives another split.
        QCOMPARE(databuild::isValidationItem("x", 0.5, 1), databuild::isValidationItem("x", 0.5, 1));
        int differ = 0;
        for (int i = 0; i < 100; ++i) {
            const std::string key = "k" + std::to_string(i);
            differ +=
                databuild::isValidationItem(key, 0.5, 1) != databuild::isValidationItem(key, 0.5, 2) ? 1 : 0;
        }
        QVERIFY(differ > 20);
    }

    void preferenceShapeForTrl() {
        VIETLLM_REQUIRE_SAMPLE(hh, "instruct/en_hh_rlhf_harmless_base_test.jsonl.gz");
        QTemporaryDir dir;
        databuild::ExportJob job = exportJob(dir, hh, data::Format::HhRlhf);
        job.kind = databuild::ExportKind::Preference;
        const nlohmann::ordered_json summary = databuild::runExport(job);
        const QList<QJsonObject> train = splitFile(dir, QStringLiteral("train.jsonl"));
        const QList<QJsonObject> validation = splitFile(dir, QStringLiteral("validation.jsonl"));
        QCOMPARE(train.size() + validation.size(), 2312);
        QVERIFY(!validation.isEmpty());
        for (const QJsonObject& line : train) {
            QCOMPARE(line.keys(), (QStringList{"chosen", "prompt", "rejected"}));
            const QJsonArray prompt = line.value(QStringLiteral("prompt")).toArray();
            QCOMPARE(prompt.last().toObject().value(QStringLiteral("role")).toString(),
                     QStringLiteral("user"));
            const QJsonArray chosen = line.value(QStringLiteral("chosen")).toArray();
            QCOMPARE(chosen.size(), 1);
            QCOMPARE(chosen[0].toObject().value(QStringLiteral("role")).toString(),
                     QStringLiteral("assistant"));
        }
        QCOMPARE(summary["not_exportable"].get<int>(), 0);
        // Our reader takes the exported file back as preference pairs.
        QCOMPARE(
            readFileRecords(data::Format::Preference, dir.filePath(QStringLiteral("out/train.jsonl"))).size(),
            static_cast<std::size_t>(train.size()));
    }

    void conversationsAreNotPreferencePairs() {
        QTemporaryDir dir;
        writeFile(
            dir.filePath(QStringLiteral("in.jsonl")),
            R"({"messages":[{"role":"user","content":"Chào"},{"role":"assistant","content":"Chào bạn"}]})"
            "\n");
        databuild::ExportJob job =
            exportJob(dir, dir.filePath(QStringLiteral("in.jsonl")), data::Format::Messages);
        job.kind = databuild::ExportKind::Preference;
        QCOMPARE(databuild::runExport(job)["not_exportable"].get<int>(), 1);
        const QList<QJsonObject> skipped = splitFile(dir, QStringLiteral("skipped.jsonl"));
        QCOMPARE(skipped.size(), 1);
        QCOMPARE(skipped[0].value(QStringLiteral("line")).toInt(), 1);
    }

    void datasetCardListsSourcesFiltersAndStatistics() {
        VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
        QTemporaryDir dir;
        const QString summary_path = dir.filePath(QStringLiteral("clean.json"));
        writeFile(
            summary_path,
            R"({"step":"clean","records_read":1000,"kept":990,"dropped":10,"bad_lines":0,"reasons":{"lang":7,"pii":3},"options":{"lang":"vi"}})");
        databuild::ExportJob job = exportJob(dir, alpaca, data::Format::PromptResponse);
        job.summary_paths = {summary_path.toStdString()};
        job.dataset_name = "vi-alpaca-demo";
        const nlohmann::ordered_json summary = databuild::runExport(job);
        const QString card = QString::fromUtf8(readWholeFile(dir.filePath(QStringLiteral("out/README.md"))));
        QVERIFY(card.startsWith(QStringLiteral("# vi-alpaca-demo\n")));
        const int train = summary["train_records"].get<int>();
        const int validation = summary["validation_records"].get<int>();
        QCOMPARE(train + validation, 1000);
        QVERIFY2(
            card.contains(QStringLiteral("| vi_alpaca_gpt4vn_sample1000.jsonl | unknown (1000) | %1 | %2 |")
                              .arg(train)
                              .arg(validation)),
            qPrintable(card));
        QVERIFY(card.contains(QStringLiteral("## Filters applied")));
        QVERIFY(card.contains(QStringLiteral("| lang | 7 |")));
        QVERIFY(card.contains(QStringLiteral("| assistant | vi |")));
        QVERIFY(card.contains(QStringLiteral("| user turns | 1000 |")));
        // Built without a renderer (the backend alone): the card says so.
        QVERIFY(card.contains(QStringLiteral("No charts were drawn: this vietllm-cli was built without")));
        QVERIFY(summary["charts"].empty());
    }

    void chartsDescribeTheExportedRecords() {
        VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
        QTemporaryDir dir;
        databuild::ExportJob job = exportJob(dir, alpaca, data::Format::PromptResponse);
        std::vector<databuild::CardChart> drawn;
        job.chart_renderer = [&](const databuild::CardChart& chart, const std::string& path) {
            QCOMPARE(QString::fromStdString(path),
                     dir.filePath(QStringLiteral("out/")) + QString::fromStdString(chart.file_name));
            drawn.push_back(chart);
        };
        const nlohmann::ordered_json summary = databuild::runExport(job);
        QCOMPARE(drawn.size(), std::size_t(4));
        const QString card = QString::fromUtf8(readWholeFile(dir.filePath(QStringLiteral("out/README.md"))));
        for (const databuild::CardChart& chart : drawn) {
            QCOMPARE(chart.labels.size(), chart.values.size());
            QVERIFY2(card.contains(QStringLiteral("](%1)").arg(QString::fromStdString(chart.file_name))),
                     chart.file_name.c_str());
            double total = 0;
            for (const double value : chart.values) total += value;
            // Every exported record is in each histogram and the source chart; each record has
            // user and assistant languages.
            QCOMPARE(total, chart.file_name == "chart_languages.png" ? 2000.0 : 1000.0);
        }
        QCOMPARE(drawn[0].labels.size(), databuild::lengthBucketEdges().size() + 1);
        QCOMPARE(drawn[0].labels.front(), std::string("<50"));
        QCOMPARE(drawn[0].labels.back(), std::string("5000+"));
        QCOMPARE(summary["charts"].size(), std::size_t(4));
    }
};

QTEST_GUILESS_MAIN(TestDatabuildExport)
#include "tst_databuild_export.moc"
