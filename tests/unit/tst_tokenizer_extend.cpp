// Tokenizer extension (backend/tokenizer/{bpe_trainer,tokenizer_extend,embedding_resize}.h): the
// trainer's merges on a hand-made corpus, the extended tokenizer on the byte-level tokenizer of a
// tiny random model and on the real Llama-2 tokenizer (npm; skipped without it), the embedding
// resize (mean of the sub-token rows, old rows bit-identical; F32 and BF16; tied and untied), and
// the CLI's messages for bad input.

#include "backend/tokenizer/bpe_trainer.h"
#include "backend/tokenizer/byte_level.h"
#include "backend/tokenizer/embedding_resize.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/tokenizer/tokenizer_extend.h"
#include "backend/weights/random_model.h"
#include "backend/weights/safetensors.h"
#include "tests/common/npm_tokenizers.h"
#include "tests/common/test_support.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>

using namespace vietllm;
using tokenizer::TokenId;

namespace {

const char* const kVietnamese[] = {
    "Việt Nam là một quốc gia nằm ở phía đông bán đảo Đông Dương thuộc khu vực Đông Nam Á.",
    "Thủ đô của Việt Nam là thành phố Hà Nội, thành phố lớn nhất là Thành phố Hồ Chí Minh.",
    "Người Việt nói tiếng Việt, một ngôn ngữ có thanh điệu với sáu thanh.",
    "Những người dân ở miền Bắc và miền Nam đều yêu quê hương của mình.",
    "Trường học của chúng tôi có nhiều học sinh giỏi và những thầy cô tận tâm.",
};
const char* const kEnglish[] = {
    "The quick brown fox jumps over the lazy dog near the river bank.",
    "Tokenizers split text into pieces that a language model can read.",
};

std::string writeLines(const QString& path, const std::vector<std::string>& lines) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    for (const std::string& line : lines) out << line << '\n';
    return path.toStdString();
}

// A corpus of the Vietnamese sentences, repeated so that every merge is frequent.
std::string writeVietnameseCorpus(const QString& path, int repeats) {
    std::vector<std::string> lines;
    for (int r = 0; r < repeats; ++r) {
        for (const char* line : kVietnamese) lines.emplace_back(line);
    }
    return writeLines(path, lines);
}

std::vector<float> floatRows(const weights::TensorView& tensor) {
    std::vector<float> values(static_cast<std::size_t>(tensor.elementCount()));
    if (tensor.dtype == weights::DType::F32) {
        std::memcpy(values.data(), tensor.data, tensor.byte_size);
        return values;
    }
    for (std::size_t i = 0; i < values.size(); ++i) {  // BF16
        std::uint16_t bits = 0;
        std::memcpy(&bits, tensor.data + 2 * i, 2);
        const std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
        std::memcpy(&values[i], &wide, 4);
    }
    return values;
}

// Rewrites a float32 model.safetensors as BF16 (truncating), to test the half-precision path.
void convertToBf16(const QString& dir) {
    const std::string path = (dir + QStringLiteral("/model.safetensors")).toStdString();
    std::vector<std::vector<std::uint16_t>> buffers;
    std::vector<weights::TensorToWrite> tensors;
    {
        weights::SafetensorsFile file(path);
        buffers.reserve(file.tensors().size());
        for (const auto& view : file.tensors()) {
            std::vector<std::uint16_t> bits(static_cast<std::size_t>(view.elementCount()));
            for (std::size_t i = 0; i < bits.size(); ++i) {
                std::uint32_t wide = 0;
                std::memcpy(&wide, view.data + 4 * i, 4);
                bits[i] = static_cast<std::uint16_t>(wide >> 16);
            }
            buffers.push_back(std::move(bits));
            tensors.push_back({view.name, weights::DType::BF16, view.shape, buffers.back().data()});
        }
        weights::writeSafetensors(path + ".tmp", tensors);
    }
    QVERIFY(QFile::remove(QString::fromStdString(path)));
    QVERIFY(QFile::rename(QString::fromStdString(path + ".tmp"), QString::fromStdString(path)));
}

nlohmann::json readJson(const QString& path) {
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in);
}

}  // namespace

