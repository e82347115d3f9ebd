#pragma once
// Loading a task's items from its data file and building prompts: every TaskFormat has a loader
// that reads the file, checks each item (one UserError naming the task, the file and the line for
// a malformed line, a missing field or an answer outside the choices) and turns it into EvalItems;
// prompts come from the task's template with fixed-seed few-shot examples.

#include "backend/eval/task_spec.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace vietllm::eval {

/// One IFEval constraint: an instruction kind and its arguments.
struct Constraint {
    std::string kind;
    nlohmann::json kwargs;
};

struct EvalItem {
    std::string id;
    std::map<std::string, std::string> fields;  ///< what the prompt template can name
    std::vector<std::string> choices;           ///< multiple choice: the option texts
    int answer = -1;                            ///< multiple choice: index of the right option
    std::vector<std::string> references;        ///< QA answers, translation reference(s)
    std::vector<std::string> turns;             ///< chat tasks: the user turns
    std::vector<std::string> reference_turns;   ///< judged tasks: the reference answer per turn
    std::vector<Constraint> constraints;        ///< instruction following
    std::string text;                           ///< bits per byte: the document
};

/// The data files a task reads, resolved under `data_dir`.
std::vector<std::string> taskDataFiles(const TaskSpec& task, const std::string& data_dir);

/// Loads every item of `task` from under `data_dir`. Throws UserError naming the task, the file and
/// the line (or item id) for anything malformed.
std::vector<EvalItem> loadItems(const TaskSpec& task, const std::string& data_dir);

/// "A", "B", ... for option `index`.
std::string choiceLetter(std::size_t index);

/// The lettered option list "A. first\nB. second..." ({choices} in a prompt template).
std::string choiceListing(const EvalItem& item);

/// The item's prompt from the task template (placeholders {name} filled from the item's fields,
/// plus {choices}: the lettered option list); throws UserError naming an unknown placeholder.
std::string renderPrompt(const TaskSpec& task, const EvalItem& item);

/// The continuation the model should produce for option `index` (" A" or " text").
std::string choiceContinuation(const TaskSpec& task, const EvalItem& item, std::size_t index);

/// The gold continuation of an item (its right option, or its first reference), for few-shot.
std::string goldContinuation(const TaskSpec& task, const EvalItem& item);

/// The full context of item `index`: task.fewshot solved examples drawn from the other items with
/// a generator seeded by task.fewshot_seed and the item index (reproducible), then its prompt.
std::string fewshotContext(const TaskSpec& task, const std::vector<EvalItem>& items, std::size_t index);

/// Undoes Moses tokenization ("word , word" -> "word, word", "&apos;" -> "'"), for references that
/// were stored tokenized (IWSLT).
std::string mosesDetokenize(const std::string& text);

}  // namespace vietllm::eval
