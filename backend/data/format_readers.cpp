// Readers: each JSON text of the input (a JSONL line or an array element) becomes one record, or
// one bad line with a reason. docs/formats.md describes every format and the rules used here.

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/data/formats.h"
#include "backend/data/json_units.h"

#include <algorithm>
#include <initializer_list>

namespace vietllm::data {

namespace {

using nlohmann::json;

constexpr std::string_view kHumanMarker = "\n\nHuman:";
constexpr std::string_view kAssistantMarker = "\n\nAssistant:";
constexpr std::string_view kBareHumanMarker = "Human:";

std::string fieldLabel(const std::string& key) {
    return "field \"" + key + "\"";
}

// A text field of a single-turn format. Some translated data sets wrap fields in a list, so a
// list of one string is accepted; null, empty and other shapes are errors.
std::string requiredText(const json& object, const char* key) {
    const auto found = object.find(key);
    if (found == object.end()) {
        throw UserError("missing " + fieldLabel(key));
    }
    const json* value = &*found;
    if (value->is_array()) {
        if (value->size() != 1 || !value->front().is_string()) {
            throw UserError(fieldLabel(key) + " is a list of " + std::to_string(value->size()) +
                            " items; only a string or a list of one string is accepted");
        }
        value = &value->front();
    }
    if (value->is_null()) {
        throw UserError(fieldLabel(key) + " is empty (null)");
    }
    if (!value->is_string()) {
        throw UserError(fieldLabel(key) + " must be a string, not " + value->type_name());
    }
    const std::string& text = value->get_ref<const std::string&>();
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw UserError(fieldLabel(key) + " is empty");
    }
    return text;
}

// An optional text field (Alpaca's input, Dolly's context): absent, null and "" all mean none.
std::string optionalText(const json& object, const char* key) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null() ||
        (found->is_string() && found->get_ref<const std::string&>().empty())) {
        return std::string();
    }
    return requiredText(object, key);
}

// Source fields that are not the format's own, kept so that writing back loses nothing.
json extraFields(const json& object, std::initializer_list<const char*> own_keys) {
    json metadata = json::object();
    for (const auto& [key, value] : object.items()) {
        const bool own = std::any_of(own_keys.begin(), own_keys.end(),
                                     [&](const char* own_key) { return key == own_key; });
        if (!own) {
            metadata[key] = value;
        }
    }
    return metadata;
}

void requireObject(const json& value) {
    if (!value.is_object()) {
        throw UserError(std::string("a record must be a JSON object, not ") + value.type_name());
    }
}

// An optional top-level "system" string (LLaMA-Factory) becomes the first message.
void appendSystem(const json& object, std::vector<Message>& messages) {
    if (const auto system = object.find("system"); system != object.end() && !system->is_null()) {
        if (!system->is_string()) {
            throw UserError(fieldLabel("system") + " must be a string");
        }
        if (!system->get_ref<const std::string&>().empty()) {
            messages.push_back({Role::System, system->get<std::string>()});
        }
    }
}

// LLaMA-Factory's optional "system" string and "history" list of [user, assistant] pairs.
void appendSystemAndHistory(const json& object, std::vector<Message>& messages) {
    appendSystem(object, messages);
    const auto history = object.find("history");
    if (history == object.end() || history->is_null()) {
        return;
    }
    if (!history->is_array()) {
        throw UserError(fieldLabel("history") + " must be a list of [user, assistant] pairs");
    }
    for (std::size_t i = 0; i < history->size(); ++i) {
        const json& turn = (*history)[i];
        if (!turn.is_array() || turn.size() != 2 || !turn[0].is_string() || !turn[1].is_string()) {
            throw UserError(fieldLabel("history[" + std::to_string(i) + "]") +
                            " must be a [user, assistant] pair of strings");
        }
        messages.push_back({Role::User, turn[0].get<std::string>()});
        messages.push_back({Role::Assistant, turn[1].get<std::string>()});
    }
}

// The shared shape of alpaca, dolly and prompt-response. A non-empty input/context is joined to
// the instruction with a blank line and kept as metadata "input", so that writers can split it again.
Conversation singleTurn(const json& object, const char* instruction_key, const char* input_key,
                        const char* reply_key, std::initializer_list<const char*> own_keys) {
    requireObject(object);
    const std::string instruction = requiredText(object, instruction_key);
    const std::string input = input_key == nullptr ? std::string() : optionalText(object, input_key);
    const std::string reply = requiredText(object, reply_key);
    Conversation conversation;
    appendSystemAndHistory(object, conversation.messages);
    conversation.messages.push_back({Role::User, input.empty() ? instruction : instruction + "\n\n" + input});
    conversation.messages.push_back({Role::Assistant, reply});
    conversation.metadata = extraFields(object, own_keys);
    if (!input.empty()) {
        conversation.metadata["input"] = input;
    }
    return conversation;
}