class TestTokenizerExtend : public QObject {
    Q_OBJECT

private slots:
    void trainerLearnsMostFrequentPairsFirst();
    void trainerHonoursFilterMinFrequencyAndExistingTokens();
    void extendsByteLevelTokenizer();
    void resizesModelRowsToTheMeanOfSubTokens_data();
    void resizesModelRowsToTheMeanOfSubTokens();
    void realLlama2TokenizerDropsTokensPerSyllable();
    void cliRejectsBadInput();
};

void TestTokenizerExtend::trainerLearnsMostFrequentPairsFirst() {
    // ids: 0 x, 1 a, 2 b, 3 c. (a b) occurs 8 times, (b c) 6, then (ab c) 5.
    tokenizer::BpeTrainer trainer({"x", "a", "b", "c"});
    tokenizer::BpeTrainerOptions options;
    options.new_tokens = 5;
    const auto merges = trainer.train({{{1, 2, 3}, 5}, {{1, 2}, 3}, {{2, 3}, 1}}, options);
    QCOMPARE(merges.size(), std::size_t(2));  // then only (b c) once is left: below min_frequency 2
    QCOMPARE(merges[0].left, 1);
    QCOMPARE(merges[0].right, 2);
    QCOMPARE(merges[0].merged, 4);
    QCOMPARE(merges[0].count, std::int64_t(8));
    QCOMPARE(merges[1].left, 4);
    QCOMPARE(merges[1].right, 3);
    QCOMPARE(merges[1].count, std::int64_t(5));
    QCOMPARE(trainer.vocabulary().at(4), std::string("ab"));
    QCOMPARE(trainer.vocabulary().at(5), std::string("abc"));
    // Repeated pairs: "a a a a" counts (a a) in every position, and merges left to right.
    tokenizer::BpeTrainer repeats({"a"});
    options.new_tokens = 2;
    const auto merged = repeats.train({{{0, 0, 0, 0}, 2}}, options);
    QCOMPARE(merged.size(), std::size_t(2));
    QCOMPARE(repeats.vocabulary().at(1), std::string("aa"));
    QCOMPARE(repeats.vocabulary().at(2), std::string("aaaa"));
    QCOMPARE(merged[1].count, std::int64_t(2));
}

void TestTokenizerExtend::trainerHonoursFilterMinFrequencyAndExistingTokens() {
    tokenizer::BpeTrainerOptions options;
    options.new_tokens = 10;
    options.allow_pair = [](const std::string& left, const std::string& right) {
        return left != "a" && right != "a";
    };
    // (a b) is most frequent but filtered out; (b c) is already the token "bc" (id 4).
    tokenizer::BpeTrainer trainer({"x", "a", "b", "c", "bc"});
    const auto merges = trainer.train({{{1, 2, 3}, 9}, {{2, 3}, 2}}, options);
    QCOMPARE(merges.size(), std::size_t(1));
    QCOMPARE(merges[0].merged, 4);
    QVERIFY(!merges[0].new_token);
    QCOMPARE(trainer.vocabulary().size(), std::size_t(5));
    options.allow_pair = nullptr;
    options.min_frequency = 10;
    tokenizer::BpeTrainer strict({"x", "a", "b", "c"});
    QVERIFY(strict.train({{{1, 2, 3}, 9}}, options).empty());
}

