// The Training panel, offscreen: its item models under QAbstractItemModelTester; a run's curve
// drawn from a recorded metrics stream; a whole run (dataset export, config, live metrics, history,
// checkpoints) driven through a stand-in trainer script that speaks the trainer's JSON-line
// protocol; stop, resume and failure; the memory check that refuses a run that cannot fit; and the
// README screenshot (saved when VIETLLM_TRAINING_SCREENSHOT_PATH is set).

#include "backend/runs/metrics_stream.h"
#include "backend/runs/run_setup.h"
#include "backend/store/import_session.h"
#include "backend/store/project_store.h"
#include "backend/store/transfer.h"
#include "backend/weights/model_config.h"
#include "backend/weights/random_model.h"
#include "tests/common/test_support.h"
#include "widgets/language.h"
#include "widgets/models/checkpoint_list_model.h"
#include "widgets/models/run_history_model.h"
#include "widgets/models/training_source_model.h"
#include "widgets/training_charts.h"
#include "widgets/training_job.h"
#include "widgets/training_panel.h"

#include <qcustomplot.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <memory>

using vietllm::widgets::TrainingPanel;

namespace {

// Ten steps of a run that learns, with two evals and a checkpoint.
QByteArray recordedStream(int steps) {
    QByteArray text = R"({"event":"start","method":"sft","total_steps":)" + QByteArray::number(steps) +
                      R"(,"parameters":1000,"trainable_parameters":10,"resumed_from_step":null})"
                      "\n";
    for (int step = 1; step <= steps; ++step) {
        text += R"({"event":"step","step":)" + QByteArray::number(step) + R"(,"loss":)" +
                QByteArray::number(3.0 / step) + R"(,"lr":0.0002,"grad_norm":1.0,"tokens":)" +
                QByteArray::number(step * 100) +
                R"(,"tokens_per_s":40,"elapsed_s":1})"
                "\n";
        if (step % 5 == 0) {
            text += R"({"event":"eval","step":)" + QByteArray::number(step) + R"(,"eval_loss":)" +
                    QByteArray::number(3.5 / step) + "}\n";
        }
    }
    return text;
}

void writeFile(const QString& path, const QByteArray& content, bool executable = false) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    if (executable) {
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
    }
}

// A stand-in for vietllm-cli: `project export` writes the output file, `train` logs its arguments
// and plays the protocol (to stdout and OUTPUT_DIR/metrics.jsonl), as MODE says: "finish", "loop"
// (until SIGTERM, then checkpoint and "cancelled"), or "fail".
QByteArray fakeTrainerScript(const QString& mode) {
    return QByteArray(
               "#!/bin/sh\n"
               "if [ \"$1\" = project ]; then echo \"$@\" >> \"$(dirname \"$6\")/export.log\"; "
               "echo '{\"messages\":[]}' > \"$6\"; exit 0; fi\n"
               "dir=$(dirname \"$3\")\n"
               "echo \"$@\" >> \"$dir/arguments.log\"\n"
               "say() { echo \"$1\"; echo \"$1\" >> \"$dir/metrics.jsonl\"; }\n"
               "say '{\"event\":\"start\",\"method\":\"sft\",\"total_steps\":3}'\n"
               "MODE=") +
           mode.toUtf8() +
           QByteArray(
               "\n"
               "if [ $MODE = fail ]; then say '{\"event\":\"error\",\"message\":\"config.json: "
               "data.train[0]: no such file\"}'; exit 1; fi\n"
               "say '{\"event\":\"step\",\"step\":1,\"loss\":2.0,\"lr\":0.0001,\"grad_norm\":1.0,"
               "\"tokens\":100,\"tokens_per_s\":50}'\n"
               "if [ $MODE = loop ]; then\n"
               "  trap 'mkdir -p \"$dir/checkpoint-1\"; say "
               "\"{\\\"event\\\":\\\"done\\\",\\\"step\\\":1,\\\"status\\\":\\\"cancelled\\\"}\"; exit 0' "
               "TERM\n"
               "  while true; do sleep 0.05; done\n"
               "fi\n"
               "say '{\"event\":\"step\",\"step\":2,\"loss\":1.5,\"lr\":0.0002,\"grad_norm\":0.8,"
               "\"tokens\":200,\"tokens_per_s\":52}'\n"
               "say '{\"event\":\"eval\",\"step\":2,\"eval_loss\":1.7}'\n"
               "mkdir -p \"$dir/checkpoint-2\" \"$dir/final\"; echo '{}' > "
               "\"$dir/final/adapter_config.json\"\n"
               "say '{\"event\":\"checkpoint\",\"step\":2,\"path\":\"'$dir'/checkpoint-2\"}'\n"
               "say '{\"event\":\"done\",\"step\":2,\"status\":\"finished\",\"output\":\"'$dir'/final\"}'\n");
}

