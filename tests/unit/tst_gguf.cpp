// GGUF: the block quantizers against hand-computed bytes and error bounds, writer/reader round
// trips, the exporter's names, metadata and tensor rearrangements for each family (Llama's RoPE
// row interleave, NeoX/BLOOM's QKV regrouping), corrupt files (truncation, bad magic, random byte
// flips: a UserError, never a crash), the `model export-gguf`/`gguf-info` commands, and an
// independent reader (Hugging Face's @huggingface/gguf, fetched from npm at run time) that must see
// the same metadata and tensors as ours.

#include "backend/common/errors.h"
#include "backend/weights/float_codec.h"
#include "backend/weights/gguf.h"
#include "backend/weights/gguf_export.h"
#include "backend/weights/model_config.h"
#include "backend/weights/random_model.h"
#include "backend/weights/safetensors.h"
#include "backend/weights/tensor_layout.h"
#include "tests/common/npm_tokenizers.h"
#include "tests/common/test_support.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <random>
#include <set>

using namespace vietllm;
using namespace vietllm::weights;

namespace {

std::string readBytes(const std::string& path) {
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
}

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<float> viewFloats(const TensorView& view) {
    std::vector<float> values(static_cast<std::size_t>(view.elementCount()));
    for (std::size_t index = 0; index < values.size(); ++index) {
        values[index] = loadElement(view.data + index * dtypeSize(view.dtype), view.dtype);
    }
    return values;
}

std::string tinyModel(const QTemporaryDir& dir, Architecture architecture, const std::string& name) {
    RandomModelOptions options;
    options.architecture = architecture;
    options.vocab_size = 320;  // a byte-level tokenizer (259 tokens) plus padded rows
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    writeRandomModel(path, options);
    return path;
}

std::uint32_t metaUint(const GgufFile& file, const std::string& key) {
    const GgufValue* value = file.find(key);
    return value != nullptr ? value->value.get<std::uint32_t>() : 0xFFFFFFFFU;
}

std::string metaString(const GgufFile& file, const std::string& key) {
    const GgufValue* value = file.find(key);
    return value != nullptr && value->value.is_string() ? value->value.get<std::string>()
                                                        : std::string("<absent>");
}

}  // namespace

class TestGguf : public QObject {
    Q_OBJECT

private slots:
    void q4BlockMatchesHandComputedBytes() {
        std::vector<float> block(32, 0.0F);
        block[0] = -4.0F;  // the largest magnitude: d = -4 / -8 = 0.5
        block[16] = 1.0F;
        const std::vector<std::uint8_t> bytes = quantizeQ4_0(block.data(), block.size());
        QCOMPARE(bytes.size(), std::size_t{18});
        QCOMPARE(int(bytes[0]), 0x00);  // 0.5 as IEEE half is 0x3800, little-endian
        QCOMPARE(int(bytes[1]), 0x38);
        // Element 0: (int8)(-8 + 8.5) = 0 (low nibble); element 16: (int8)(2 + 8.5) = 10 (high).
        QCOMPARE(int(bytes[2]), 0xA0);
        // Zeros quantize to 8: low and high nibbles 8.
        QCOMPARE(int(bytes[3]), 0x88);
    }

    void q8BlockMatchesHandComputedBytes() {
        std::vector<float> block(32, 0.0F);
        block[0] = 127.0F;  // d = 1
        block[1] = -2.4F;   // round(-2.4) = -2
        block[2] = 2.5F;    // round half away from zero: 3
        const std::vector<std::uint8_t> bytes = quantizeQ8_0(block.data(), block.size());
        QCOMPARE(bytes.size(), std::size_t{34});
        QCOMPARE(int(bytes[1]), 0x3C);  // 1.0 as half is 0x3C00
        QCOMPARE(int(static_cast<std::int8_t>(bytes[2])), 127);
        QCOMPARE(int(static_cast<std::int8_t>(bytes[3])), -2);
        QCOMPARE(int(static_cast<std::int8_t>(bytes[4])), 3);
    }