void TestTokenizerExtend::extendsByteLevelTokenizer() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString model = dir.filePath(QStringLiteral("model"));
    weights::RandomModelOptions random;
    random.architecture = weights::Architecture::Llama;
    random.vocab_size = 259;
    weights::writeRandomModel(model.toStdString(), random);
    tokenizer::ExtendOptions options;
    options.base = model.toStdString();
    options.corpus = {writeVietnameseCorpus(dir.filePath(QStringLiteral("vi.txt")), 20)};
    options.english = {writeLines(dir.filePath(QStringLiteral("en.txt")), {kEnglish[0], kEnglish[1]})};
    options.new_tokens = 120;
    options.out_dir = dir.filePath(QStringLiteral("out")).toStdString();
    const tokenizer::ExtendReport report = tokenizer::extendTokenizer(options);
    QCOMPARE(report.base_vocab_size, std::size_t(259));
    QCOMPARE(report.new_tokens, std::size_t(120));
    QCOMPARE(report.new_vocab_size, std::size_t(379));
    QVERIFY(report.held_out_texts > 0);

    const auto before = tokenizer::loadTokenizer(model.toStdString());
    const auto after = tokenizer::loadTokenizer(options.out_dir);
    QCOMPARE(after->vocabSize(), std::size_t(379));
    for (TokenId id = 0; id < 259; ++id) QCOMPARE(after->tokenText(id), before->tokenText(id));
    for (const char* text : kEnglish) QCOMPARE(after->encode(text, true), before->encode(text, true));
    std::size_t tokens_before = 0;
    std::size_t tokens_after = 0;
    for (const char* text : kVietnamese) {
        const auto ids = after->encode(text, false);
        QCOMPARE(after->decode(ids, false), std::string(text));
        tokens_before += before->encode(text, false).size();
        tokens_after += ids.size();
    }
    QVERIFY2(tokens_after * 2 < tokens_before,
             qPrintable(QStringLiteral("%1 -> %2 tokens").arg(tokens_before).arg(tokens_after)));
    // The report measured the same: fewer Vietnamese tokens, English unchanged.
    QVERIFY(report.vietnamese.back().tokens_after < report.vietnamese.back().tokens_before);
    QCOMPARE(report.english.back().tokens_after, report.english.back().tokens_before);
    QCOMPARE(report.english.back().texts_changed, std::size_t(0));
    // Every new token holds a non-ASCII byte, so no English merge could ever apply.
    for (std::size_t id = 259; id < after->vocabSize(); ++id) {
        const auto text = tokenizer::byteLevelToBytes(after->tokenText(static_cast<TokenId>(id)));
        QVERIFY(text.has_value());
        QVERIFY2(std::any_of(text->begin(), text->end(),
                             [](char c) { return static_cast<unsigned char>(c) >= 0x80; }),
                 text->c_str());
    }
    // The merges were appended after the base's (none here) and form the new tokens.
    const nlohmann::json written = readJson(dir.filePath(QStringLiteral("out/tokenizer.json")));
    QCOMPARE(written["model"]["merges"].size(), report.new_merges);
    QCOMPARE(written["added_tokens"].size(), std::size_t(3));
}

void TestTokenizerExtend::resizesModelRowsToTheMeanOfSubTokens_data() {
    QTest::addColumn<int>("architecture");
    QTest::addColumn<bool>("bf16");
    QTest::newRow("llama untied f32") << static_cast<int>(weights::Architecture::Llama) << false;
    QTest::newRow("qwen2 tied f32") << static_cast<int>(weights::Architecture::Qwen2) << false;
    QTest::newRow("llama untied bf16") << static_cast<int>(weights::Architecture::Llama) << true;
}

