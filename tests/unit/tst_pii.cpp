// Tests of backend/text/pii.h: Vietnamese phone numbers in their written forms, emails, CCCD/CMND
// and passport numbers next to their keywords, Luhn-valid cards, IPv4/IPv6; the many numbers that
// must stay unflagged (amounts, dates, times, scores, law and product numbers, orders, ISBNs);
// code-point offsets, redaction, the CLI, and the false-positive count on real news and Wikipedia.

#include "backend/text/pii.h"
#include "tests/common/csv_reader.h"
#include "tests/common/test_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <string>
#include <vector>

using vietllm::text::findPii;
using vietllm::text::PiiSpan;
using vietllm::text::PiiType;
using vietllm::text::piiTypeName;
using vietllm::text::redactPii;

namespace {

QString spanText(const QString& text, const PiiSpan& span) {
    return vietllm::testing::codePointSlice(text, span.begin, span.end);
}

// "type:text" for every span, e.g. "phone:0912 345 678", in order.
QStringList describe(const QString& text) {
    QStringList out;
    for (const PiiSpan& span : findPii(text.toStdString())) {
        out << QString::fromLatin1(piiTypeName(span.type)) + QLatin1Char(':') + spanText(text, span);
    }
    return out;
}

QStringList readLines(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
}

}  // namespace

class TestPii : public QObject {
    Q_OBJECT

private slots:
    void findsPersonalData_data();
    void findsPersonalData();
    void leavesOtherNumbersAlone_data();
    void leavesOtherNumbersAlone();
    void separatesNumbersSideBySide();
    void offsetsAreCodePoints();
    void emailWinsOverDigitsInside();
    void redactsWithTypeTags();
    void survivesHostileInput();
    void cliRedactsAndReportsJson();
    void fewFalsePositivesOnRealNewsAndWikipedia();
    void findsRealPhoneNumbersInComments();
};

void TestPii::findsPersonalData_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    const auto row = [](const char* name, const char* text, QStringList expected) {
        QTest::newRow(name) << QString::fromUtf8(text) << expected;
    };
    // Mobiles, in the spellings people use.
    row("mobile spaced", "Liên hệ chị Lan: 0912 345 678 nhé", {"phone:0912 345 678"});
    row("mobile dotted", "SĐT 0912.345.678 (gọi giờ hành chính)", {"phone:0912.345.678"});
    row("mobile dashed", "Số của em 0987-654-321 ạ", {"phone:0987-654-321"});
    row("mobile run", "zalo 0376500640 nha", {"phone:0376500640"});
    row("mobile 3-3-4", "Hotline bán hàng: 091 234 5678", {"phone:091 234 5678"});
    row("plus84 parenthesized", "Gọi (+84) 912-345-678 để đặt bàn", {"phone:(+84) 912-345-678"});
    row("plus84 run", "WhatsApp: +84912345678", {"phone:+84912345678"});
    row("plus84 spaced", "Điện thoại +84 98 765 4321", {"phone:+84 98 765 4321"});
    row("84 without plus", "liên lạc 84 912 345 678 giúp mình", {"phone:84 912 345 678"});
    row("plus84 with zero", "+84 0912 345 678", {"phone:+84 0912 345 678"});
    row("old 11-digit mobile", "So dien thoai con ne 01265675201", {"phone:01265675201"});
    row("vietnamobile 05x", "Thuê bao 0523 456 789 của Vietnamobile", {"phone:0523 456 789"});
    // Landlines: 02x area codes, 11 digits.
    row("landline Hà Nội", "Văn phòng Phường Ba Đình: 024 3825 1234", {"phone:024 3825 1234"});
    row("landline HCM dotted", "Tổng đài Phường Bến Nghé 028.3822.1234", {"phone:028.3822.1234"});
    row("landline parenthesized", "Fax (024) 3825 1234 hoặc (028) 38221234",
        {"phone:(024) 3825 1234", "phone:(028) 38221234"});
    row("landline province", "UBND xã gọi 0236 3821 234 (Đà Nẵng)", {"phone:0236 3821 234"});
    // Emails.
    row("email", "Gửi CV về tuyendung.hn@congty.com.vn trước thứ Sáu.", {"email:tuyendung.hn@congty.com.vn"});
    row("email sentence end", "Email của tôi: nguyen.van.a+vietllm@gmail.com.",
        {"email:nguyen.van.a+vietllm@gmail.com"});
    // Identity documents, next to their keywords (with and without diacritics).
    row("cccd keyword", "Số CCCD: 001099012345, cấp ngày 10/10/2021", {"id:001099012345"});
    row("căn cước", "Căn cước công dân số 079203001234 do Cục Cảnh sát cấp", {"id:079203001234"});
    row("can cuoc unaccented", "so can cuoc cua toi la 001099012345", {"id:001099012345"});
    row("số định danh", "Số định danh cá nhân 036185000123", {"id:036185000123"});
    row("cmnd 9 digits", "CMND: 012345678 cấp tại Hà Nội", {"id:012345678"});
    row("chứng minh", "chứng minh nhân dân số 225123456", {"id:225123456"});
    row("cmnd/cccd", "CMND/CCCD 001 099 012 345", {"id:001 099 012 345"});
    row("id after number", "001099012345 là số CCCD của bố tôi", {"id:001099012345"});
    row("passport", "Hộ chiếu số C1234567, hết hạn 2030", {"id:C1234567"});
    // Cards: Luhn-valid, known issuer, written in fours or in one run.
    row("visa spaced", "Thẻ Visa 4111 1111 1111 1111 hết hạn 12/25", {"card:4111 1111 1111 1111"});
    row("mastercard dashed", "thanh toán bằng 5555-5555-5555-4444", {"card:5555-5555-5555-4444"});
    row("amex 4-6-5", "Amex 3782 822463 10005", {"card:3782 822463 10005"});
    row("card run", "số thẻ 4012888888881881", {"card:4012888888881881"});
    // Addresses.
    row("ipv4", "Máy chủ nội bộ 192.168.1.10 không truy cập được.", {"ip:192.168.1.10"});
    row("ipv6", "Địa chỉ IPv6 2001:db8::8a2e:370:7334 của router", {"ip:2001:db8::8a2e:370:7334"});
    row("ipv6 full", "fe80:0:0:0:202:b3ff:fe1e:8329", {"ip:fe80:0:0:0:202:b3ff:fe1e:8329"});
    row("mixed", "Anh Minh (0903 123 456, minh@fpt.vn) ở 10.0.0.5",
        {"phone:0903 123 456", "email:minh@fpt.vn", "ip:10.0.0.5"});
}

