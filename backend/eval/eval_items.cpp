#include "backend/eval/eval_items.h"

#include "backend/common/errors.h"
#include "backend/eval/ifeval.h"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

namespace vietllm::eval {
namespace {

// Where an item came from, to name it in errors.
struct Place {
    const TaskSpec& task;
    std::string file;
    std::size_t line = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throw UserError("task " + task.name + ": " + locatedMessage(file, line, what));
    }
};

std::string joinPath(const std::string& folder, const std::string& relative) {
    if (folder.empty() || (!relative.empty() && relative.front() == '/')) {
        return relative;
    }
    return folder.back() == '/' ? folder + relative : folder + '/' + relative;
}

std::ifstream openData(const TaskSpec& task, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw UserError("task " + task.name + ": data file " + path +
                        " not found (set --data-dir or VIETLLM_SAMPLE_DATA)");
    }
    return in;
}

const nlohmann::json& member(const Place& place, const nlohmann::json& object, const char* name) {
    if (!object.is_object() || !object.contains(name) || object.at(name).is_null()) {
        place.fail(std::string("missing field '") + name + "'");
    }
    return object.at(name);
}

std::string text(const Place& place, const nlohmann::json& object, const char* name) {
    const nlohmann::json& value = member(place, object, name);
    if (value.is_number_integer()) {
        return std::to_string(value.get<std::int64_t>());
    }
    if (!value.is_string()) {
        place.fail(std::string("field '") + name + "' must be a string");
    }
    return value.get<std::string>();
}

std::int64_t integer(const Place& place, const nlohmann::json& object, const char* name) {
    const nlohmann::json& value = member(place, object, name);
    if (!value.is_number_integer()) {
        place.fail(std::string("field '") + name + "' must be an integer");
    }
    return value.get<std::int64_t>();
}

int letterIndex(const Place& place, const std::string& letter, std::size_t choices) {
    if (letter.size() != 1 || letter[0] < 'A' || static_cast<std::size_t>(letter[0] - 'A') >= choices) {
        place.fail("answer '" + letter + "' is not one of the " + std::to_string(choices) + " choices (A.." +
                   choiceLetter(choices - 1) + ")");
    }
    return letter[0] - 'A';
}

void setLetterFields(EvalItem& item) {
    for (std::size_t i = 0; i < item.choices.size(); ++i) {
        item.fields[choiceLetter(i)] = item.choices[i];
    }
}

// Calls `visit` with each non-empty line of a JSON-lines file, parsed.
template <typename Visit>
void forEachJsonLine(const TaskSpec& task, const std::string& path, Visit visit) {
    std::ifstream in = openData(task, path);
    std::string line;
    Place place{task, path, 0};
    while (std::getline(in, line)) {
        ++place.line;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        const nlohmann::json document = nlohmann::json::parse(line, nullptr, false);
        if (document.is_discarded() || !document.is_object()) {
            place.fail("not a JSON object");
        }
        visit(place, document);
    }
}

EvalItem globalMmlu(const Place& place, const nlohmann::json& document) {
    const nlohmann::json& prompts = member(place, document, "prompts");
    if (!prompts.is_array() || prompts.empty()) {
        place.fail("field 'prompts' must be a non-empty list");
    }
    EvalItem item;
    const nlohmann::json& prompt = prompts.at(0);
    item.fields["question"] = text(place, prompt, "question");
    for (const char* option : {"option_a", "option_b", "option_c", "option_d"}) {
        item.choices.push_back(text(place, prompt, option));
    }
    item.answer = letterIndex(place, text(place, document, "label"), item.choices.size());
    item.id = std::to_string(place.line);
    if (document.contains("metadata") && document.at("metadata").is_object()) {
        const nlohmann::json& metadata = document.at("metadata");
        if (metadata.contains("sample_id")) item.id = text(place, metadata, "sample_id");
        if (metadata.contains("subject")) item.fields["subject"] = text(place, metadata, "subject");
    }
    return item;
}