void TestTokenizerExtend::resizesModelRowsToTheMeanOfSubTokens() {
    QFETCH(int, architecture);
    QFETCH(bool, bf16);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString model = dir.filePath(QStringLiteral("model"));
    weights::RandomModelOptions random;
    random.architecture = static_cast<weights::Architecture>(architecture);
    random.vocab_size = 259;
    weights::writeRandomModel(model.toStdString(), random);
    if (bf16) convertToBf16(model);
    tokenizer::ExtendOptions options;
    options.base = model.toStdString();
    options.corpus = {writeVietnameseCorpus(dir.filePath(QStringLiteral("vi2.txt")), 10)};
    options.new_tokens = 40;
    options.model_dir = model.toStdString();
    options.out_dir = dir.filePath(QStringLiteral("out")).toStdString();
    const tokenizer::ExtendReport report = tokenizer::extendTokenizer(options);
    QCOMPARE(report.new_vocab_size, std::size_t(299));
    const bool tied = random.architecture == weights::Architecture::Qwen2;
    QCOMPARE(report.resized_tensors.size(), std::size_t(tied ? 1 : 2));
    QCOMPARE(readJson(dir.filePath(QStringLiteral("out/config.json")))["vocab_size"].get<int>(), 299);

    const weights::WeightSet old_weights(model.toStdString());
    const weights::WeightSet new_weights(options.out_dir);
    QCOMPARE(new_weights.names(), old_weights.names());
    const auto after = tokenizer::loadTokenizer(options.out_dir);
    const auto before = tokenizer::loadTokenizer(model.toStdString());
    for (const std::string& name : report.resized_tensors) {
        const auto& old_tensor = old_weights.require(name);
        const auto& new_tensor = new_weights.require(name);
        QCOMPARE(new_tensor.shape.at(0), std::int64_t(299));
        QCOMPARE(new_tensor.dtype, old_tensor.dtype);
        // Old rows: the same bytes.
        QVERIFY(std::memcmp(new_tensor.data, old_tensor.data, old_tensor.byte_size) == 0);
        const std::vector<float> old_values = floatRows(old_tensor);
        const std::vector<float> new_values = floatRows(new_tensor);
        const std::size_t width = static_cast<std::size_t>(old_tensor.shape.at(1));
        for (TokenId id = 259; id < 299; ++id) {
            // The base tokenizer has one token per byte: the new token's bytes name the rows it averages.
            const auto bytes = tokenizer::byteLevelToBytes(after->tokenText(id));
            QVERIFY(bytes.has_value());
            std::vector<TokenId> parts;
            for (const char byte : *bytes) {
                const auto part = before->tokenId(tokenizer::bytesToByteLevel(std::string(1, byte)));
                QVERIFY(part.has_value());
                parts.push_back(*part);
            }
            QVERIFY(parts.size() >= 2);
            for (std::size_t k = 0; k < width; ++k) {
                double mean = 0;
                for (const TokenId part : parts)
                    mean += old_values[static_cast<std::size_t>(part) * width + k];
                mean /= static_cast<double>(parts.size());
                const double tolerance = bf16 ? 1e-2 * std::max(1.0, std::fabs(mean)) : 1e-6;
                QVERIFY2(std::fabs(new_values[static_cast<std::size_t>(id) * width + k] - mean) <= tolerance,
                         qPrintable(QStringLiteral("%1 row %2 column %3")
                                        .arg(QString::fromStdString(name))
                                        .arg(id)
                                        .arg(k)));
            }
        }
    }
    // Every other tensor is unchanged.
    for (const std::string& name : old_weights.names()) {
        if (std::find(report.resized_tensors.begin(), report.resized_tensors.end(), name) !=
            report.resized_tensors.end())
            continue;
        const auto& old_tensor = old_weights.require(name);
        const auto& new_tensor = new_weights.require(name);
        QCOMPARE(new_tensor.byte_size, old_tensor.byte_size);
        QVERIFY(std::memcmp(new_tensor.data, old_tensor.data, old_tensor.byte_size) == 0);
    }
}

void TestTokenizerExtend::realLlama2TokenizerDropsTokensPerSyllable() {
    VIETLLM_REQUIRE_SAMPLE(wikipedia, "text/vi_wikipedia_150docs.jsonl");
    VIETLLM_REQUIRE_SAMPLE(news, "text/vi_news_binhvq_demo_full.txt");
    QString reason;
    const QString llama2 = testing::ensureTokenizerPackage(QStringLiteral("llama2"), reason);
    if (llama2.isEmpty()) QSKIP(qPrintable(reason));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    tokenizer::ExtendOptions options;
    options.base = llama2.toStdString();
    options.corpus = {wikipedia.toStdString(), news.toStdString()};
    options.new_tokens = 1500;
    options.out_dir = dir.path().toStdString();
    QElapsedTimer timer;
    timer.start();
    const tokenizer::ExtendReport report = tokenizer::extendTokenizer(options);
    QVERIFY(!report.vietnamese.empty());
    qInfo("Llama-2 + %zu tokens: Vietnamese %.3f -> %.3f tokens/syllable, trained in %.2f s, %lld ms in all",
          report.new_tokens, report.vietnamese.back().perPieceBefore(),
          report.vietnamese.back().perPieceAfter(), report.train_seconds,
          static_cast<long long>(timer.elapsed()));
    QCOMPARE(report.base_vocab_size, std::size_t(32000));
    QCOMPARE(report.new_vocab_size, std::size_t(33500));
    QVERIFY(report.new_characters > 0);  // Llama-2 lacks e.g. "ệ" and falls back to bytes
    QVERIFY(report.vietnamese.back().perPieceBefore() > 2.3);
    QVERIFY2(report.vietnamese.back().perPieceAfter() < 0.7 * report.vietnamese.back().perPieceBefore(),
             "a clear drop in Vietnamese tokens per syllable");
    const auto before = tokenizer::loadTokenizer(llama2.toStdString());
    const auto after = tokenizer::loadTokenizer(options.out_dir);
    for (const char* text : kEnglish) QCOMPARE(after->encode(text, true), before->encode(text, true));
    for (TokenId id = 0; id < 32000; id += 7) QCOMPARE(after->tokenText(id), before->tokenText(id));
    const std::string text = "Thủ đô của Việt Nam là thành phố Hà Nội.";
    const auto ids = after->encode(text, true);
    QCOMPARE(ids.front(), 1);  // BOS still added
    QVERIFY(ids.size() < before->encode(text, true).size());
    QCOMPARE(after->decode(ids, true), text);
}

