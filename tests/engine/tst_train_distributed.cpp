// Data-parallel training through c10d Gloo on a tiny random Llama: two processes started by
// `vietllm-cli train ... --nproc-per-node 2` with gradient accumulation 2 give the same per-step
// losses, held-out loss and final tensors as one process with accumulation 4 (LoRA and full
// fine-tuning; SFT, DPO, the reward model, and RL, whose sampled rollouts must match too); a rank
// that dies ends the launcher with an error and no hang; a cancel stops every rank at one step; bad
// torchrun/Slurm variables are one error naming the variable.

#include "backend/train/distributed.h"
#include "backend/train/dpo_trainer.h"
#include "backend/train/rl_trainer.h"
#include "backend/train/rm_trainer.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/safetensors.h"
#include "tests/common/test_support.h"
#include "tests/common/text_files.h"
#include "tests/common/train_fixtures.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <csignal>
#include <cstring>
#include <map>

using namespace vietllm;
using nlohmann::json;

namespace {

// Preference pairs: to a colour question, the polite reply with its colour is chosen over the
// next colour.
void writePairFile(const std::string& path, int count) {
    testing::writeJsonLinesFile(path, 0, count, [](int i) {
        return testing::preferenceLine(json::array({testing::turn("user", testing::colourQuestion(i))}),
                                       "Dạ, màu " + testing::colourAnswer(i) + " ạ.",
                                       "Màu " + testing::colourAnswer(i + 1) + ".");
    });
}

struct Fixture : testing::TinyModelDir {
    Fixture() {
        testing::writeColourConversations(path("train.jsonl"), 0, 48);
        testing::writeColourConversations(path("eval.jsonl"), 100, 8);
        writePairFile(path("pairs.jsonl"), 40);
    }

    // An SFT (or rm, dpo) config; `accumulation` micro-batches of 2 per step and process.
    json config(const std::string& output, const std::string& method, bool lora, int accumulation,
                int max_steps) const {
        const json data = method == "sft"
                              ? json{{"train", {path("train.jsonl")}}, {"eval", {path("eval.jsonl")}}}
                              : json{{"train", {path("pairs.jsonl")}}, {"eval_fraction", 0.1}};
        return testing::tinyRunConfig(method, model, path(output), data,
                                      {{"packing", false},
                                       {"gradient_accumulation", accumulation},
                                       {"max_steps", max_steps},
                                       {"schedule", {{"kind", "cosine"}, {"warmup_steps", 1}}},
                                       {"seed", 7},
                                       {"eval_every_steps", 2},
                                       {"lora", lora ? testing::loraSection(4, 8, 0.0) : json(nullptr)}});
    }

