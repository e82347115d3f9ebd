// Masking and restoring for translation, and the checks on translated fields: round trips on
// the 5658 Debian gettext UI strings (printf placeholders), the validator against the real
// Vietnamese translations, and the length-ratio bounds against the parallel samples.

#include "backend/common/utf8.h"
#include "backend/databuild/translate_check.h"
#include "backend/databuild/translate_mask.h"
#include "tests/common/test_support.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <map>

using namespace vietllm::databuild;

namespace {

// The TSV escapes tab, newline and backslash inside fields.
std::string unescapeField(const std::string& field) {
    std::string out;
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 1 < field.size()) {
            const char next = field[i + 1];
            if (next == 'n' || next == 't' || next == '\\') {
                out.push_back(next == 'n' ? '\n' : next == 't' ? '\t' : '\\');
                ++i;
                continue;
            }
        }
        out.push_back(field[i]);
    }
    return out;
}

std::vector<std::vector<std::string>> readTsv(const QString& path, bool skip_header) {
    std::ifstream input(path.toStdString());
    std::vector<std::vector<std::string>> rows;
    std::string line;
    if (skip_header) {
        std::getline(input, line);
    }
    while (std::getline(input, line)) {
        std::vector<std::string> fields;
        std::size_t start = 0;
        for (std::size_t tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', start)) {
            fields.push_back(line.substr(start, tab - start));
            start = tab + 1;
        }
        fields.push_back(line.substr(start));
        rows.push_back(fields);
    }
    return rows;
}

// The printf-style placeholders of a text, sorted (a translation may reorder them).
std::vector<std::string> printfPlaceholders(const std::string& text) {
    std::vector<std::string> found;
    for (const ProtectedSpan& span : maskForTranslation(text).spans) {
        if (span.kind == ProtectedKind::Placeholder && span.text.front() == '%') {
            found.push_back(span.text);
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::vector<std::string> kindsAndTexts(const MaskedText& masked) {
    std::vector<std::string> out;
    for (const ProtectedSpan& span : masked.spans) {
        out.push_back(std::string(protectedKindName(span.kind)) + ":" + span.text);
    }
    return out;
}

bool hasReason(const std::vector<TranslationProblem>& problems, const std::string& reason) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const TranslationProblem& problem) { return problem.reason == reason; });
}

std::map<std::string, std::string> xquadParagraphs(const QString& path) {
    std::ifstream input(path.toStdString());
    const nlohmann::json document = nlohmann::json::parse(input);
    std::map<std::string, std::string> paragraphs;
    for (const auto& article : document["data"]) {
        for (const auto& paragraph : article["paragraphs"]) {
            paragraphs[paragraph["qas"][0]["id"].get<std::string>()] =
                paragraph["context"].get<std::string>();
        }
    }
    return paragraphs;
}

}  // namespace

class TestTranslateMask : public QObject {
    Q_OBJECT

private slots:
    void masksEachKind() {
        const MaskedText masked = maskForTranslation(
            "## Setup\n- Run `make` then see https://example.com/a_(b).\n"
            "Mail dev@example.org; solve $x^2 = 4$ for \\(x\\); it costs $5 and $10.\n"
            "Hello {name}, {{user}} has %d files in %(dir)s (%1$s), 50% of them <b>new</b>.\n"
            "```python\ndef add(a, b):\n    return a + b  # 100% safe\n```\nDone.");
        const std::vector<std::string> expected = {
            "markdown:## ",
            "markdown:- ",
            "inline-code:`make`",
            "url:https://example.com/a_(b)",
            "email:dev@example.org",
            "math:$x^2 = 4$",
            "math:\\(x\\)",
            "placeholder:{name}",
            "placeholder:{{user}}",
            "placeholder:%d",
            "placeholder:%(dir)s",
            "placeholder:%1$s",
            "tag:<b>",
            "tag:</b>",
            "code-block:```python\ndef add(a, b):\n    return a + b  # 100% safe\n```"};
        QCOMPARE(kindsAndTexts(masked), expected);
        QVERIFY(masked.text.find("$5 and $10") != std::string::npos);
        QVERIFY(masked.text.find("50% of") != std::string::npos);
        QVERIFY(masked.text.find("\xE2\x9F\xA6"
                                 "0\xE2\x9F\xA7Setup") == 0);
    }

    void literalBracketsAreProtectedToo() {
        const std::string text =
            "a \xE2\x9F\xA6"
            "1\xE2\x9F\xA7 b %s";
        const MaskedText masked = maskForTranslation(text);
        QCOMPARE(masked.spans.size(), std::size_t(3));
        QCOMPARE(restoreMasked(masked.text, masked.spans).text, text);
    }

    void restoreReportsMissingDuplicatedUnknown() {
        const MaskedText masked = maskForTranslation("Copy %s to %s now");
        QCOMPARE(masked.spans.size(), std::size_t(2));
        const RestoreResult dropped = restoreMasked(
            "Chép \xE2\x9F\xA6"
            "0\xE2\x9F\xA7 ngay",
            masked.spans);
        QCOMPARE(dropped.missing, std::vector<std::string>{maskToken(1)});
        const RestoreResult twice =
            restoreMasked(masked.text + " " + maskToken(0) + " " + maskToken(7), masked.spans);
        QCOMPARE(twice.duplicated, std::vector<std::string>{maskToken(0)});
        QCOMPARE(twice.unknown, std::vector<std::string>{maskToken(7)});
        QVERIFY(restoreMasked(masked.text, masked.spans).ok());
        // A model that spaces out tokens or adds a space after a list marker still restores cleanly.
        const MaskedText list = maskForTranslation("- item");
        QCOMPARE(restoreMasked("\xE2\x9F\xA6 0 \xE2\x9F\xA7  mục", list.spans).text, std::string("- mục"));
    }

