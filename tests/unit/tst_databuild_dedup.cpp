// Tests of `data dedup`: shingles, Jaccard and MinHash estimates, the LSH banding choice, and on
// real Vietnamese samples a constructed set with planted exact duplicates (differing only in
// spaces and tone placement), planted near duplicates of known Jaccard and distinct records,
// across and within input files.

#include "backend/common/errors.h"
#include "backend/databuild/dedup.h"
#include "backend/databuild/minhash.h"
#include "backend/databuild/record_text.h"
#include "backend/text/normalize.h"
#include "tests/common/data_test_support.h"
#include "tests/common/test_support.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <map>

using namespace vietllm;
using namespace vietllm::testing;

namespace {

void writeFile(const QString& path, const std::string& text) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

data::Conversation& conversationOf(data::Record& record) {
    return std::get<data::Conversation>(record);
}

std::string answerOf(const data::Record& record) {
    return std::get<data::Conversation>(record).messages.back().content;
}

std::vector<std::uint64_t> shinglesOf(const data::Record& record) {
    std::string text;
    databuild::forEachText(
        record, [&](data::Role, const std::string& field) { text += text::normalize(field) + '\n'; });
    return databuild::shingleSet(text, 5);
}

// The answer with its middle word replaced: a near duplicate.
std::string editMiddleWord(const std::string& answer) {
    std::size_t middle = answer.find(' ', answer.size() / 2);
    const std::size_t end = answer.find(' ', middle + 1);
    if (middle == std::string::npos || end == std::string::npos) {
        return answer + " thêm";
    }
    return answer.substr(0, middle) + " chữkhác" + answer.substr(end);
}

}  // namespace

class TestDatabuildDedup : public QObject {
    Q_OBJECT

private slots:
    void shinglesAndJaccard() {
        const auto a = databuild::shingleSet("Một hai ba bốn năm sáu", 3);
        QCOMPARE(a.size(), std::size_t{4});
        const auto b = databuild::shingleSet("MỘT hai, ba... bốn năm sáu!", 3);
        QCOMPARE(databuild::exactJaccard(a, b), 1.0);  // case and punctuation do not count
        const auto c = databuild::shingleSet("Một hai ba bốn năm bảy", 3);
        QCOMPARE(databuild::exactJaccard(a, c), 3.0 / 5.0);
        QCOMPARE(databuild::shingleSet("Xin chào", 5).size(), std::size_t{1});  // short text: one shingle
        QVERIFY(databuild::shingleSet("!!! ...", 5).empty());
        // "hoà" and "hòa" differ before normalization: shingles are not normalized for the caller.
        QVERIFY(databuild::exactJaccard(databuild::shingleSet("hoà bình", 2),
                                        databuild::shingleSet("hòa bình", 2)) < 1.0);
    }

    void minhashEstimatesJaccard() {
        std::string base;
        for (int i = 0; i < 300; ++i) {
            base += "từ" + std::to_string(i) + ' ';
        }
        std::string edited = base;
        edited.replace(edited.find("từ150 "), 6, "khác ");
        const auto a = databuild::shingleSet(base, 5);
        const auto b = databuild::shingleSet(edited, 5);
        const double exact = databuild::exactJaccard(a, b);
        const databuild::MinHasher hasher(256, 7);
        const double estimate = databuild::estimatedJaccard(hasher.signature(a), hasher.signature(b));
        QVERIFY2(std::fabs(estimate - exact) < 0.08,
                 qPrintable(QStringLiteral("%1 vs %2").arg(estimate).arg(exact)));
        QCOMPARE(databuild::estimatedJaccard(hasher.signature(a), hasher.signature(a)), 1.0);
    }