    std::string writeConfig(const std::string& name, const json& value) const {
        const std::string file = path(name);
        testing::writeText(file, value.dump(2));
        return file;
    }
};

// The events a launcher printed on its standard output.
std::vector<json> parseEvents(const QByteArray& output) {
    return testing::parseJsonLines(output.toStdString());
}

// Every event of an in-process run of `method` on one thread.
std::vector<json> runInProcess(const json& config, const std::string& source, const std::string& method) {
    if (method == "sft") return testing::runTrainer(train::runSft, config, source, false).events;
    if (method == "dpo") return testing::runTrainer(train::runDpo, config, source, false).events;
    if (method == "rl") return testing::runTrainer(train::runRl, config, source, false).events;
    return testing::runTrainer(train::runRewardModel, config, source, false).events;
}

// The values of `key` in the events named `name` that carry it, in order.
std::vector<double> fieldValues(const std::vector<json>& events, const std::string& name,
                                const std::string& key) {
    std::vector<double> out;
    for (const json& event : testing::eventsNamed(events, name)) {
        if (event.contains(key)) out.push_back(event[key].get<double>());
    }
    return out;
}

bool closeRelative(double a, double b, double tolerance) {
    return std::fabs(a - b) <= tolerance * std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
}

void compareSeries(const std::vector<double>& one, const std::vector<double>& two, const char* what) {
    QVERIFY2(!one.empty(), what);
    QCOMPARE(two.size(), one.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
        QVERIFY2(closeRelative(one[i], two[i], 1e-5),
                 qPrintable(QStringLiteral("%1[%2]: %3 vs %4").arg(what).arg(i).arg(one[i]).arg(two[i])));
    }
}

// Every tensor of two safetensors files (float32) equal to `tolerance`; returns how many differ from
// `reference_file` (to show training changed them).
int compareTensorFiles(const std::string& one_file, const std::string& two_file,
                       const std::string& reference_file) {
    const weights::SafetensorsFile one(one_file);
    const weights::SafetensorsFile two(two_file);
    std::unique_ptr<weights::SafetensorsFile> reference;
    if (!reference_file.empty()) reference = std::make_unique<weights::SafetensorsFile>(reference_file);
    int changed = 0;
    for (const weights::TensorView& view : one.tensors()) {
        const weights::TensorView* other = two.find(view.name);
        if (other == nullptr || other->shape != view.shape || view.dtype != weights::DType::F32) {
            qWarning("tensor %s differs in presence, shape or dtype", view.name.c_str());
            return -1;
        }
        const auto* a = reinterpret_cast<const float*>(view.data);
        const auto* b = reinterpret_cast<const float*>(other->data);
        for (std::int64_t i = 0; i < view.elementCount(); ++i) {
            if (std::fabs(a[i] - b[i]) > 1e-5F * std::max(1.0F, std::fabs(a[i]))) {
                qWarning("tensor %s[%lld]: %g vs %g", view.name.c_str(), static_cast<long long>(i), a[i],
                         b[i]);
                return -1;
            }
        }
        const weights::TensorView* base = reference ? reference->find(view.name) : nullptr;
        if (base != nullptr && std::memcmp(base->data, view.data, view.byte_size) != 0) ++changed;
    }
    return changed;
}

testing::CliResult launch(const QStringList& arguments, const QProcessEnvironment& environment,
                          int timeout_ms = 60000) {
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(VIETLLM_CLI_PATH), arguments);
    testing::CliResult result;
    if (!process.waitForStarted(timeout_ms)) return result;
    if (!process.waitForFinished(timeout_ms)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exit_code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.standard_output = process.readAllStandardOutput();
    result.standard_error = process.readAllStandardError();
    return result;
}

// The children of `parent` whose environment holds RANK=`rank`.
std::vector<pid_t> rankProcesses(qint64 parent, int rank) {
    std::vector<pid_t> out;
    const QString wanted = QStringLiteral("RANK=%1").arg(rank);
    for (const QString& entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool numeric = false;
        const pid_t pid = entry.toInt(&numeric);
        if (!numeric) continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly)) continue;
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() < 2 || fields[1].toLongLong() != parent) continue;
        QFile environ(QStringLiteral("/proc/%1/environ").arg(pid));
        if (!environ.open(QIODevice::ReadOnly)) continue;
        for (const QByteArray& variable : environ.readAll().split('\0')) {
            if (QString::fromUtf8(variable) == wanted) out.push_back(pid);
        }
    }
    return out;
}

// Starts the 2-process launcher on an endless LoRA SFT run of `fixture` into `output` (no evaluation)
// and waits for its first step event.
bool startUntilFirstStep(QProcess& process, const Fixture& fixture, const std::string& output) {
    json value = fixture.config(output, "sft", true, 2, 100000);
    value["eval_every_steps"] = 0;
    const std::string config = fixture.writeConfig(output + ".json", value);
    process.start(QStringLiteral(VIETLLM_CLI_PATH),
                  {QStringLiteral("train"), QStringLiteral("sft"), QString::fromStdString(config),
                   QStringLiteral("--nproc-per-node"), QStringLiteral("2"), QStringLiteral("--threads"),
                   QStringLiteral("1")});
    QElapsedTimer timer;
    timer.start();
    QByteArray seen;
    while (timer.elapsed() < 50000 && process.state() != QProcess::NotRunning) {
        process.waitForReadyRead(200);
        seen += process.readAllStandardOutput();
        if (seen.contains("\"event\":\"step\"")) return true;
    }
    return false;
}

// readDistributedEnv over `variables` in place of the process's environment.
train::DistributedEnv readEnv(const std::map<std::string, std::string>& variables) {
    return train::readDistributedEnv([&](const std::string& name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        return found == variables.end() ? std::nullopt : std::optional<std::string>(found->second);
    });
}

// The message of the UserError readEnv(variables) throws.
std::string expectUserError(const std::map<std::string, std::string>& variables) {
    return testing::expectUserError([&] { readEnv(variables); });
}

}  // namespace