Conversation readShareGpt(const json& object) {
    requireObject(object);
    const auto turns = object.find("conversations");
    if (turns == object.end()) {
        throw UserError("missing " + fieldLabel("conversations"));
    }
    if (!turns->is_array() || turns->empty()) {
        throw UserError(fieldLabel("conversations") + " must be a non-empty list of {from, value} turns");
    }
    Conversation conversation;
    appendSystem(object, conversation.messages);
    for (std::size_t i = 0; i < turns->size(); ++i) {
        const json& turn = (*turns)[i];
        const std::string field = "conversations[" + std::to_string(i) + "]";
        if (!turn.is_object() || !turn.contains("from") || !turn["from"].is_string()) {
            throw UserError(fieldLabel(field + ".from") + " must be a string");
        }
        if (!turn.contains("value") || !turn["value"].is_string()) {
            throw UserError(fieldLabel(field + ".value") + " must be a string");
        }
        const Role role = parseRole(turn["from"].get_ref<const std::string&>());
        if (role == Role::Invalid) {
            throw UserError(fieldLabel(field + ".from") + ": unknown speaker \"" +
                            turn["from"].get<std::string>() + "\"");
        }
        conversation.messages.push_back({role, turn["value"].get<std::string>()});
    }
    conversation.metadata = extraFields(object, {"conversations", "system"});
    return conversation;
}

// The speaker marker at `pos` of an hh-rlhf transcript: its role and length, or Invalid.
std::pair<Role, std::size_t> markerAt(std::string_view text, std::size_t pos) {
    const std::string_view rest = text.substr(pos);
    if (rest.compare(0, kHumanMarker.size(), kHumanMarker) == 0) {
        return {Role::User, kHumanMarker.size()};
    }
    if (rest.compare(0, kAssistantMarker.size(), kAssistantMarker) == 0) {
        return {Role::Assistant, kAssistantMarker.size()};
    }
    if (pos == 0 && rest.compare(0, kBareHumanMarker.size(), kBareHumanMarker) == 0) {
        return {Role::User, kBareHumanMarker.size()};
    }
    return {Role::Invalid, 0};
}

// The text of a turn without the one space that follows its speaker marker.
std::string turnText(std::string_view text) {
    if (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    return std::string(text);
}

// Splits "\n\nHuman: ...\n\nAssistant: ..." into messages.
std::vector<Message> parseTranscript(std::string_view text, const char* key) {
    std::vector<Message> messages;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto [role, marker_length] = markerAt(text, pos);
        if (role == Role::Invalid) {
            throw UserError(fieldLabel(key) + " must start with \"\\n\\nHuman:\"");
        }
        const std::size_t body = pos + marker_length;
        const std::size_t next = std::min(text.find(kHumanMarker, body), text.find(kAssistantMarker, body));
        messages.push_back(
            {role, turnText(text.substr(body, next == std::string_view::npos ? next : next - body))});
        pos = next;
    }
    return messages;
}

// The prompt is the transcript both sides share, up to the last assistant marker in it; the
// replies are what follows that marker on each side.
PreferencePair readHhRlhf(const json& object) {
    requireObject(object);
    const std::string chosen = requiredText(object, "chosen");
    const std::string rejected = requiredText(object, "rejected");
    const std::size_t shared = static_cast<std::size_t>(
        std::mismatch(chosen.begin(), chosen.end(), rejected.begin(), rejected.end()).first - chosen.begin());
    const std::size_t split = std::string_view(chosen).substr(0, shared).rfind(kAssistantMarker);
    if (split == std::string_view::npos) {
        throw UserError("\"chosen\" and \"rejected\" share no prompt ending with \"\\n\\nAssistant:\"");
    }
    PreferencePair pair;
    pair.prompt = parseTranscript(std::string_view(chosen).substr(0, split), "chosen");
    if (pair.prompt.empty() || pair.prompt.back().role != Role::User) {
        throw UserError("the prompt shared by \"chosen\" and \"rejected\" must end with a Human turn");
    }
    pair.chosen = turnText(std::string_view(chosen).substr(split + kAssistantMarker.size()));
    pair.rejected = turnText(std::string_view(rejected).substr(split + kAssistantMarker.size()));
    pair.metadata = extraFields(object, {"chosen", "rejected"});
    return pair;
}

