// Supervised fine-tuning on a tiny random Llama: the data pipeline (assistant-only labels,
// packing that keeps examples apart), learning (held-out loss falls), LoRA leaving the base
// untouched, exact resume after a cancel, PEFT adapter files, merging, full fine-tuning output,
// config errors naming their JSON path, and the metrics protocol of `vietllm-cli train sft`.

#include "backend/common/errors.h"
#include "backend/sample/engine.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/train/sft_data.h"
#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "backend/weights/random_model.h"
#include "backend/weights/safetensors.h"
#include "tests/common/test_support.h"
#include "tests/common/text_files.h"
#include "tests/common/train_fixtures.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

using namespace vietllm;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

struct Fixture : testing::TinyRunFolder {
    Fixture() {
        testing::writeColourConversations(train_file, 0, 48);
        testing::writeColourConversations(eval_file, 100, 12);
    }

    json config(const std::string& output, bool lora) const {
        return testing::tinyRunConfig("sft", model, path(output),
                                      {{"train", {train_file}}, {"eval", {eval_file}}, {"format", "auto"}},
                                      {{"packing", true},
                                       {"gradient_accumulation", 2},
                                       {"schedule", {{"kind", "cosine"}, {"warmup_steps", 1}}},
                                       {"seed", 7},
                                       {"lora", lora ? testing::loraSection(4, 8, 0.1) : json(nullptr)}});
    }
};

train::TrainConfig parse(const json& value, const std::string& source = "/cfg/run.json") {
    return train::parseTrainConfig(value, source);
}

using Run = testing::TrainerRun<train::RunResult>;

// SFT in process, recording its events; cancelled once step `cancel_after_step` is reported.
Run runTraining(const json& config_json, const std::string& source, bool resume, int cancel_after_step = 0) {
    return testing::runTrainer(train::runSft, config_json, source, resume, cancel_after_step);
}

using testing::expectUserError;
using testing::stepLosses;

std::vector<train::TokenizedExample> tokenizeFile(const Fixture& fixture, const std::string& file) {
    const auto tokenizer = tokenizer::loadTokenizer(fixture.model);
    const train::Encoding encoding = train::makeEncoding(*tokenizer, fixture.model, "chatml");
    std::vector<train::TokenizedExample> out;
    for (const data::Conversation& conversation : train::readConversations({file}, "auto")) {
        out.push_back(train::tokenizeConversation(conversation, *tokenizer, encoding, 256));
    }
    return out;
}

}  // namespace

class TestTrainSft : public QObject {
    Q_OBJECT

private slots:
    void labelsCoverOnlyAssistantReplies() {
        Fixture fixture;
        const auto tokenizer = tokenizer::loadTokenizer(fixture.model);
        const train::Encoding encoding = train::makeEncoding(*tokenizer, fixture.model, "chatml");
        data::Conversation conversation;
        conversation.messages = {{data::Role::User, "Thủ đô của Việt Nam là gì?"},
                                 {data::Role::Assistant, "Hà Nội."},
                                 {data::Role::User, "Còn Nhật Bản?"},
                                 {data::Role::Assistant, "Tokyo."}};
        const train::TokenizedExample example =
            train::tokenizeConversation(conversation, *tokenizer, encoding, 512);
        std::vector<std::int32_t> targets;
        for (std::size_t i = 0; i < example.labels.size(); ++i) {
            if (example.labels[i] == train::kIgnoreLabel) continue;
            QCOMPARE(example.labels[i], example.ids[i + 1]);  // shifted: position i predicts token i + 1
            targets.push_back(example.labels[i]);
        }
        // Exactly the replies, each with its turn end and the EOS the byte tokenizer needs.
        QCOMPARE(QString::fromStdString(tokenizer->decode(targets, false)),
                 QStringLiteral("Hà Nội.<|im_end|><|eos|>Tokyo.<|im_end|><|eos|>"));
        // Different user text: the supervised ids stay the same.
        conversation.messages[0].content = "Một câu hỏi hoàn toàn khác, dài hơn nhiều?";
        const train::TokenizedExample other =
            train::tokenizeConversation(conversation, *tokenizer, encoding, 512);
        std::vector<std::int32_t> other_targets;
        for (const std::int32_t label : other.labels) {
            if (label != train::kIgnoreLabel) other_targets.push_back(label);
        }
        QVERIFY(other_targets == targets);
        QVERIFY(other.ids != example.ids);
        // Truncation keeps labels aligned and within the limit.
        const train::TokenizedExample cut =
            train::tokenizeConversation(conversation, *tokenizer, encoding, 40);
        QCOMPARE(cut.ids.size(), std::size_t{40});
        QCOMPARE(cut.labels.size(), std::size_t{40});
    }

