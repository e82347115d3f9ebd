#include "app/cli/engine/gguf_commands.h"

#include "app/cli/options.h"
#include "backend/common/errors.h"
#include "backend/weights/gguf.h"
#include "backend/weights/gguf_export.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace vietllm::cli {
namespace {

// Long arrays (the vocabulary) are summarised in gguf-info: their length and first items.
constexpr std::size_t kShownArrayItems = 8;

nlohmann::json shownValue(const weights::GgufValue& value, bool full) {
    if (value.type != weights::GgufValueType::Array || full || value.value.size() <= kShownArrayItems) {
        return value.value;
    }
    nlohmann::json head = nlohmann::json::array();
    for (std::size_t index = 0; index < kShownArrayItems; ++index) {
        head.push_back(value.value[index]);
    }
    return {{"length", value.value.size()}, {"first", head}};
}

nlohmann::json tensorJson(const weights::GgufTensorInfo& tensor) {
    return {{"name", tensor.name},
            {"type", weights::ggmlTypeName(tensor.type)},
            {"shape", tensor.shape()},
            {"offset", tensor.offset},
            {"bytes", tensor.byte_size}};
}

}  // namespace

int runExportGguf(const Arguments& args) {
    const ParsedOptions options(args, {"model", "out", "type", "progress"}, {});
    const std::string type_name = options.value("type").value_or("f16");
    const weights::GgufExportType type = weights::parseGgufExportType(type_name);
    if (type == weights::GgufExportType::Invalid) {
        throw UserError("option --type: '" + type_name + "' is not f32, f16, q8_0 or q4_0");
    }
    const std::string progress = options.value("progress").value_or("none");
    if (progress != "none" && progress != "json") {
        throw UserError("option --progress: '" + progress + "' is not json or none");
    }
    const auto on_tensor = [&progress](std::size_t done, std::size_t total) {
        if (progress == "json") {
            std::cout << nlohmann::json{{"event", "progress"}, {"done", done}, {"total", total}}.dump()
                      << std::endl;
        }
    };
    const weights::GgufExportReport report =
        weights::exportGguf(options.requiredValue("model"), options.requiredValue("out"), type, on_tensor);
    std::cout << nlohmann::json{{"event", "done"},
                                {"out", options.requiredValue("out")},
                                {"architecture", report.architecture},
                                {"type", type_name},
                                {"tensors", report.tensors},
                                {"tensor_types", report.tensors_by_type},
                                {"vocabulary", report.vocabulary},
                                {"bytes", report.file_bytes}}
                     .dump()
              << '\n';
    return 0;
}

int runGgufInfo(const Arguments& args) {
    const ParsedOptions options(args, {}, {"json", "tensors", "full"});
    if (options.positional().size() != 1) {
        throw UserError("give one GGUF file: vietllm-cli model gguf-info FILE.gguf [--json] [--tensors]");
    }
    const weights::GgufFile file(options.positional()[0]);
    const weights::GgufContents& contents = file.contents();
    if (options.hasFlag("json")) {
        nlohmann::json document;
        document["version"] = contents.version;
        nlohmann::json metadata = nlohmann::json::array();
        for (const std::string& key : contents.metadata_order) {
            const weights::GgufValue& value = contents.metadata.at(key);
            metadata.push_back({{"key", key},
                                {"type", weights::ggufValueTypeName(value.type, value.element_type)},
                                {"value", shownValue(value, options.hasFlag("full"))}});
        }
        document["metadata"] = metadata;
        nlohmann::json tensors = nlohmann::json::array();
        for (const weights::GgufTensorInfo& tensor : contents.tensors) {
            tensors.push_back(tensorJson(tensor));
        }
        document["tensors"] = tensors;
        std::cout << document.dump() << '\n';
        return 0;
    }
    std::cout << "GGUF version " << contents.version << ", " << contents.metadata.size() << " metadata keys, "
              << contents.tensors.size() << " tensors\n";
    for (const std::string& key : contents.metadata_order) {
        const weights::GgufValue& value = contents.metadata.at(key);
        std::cout << "  " << key << " (" << weights::ggufValueTypeName(value.type, value.element_type)
                  << "): " << shownValue(value, false).dump() << '\n';
    }
    if (options.hasFlag("tensors")) {
        for (const weights::GgufTensorInfo& tensor : contents.tensors) {
            std::cout << "  " << tensorJson(tensor).dump() << '\n';
        }
    }
    return 0;
}

}  // namespace vietllm::cli