// Six DPO steps: loss, rewards, margin and accuracy per step, eval numbers at steps 3 and 6.
QByteArray dpoStream() {
    QByteArray text = R"({"event":"start","method":"dpo","total_steps":6,"reference":"computed"})"
                      "\n";
    for (int step = 1; step <= 6; ++step) {
        const QByteArray margin = QByteArray::number(0.2 * (step - 1));
        text += R"({"event":"step","step":)" + QByteArray::number(step) + R"(,"loss":)" +
                QByteArray::number(0.6931 - 0.05 * (step - 1)) +
                R"(,"rewards/chosen":0.1,"rewards/rejected":-0.1,)" + R"("margin":)" + margin +
                R"(,"accuracy":)" + QByteArray::number(0.5 + 0.08 * step) +
                R"(,"lr":0.00001,"grad_norm":1.0,"tokens":100,"tokens_per_s":40,"elapsed_s":1})"
                "\n";
        if (step % 3 == 0) {
            text += R"({"event":"eval","step":)" + QByteArray::number(step) +
                    R"(,"eval_loss":0.6,"eval_margin":)" + margin +
                    R"(,"eval_accuracy":0.7})"
                    "\n";
        }
    }
    return text;
}

// A run as a real one looks: warm-up then cosine learning rate, noisy falling loss and grad norm.
QByteArray realisticStream(int steps) {
    QByteArray text = R"({"event":"start","method":"sft","total_steps":)" + QByteArray::number(steps) + "}\n";
    for (int step = 1; step <= steps; ++step) {
        const double progress = static_cast<double>(step) / steps;
        const double rate = step <= 6 ? 2e-4 * step / 6 : 1e-4 * (1 + std::cos(M_PI * progress));
        const double noise = 0.08 * std::sin(step * 1.7) + 0.05 * std::cos(step * 3.1);
        const double loss = 1.1 + 1.6 * std::exp(-step / 25.0) + noise;
        text += R"({"event":"step","step":)" + QByteArray::number(step) + R"(,"loss":)" +
                QByteArray::number(loss) + R"(,"lr":)" + QByteArray::number(rate) + R"(,"grad_norm":)" +
                QByteArray::number(0.6 + 1.5 * std::exp(-step / 15.0) + 2 * noise) + R"(,"tokens_per_s":)" +
                QByteArray::number(410 + 25 * std::sin(step * 0.9)) + "}\n";
        if (step % 20 == 0) {
            text += R"({"event":"eval","step":)" + QByteArray::number(step) + R"(,"eval_loss":)" +
                    QByteArray::number(1.25 + 1.6 * std::exp(-step / 25.0)) + "}\n";
        }
    }
    return text;
}

int graphPoints(QCustomPlot* plot, const QString& name) {
    for (int i = 0; i < plot->graphCount(); ++i) {
        if (plot->graph(i)->name() == name) {
            return plot->graph(i)->data()->size();
        }
    }
    return -1;
}

}  // namespace