void TestPii::findsPersonalData() {
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(describe(text), expected);
}

void TestPii::leavesOtherNumbersAlone_data() {
    QTest::addColumn<QString>("text");
    const auto row = [](const char* name, const char* text) {
        QTest::newRow(name) << QString::fromUtf8(text);
    };
    row("price dong", "Giá bán 1.500.000 đồng một chiếc.");
    row("price big", "Dự án trị giá 2.500.000.000 đồng, tức 2,5 tỷ.");
    row("price spaced", "Vé máy bay chỉ 1 250 000 đ");
    row("price triệu", "Lương khoảng 2,5 triệu một tháng");
    row("price dollars", "Laptop giá $1,299.99 tại Mỹ");
    row("price 0-leading vnd", "Khoản vay 0912345678 VND");
    row("years", "Năm 2023 và 2024, giai đoạn 2016-2020");
    row("dates", "Ngày 12/05/2023, 20-10-2022 và 01.01.2024");
    row("times", "Họp lúc 10:30 và 14:45:00");
    row("scores", "Việt Nam thắng Thái Lan 3-2, tỷ số 1 - 0");
    row("law numbers", "Theo Nghị định 137/2015/NĐ-CP và Thông tư 07/2016/TT-BCA, Điều 12 khoản 3");
    row("versions", "Cập nhật v1.2.3 và phiên bản 10.0.19041.1");
    row("version 4 parts", "phiên bản 1.2.3.4 sửa lỗi");
    row("products", "iPhone 15 Pro, Galaxy S24, SKU-12345678, mã hàng AB-0912345678");
    row("order without context", "Mã đơn hàng 001099012345 đã giao thành công");
    row("order id", "ID đơn hàng 001099012345");
    row("bank account", "Số tài khoản 0011004123456 Vietcombank");
    row("12 digits no keyword", "Mã tra cứu 001099012345");
    row("cccd bad province", "Số CCCD: 003099012345");
    row("cccd bad century", "Số CCCD: 001899012345");
    row("isbn", "Nhà xuất bản Trẻ, ISBN 0-7864-0138-9, 2003");
    row("tax code", "Công ty ABC, mã số thuế: 0351234567");
    row("decimal", "Hệ số 0,912345678 và 0.9123456789");
    row("percent", "Tăng trưởng 0912345678%");
    row("hotline 1900", "Tổng đài 1900 1234 miễn phí");
    row("too short", "Gọi 0912 345 67");
    row("bad prefix", "Số 0612 345 678");
    row("card bad luhn", "Thẻ 4111 1111 1111 1112");
    row("card dotted", "4111.1111.1111.1111");
    row("ip out of range", "Giá trị 300.168.1.1 và 1.2.3");
    row("ip glued version", "bản v1.2.3.4");
    row("time triple", "Kết quả 12:30:45 và 10:20:30:40");
    row("cpp scope", "Dùng std::vector và a::b");
    row("postcode and house", "Số 12 ngõ 34 Phường Ngọc Hà, Thành phố Hà Nội, mã bưu chính 100000");
    row("passport without keyword", "Mã phòng C1234567");
    row("at sign not email", "@Nguyễn Văn A và a@b");
}

