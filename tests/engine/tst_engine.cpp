// The libtorch engine through its torch-free facade: golden logits from Hugging Face
// transformers for every family, cached decoding against a full forward, a batch against its
// rows alone, a naive loop implementation against the torch forward, the sampler chain, streamed
// text, generation and the CLI commands.

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/sample/engine.h"
#include "backend/sample/sampler.h"
#include "backend/sample/text_stream.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/weights/random_model.h"
#include "backend/weights/safetensors.h"
#include "tests/common/test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

using namespace vietllm;
using sample::Engine;
using sample::EngineOptions;

namespace {

const char* const kArchitectures[] = {"llama", "mistral", "qwen2", "gpt_neox", "bloom", "gptj", "mpt"};

QString fixtureDir(const QString& name) {
    return QStringLiteral(VIETLLM_SOURCE_DIR "/tests/fixtures/golden/") + name;
}

// One intra-op thread: the tiny models' ops are far too small to gain from more, and the shared
// test machine makes thread hand-offs slow.
EngineOptions oneThread() {
    EngineOptions options;
    options.num_threads = 1;
    return options;
}

std::string tinyModel(const QTemporaryDir& dir, const QString& arch) {
    weights::RandomModelOptions options;
    options.architecture = weights::architectureFromName(arch.toStdString());
    options.vocab_size = 96;
    const std::string path = dir.filePath(arch).toStdString();
    weights::writeRandomModel(path, options);
    return path;
}

double maxAbsDifference(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) {
        return INFINITY;
    }
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
    }
    return worst;
}

double maxAbsDifference(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
    if (a.size() != b.size()) {
        return INFINITY;
    }
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, maxAbsDifference(a[i], b[i]));
    }
    return worst;
}

std::vector<std::int32_t> int64Row(const weights::TensorView& view, std::int64_t row) {
    const std::int64_t width = view.shape.back();
    const auto* data = reinterpret_cast<const std::int64_t*>(view.data) + row * width;
    return std::vector<std::int32_t>(data, data + width);
}

// Logits [position][vocab] of batch row `row` of a float32 [B, T, V] golden tensor, from `first` on.
std::vector<std::vector<float>> floatRows(const weights::TensorView& view, std::int64_t row,
                                          std::int64_t first) {
    const std::int64_t positions = view.shape[1];
    const std::int64_t vocab = view.shape[2];
    const auto* data = reinterpret_cast<const float*>(view.data) + row * positions * vocab;
    std::vector<std::vector<float>> out;
    for (std::int64_t p = first; p < positions; ++p) {
        out.emplace_back(data + p * vocab, data + (p + 1) * vocab);
    }
    return out;
}

// A plain Llama forward over std::vector, written from the formulas independently of the torch
// path (no shared code besides the safetensors reader): RMSNorm, RoPE (rotate-half), GQA, SwiGLU.
class NaiveLlama {
public:
    explicit NaiveLlama(const std::string& dir) : m_config(weights::loadModelConfig(dir)), m_weights(dir) {}

    std::vector<std::vector<float>> run(const std::vector<std::int32_t>& ids) const {
        const auto layers = static_cast<int>(m_config.num_layers);
        std::vector<std::vector<std::vector<float>>> keys(layers), values(layers);
        std::vector<std::vector<float>> out;
        for (std::size_t pos = 0; pos < ids.size(); ++pos) {
            std::vector<float> x = row("model.embed_tokens.weight", ids[pos]);
            for (int l = 0; l < layers; ++l) {
                const std::string p = "model.layers." + std::to_string(l) + ".";
                const std::vector<float> h = rmsNorm(x, p + "input_layernorm.weight");
                std::vector<float> q = matVec(p + "self_attn.q_proj.weight", h);
                std::vector<float> k = matVec(p + "self_attn.k_proj.weight", h);
                rope(q, pos);
                rope(k, pos);
                keys[l].push_back(k);
                values[l].push_back(matVec(p + "self_attn.v_proj.weight", h));
                const std::vector<float> context = attend(q, keys[l], values[l]);
                add(x, matVec(p + "self_attn.o_proj.weight", context));
                const std::vector<float> h2 = rmsNorm(x, p + "post_attention_layernorm.weight");
                std::vector<float> gate = matVec(p + "mlp.gate_proj.weight", h2);
                const std::vector<float> up = matVec(p + "mlp.up_proj.weight", h2);
                for (std::size_t i = 0; i < gate.size(); ++i) {
                    gate[i] = gate[i] / (1.0F + std::exp(-gate[i])) * up[i];
                }
                add(x, matVec(p + "mlp.down_proj.weight", gate));
            }
            out.push_back(matVec("lm_head.weight", rmsNorm(x, "model.norm.weight")));
        }
        return out;
    }

private:
    const float* data(const std::string& name) const {
        return reinterpret_cast<const float*>(m_weights.require(name).data);
    }

