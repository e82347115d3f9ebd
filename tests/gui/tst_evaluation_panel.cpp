// The Evaluation panel, offscreen: its item models under QAbstractItemModelTester; stored runs of
// two training checkpoints giving the leaderboard, the charts (by model and by step) and exports
// that parse; a real `vietllm-cli eval run` of a tiny random Llama on two shipped tasks (progress to
// 100%, results, leaderboard, items page by page); stop (the run is stored as cancelled); a bad
// endpoint and a program that cannot start show their error and leave the panel usable; the
// README screenshot (saved when VIETLLM_EVALUATION_SCREENSHOT_PATH is set).

#include "backend/store/evaluations.h"
#include "backend/store/project_store.h"
#include "backend/weights/random_model.h"
#include "tests/common/test_support.h"
#include "widgets/evaluation_charts.h"
#include "widgets/evaluation_job.h"
#include "widgets/evaluation_panel.h"
#include "widgets/language.h"
#include "widgets/models/eval_leaderboard_model.h"
#include "widgets/models/eval_target_model.h"
#include "widgets/models/eval_task_model.h"
#include "widgets/models/evaluation_item_model.h"
#include "widgets/models/evaluation_run_model.h"

#include <qcustomplot.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using vietllm::store::EvaluationResultRow;
using vietllm::store::EvaluationStatus;
using vietllm::widgets::EvalLeaderboardModel;
using vietllm::widgets::EvalTargetModel;
using vietllm::widgets::EvaluationPanel;

namespace {

QString tasksFolder() {
    return QStringLiteral(VIETLLM_SOURCE_DIR) + QStringLiteral("/resources/eval/tasks");
}

QByteArray readFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestEvaluationPanel : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void modelsPassTheModelTester();
    void leaderboardChartsAndExportOfStoredRuns();
    void evaluateItChoosesTheRunCheckpoint();
    void runsARealEvaluation();
    void stopStoresTheRunAsCancelled();
    void failuresAreShownAndThePanelStaysUsable();
    void screenshot();

private:
    // Stores a finished run of `task` on `model` with `items` items (every other one correct).
    std::int64_t storeRun(const std::string& model, const std::string& task, const std::string& metric,
                          double value, int items);
    void checkTask(const QString& name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<vietllm::store::ProjectStore> m_store;
    std::unique_ptr<EvaluationPanel> m_panel;
    QString m_model_dir;
};

void TestEvaluationPanel::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString project = m_dir->filePath(QStringLiteral("demo.vietllm"));
    m_store = std::make_unique<vietllm::store::ProjectStore>(
        vietllm::store::ProjectStore::create(QFile::encodeName(project).toStdString(), false));
    m_model_dir = m_dir->filePath(QStringLiteral("tiny-llama"));
    vietllm::weights::RandomModelOptions options;
    options.architecture = vietllm::weights::Architecture::Llama;
    vietllm::weights::writeRandomModel(QFile::encodeName(m_model_dir).toStdString(), options);
    m_panel = std::make_unique<EvaluationPanel>();
    m_panel->resize(1500, 950);
    m_panel->setCliProgram(QStringLiteral(VIETLLM_CLI_PATH));
    QSignalSpy listed(m_panel.get(), &EvaluationPanel::taskListReady);
    m_panel->setTaskFolders(tasksFolder(), vietllm::testing::sampleDataDir());
    QVERIFY(listed.wait(30000));
    m_panel->setProject(m_store.get());
}

void TestEvaluationPanel::cleanup() {
    m_panel.reset();
    m_store.reset();
    m_dir.reset();
}

std::int64_t TestEvaluationPanel::storeRun(const std::string& model, const std::string& task,
                                           const std::string& metric, double value, int items) {
    vietllm::store::Evaluations evaluations(*m_store);
    const std::int64_t id = evaluations.startRun(
        model + " / " + task, task, {{"model", model}, {"metric", metric}, {"kind", "multiple_choice"}});
    std::vector<EvaluationResultRow> rows;
    for (int i = 0; i < items; ++i) {
        EvaluationResultRow row;
        row.item_id = std::to_string(i);
        row.prompt = "Câu hỏi " + std::to_string(i) + "\nA. có\nB. không";
        row.output = i % 2 == 0 ? "A" : "B";
        row.reference = "A";
        row.score = i % 2 == 0 ? 1.0 : 0.0;
        row.correct = i % 2 == 0;
        row.details = {{"choices", {"có", "không"}}, {"logprobs", {-1.25, -2.5}}};
        rows.push_back(row);
    }
    evaluations.addResults(id, rows);
    evaluations.finishRun(id, EvaluationStatus::Finished, {{metric, value}, {"n", items}});
    return id;
}