    void bandingFavoursRecallAtTheThreshold() {
        const databuild::LshBands bands = databuild::chooseBands(128, 0.8);
        QVERIFY(bands.bands * bands.rows <= 128);
        const auto collide = [&](double s) { return 1 - std::pow(1 - std::pow(s, bands.rows), bands.bands); };
        QVERIFY2(collide(0.9) > 0.98, qPrintable(QString::number(collide(0.9))));
        QVERIFY2(collide(0.4) < 0.05, qPrintable(QString::number(collide(0.4))));
    }

    void findsPlantedDuplicatesAcrossAndWithinInputs() {
        VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
        std::vector<data::Record> records = readFileRecords(data::Format::PromptResponse, alpaca);
        QVERIFY(records.size() >= 400);
        QTemporaryDir dir;
        const std::vector<data::Record> first(records.begin(), records.begin() + 200);
        writeFile(dir.filePath(QStringLiteral("a.jsonl")), writeRecords(data::Format::Messages, first));

        std::vector<data::Record> second;
        std::map<std::string, std::pair<std::string, std::string>>
            expected;  // copy id -> (kind, original id)
        const auto plant = [&](data::Record copy, const std::string& kind, const std::string& original_id) {
            const std::string id = "copy-" + std::to_string(second.size());
            databuild::provenanceOf(copy).original_id = id;
            expected[id] = {kind, original_id};
            second.push_back(std::move(copy));
        };
        // Exact duplicates: only spaces and the tone placement differ, which normalization removes.
        for (std::size_t i = 0; i < 10; ++i) {
            data::Record copy = records[i];
            for (data::Message& message : conversationOf(copy).messages) {
                message.content = "  " + message.content + " ";
                for (std::size_t at = message.content.find("hòa"); at != std::string::npos;
                     at = message.content.find("hòa", at)) {
                    message.content.replace(at, std::string("hòa").size(), "hoà");
                }
            }
            plant(std::move(copy), "exact", databuild::recordId(records[i]));
        }
        // Near duplicates with one word changed and a known Jaccard of at least 0.9.
        std::size_t near_planted = 0;
        for (std::size_t i = 10; i < 200 && near_planted < 20; ++i) {
            data::Record copy = records[i];
            conversationOf(copy).messages.back().content = editMiddleWord(answerOf(copy));
            if (databuild::exactJaccard(shinglesOf(records[i]), shinglesOf(copy)) < 0.9) {
                continue;
            }
            plant(std::move(copy), "near", databuild::recordId(records[i]));
            ++near_planted;
        }
        QCOMPARE(near_planted, std::size_t{20});
        // Distinct records (never in a.jsonl), one of them twice: a duplicate within the input.
        for (std::size_t i = 300; i < 340; ++i) {
            second.push_back(records[i]);
        }
        data::Record repeat = records[300];
        databuild::provenanceOf(repeat).original_id = "copy-repeat";
        expected["copy-repeat"] = {"exact", databuild::recordId(records[300])};
        second.push_back(repeat);
        writeFile(dir.filePath(QStringLiteral("b.jsonl")), writeRecords(data::Format::Messages, second));

        databuild::DedupJob job;
        job.input.paths = {dir.filePath(QStringLiteral("a.jsonl")).toStdString(),
                           dir.filePath(QStringLiteral("b.jsonl")).toStdString()};
        job.input.threads = 2;
        job.output_path = dir.filePath(QStringLiteral("out.jsonl")).toStdString();
        job.duplicates_path = dir.filePath(QStringLiteral("dups.jsonl")).toStdString();
        const nlohmann::ordered_json summary = databuild::runDedup(job);

        std::map<std::string, std::pair<std::string, std::string>> found;
        for (const QJsonObject& entry :
             qtJsonLines(readWholeFile(dir.filePath(QStringLiteral("dups.jsonl"))))) {
            found[entry.value(QStringLiteral("id")).toString().toStdString()] = {
                entry.value(QStringLiteral("kind")).toString().toStdString(),
                entry.value(QStringLiteral("duplicate_of")).toString().toStdString()};
        }
        for (const auto& [id, want] : expected) {
            QVERIFY2(found.count(id) == 1, id.c_str());
            QCOMPARE(QString::fromStdString(found[id].first), QString::fromStdString(want.first));
            QCOMPARE(QString::fromStdString(found[id].second), QString::fromStdString(want.second));
        }
        QCOMPARE(found.size(), expected.size());  // no distinct record was taken for a duplicate
        QCOMPARE(summary["kept"].get<std::size_t>(), first.size() + 40);
        QCOMPARE(nonEmptyLines(readWholeFile(dir.filePath(QStringLiteral("out.jsonl")))).size(),
                 static_cast<int>(first.size() + 40));
    }

