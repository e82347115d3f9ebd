// The weights module: mapping files, safetensors reading and writing (every malformed-header case of the
// reference implementation is a UserError naming the file), sharded checkpoints, config.json of
// each family, and the random-initialised models of `model init`.

#include "backend/common/errors.h"
#include "backend/weights/mapped_file.h"
#include "backend/weights/model_config.h"
#include "backend/weights/random_model.h"
#include "backend/weights/safetensors.h"
#include "backend/weights/tensor_layout.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <set>

using namespace vietllm;
using namespace vietllm::weights;

namespace {

std::string readBytes(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return file.readAll().toStdString();
}

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A file image from a header text and a data buffer, with the 8-byte length prefix.
std::string image(const std::string& header, const std::string& data, std::uint64_t declared_length) {
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i) {
        bytes[static_cast<std::size_t>(i)] = static_cast<char>((declared_length >> (8 * i)) & 0xFF);
    }
    return bytes + header + data;
}

std::string image(const std::string& header, const std::string& data) {
    return image(header, data, header.size());
}

// Parses an in-memory image; returns the UserError message, or "" when it parsed.
std::string parseError(const std::string& bytes) {
    try {
        parseSafetensors(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "bad.safetensors",
                         nullptr);
    } catch (const UserError& error) {
        return error.what();
    }
    return {};
}

