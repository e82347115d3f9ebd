// Writers: every record is first brought to the kind the target format holds (conversations,
// preference pairs or trees; docs/formats.md gives the rules), then written as JSON.

#include "backend/common/errors.h"
#include "backend/data/formats.h"

#include <ostream>

namespace vietllm::data {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The JSON objects a record becomes in a format, or why the format cannot hold it.
struct Converted {
    std::vector<ordered_json> objects;
    std::string reason;
};

// A conversation in the shape of the single-turn formats (alpaca, dolly, prompt-response).
struct SingleTurn {
    std::string system;
    std::vector<std::pair<std::string, std::string>> history;
    std::string user;
    std::string reply;
};

struct SingleTurnKeys {
    const char* instruction;
    const char* input;  ///< nullptr: the format has no input field
    const char* reply;
};

SingleTurnKeys singleTurnKeys(Format format) {
    switch (format) {
        case Format::Alpaca:
            return {"instruction", "input", "output"};
        case Format::Dolly:
            return {"instruction", "context", "response"};
        default:
            return {"prompt", nullptr, "response"};
    }
}

// Metadata keys written back as top-level fields, after the format's own ones. "input" is the
// reserved key of the split instruction/input and is never written as a field of its own.
void appendExtras(ordered_json& out, const json& metadata) {
    if (!metadata.is_object()) {
        return;
    }
    for (const auto& [key, value] : metadata.items()) {
        if (key != "input" && !out.contains(key)) {
            out[key] = value;
        }
    }
}

bool hasSystemMessage(const std::vector<Message>& messages) {
    for (const Message& message : messages) {
        if (message.role == Role::System) {
            return true;
        }
    }
    return false;
}

// Checks that `messages` is [system] (user, assistant)+ and splits it; returns why not otherwise.
std::string splitSingleTurn(const std::vector<Message>& messages, Format format, SingleTurn& out) {
    std::size_t first = 0;
    if (!messages.empty() && messages.front().role == Role::System) {
        out.system = messages.front().content;
        first = 1;
    }
    if (messages.size() == first) {
        return "it has no user turn";
    }
    for (std::size_t i = first; i < messages.size(); ++i) {
        const Role expected = (i - first) % 2 == 0 ? Role::User : Role::Assistant;
        if (messages[i].role != expected) {
            return "message " + std::to_string(i) + " has role " + roleName(messages[i].role) + " where " +
                   formatName(format) + " needs alternating user and assistant turns";
        }
    }
    if (messages.back().role != Role::Assistant) {
        return std::string("it ends with a user turn and ") + formatName(format) + " needs a reply to end on";
    }
    for (std::size_t i = first; i + 3 < messages.size(); i += 2) {
        out.history.emplace_back(messages[i].content, messages[i + 1].content);
    }
    out.user = messages[messages.size() - 2].content;
    out.reply = messages.back().content;
    return std::string();
}

ordered_json singleTurnJson(Format format, const Conversation& conversation, const SingleTurn& turn) {
    const SingleTurnKeys keys = singleTurnKeys(format);
    std::string instruction = turn.user;
    std::string input;
    const auto kept_input = conversation.metadata.find("input");
    if (keys.input != nullptr && kept_input != conversation.metadata.end() && kept_input->is_string()) {
        const std::string suffix = "\n\n" + kept_input->get<std::string>();
        if (instruction.size() > suffix.size() &&
            instruction.compare(instruction.size() - suffix.size(), suffix.size(), suffix) == 0) {
            input = kept_input->get<std::string>();
            instruction.resize(instruction.size() - suffix.size());
        }
    }
    ordered_json out;
    out[keys.instruction] = instruction;
    if (keys.input != nullptr) {
        out[keys.input] = input;
    }
    out[keys.reply] = turn.reply;
    if (!turn.system.empty()) {
        out["system"] = turn.system;
    }
    if (!turn.history.empty()) {
        out["history"] = turn.history;
    }
    appendExtras(out, conversation.metadata);
    return out;
}

ordered_json shareGptJson(const Conversation& conversation) {
    ordered_json turns = ordered_json::array();
    std::string system;
    for (std::size_t i = 0; i < conversation.messages.size(); ++i) {
        const Message& message = conversation.messages[i];
        if (i == 0 && message.role == Role::System) {
            system = message.content;
            continue;
        }
        ordered_json turn;
        turn["from"] = message.role == Role::User        ? "human"
                       : message.role == Role::Assistant ? "gpt"
                                                         : "system";
        turn["value"] = message.content;
        turns.push_back(std::move(turn));
    }
    ordered_json out;
    out["conversations"] = std::move(turns);
    if (!system.empty()) {
        out["system"] = system;
    }
    appendExtras(out, conversation.metadata);
    return out;
}

std::string transcript(const std::vector<Message>& prompt, const std::string& reply) {
    std::string text;
    for (const Message& message : prompt) {
        text += message.role == Role::User ? "\n\nHuman: " : "\n\nAssistant: ";
        text += message.content;
    }
    return text + "\n\nAssistant: " + reply;
}

ordered_json hhRlhfJson(const PreferencePair& pair) {
    ordered_json out;
    out["chosen"] = transcript(pair.prompt, pair.chosen);
    out["rejected"] = transcript(pair.prompt, pair.rejected);
    if (pair.chosen_rating) {
        out["chosen_rating"] = *pair.chosen_rating;
    }
    if (pair.rejected_rating) {
        out["rejected_rating"] = *pair.rejected_rating;
    }
    appendExtras(out, pair.metadata);
    return out;
}

// The conversations a record stands for: itself, a pair's chosen conversation, or a tree's paths
// (only those ending with a reply when `answered_only`).
std::vector<Conversation> conversationsOf(const Record& record, bool answered_only) {
    if (const auto* tree = std::get_if<ConversationTree>(&record)) {
        return answered_only ? answeredConversationsFromTree(*tree) : conversationsFromTree(*tree);
    }
    if (const auto* pair = std::get_if<PreferencePair>(&record)) {
        return {chosenConversation(*pair)};
    }
    return {std::get<Conversation>(record)};
}

Converted toConversationFormat(Format format, const Record& record) {
    const bool single_turn =
        format == Format::Alpaca || format == Format::Dolly || format == Format::PromptResponse;
    Converted converted;
    for (const Conversation& conversation : conversationsOf(record, single_turn)) {
        if (format == Format::Messages) {
            converted.objects.push_back(toJson(conversation));
        } else if (format == Format::ShareGpt) {
            converted.objects.push_back(shareGptJson(conversation));
        } else {
            SingleTurn turn;
            converted.reason = splitSingleTurn(conversation.messages, format, turn);
            if (!converted.reason.empty()) {
                converted.objects.clear();
                return converted;
            }
            converted.objects.push_back(singleTurnJson(format, conversation, turn));
        }
    }
    return converted;
}

Converted toPreferenceFormat(Format format, const Record& record) {
    Converted converted;
    std::vector<PreferencePair> pairs;
    if (const auto* tree = std::get_if<ConversationTree>(&record)) {
        pairs = preferencePairsFromTree(*tree);
    } else if (const auto* pair = std::get_if<PreferencePair>(&record)) {
        pairs.push_back(*pair);
    } else {
        converted.reason = "a conversation has no rejected reply to make a preference pair";
        return converted;
    }
    for (const PreferencePair& pair : pairs) {
        if (format == Format::HhRlhf && hasSystemMessage(pair.prompt)) {
            converted.reason = "hh-rlhf transcripts have no system role";
            converted.objects.clear();
            return converted;
        }
        converted.objects.push_back(format == Format::HhRlhf ? hhRlhfJson(pair) : toJson(pair));
    }
    return converted;
}

Converted toOasstFormat(const Record& record) {
    Converted converted;
    if (const auto* tree = std::get_if<ConversationTree>(&record)) {
        converted.objects.push_back(toOasstJson(*tree));
    } else if (const auto* pair = std::get_if<PreferencePair>(&record)) {
        if (pair->prompt.empty() || hasSystemMessage(pair->prompt)) {
            converted.reason = "an Open-Assistant tree needs a prompt without system messages";
        } else {
            converted.objects.push_back(toOasstJson(treeFromPreferencePair(*pair)));
        }
    } else {
        const auto& conversation = std::get<Conversation>(record);
        if (conversation.messages.empty() || hasSystemMessage(conversation.messages)) {
            converted.reason = "an Open-Assistant tree needs messages without system messages";
        } else {
            converted.objects.push_back(toOasstJson(treeFromConversation(conversation)));
        }
    }
    return converted;
}

Converted convertRecord(Format format, const Record& record) {
    switch (format) {
        case Format::Alpaca:
        case Format::Dolly:
        case Format::PromptResponse:
        case Format::ShareGpt:
        case Format::Messages:
            return toConversationFormat(format, record);
        case Format::Preference:
        case Format::HhRlhf:
            return toPreferenceFormat(format, record);
        case Format::Oasst:
            return toOasstFormat(record);
        case Format::Invalid:
            break;
    }
    return Converted{{}, "unknown output format"};
}

class JsonRecordWriter : public RecordWriter {
public:
    JsonRecordWriter(Format format, std::ostream& output, Layout layout)
        : m_format(format), m_output(output), m_layout(layout) {}