    std::vector<float> row(const std::string& name, std::int64_t index) const {
        const std::int64_t width = m_weights.require(name).shape[1];
        return std::vector<float>(data(name) + index * width, data(name) + (index + 1) * width);
    }

    std::vector<float> matVec(const std::string& name, const std::vector<float>& x) const {
        const weights::TensorView& w = m_weights.require(name);
        std::vector<float> y(static_cast<std::size_t>(w.shape[0]));
        for (std::size_t r = 0; r < y.size(); ++r) {
            double sum = 0.0;
            for (std::size_t c = 0; c < x.size(); ++c) {
                sum += static_cast<double>(data(name)[r * x.size() + c]) * x[c];
            }
            y[r] = static_cast<float>(sum);
        }
        return y;
    }

    std::vector<float> rmsNorm(const std::vector<float>& x, const std::string& weight) const {
        double squares = 0.0;
        for (const float v : x) {
            squares += static_cast<double>(v) * v;
        }
        const double scale = 1.0 / std::sqrt(squares / static_cast<double>(x.size()) + m_config.norm_eps);
        std::vector<float> y(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
            y[i] = static_cast<float>(x[i] * scale * data(weight)[i]);
        }
        return y;
    }

    void rope(std::vector<float>& heads, std::size_t pos) const {
        const auto d = static_cast<std::size_t>(m_config.head_dim);
        for (std::size_t head = 0; head < heads.size() / d; ++head) {
            float* v = heads.data() + head * d;
            for (std::size_t i = 0; i < d / 2; ++i) {
                const double angle =
                    static_cast<double>(pos) *
                    std::pow(m_config.rope_theta, -2.0 * static_cast<double>(i) / static_cast<double>(d));
                const double a = v[i];
                const double b = v[i + d / 2];
                v[i] = static_cast<float>(a * std::cos(angle) - b * std::sin(angle));
                v[i + d / 2] = static_cast<float>(b * std::cos(angle) + a * std::sin(angle));
            }
        }
    }

    std::vector<float> attend(const std::vector<float>& q, const std::vector<std::vector<float>>& keys,
                              const std::vector<std::vector<float>>& values) const {
        const auto d = static_cast<std::size_t>(m_config.head_dim);
        const auto heads = static_cast<std::size_t>(m_config.num_heads);
        const std::size_t group = heads / static_cast<std::size_t>(m_config.num_kv_heads);
        std::vector<float> context(heads * d, 0.0F);
        for (std::size_t head = 0; head < heads; ++head) {
            const std::size_t kv = head / group;
            std::vector<double> scores;
            for (const auto& key : keys) {
                double dot = 0.0;
                for (std::size_t i = 0; i < d; ++i) {
                    dot += static_cast<double>(q[head * d + i]) * key[kv * d + i];
                }
                scores.push_back(dot / std::sqrt(static_cast<double>(d)));
            }
            const double best = *std::max_element(scores.begin(), scores.end());
            double total = 0.0;
            for (double& s : scores) {
                s = std::exp(s - best);
                total += s;
            }
            for (std::size_t t = 0; t < values.size(); ++t) {
                for (std::size_t i = 0; i < d; ++i) {
                    context[head * d + i] += static_cast<float>(scores[t] / total * values[t][kv * d + i]);
                }
            }
        }
        return context;
    }

    static void add(std::vector<float>& x, const std::vector<float>& y) {
        for (std::size_t i = 0; i < x.size(); ++i) {
            x[i] += y[i];
        }
    }

    weights::ModelConfig m_config;
    weights::WeightSet m_weights;
};

std::int32_t argmax(const std::vector<float>& values) {
    return static_cast<std::int32_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

sample::GenerationOptions greedy(std::int64_t tokens) {
    sample::GenerationOptions options;
    options.sampling.temperature = 0.0;
    options.max_new_tokens = tokens;
    options.ignore_eos = true;
    return options;
}

}  // namespace