EvalItem vmlu(const Place& place, const nlohmann::json& document) {
    EvalItem item;
    item.id = text(place, document, "id");
    item.fields["question"] = text(place, document, "question");
    const nlohmann::json& choices = member(place, document, "choices");
    if (!choices.is_array() || choices.size() < 2) {
        place.fail("field 'choices' must list at least two options");
    }
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (!choices[i].is_string()) {
            place.fail("choice " + std::to_string(i + 1) + " is not a string");
        }
        const std::string choice = choices[i].get<std::string>();
        const std::string prefix = choiceLetter(i) + ". ";
        if (choice.compare(0, prefix.size(), prefix) != 0) {
            place.fail("choice " + std::to_string(i + 1) + " does not start with '" + prefix + "'");
        }
        item.choices.push_back(choice.substr(prefix.size()));
    }
    item.answer = letterIndex(place, text(place, document, "answer"), item.choices.size());
    return item;
}

EvalItem belebele(const Place& place, const nlohmann::json& document) {
    EvalItem item;
    item.id = text(place, document, "id");
    item.fields["passage"] = text(place, document, "passage");
    item.fields["question"] = text(place, document, "question");
    const nlohmann::json& choices = member(place, document, "choices");
    if (!choices.is_array() || choices.size() < 2 ||
        !std::all_of(choices.begin(), choices.end(), [](const auto& c) { return c.is_string(); })) {
        place.fail("field 'choices' must list at least two strings");
    }
    for (const auto& choice : choices) item.choices.push_back(choice.get<std::string>());
    const std::int64_t answer = integer(place, document, "answer_index");
    if (answer < 0 || answer >= static_cast<std::int64_t>(item.choices.size())) {
        place.fail("answer_index " + std::to_string(answer) + " is outside the " +
                   std::to_string(item.choices.size()) + " choices");
    }
    item.answer = static_cast<int>(answer);
    return item;
}

EvalItem xcopa(const Place& place, const nlohmann::json& document) {
    EvalItem item;
    item.id = document.contains("idx") ? text(place, document, "idx") : std::to_string(place.line);
    item.fields["premise"] = text(place, document, "premise");
    item.fields["question"] = text(place, document, "question");
    item.choices = {text(place, document, "choice1"), text(place, document, "choice2")};
    const std::int64_t label = integer(place, document, "label");
    if (label != 0 && label != 1) {
        place.fail("label " + std::to_string(label) + " is not 0 or 1");
    }
    item.answer = static_cast<int>(label);
    return item;
}

EvalItem xnli(const Place& place, const nlohmann::json& document) {
    EvalItem item;
    item.id = std::to_string(place.line);
    item.fields["premise"] = text(place, document, "premise");
    item.fields["hypothesis"] = text(place, document, "hypothesis");
    item.choices = place.task.choices;
    const std::string label = text(place, document, "label");
    const auto found = std::find(place.task.labels.begin(), place.task.labels.end(), label);
    if (found == place.task.labels.end()) {
        place.fail("label '" + label + "' is not one of the task's labels");
    }
    item.answer = static_cast<int>(found - place.task.labels.begin());
    return item;
}

EvalItem seaIfeval(const Place& place, const nlohmann::json& document) {
    EvalItem item;
    item.id = text(place, document, "id");
    const nlohmann::json& prompts = member(place, document, "prompts");
    if (!prompts.is_array() || prompts.empty()) {
        place.fail("field 'prompts' must be a non-empty list");
    }
    item.fields["prompt"] = text(place, prompts.at(0), "text");
    item.turns = {item.fields["prompt"]};
    const nlohmann::json& kwargs = member(place, document, "kwargs");
    std::vector<std::string> kinds;
    if (document.contains("instruction_id_list")) {
        for (const auto& kind : document.at("instruction_id_list")) kinds.push_back(kind.get<std::string>());
    } else {
        kinds = {text(place, member(place, document, "metadata"), "subcategory")};
    }
    if (!kwargs.is_array() || kwargs.size() != kinds.size()) {
        place.fail("field 'kwargs' must hold one object per instruction (" + std::to_string(kinds.size()) +
                   ")");
    }
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (!isKnownInstruction(kinds[i])) {
            place.fail("unknown instruction kind '" + kinds[i] + "'");
        }
        item.constraints.push_back({kinds[i], kwargs[i]});
    }
    return item;
}