    void quantizationErrorStaysWithinTheBlockBound() {
        std::mt19937 generator(7);
        std::normal_distribution<float> normal(0.0F, 1.0F);
        std::vector<float> values(32 * 64);
        for (float& value : values) value = normal(generator);
        for (const GgmlType type : {GgmlType::Q8_0, GgmlType::Q4_0}) {
            const std::vector<std::uint8_t> bytes = type == GgmlType::Q8_0
                                                        ? quantizeQ8_0(values.data(), values.size())
                                                        : quantizeQ4_0(values.data(), values.size());
            GgufTensorInfo info;
            info.name = "t";
            info.dims = {32, 64};
            info.type = type;
            info.data = bytes.data();
            const std::vector<float> back = dequantizeTensor(info);
            for (std::size_t block = 0; block < 64; ++block) {
                float max_abs = 0.0F;
                for (std::size_t index = 0; index < 32; ++index)
                    max_abs = std::max(max_abs, std::fabs(values[block * 32 + index]));
                // Q8_0: half a step of max/127, plus 127 times the scale's half-precision rounding
                // (2^-11 relative); Q4_0: one step of max/8.
                const float bound = type == GgmlType::Q8_0 ? max_abs / 127.0F * (0.5F + 127.0F / 2048.0F)
                                                           : max_abs / 8.0F * 1.01F;
                for (std::size_t index = 0; index < 32; ++index) {
                    const std::size_t at = block * 32 + index;
                    QVERIFY2(std::fabs(back[at] - values[at]) <= bound,
                             qPrintable(QStringLiteral("%1 element %2: %3 vs %4")
                                            .arg(QString::fromStdString(ggmlTypeName(type)))
                                            .arg(at)
                                            .arg(back[at])
                                            .arg(values[at])));
                }
            }
        }
    }