void TestEvaluationPanel::checkTask(const QString& name) {
    vietllm::widgets::EvalTaskModel* tasks = m_panel->taskModel();
    for (int row = 0; row < tasks->rowCount(); ++row) {
        const QModelIndex index = tasks->index(row, vietllm::widgets::EvalTaskModel::kNameColumn);
        if (index.data().toString() == name) {
            QVERIFY(tasks->setData(index, Qt::Checked, Qt::CheckStateRole));
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("no task ") + name));
}

void TestEvaluationPanel::modelsPassTheModelTester() {
    storeRun("local:/runs/sft-a/checkpoint-10", "xcopa_vi", "acc", 0.5, 250);
    m_panel->addEndpoint(QStringLiteral("http://127.0.0.1:9/v1"), QStringLiteral("m"));
    m_panel->chooseCheckpoint(m_model_dir);
    m_panel->refreshRuns();
    m_panel->runView()->selectRow(0);
    const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
    QAbstractItemModelTester targets(m_panel->targetModel(), mode);
    QAbstractItemModelTester tasks(m_panel->taskModel(), mode);
    QAbstractItemModelTester runs(m_panel->runModel(), mode);
    QAbstractItemModelTester items(m_panel->itemModel(), mode);
    QAbstractItemModelTester leaderboard(m_panel->leaderboardModel(), mode);
    QAbstractItemModelTester sorted(m_panel->leaderboardProxy(), mode);
    QCOMPARE(m_panel->targetModel()->rowCount(), 2);
    QCOMPARE(m_panel->targetModel()->checkedTargets().size(), std::size_t{2});
    QVERIFY(m_panel->taskModel()->rowCount() >= 10);
    QCOMPARE(m_panel->itemModel()->rowCount(), vietllm::widgets::EvaluationItemModel::kDefaultPageSize);
    QCOMPARE(m_panel->itemModel()->pageCount(), 3);
    m_panel->itemModel()->setPage(2);
    QCOMPARE(m_panel->itemModel()->rowCount(), 50);
    QCOMPARE(m_panel->itemModel()->headerData(0, Qt::Vertical).toLongLong(), 201);
    m_panel->targetModel()->setChecked(0, false);
    QCOMPARE(m_panel->targetModel()->checkedTargets().size(), std::size_t{1});
    storeRun("local:/runs/sft-a/checkpoint-20", "xcopa_vi", "acc", 0.6, 3);
    m_panel->refreshRuns();
    m_panel->leaderboardProxy()->sort(EvalLeaderboardModel::kMeanColumn, Qt::DescendingOrder);
    QCOMPARE(m_panel->leaderboardProxy()->rowCount(), 2);
}

