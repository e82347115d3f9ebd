// The MFU formula of runs/training_flops.h on Llama-3.2-1B's shape, computed by hand: N (weights
// whose matmuls run per token, tied LM head included, input embedding excluded), 6N / 4N plus the
// attention term, and the peak table keyed by CUDA device names.

#include "backend/runs/training_flops.h"
#include "backend/weights/random_model.h"

#include <QtTest>

using namespace vietllm;

namespace {

weights::ModelConfig llama1b() {
    weights::RandomModelOptions options;
    options.architecture = weights::Architecture::Llama;
    options.size = "1b";
    return weights::parseModelConfig(weights::randomModelConfig(options), "llama-1b/config.json");
}

}  // namespace

class TstTrainFlops : public QObject {
    Q_OBJECT

private slots:
    void matmulParametersOfLlama1b() {
        const weights::ModelConfig config = llama1b();
        QCOMPARE(config.hidden_size, std::int64_t{2048});
        QVERIFY(config.tie_word_embeddings);
        // Per layer: q, o 2048x2048; k, v 512x2048 (8 KV heads of 64); gate, up, down 8192x2048;
        // two RMSNorm scales of 2048 = 60,821,504; 16 layers + final norm 2048 = 973,146,112;
        // plus the tied LM head 128,256 x 2048 = 262,668,288.
        QCOMPARE(runs::matmulParameters(config), std::int64_t{1235814400});
    }

    void flopsPerTokenFullAndLora() {
        const weights::ModelConfig config = llama1b();
        // Attention at t = 2048: 12 * 16 layers * 32 heads * 64 dims * 2048 = 805,306,368.
        QCOMPARE(runs::trainingFlopsPerToken(config, 2048, false), 6.0 * 1235814400.0 + 805306368.0);
        QCOMPARE(runs::trainingFlopsPerToken(config, 2048, true), 4.0 * 1235814400.0 + 805306368.0);
        QCOMPARE(runs::trainingFlopsPerToken(config, 512, false), 6.0 * 1235814400.0 + 805306368.0 / 4.0);
        // The stock baseline's 52.3k tokens/s on an H200 is 43.5% MFU in this convention (the
        // notes' 41% halves the attention term for causality).
        const double mfu = 52.3e3 * runs::trainingFlopsPerToken(config, 2048, false) / 989e12;
        QVERIFY2(std::abs(mfu - 0.4347) < 0.001, qPrintable(QString::number(mfu)));
    }

    void peakTableByDeviceName() {
        QCOMPARE(runs::peakBf16Flops("NVIDIA H100 80GB HBM3"), 989e12);
        QCOMPARE(runs::peakBf16Flops("NVIDIA H100 PCIe"), 756e12);
        QCOMPARE(runs::peakBf16Flops("NVIDIA H200"), 989e12);
        QCOMPARE(runs::peakBf16Flops("NVIDIA A100-SXM4-80GB"), 312e12);
        QCOMPARE(runs::peakBf16Flops("NVIDIA GeForce RTX 3060"), 0.0);
        QCOMPARE(runs::peakBf16Flops(""), 0.0);
    }
};

QTEST_GUILESS_MAIN(TstTrainFlops)
#include "tst_train_flops.moc"