EvalItem seaMtBench(const Place& place, const nlohmann::json& document) {
    EvalItem item;
    item.id = text(place, document, "question_id");
    const nlohmann::json& prompts = member(place, document, "prompts");
    if (!prompts.is_array() || prompts.empty()) {
        place.fail("field 'prompts' must be a non-empty list");
    }
    for (const auto& prompt : prompts) item.turns.push_back(text(place, prompt, "text"));
    item.fields["prompt"] = item.turns.front();
    const nlohmann::json& baselines = member(place, document, "baselines");
    const nlohmann::json& answers = member(place, baselines, place.task.reference_model.c_str());
    if (!answers.is_array() || answers.size() != item.turns.size()) {
        place.fail("baseline '" + place.task.reference_model + "' must hold one answer per turn");
    }
    for (const auto& answer : answers) {
        if (!answer.is_string()) place.fail("baseline answers must be strings");
        item.reference_turns.push_back(answer.get<std::string>());
    }
    return item;
}

std::vector<EvalItem> loadJsonLines(const TaskSpec& task, const std::string& path) {
    std::vector<EvalItem> items;
    forEachJsonLine(task, path, [&](const Place& place, const nlohmann::json& document) {
        switch (task.format) {
            case TaskFormat::GlobalMmlu:
                items.push_back(globalMmlu(place, document));
                break;
            case TaskFormat::Vmlu:
                items.push_back(vmlu(place, document));
                break;
            case TaskFormat::Belebele:
                items.push_back(belebele(place, document));
                break;
            case TaskFormat::Xcopa:
                items.push_back(xcopa(place, document));
                break;
            case TaskFormat::Xnli:
                items.push_back(xnli(place, document));
                break;
            case TaskFormat::SeaIfeval:
                items.push_back(seaIfeval(place, document));
                break;
            case TaskFormat::SeaMtBench:
                items.push_back(seaMtBench(place, document));
                break;
            case TaskFormat::TextJsonl: {
                EvalItem item;
                item.id = std::to_string(place.line);
                item.text = text(place, document, task.text_field.c_str());
                items.push_back(std::move(item));
                break;
            }
            default:
                place.fail("not a JSON-lines format");
        }
    });
    return items;
}

std::vector<EvalItem> loadSquad(const TaskSpec& task, const std::string& path) {
    std::ifstream in = openData(task, path);
    const nlohmann::json document = nlohmann::json::parse(in, nullptr, false);
    Place place{task, path, 1};
    if (document.is_discarded() || !document.is_object()) {
        place.fail("not a SQuAD JSON document");
    }
    std::vector<EvalItem> items;
    for (const auto& article : member(place, document, "data")) {
        for (const auto& paragraph : member(place, article, "paragraphs")) {
            const std::string context = text(place, paragraph, "context");
            for (const auto& qa : member(place, paragraph, "qas")) {
                EvalItem item;
                item.id = text(place, qa, "id");
                item.fields["context"] = context;
                item.fields["question"] = text(place, qa, "question");
                for (const auto& answer : member(place, qa, "answers")) {
                    item.references.push_back(text(place, answer, "text"));
                }
                if (item.references.empty()) {
                    throw UserError("task " + task.name + ": " + path + ": question " + item.id +
                                    " has no answer");
                }
                items.push_back(std::move(item));
            }
        }
    }
    return items;
}

EvalItem translationItem(std::size_t line, const std::string& source, const std::string& target) {
    EvalItem item;
    item.id = std::to_string(line);
    item.fields["source"] = source;
    item.references = {target};
    return item;
}

