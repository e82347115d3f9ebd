#include "backend/eval/task_spec.h"

#include "backend/common/errors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

namespace vietllm::eval {
namespace {

struct FormatInfo {
    const char* name;
    TaskFormat format;
    TaskKind kind;
};

constexpr FormatInfo kFormats[] = {
    {"global_mmlu", TaskFormat::GlobalMmlu, TaskKind::MultipleChoice},
    {"vmlu", TaskFormat::Vmlu, TaskKind::MultipleChoice},
    {"belebele", TaskFormat::Belebele, TaskKind::MultipleChoice},
    {"xcopa", TaskFormat::Xcopa, TaskKind::MultipleChoice},
    {"xnli", TaskFormat::Xnli, TaskKind::MultipleChoice},
    {"squad", TaskFormat::Squad, TaskKind::ExtractiveQa},
    {"parallel_tsv", TaskFormat::ParallelTsv, TaskKind::Translation},
    {"parallel_lines", TaskFormat::ParallelLines, TaskKind::Translation},
    {"sea_ifeval", TaskFormat::SeaIfeval, TaskKind::InstructionFollowing},
    {"sea_mt_bench", TaskFormat::SeaMtBench, TaskKind::Judged},
    {"text_jsonl", TaskFormat::TextJsonl, TaskKind::BitsPerByte},
    {"text_lines", TaskFormat::TextLines, TaskKind::BitsPerByte},
};

const std::set<std::string>& knownFields() {
    static const std::set<std::string> fields = {
        "name",          "description",  "language",        "format",
        "data",          "data_target",  "detokenize",      "source_column",
        "target_column", "text_field",   "prompt",          "fewshot_separator",
        "field_values",  "choice_style", "choices",         "labels",
        "fewshot",       "fewshot_seed", "metric",          "max_new_tokens",
        "stop",          "chat",         "reference_model", "window_tokens"};
    return fields;
}

[[noreturn]] void fail(const std::string& file, const std::string& what) {
    throw UserError(file + ": " + what);
}

std::string stringField(const nlohmann::json& document, const char* name, const std::string& file,
                        bool required, const std::string& fallback = {}) {
    if (!document.contains(name)) {
        if (required) {
            fail(file, std::string("missing field '") + name + "'");
        }
        return fallback;
    }
    if (!document.at(name).is_string()) {
        fail(file, std::string("field '") + name + "' must be a string");
    }
    return document.at(name).get<std::string>();
}

std::int64_t intField(const nlohmann::json& document, const char* name, const std::string& file,
                      std::int64_t fallback, std::int64_t minimum) {
    if (!document.contains(name)) {
        return fallback;
    }
    if (!document.at(name).is_number_integer() || document.at(name).get<std::int64_t>() < minimum) {
        fail(file, std::string("field '") + name + "' must be an integer >= " + std::to_string(minimum));
    }
    return document.at(name).get<std::int64_t>();
}

bool boolField(const nlohmann::json& document, const char* name, const std::string& file) {
    if (!document.contains(name)) {
        return false;
    }
    if (!document.at(name).is_boolean()) {
        fail(file, std::string("field '") + name + "' must be true or false");
    }
    return document.at(name).get<bool>();
}

std::vector<std::string> stringList(const nlohmann::json& document, const char* name,
                                    const std::string& file) {
    std::vector<std::string> out;
    if (!document.contains(name)) {
        return out;
    }
    const nlohmann::json& value = document.at(name);
    if (!value.is_array() ||
        !std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); })) {
        fail(file, std::string("field '") + name + "' must be a list of strings");
    }
    for (const auto& entry : value) {
        out.push_back(entry.get<std::string>());
    }
    return out;
}

std::map<std::string, std::map<std::string, std::string>> fieldValues(const nlohmann::json& document,
                                                                      const std::string& file) {
    std::map<std::string, std::map<std::string, std::string>> out;
    if (!document.contains("field_values")) {
        return out;
    }
    const nlohmann::json& value = document.at("field_values");
    if (!value.is_object()) {
        fail(file, "field 'field_values' must map field names to {value: replacement} objects");
    }
    for (const auto& [field, mapping] : value.items()) {
        if (!mapping.is_object()) {
            fail(file, "field 'field_values." + field + "' must be an object of strings");
        }
        for (const auto& [from, to] : mapping.items()) {
            if (!to.is_string()) {
                fail(file, "field 'field_values." + field + "." + from + "' must be a string");
            }
            out[field][from] = to.get<std::string>();
        }
    }
    return out;
}

void checkConsistency(const TaskSpec& spec, const std::string& file) {
    if (spec.format == TaskFormat::Xnli &&
        (spec.choices.empty() || spec.choices.size() != spec.labels.size())) {
        fail(file, "format 'xnli' needs 'choices' and 'labels' lists of the same length");
    }
    if (spec.format == TaskFormat::ParallelLines && spec.data_target.empty()) {
        fail(file, "format 'parallel_lines' needs 'data_target'");
    }
    if (spec.format == TaskFormat::SeaMtBench && spec.reference_model.empty()) {
        fail(file,
             "format 'sea_mt_bench' needs 'reference_model' (the baseline whose answers are the reference)");
    }
    const bool needs_prompt = spec.kind != TaskKind::BitsPerByte;
    if (needs_prompt && spec.prompt.empty()) {
        fail(file, "missing field 'prompt'");
    }
}

}  // namespace