class TestTrainingPanel : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void modelsPassTheModelTester();
    void drawsARecordedRun();
    void runsATrainerAndRecordsTheRun();
    void stopsAndResumes();
    void reportsATrainerFailure();
    void refusesWhatCannotStartOrFit();
    void processesMultiplyTheMemoryNeed();
    void drawsADpoRunsMethodMetrics();
    void methodSwitchShowsItsFieldsAndConfig();
    void gradientCheckpointingFollowsPresetAndEstimate();
    void screenshot();

private:
    void useTrainer(const QString& mode);
    QString runsRoot() const { return m_dir->filePath(QStringLiteral("demo.runs")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<vietllm::store::ProjectStore> m_store;
    std::unique_ptr<TrainingPanel> m_panel;
    QString m_model_dir;
};

void TestTrainingPanel::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString project = m_dir->filePath(QStringLiteral("demo.vietllm"));
    m_store = std::make_unique<vietllm::store::ProjectStore>(
        vietllm::store::ProjectStore::create(QFile::encodeName(project).toStdString(), false));
    const QString data = m_dir->filePath(QStringLiteral("chat.jsonl"));
    writeFile(
        data,
        R"({"messages":[{"role":"user","content":"Xin chào"},{"role":"assistant","content":"Chào bạn!"}]})"
        "\n");
    vietllm::store::FileImportRequest request;
    request.input_path = QFile::encodeName(data).toStdString();
    request.format = vietllm::data::Format::Messages;
    request.dataset_name = "hoi_dap";
    vietllm::store::importFile(*m_store, request);
    m_model_dir = m_dir->filePath(QStringLiteral("tiny-llama"));
    vietllm::weights::RandomModelOptions options;
    options.architecture = vietllm::weights::Architecture::Llama;
    vietllm::weights::writeRandomModel(QFile::encodeName(m_model_dir).toStdString(), options);
    m_panel = std::make_unique<TrainingPanel>();
    m_panel->resize(1400, 900);
    m_panel->setProject(m_store.get());
}

void TestTrainingPanel::cleanup() {
    m_panel.reset();
    m_store.reset();
    m_dir.reset();
}

void TestTrainingPanel::useTrainer(const QString& mode) {
    const QString script = m_dir->filePath(QStringLiteral("fake-trainer-") + mode + QStringLiteral(".sh"));
    writeFile(script, fakeTrainerScript(mode), true);
    m_panel->setTrainerProgram(script);
}