    void writerAndReaderRoundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("a.gguf")).toStdString();
        GgufWriter writer;
        writer.addString("general.architecture", "llama");
        writer.addUint32("llama.block_count", 3);
        writer.addFloat32("llama.rope.freq_base", 500000.0F);
        writer.addBool("tokenizer.ggml.add_bos_token", true);
        writer.addStringArray("tokenizer.ggml.tokens", {"a", "b\xC3\xA0", ""});
        writer.addInt32Array("tokenizer.ggml.token_type", {1, 3, -1});
        const std::vector<float> matrix = {1, 2, 3, 4, 5, 6};
        writer.addTensor("m", {3, 2}, GgmlType::F32, [&matrix] {
            std::vector<std::uint8_t> bytes(matrix.size() * 4);
            std::memcpy(bytes.data(), matrix.data(), bytes.size());
            return bytes;
        });
        writer.addTensor("h", {5}, GgmlType::F16, [] { return std::vector<std::uint8_t>(10, 0); });
        writer.write(path);

        const GgufFile file(path);
        QCOMPARE(file.contents().version, 3U);
        QCOMPARE(metaString(file, "general.architecture"), std::string("llama"));
        QCOMPARE(metaUint(file, "llama.block_count"), 3U);
        QCOMPARE(file.find("llama.rope.freq_base")->value.get<float>(), 500000.0F);
        QCOMPARE(file.find("tokenizer.ggml.add_bos_token")->value.get<bool>(), true);
        QCOMPARE(file.find("tokenizer.ggml.tokens")->value[1].get<std::string>(), std::string("b\xC3\xA0"));
        QCOMPARE(file.find("tokenizer.ggml.token_type")->value[2].get<int>(), -1);
        QCOMPARE(file.contents().metadata_order.front(), std::string("general.architecture"));
        const GgufTensorInfo* m = file.findTensor("m");
        QVERIFY(m != nullptr);
        QCOMPARE(m->dims, (std::vector<std::int64_t>{2, 3}));  // ggml order: innermost first
        QCOMPARE(m->shape(), (std::vector<std::int64_t>{3, 2}));
        QCOMPARE(dequantizeTensor(*m), matrix);
        QCOMPARE(file.findTensor("h")->offset % 32, std::uint64_t{0});
    }

    void writerRefusesWhatGgmlCannotHold() {
        GgufWriter writer;
        QVERIFY_THROWS_EXCEPTION(UserError, writer.addTensor("q", {2, 40}, GgmlType::Q8_0,
                                                             [] { return std::vector<std::uint8_t>(); }));
        writer.addUint32("k", 1);
        QVERIFY_THROWS_EXCEPTION(UserError, writer.addUint32("k", 2));
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("bad.gguf")).toStdString();
        writer.addTensor("short", {4}, GgmlType::F32, [] { return std::vector<std::uint8_t>(3); });
        QVERIFY_THROWS_EXCEPTION(UserError, writer.write(path));
        QVERIFY(!QFile::exists(QString::fromStdString(path)));  // nothing half-written is left
    }

    void llamaExportInterleavesRopeRowsAndNamesEverything() {
        QTemporaryDir dir;
        const std::string model = tinyModel(dir, Architecture::Llama, "llama");
        const std::string out = dir.filePath(QStringLiteral("llama-f32.gguf")).toStdString();
        const GgufExportReport report = exportGguf(model, out, GgufExportType::F32);
        QCOMPARE(report.architecture, std::string("llama"));
        const GgufFile file(out);
        QCOMPARE(metaString(file, "general.architecture"), std::string("llama"));
        QCOMPARE(metaUint(file, "llama.block_count"), 2U);
        QCOMPARE(metaUint(file, "llama.attention.head_count"), 4U);
        QCOMPARE(metaUint(file, "llama.attention.head_count_kv"), 2U);
        QCOMPARE(metaUint(file, "llama.rope.dimension_count"), 16U);
        QCOMPARE(metaUint(file, "general.file_type"), 0U);
        QCOMPARE(metaString(file, "tokenizer.ggml.model"), std::string("gpt2"));
        QCOMPARE(metaString(file, "tokenizer.ggml.pre"), std::string("gpt-2"));
        QCOMPARE(metaUint(file, "tokenizer.ggml.bos_token_id"), 1U);
        QCOMPARE(metaUint(file, "tokenizer.ggml.eos_token_id"), 2U);
        const nlohmann::json& tokens = file.find("tokenizer.ggml.tokens")->value;
        const nlohmann::json& types = file.find("tokenizer.ggml.token_type")->value;
        QCOMPARE(tokens.size(), std::size_t{320});  // padded to the embedding rows
        QCOMPARE(tokens[1].get<std::string>(), std::string("<|bos|>"));
        QCOMPARE(types[1].get<int>(), 3);    // control
        QCOMPARE(types[100].get<int>(), 1);  // a byte-level token is normal
        QCOMPARE(types[300].get<int>(), 5);  // padding rows are unused
        QCOMPARE(tokens[300].get<std::string>(), std::string("[PAD300]"));

        std::set<std::string> names;
        for (const GgufTensorInfo& tensor : file.contents().tensors) names.insert(tensor.name);
        for (const char* expected :
             {"token_embd.weight", "output_norm.weight", "output.weight", "blk.0.attn_norm.weight",
              "blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.0.attn_v.weight", "blk.0.attn_output.weight",
              "blk.0.ffn_norm.weight", "blk.0.ffn_gate.weight", "blk.0.ffn_up.weight",
              "blk.1.ffn_down.weight"}) {
            QVERIFY2(names.count(expected) == 1, expected);
        }
        QCOMPARE(names.size(), std::size_t{3 + 2 * 9});

        // Row h*16 + 2i + a of attn_q comes from row h*16 + a*8 + i of q_proj.
        const WeightSet weights(model);
        const std::vector<float> q_proj =
            viewFloats(weights.require("model.layers.0.self_attn.q_proj.weight"));
        const GgufTensorInfo* attn_q = file.findTensor("blk.0.attn_q.weight");
        QCOMPARE(attn_q->shape(), (std::vector<std::int64_t>{64, 64}));
        const std::vector<float> exported = dequantizeTensor(*attn_q);
        for (int head = 0; head < 4; ++head) {
            for (int pair = 0; pair < 8; ++pair) {
                for (int half = 0; half < 2; ++half) {
                    const int target = head * 16 + 2 * pair + half;
                    const int source = head * 16 + half * 8 + pair;
                    for (int column = 0; column < 64; ++column) {
                        QCOMPARE(exported[target * 64 + column], q_proj[source * 64 + column]);
                    }
                }
            }
        }
        // V is not rotated, so it is written unchanged.
        QCOMPARE(dequantizeTensor(*file.findTensor("blk.0.attn_v.weight")),
                 viewFloats(weights.require("model.layers.0.self_attn.v_proj.weight")));
    }

    void quantizedExportsKeepNormsInF32() {
        QTemporaryDir dir;
        const std::string model = tinyModel(dir, Architecture::Llama, "llama");
        std::uint64_t previous_bytes = 0;
        for (const auto& [type, name] :
             {std::pair{GgufExportType::F16, "f16"}, std::pair{GgufExportType::Q8_0, "q8_0"},
              std::pair{GgufExportType::Q4_0, "q4_0"}}) {
            const std::string out =
                dir.filePath(QStringLiteral("m-%1.gguf").arg(QLatin1String(name))).toStdString();
            const GgufExportReport report = exportGguf(model, out, type);
            const GgufFile file(out);
            QCOMPARE(file.findTensor("blk.0.attn_norm.weight")->type, GgmlType::F32);
            const GgmlType matrix = file.findTensor("blk.0.ffn_up.weight")->type;
            const GgmlType edge = file.findTensor("token_embd.weight")->type;
            if (type == GgufExportType::F16) {
                QCOMPARE(matrix, GgmlType::F16);
            } else if (type == GgufExportType::Q8_0) {
                QCOMPARE(matrix, GgmlType::Q8_0);
                QCOMPARE(metaUint(file, "general.file_type"), 7U);
                QCOMPARE(metaUint(file, "general.quantization_version"), 2U);
            } else {
                QCOMPARE(matrix, GgmlType::Q4_0);
                QCOMPARE(edge, GgmlType::Q8_0);
                QCOMPARE(metaUint(file, "general.file_type"), 2U);
            }
            if (previous_bytes > 0) QVERIFY(report.file_bytes < previous_bytes);
            previous_bytes = report.file_bytes;
        }
    }

    void neoxAndBloomRegroupTheFusedQkv() {
        QTemporaryDir dir;
        for (const auto& [architecture, name, fused] :
             {std::tuple{Architecture::GptNeoX, "gptneox",
                         "gpt_neox.layers.0.attention.query_key_value.weight"},
              std::tuple{Architecture::Bloom, "bloom",
                         "transformer.h.0.self_attention.query_key_value.weight"}}) {
            const std::string model = tinyModel(dir, architecture, name);
            const std::string out =
                dir.filePath(QStringLiteral("%1.gguf").arg(QLatin1String(name))).toStdString();
            exportGguf(model, out, GgufExportType::F32);
            const GgufFile file(out);
            QCOMPARE(metaString(file, "general.architecture"), std::string(name));
            const WeightSet weights(model);
            const std::vector<float> original = viewFloats(weights.require(fused));
            const std::vector<float> exported = dequantizeTensor(*file.findTensor("blk.0.attn_qkv.weight"));
            QCOMPARE(exported.size(), original.size());
            const int heads = 4, head_dim = 16, columns = 64;
            for (int part = 0; part < 3; ++part) {
                for (int head = 0; head < heads; ++head) {
                    for (int within = 0; within < head_dim; ++within) {
                        const int target = (part * heads + head) * head_dim + within;
                        const int source = (head * 3 + part) * head_dim + within;
                        QCOMPARE(exported[target * columns], original[source * columns]);
                        QCOMPARE(exported[target * columns + columns - 1],
                                 original[source * columns + columns - 1]);
                    }
                }
            }
            if (architecture == Architecture::Bloom) {
                QVERIFY(file.findTensor("token_embd_norm.weight") != nullptr);
                QVERIFY(file.findTensor("output.weight") !=
                        nullptr);  // the tied head is written, as llama.cpp wants
            } else {
                QCOMPARE(file.find("gptneox.use_parallel_residual")->value.get<bool>(), true);
            }
        }
    }

    void qwen2KeepsRowsAndBiases() {
        QTemporaryDir dir;
        const std::string model = tinyModel(dir, Architecture::Qwen2, "qwen2");
        const std::string out = dir.filePath(QStringLiteral("qwen2.gguf")).toStdString();
        exportGguf(model, out, GgufExportType::Q8_0);
        const GgufFile file(out);
        QCOMPARE(metaString(file, "general.architecture"), std::string("qwen2"));
        QCOMPARE(file.findTensor("blk.0.attn_q.bias")->type, GgmlType::F32);
        QVERIFY(file.findTensor("output.weight") == nullptr);  // tied: llama.cpp reuses token_embd
        const WeightSet weights(model);
        QCOMPARE(dequantizeTensor(*file.findTensor("blk.1.attn_k.bias")),
                 viewFloats(weights.require("model.layers.1.self_attn.k_proj.bias")));
    }

    void everyFamilyExports() {
        QTemporaryDir dir;
        for (const Architecture architecture :
             {Architecture::Mistral, Architecture::GptJ, Architecture::Mpt}) {
            const std::string name = architectureName(architecture);
            const std::string model = tinyModel(dir, architecture, name);
            const std::string out = dir.filePath(QString::fromStdString(name + ".gguf")).toStdString();
            const GgufExportReport report = exportGguf(model, out, GgufExportType::Q4_0);
            const GgufFile file(out);
            QVERIFY2(file.contents().tensors.size() == report.tensors, name.c_str());
            QVERIFY(file.findTensor("token_embd.weight") != nullptr);
            QVERIFY(file.findTensor("blk.1.attn_output.weight") != nullptr);
        }
    }

    void exportRefusesBadFoldersWithoutLeavingAFile() {
        QTemporaryDir dir;
        const std::string model = tinyModel(dir, Architecture::Llama, "llama");
        QFile::remove(QString::fromStdString(model + "/tokenizer.json"));
        const std::string out = dir.filePath(QStringLiteral("x.gguf")).toStdString();
        try {
            exportGguf(model, out, GgufExportType::F16);
            QFAIL("a folder without tokenizer.json exported");
        } catch (const UserError& error) {
            QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("tokenizer.json")));
        }
        QVERIFY(!QFile::exists(QString::fromStdString(out)));
        QVERIFY_THROWS_EXCEPTION(UserError, exportGguf(dir.filePath(QStringLiteral("none")).toStdString(),
                                                       out, GgufExportType::F16));
    }

    void corruptFilesGiveUserErrors() {
        QTemporaryDir dir;
        const std::string model = tinyModel(dir, Architecture::Llama, "llama");
        const std::string out = dir.filePath(QStringLiteral("ok.gguf")).toStdString();
        exportGguf(model, out, GgufExportType::Q8_0);
        const std::string image = readBytes(out);
        const auto* data = reinterpret_cast<const std::uint8_t*>(image.data());

        const std::string truncated_path = dir.filePath(QStringLiteral("cut.gguf")).toStdString();
        writeBytes(truncated_path, image.substr(0, image.size() - 100));
        try {
            GgufFile cut(truncated_path);
            QFAIL("a truncated file was read");
        } catch (const UserError& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("truncated")), error.what());
        }
        std::string bad_magic = image;
        bad_magic[0] = 'X';
        QVERIFY_THROWS_EXCEPTION(UserError, parseGguf(reinterpret_cast<const std::uint8_t*>(bad_magic.data()),
                                                      bad_magic.size(), "m"));
        for (const std::size_t cut : {std::size_t{0}, std::size_t{3}, std::size_t{20}, std::size_t{500}}) {
            QVERIFY_THROWS_EXCEPTION(UserError, parseGguf(data, cut, "cut"));
        }
        // Random single-byte changes in the header: either still a valid file or a UserError.
        const std::size_t header = static_cast<std::size_t>(parseGguf(data, image.size(), "ok").data_offset);
        std::mt19937 generator(11);
        int refused = 0;
        for (int trial = 0; trial < 400; ++trial) {
            std::string damaged = image;
            const std::size_t at = generator() % header;
            damaged[at] = static_cast<char>(generator() & 0xFF);
            try {
                parseGguf(reinterpret_cast<const std::uint8_t*>(damaged.data()), damaged.size(), "damaged");
            } catch (const UserError&) {
                ++refused;
            }
        }
        QVERIFY(refused > 0);
    }

    void cliExportsAndDescribes() {
        QTemporaryDir dir;
        const std::string model = tinyModel(dir, Architecture::Llama, "llama");
        const QString out = dir.filePath(QStringLiteral("cli.gguf"));
        const testing::CliResult exported =
            testing::runCli({QStringLiteral("model"), QStringLiteral("export-gguf"),
                             QStringLiteral("--model"), QString::fromStdString(model),
                             QStringLiteral("--out"), out, QStringLiteral("--type"), QStringLiteral("q4_0")});
        QCOMPARE(exported.exit_code, 0);
        const auto done = nlohmann::json::parse(exported.standard_output.trimmed().toStdString());
        QCOMPARE(done["architecture"].get<std::string>(), std::string("llama"));
        QCOMPARE(done["tensors"].get<int>(), 21);
        const testing::CliResult info = testing::runCli(
            {QStringLiteral("model"), QStringLiteral("gguf-info"), out, QStringLiteral("--json")});
        QCOMPARE(info.exit_code, 0);
        const auto document = nlohmann::json::parse(info.standard_output.toStdString());
        QCOMPARE(document["tensors"].size(), std::size_t{21});
        const testing::CliResult bad =
            testing::runCli({QStringLiteral("model"), QStringLiteral("export-gguf"),
                             QStringLiteral("--model"), QString::fromStdString(model),
                             QStringLiteral("--out"), out, QStringLiteral("--type"), QStringLiteral("q5")});
        QCOMPARE(bad.exit_code, 1);
        QVERIFY(bad.standard_error.contains("--type"));
    }

    void huggingFaceReaderSeesTheSameFile() {
        const QString cache = QDir::homePath() + QStringLiteral("/.cache/vietllm/npm/gguf-reader");
        const QString tools = QStringLiteral(VIETLLM_SOURCE_DIR) + QStringLiteral("/tools/gguf_reference");
        QDir().mkpath(cache);
        QFile::remove(cache + QStringLiteral("/package.json"));
        QFile::remove(cache + QStringLiteral("/read_gguf.mjs"));
        QVERIFY(
            QFile::copy(tools + QStringLiteral("/package.json"), cache + QStringLiteral("/package.json")));
        QVERIFY(
            QFile::copy(tools + QStringLiteral("/read_gguf.mjs"), cache + QStringLiteral("/read_gguf.mjs")));
        if (!QFile::exists(cache + QStringLiteral("/node_modules/@huggingface/gguf/package.json"))) {
            QProcess npm;
            npm.setWorkingDirectory(cache);
            npm.start(QStringLiteral("npm"), {QStringLiteral("install"), QStringLiteral("--no-audit"),
                                              QStringLiteral("--no-fund"), QStringLiteral("--silent")});
            if (!npm.waitForFinished(300000) || npm.exitCode() != 0) {
                QSKIP("npm install @huggingface/gguf failed (npm or the registry unreachable)");
            }
        }
        QTemporaryDir dir;
        const std::string model = tinyModel(dir, Architecture::Qwen2, "qwen2");
        const std::string out = dir.filePath(QStringLiteral("ref.gguf")).toStdString();
        exportGguf(model, out, GgufExportType::Q4_0);
        QProcess node;
        node.setWorkingDirectory(cache);
        node.start(QStringLiteral("node"), {QStringLiteral("read_gguf.mjs"), QString::fromStdString(out)});
        if (!node.waitForStarted(30000)) QSKIP("node is not installed");
        QVERIFY(node.waitForFinished(60000));
        QVERIFY2(node.exitCode() == 0, node.readAllStandardError().constData());
        const auto reference = nlohmann::json::parse(node.readAllStandardOutput().toStdString());

        const GgufFile file(out);
        QCOMPARE(reference["version"].get<int>(), 3);
        QCOMPARE(reference["metadata"].size(), file.contents().metadata.size());
        for (const auto& [key, value] : file.contents().metadata) {
            QVERIFY2(reference.at("metadata").contains(key), key.c_str());
            const nlohmann::json& seen = reference.at("metadata").at(key);
            QCOMPARE(seen.at("type").get<int>(), static_cast<int>(value.type));
            if (value.type == GgufValueType::Array) {
                QCOMPARE(seen.at("subType").get<int>(), static_cast<int>(value.element_type));
                const nlohmann::json& shown = seen.at("value");
                const bool summarised = shown.is_object();
                QCOMPARE(summarised ? shown.at("length").get<std::size_t>() : shown.size(),
                         value.value.size());
                if (!value.value.empty()) {
                    QCOMPARE((summarised ? shown.at("first") : shown).at(0).dump(), value.value.at(0).dump());
                }
            } else if (value.type == GgufValueType::Float32) {
                QCOMPARE(seen.at("value").get<float>(), value.value.get<float>());
            } else {
                QCOMPARE(seen.at("value").dump(), value.value.dump());
            }
        }
        QCOMPARE(reference["tensors"].size(), file.contents().tensors.size());
        for (std::size_t index = 0; index < file.contents().tensors.size(); ++index) {
            const GgufTensorInfo& ours = file.contents().tensors[index];
            const nlohmann::json& theirs = reference["tensors"][index];
            QCOMPARE(theirs["name"].get<std::string>(), ours.name);
            QCOMPARE(theirs["dims"].get<std::vector<std::int64_t>>(), ours.dims);
            QCOMPARE(theirs["type"].get<std::uint32_t>(), static_cast<std::uint32_t>(ours.type));
            QCOMPARE(theirs["offset"].get<std::uint64_t>(), ours.offset);
        }
    }

    // The real Llama-2 tokenizer (SentencePiece-style BPE with byte fallback) as llama.cpp's "llama"
    // vocabulary: types, merge-rank scores, special ids and add_bos from the real files.
    void llama2TokenizerBecomesASentencePieceVocabulary() {
        QString reason;
        const QString tokenizer_dir = testing::ensureTokenizerPackage(QStringLiteral("llama2"), reason);
        if (tokenizer_dir.isEmpty()) QSKIP(qPrintable(reason));
        QTemporaryDir dir;
        RandomModelOptions options;
        options.architecture = Architecture::Llama;
        options.vocab_size = 32000;
        const QString model = dir.filePath(QStringLiteral("llama2-shaped"));
        writeRandomModel(model.toStdString(), options);
        for (const QString& name :
             {QStringLiteral("tokenizer.json"), QStringLiteral("tokenizer_config.json")}) {
            QFile::remove(model + '/' + name);
            QVERIFY(QFile::copy(tokenizer_dir + '/' + name, model + '/' + name));
        }
        const std::string out = dir.filePath(QStringLiteral("llama2.gguf")).toStdString();
        exportGguf(model.toStdString(), out, GgufExportType::F16);
        const GgufFile file(out);
        QCOMPARE(metaString(file, "tokenizer.ggml.model"), std::string("llama"));
        const nlohmann::json& tokens = file.find("tokenizer.ggml.tokens")->value;
        const nlohmann::json& types = file.find("tokenizer.ggml.token_type")->value;
        const nlohmann::json& scores = file.find("tokenizer.ggml.scores")->value;
        QCOMPARE(tokens.size(), std::size_t{32000});
        QCOMPARE(scores.size(), std::size_t{32000});
        QVERIFY(file.find("tokenizer.ggml.merges") == nullptr);
        QCOMPARE(tokens[0].get<std::string>(), std::string("<unk>"));
        QCOMPARE(types[0].get<int>(), 2);  // unknown
        QCOMPARE(types[1].get<int>(), 3);  // <s> is a special added token: control
        QCOMPARE(tokens[13].get<std::string>(), std::string("<0x0A>"));
        QCOMPARE(types[13].get<int>(), 6);  // byte
        QCOMPARE(tokens[261].get<std::string>(), std::string("\u2581t"));
        QCOMPARE(scores[261].get<float>(), -1.0F);  // the first merge, "\u2581 t"
        QCOMPARE(metaUint(file, "tokenizer.ggml.bos_token_id"), 1U);
        QCOMPARE(metaUint(file, "tokenizer.ggml.eos_token_id"), 2U);
        QCOMPARE(metaUint(file, "tokenizer.ggml.unknown_token_id"), 0U);
        QCOMPARE(file.find("tokenizer.ggml.add_bos_token")->value.get<bool>(), true);
    }

    void modelInitWritesRealShapes() {
        // The 0.5b config (no weights written here: 1 GB) has Qwen2.5-0.5B's shape and parameter count.
        RandomModelOptions options;
        options.architecture = Architecture::Qwen2;
        options.size = "0.5b";
        const ModelConfig config = parseModelConfig(randomModelConfig(options), "0.5b");
        std::int64_t parameters = 0;
        for (const TensorSpec& spec : tensorLayout(config)) {
            if (spec.optional) continue;
            std::int64_t count = 1;
            for (const std::int64_t extent : spec.shape) count *= extent;
            parameters += count;
        }
        QCOMPARE(parameters, std::int64_t{494032768});  // Qwen2.5-0.5B's published count
        options.size = "3b";
        QVERIFY_THROWS_EXCEPTION(UserError, randomModelConfig(options));
        options.size = "8b";
        options.architecture = Architecture::Llama;
        QCOMPARE(randomModelConfig(options)["num_key_value_heads"].get<int>(), 8);
    }
};

QTEST_GUILESS_MAIN(TestGguf)
#include "tst_gguf.moc"