Record parseRecord(Format format, const json& value) {
    switch (format) {
        case Format::Alpaca:
            return singleTurn(value, "instruction", "input", "output",
                              {"instruction", "input", "output", "system", "history"});
        case Format::Dolly:
            return singleTurn(value, "instruction", "context", "response",
                              {"instruction", "context", "response", "system", "history"});
        case Format::PromptResponse:
            return singleTurn(value, "prompt", nullptr, "response",
                              {"prompt", "response", "system", "history"});
        case Format::ShareGpt:
            return readShareGpt(value);
        case Format::Oasst:
            return treeFromJson(value);
        case Format::HhRlhf:
            return readHhRlhf(value);
        case Format::Messages:
            return conversationFromJson(value);
        case Format::Preference:
            return preferencePairFromJson(value);
        case Format::Invalid:
            break;
    }
    throw UserError("no reader for this format");
}

std::string fileBaseName(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Where the record came from, for provenance: the source's own id when it has one.
std::string originalId(const json& value, const Record& record, const std::string& location) {
    if (const auto* tree = std::get_if<ConversationTree>(&record)) {
        return tree->tree_id;
    }
    const auto id = value.is_object() ? value.find("id") : value.end();
    if (value.is_object() && id != value.end()) {
        if (id->is_string() && !id->get_ref<const std::string&>().empty()) {
            return id->get<std::string>();
        }
        if (id->is_number()) {
            return id->dump();
        }
    }
    return location;
}

void fillProvenance(Record& record, const json& value, const std::string& source,
                    const std::string& location) {
    const std::string id = originalId(value, record, location);
    std::visit(
        [&](auto& item) {
            if (item.provenance.source.empty()) {
                item.provenance.source = source;
            }
            if (item.provenance.original_id.empty()) {
                item.provenance.original_id = id;
            }
        },
        record);
}

// "FILE:LINE" for JSONL, "FILE[INDEX]" for an element of a JSON array (one-line arrays are common).
std::string unitLocation(const std::string& base_name, const JsonUnit& unit) {
    if (unit.array_index) {
        return base_name + "[" + std::to_string(*unit.array_index) + "]";
    }
    return base_name + ":" + std::to_string(unit.line_number);
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the id means nothing to users.
std::string jsonErrorText(const std::exception& error) {
    std::string text = error.what();
    if (!text.empty() && text.front() == '[') {
        const std::size_t end = text.find("] ");
        if (end != std::string::npos) {
            text.erase(0, end + 2);
        }
    }
    return text;
}

// Parses one unit; returns the reason it is bad, or an empty string with `value` and `record` filled.
std::string parseUnit(Format format, const JsonUnit& unit, json& value, Record& record) {
    if (const auto invalid = utf8::firstInvalidByte(unit.text)) {
        return "invalid UTF-8 at byte " + std::to_string(*invalid + 1);
    }
    try {
        value = json::parse(unit.text);
    } catch (const json::parse_error& error) {
        return "broken JSON: " + jsonErrorText(error);
    }
    try {
        record = parseRecord(format, value);
    } catch (const UserError& error) {
        return error.what();
    } catch (const json::exception& error) {
        return jsonErrorText(error);
    }
    return std::string();
}

}  // namespace

void readRecordsWithLocations(Format format, std::istream& input, const std::string& file_name,
                              const ReadOptions& options, const RecordLocationSink& sink) {
    if (format == Format::Invalid) {
        throw UserError("unknown input format; known formats: " + formatNameList());
    }
    const std::string base_name = fileBaseName(file_name);
    const std::string source = options.source_name.empty() ? base_name : options.source_name;
    forEachJsonUnit(input, file_name, [&](JsonUnit&& unit) {
        const RecordLocation location{unit.line_number, unit.array_index};
        json value;
        Record record;
        const std::string reason = parseUnit(format, unit, value, record);
        if (reason.empty()) {
            fillProvenance(record, value, source, unitLocation(base_name, unit));
            sink(std::move(record), location);
            return;
        }
        const std::string what = recordReason(location, reason);
        if (!options.skip_bad) {
            throw UserError(locatedMessage(file_name, unit.line_number, what));
        }
        if (options.on_bad_line) {
            options.on_bad_line(BadLine{file_name, unit.line_number, what, std::move(unit.text)});
        }
    });
}

void readLocatedRecords(Format format, std::istream& input, const std::string& file_name,
                        const ReadOptions& options, const LocatedRecordSink& sink) {
    readRecordsWithLocations(format, input, file_name, options,
                             [&](Record&& record, const RecordLocation& location) {
                                 sink(std::move(record), location.line_number);
                             });
}

void readRecords(Format format, std::istream& input, const std::string& file_name, const ReadOptions& options,
                 const std::function<void(Record&&)>& sink) {
    readRecordsWithLocations(
        format, input, file_name, options,
        [&](Record&& record, const RecordLocation& /*location*/) { sink(std::move(record)); });
}

std::string recordReason(const RecordLocation& location, const std::string& what) {
    return location.array_index ? "element " + std::to_string(*location.array_index) + ": " + what : what;
}

}  // namespace vietllm::data