    std::size_t write(const Record& record) override {
        const Converted converted = convertRecord(m_format, record);
        for (const ordered_json& object : converted.objects) {
            emit(object);
        }
        return converted.objects.size();
    }

    void finish() override {
        if (m_layout == Layout::JsonArray) {
            m_output << (m_written == 0 ? "[]\n" : "\n]\n");
        }
        m_output.flush();
    }

private:
    void emit(const ordered_json& object) {
        if (m_layout == Layout::JsonArray) {
            m_output << (m_written == 0 ? "[\n" : ",\n");
        }
        m_output << object.dump(-1, ' ', false, json::error_handler_t::replace);
        if (m_layout != Layout::JsonArray) {
            m_output << '\n';
        }
        ++m_written;
    }

    Format m_format;
    std::ostream& m_output;
    Layout m_layout;
    std::size_t m_written = 0;
};

}  // namespace

std::string unsupportedReason(Format format, const Record& record) {
    return convertRecord(format, record).reason;
}

std::unique_ptr<RecordWriter> makeWriter(Format format, std::ostream& output) {
    return makeWriter(format, output, Layout::JsonLines);
}

std::unique_ptr<RecordWriter> makeWriter(Format format, std::ostream& output, Layout layout) {
    if (format == Format::Invalid || layout == Layout::Invalid) {
        throw UserError(std::string("unknown output ") + (format == Format::Invalid ? "format" : "layout") +
                        "; known formats: " + formatNameList());
    }
    return std::make_unique<JsonRecordWriter>(format, output, layout);
}

}  // namespace vietllm::data
