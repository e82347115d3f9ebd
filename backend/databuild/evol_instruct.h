#pragma once
// `data evol-instruct`: harder and rarer instructions evolved from existing ones, Evol-Instruct
// style, with Vietnamese prompts. Each round rewrites every live instruction with one operation
// drawn by the seed: in depth (add a constraint, deepen, concretize, ask for more reasoning
// steps, complicate the input) or in breadth (a new, rarer prompt of the same domain); the
// model then answers it. An evolution is eliminated, with its reason in the side file, when
//  - it brings no information gain over its parent ("no-information-gain": a heuristic with no
//    extra call: the rewrite adds no syllable the parent lacks, or its ROUGE-L with the parent is
//    at least 0.95),
//  - the rewrite copies words of the evolving prompt ("copies-template": #Given Prompt#,
//    rewritten prompt, đề bài gốc...),
//  - the response shows the instruction became too hard ("response-difficult": it says "xin
//    lỗi" or "sorry" and has fewer than 80 words),
//  - the response is only punctuation and stop words ("response-trivial"),
//  - or a reply is empty or cut by max_tokens.
// An eliminated evolution's parent goes back to the pool and is evolved again next round.

#include "backend/data/formats.h"
#include "backend/databuild/generation.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vietllm::databuild {

enum class EvolOperation {
    Invalid = 0,
    Constraints,
    Deepen,
    Concretize,
    Reasoning,
    ComplicateInput,
    Breadth
};

/// Parses "constraints", "deepen", "concretize", "reasoning", "complicate-input", "breadth".
EvolOperation parseEvolOperation(std::string_view name);
const char* evolOperationName(EvolOperation operation);

/// The request that rewrites `instruction` with `operation`.
net::ChatRequest evolutionRequest(const std::string& instruction, EvolOperation operation,
                                  std::int64_t max_tokens, double temperature);

/// Why an evolved instruction is eliminated before it is answered ("empty", "truncated",
/// "copies-template", "no-information-gain"), or empty.
std::string evolvedInstructionProblem(const std::string& parent, const std::string& evolved,
                                      const std::string& finish_reason);
/// Why the response to an evolved instruction eliminates it ("empty-response",
/// "truncated-response", "response-difficult", "response-trivial"), or empty.
std::string evolvedResponseProblem(const std::string& response, const std::string& finish_reason);

struct EvolInstructOptions {
    std::vector<std::string> input_paths;
    data::Format input_format = data::Format::Messages;  ///< the first user turn is the instruction
    std::string output_path;
    std::string eliminated_path;  ///< default OUT.eliminated.jsonl
    std::size_t rounds = 3;
    std::vector<EvolOperation> operations = {EvolOperation::Constraints,     EvolOperation::Deepen,
                                             EvolOperation::Concretize,      EvolOperation::Reasoning,
                                             EvolOperation::ComplicateInput, EvolOperation::Breadth};
    std::int64_t rewrite_max_tokens = 512;
    ModelStepOptions model;  ///< max_tokens is the response's
};

/// Runs the job; returns the summary (instructions, evolutions kept and eliminated per reason
/// and per round, usage).
nlohmann::ordered_json runEvolInstruct(const EvolInstructOptions& options);

}  // namespace vietllm::databuild