class TestEngine : public QObject {
    Q_OBJECT

private slots:
    void goldenLogitsMatchTransformers_data() {
        QTest::addColumn<QString>("name");
        for (const char* name :
             {"llama", "llama_tied", "llama3_rope", "mistral", "qwen2", "gpt_neox", "bloom", "gptj", "mpt"}) {
            QTest::newRow(name) << QString::fromLatin1(name);
        }
    }

    void goldenLogitsMatchTransformers() {
        QFETCH(QString, name);
        if (!QFile::exists(fixtureDir(name) + QStringLiteral("/golden.safetensors"))) {
            QSKIP("golden fixture absent");
        }
        const std::string dir = fixtureDir(name).toStdString();
        const weights::SafetensorsFile golden(dir + "/golden.safetensors");
        const Engine engine(dir, oneThread());
        constexpr double kTolerance = 1e-4;

        const std::vector<std::int32_t> ids = int64Row(*golden.find("input_ids"), 0);
        const double full = maxAbsDifference(engine.logits(ids), floatRows(*golden.find("logits"), 0, 0));
        qInfo("%s: max |logit difference| %.2e (all positions)", qPrintable(name), full);
        QVERIFY2(full < kTolerance, qPrintable(QString::number(full)));

        const weights::TensorView& batch_ids = *golden.find("batch_input_ids");
        const weights::TensorView& batch_mask = *golden.find("batch_attention_mask");
        std::vector<std::vector<std::int32_t>> rows;
        std::vector<std::int64_t> pads;
        for (std::int64_t r = 0; r < batch_ids.shape[0]; ++r) {
            const std::vector<std::int32_t> all = int64Row(batch_ids, r);
            const std::vector<std::int32_t> mask = int64Row(batch_mask, r);
            const auto pad = std::count(mask.begin(), mask.end(), 0);
            pads.push_back(pad);
            rows.emplace_back(all.begin() + pad, all.end());
        }
        const auto batch = engine.batchLogits(rows);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const double difference = maxAbsDifference(
                batch[r], floatRows(*golden.find("batch_logits"), static_cast<std::int64_t>(r), pads[r]));
            QVERIFY2(difference < kTolerance,
                     qPrintable(QStringLiteral("row %1: %2").arg(r).arg(difference)));
        }