void TestPii::leavesOtherNumbersAlone() {
    QFETCH(QString, text);
    QCOMPARE(describe(text), QStringList());
}

void TestPii::separatesNumbersSideBySide() {
    QCOMPARE(describe(QStringLiteral("0912345678 0987654321")),
             QStringList({QStringLiteral("phone:0912345678"), QStringLiteral("phone:0987654321")}));
    QCOMPARE(describe(QStringLiteral("Năm 2023 0912345678")),
             QStringList({QStringLiteral("phone:0912345678")}));
    QCOMPARE(describe(QStringLiteral("SĐT: 0912.345.678 - 0987654321")),
             QStringList({QStringLiteral("phone:0912.345.678"), QStringLiteral("phone:0987654321")}));
}

void TestPii::offsetsAreCodePoints() {
    // "Điện thoại của Hường: " is 22 code points but more UTF-8 bytes; the span must count code points.
    const QString text = QStringLiteral("Điện thoại của Hường: 0912345678");
    const std::vector<PiiSpan> spans = findPii(text.toStdString());
    QCOMPARE(spans.size(), std::size_t{1});
    QCOMPARE(spans[0].begin, std::size_t{22});
    QCOMPARE(spans[0].end, std::size_t{32});
    // Decomposed (NFD) text has more code points before the number; offsets follow the input as given.
    const QString nfd = text.normalized(QString::NormalizationForm_D);
    const std::vector<PiiSpan> nfd_spans = findPii(nfd.toStdString());
    QCOMPARE(nfd_spans.size(), std::size_t{1});
    QCOMPARE(spanText(nfd, nfd_spans[0]), QStringLiteral("0912345678"));
}

void TestPii::emailWinsOverDigitsInside() {
    QCOMPARE(describe(QStringLiteral("0912345678@gmail.com")),
             QStringList({QStringLiteral("email:0912345678@gmail.com")}));
}

void TestPii::redactsWithTypeTags() {
    const std::string text =
        QStringLiteral(
            "Chị Hà, 0912 345 678, ha@gmail.com, CCCD 001099012345, thẻ 4111111111111111, "
            "IP 10.0.0.5")
            .toStdString();
    QCOMPARE(QString::fromStdString(redactPii(text, findPii(text))),
             QStringLiteral("Chị Hà, <PHONE>, <EMAIL>, CCCD <ID>, thẻ <CARD>, IP <IP>"));
    QCOMPARE(redactPii("không có gì", {}), std::string("không có gì"));
}

void TestPii::survivesHostileInput() {
    // Invalid UTF-8, lone separators and very long digit runs: no crash, sensible answers.
    const std::string invalid = std::string("\xff\xfe 0912345678 \xc3");
    const std::vector<PiiSpan> spans = findPii(invalid);
    QCOMPARE(spans.size(), std::size_t{1});
    QCOMPARE(spans[0].type, PiiType::Phone);
    QVERIFY(findPii("").empty());
    QVERIFY(findPii("(+").empty());
    QVERIFY(findPii("((((((((+++++ ---- ....").empty());
    QVERIFY(findPii(std::string(5000, '9')).empty());
    std::string groups;
    for (int i = 0; i < 2000; ++i) {
        groups += "12 ";
    }
    QVERIFY(findPii(groups).empty());
}