QString fixtureDir(const QString& name) {
    return QStringLiteral(VIETLLM_SOURCE_DIR "/tests/fixtures/golden/") + name;
}

}  // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private slots:
    void roundTripKeepsBytesShapesAndAlignment() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.safetensors").toStdString();
        const std::vector<float> matrix = {1.5F, -2.0F, 3.25F, 0.0F, 7.0F, -0.5F};
        const std::vector<std::uint16_t> halves = {0x3F80, 0xC000, 0x4040};
        const std::vector<std::int64_t> scalar = {42};
        const std::vector<std::uint8_t> bytes = {1, 2, 3};
        writeSafetensors(path,
                         {{"b.half", DType::BF16, {3}, halves.data()},
                          {"a.matrix", DType::F32, {2, 3}, matrix.data()},
                          {"c.scalar", DType::I64, {}, scalar.data()},
                          {"d.bytes", DType::U8, {3}, bytes.data()},
                          {"e.empty", DType::F32, {0, 4}, nullptr}},
                         {{"format", "pt"}});
        const SafetensorsFile file(path);
        QCOMPARE(file.tensors().size(), std::size_t{5});
        QCOMPARE(file.metadata().at("format"), std::string("pt"));
        const TensorView* read_matrix = file.find("a.matrix");
        QVERIFY(read_matrix != nullptr);
        QCOMPARE(read_matrix->shape, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(std::memcmp(read_matrix->data, matrix.data(), matrix.size() * 4), 0);
        QCOMPARE(std::memcmp(file.find("b.half")->data, halves.data(), 6), 0);
        QCOMPARE(file.find("c.scalar")->elementCount(), std::int64_t{1});
        QCOMPARE(*reinterpret_cast<const std::int64_t*>(file.find("c.scalar")->data), std::int64_t{42});
        QCOMPARE(file.find("e.empty")->byte_size, std::size_t{0});
        // Wider types first, header padded to 8 bytes: every tensor starts 8-byte aligned.
        const std::string raw = readBytes(path);
        std::uint64_t header_length = 0;
        std::memcpy(&header_length, raw.data(), 8);
        QCOMPARE(header_length % 8, std::uint64_t{0});
        QCOMPARE(reinterpret_cast<std::uintptr_t>(file.find("c.scalar")->data) % 8, std::uintptr_t{0});
    }

    void emptyFileIsSixteenBytes() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("empty.safetensors").toStdString();
        writeSafetensors(path, {});
        QCOMPARE(readBytes(path).size(), std::size_t{16});
        QVERIFY(SafetensorsFile(path).tensors().empty());
    }

    void writerRefusesDuplicateNames() {
        QTemporaryDir dir;
        const float value = 1.0F;
        QVERIFY_THROWS_EXCEPTION(
            UserError, writeSafetensors(dir.filePath("d.safetensors").toStdString(),
                                        {{"x", DType::F32, {1}, &value}, {"x", DType::F32, {1}, &value}}));
    }

    void malformedHeaders_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const std::string four(4, '\x01');
        const std::string ok = R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
        const auto row = [](const char* name, const std::string& bytes, const char* expected) {
            QTest::newRow(name) << QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()))
                                << QString::fromUtf8(expected);
        };
        row("shorter than 8 bytes", std::string("\x02\x00\x00", 3), "shorter than the 8-byte");
        row("header too large", image(ok, four, 200'000'000), "exceeds");
        row("header past the end", image(ok, four, ok.size() + 100), "runs past the end");
        row("not json", image("{not json}", ""), "not valid JSON");
        row("not an object start", image("[1,2]", ""), "does not start with '{'");
        row("unknown dtype", image(R"({"w":{"dtype":"F4","shape":[1],"data_offsets":[0,1]}})", "x"),
            "unsupported dtype 'F4'");
        row("negative shape", image(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", four),
            "non-negative");
        row("size mismatch", image(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", four),
            "shape x dtype needs 8");
        row("end before begin", image(R"({"w":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}})", four),
            "end is before begin");
        row("gap", image(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", four + four),
            "expected 0 (gap or overlap)");
        row("overlap",
            image(
                R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}})",
                four),
            "gap or overlap");
        row("truncated data", image(ok, "\x01\x01"), "truncated");
        row("trailing bytes", image(ok, four + "xx"), "tensors cover 4");
        row("duplicate name",
            image(
                R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
                "ab"),
            "appears twice");
        row("shape overflow",
            image(R"({"w":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}})",
                  "12345678"),
            "overflows");
        row("missing offsets", image(R"({"w":{"dtype":"F32","shape":[1]}})", four), "data_offsets");
        row("metadata not strings", image(R"({"__metadata__":{"a":1}})", ""), "is not a string");
    }

    void malformedHeaders() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString message = QString::fromStdString(parseError(bytes.toStdString()));
        QVERIFY2(message.startsWith(QStringLiteral("bad.safetensors")), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void randomCorruptionNeverCrashes() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("f.safetensors").toStdString();
        const std::vector<float> a(12, 0.5F);
        const std::vector<std::uint16_t> b(5, 7);
        writeSafetensors(path, {{"a", DType::F32, {3, 4}, a.data()}, {"b", DType::BF16, {5}, b.data()}});
        const std::string valid = readBytes(path);
        std::mt19937 generator(99);
        int rejected = 0;
        for (int round = 0; round < 2000; ++round) {
            std::string bytes = valid;
            const int flips = 1 + static_cast<int>(generator() % 3);
            for (int i = 0; i < flips; ++i) {
                bytes[generator() % 120] = static_cast<char>(generator() % 256);
            }
            if (round % 5 == 0) {
                bytes.resize(generator() % bytes.size());
            }
            rejected += parseError(bytes).empty() ? 0 : 1;  // anything but a UserError fails the test
        }
        QVERIFY(rejected > 1000);
    }

    void tensorErrorsNameTheTensor() {
        const std::string bytes =
            image(R"({"blocks.3.w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", "abcd");
        QVERIFY(QString::fromStdString(parseError(bytes)).contains(QStringLiteral("'blocks.3.w'")));
    }

    void truncatedFileOnDiskIsAUserError() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.safetensors").toStdString();
        const std::vector<float> values(64, 1.0F);
        writeSafetensors(path, {{"w", DType::F32, {64}, values.data()}});
        const std::string whole = readBytes(path);
        for (const std::size_t keep : {std::size_t{0}, std::size_t{5}, std::size_t{20}, whole.size() - 1}) {
            writeBytes(path, whole.substr(0, keep));
            QVERIFY_THROWS_EXCEPTION(UserError, SafetensorsFile{path});
        }
        QVERIFY_THROWS_EXCEPTION(UserError,
                                 SafetensorsFile{dir.filePath("missing.safetensors").toStdString()});
    }

    void shardedWeightsFollowTheIndex() {
        QTemporaryDir dir;
        const std::vector<float> a = {1.0F, 2.0F};
        const std::vector<float> b = {3.0F};
        writeSafetensors(dir.filePath("model-00001-of-00002.safetensors").toStdString(),
                         {{"a", DType::F32, {2}, a.data()}});
        writeSafetensors(dir.filePath("model-00002-of-00002.safetensors").toStdString(),
                         {{"b", DType::F32, {1}, b.data()}});
        writeBytes(
            dir.filePath("model.safetensors.index.json").toStdString(),
            R"({"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}})");
        const WeightSet weights(dir.path().toStdString());
        QCOMPARE(weights.names(), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(*reinterpret_cast<const float*>(weights.require("b").data), 3.0F);
        QVERIFY_THROWS_EXCEPTION(UserError, weights.require("c"));

        writeBytes(dir.filePath("model.safetensors.index.json").toStdString(),
                   R"({"weight_map":{"a":"model-00009-of-00009.safetensors"}})");
        QVERIFY_THROWS_EXCEPTION(UserError, WeightSet{dir.path().toStdString()});
        QTemporaryDir empty;
        QVERIFY_THROWS_EXCEPTION(UserError, WeightSet{empty.path().toStdString()});
    }

    void goldenConfigsParse_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("architecture");
        QTest::addColumn<int>("kv_heads");
        QTest::addColumn<int>("rotary_dims");
        QTest::newRow("llama") << "llama" << int(Architecture::Llama) << 2 << 16;
        QTest::newRow("llama3_rope") << "llama3_rope" << int(Architecture::Llama) << 2 << 16;
        QTest::newRow("qwen2") << "qwen2" << int(Architecture::Qwen2) << 2 << 16;
        QTest::newRow("gpt_neox") << "gpt_neox" << int(Architecture::GptNeoX) << 4 << 4;
        QTest::newRow("gptj") << "gptj" << int(Architecture::GptJ) << 4 << 8;
        QTest::newRow("bloom") << "bloom" << int(Architecture::Bloom) << 4 << 0;
        QTest::newRow("mpt") << "mpt" << int(Architecture::Mpt) << 4 << 0;
    }

    void goldenConfigsParse() {
        QFETCH(QString, name);
        QFETCH(int, architecture);
        QFETCH(int, kv_heads);
        QFETCH(int, rotary_dims);
        if (!QDir(fixtureDir(name)).exists()) {
            QSKIP("golden fixture absent");
        }
        const ModelConfig config = loadModelConfig(fixtureDir(name).toStdString());
        QCOMPARE(int(config.architecture), architecture);
        QCOMPARE(config.num_kv_heads, std::int64_t{kv_heads});
        QCOMPARE(config.rotary_dims, std::int64_t{rotary_dims});
        QCOMPARE(config.hidden_size, std::int64_t{64});
        if (name == "llama3_rope") {
            QCOMPARE(int(config.rope_scaling.kind), int(RopeScalingKind::Llama3));
            QCOMPARE(config.rope_theta, 500000.0);
            QCOMPARE(config.rope_scaling.original_max_positions, std::int64_t{16});
        }
        if (name == "qwen2") {
            QVERIFY(config.qkv_bias && !config.attention_out_bias && config.tie_word_embeddings);
        }
    }

    void configErrorsAreClear() {
        QTemporaryDir dir;
        try {
            loadModelConfig(dir.path().toStdString());
            QFAIL("a folder without config.json was accepted");
        } catch (const UserError& error) {
            QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("no config.json")));
        }
        try {
            parseModelConfig({{"model_type", "t5"}}, "config.json");
            QFAIL("t5 was accepted");
        } catch (const UserError& error) {
            QVERIFY(
                QString::fromUtf8(error.what()).contains(QStringLiteral("model_type 't5' is not supported")));
        }
        QVERIFY_THROWS_EXCEPTION(UserError,
                                 parseModelConfig({{"model_type", "llama"}, {"hidden_size", 64}}, "c"));
        nlohmann::json gqa = randomModelConfig({Architecture::Llama, "tiny", 64, 1});
        gqa["num_key_value_heads"] = 3;
        QVERIFY_THROWS_EXCEPTION(UserError, parseModelConfig(gqa, "c"));
        nlohmann::json scaled = randomModelConfig({Architecture::Llama, "tiny", 64, 1});
        scaled["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4.0}};
        QVERIFY_THROWS_EXCEPTION(UserError, parseModelConfig(scaled, "c"));
    }

    void alibiSlopesOfBloomAndMptAgree() {
        ModelConfig bloom;
        bloom.architecture = Architecture::Bloom;
        ModelConfig mpt;
        mpt.architecture = Architecture::Mpt;
        for (const std::int64_t heads : {8, 12, 16, 24, 32, 40, 112}) {
            bloom.num_heads = heads;
            mpt.num_heads = heads;
            const std::vector<float> a = alibiSlopes(bloom);
            const std::vector<float> b = alibiSlopes(mpt);
            QCOMPARE(a.size(), static_cast<std::size_t>(heads));
            for (std::size_t i = 0; i < a.size(); ++i) {
                QVERIFY2(std::abs(a[i] - b[i]) < 1e-7F,
                         qPrintable(QStringLiteral("%1 heads, head %2").arg(heads).arg(i)));
            }
        }
        // PhoGPT's 24 heads: 16 slopes 2^(-k/2), then 2^(-0.25 k) for odd k.
        mpt.num_heads = 24;
        const std::vector<float> slopes = alibiSlopes(mpt);
        QCOMPARE(slopes[0], std::pow(2.0F, -0.5F));
        QCOMPARE(slopes[15], std::pow(2.0F, -8.0F));
        QCOMPARE(slopes[16], std::pow(2.0F, -0.25F));
        QCOMPARE(slopes[23], std::pow(2.0F, -3.75F));
    }

    void randomModelsMatchTheirLayout_data() {
        QTest::addColumn<QString>("arch");
        for (const char* arch : {"llama", "mistral", "qwen2", "gpt_neox", "bloom", "gptj", "mpt"}) {
            QTest::newRow(arch) << QString::fromLatin1(arch);
        }
    }

    void randomModelsMatchTheirLayout() {
        QFETCH(QString, arch);
        QTemporaryDir dir;
        RandomModelOptions options;
        options.architecture = architectureFromName(arch.toStdString());
        options.vocab_size = 96;
        writeRandomModel(dir.path().toStdString(), options);
        const ModelConfig config = loadModelConfig(dir.path().toStdString());
        const WeightSet weights(dir.path().toStdString());
        std::set<std::string> expected;
        for (const TensorSpec& spec : tensorLayout(config)) {
            if (!spec.optional) {
                expected.insert(spec.name);
                QCOMPARE(weights.require(spec.name).shape, spec.shape);
            }
        }
        const std::vector<std::string> names = weights.names();
        QCOMPARE(std::set<std::string>(names.begin(), names.end()), expected);
        QVERIFY_THROWS_EXCEPTION(
            UserError, writeRandomModel(dir.path().toStdString(), {options.architecture, "70b", 96, 1}));
    }

    void goldenFixtureNamesMatchTheLayout_data() {
        QTest::addColumn<QString>("name");
        for (const char* name :
             {"llama", "llama_tied", "llama3_rope", "mistral", "qwen2", "gpt_neox", "bloom", "gptj", "mpt"}) {
            QTest::newRow(name) << QString::fromLatin1(name);
        }
    }

    void mappedFileShowsTheBytesAndNamesTheFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("bytes.bin").toStdString();
        std::ofstream(path, std::ios::binary) << "abc";
        {
            const MappedFile file(path, "test file");
            QCOMPARE(file.size(), std::size_t{3});
            QCOMPARE(std::string(reinterpret_cast<const char*>(file.data()), file.size()),
                     std::string("abc"));
        }
        const std::string empty = dir.filePath("empty.bin").toStdString();
        std::ofstream(empty, std::ios::binary).flush();
        const MappedFile empty_file(empty, "test file");
        QCOMPARE(empty_file.size(), std::size_t{0});
        QVERIFY(empty_file.data() == nullptr);
        const std::string missing = dir.filePath("missing.bin").toStdString();
        const std::string folder = dir.path().toStdString();
        for (const auto& [target, message] : {std::pair{missing, missing + ": cannot open test file"},
                                              std::pair{folder, folder + ": not a regular file"}}) {
            try {
                const MappedFile file(target, "test file");
                QFAIL("mapping must fail");
            } catch (const UserError& error) {
                QCOMPARE(std::string(error.what()), message);
            }
        }
    }

    void goldenFixtureNamesMatchTheLayout() {
        QFETCH(QString, name);
        if (!QDir(fixtureDir(name)).exists()) {
            QSKIP("golden fixture absent");
        }
        const std::string dir = fixtureDir(name).toStdString();
        ModelConfig config = loadModelConfig(dir);
        const WeightSet weights(dir);
        reconcileWithWeights(config, weights);
        for (const TensorSpec& spec : tensorLayout(config)) {
            const TensorView* view = weights.find(spec.name);
            QVERIFY2(view != nullptr || spec.optional, spec.name.c_str());
            if (view != nullptr) {
                QCOMPARE(view->shape, spec.shape);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
