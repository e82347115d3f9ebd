#pragma once
// Optional fields of tokenizer JSON files, read without throwing: a missing field or one of
// another type gives the fallback. (nlohmann's value() trips GCC's -Wnull-dereference.)

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

namespace vietllm::tokenizer {

/// `object[key]`, or a JSON null when `object` has no such member.
const nlohmann::json& fieldOrNull(const nlohmann::json& object, const char* key);
/// `object[key]` when it is a boolean, else `fallback`.
bool boolField(const nlohmann::json& object, const char* key, bool fallback);
/// `object[key]` when it is a string, else `fallback`.
std::string stringField(const nlohmann::json& object, const char* key, const std::string& fallback = {});
/// `object[key]` when it is a non-negative integer, else `fallback`.
std::uint64_t unsignedField(const nlohmann::json& object, const char* key, std::uint64_t fallback);

}  // namespace vietllm::tokenizer