void TestEvaluationPanel::leaderboardChartsAndExportOfStoredRuns() {
    storeRun("local:/p/demo.runs/sft-a/checkpoint-10", "xcopa_vi", "acc", 0.52, 4);
    storeRun("local:/p/demo.runs/sft-a/checkpoint-20", "xcopa_vi", "acc", 0.61, 4);
    storeRun("local:/p/demo.runs/sft-a/checkpoint-20", "xcopa_vi", "acc", 0.58, 4);  // a rerun: best counts
    storeRun("local:/p/demo.runs/sft-a/checkpoint-20", "belebele_vi", "acc", 0.30, 4);
    storeRun("local:/p/demo.runs/sft-a/checkpoint-20", "bpb_vi_news", "bits_per_byte", 2.5, 4);
    storeRun("local:/p/demo.runs/sft-a/checkpoint-10", "bpb_vi_news", "bits_per_byte", 3.0, 4);
    m_panel->refreshRuns();

    EvalLeaderboardModel* board = m_panel->leaderboardModel();
    QCOMPARE(board->rowCount(), 2);
    QCOMPARE(board->tasks(), (std::vector<std::string>{"belebele_vi", "bpb_vi_news", "xcopa_vi"}));
    QSortFilterProxyModel* sorted = m_panel->leaderboardProxy();
    sorted->sort(EvalLeaderboardModel::kMeanColumn, Qt::DescendingOrder);
    // checkpoint-10: mean of xcopa 0.52 only (bpb left out); checkpoint-20: (0.61 + 0.30) / 2 = 0.455.
    QCOMPARE(sorted->index(0, EvalLeaderboardModel::kModelColumn).data().toString(),
             QStringLiteral("sft-a/checkpoint-10"));
    QCOMPARE(
        sorted->index(0, EvalLeaderboardModel::kMeanColumn).data(EvalLeaderboardModel::kSortRole).toDouble(),
        0.52);
    QCOMPARE(
        sorted->index(1, EvalLeaderboardModel::kMeanColumn).data(EvalLeaderboardModel::kSortRole).toDouble(),
        0.455);
    const int xcopa_column = EvalLeaderboardModel::kFirstTaskColumn + 2;
    const int bpb_column = EvalLeaderboardModel::kFirstTaskColumn + 1;
    QCOMPARE(sorted->index(1, xcopa_column).data(EvalLeaderboardModel::kSortRole).toDouble(), 0.61);
    QCOMPARE(sorted->index(1, bpb_column).data(EvalLeaderboardModel::kSortRole).toDouble(), 2.5);
    sorted->sort(xcopa_column, Qt::DescendingOrder);
    QCOMPARE(sorted->index(0, EvalLeaderboardModel::kModelColumn).data().toString(),
             QStringLiteral("sft-a/checkpoint-20"));

    QTableView* runs = m_panel->runView();
    runs->selectAll();
    QCOMPARE(m_panel->selectedRuns().size(), std::size_t{6});
    vietllm::widgets::EvaluationCharts* charts = m_panel->charts();
    const int xcopa_acc = charts->metricBox()->findData(QStringLiteral("xcopa_vi\tacc"));
    QVERIFY(xcopa_acc >= 0);
    charts->metricBox()->setCurrentIndex(xcopa_acc);
    auto* bars = qobject_cast<QCPBars*>(charts->barPlot()->plottable(0));
    QVERIFY(bars);
    QCOMPARE(bars->data()->size(), 3);
    QCOMPARE(charts->stepPlot()->graphCount(), 1);
    QCOMPARE(charts->stepPlot()->graph(0)->data()->size(),
             2);  // steps 10 and 20 (best-of is the board's job)
    QCOMPARE(charts->stepPlot()->graph(0)->data()->at(0)->key, 10.0);

    const QString json_path = m_dir->filePath(QStringLiteral("results.json"));
    const QString markdown_path = m_dir->filePath(QStringLiteral("results.md"));
    QVERIFY(m_panel->exportSelected(json_path, false));
    QVERIFY(m_panel->exportSelected(markdown_path, true));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(readFile(json_path), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(document.array().size(), 2);
    const QJsonObject first = document.array().at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("model")).toString(),
             QStringLiteral("local:/p/demo.runs/sft-a/checkpoint-10"));
    QCOMPARE(first.value(QStringLiteral("tasks"))
                 .toObject()
                 .value(QStringLiteral("xcopa_vi"))
                 .toObject()
                 .value(QStringLiteral("acc"))
                 .toDouble(),
             0.52);
    QCOMPARE(first.value(QStringLiteral("tasks"))
                 .toObject()
                 .value(QStringLiteral("xcopa_vi"))
                 .toObject()
                 .value(QStringLiteral("kind"))
                 .toString(),
             QStringLiteral("multiple_choice"));
    const QString markdown = QString::fromUtf8(readFile(markdown_path));
    QVERIFY2(markdown.contains(QStringLiteral("| xcopa_vi | **acc** | 0.5200 | 4 |")), qPrintable(markdown));
    QCOMPARE(markdown.count(QStringLiteral("# Evaluation of ")), 2);

    runs->clearSelection();
    QVERIFY(!m_panel->exportSelected(json_path, false));
    QVERIFY(!m_panel->statusLabel()->text().isEmpty());
}

void TestEvaluationPanel::evaluateItChoosesTheRunCheckpoint() {
    const QString checkpoint = m_dir->filePath(QStringLiteral("demo.runs/sft-demo/checkpoint-5"));
    QVERIFY(QDir().mkpath(checkpoint));
    QVERIFY(QFile::copy(m_model_dir + QStringLiteral("/config.json"),
                        checkpoint + QStringLiteral("/config.json")));
    QFile run_config(m_dir->filePath(QStringLiteral("demo.runs/sft-demo/config.json")));
    QVERIFY(run_config.open(QIODevice::WriteOnly));
    run_config.write(R"({"method":"sft","model":"tiny-llama"})");
    run_config.close();
    m_panel->setProject(m_store.get());
    m_panel->chooseCheckpoint(checkpoint);
    const std::vector<EvalTargetModel::Target> checked = m_panel->targetModel()->checkedTargets();
    QCOMPARE(checked.size(), std::size_t{1});
    QCOMPARE(checked.front().source, EvalTargetModel::Source::RunCheckpoint);
    QCOMPARE(checked.front().path, QDir::cleanPath(checkpoint));
    QCOMPARE(m_panel->targetModel()->rowCount(), 1);  // listed once, not added again
}