class TestTrainDistributed : public QObject {
    Q_OBJECT

private:
    // One process with accumulation 4 against the launcher's two with accumulation 2.
    void compareWithOneProcess(const std::string& method, bool lora, int max_steps) {
        Fixture fixture;
        const std::string name = method + (lora ? "_lora" : "_full");
        const json single = fixture.config(name + "_one", method, lora, 4, max_steps);
        const std::vector<json> one = runInProcess(single, fixture.path("one.json"), method);
        const std::string two_config =
            fixture.writeConfig("two.json", fixture.config(name + "_two", method, lora, 2, max_steps));
        const testing::CliResult result =
            launch({QStringLiteral("train"), QString::fromStdString(method),
                    QString::fromStdString(two_config), QStringLiteral("--nproc-per-node"),
                    QStringLiteral("2"), QStringLiteral("--threads"), QStringLiteral("1")},
                   QProcessEnvironment::systemEnvironment());
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        const std::vector<json> two = parseEvents(result.standard_output);
        QVERIFY(!two.empty());
        QCOMPARE(two.front()["event"].get<std::string>(), std::string("start"));
        QCOMPARE(two.front()["world_size"].get<int>(), 2);
        QCOMPARE(one.front()["world_size"].get<int>(), 1);
        compareSeries(fieldValues(one, "step", "loss"), fieldValues(two, "step", "loss"), "step loss");
        compareSeries(fieldValues(one, "step", "grad_norm"), fieldValues(two, "step", "grad_norm"),
                      "grad norm");
        compareSeries(fieldValues(one, "step", "tokens"), fieldValues(two, "step", "tokens"), "tokens");
        compareSeries(fieldValues(one, "eval", "eval_loss"), fieldValues(two, "eval", "eval_loss"),
                      "eval loss");
        QCOMPARE(static_cast<int>(fieldValues(two, "step", "loss").size()), max_steps);
        // Only rank 0 writes: one start event in metrics.jsonl.
        QCOMPARE(
            static_cast<int>(testing::readJsonLines(fixture.path(name + "_two") + "/metrics.jsonl").size()),
            static_cast<int>(two.size()));
        // A reward model's final/ holds the merged weights and the score head.
        const std::string file =
            lora && method != "rm" ? "/final/adapter_model.safetensors" : "/final/model.safetensors";
        const bool whole_model = !lora || method == "rm";
        const int changed =
            compareTensorFiles(fixture.path(name + "_one") + file, fixture.path(name + "_two") + file,
                               whole_model ? fixture.model + "/model.safetensors" : std::string());
        QVERIFY(changed >= 0);
        if (whole_model) QVERIFY(changed > 0);
    }

    // RL of the tiny model (full fine-tuning) against a reward model trained for one step: the
    // rollouts of 1 process x accumulation 4 and 2 processes x accumulation 2 are the same draws.
    void compareRlWithOneProcess(int max_steps) {
        Fixture fixture;
        json reward = fixture.config("reward", "rm", false, 1, 1);
        reward["eval_every_steps"] = 0;
        reward["data"]["eval_fraction"] = 0.0;
        const std::string reward_model =
            testing::runTrainer(train::runRewardModel, reward, fixture.path("reward.json"), false)
                .result.run.output;
        const std::string prompts = fixture.path("prompts.jsonl");
        testing::writeJsonLinesFile(prompts, 0, 8, [](int i) {
            return json{{"prompt", testing::colourQuestion(i)}};
        });
        const auto config = [&](const std::string& output, int accumulation) {
            return testing::tinyRunConfig("rl", fixture.model, fixture.path(output), {{"train", {prompts}}},
                                          {{"max_seq_len", 128},
                                           {"micro_batch_size", 1},
                                           {"gradient_accumulation", accumulation},
                                           {"max_steps", max_steps},
                                           {"optimizer", {{"lr", 1e-3}}},
                                           {"schedule", {{"kind", "constant"}, {"warmup_steps", 1}}},
                                           {"seed", 3},
                                           {"rl",
                                            {{"reward_model", reward_model},
                                             {"samples_per_prompt", 3},
                                             {"max_new_tokens", 8},
                                             {"kl_coef", 0.1}}}});
        };
        const std::vector<json> one = runInProcess(config("rl_one", 4), fixture.path("one.json"), "rl");
        const std::string two_config = fixture.writeConfig("two.json", config("rl_two", 2));
        const testing::CliResult result =
            launch({QStringLiteral("train"), QStringLiteral("rl"), QString::fromStdString(two_config),
                    QStringLiteral("--nproc-per-node"), QStringLiteral("2"), QStringLiteral("--threads"),
                    QStringLiteral("1")},
                   QProcessEnvironment::systemEnvironment());
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        const std::vector<json> two = parseEvents(result.standard_output);
        QVERIFY(!two.empty());
        QCOMPARE(two.front()["world_size"].get<int>(), 2);
        QCOMPARE(one.front()["world_size"].get<int>(), 1);
        QCOMPARE(static_cast<int>(fieldValues(two, "step", "loss").size()), max_steps);
        for (const char* key : {"loss", "reward_mean", "reward_std", "kl", "completion_tokens", "tokens"}) {
            compareSeries(fieldValues(one, "step", key), fieldValues(two, "step", key), key);
        }
        // The rewards differ between samples (the test would otherwise compare nothing).
        QVERIFY(fieldValues(one, "step", "reward_std").front() > 1e-4);
        QVERIFY(fieldValues(one, "step", "kl").back() > 0.0);
        const std::string file = "/final/model.safetensors";
        const int changed = compareTensorFiles(fixture.path("rl_one") + file, fixture.path("rl_two") + file,
                                               fixture.model + "/model.safetensors");
        QVERIFY(changed > 0);
    }

private slots:
    void sftLoraTwoProcessesMatchOne() { compareWithOneProcess("sft", true, 3); }