    void packingKeepsExamplesApart() {
        Fixture fixture;
        const std::vector<train::TokenizedExample> examples = tokenizeFile(fixture, fixture.eval_file);
        const auto packed = train::planEvaluation(examples, 256, 1, true);
        const auto alone = train::planEvaluation(examples, 256, 1, false);
        QVERIFY(packed.size() < alone.size());  // several examples share a row
        std::int64_t labels = 0;
        for (const train::MicroBatch& batch : packed) labels += batch.label_count;
        std::int64_t labels_alone = 0;
        for (const train::MicroBatch& batch : alone) labels_alone += batch.label_count;
        QCOMPARE(labels, labels_alone);
        // Positions restart at 0 for each example of a packed row.
        const train::MicroBatch& first = packed.front();
        QCOMPARE(first.positions[0], std::int64_t{0});
        const auto second =
            std::find(first.documents.begin(), first.documents.end(), 2) - first.documents.begin();
        QVERIFY(second > 0);
        QCOMPARE(first.positions[static_cast<std::size_t>(second)], std::int64_t{0});
        // Same loss packed or alone: attention never crosses examples.
        const double packed_loss = train::meanLoss(fixture.model, "", packed);
        const double alone_loss = train::meanLoss(fixture.model, "", alone);
        QVERIFY2(std::abs(packed_loss - alone_loss) < 1e-5,
                 qPrintable(QStringLiteral("%1 vs %2").arg(packed_loss).arg(alone_loss)));
        // The epoch plan is a deterministic shuffle that depends on the epoch.
        const auto epoch0 = train::planEpoch(examples, 256, 1, false, 7, 0);
        QVERIFY(train::planEpoch(examples, 256, 1, false, 7, 0)[0].ids == epoch0[0].ids);
        bool differs = false;
        const auto epoch1 = train::planEpoch(examples, 256, 1, false, 7, 1);
        for (std::size_t i = 0; i < epoch0.size(); ++i) differs = differs || epoch0[i].ids != epoch1[i].ids;
        QVERIFY(differs);
    }