void TestEvaluationPanel::runsARealEvaluation() {
    VIETLLM_REQUIRE_SAMPLE(xcopa, "eval/vi_xcopa_val.jsonl");
    VIETLLM_REQUIRE_SAMPLE(xnli, "eval/vi_xnli_1000sample.jsonl");
    m_panel->chooseCheckpoint(m_model_dir);
    checkTask(QStringLiteral("xcopa_vi"));
    checkTask(QStringLiteral("xnli_vi"));
    m_panel->limitBox()->setValue(10);
    QSignalSpy finished(m_panel.get(), &EvaluationPanel::evaluationFinished);
    QVERIFY(m_panel->startEvaluation());
    QVERIFY(!m_panel->runButton()->isEnabled());
    QVERIFY(m_panel->stopButton()->isEnabled());
    QVERIFY(finished.wait(50000));
    QVERIFY2(finished.front().front().toBool(), qPrintable(m_panel->statusLabel()->text()));
    const std::map<QString, int> progress = m_panel->taskProgress();
    QCOMPARE(progress.size(), std::size_t{2});
    QCOMPARE(progress.at(QStringLiteral("xcopa_vi")), 100);
    QCOMPARE(progress.at(QStringLiteral("xnli_vi")), 100);
    QVERIFY(m_panel->runButton()->isEnabled());

    QCOMPARE(m_panel->runModel()->rowCount(), 2);
    for (int row = 0; row < 2; ++row) {
        QCOMPARE(m_panel->runModel()->run(row).status, EvaluationStatus::Finished);
        QCOMPARE(m_panel->runModel()->run(row).summary.at("n").get<int>(), 10);
    }
    QCOMPARE(m_panel->leaderboardModel()->rowCount(), 1);
    QCOMPARE(m_panel->leaderboardModel()->tasks(), (std::vector<std::string>{"xcopa_vi", "xnli_vi"}));
    QVERIFY(m_panel->leaderboardModel()->entry(0).mean.has_value());

    const int xcopa_row = m_panel->runModel()->run(0).benchmark == "xcopa_vi" ? 0 : 1;
    m_panel->runView()->selectRow(xcopa_row);
    QCOMPARE(m_panel->itemModel()->rowCount(), 10);
    m_panel->itemView()->setCurrentIndex(m_panel->itemModel()->index(3, 0));
    const QString detail = m_panel->itemDetail()->toPlainText();
    QVERIFY2(detail.contains(QStringLiteral("A. ")) && detail.contains(QStringLiteral("log p")),
             qPrintable(detail));
    const vietllm::store::EvaluationResultRow& item = m_panel->itemModel()->item(3);
    QVERIFY(item.correct.has_value());
    QVERIFY(detail.contains(QString::fromStdString(item.output)));

    m_panel->runView()->selectAll();
    const QString json_path = m_dir->filePath(QStringLiteral("real.json"));
    QVERIFY(m_panel->exportSelected(json_path, false));
    const QJsonArray documents = QJsonDocument::fromJson(readFile(json_path)).array();
    QCOMPARE(documents.size(), 1);
    const QJsonObject tasks = documents.at(0).toObject().value(QStringLiteral("tasks")).toObject();
    QCOMPARE(tasks.value(QStringLiteral("xnli_vi")).toObject().value(QStringLiteral("n")).toInt(), 10);
    QCOMPARE(tasks.value(QStringLiteral("xcopa_vi")).toObject().value(QStringLiteral("metric")).toString(),
             QStringLiteral("acc"));
    QVERIFY(m_panel->exportSelected(m_dir->filePath(QStringLiteral("real.md")), true));
    QVERIFY(readFile(m_dir->filePath(QStringLiteral("real.md"))).contains("| xnli_vi | **acc** |"));
}

void TestEvaluationPanel::stopStoresTheRunAsCancelled() {
    VIETLLM_REQUIRE_SAMPLE(belebele, "eval/vi_belebele_seahelm895.jsonl");
    m_panel->chooseCheckpoint(m_model_dir);
    checkTask(QStringLiteral("belebele_vi"));
    m_panel->limitBox()->setValue(0);
    QSignalSpy progress(m_panel->job(), &vietllm::widgets::EvaluationJob::progress);
    QSignalSpy finished(m_panel.get(), &EvaluationPanel::evaluationFinished);
    QVERIFY(m_panel->startEvaluation());
    QVERIFY(progress.wait(30000));
    m_panel->stopEvaluation();
    QVERIFY(finished.wait(30000));
    QVERIFY(finished.front().front().toBool());
    QCOMPARE(m_panel->runModel()->rowCount(), 1);
    QCOMPARE(m_panel->runModel()->run(0).status, EvaluationStatus::Cancelled);
    QVERIFY(m_panel->taskProgress().at(QStringLiteral("belebele_vi")) < 100);
    QVERIFY(m_panel->runButton()->isEnabled());
}

