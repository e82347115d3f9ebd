#include "backend/data/formats.h"

namespace vietllm::data {

namespace {

struct FormatEntry {
    Format format;
    const char* name;
};

constexpr FormatEntry kFormats[] = {
    {Format::Alpaca, "alpaca"},     {Format::Dolly, "dolly"},
    {Format::ShareGpt, "sharegpt"}, {Format::PromptResponse, "prompt-response"},
    {Format::Oasst, "oasst"},       {Format::HhRlhf, "hh-rlhf"},
    {Format::Messages, "messages"}, {Format::Preference, "preference"},
};

}  // namespace

Format parseFormat(std::string_view name) {
    for (const FormatEntry& entry : kFormats) {
        if (name == entry.name) {
            return entry.format;
        }
    }
    return Format::Invalid;
}

const char* formatName(Format format) {
    for (const FormatEntry& entry : kFormats) {
        if (format == entry.format) {
            return entry.name;
        }
    }
    return "invalid";
}

std::string formatNameList() {
    std::string list;
    for (const FormatEntry& entry : kFormats) {
        list += list.empty() ? "" : ", ";
        list += entry.name;
    }
    return list;
}

}  // namespace vietllm::data