    void sftFullTwoProcessesMatchOne() { compareWithOneProcess("sft", false, 2); }

    void rewardModelTwoProcessesMatchOne() { compareWithOneProcess("rm", true, 2); }

    void dpoTwoProcessesMatchOne() { compareWithOneProcess("dpo", true, 2); }

    void rlTwoProcessesMatchOne() { compareRlWithOneProcess(3); }

    void killedRankEndsLauncher() {
        Fixture fixture;
        QProcess process;
        QVERIFY(startUntilFirstStep(process, fixture, "killed"));
        const qint64 launcher = process.processId();
        const std::vector<pid_t> victims = rankProcesses(launcher, 1);
        QCOMPARE(victims.size(), std::size_t{1});
        ::kill(victims.front(), SIGKILL);
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(process.waitForFinished(40000), "the launcher hangs after a rank died");
        QVERIFY(timer.elapsed() < 40000);
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY(process.exitCode() != 0);
        const QByteArray error = process.readAllStandardError();
        QVERIFY2(error.contains("rank 1 failed") || error.contains("rank 0 failed"), error.constData());
        QVERIFY(rankProcesses(launcher, 0).empty());
    }

    void cancelStopsEveryRank() {
        Fixture fixture;
        QProcess process;
        QVERIFY(startUntilFirstStep(process, fixture, "cancel"));
        process.terminate();
        QVERIFY(process.waitForFinished(40000));
        QCOMPARE(process.exitCode(), 0);
        const std::vector<json> events = parseEvents(process.readAllStandardOutput());
        QVERIFY(!events.empty());
        QCOMPARE(events.back()["event"].get<std::string>(), std::string("done"));
        QCOMPARE(events.back()["status"].get<std::string>(), std::string("cancelled"));
        QVERIFY(QFileInfo::exists(
            QString::fromStdString(events.back()["output"].get<std::string>() + "/trainable.safetensors")));
    }