void TestTokenizerExtend::cliRejectsBadInput() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString model = dir.filePath(QStringLiteral("model"));
    weights::RandomModelOptions random;
    random.architecture = weights::Architecture::Llama;
    random.vocab_size = 259;
    weights::writeRandomModel(model.toStdString(), random);
    const QString corpus =
        QString::fromStdString(writeVietnameseCorpus(dir.filePath(QStringLiteral("vi.txt")), 2));
    const QString out = dir.filePath(QStringLiteral("out"));
    const auto expectUserError = [](const QStringList& arguments, const QString& message) {
        const testing::CliResult result = testing::runCli(arguments);
        QCOMPARE(result.exit_code, 1);
        const QString error = QString::fromUtf8(result.standard_error).trimmed();
        QVERIFY2(error.contains(message), qPrintable(error));
        QCOMPARE(error.count(QLatin1Char('\n')), 0);  // one clear line
    };
    const QString missing = dir.filePath(QStringLiteral("missing.txt"));
    expectUserError({"tokenizer", "extend", "--base", model, "--corpus", missing, "--out", out},
                    missing + QStringLiteral(": --corpus file not found"));
    expectUserError(
        {"tokenizer", "extend", "--base", model, "--corpus", corpus, "--out", out, "--vocab-size", "0"},
        QStringLiteral("--vocab-size must be at least 1"));
    std::ofstream(dir.filePath(QStringLiteral("unigram.json")).toStdString())
        << R"({"model": {"type": "Unigram", "vocab": [["a", 0.0]]}})";
    expectUserError({"tokenizer", "extend", "--base", dir.filePath(QStringLiteral("unigram.json")),
                     "--corpus", corpus, "--out", out},
                    QStringLiteral("model is Unigram, not BPE"));
    expectUserError(
        {"tokenizer", "extend", "--base", model, "--corpus", corpus, "--out", out, "--cross-syllables",
         "yes"},
        QStringLiteral("--cross-syllables yes needs a metaspace tokenizer without a pre-tokenizer"));
    QVERIFY(!QFileInfo::exists(out + QStringLiteral("/tokenizer.json")));
    const testing::CliResult usage = testing::runCli({"tokenizer"});
    QCOMPARE(usage.exit_code, 2);
    // And a working run: JSON on stdout.
    const testing::CliResult ok = testing::runCli({"tokenizer", "extend", "--base", model, "--corpus", corpus,
                                                   "--out", out, "--vocab-size", "20", "--quiet"});
    QCOMPARE(ok.exit_code, 0);
    const nlohmann::json report = nlohmann::json::parse(ok.standard_output.toStdString());
    QCOMPARE(report["new_tokens"].get<int>(), 20);
    QVERIFY(QFileInfo::exists(out + QStringLiteral("/tokenizer.json")));
}

QTEST_GUILESS_MAIN(TestTokenizerExtend)
#include "tst_tokenizer_extend.moc"
