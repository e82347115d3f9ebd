#pragma once
// `data self-instruct`: new Vietnamese instructions from seed tasks, Self-Instruct style. Each
// request shows 8 example tasks (6 seeds and 2 machine tasks once there are some), drawn by the
// seed, and asks for 8 more; the numbered reply is parsed and every instruction is filtered:
// length, a keyword blacklist (tasks a text model cannot do: images, files, maps...), a leading
// punctuation mark, duplicates, and novelty: ROUGE-L over Vietnamese syllables (rouge.h) against
// every kept instruction. Unlike the original recipe there is no rule that an instruction must
// start with an ASCII letter, which would reject every instruction starting with Đ, Ư, Ô...
// A second call per kept instruction writes its input and output.

#include "backend/databuild/generation.h"
#include "backend/databuild/rouge.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace vietllm::databuild {

/// One task: an instruction, an optional input, an output.
struct SeedTask {
    std::string instruction;
    std::string input;
    std::string output;
};

/// Reads seed tasks from JSONL: {"instruction", "instances":[{"input","output"}]} (the
/// Self-Instruct seed file), {"instruction","input","output"} (Alpaca), {"messages":[...]} (the
/// first user turn) or {"prompt"}. Throws UserError naming FILE:LINE otherwise.
std::vector<SeedTask> readSeedTasks(const std::string& path);

/// The items of a numbered list ("1. ...", "2) ...", "Nhiệm vụ 3: ..."); lines that continue
/// an item are joined to it; text before the first number is ignored.
std::vector<std::string> parseNumberedList(const std::string& text);

/// Why an instruction is rejected before the novelty check ("too-short", "too-long",
/// "blacklist", "starts-with-punctuation", "program", "lang"), or empty.
std::string instructionProblem(const std::string& instruction, std::size_t min_words, std::size_t max_words);

/// The input and output of a task in a model's reply ("Đầu vào: ...\nĐầu ra: ..."); an input of
/// "Không có" is empty.
SeedTask parseInstance(const std::string& instruction, const std::string& reply);

struct SelfInstructOptions {
    std::string seed_path;
    std::string output_path;
    std::string eliminated_path;       ///< default OUT.eliminated.jsonl
    std::size_t count = 100;           ///< new instructions wanted
    std::size_t max_requests = 0;      ///< generation requests at most (0: 2 + count / 2)
    std::size_t examples = 8;          ///< example tasks per request
    std::size_t machine_examples = 2;  ///< of which machine tasks, once there are enough
    double rouge_threshold = 0.7;      ///< rejected when ROUGE-L with a kept instruction reaches this
    std::size_t min_words = 4;         ///< fewer words: rejected (the original rejects 3 or fewer)
    std::size_t max_words = 150;
    std::string source = "self-instruct";
    std::string licence;
    /// The instruction pool (kept instructions and the generation phase's eliminations). When the
    /// file exists and was made with the same settings and seeds, the generation phase is skipped
    /// and the pool is used; otherwise the pool is generated and written there (the first writer
    /// wins when shards race). Required with a shard: `model.shard` then splits the second phase
    /// (one call per kept instruction) and the side file by item id, so that the shards' outputs
    /// together are the records of the unsharded run over the same pool.
    std::string pool_path;
    ModelStepOptions model;
};

/// The request asking for new tasks after `examples`.
net::ChatRequest taskGenerationRequest(const std::vector<std::string>& examples,
                                       const ModelStepOptions& options);
/// The request asking for the input and output of `instruction`.
net::ChatRequest instanceRequest(const std::string& instruction, const ModelStepOptions& options);

/// Runs the job; returns the summary (requests, candidates, kept, rejected per reason, usage).
nlohmann::ordered_json runSelfInstruct(const SelfInstructOptions& options);

}  // namespace vietllm::databuild
