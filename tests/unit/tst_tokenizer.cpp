// Tests of backend/tokenizer on small tokenizer.json files written here (byte-level BPE with a
// Llama-3 style split, SentencePiece-style BPE with byte fallback, Metaspace), added tokens with
// lstrip/rstrip, NFD input, decoding, clear errors on bad files; SentencePiece .model files through
// the shim (a model trained in the test); and `vietllm-cli tokenize` / `detokenize`.
// The real tokenizers are checked in tst_tokenizer_reference.cpp.

#include "backend/common/errors.h"
#include "backend/tokenizer/sentencepiece_tokenizer.h"
#include "backend/tokenizer/tokenizer.h"
#include "tests/common/test_support.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using vietllm::UserError;
using vietllm::tokenizer::loadTokenizer;
using vietllm::tokenizer::TokenId;
using Ids = std::vector<TokenId>;

namespace {

const std::string kMeta = "\xE2\x96\x81";  // ▁
const std::string kLlama3Pattern =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
    "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
    "\\s+(?!\\S)|\\s+";

// GPT-2's byte map, written out here independently of backend/tokenizer/byte_level.cpp.
std::string byteChar(unsigned byte) {
    unsigned shifted = 0;
    for (unsigned b = 0; b < byte; ++b) {
        const bool itself = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
        shifted += itself ? 0 : 1;
    }
    const bool itself = (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || byte >= 0xAE;
    const unsigned code_point = itself ? byte : 0x100 + shifted;
    return QString(QChar(static_cast<char16_t>(code_point))).toStdString();
}

std::string writeJson(const QTemporaryDir& dir, const QString& name, const nlohmann::json& value) {
    const std::string path = dir.filePath(name).toStdString();
    std::ofstream(path) << value.dump();
    return path;
}

// Byte-level BPE: ids 0-255 are the bytes; merges make "Ġt" 256, "he" 257, "Ġthe" 258, "ca" 259,
// "cat" 260, "Ġcat" 261, "aa" 262; added "<|end|>" 263 (special) and "<|sep|>" 264 (lstrip+rstrip).
nlohmann::json byteLevelTokenizer() {
    nlohmann::json vocab = nlohmann::json::object();
    for (unsigned byte = 0; byte < 256; ++byte) vocab[byteChar(byte)] = byte;
    const std::string g = byteChar(' ');
    const std::vector<std::pair<std::string, std::string>> merges = {
        {g, "t"}, {"h", "e"}, {g + "t", "he"}, {"c", "a"}, {"ca", "t"}, {g, "cat"}, {"a", "a"}};
    nlohmann::json merge_list = nlohmann::json::array();
    TokenId next = 256;
    for (const auto& [left, right] : merges) {
        vocab[left + right] = next++;
        merge_list.push_back(left + " " + right);
    }
    return {
        {"version", "1.0"},
        {"added_tokens",
         {{{"id", 263}, {"content", "<|end|>"}, {"special", true}, {"lstrip", false}, {"rstrip", false}},
          {{"id", 264}, {"content", "<|sep|>"}, {"special", false}, {"lstrip", true}, {"rstrip", true}}}},
        {"normalizer", nullptr},
        {"pre_tokenizer",
         {{"type", "Sequence"},
          {"pretokenizers",
           {{{"type", "Split"},
             {"pattern", {{"Regex", kLlama3Pattern}}},
             {"behavior", "Isolated"},
             {"invert", false}},
            {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}}},
        {"post_processor", {{"type", "ByteLevel"}}},
        {"decoder", {{"type", "ByteLevel"}}},
        {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merge_list}}},
    };
}

// SentencePiece-style BPE (Llama-2's layout): <unk> 0, <s> 1, </s> 2, <0x00>-<0xFF> 3-258,
// "▁" 259, "a" 260, "b" 261, "▁a" 262, "▁ab" 263.
nlohmann::json spmStyleTokenizer() {
    nlohmann::json vocab = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
    for (unsigned byte = 0; byte < 256; ++byte) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", byte);
        vocab[name] = 3 + byte;
    }
    vocab[kMeta] = 259;
    vocab["a"] = 260;
    vocab["b"] = 261;
    vocab[kMeta + "a"] = 262;
    vocab[kMeta + "ab"] = 263;
    return {
        {"added_tokens",
         {{{"id", 0}, {"content", "<unk>"}, {"special", true}},
          {{"id", 1}, {"content", "<s>"}, {"special", true}},
          {{"id", 2}, {"content", "</s>"}, {"special", true}}}},
        {"normalizer",
         {{"type", "Sequence"},
          {"normalizers",
           {{{"type", "Prepend"}, {"prepend", kMeta}},
            {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", kMeta}}}}}},
        {"pre_tokenizer", nullptr},
        {"post_processor",
         {{"type", "TemplateProcessing"},
          {"single",
           {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
            {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
          {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}}},
        {"decoder",
         {{"type", "Sequence"},
          {"decoders",
           {{{"type", "Replace"}, {"pattern", {{"String", kMeta}}}, {"content", " "}},
            {{"type", "ByteFallback"}},
            {{"type", "Fuse"}},
            {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}}}}},
        {"model",
         {{"type", "BPE"},
          {"unk_token", "<unk>"},
          {"fuse_unk", true},
          {"byte_fallback", true},
          {"vocab", vocab},
          {"merges", nlohmann::json::array(
                         {nlohmann::json::array({kMeta, "a"}), nlohmann::json::array({kMeta + "a", "b"})})}}},
    };
}

QString userErrorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const UserError& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

std::string readAll(const QString& path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void byteLevelMergesByRank();
    void byteLevelAddedTokens();
    void byteLevelNfdGivesNfcIds();
    void spmStyleByteFallback();
    void metaspacePrependFirst();
    void badFilesAreUserErrors();
    void sentencePieceThroughShim();
    void cliTokenizeAndDetokenize();
    void cliHasNoCopyRelocations();

private:
    QTemporaryDir m_dir;
    std::string m_byte_level_path;
    std::string m_spm_path;
};

void TestTokenizer::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_byte_level_path = writeJson(m_dir, QStringLiteral("byte_level.json"), byteLevelTokenizer());
    m_spm_path = writeJson(m_dir, QStringLiteral("spm_style.json"), spmStyleTokenizer());
}

void TestTokenizer::byteLevelMergesByRank() {
    const auto tokenizer = loadTokenizer(m_byte_level_path);
    QCOMPARE(tokenizer->vocabSize(), std::size_t{265});
    // "the" | " cat": h+e first, then c+a, ca+t, Ġ+cat.
    QCOMPARE(tokenizer->encode("the cat", false), (Ids{'t', 257, 261}));
    // Ġ+t (rank 0) wins over h+e (rank 1), then Ġt+he.
    QCOMPARE(tokenizer->encode(" the", false), (Ids{258}));
    // Equal pairs merge leftmost first.
    QCOMPARE(tokenizer->encode("aaa", false), (Ids{262, 'a'}));
    QCOMPARE(tokenizer->decode({258, 261, '!'}, false), std::string(" the cat!"));
    // A ByteLevel post-processor adds nothing.
    QCOMPARE(tokenizer->encode("the", true), tokenizer->encode("the", false));
}

void TestTokenizer::byteLevelAddedTokens() {
    const auto tokenizer = loadTokenizer(m_byte_level_path);
    QCOMPARE(tokenizer->encode("hi<|end|>the", false), (Ids{'h', 'i', 263, 't', 257}));
    // lstrip/rstrip take the spaces around <|sep|> away.
    QCOMPARE(tokenizer->encode("a <|sep|> b", false), (Ids{'a', 264, 'b'}));
    QCOMPARE(tokenizer->decode({258, 263}, false), std::string(" the<|end|>"));
    QCOMPARE(tokenizer->decode({258, 263}, true), std::string(" the"));
    QCOMPARE(tokenizer->tokenId("<|end|>"), std::optional<TokenId>(263));
    QCOMPARE(tokenizer->tokenText(257), std::string("he"));
}

void TestTokenizer::byteLevelNfdGivesNfcIds() {
    const auto tokenizer = loadTokenizer(m_byte_level_path);
    const std::string nfc = "Vi\xE1\xBB\x87t";       // Việt, ệ = U+1EC7
    const std::string nfd = "Vie\xCC\x82\xCC\xA3t";  // e + U+0302 + U+0323
    QCOMPARE(tokenizer->encode(nfc, false), (Ids{'V', 'i', 0xE1, 0xBB, 0x87, 't'}));
    QCOMPARE(tokenizer->encode(nfd, false), tokenizer->encode(nfc, false));
    QCOMPARE(tokenizer->decode(tokenizer->encode(nfd, false), false), nfc);
}

void TestTokenizer::spmStyleByteFallback() {
    const auto tokenizer = loadTokenizer(m_spm_path);
    QCOMPARE(tokenizer->encode("ab", false), (Ids{263}));
    // "ệ" is not in the vocabulary: its three UTF-8 bytes become <0xE1> <0xBB> <0x87>.
    const Ids ids = tokenizer->encode("ab \xE1\xBB\x87", false);
    QCOMPARE(ids, (Ids{263, 259, 3 + 0xE1, 3 + 0xBB, 3 + 0x87}));
    QCOMPARE(tokenizer->decode(ids, false), std::string("ab \xE1\xBB\x87"));
    QCOMPARE(tokenizer->encode("ab", true), (Ids{1, 263}));
    QCOMPARE(tokenizer->bosId(), std::optional<TokenId>());  // no tokenizer_config.json beside it
    // A byte sequence that is not UTF-8 decodes to one U+FFFD per byte.
    QCOMPARE(tokenizer->decode({3 + 0xE1, 260}, false), std::string("\xEF\xBF\xBD"
                                                                    "a"));
}

void TestTokenizer::metaspacePrependFirst() {
    nlohmann::json config = spmStyleTokenizer();
    config["normalizer"] = nullptr;
    config["pre_tokenizer"] = {
        {"type", "Metaspace"}, {"replacement", kMeta}, {"prepend_scheme", "first"}, {"split", true}};
    config["decoder"] = {{"type", "Metaspace"}, {"replacement", kMeta}, {"prepend_scheme", "first"}};
    const auto tokenizer = loadTokenizer(writeJson(m_dir, QStringLiteral("metaspace.json"), config));
    QCOMPARE(tokenizer->encode("ab ab", false), (Ids{263, 263}));
    // After an added token the section is not the first: no "▁" is prepended.
    QCOMPARE(tokenizer->encode("<s>ab", false), (Ids{1, 260, 261}));
    QCOMPARE(tokenizer->decode({263, 263}, false), std::string("ab ab"));
}

void TestTokenizer::badFilesAreUserErrors() {
    const QString not_json = m_dir.filePath(QStringLiteral("broken.json"));
    std::ofstream(not_json.toStdString()) << "{ not json";
    QVERIFY(userErrorOf([&] { loadTokenizer(not_json.toStdString()); }).contains(not_json));

    nlohmann::json word_piece = byteLevelTokenizer();
    word_piece["model"]["type"] = "WordPiece";
    const std::string word_piece_path = writeJson(m_dir, QStringLiteral("wordpiece.json"), word_piece);
    QVERIFY(userErrorOf([&] { loadTokenizer(word_piece_path); }).contains(QStringLiteral("only BPE")));

    nlohmann::json lowercase = byteLevelTokenizer();
    lowercase["normalizer"] = {{"type", "Lowercase"}};
    const std::string lowercase_path = writeJson(m_dir, QStringLiteral("lowercase.json"), lowercase);
    QVERIFY(
        userErrorOf([&] { loadTokenizer(lowercase_path); }).contains(QStringLiteral("normalizer Lowercase")));

    nlohmann::json bad_regex = byteLevelTokenizer();
    bad_regex["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(unclosed";
    const std::string bad_regex_path = writeJson(m_dir, QStringLiteral("bad_regex.json"), bad_regex);
    QVERIFY(userErrorOf([&] { loadTokenizer(bad_regex_path); }).contains(QStringLiteral("is invalid")));

    QVERIFY(userErrorOf([&] {
                loadTokenizer(m_dir.filePath(QStringLiteral("absent.json")).toStdString());
            }).contains(QStringLiteral("no such file")));
    QTemporaryDir empty;
    QVERIFY(
        userErrorOf([&] { loadTokenizer(empty.path().toStdString()); }).contains(QStringLiteral("neither")));
    const auto tokenizer = loadTokenizer(m_byte_level_path);
    QVERIFY(userErrorOf([&] { tokenizer->decode({99999}, false); }).contains(QStringLiteral("out of range")));
}

void TestTokenizer::sentencePieceThroughShim() {
    VIETLLM_REQUIRE_SAMPLE(news, "text/vi_news_binhvq_demo_full.txt");
    const QString corpus = m_dir.filePath(QStringLiteral("corpus.txt"));
    QVERIFY(QFile::copy(news, corpus));
    const auto shim = std::make_shared<const vietllm::tokenizer::SentencePieceShim>(
        vietllm::tokenizer::SentencePieceShim::defaultPath());
    const QString prefix = m_dir.filePath(QStringLiteral("tiny"));
    shim->train("--input=" + corpus.toStdString() + " --model_prefix=" + prefix.toStdString() +
                " --vocab_size=1000 --model_type=bpe --byte_fallback=true --normalization_rule_name=identity"
                " --character_coverage=0.9995 --split_digits=true");
    const auto tokenizer = loadTokenizer((prefix + QStringLiteral(".model")).toStdString());
    QCOMPARE(tokenizer->vocabSize(), std::size_t{1000});
    QVERIFY(tokenizer->bosId().has_value());

    const QStringList lines = QString::fromStdString(readAll(news)).split('\n', Qt::SkipEmptyParts);
    int round_trips = 0;
    int nfd_equal = 0;
    for (const QString& line : lines.mid(0, 300)) {
        const std::string text = line.toStdString();
        const Ids ids = tokenizer->encode(text, false);
        round_trips += tokenizer->decode(ids, false) == text;
        nfd_equal +=
            tokenizer->encode(line.normalized(QString::NormalizationForm_D).toStdString(), false) == ids;
    }
    QCOMPARE(round_trips, 300);
    QCOMPARE(nfd_equal, 300);
    const Ids with_bos = tokenizer->encode("Xin chào", true);
    QCOMPARE(with_bos.front(), *tokenizer->bosId());
    QCOMPARE(tokenizer->decode(with_bos, true), std::string("Xin chào"));

    // The CLI loads the same shim beside itself and gives the same ids.
    const auto cli = vietllm::testing::runCli(
        {QStringLiteral("tokenize"), QStringLiteral("--tokenizer"), prefix + QStringLiteral(".model")},
        lines.first().toUtf8() + '\n');
    QCOMPARE(cli.exit_code, 0);
    QCOMPARE(cli.standard_output.trimmed().toStdString(),
             nlohmann::json(tokenizer->encode(lines.first().toStdString(), false)).dump());

    const QString not_model = m_dir.filePath(QStringLiteral("not.model"));
    std::ofstream(not_model.toStdString()) << "garbage";
    QVERIFY(userErrorOf([&] { loadTokenizer(not_model.toStdString()); }).contains(not_model));
    QVERIFY(userErrorOf([&] {
                shim->train("--input=/nonexistent/corpus.txt --model_prefix=" + prefix.toStdString());
            }).contains(QStringLiteral("sentencepiece training failed")));
}

void TestTokenizer::cliTokenizeAndDetokenize() {
    using vietllm::testing::runCli;
    const QString byte_level = QString::fromStdString(m_byte_level_path);
    auto result = runCli({QStringLiteral("tokenize"), QStringLiteral("--tokenizer"), byte_level},
                         QByteArray("the cat\r\n the<|end|>\n"));
    QCOMPARE(result.exit_code, 0);
    QCOMPARE(result.standard_output, QByteArray("[116,257,261]\n[258,263]\n"));

    result = runCli({QStringLiteral("detokenize"), QStringLiteral("--tokenizer"), byte_level,
                     QStringLiteral("--skip-special")},
                    QByteArray("[258,263]\n[]\n"));
    QCOMPARE(result.exit_code, 0);
    QCOMPARE(result.standard_output, QByteArray(" the\n\n"));

    result = runCli({QStringLiteral("tokenize"), QStringLiteral("--tokenizer"),
                     QString::fromStdString(m_spm_path), QStringLiteral("--add-special")},
                    QByteArray("ab\n"));
    QCOMPARE(result.standard_output, QByteArray("[1,263]\n"));

    result = runCli({QStringLiteral("detokenize"), QStringLiteral("--tokenizer"), byte_level},
                    QByteArray("[258]\n[1, \"x\"]\n"));
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.standard_error.contains("<stdin>:2"), result.standard_error.constData());

    result = runCli(
        {QStringLiteral("tokenize"), QStringLiteral("--tokenizer"), QStringLiteral("/nonexistent/tok.json")});
    QCOMPARE(result.exit_code, 1);
    QVERIFY(result.standard_error.contains("/nonexistent/tok.json"));

    result = runCli({QStringLiteral("tokenize")});
    QVERIFY(result.exit_code != 0);
    QVERIFY(result.standard_error.contains("tokenizer"));
}

void TestTokenizer::cliHasNoCopyRelocations() {
    // The deep-bound sentencepiece shim needs a CLI without copy relocations (see backend/CMakeLists.txt).
    QProcess readelf;
    readelf.start(QStringLiteral("readelf"), {QStringLiteral("-rW"), QStringLiteral(VIETLLM_CLI_PATH)});
    if (!readelf.waitForFinished(60000) || readelf.exitCode() != 0) QSKIP("readelf is not available");
    QVERIFY(!readelf.readAllStandardOutput().contains("R_X86_64_COPY"));
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