    void loraLowersHeldOutLossAndLeavesBaseAlone() {
        Fixture fixture;
        json config = fixture.config("lora", true);
        config["max_steps"] = 20;
        config["eval_every_steps"] = 10;
        const std::vector<std::int32_t> probe = {1, 40, 50, 60, 70};
        const std::vector<std::vector<float>> base_before = sample::Engine(fixture.model, {}).logits(probe);
        const std::string weights_before = testing::fileContents(fixture.model + "/model.safetensors");
        const Run run = runTraining(config, fixture.path("lora.json"), false);
        QVERIFY(!run.result.cancelled);

        const auto eval_batches =
            train::planEvaluation(tokenizeFile(fixture, fixture.eval_file), 256, 2, true);
        const double before = train::meanLoss(fixture.model, "", eval_batches);
        const double after = train::meanLoss(fixture.model, run.result.output, eval_batches);
        QVERIFY2(after < 0.6 * before,
                 qPrintable(QStringLiteral("held-out loss %1 -> %2").arg(before).arg(after)));
        std::vector<double> eval_losses;
        for (const json& event : run.of("eval")) eval_losses.push_back(event["eval_loss"].get<double>());
        QCOMPARE(eval_losses.size(), std::size_t{2});  // step 10, and the end
        QVERIFY(std::abs(eval_losses.back() - after) < 1e-4);

        // The base is untouched: same file bytes, same logits.
        QVERIFY(testing::fileContents(fixture.model + "/model.safetensors") == weights_before);
        QVERIFY(sample::Engine(fixture.model, {}).logits(probe) == base_before);

        // PEFT files: names, shapes and config.
        const weights::SafetensorsFile adapter(run.result.output + "/adapter_model.safetensors");
        std::set<std::string> names;
        for (const weights::TensorView& view : adapter.tensors()) names.insert(view.name);
        QCOMPARE(names.size(), std::size_t{2 * 7 * 2});
        const weights::TensorView* q_a =
            adapter.find("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
        const weights::TensorView* down_b =
            adapter.find("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight");
        const weights::TensorView* k_b =
            adapter.find("base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight");
        QVERIFY(q_a != nullptr && down_b != nullptr && k_b != nullptr);
        QVERIFY((q_a->shape == std::vector<std::int64_t>{4, 64}));
        QVERIFY((down_b->shape == std::vector<std::int64_t>{64, 4}));
        const weights::ModelConfig model_config = weights::loadModelConfig(fixture.model);
        QVERIFY(
            (k_b->shape == std::vector<std::int64_t>{model_config.num_kv_heads * model_config.head_dim, 4}));
        const float* b_values = reinterpret_cast<const float*>(down_b->data);
        QVERIFY(std::any_of(b_values, b_values + down_b->elementCount(), [](float v) { return v != 0.0F; }));
        std::ifstream config_in(run.result.output + "/adapter_config.json");
        const json adapter_config = json::parse(config_in);
        QCOMPARE(adapter_config["peft_type"].get<std::string>(), std::string("LORA"));
        QCOMPARE(adapter_config["task_type"].get<std::string>(), std::string("CAUSAL_LM"));
        QCOMPARE(adapter_config["r"].get<int>(), 4);
        QCOMPARE(adapter_config["lora_alpha"].get<double>(), 8.0);
        QCOMPARE(adapter_config["bias"].get<std::string>(), std::string("none"));
        QCOMPARE(adapter_config["target_modules"].size(), std::size_t{7});

        // Merging gives the adapter's logits in a plain model folder our engine loads.
        const std::string merged = fixture.path("merged");
        train::mergeAdapter(fixture.model, run.result.output, merged);
        const auto merged_logits = sample::Engine(merged, {}).logits(probe);
        const auto adapter_logits = train::adapterLogits(fixture.model, run.result.output, probe);
        double worst = 0.0;
        double moved = 0.0;
        for (std::size_t p = 0; p < probe.size(); ++p) {
            for (std::size_t v = 0; v < merged_logits[p].size(); ++v) {
                worst = std::max(worst,
                                 static_cast<double>(std::abs(merged_logits[p][v] - adapter_logits[p][v])));
                moved =
                    std::max(moved, static_cast<double>(std::abs(merged_logits[p][v] - base_before[p][v])));
            }
        }
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
        QVERIFY(moved > 1e-2);
    }

    void resumeReproducesTheUninterruptedCurve() {
        Fixture fixture;
        const json straight_config = fixture.config("straight", true);
        const Run straight = runTraining(straight_config, fixture.path("a.json"), false);
        const std::vector<double> expected = stepLosses(straight.events);
        QCOMPARE(expected.size(), std::size_t{6});

        const json split_config = fixture.config("split", true);
        const Run first = runTraining(split_config, fixture.path("b.json"), false, 3);
        QVERIFY(first.result.cancelled);
        QCOMPARE(first.result.step, std::int64_t{3});
        QVERIFY(fs::is_directory(fixture.path("split/checkpoint-3")));
        QCOMPARE(QString::fromStdString(first.events.back()["status"].get<std::string>()),
                 QStringLiteral("cancelled"));
        // A fresh run refuses to overwrite the checkpoints.
        QVERIFY(expectUserError([&] {
                    runTraining(split_config, fixture.path("b.json"), false);
                }).find("--resume") != std::string::npos);
        const Run second = runTraining(split_config, fixture.path("b.json"), true);
        QCOMPARE(second.events.front()["resumed_from_step"].get<int>(), 3);
        std::vector<double> resumed = stepLosses(first.events);
        for (const double loss : stepLosses(second.events)) resumed.push_back(loss);
        QCOMPARE(resumed.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QVERIFY2(
                std::abs(resumed[i] - expected[i]) < 1e-6,
                qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(resumed[i]).arg(expected[i])));
        }
    }