    // Shards (--shard I/N) and hand-split parts write signature files; the merge over them writes
    // exactly what one unsharded run writes.
    void crossShardMergeEqualsOnePass() {
        VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
        std::vector<data::Record> records = readFileRecords(data::Format::PromptResponse, alpaca);
        QVERIFY(records.size() >= 300);
        records.resize(300);
        // Exact and near copies of records among the first 150, planted among the last 150, so that
        // originals and copies fall in other shards.
        std::vector<data::Record> copies;
        std::size_t near_planted = 0;
        for (std::size_t i = 0; i < 150 && copies.size() < 20; ++i) {
            data::Record copy = records[i];
            databuild::provenanceOf(copy).original_id = "copy-" + std::to_string(i);
            conversationOf(copy).messages.back().content = editMiddleWord(answerOf(copy));
            const bool near = databuild::exactJaccard(shinglesOf(records[i]), shinglesOf(copy)) >= 0.9;
            if (near && near_planted < 10) {
                ++near_planted;
            } else if (copies.size() - near_planted < 10 && i % 5 == 0) {
                conversationOf(copy).messages.back().content = answerOf(records[i]);
            } else {
                continue;
            }
            copies.push_back(std::move(copy));
        }
        QCOMPARE(copies.size(), std::size_t(20));
        std::vector<data::Record> planted_set(records.begin(), records.begin() + 150);
        for (std::size_t i = 150; i < records.size(); ++i) {
            planted_set.push_back(records[i]);
            if (i % 7 == 0 && !copies.empty()) {
                planted_set.push_back(copies.back());
                copies.pop_back();
            }
        }
        planted_set.insert(planted_set.end(), copies.begin(), copies.end());
        records = planted_set;
        const std::size_t planted = 20;
        QTemporaryDir dir;
        const auto path = [&](const char* name) {
            return dir.filePath(QString::fromLatin1(name)).toStdString();
        };
        writeFile(QString::fromStdString(path("in.jsonl")), writeRecords(data::Format::Messages, records));
        const auto job = [&](std::vector<std::string> inputs, const std::string& out) {
            databuild::DedupJob dedup;
            dedup.input.paths = std::move(inputs);
            dedup.input.threads = 2;
            dedup.output_path = out;
            dedup.duplicates_path = out + ".duplicates.jsonl";
            return dedup;
        };
        const nlohmann::ordered_json one_pass =
            databuild::runDedup(job({path("in.jsonl")}, path("one.jsonl")));
        QCOMPARE(near_planted, std::size_t(10));
        QVERIFY(one_pass["dropped"].get<std::size_t>() >= planted);
        QVERIFY(one_pass["reasons"]["near-duplicate"].get<std::size_t>() >= near_planted);

        std::vector<std::string> signatures;
        for (std::size_t k = 0; k < 3; ++k) {
            databuild::DedupJob shard = job({path("in.jsonl")}, path("shard.jsonl"));
            shard.input.shard = {k, 3};
            shard.signatures_path = path("sig") + std::to_string(k) + ".jsonl";
            databuild::runDedup(shard);
            signatures.push_back(shard.signatures_path);
        }
        databuild::DedupMergeJob merge;
        merge.input.paths = {path("in.jsonl")};
        merge.signature_paths = {signatures[2], signatures[0], signatures[1]};  // any order
        merge.output_path = path("merged.jsonl");
        merge.duplicates_path = path("merged.dups.jsonl");
        const nlohmann::ordered_json merged = databuild::runDedupMerge(merge);
        QCOMPARE(merged["kept"], one_pass["kept"]);
        QCOMPARE(readWholeFile(QString::fromStdString(path("merged.jsonl"))),
                 readWholeFile(QString::fromStdString(path("one.jsonl"))));
        QCOMPARE(readWholeFile(QString::fromStdString(path("merged.dups.jsonl"))),
                 readWholeFile(QString::fromStdString(path("one.jsonl.duplicates.jsonl"))));

        // The file split by hand in 3 parts, each deduplicated on its own through the CLI.
        const std::size_t third = records.size() / 3;
        QStringList parts;
        QStringList part_signatures;
        for (std::size_t k = 0; k < 3; ++k) {
            const auto begin = records.begin() + static_cast<std::ptrdiff_t>(k * third);
            const auto end = k == 2 ? records.end() : begin + static_cast<std::ptrdiff_t>(third);
            parts << dir.filePath(QStringLiteral("part%1.jsonl").arg(k));
            part_signatures << dir.filePath(QStringLiteral("part%1.sig").arg(k));
            writeFile(parts.back(),
                      writeRecords(data::Format::Messages, std::vector<data::Record>(begin, end)));
            const auto part = runCli({QStringLiteral("data"), QStringLiteral("dedup"), parts.back(),
                                      dir.filePath(QStringLiteral("part-out.jsonl")),
                                      QStringLiteral("--signatures-out"), part_signatures.back()});
            QVERIFY2(part.exit_code == 0, part.standard_error.constData());
        }
        const auto cli_merge =
            runCli(QStringList{QStringLiteral("data"), QStringLiteral("dedup"),
                               QStringLiteral("--merge-shards"), part_signatures.join(QLatin1Char(','))} +
                   parts + QStringList{dir.filePath(QStringLiteral("parts-merged.jsonl"))});
        QVERIFY2(cli_merge.exit_code == 0, cli_merge.standard_error.constData());
        QCOMPARE(readWholeFile(dir.filePath(QStringLiteral("parts-merged.jsonl"))),
                 readWholeFile(QString::fromStdString(path("one.jsonl"))));

        // Signature files that do not fit: a missing shard, other inputs.
        merge.signature_paths = {signatures[0], signatures[1]};
        QVERIFY_THROWS_EXCEPTION(UserError, databuild::runDedupMerge(merge));
        merge.signature_paths = signatures;
        merge.input.paths = {parts[0].toStdString()};
        QVERIFY_THROWS_EXCEPTION(UserError, databuild::runDedupMerge(merge));
    }

    void exactOnlyLeavesNearDuplicates() {
        QTemporaryDir dir;
        const std::string line_a =
            R"({"messages":[{"role":"user","content":"Kể một câu chuyện ngắn về mùa thu ở Hà Nội với lá vàng rơi trên phố cổ"}]})";
        const std::string line_b =
            R"({"messages":[{"role":"user","content":"Kể một câu chuyện ngắn về mùa thu ở Hà Nội với lá vàng rơi trên phố xưa"}]})";
        writeFile(dir.filePath(QStringLiteral("in.jsonl")), line_a + "\n" + line_b + "\n" + line_a + "\n");
        databuild::DedupJob job;
        job.input.paths = {dir.filePath(QStringLiteral("in.jsonl")).toStdString()};
        job.output_path = dir.filePath(QStringLiteral("out.jsonl")).toStdString();
        job.duplicates_path = dir.filePath(QStringLiteral("dups.jsonl")).toStdString();
        job.options.near = false;
        QCOMPARE(databuild::runDedup(job)["kept"].get<int>(), 2);
        job.options.near = true;
        job.options.threshold = 0.7;
        QCOMPARE(databuild::runDedup(job)["kept"].get<int>(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDatabuildDedup)
#include "tst_databuild_dedup.moc"