void TestPii::cliRedactsAndReportsJson() {
    const QByteArray input = QStringLiteral("Gọi 0912 345 678 nhé\nkhông có gì\n").toUtf8();
    const vietllm::testing::CliResult redacted = vietllm::testing::runCli({"text", "pii", "--redact"}, input);
    QCOMPARE(redacted.exit_code, 0);
    QCOMPARE(QString::fromUtf8(redacted.standard_output), QStringLiteral("Gọi <PHONE> nhé\nkhông có gì\n"));

    const vietllm::testing::CliResult json = vietllm::testing::runCli({"text", "pii"}, input);
    QCOMPARE(json.exit_code, 0);
    const QList<QByteArray> lines = json.standard_output.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonArray spans =
        QJsonDocument::fromJson(lines[0]).object().value(QStringLiteral("spans")).toArray();
    QCOMPARE(spans.size(), 1);
    const QJsonObject span = spans[0].toObject();
    QCOMPARE(span.value(QStringLiteral("type")).toString(), QStringLiteral("phone"));
    QCOMPARE(span.value(QStringLiteral("start")).toInt(), 4);
    QCOMPARE(span.value(QStringLiteral("end")).toInt(), 16);
    QCOMPARE(span.value(QStringLiteral("text")).toString(), QStringLiteral("0912 345 678"));
    QCOMPARE(QJsonDocument::fromJson(lines[1]).object().value(QStringLiteral("spans")).toArray().size(), 0);
}

// Measured when written: 1 span in the 1,000 news lines (a real, public newsroom address, so a
// true positive) and 0 in the 150 Wikipedia documents (17 ISBNs were flagged before the
// ISBN/lone-digit rules). The floors leave a little room.
void TestPii::fewFalsePositivesOnRealNewsAndWikipedia() {
    VIETLLM_REQUIRE_SAMPLE(news_path, "text/vi_news_binhvq_demo_full.txt");
    VIETLLM_REQUIRE_SAMPLE(wiki_path, "text/vi_wikipedia_150docs.jsonl");
    QElapsedTimer timer;
    timer.start();
    QStringList news_hits;
    for (const QString& line : readLines(news_path)) {
        news_hits << describe(line);
    }
    qInfo("news: %lld spans in 1000 lines: %s", static_cast<long long>(news_hits.size()),
          qPrintable(news_hits.join(QStringLiteral(" | "))));
    QVERIFY2(news_hits.size() <= 2, qPrintable(news_hits.join(QStringLiteral(" | "))));
    QStringList wiki_hits;
    for (const QString& line : readLines(wiki_path)) {
        const QString text =
            QJsonDocument::fromJson(line.toUtf8()).object().value(QStringLiteral("text")).toString();
        for (const QString& paragraph : text.split(QLatin1Char('\n'))) {
            wiki_hits << describe(paragraph);
        }
    }
    qInfo("wikipedia: %lld spans in 150 documents", static_cast<long long>(wiki_hits.size()));
    QVERIFY2(wiki_hits.size() <= 3, qPrintable(wiki_hits.join(QStringLiteral(" | "))));
    QVERIFY2(timer.elapsed() < 20000, "PII scan of the samples is far too slow");
}

// User comments in ViHOS and ViHSD hold real phone numbers (measured: 12 phones, nothing else).
void TestPii::findsRealPhoneNumbersInComments() {
    VIETLLM_REQUIRE_SAMPLE(vihos_dev_path, "safety/vi_vihos_dev_spans.csv");
    VIETLLM_REQUIRE_SAMPLE(vihos_test_path, "safety/vi_vihos_test.csv");
    VIETLLM_REQUIRE_SAMPLE(vihsd_path, "safety/vi_vihsd_dev.csv");
    int phones = 0;
    QStringList others;
    const std::pair<QString, int> files[] = {{vihos_dev_path, 1}, {vihos_test_path, 1}, {vihsd_path, 0}};
    for (const auto& [path, text_column] : files) {
        const QList<QStringList> rows = vietllm::testing::readCsv(path);
        for (qsizetype r = 1; r < rows.size(); ++r) {
            for (const QString& hit : describe(rows[r].value(text_column))) {
                if (hit.startsWith(QStringLiteral("phone:"))) {
                    ++phones;
                } else {
                    others << hit;
                }
            }
        }
    }
    qInfo("comments: %d phone numbers, %lld other spans", phones, static_cast<long long>(others.size()));
    QVERIFY(phones >= 11);
    QVERIFY2(others.size() <= 1, qPrintable(others.join(QStringLiteral(" | "))));
}

QTEST_GUILESS_MAIN(TestPii)
#include "tst_pii.moc"