    void gettextRoundTripAndValidator() {
        VIETLLM_REQUIRE_SAMPLE(path, "parallel/envi_debian_gettext_ui_strings.tsv");
        const auto rows = readTsv(path, true);
        QCOMPARE(rows.size(), std::size_t(5658));
        std::size_t with_printf = 0;
        std::size_t vi_match = 0;
        std::size_t round_trips = 0;
        for (const auto& row : rows) {
            QCOMPARE(row.size(), std::size_t(5));
            const std::string en = unescapeField(row[3]);
            const MaskedText masked = maskForTranslation(en);
            const RestoreResult restored = restoreMasked(masked.text, masked.spans);
            QVERIFY2(restored.ok() && restored.text == en, en.c_str());
            ++round_trips;
            const std::vector<std::string> en_placeholders = printfPlaceholders(en);
            if (en_placeholders.empty()) {
                continue;
            }
            ++with_printf;
            vi_match += printfPlaceholders(unescapeField(row[4])) == en_placeholders ? 1 : 0;
        }
        qInfo(
            "gettext: %zu rows round-trip exactly; %zu have printf placeholders; the vi column keeps the "
            "same placeholders in %zu (%.1f%%), %zu differ",
            round_trips, with_printf, vi_match, 100.0 * double(vi_match) / double(with_printf),
            with_printf - vi_match);
        QVERIFY(with_printf >= 1762);
        QVERIFY(vi_match >= with_printf * 95 / 100);
    }

    void lengthBoundsFitTheParallelSamples() {
        VIETLLM_REQUIRE_SAMPLE(tatoeba, "parallel/envi_tatoeba_manythings_2017.tsv");
        VIETLLM_REQUIRE_SAMPLE(xquad_en, "parallel/en_xquad.en.json");
        VIETLLM_REQUIRE_SAMPLE(xquad_vi, "parallel/vi_xquad.vi.json");
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const auto& row : readTsv(tatoeba, false)) {
            pairs.emplace_back(row.at(0), row.at(1));
        }
        const std::size_t tatoeba_count = pairs.size();
        const auto english = xquadParagraphs(xquad_en);
        const auto vietnamese = xquadParagraphs(xquad_vi);
        for (const auto& [id, text] : english) {
            pairs.emplace_back(text, vietnamese.at(id));
        }
        std::size_t length_ok[2] = {0, 0};
        std::size_t all_ok[2] = {0, 0};
        std::size_t english_caught[2] = {0, 0};
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            const std::size_t set = i < tatoeba_count ? 0 : 1;
            const MaskedText source = maskForTranslation(pairs[i].first);
            const auto problems = checkTranslation(source, maskForTranslation(pairs[i].second).text, "stop");
            length_ok[set] += hasReason(problems, "length_ratio") ? 0 : 1;
            all_ok[set] += problems.empty() ? 1 : 0;
            // The English text itself as the "translation": must not pass.
            english_caught[set] += checkTranslation(source, source.text, "stop").empty() ? 0 : 1;
        }
        const std::size_t xquad_count = pairs.size() - tatoeba_count;
        qInfo(
            "length ratio within bounds: tatoeba %zu/%zu, xquad %zu/%zu; no problem at all: tatoeba %zu, "
            "xquad %zu; English echoed back caught: tatoeba %zu, xquad %zu",
            length_ok[0], tatoeba_count, length_ok[1], xquad_count, all_ok[0], all_ok[1], english_caught[0],
            english_caught[1]);
        QCOMPARE(tatoeba_count, std::size_t(3311));
        QCOMPARE(xquad_count, std::size_t(240));
        QVERIFY(length_ok[0] >= tatoeba_count * 99 / 100);
        QVERIFY(length_ok[1] >= xquad_count * 99 / 100);
        QVERIFY(all_ok[0] >= tatoeba_count * 95 / 100);
        QVERIFY(all_ok[1] >= xquad_count * 97 / 100);
        QCOMPARE(english_caught[1], xquad_count);
        QVERIFY(english_caught[0] >= tatoeba_count * 95 / 100);
    }

    void checksCatchAnswersNotesAndEnglish() {
        const MaskedText question = maskForTranslation("What is the capital of France? Answer in one word.");
        const auto answered =
            checkTranslation(question,
                             "Thủ đô của Pháp là Paris. Paris là thành phố lớn nhất nước Pháp, nằm bên bờ "
                             "sông Seine, và là trung "
                             "tâm chính trị, kinh tế, văn hóa của cả nước từ nhiều thế kỷ nay.",
                             "stop");
        QVERIFY(hasReason(answered, "answered_instead"));
        QVERIFY(hasReason(answered, "length_ratio"));
        const auto noted = checkTranslation(
            question, "Đây là bản dịch: Thủ đô của Pháp là gì? Trả lời bằng một từ.", "stop");
        QVERIFY(hasReason(noted, "translator_note"));
        const MaskedText prose = maskForTranslation(
            "Open the file and check that the settings are correct before you start the server again.");
        const auto residue = checkTranslation(
            prose, "Mở tệp và kiểm tra that the settings are correct before you start the server again.",
            "stop");
        QVERIFY(hasReason(residue, "english_residue"));
        QVERIFY(hasReason(checkTranslation(prose, "Mở tệp", "length"), "truncated"));
        const auto good = checkTranslation(
            prose, "Mở tệp và kiểm tra xem các thiết lập đã đúng chưa trước khi khởi động lại máy chủ.",
            "stop");
        QVERIFY2(good.empty(), good.empty() ? "" : good.front().detail.c_str());
    }
};

QTEST_GUILESS_MAIN(TestTranslateMask)
#include "tst_translate_mask.moc"