    void fullFineTuningWritesAModelFolder() {
        Fixture fixture;
        json config = fixture.config("full", false);
        config["optimizer"]["lr"] = 3e-3;
        config["save_every_steps"] = 1;
        config["keep_checkpoints"] = 2;
        const Run run = runTraining(config, fixture.path("full.json"), false);
        // Checkpoints at steps 1-5 (none at the last step: final/ is written), the newest two kept.
        QVERIFY(!fs::exists(fixture.path("full/checkpoint-3")));
        QVERIFY(fs::is_directory(fixture.path("full/checkpoint-4")));
        QVERIFY(fs::is_directory(fixture.path("full/checkpoint-5")));
        const std::vector<double> losses = stepLosses(run.events);
        QVERIFY(losses.back() < losses.front());
        QCOMPARE(run.events.front()["trainable_parameters"].get<std::int64_t>(),
                 run.events.front()["parameters"].get<std::int64_t>());
        const std::vector<std::int32_t> probe = {1, 40, 50};
        const auto base = sample::Engine(fixture.model, {}).logits(probe);
        const auto tuned = sample::Engine(run.result.output, {}).logits(probe);
        QVERIFY(tuned != base);
        QVERIFY(fs::is_regular_file(run.result.output + "/tokenizer.json"));
    }