        const std::vector<std::int32_t> expected = int64Row(*golden.find("greedy_ids"), 0);
        const auto result =
            engine.generate({ids}, greedy(static_cast<std::int64_t>(expected.size() - ids.size())), {});
        std::vector<std::int32_t> produced = ids;
        produced.insert(produced.end(), result[0].token_ids.begin(), result[0].token_ids.end());
        QCOMPARE(produced, expected);
    }

    void cachedDecodingEqualsFullForward_data() {
        QTest::addColumn<QString>("arch");
        for (const char* arch : kArchitectures) {
            QTest::newRow(arch) << QString::fromLatin1(arch);
        }
    }

    void cachedDecodingEqualsFullForward() {
        QFETCH(QString, arch);
        QTemporaryDir dir;
        const Engine engine(tinyModel(dir, arch), oneThread());
        const std::vector<std::int32_t> ids = {5, 17, 3, 88, 41, 9, 60, 2, 33, 71, 14};
        const auto full = engine.logits(ids);
        QVERIFY(maxAbsDifference(engine.cachedLogits(ids, 4), full) < 1e-4);
        QVERIFY(maxAbsDifference(engine.cachedLogits(ids, 1), full) < 1e-4);
    }

    void batchEqualsRowsAlone_data() { cachedDecodingEqualsFullForward_data(); }

    void batchEqualsRowsAlone() {
        QFETCH(QString, arch);
        QTemporaryDir dir;
        const Engine engine(tinyModel(dir, arch), oneThread());
        const std::vector<std::vector<std::int32_t>> rows = {
            {5, 17, 3, 88, 41, 9, 60}, {7, 2, 90}, {11, 12, 13, 14, 15}};
        const auto batch = engine.batchLogits(rows);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            QVERIFY2(maxAbsDifference(batch[r], engine.logits(rows[r])) < 1e-4,
                     qPrintable(QString::number(r)));
        }
        // Batched generation: each row continues exactly as it does alone.
        const auto together = engine.generate(rows, greedy(6), {});
        for (std::size_t r = 0; r < rows.size(); ++r) {
            QCOMPARE(together[r].token_ids, engine.generate({rows[r]}, greedy(6), {})[0].token_ids);
        }
    }

    void torchForwardMatchesNaiveLoops() {
        QTemporaryDir dir;
        const std::string path = tinyModel(dir, QStringLiteral("llama"));
        const std::vector<std::int32_t> ids = {1, 50, 7, 23, 95, 0, 44, 8};
        const double difference =
            maxAbsDifference(Engine(path, oneThread()).logits(ids), NaiveLlama(path).run(ids));
        qInfo("torch vs naive loops: max |logit difference| %.2e", difference);
        QVERIFY(difference < 1e-4);
    }

    void reducedPrecisionStaysClose() {
        QTemporaryDir dir;
        const std::string path = tinyModel(dir, QStringLiteral("qwen2"));
        const std::vector<std::int32_t> ids = {1, 50, 7, 23, 95};
        const auto exact = Engine(path, oneThread()).logits(ids);
        EngineOptions bf16 = oneThread();
        bf16.dtype = sample::ComputeDType::BFloat16;
        const double difference = maxAbsDifference(Engine(path, bf16).logits(ids), exact);
        qInfo("bf16 vs fp32: max |logit difference| %.3f", difference);
        QVERIFY(difference > 0.0);
        QVERIFY(difference < 0.25);
    }

    void samplerFollowsItsOptions() {
        const std::vector<float> logits = {0.1F, 2.0F, 1.9F, -1.0F, 0.5F};
        sample::SamplingOptions options;
        options.temperature = 0.0;
        std::vector<float> copy = logits;
        QCOMPARE(sample::Sampler(options, 5).next(copy, {}), 1);
        // Repetition penalty turns greedy away from a repeated id.
        options.repetition_penalty = 1.5;
        copy = logits;
        QCOMPARE(sample::Sampler(options, 5).next(copy, {1, 1}), 2);
        // Ids beyond the usable vocabulary are never drawn.
        copy = {0.0F, 0.0F, 9.0F};
        QCOMPARE(sample::Sampler(sample::SamplingOptions{0.0}, 2).next(copy, {}), 0);
        // top-k 1 is greedy at any temperature; the same seed repeats the same draws.
        sample::SamplingOptions hot;
        hot.temperature = 5.0;
        hot.top_k = 1;
        copy = logits;
        QCOMPARE(sample::Sampler(hot, 5).next(copy, {}), 1);
        hot.top_k = 0;
        hot.seed = 7;
        sample::Sampler first(hot, 5);
        sample::Sampler second(hot, 5);
        std::set<std::int32_t> seen;
        for (int i = 0; i < 50; ++i) {
            std::vector<float> a = logits;
            std::vector<float> b = logits;
            const std::int32_t drawn = first.next(a, {});
            QCOMPARE(second.next(b, {}), drawn);
            seen.insert(drawn);
        }
        QVERIFY(seen.size() >= 3);
        // min-p 0.9 keeps only the ids within 90% of the best: 1 and 2 (1.9 vs 2.0).
        hot.temperature = 1.0;
        hot.min_p = 0.9;
        sample::Sampler narrow(hot, 5);
        for (int i = 0; i < 30; ++i) {
            std::vector<float> a = logits;
            const std::int32_t drawn = narrow.next(a, {});
            QVERIFY(drawn == 1 || drawn == 2);
        }
        sample::SamplingOptions bad;
        bad.top_p = 0.0;
        QVERIFY_THROWS_EXCEPTION(UserError, sample::Sampler(bad, 5));
    }

    void textStreamNeverSplitsCharactersOrLeaksStopStrings() {
        sample::TextStream stream({"</s>"});
        QCOMPARE(stream.push("Vi\xe1\xbb"), std::string("Vi"));  // "ệ" cut after two of its three bytes
        QCOMPARE(stream.push("\x87t <"), std::string("Vi\xe1\xbb\x87t ").substr(2));
        QCOMPARE(stream.push("/"), std::string());
        QCOMPARE(stream.push("x"), std::string("</x"));
        QCOMPARE(stream.push(" ok</"), std::string(" ok"));
        QCOMPARE(stream.push("s> after"), std::string());
        QVERIFY(stream.stopped());
        QCOMPARE(stream.push("more"), std::string());
        sample::TextStream open({});
        QCOMPARE(open.push("a\xe1"), std::string("a"));
        QCOMPARE(open.finish(), std::string("\xef\xbf\xbd"));
        QCOMPARE(sample::completeUtf8Prefix("\xf0\x9f\x98"), std::size_t{0});
        QCOMPARE(sample::completeUtf8Prefix("ok\xf0\x9f\x98\x80"), std::size_t{6});
    }

    void generationStopsAndCancels() {
        QTemporaryDir dir;
        const Engine engine(tinyModel(dir, QStringLiteral("llama")), oneThread());
        const std::vector<std::int32_t> prompt = {1, 2, 3, 4};
        // Greedy generation is the argmax chain of full forwards.
        const auto result = engine.generate({prompt}, greedy(5), {})[0];
        QCOMPARE(result.token_ids.size(), std::size_t{5});
        QCOMPARE(int(result.stop_reason), int(sample::StopReason::MaxTokens));
        std::vector<std::int32_t> ids = prompt;
        for (const std::int32_t token : result.token_ids) {
            QCOMPARE(token, argmax(engine.logits(ids).back()));
            ids.push_back(token);
        }
        sample::GenerationOptions stop = greedy(5);
        stop.stop_token_ids = {result.token_ids[2]};
        const auto stopped = engine.generate({prompt}, stop, {})[0];
        QVERIFY(stopped.token_ids.size() <= 3);
        QCOMPARE(stopped.token_ids.back(), result.token_ids[2]);
        QCOMPARE(int(stopped.stop_reason), int(sample::StopReason::StopToken));
        int calls = 0;
        const auto cancelled =
            engine.generate({prompt}, greedy(5), [&](const sample::StreamChunk&) { return ++calls < 2; })[0];
        QCOMPARE(calls, 2);
        QCOMPARE(cancelled.token_ids.size(), std::size_t{2});
        QCOMPARE(int(cancelled.stop_reason), int(sample::StopReason::Cancelled));
        // Bad input is a UserError, not a crash.
        QVERIFY_THROWS_EXCEPTION(UserError, engine.generate({{1, 500}}, greedy(1), {}));
        QVERIFY_THROWS_EXCEPTION(UserError, engine.generate({{}}, greedy(1), {}));
        QVERIFY_THROWS_EXCEPTION(UserError,
                                 engine.generate({std::vector<std::int32_t>(300, 1)}, greedy(1), {}));
        sample::GenerationOptions strings = greedy(1);
        strings.stop_strings = {"x"};
        QVERIFY_THROWS_EXCEPTION(UserError, engine.generate({prompt}, strings, {}));
    }

    void streamedTextIsWholeCharactersAndHonoursStopStrings() {
        QTemporaryDir dir;
        weights::RandomModelOptions options;
        options.architecture = weights::Architecture::Qwen2;
        const std::string path = dir.filePath(QStringLiteral("with_tokenizer")).toStdString();
        weights::writeRandomModel(path, options);  // vocabulary 512: a byte-level tokenizer comes along
        const Engine engine(path, oneThread());
        QVERIFY(engine.tokenizer() != nullptr);
        const std::vector<std::int32_t> prompt = engine.tokenizer()->encode("Xin chào Việt Nam", true);
        QCOMPARE(prompt.front(), std::int32_t{1});
        std::string streamed;
        const auto free_run = engine.generate({prompt}, greedy(16), [&](const sample::StreamChunk& chunk) {
            if (!utf8::isValid(chunk.text)) {
                return false;
            }
            streamed += chunk.text;
            return true;
        })[0];
        QCOMPARE(int(free_run.stop_reason), int(sample::StopReason::MaxTokens));
        QCOMPARE(streamed, free_run.text);
        // Stop at the first printable ASCII byte the model produced: the text before it stays.
        const std::string raw = engine.tokenizer()->decode(free_run.token_ids, true);
        const auto stop_at = std::find_if(raw.begin(), raw.end(), [](char c) { return c > ' ' && c < 0x7F; });
        QVERIFY2(stop_at != raw.end(), "the fixed random model produced no ASCII byte");
        sample::GenerationOptions stopping = greedy(16);
        stopping.stop_strings = {std::string(1, *stop_at)};
        const auto stopped = engine.generate({prompt}, stopping, {})[0];
        QCOMPARE(int(stopped.stop_reason), int(sample::StopReason::StopString));
        sample::TextStream reference({});
        const std::string before = std::string(raw.begin(), stop_at);
        std::string expected = reference.push(before);
        expected += reference.finish();
        QCOMPARE(stopped.text, expected);
        QVERIFY(stopped.token_ids.size() < free_run.token_ids.size());
    }

    void badModelFoldersGiveClearErrors() {
        QTemporaryDir dir;
        const std::string path = tinyModel(dir, QStringLiteral("llama"));
        const auto message = [](const std::string& model_dir) {
            try {
                Engine(model_dir, oneThread());
            } catch (const UserError& error) {
                return QString::fromUtf8(error.what());
            }
            return QString();
        };
        QVERIFY(message(dir.path().toStdString()).contains(QStringLiteral("no config.json")));
        nlohmann::json config = weights::randomModelConfig({weights::Architecture::Llama, "tiny", 96, 1});
        config["num_hidden_layers"] = 3;
        std::ofstream(path + "/config.json") << config.dump();
        QVERIFY(message(path).contains(QStringLiteral("'model.layers.2.input_layernorm.weight'")));
        config["num_hidden_layers"] = 1;
        std::ofstream(path + "/config.json") << config.dump();
        QVERIFY(message(path).contains(QStringLiteral("unexpected tensor 'model.layers.1.")));
        config["num_hidden_layers"] = 2;
        config["intermediate_size"] = 100;
        std::ofstream(path + "/config.json") << config.dump();
        QVERIFY(message(path).contains(QStringLiteral("but config.json implies [100, 64]")));
        std::filesystem::resize_file(path + "/model.safetensors", 1000);
        QVERIFY(message(path).contains(QStringLiteral("model.safetensors")));
    }

    void cliInitLogitsAndGenerate() {
        QTemporaryDir dir;
        const QString model = dir.filePath(QStringLiteral("gptj"));
        auto result = testing::runCli({"model", "init", "--arch", "gptj", "--out", model, "--vocab", "96"});
        QCOMPARE(result.exit_code, 0);
        result = testing::runCli({"model", "logits", "--model", model, "--ids", "1,2,3"});
        QCOMPARE(result.exit_code, 0);
        const QJsonArray logits = QJsonDocument::fromJson(result.standard_output).array();
        QCOMPARE(logits.size(), 96);
        const auto expected = Engine(model.toStdString(), oneThread()).logits({1, 2, 3}).back();
        for (int i = 0; i < logits.size(); ++i) {
            QVERIFY(std::abs(logits[i].toDouble() - expected[static_cast<std::size_t>(i)]) < 1e-5);
        }
        result = testing::runCli({"generate", "--model", model, "--ids", "1,2,3", "--temperature", "0",
                                  "--max-tokens", "4", "--ignore-eos", "--json", "--threads", "1"});
        QCOMPARE(result.exit_code, 0);
        const QJsonObject generated = QJsonDocument::fromJson(result.standard_output).object();
        QCOMPARE(generated.value(QStringLiteral("ids")).toArray().size(), 4);
        QCOMPARE(generated.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("max_tokens"));
        QCOMPARE(generated.value(QStringLiteral("ids")).toArray().at(0).toInt(), argmax(expected));

        QCOMPARE(testing::runCli({"model", "init", "--arch", "t5", "--out", model}).exit_code, 1);
        QCOMPARE(testing::runCli({"model", "logits", "--model", dir.path(), "--ids", "1"}).exit_code, 1);
        QCOMPARE(testing::runCli({"generate", "--model", model, "--prompt", "xin chào"}).exit_code, 1);
        const QString with_tokenizer = dir.filePath(QStringLiteral("llama"));
        QCOMPARE(testing::runCli({"model", "init", "--arch", "llama", "--out", with_tokenizer}).exit_code, 0);
        result = testing::runCli({"generate", "--model", with_tokenizer, "--prompt", "xin chào",
                                  "--max-tokens", "5", "--seed", "3", "--threads", "1", "--json"});
        QCOMPARE(result.exit_code, 0);
        QCOMPARE(QJsonDocument::fromJson(result.standard_output)
                     .object()
                     .value(QStringLiteral("ids"))
                     .toArray()
                     .size(),
                 5);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