std::vector<EvalItem> loadParallelTsv(const TaskSpec& task, const std::string& path) {
    std::ifstream in = openData(task, path);
    std::vector<EvalItem> items;
    std::string line;
    Place place{task, path, 0};
    const auto needed = static_cast<std::size_t>(std::max(task.source_column, task.target_column)) + 1;
    while (std::getline(in, line)) {
        ++place.line;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::vector<std::string> columns;
        std::stringstream stream(line);
        std::string column;
        while (std::getline(stream, column, '\t')) columns.push_back(column);
        if (columns.size() < needed) {
            place.fail("expected at least " + std::to_string(needed) + " tab-separated columns, found " +
                       std::to_string(columns.size()));
        }
        items.push_back(translationItem(place.line, columns[static_cast<std::size_t>(task.source_column)],
                                        columns[static_cast<std::size_t>(task.target_column)]));
    }
    return items;
}

std::vector<std::string> readLines(const TaskSpec& task, const std::string& path) {
    std::ifstream in = openData(task, path);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

std::vector<EvalItem> loadParallelLines(const TaskSpec& task, const std::string& source_path,
                                        const std::string& target_path) {
    const std::vector<std::string> sources = readLines(task, source_path);
    const std::vector<std::string> targets = readLines(task, target_path);
    if (sources.size() != targets.size()) {
        throw UserError("task " + task.name + ": " + source_path + " has " + std::to_string(sources.size()) +
                        " lines but " + target_path + " has " + std::to_string(targets.size()));
    }
    std::vector<EvalItem> items;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        if (sources[i].empty() && targets[i].empty()) continue;
        if (sources[i].empty() || targets[i].empty()) {
            Place{task, sources[i].empty() ? source_path : target_path, i + 1}.fail(
                "empty line in a parallel pair");
        }
        items.push_back(translationItem(i + 1, task.detokenize ? mosesDetokenize(sources[i]) : sources[i],
                                        task.detokenize ? mosesDetokenize(targets[i]) : targets[i]));
    }
    return items;
}

std::vector<EvalItem> loadTextLines(const TaskSpec& task, const std::string& path) {
    std::vector<EvalItem> items;
    std::size_t line_number = 0;
    for (const std::string& line : readLines(task, path)) {
        ++line_number;
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        EvalItem item;
        item.id = std::to_string(line_number);
        item.text = line;
        items.push_back(std::move(item));
    }
    return items;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string fieldValue(const TaskSpec& task, const EvalItem& item, const std::string& name) {
    if (name == "choices") {
        return choiceListing(item);
    }
    const auto found = item.fields.find(name);
    if (found == item.fields.end()) {
        throw UserError(task.file + ": prompt placeholder {" + name +
                        "} is not a field of format items (item " + item.id + ")");
    }
    const auto rewrites = task.field_values.find(name);
    if (rewrites != task.field_values.end()) {
        const auto rewrite = rewrites->second.find(found->second);
        if (rewrite != rewrites->second.end()) {
            return rewrite->second;
        }
    }
    return found->second;
}

}  // namespace

std::string choiceLetter(std::size_t index) {
    return std::string(1, static_cast<char>('A' + index));
}

std::string choiceListing(const EvalItem& item) {
    std::string listing;
    for (std::size_t i = 0; i < item.choices.size(); ++i) {
        listing += (i > 0 ? "\n" : "") + choiceLetter(i) + ". " + item.choices[i];
    }
    return listing;
}

std::vector<std::string> taskDataFiles(const TaskSpec& task, const std::string& data_dir) {
    std::vector<std::string> files = {joinPath(data_dir, task.data)};
    if (!task.data_target.empty()) {
        files.push_back(joinPath(data_dir, task.data_target));
    }
    return files;
}