    void autoFormatReadsTheSharedSamples() {
        VIETLLM_REQUIRE_SAMPLE(vi_pairs, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
        VIETLLM_REQUIRE_SAMPLE(en_alpaca, "instruct/en_alpaca_data_random1k.json");
        const auto vi = train::readConversations({vi_pairs.toStdString()}, "auto");
        QCOMPARE(vi.size(), std::size_t{1000});
        QCOMPARE(vi[1].messages.back().content, std::string("Ba màu chính là màu đỏ, xanh và vàng."));
        const auto en = train::readConversations({en_alpaca.toStdString()}, "auto");  // one JSON array
        QCOMPARE(en.size(), std::size_t{1000});
        QCOMPARE(en[0].messages.back().role, data::Role::Assistant);
        Fixture fixture;
        const std::string unknown = fixture.path("unknown.jsonl");
        std::ofstream(unknown) << R"({"question": "a", "answer": "b"})"
                               << "\n";
        QVERIFY(expectUserError([&] { train::readConversations({unknown}, "auto"); }).find("\"format\"") !=
                std::string::npos);
    }

    void bf16AutocastFollowsTheFp32Curve() {
        Fixture fixture;
        json config = fixture.config("fp32", true);
        config["max_steps"] = 3;
        const std::vector<double> fp32 =
            stepLosses(runTraining(config, fixture.path("fp32.json"), false).events);
        config["output_dir"] = fixture.path("bf16");
        config["dtype"] = "bf16";
        const std::vector<double> bf16 =
            stepLosses(runTraining(config, fixture.path("bf16.json"), false).events);
        QCOMPARE(bf16.size(), fp32.size());
        // Same weights at step 1: the same loss up to bf16 rounding, but not bit-equal (the matmuls
        // really ran in bf16). Later steps drift apart at this learning rate; they must stay finite.
        QVERIFY(bf16[0] != fp32[0]);
        QVERIFY2(std::abs(bf16[0] - fp32[0]) < 0.03 * fp32[0],
                 qPrintable(QStringLiteral("%1 vs %2").arg(bf16[0]).arg(fp32[0])));
        QVERIFY(std::all_of(bf16.begin(), bf16.end(), [](double loss) { return std::isfinite(loss); }));
    }

    void badConfigsNameTheJsonPath() {
        Fixture fixture;
        const json good = fixture.config("bad", true);
        json unknown = good;
        unknown["learning_rate"] = 1e-3;
        QVERIFY(expectUserError([&] {
                    parse(unknown);
                }).find("/cfg/run.json: $.learning_rate: unknown key") == 0);
        json nested = good;
        nested["lora"]["rnak"] = 8;
        QVERIFY(expectUserError([&] { parse(nested); }).find("$.lora.rnak: unknown key") !=
                std::string::npos);
        json wrong_type = good;
        wrong_type["micro_batch_size"] = "4";
        QVERIFY(expectUserError([&] { parse(wrong_type); }).find("$.micro_batch_size: must be an integer") !=
                std::string::npos);
        json impossible = good;
        impossible["optimizer"]["betas"] = {0.9, 1.5};
        QVERIFY(expectUserError([&] { parse(impossible); }).find("$.optimizer.betas") != std::string::npos);
        json schedule = good;
        schedule["schedule"]["kind"] = "exponential";
        QVERIFY(expectUserError([&] { parse(schedule); }).find("$.schedule.kind") != std::string::npos);
        json missing = good;
        missing["data"]["train"] = {fixture.train_file, fixture.path("absent.jsonl")};
        const std::string missing_message = expectUserError([&] { train::checkTrainConfig(parse(missing)); });
        QVERIFY2(missing_message.find("$.data.train[1]: no such file") != std::string::npos,
                 missing_message.c_str());
        json bad_module = good;
        bad_module["lora"]["target_modules"] = {"q_proj", "c_attn"};
        QVERIFY(expectUserError([&] {
                    train::checkTrainConfig(parse(bad_module));
                }).find("$.lora.target_modules[1]") != std::string::npos);
        // A 70B-shaped config (no real weights needed for the estimate) cannot fit this machine.
        const std::string huge = fixture.path("huge");
        fs::create_directories(huge);
        std::ofstream(huge + "/config.json")
            << json{{"model_type", "llama"},    {"vocab_size", 128256},
                    {"hidden_size", 8192},      {"intermediate_size", 28672},
                    {"num_hidden_layers", 80},  {"num_attention_heads", 64},
                    {"num_key_value_heads", 8}, {"max_position_embeddings", 8192}}
                   .dump();
        std::ofstream(huge + "/model.safetensors") << "";
        json too_big = good;
        too_big["model"] = huge;
        too_big["lora"] = nullptr;
        const std::string memory_message = expectUserError([&] { train::checkTrainConfig(parse(too_big)); });
        QVERIFY2(memory_message.find("$.model: training this model needs about") != std::string::npos,
                 memory_message.c_str());
        QVERIFY(train::estimateMemory(parse(too_big)).parameters > 60'000'000'000LL);
    }

    void scheduleWarmsUpAndDecays() {
        train::ScheduleConfig schedule;
        schedule.warmup_steps = 2;
        schedule.min_lr_ratio = 0.1;
        QCOMPARE(train::learningRateFactor(schedule, 0, 10), 0.5);
        QCOMPARE(train::learningRateFactor(schedule, 1, 10), 1.0);
        QCOMPARE(train::learningRateFactor(schedule, 2, 10), 1.0);
        QVERIFY(std::abs(train::learningRateFactor(schedule, 9, 10) - 0.1) < 1e-12);
        schedule.kind = train::ScheduleKind::Linear;
        QVERIFY(std::abs(train::learningRateFactor(schedule, 5, 10) - (0.1 + 0.9 * (1.0 - 3.0 / 7.0))) <
                1e-12);
        schedule.kind = train::ScheduleKind::Constant;
        QCOMPARE(train::learningRateFactor(schedule, 9, 10), 1.0);
    }

    void cliStreamsTheMetricsProtocol() {
        Fixture fixture;
        json config = fixture.config("cli", true);
        config["max_steps"] = 4;
        config["eval_every_steps"] = 2;
        config["save_every_steps"] = 2;
        const std::string config_path = fixture.path("cli.json");
        std::ofstream(config_path) << config.dump(2);

        const testing::CliResult validate = testing::runCli(
            {QStringLiteral("train"), QStringLiteral("validate"), QString::fromStdString(config_path)});
        QCOMPARE(validate.exit_code, 0);
        const json estimate = json::parse(validate.standard_output.toStdString());
        QVERIFY(estimate["memory"]["trainable_parameters"].get<std::int64_t>() > 0);
        QVERIFY(estimate["memory"]["fits"].get<bool>());

        const testing::CliResult result = testing::runCli({QStringLiteral("train"), QStringLiteral("sft"),
                                                           QString::fromStdString(config_path),
                                                           QStringLiteral("--threads"), QStringLiteral("1")});
        QVERIFY2(result.exit_code == 0, result.standard_error.constData());
        const std::vector<json> events = testing::parseJsonLines(result.standard_output.toStdString());
        QVERIFY(events.size() >= 8);
        QCOMPARE(QString::fromStdString(events.front()["event"].get<std::string>()), QStringLiteral("start"));
        for (const char* key :
             {"method", "total_steps", "parameters", "trainable_parameters", "resumed_from_step", "time"}) {
            QVERIFY2(events.front().contains(key), key);
        }
        QCOMPARE(events.front()["total_steps"].get<int>(), 4);
        QVERIFY(events.front()["resumed_from_step"].is_null());
        int step = 0;
        std::set<std::string> kinds;
        for (const json& event : events) {
            kinds.insert(event["event"].get<std::string>());
            if (event["event"] == "step") {
                QCOMPARE(event["step"].get<int>(), ++step);
                for (const char* key :
                     {"epoch", "loss", "lr", "grad_norm", "tokens", "tokens_per_s", "elapsed_s"}) {
                    QVERIFY2(event.contains(key) && event[key].is_number(), key);
                }
            }
            if (event["event"] == "checkpoint") {
                QVERIFY(fs::is_directory(event["path"].get<std::string>()));
            }
        }
        QVERIFY((kinds == std::set<std::string>{"start", "step", "eval", "checkpoint", "done"}));
        QCOMPARE(QString::fromStdString(events.back()["status"].get<std::string>()),
                 QStringLiteral("finished"));
        QCOMPARE(events.back()["output"].get<std::string>(), fixture.path("cli/final"));
        QVERIFY(testing::readJsonLines(fixture.path("cli/metrics.jsonl")) == events);

        // A bad config: exit 1, an error event on stdout and the message on stderr.
        config["micro_batch_size"] = 0;
        std::ofstream(config_path) << config.dump(2);
        const testing::CliResult bad = testing::runCli(
            {QStringLiteral("train"), QStringLiteral("sft"), QString::fromStdString(config_path)});
        QCOMPARE(bad.exit_code, 1);
        const json error = json::parse(bad.standard_output.toStdString());
        QCOMPARE(QString::fromStdString(error["event"].get<std::string>()), QStringLiteral("error"));
        QVERIFY(error["message"].get<std::string>().find("$.micro_batch_size") != std::string::npos);
        QVERIFY(bad.standard_error.contains("$.micro_batch_size"));
    }
};

QTEST_GUILESS_MAIN(TestTrainSft)
#include "tst_train_sft.moc"