const char* taskKindName(TaskKind kind) {
    switch (kind) {
        case TaskKind::MultipleChoice:
            return "multiple_choice";
        case TaskKind::ExtractiveQa:
            return "extractive_qa";
        case TaskKind::Translation:
            return "translation";
        case TaskKind::InstructionFollowing:
            return "instruction_following";
        case TaskKind::Judged:
            return "judged";
        case TaskKind::BitsPerByte:
            return "bits_per_byte";
        case TaskKind::Invalid:
            break;
    }
    return "invalid";
}

TaskSpec parseTaskSpec(const nlohmann::json& document, const std::string& file) {
    if (!document.is_object()) {
        fail(file, "a task file must hold one JSON object");
    }
    for (const auto& entry : document.items()) {
        if (knownFields().count(entry.key()) == 0) {
            fail(file, "unknown field '" + entry.key() + "'");
        }
    }
    TaskSpec spec;
    spec.file = file;
    spec.name = stringField(document, "name", file, true);
    spec.description = stringField(document, "description", file, false);
    spec.language = stringField(document, "language", file, true);
    const std::string format = stringField(document, "format", file, true);
    const auto* info = std::find_if(std::begin(kFormats), std::end(kFormats),
                                    [&](const FormatInfo& f) { return format == f.name; });
    if (info == std::end(kFormats)) {
        std::string known;
        for (const FormatInfo& f : kFormats) known += std::string(known.empty() ? "" : ", ") + f.name;
        fail(file, "unknown format '" + format + "' (" + known + ")");
    }
    spec.format = info->format;
    spec.kind = info->kind;
    spec.data = stringField(document, "data", file, true);
    spec.data_target = stringField(document, "data_target", file, false);
    spec.detokenize = boolField(document, "detokenize", file);
    spec.source_column = static_cast<int>(intField(document, "source_column", file, 0, 0));
    spec.target_column = static_cast<int>(intField(document, "target_column", file, 1, 0));
    spec.text_field = stringField(document, "text_field", file, false, "text");
    spec.prompt = stringField(document, "prompt", file, false);
    spec.fewshot_separator = stringField(document, "fewshot_separator", file, false, "\n\n");
    spec.field_values = fieldValues(document, file);
    const std::string style = stringField(document, "choice_style", file, false, "letters");
    if (style != "letters" && style != "text") {
        fail(file, "field 'choice_style' must be 'letters' or 'text'");
    }
    spec.choice_style = style == "letters" ? ChoiceStyle::Letters : ChoiceStyle::Text;
    spec.choices = stringList(document, "choices", file);
    spec.labels = stringList(document, "labels", file);
    spec.fewshot = static_cast<int>(intField(document, "fewshot", file, 0, 0));
    spec.fewshot_seed = static_cast<std::uint64_t>(intField(document, "fewshot_seed", file, 1234, 0));
    spec.metric = stringField(document, "metric", file, true);
    spec.max_new_tokens = intField(document, "max_new_tokens", file, 64, 1);
    spec.stop = stringList(document, "stop", file);
    spec.chat = boolField(document, "chat", file);
    spec.reference_model = stringField(document, "reference_model", file, false);
    spec.window_tokens = intField(document, "window_tokens", file, 512, 2);
    checkConsistency(spec, file);
    return spec;
}

std::vector<TaskSpec> loadTaskFolder(const std::string& folder) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
        if (entry.path().extension() == ".json") {
            files.push_back(entry.path());
        }
    }
    if (error) {
        throw UserError(folder + ": cannot read the task folder (" + error.message() + ")");
    }
    std::vector<TaskSpec> tasks;
    for (const auto& path : files) {
        std::ifstream in(path);
        const nlohmann::json document = nlohmann::json::parse(in, nullptr, false);
        if (document.is_discarded()) {
            throw UserError(path.string() + ": not valid JSON");
        }
        tasks.push_back(parseTaskSpec(document, path.string()));
    }
    std::sort(tasks.begin(), tasks.end(),
              [](const TaskSpec& a, const TaskSpec& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < tasks.size(); ++i) {
        if (tasks[i].name == tasks[i - 1].name) {
            throw UserError(tasks[i].file + ": task name '" + tasks[i].name + "' is also used by " +
                            tasks[i - 1].file);
        }
    }
    return tasks;
}

const TaskSpec& findTask(const std::vector<TaskSpec>& tasks, const std::string& name) {
    for (const TaskSpec& task : tasks) {
        if (task.name == name) {
            return task;
        }
    }
    std::string known;
    for (const TaskSpec& task : tasks) {
        known += (known.empty() ? "" : ", ") + task.name;
    }
    throw UserError("unknown task '" + name + "' (known: " + (known.empty() ? "none" : known) + ")");
}

}  // namespace vietllm::eval