void TestTrainingPanel::modelsPassTheModelTester() {
    writeFile(runsRoot() + QStringLiteral("/a/config.json"), R"({"method":"sft","model":"/m"})");
    writeFile(runsRoot() + QStringLiteral("/a/metrics.jsonl"), recordedStream(3));
    QDir().mkpath(runsRoot() + QStringLiteral("/a/checkpoint-3"));
    m_panel->refreshHistory();
    QAbstractItemModelTester history(m_panel->historyModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester sources(m_panel->sourceModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester checkpoints(m_panel->checkpointModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m_panel->sourceModel()->rowCount(), 1);
    m_panel->sourceModel()->addFile(m_dir->filePath(QStringLiteral("chat.jsonl")));
    m_panel->sourceModel()->addFile(m_dir->filePath(QStringLiteral("chat.jsonl")));
    QCOMPARE(m_panel->sourceModel()->rowCount(), 2);
    QCOMPARE(m_panel->sourceModel()->checkedSources().size(), std::size_t{1});
    QVERIFY(
        m_panel->sourceModel()->setData(m_panel->sourceModel()->index(0), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(m_panel->sourceModel()->checkedSources().size(), std::size_t{2});
    QCOMPARE(m_panel->historyModel()->rowCount(), 1);
    m_panel->historyView()->selectRow(0);
    QCOMPARE(m_panel->checkpointModel()->rowCount(), 1);
    m_panel->refreshHistory();
}

void TestTrainingPanel::drawsARecordedRun() {
    writeFile(runsRoot() + QStringLiteral("/recorded/config.json"), R"({"method":"sft","model":"/m/qwen"})");
    writeFile(runsRoot() + QStringLiteral("/recorded/metrics.jsonl"), recordedStream(10));
    writeFile(runsRoot() + QStringLiteral("/other/config.json"), R"({"method":"sft","model":"/m/qwen"})");
    writeFile(runsRoot() + QStringLiteral("/other/metrics.jsonl"), recordedStream(4));
    m_panel->refreshHistory();
    QCOMPARE(m_panel->historyModel()->rowCount(), 2);
    int recorded_row = -1;
    for (int row = 0; row < 2; ++row) {
        if (m_panel->historyModel()->run(row).name == "recorded") {
            recorded_row = row;
        }
    }
    QVERIFY(recorded_row >= 0);
    m_panel->historyView()->selectRow(recorded_row);
    auto* charts = m_panel->charts();
    charts->setSmoothing(0.0);
    QCOMPARE(graphPoints(charts->lossPlot(), QStringLiteral("recorded")), 10);
    QCOMPARE(graphPoints(charts->lossPlot(), QStringLiteral("recorded eval")), 2);
    QCOMPARE(graphPoints(charts->learningRatePlot(), QStringLiteral("recorded")), 10);
    QCOMPARE(graphPoints(charts->throughputPlot(), QStringLiteral("recorded")), 10);
    QCOMPARE(graphPoints(charts->lossPlot(), QStringLiteral("other")), -1);
    // Overlay: tick the other run; its curve joins the loss chart.
    const int other_row = 1 - recorded_row;
    QVERIFY(m_panel->historyModel()->setData(m_panel->historyModel()->index(other_row, 0), Qt::Checked,
                                             Qt::CheckStateRole));
    QCOMPARE(graphPoints(charts->lossPlot(), QStringLiteral("other")), 4);
    // Smoothing keeps the raw curve beside the smoothed one, and bends the smoothed one.
    charts->setSmoothing(0.9);
    QCOMPARE(graphPoints(charts->lossPlot(), QStringLiteral("recorded (raw)")), 10);
    const QString status = m_panel->historyModel()
                               ->index(recorded_row, vietllm::widgets::RunHistoryModel::kStatusColumn)
                               .data()
                               .toString();
    QCOMPARE(status, QStringLiteral("interrupted"));  // no done event and not running here
}

void TestTrainingPanel::runsATrainerAndRecordsTheRun() {
    useTrainer(QStringLiteral("finish"));
    m_panel->setModelDirectory(m_model_dir);
    QVERIFY(m_panel->memoryLabel()->text().contains(QStringLiteral("MB")));
    QVERIFY(
        m_panel->sourceModel()->setData(m_panel->sourceModel()->index(0), Qt::Checked, Qt::CheckStateRole));
    QSignalSpy finished(m_panel->job(), &vietllm::widgets::TrainingJob::finished);
    QVERIFY2(m_panel->startRun(), qPrintable(m_panel->statusLabel()->text()));
    QVERIFY(!m_panel->startButton()->isEnabled());
    QVERIFY(m_panel->stopButton()->isEnabled());
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY2(m_panel->statusLabel()->text().contains(QStringLiteral("finished")),
             qPrintable(m_panel->statusLabel()->text()));

    QCOMPARE(m_panel->historyModel()->rowCount(), 1);
    const auto& run = m_panel->historyModel()->run(0);
    QCOMPARE(run.metrics.status, vietllm::runs::RunStatus::Finished);
    QCOMPARE(run.metrics.loss.size(), std::size_t{2});
    QCOMPARE(run.checkpoints.size(), std::size_t{2});
    QVERIFY(run.checkpoints.back().is_adapter);
    // The config the trainer got: the exported dataset, LoRA from the generic preset, output here.
    QFile config_file(QString::fromStdString(run.dir) + QStringLiteral("/config.json"));
    QVERIFY(config_file.open(QIODevice::ReadOnly));
    const QJsonObject config = QJsonDocument::fromJson(config_file.readAll()).object();
    QCOMPARE(config.value(QStringLiteral("method")).toString(), QStringLiteral("sft"));
    QCOMPARE(config.value(QStringLiteral("model")).toString(), m_model_dir);
    QCOMPARE(config.value(QStringLiteral("output_dir")).toString(), QString::fromStdString(run.dir));
    const QJsonArray train =
        config.value(QStringLiteral("data")).toObject().value(QStringLiteral("train")).toArray();
    QCOMPARE(train.size(), 1);
    QVERIFY(train.at(0).toString().endsWith(QStringLiteral("/data/hoi_dap.jsonl")));
    QVERIFY(QFileInfo::exists(train.at(0).toString()));
    QVERIFY(config.value(QStringLiteral("lora")).isObject());
    QCOMPARE(graphPoints(m_panel->charts()->lossPlot(), QString::fromStdString(run.name)), 2);
    m_panel->historyView()->selectRow(0);
    QCOMPARE(m_panel->checkpointModel()->rowCount(), 2);
    QVERIFY(!m_panel->resumeButton()->isEnabled());  // finished runs are not resumed
}

void TestTrainingPanel::stopsAndResumes() {
    useTrainer(QStringLiteral("loop"));
    m_panel->setModelDirectory(m_model_dir);
    m_panel->sourceModel()->addFile(m_dir->filePath(QStringLiteral("chat.jsonl")));
    QSignalSpy finished(m_panel->job(), &vietllm::widgets::TrainingJob::finished);
    QVERIFY(m_panel->startRun());
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->job()->metrics().loss.size(), std::size_t{1}, 20000);
    m_panel->stopRun();
    QVERIFY(finished.wait(20000));
    QVERIFY2(m_panel->statusLabel()->text().contains(QStringLiteral("resumed")),
             qPrintable(m_panel->statusLabel()->text()));
    QCOMPARE(m_panel->historyModel()->rowCount(), 1);
    QCOMPARE(m_panel->historyModel()->run(0).metrics.status, vietllm::runs::RunStatus::Cancelled);
    m_panel->historyView()->selectRow(0);
    QVERIFY(m_panel->resumeButton()->isEnabled());
    QVERIFY(m_panel->resumeSelectedRun());
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->job()->metrics().loss.size(), std::size_t{1}, 20000);
    m_panel->stopRun();
    QVERIFY(finished.wait(20000));
    QFile arguments(QString::fromStdString(m_panel->historyModel()->run(0).dir) +
                    QStringLiteral("/arguments.log"));
    QVERIFY(arguments.open(QIODevice::ReadOnly));
    const QList<QByteArray> calls = arguments.readAll().trimmed().split('\n');
    QCOMPARE(calls.size(), 2);
    QVERIFY(!calls[0].endsWith("--resume"));
    QVERIFY(calls[1].startsWith("train sft "));
    QVERIFY(calls[1].endsWith("--resume"));
}

void TestTrainingPanel::reportsATrainerFailure() {
    useTrainer(QStringLiteral("fail"));
    m_panel->setModelDirectory(m_model_dir);
    m_panel->sourceModel()->addFile(m_dir->filePath(QStringLiteral("chat.jsonl")));
    QSignalSpy finished(m_panel->job(), &vietllm::widgets::TrainingJob::finished);
    QVERIFY(m_panel->startRun());
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(m_panel->statusLabel()->text().contains(QStringLiteral("data.train[0]")),
             qPrintable(m_panel->statusLabel()->text()));
    QCOMPARE(m_panel->historyModel()->run(0).metrics.status, vietllm::runs::RunStatus::Failed);
    QVERIFY(m_panel->startButton()->isEnabled());
}

void TestTrainingPanel::refusesWhatCannotStartOrFit() {
    useTrainer(QStringLiteral("finish"));
    QVERIFY(!m_panel->startRun());  // no model yet
    QVERIFY(m_panel->statusLabel()->text().contains(QStringLiteral("config.json")));
    m_panel->setModelDirectory(m_model_dir);
    QVERIFY(!m_panel->startRun());  // no data ticked
    QVERIFY(m_panel->statusLabel()->text().contains(QStringLiteral("dataset")));
    m_panel->setModelDirectory(m_dir->filePath(QStringLiteral("missing")));
    QVERIFY(!m_panel->startButton()->isEnabled());

    // A 1.2-trillion-parameter model shape: full fine-tuning cannot fit in this machine's memory.
    const QString huge = m_dir->filePath(QStringLiteral("huge"));
    writeFile(huge + QStringLiteral("/config.json"),
              R"({"model_type":"llama","vocab_size":128256,"hidden_size":32768,"intermediate_size":131072,)"
              R"("num_hidden_layers":96,"num_attention_heads":256,"num_key_value_heads":8,)"
              R"("max_position_embeddings":8192})");
    m_panel->setModelDirectory(huge);
    m_panel->loraBox()->setChecked(false);
    QVERIFY2(m_panel->memoryLabel()->text().contains(QStringLiteral("will not fit")),
             qPrintable(m_panel->memoryLabel()->text()));
    QVERIFY(!m_panel->startButton()->isEnabled());
    m_panel->sourceModel()->addFile(m_dir->filePath(QStringLiteral("chat.jsonl")));
    QVERIFY(!m_panel->startRun());
    QCOMPARE(m_panel->historyModel()->rowCount(), 0);  // nothing was created
}

void TestTrainingPanel::processesMultiplyTheMemoryNeed() {
    // A model whose full fine-tuning on the CPU needs between 1/16 and about 1/8 of this machine's
    // memory: doubling the layers until one replica needs 1/16 of it.
    const std::int64_t machine = vietllm::runs::physicalMemoryBytes();
    QVERIFY(machine > 0);
    QCOMPARE(m_panel->currentSetup().device, std::string("cpu"));
    std::int64_t one_process = 0;
    for (int layers = 1; layers <= 4096 && one_process * 16 < machine; layers *= 2) {
        const QString model = m_dir->filePath(QStringLiteral("layers-%1").arg(layers));
        writeFile(model + QStringLiteral("/config.json"),
                  R"({"model_type":"llama","vocab_size":32000,"hidden_size":1024,"intermediate_size":2816,)"
                  R"("num_attention_heads":16,"num_key_value_heads":16,"max_position_embeddings":4096,)"
                  R"("num_hidden_layers":)" +
                      QByteArray::number(layers) + "}");
        m_panel->setModelDirectory(model);
        m_panel->loraBox()->setChecked(false);
        one_process =
            vietllm::runs::estimateTrainingMemory(vietllm::weights::loadModelConfig(model.toStdString()),
                                                  vietllm::runs::trainingShape(m_panel->currentSetup()))
                .total_bytes;
    }
    QVERIFY(one_process * 16 >= machine);
    m_panel->processesBox()->setValue(1);
    QVERIFY2(!m_panel->memoryLabel()->text().contains(QStringLiteral("will not fit")),
             qPrintable(m_panel->memoryLabel()->text()));
    QVERIFY(m_panel->startButton()->isEnabled());
    // Each process holds a replica: enough of them no longer fit, and Start is refused.
    const int processes = static_cast<int>(machine / one_process) + 1;
    QVERIFY(processes <= m_panel->processesBox()->maximum());
    m_panel->processesBox()->setValue(processes);
    const QString text = m_panel->memoryLabel()->text();
    QVERIFY2(text.contains(QString::number(processes) + QStringLiteral(" processes × ")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("fewer processes")), qPrintable(text));
    QVERIFY(m_panel->memoryLabel()->styleSheet().contains(QStringLiteral("#b00020")));
    QVERIFY(!m_panel->startButton()->isEnabled());
    QCOMPARE(m_panel->startButton()->toolTip(), text);
    m_panel->processesBox()->setValue(1);
    QVERIFY(m_panel->startButton()->isEnabled());
    QVERIFY(m_panel->memoryLabel()->styleSheet().isEmpty());
}

void TestTrainingPanel::drawsADpoRunsMethodMetrics() {
    writeFile(runsRoot() + QStringLiteral("/dpo-run/config.json"), R"({"method":"dpo","model":"/m/qwen"})");
    writeFile(runsRoot() + QStringLiteral("/dpo-run/metrics.jsonl"), dpoStream());
    writeFile(runsRoot() + QStringLiteral("/sft-run/config.json"), R"({"method":"sft","model":"/m/qwen"})");
    writeFile(runsRoot() + QStringLiteral("/sft-run/metrics.jsonl"), recordedStream(4));
    m_panel->refreshHistory();
    QCOMPARE(m_panel->historyModel()->rowCount(), 2);
    auto* charts = m_panel->charts();
    charts->setSmoothing(0.0);
    for (int row = 0; row < 2; ++row) {
        m_panel->historyView()->selectRow(row);
        if (m_panel->historyModel()->run(row).name == "sft-run") {
            QVERIFY(charts->methodPlot()->isHidden());  // SFT reports no method numbers
            continue;
        }
        QCOMPARE(graphPoints(charts->lossPlot(), QStringLiteral("dpo-run")), 6);
        QVERIFY(!charts->methodPlot()->isHidden());
        QCOMPARE(graphPoints(charts->methodPlot(), QStringLiteral("accuracy")), 6);
        QCOMPARE(graphPoints(charts->methodPlot(), QStringLiteral("margin")), 6);
        QCOMPARE(graphPoints(charts->methodPlot(), QStringLiteral("rewards/chosen")), 6);
        QCOMPARE(graphPoints(charts->methodPlot(), QStringLiteral("eval_margin")), 2);
        QCOMPARE(graphPoints(charts->methodPlot(), QStringLiteral("eval_accuracy")), 2);
        QCOMPARE(graphPoints(charts->methodPlot(), QStringLiteral("lr")), -1);  // known fields stay out
    }
}

void TestTrainingPanel::methodSwitchShowsItsFieldsAndConfig() {
    useTrainer(QStringLiteral("finish"));
    m_panel->setModelDirectory(m_model_dir);
    QComboBox* methods = m_panel->methodBox();
    const auto select = [&](vietllm::runs::TrainingMethod method) {
        const int index = methods->findData(static_cast<int>(method));
        QVERIFY(index >= 0);
        QVERIFY(methods->model()->flags(methods->model()->index(index, 0)) & Qt::ItemIsEnabled);
        methods->setCurrentIndex(index);
    };
    QVERIFY(m_panel->dpoBetaBox()->isHidden());  // SFT: no beta
    QVERIFY(m_panel->samplesPerPromptBox()->isHidden());
    select(vietllm::runs::TrainingMethod::Dpo);
    QVERIFY(!m_panel->dpoBetaBox()->isHidden());
    QVERIFY(m_panel->samplesPerPromptBox()->isHidden());
    select(vietllm::runs::TrainingMethod::RewardModel);
    QVERIFY(m_panel->dpoBetaBox()->isHidden());
    QVERIFY(m_panel->samplesPerPromptBox()->isHidden());
    select(vietllm::runs::TrainingMethod::Rl);
    QVERIFY(m_panel->dpoBetaBox()->isHidden());
    QVERIFY(!m_panel->samplesPerPromptBox()->isHidden());
    m_panel->sourceModel()->setData(m_panel->sourceModel()->index(0), Qt::Checked, Qt::CheckStateRole);
    QVERIFY(!m_panel->startRun());  // RL needs its reward model
    QVERIFY(m_panel->statusLabel()->text().contains(QStringLiteral("reward model")));

    // A DPO run: the project dataset is exported as preference pairs, the config has the beta.
    select(vietllm::runs::TrainingMethod::Dpo);
    m_panel->dpoBetaBox()->setValue(0.25);
    QCOMPARE(m_panel->processesBox()->value(), 1);
    QVERIFY(!m_panel->processesBox()->toolTip().isEmpty());
    m_panel->processesBox()->setValue(2);  // data parallel: the launcher's --nproc-per-node
    QSignalSpy finished(m_panel->job(), &vietllm::widgets::TrainingJob::finished);
    QVERIFY2(m_panel->startRun(), qPrintable(m_panel->statusLabel()->text()));
    QVERIFY(finished.wait(20000));
    const QString run_dir = QString::fromStdString(m_panel->historyModel()->run(0).dir);
    QFile config_file(run_dir + QStringLiteral("/config.json"));
    QVERIFY(config_file.open(QIODevice::ReadOnly));
    const QJsonObject config = QJsonDocument::fromJson(config_file.readAll()).object();
    QCOMPARE(config.value(QStringLiteral("method")).toString(), QStringLiteral("dpo"));
    QCOMPARE(config.value(QStringLiteral("dpo")).toObject().value(QStringLiteral("beta")).toDouble(), 0.25);
    QVERIFY(!config.contains(QStringLiteral("beta")));
    QFile exports(run_dir + QStringLiteral("/data/export.log"));
    QVERIFY(exports.open(QIODevice::ReadOnly));
    QVERIFY(exports.readAll().contains("--format preference"));
    QFile arguments(run_dir + QStringLiteral("/arguments.log"));
    QVERIFY(arguments.open(QIODevice::ReadOnly));
    const QByteArray call = arguments.readAll().trimmed();
    QVERIFY(call.startsWith("train dpo "));
    QVERIFY2(call.endsWith(" --nproc-per-node 2"), call.constData());
}

void TestTrainingPanel::gradientCheckpointingFollowsPresetAndEstimate() {
    m_panel->setModelDirectory(m_model_dir);
    QCheckBox* checkpointing = m_panel->checkpointingBox();
    QVERIFY(!checkpointing->isChecked());  // the tiny model gets the generic preset
    QVERIFY(!checkpointing->text().isEmpty());
    const QString without = m_panel->memoryLabel()->text();
    checkpointing->setChecked(true);
    QVERIFY(m_panel->currentSetup().gradient_checkpointing);
    QVERIFY(m_panel->memoryLabel()->text() != without);  // the estimate follows the checkbox
    emit m_panel->presetBox()->activated(m_panel->presetBox()->findData(QStringLiteral("generic")));
    QVERIFY(!checkpointing->isChecked());
    emit m_panel->presetBox()->activated(m_panel->presetBox()->findData(QStringLiteral("vistral-7b")));
    QVERIFY(checkpointing->isChecked());  // on for the 7B preset
    QVERIFY(m_panel->currentSetup().gradient_checkpointing);
}

void TestTrainingPanel::screenshot() {
    vietllm::widgets::LanguageSwitcher languages;
    QVERIFY(languages.apply(vietllm::widgets::Language::Vietnamese));
    writeFile(runsRoot() + QStringLiteral("/sft-qwen2.5-0.5b-lora/config.json"),
              R"({"method":"sft","model":"/models/Qwen2.5-0.5B-Instruct"})");
    writeFile(runsRoot() + QStringLiteral("/sft-qwen2.5-0.5b-lora/metrics.jsonl"), realisticStream(120));
    QDir().mkpath(runsRoot() + QStringLiteral("/sft-qwen2.5-0.5b-lora/checkpoint-100"));
    writeFile(runsRoot() + QStringLiteral("/sft-qwen2.5-0.5b-lora/final/adapter_config.json"), "{}");
    m_panel->setModelDirectory(m_model_dir);
    m_panel->refreshHistory();
    m_panel->historyView()->selectRow(0);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QApplication::processEvents();
    const QImage image = m_panel->grab().toImage();
    QVERIFY(!image.isNull());
    const QString output = qEnvironmentVariable("VIETLLM_TRAINING_SCREENSHOT_PATH");
    if (!output.isEmpty()) {
        QVERIFY2(image.save(output), qPrintable(output));
    }
}

QTEST_MAIN(TestTrainingPanel)
#include "tst_training_panel.moc"
