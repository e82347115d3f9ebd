#pragma once
// Evaluation task files: small JSON documents (resources/eval/tasks/*.json) that name a data file
// under a data root, its format, the prompt template, few-shot settings, the metric and the
// language. Adding a task over a known format needs no code: drop a new file in a tasks folder.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vietllm::eval {

/// The data layouts the loaders read (see docs/evaluation.md for each one's fields).
enum class TaskFormat {
    Invalid = 0,
    GlobalMmlu,     ///< {prompts[{question, option_a..d}], label "A".."D", metadata.sample_id}
    Vmlu,           ///< {id, question, choices ["A. ...", ...], answer "A"}
    Belebele,       ///< {id, passage, question, choices[4], answer_index}
    Xcopa,          ///< {premise, choice1, choice2, question, label}
    Xnli,           ///< {premise, hypothesis, label "entailment"|"neutral"|"contradiction"}
    Squad,          ///< SQuAD v1.1 JSON: data[].paragraphs[].qas[]
    ParallelTsv,    ///< one "source<TAB>target" pair per line (columns chosen by the task)
    ParallelLines,  ///< two line-aligned files (Moses-tokenized ones can be detokenized)
    SeaIfeval,      ///< {id, prompts[{text}], metadata.language, metadata.subcategory, kwargs[]}
    SeaMtBench,     ///< {question_id, prompts[{text} x 2], baselines{model: [answer x 2]}}
    TextJsonl,      ///< one JSON document per line with a text field
    TextLines,      ///< one document per line
};

/// What a task asks of the model, and so how it is scored.
enum class TaskKind {
    Invalid = 0,
    MultipleChoice,        ///< log-likelihood of each choice: acc and acc_norm
    ExtractiveQa,          ///< greedy generation: exact match and F1
    Translation,           ///< greedy generation: chrF++ and BLEU
    InstructionFollowing,  ///< greedy chat generation: IFEval strict/loose accuracy
    Judged,                ///< chat generation graded by a judge model
    BitsPerByte,           ///< rolling log-likelihood of held-out text
};

/// How the choices of a multiple-choice task are scored.
enum class ChoiceStyle {
    Invalid = 0,
    Letters,  ///< the prompt lists "A. ..." options; the continuations are " A", " B", ...
    Text,     ///< the continuations are the choice texts themselves
};

struct TaskSpec {
    std::string name;
    std::string description;
    std::string language;  ///< ISO 639-1 code of the prompts
    TaskFormat format = TaskFormat::Invalid;
    TaskKind kind = TaskKind::Invalid;
    std::string data;                 ///< path relative to the data root
    std::string data_target;          ///< ParallelLines: the target-side file
    bool detokenize = false;          ///< ParallelLines: undo Moses tokenization and HTML escapes
    int source_column = 0;            ///< ParallelTsv
    int target_column = 1;            ///< ParallelTsv
    std::string text_field = "text";  ///< TextJsonl
    std::string prompt;               ///< template with {field} placeholders
    std::string fewshot_separator = "\n\n";
    std::map<std::string, std::map<std::string, std::string>> field_values;  ///< value rewrites per field
    ChoiceStyle choice_style = ChoiceStyle::Letters;
    std::vector<std::string> choices;  ///< fixed choice texts (Xnli)
    std::vector<std::string> labels;   ///< the data's label for each fixed choice (Xnli)
    int fewshot = 0;
    std::uint64_t fewshot_seed = 1234;
    std::string metric;                ///< the headline metric ("acc", "f1", "chrf", ...)
    std::int64_t max_new_tokens = 64;  ///< generation tasks
    std::vector<std::string> stop;     ///< generation tasks: stop strings
    bool chat = false;                 ///< render prompts through the model's chat template
    std::string reference_model;       ///< SeaMtBench: the baseline answers to compare with
    std::int64_t window_tokens = 512;  ///< BitsPerByte: tokens per scored window
    std::string file;                  ///< the task file it came from
};

/// Parses one task document; `file` names it in errors. Throws UserError naming the file and the
/// field that is missing, mistyped or unknown.
TaskSpec parseTaskSpec(const nlohmann::json& document, const std::string& file);

/// Reads every *.json file of `folder`, sorted by task name. Throws UserError for an unreadable
/// folder or file, a malformed task, or two tasks with the same name.
std::vector<TaskSpec> loadTaskFolder(const std::string& folder);

/// The task called `name`; throws UserError listing the known names when there is none.
const TaskSpec& findTask(const std::vector<TaskSpec>& tasks, const std::string& name);

/// "multiple_choice", "extractive_qa", ... (as written in task files).
const char* taskKindName(TaskKind kind);

}  // namespace vietllm::eval
