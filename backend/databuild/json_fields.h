#pragma once
// Typed reads of optional fields of a JSON object (side files, pools, signature files), by
// pointer access rather than json::value(), whose inlined conversions trip g++ 12's
// -Wnull-dereference inside nlohmann/json.hpp at -O2.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace vietllm::databuild {

/// The field `key` of `object` (nlohmann::json or ordered_json), or nullptr when absent (or `object` is no
/// object).
template <typename Json>
const Json* jsonField(const Json& object, const char* key) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto found = object.find(key);
    return found == object.end() ? nullptr : &*found;
}

/// The string field `key`, or empty when absent or not a string.
template <typename Json>
std::string jsonString(const Json& object, const char* key) {
    const Json* field = jsonField(object, key);
    const std::string* text = field != nullptr ? field->template get_ptr<const std::string*>() : nullptr;
    return text != nullptr ? *text : std::string();
}

/// The unsigned field `key`, or `fallback` when absent or not an unsigned number.
template <typename Json>
std::uint64_t jsonUnsigned(const Json& object, const char* key, std::uint64_t fallback) {
    const Json* field = jsonField(object, key);
    const auto* number =
        field != nullptr ? field->template get_ptr<const typename Json::number_unsigned_t*>() : nullptr;
    return number != nullptr ? *number : fallback;
}

/// The boolean field `key`, or false when absent or not a boolean.
template <typename Json>
bool jsonBool(const Json& object, const char* key) {
    const Json* field = jsonField(object, key);
    const bool* value = field != nullptr ? field->template get_ptr<const bool*>() : nullptr;
    return value != nullptr && *value;
}

}  // namespace vietllm::databuild