std::vector<EvalItem> loadItems(const TaskSpec& task, const std::string& data_dir) {
    const std::vector<std::string> files = taskDataFiles(task, data_dir);
    switch (task.format) {
        case TaskFormat::Squad:
            return loadSquad(task, files[0]);
        case TaskFormat::ParallelTsv:
            return loadParallelTsv(task, files[0]);
        case TaskFormat::ParallelLines:
            return loadParallelLines(task, files[0], files[1]);
        case TaskFormat::TextLines:
            return loadTextLines(task, files[0]);
        default:
            return loadJsonLines(task, files[0]);
    }
}

std::string renderPrompt(const TaskSpec& task, const EvalItem& item) {
    EvalItem lettered = item;
    setLetterFields(lettered);
    std::string out;
    std::size_t position = 0;
    while (position < task.prompt.size()) {
        const std::size_t open = task.prompt.find('{', position);
        const std::size_t close = open == std::string::npos ? open : task.prompt.find('}', open);
        if (close == std::string::npos) {
            out += task.prompt.substr(position);
            break;
        }
        out += task.prompt.substr(position, open - position);
        out += fieldValue(task, lettered, task.prompt.substr(open + 1, close - open - 1));
        position = close + 1;
    }
    return out;
}

std::string choiceContinuation(const TaskSpec& task, const EvalItem& item, std::size_t index) {
    return " " + (task.choice_style == ChoiceStyle::Letters ? choiceLetter(index) : item.choices.at(index));
}

std::string goldContinuation(const TaskSpec& task, const EvalItem& item) {
    if (item.answer >= 0) {
        return choiceContinuation(task, item, static_cast<std::size_t>(item.answer));
    }
    return item.references.empty() ? std::string() : " " + item.references.front();
}

std::string fewshotContext(const TaskSpec& task, const std::vector<EvalItem>& items, std::size_t index) {
    std::string context;
    if (task.fewshot > 0 && items.size() > 1) {
        std::vector<std::size_t> others(items.size());
        std::iota(others.begin(), others.end(), 0);
        others.erase(others.begin() + static_cast<std::ptrdiff_t>(index));
        std::mt19937_64 random(task.fewshot_seed + 0x9E3779B97F4A7C15ULL * (index + 1));
        std::shuffle(others.begin(), others.end(), random);
        const std::size_t shots = std::min(others.size(), static_cast<std::size_t>(task.fewshot));
        for (std::size_t shot = 0; shot < shots; ++shot) {
            const EvalItem& example = items[others[shot]];
            context += renderPrompt(task, example) + goldContinuation(task, example) + task.fewshot_separator;
        }
    }
    return context + renderPrompt(task, items[index]);
}

std::string mosesDetokenize(const std::string& text) {
    std::string out = text;
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{{"&apos;", "'"},
                                                                                   {"&quot;", "\""},
                                                                                   {"&lt;", "<"},
                                                                                   {"&gt;", ">"},
                                                                                   {"&#91;", "["},
                                                                                   {"&#93;", "]"},
                                                                                   {"&amp;", "&"}}) {
        out = replaceAll(out, from, to);
    }
    for (const char* mark : {" ,", " .", " !", " ?", " :", " ;", " %", " )", " ]", " }", " 's", " 't", " n't",
                             " 're", " 've", " 'll", " 'm", " 'd"}) {
        out = replaceAll(out, mark, std::string(mark).substr(1));
    }
    for (const char* mark : {"( ", "[ ", "{ ", "$ "}) {
        out = replaceAll(out, mark, std::string(mark).substr(0, 1));
    }
    // Straight double quotes alternate: the opening one loses the space after it, the closing one
    // the space before it.
    std::string joined;
    bool open = false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == '"') {
            if (!open && i + 1 < out.size() && out[i + 1] == ' ') {
                joined += '"';
                ++i;
            } else {
                if (open && !joined.empty() && joined.back() == ' ') joined.pop_back();
                joined += '"';
            }
            open = !open;
        } else {
            joined += out[i];
        }
    }
    return joined;
}

}  // namespace vietllm::eval
