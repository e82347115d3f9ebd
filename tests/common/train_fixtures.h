#pragma once
// What the trainer tests share beside the tiny model folder: the lines of synthetic conversation
// and preference files (and the two learnable sets several suites train on), the base config of a
// tiny run, running a trainer in process while recording its events, and reading events back.

#include "backend/train/sft_trainer.h"
#include "backend/train/train_config.h"
#include "tests/common/tiny_model_dir.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace vietllm::testing {

/// One turn of a conversation, as the data files spell it.
inline nlohmann::json turn(const std::string& role, const std::string& content) {
    return {{"role", role}, {"content", content}};
}

/// A conversation line: one user turn and the assistant's reply.
inline nlohmann::json conversationLine(const std::string& user, const std::string& assistant) {
    return {{"messages", nlohmann::json::array({turn("user", user), turn("assistant", assistant)})}};
}

/// A preference line: the prompt's turns and the chosen and rejected replies.
inline nlohmann::json preferenceLine(const nlohmann::json& prompt_turns, const std::string& chosen,
                                     const std::string& rejected) {
    return {{"prompt", prompt_turns}, {"chosen", chosen}, {"rejected", rejected}};
}

/// Writes the JSONL file `path` with lines `line(first)` .. `line(first + count - 1)`, so that a
/// training set and its held-out set are two ranges of one generator.
inline void writeJsonLinesFile(const std::string& path, int first, int count,
                               const std::function<nlohmann::json(int)>& line) {
    std::ofstream out(path);
    for (int i = first; i < first + count; ++i) out << line(i).dump() << "\n";
}

/// Question i of the colour set: "Câu hỏi i: <subject> màu gì?", the subject cycling over six.
inline std::string colourQuestion(int i) {
    static const char* const subjects[] = {"con mèo", "dòng sông",    "ngọn núi",
                                           "cây lúa", "chiếc thuyền", "bầu trời"};
    return "Câu hỏi " + std::to_string(i) + ": " + subjects[i % 6] + " màu gì?";
}

/// The colour that answers question i (cycling over three, so that it can be learnt).
inline std::string colourAnswer(int i) {
    static const char* const colours[] = {"xanh", "đỏ", "vàng"};
    return colours[i % 3];
}

/// The learnable colour conversations: question i answered "Dạ, màu <colour>.".
inline void writeColourConversations(const std::string& path, int first, int count) {
    writeJsonLinesFile(path, first, count, [](int i) {
        return conversationLine(colourQuestion(i), "Dạ, màu " + colourAnswer(i) + ".");
    });
}

/// Three words picked by i, the body of the marker set's replies.
inline std::string markerWords(int i) {
    static const char* const words[] = {"trời", "mưa", "nắng",   "gió", "sông",
                                        "núi",  "lúa", "thuyền", "mèo", "chim"};
    std::string out;
    for (int k = 0; k < 3; ++k) out += std::string(k == 0 ? "" : " ") + words[(i * 7 + k * 3) % 10];
    return out;
}

/// The separable marker preferences: to "Câu i?" the chosen reply ends with "ạ ạ ạ" and the
/// rejected one, with the same words, ends with "nhé", so the reply alone decides.
inline void writeMarkerPairs(const std::string& path, int first, int count) {
    writeJsonLinesFile(path, first, count, [](int i) {
        return preferenceLine(nlohmann::json::array({turn("user", "Câu " + std::to_string(i) + "?")}),
                              markerWords(i) + " ạ ạ ạ", markerWords(i) + " nhé");
    });
}

/// A tiny model folder with a training file and a held-out file beside it, which each suite's
/// fixture fills with its own set.
struct TinyRunFolder : TinyModelDir {
    std::string train_file = path("train.jsonl");
    std::string eval_file = path("eval.jsonl");
};

/// The LoRA section of a run config.
inline nlohmann::json loraSection(int rank, int alpha, double dropout) {
    return {{"rank", rank}, {"alpha", alpha}, {"dropout", dropout}};
}

/// The config of a tiny run that the trainer tests start from: template "chatml", rows of up to
/// 256 tokens, micro-batches of 2, one a step, 6 steps at lr 1e-2, no LoRA, no evaluation or
/// checkpoint during the run. `overrides` replaces or adds whole top-level keys: what a test varies.
inline nlohmann::json tinyRunConfig(const std::string& method, const std::string& model,
                                    const std::string& output_dir, const nlohmann::json& data,
                                    const nlohmann::json& overrides = nlohmann::json::object()) {
    nlohmann::json value = {{"method", method},         {"model", model},
                            {"output_dir", output_dir}, {"data", data},
                            {"template", "chatml"},     {"max_seq_len", 256},
                            {"micro_batch_size", 2},    {"gradient_accumulation", 1},
                            {"max_steps", 6},           {"optimizer", {{"lr", 1e-2}}},
                            {"eval_every_steps", 0},    {"save_every_steps", 0},
                            {"lora", nullptr}};
    value.update(overrides);
    return value;
}

/// The events named `kind` ("start", "step", "eval", "checkpoint", "done"), in order.
inline std::vector<nlohmann::json> eventsNamed(const std::vector<nlohmann::json>& events,
                                               const std::string& kind) {
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& event : events) {
        if (event["event"] == kind) out.push_back(event);
    }
    return out;
}

/// The loss of every step event, in order: the curve that resume and precision tests compare.
inline std::vector<double> stepLosses(const std::vector<nlohmann::json>& events) {
    std::vector<double> losses;
    for (const nlohmann::json& step : eventsNamed(events, "step"))
        losses.push_back(step["loss"].get<double>());
    return losses;
}

/// What an in-process run reported (every event) and what its trainer returned.
template <typename Result>
struct TrainerRun {
    std::vector<nlohmann::json> events;
    Result result;

    /// The events named `kind`, in order.
    std::vector<nlohmann::json> of(const std::string& kind) const { return eventsNamed(events, kind); }
};

/// Runs `trainer` (train::runSft, runDpo, runRewardModel...) in process on one thread with the
/// config `config_json` read as if from the file `source`, recording every event. A positive
/// `cancel_after_step` cancels the run once that step is reported, which the resume tests need.
template <typename Result>
TrainerRun<Result> runTrainer(Result (*trainer)(const train::TrainConfig&, const train::RunOptions&),
                              const nlohmann::json& config_json, const std::string& source, bool resume,
                              int cancel_after_step = 0) {
    const train::TrainConfig config = train::parseTrainConfig(config_json, source);
    std::atomic<bool> cancel{false};
    TrainerRun<Result> run;
    train::RunOptions options;
    options.resume = resume;
    options.cancel = &cancel;
    options.num_threads = 1;
    options.on_event = [&](const nlohmann::ordered_json& event) {
        run.events.push_back(nlohmann::json::parse(event.dump()));
        if (cancel_after_step > 0 && event["event"] == "step" && event["step"] == cancel_after_step) {
            cancel.store(true);
        }
    };
    run.result = trainer(config, options);
    return run;
}

}  // namespace vietllm::testing