    void unreachableMasterIsAnErrorNotAHang() {
        Fixture fixture;
        const std::string config =
            fixture.writeConfig("alone.json", fixture.config("alone", "sft", true, 2, 2));
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("WORLD_SIZE"), QStringLiteral("2"));
        environment.insert(QStringLiteral("RANK"), QStringLiteral("1"));
        environment.insert(QStringLiteral("MASTER_ADDR"), QStringLiteral("127.0.0.1"));
        environment.insert(QStringLiteral("MASTER_PORT"), QStringLiteral("9"));  // nothing listens there
        environment.insert(QStringLiteral("VIETLLM_DIST_TIMEOUT_S"), QStringLiteral("2"));
        QElapsedTimer timer;
        timer.start();
        const testing::CliResult result =
            launch({QStringLiteral("train"), QStringLiteral("sft"), QString::fromStdString(config),
                    QStringLiteral("--threads"), QStringLiteral("1")},
                   environment, 45000);
        QCOMPARE(result.exit_code, 1);
        QVERIFY2(result.standard_error.contains("MASTER_ADDR:MASTER_PORT"),
                 result.standard_error.constData());
        QVERIFY(timer.elapsed() < 45000);
    }

    void badVariablesNameThemselves() {
        QVERIFY(expectUserError({{"WORLD_SIZE", "2"}, {"RANK", "5"}, {"MASTER_ADDR", "h"}}).find("RANK=5") !=
                std::string::npos);
        QVERIFY(expectUserError({{"WORLD_SIZE", "two"}, {"RANK", "0"}}).find("WORLD_SIZE") !=
                std::string::npos);
        QVERIFY(expectUserError({{"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}}).find("RANK is not set") !=
                std::string::npos);
        QVERIFY(expectUserError({{"WORLD_SIZE", "2"}, {"RANK", "1"}}).find("MASTER_ADDR") !=
                std::string::npos);
        QVERIFY(expectUserError(
                    {{"WORLD_SIZE", "2"}, {"RANK", "1"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "70000"}})
                    .find("MASTER_PORT") != std::string::npos);
        QVERIFY(
            expectUserError({{"WORLD_SIZE", "2"}, {"RANK", "1"}, {"LOCAL_RANK", "x"}, {"MASTER_ADDR", "h"}})
                .find("LOCAL_RANK") != std::string::npos);
        QVERIFY(expectUserError({{"SLURM_NTASKS", "4"}, {"SLURM_PROCID", "4"}, {"MASTER_ADDR", "h"}})
                    .find("SLURM_PROCID") != std::string::npos);

        const train::DistributedEnv none = readEnv({});
        QCOMPARE(none.world_size, 1);
        QCOMPARE(none.launcher, std::string("none"));
        const train::DistributedEnv slurm = readEnv(
            {{"SLURM_NTASKS", "8"}, {"SLURM_PROCID", "5"}, {"SLURM_LOCALID", "1"}, {"MASTER_ADDR", "node1"}});
        QCOMPARE(slurm.launcher, std::string("slurm"));
        QCOMPARE(slurm.rank, 5);
        QCOMPARE(slurm.world_size, 8);
        QCOMPARE(slurm.local_rank, 1);
        QCOMPARE(slurm.master_port, 29500);
        const train::DistributedEnv torchrun = readEnv({{"WORLD_SIZE", "2"},
                                                        {"RANK", "1"},
                                                        {"LOCAL_RANK", "1"},
                                                        {"MASTER_ADDR", "127.0.0.1"},
                                                        {"MASTER_PORT", "29511"},
                                                        {"SLURM_PROCID", "0"}});
        QCOMPARE(torchrun.launcher, std::string("torchrun"));
        QCOMPARE(torchrun.rank, 1);
        QCOMPARE(torchrun.master_port, 29511);
        // One process: no rendezvous at all, even without a master.
        QCOMPARE(readEnv({{"WORLD_SIZE", "1"}, {"RANK", "0"}}).world_size, 1);

        const std::vector<std::size_t> share = train::rankShare(5, 1, 2);
        QVERIFY((share == std::vector<std::size_t>{1, 3}));
    }

    void engineRefusesRankOutsideWorld() {
        Fixture fixture;
        const std::string config = fixture.writeConfig("bad.json", fixture.config("bad", "sft", true, 2, 2));
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("WORLD_SIZE"), QStringLiteral("2"));
        environment.insert(QStringLiteral("RANK"), QStringLiteral("5"));
        environment.insert(QStringLiteral("MASTER_ADDR"), QStringLiteral("127.0.0.1"));
        const testing::CliResult result = launch(
            {QStringLiteral("train"), QStringLiteral("sft"), QString::fromStdString(config)}, environment);
        QCOMPARE(result.exit_code, 1);
        QVERIFY2(result.standard_error.contains("RANK=5"), result.standard_error.constData());
        const testing::CliResult count =
            launch({QStringLiteral("train"), QStringLiteral("sft"), QString::fromStdString(config),
                    QStringLiteral("--nproc-per-node"), QStringLiteral("0")},
                   QProcessEnvironment::systemEnvironment());
        QCOMPARE(count.exit_code, 1);
        QVERIFY(count.standard_error.contains("--nproc-per-node"));
    }
};

QTEST_GUILESS_MAIN(TestTrainDistributed)
#include "tst_train_distributed.moc"
