#include "backend/tokenizer/json_fields.h"

#include <nlohmann/json.hpp>

namespace vietllm::tokenizer {

namespace {

const nlohmann::json* member(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto found = object.find(key);
    return found == object.end() ? nullptr : &*found;
}

}  // namespace

const nlohmann::json& fieldOrNull(const nlohmann::json& object, const char* key) {
    static const nlohmann::json kNull;
    const nlohmann::json* field = member(object, key);
    return field ? *field : kNull;
}

bool boolField(const nlohmann::json& object, const char* key, bool fallback) {
    const nlohmann::json* field = member(object, key);
    const bool* value = field ? field->get_ptr<const bool*>() : nullptr;
    return value ? *value : fallback;
}

std::string stringField(const nlohmann::json& object, const char* key, const std::string& fallback) {
    const nlohmann::json* field = member(object, key);
    const std::string* value = field ? field->get_ptr<const std::string*>() : nullptr;
    return value ? *value : fallback;
}

std::uint64_t unsignedField(const nlohmann::json& object, const char* key, std::uint64_t fallback) {
    const nlohmann::json* field = member(object, key);
    const auto* value = field ? field->get_ptr<const nlohmann::json::number_unsigned_t*>() : nullptr;
    return value ? *value : fallback;
}

}  // namespace vietllm::tokenizer