void TestEvaluationPanel::failuresAreShownAndThePanelStaysUsable() {
    QVERIFY(!m_panel->addEndpoint(QString(), QStringLiteral("m")));
    QVERIFY(m_panel->addEndpoint(QStringLiteral("not a url"), QStringLiteral("m")));
    checkTask(QStringLiteral("xcopa_vi"));
    QSignalSpy finished(m_panel.get(), &EvaluationPanel::evaluationFinished);
    QVERIFY(m_panel->startEvaluation());
    QVERIFY(finished.wait(30000));
    QVERIFY(!finished.takeFirst().front().toBool());
    const QString message = m_panel->statusLabel()->text();
    QVERIFY2(message.contains(QStringLiteral("not a url")), qPrintable(message));
    QVERIFY(m_panel->runButton()->isEnabled());
    QVERIFY(!m_panel->stopButton()->isEnabled());

    m_panel->setCliProgram(m_dir->filePath(QStringLiteral("no-such-program")));
    QVERIFY(m_panel->startEvaluation());
    QVERIFY(finished.wait(30000));
    QVERIFY(!finished.takeFirst().front().toBool());
    QVERIFY2(m_panel->statusLabel()->text().contains(QStringLiteral("no-such-program")),
             qPrintable(m_panel->statusLabel()->text()));
    QVERIFY(m_panel->runButton()->isEnabled());

    m_panel->setProject(nullptr);
    QVERIFY(!m_panel->startEvaluation());
}

void TestEvaluationPanel::screenshot() {
    vietllm::widgets::LanguageSwitcher languages;
    QVERIFY(languages.apply(vietllm::widgets::Language::Vietnamese));
    storeRun("local:/p/demo.runs/sft-qwen/checkpoint-100", "xcopa_vi", "acc", 0.55, 100);
    storeRun("local:/p/demo.runs/sft-qwen/checkpoint-200", "xcopa_vi", "acc", 0.59, 100);
    storeRun("local:/p/demo.runs/sft-qwen/checkpoint-300", "xcopa_vi", "acc", 0.63, 100);
    storeRun("local:/p/demo.runs/sft-qwen/checkpoint-100", "belebele_vi", "acc", 0.34, 100);
    storeRun("local:/p/demo.runs/sft-qwen/checkpoint-200", "belebele_vi", "acc", 0.41, 100);
    storeRun("local:/p/demo.runs/sft-qwen/checkpoint-300", "belebele_vi", "acc", 0.44, 100);
    storeRun("local:/models/qwen2-0.5b", "xcopa_vi", "acc", 0.57, 100);
    storeRun("local:/models/qwen2-0.5b", "belebele_vi", "acc", 0.38, 100);
    m_panel->chooseCheckpoint(m_model_dir);
    checkTask(QStringLiteral("xcopa_vi"));
    checkTask(QStringLiteral("belebele_vi"));
    m_panel->refreshRuns();
    m_panel->runView()->selectAll();
    const int xcopa_acc = m_panel->charts()->metricBox()->findData(QStringLiteral("xcopa_vi\tacc"));
    m_panel->charts()->metricBox()->setCurrentIndex(xcopa_acc);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    // The switch to Vietnamese re-lays the panel out once its events are handled: every wrapped
    // caption then gets the height its longer text needs (grabbed before that, the models caption
    // kept the English height and was cut).
    for (QLabel* label : m_panel->findChildren<QLabel*>()) {
        if (label->wordWrap() && label->isVisible() && !label->text().isEmpty()) {
            QTRY_VERIFY2(label->height() >= label->heightForWidth(label->width()), qPrintable(label->text()));
        }
    }
    const QImage image = m_panel->grab().toImage();
    QVERIFY(!image.isNull());
    const QString output = qEnvironmentVariable("VIETLLM_EVALUATION_SCREENSHOT_PATH");
    if (!output.isEmpty()) {
        QVERIFY2(image.save(output), qPrintable(output));
    }
}

QTEST_MAIN(TestEvaluationPanel)
#include "tst_evaluation_panel.moc"
