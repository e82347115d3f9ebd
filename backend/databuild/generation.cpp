#include "backend/databuild/generation.h"

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/databuild/hashing.h"

#include <sstream>
#include <utility>

namespace vietllm::databuild {

bool inHashShard(const std::string& key, const Shard& shard) {
    return hashBytes(key) % shard.count == shard.index;
}

net::ChatRequest stepRequest(std::vector<net::ChatMessage> messages, const ModelStepOptions& options) {
    net::ChatRequest request;
    request.messages = std::move(messages);
    request.parameters.max_tokens = options.max_tokens;
    request.parameters.temperature = options.temperature;
    return request;
}

void throwIfCancelled(const ModelStepOptions& options) {
    if (options.cancel != nullptr && options.cancel->load()) {
        throw UserError("cancelled (answered calls are in the cache; the same command continues)");
    }
}

void requireAvailable(const net::ChatResult& result, const net::ChatClient& client) {
    if (result.status == net::ChatStatus::Unavailable) {
        throw UserError("--endpoint " + client.url() + ": " + result.error +
                        " (answered calls are in the cache; run the same command again to continue)");
    }
}

void forEachJsonObjectLine(
    const std::string& path,
    const std::function<void(const nlohmann::ordered_json& value, std::size_t line)>& on_object) {
    const std::unique_ptr<std::istream> input = data::openInputFile(path);
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(*input, line)) {
        ++line_number;
        if (trimmed(line).empty()) {
            continue;
        }
        const nlohmann::ordered_json value = nlohmann::ordered_json::parse(line, nullptr, false);
        if (!value.is_object()) {
            throw UserError(locatedMessage(path, line_number, "not a JSON object"));
        }
        on_object(value, line_number);
    }
}

std::uint64_t seededHash(std::uint64_t seed, const std::string& key) {
    return hashBytes(key, mix64(seed + 0x51ed270b27e1f0a3ULL));
}

nlohmann::ordered_json usageJson(const net::UsageTotals& usage) {
    return {{"calls", usage.calls},
            {"cache_hits", usage.cache_hits},
            {"http_requests", usage.http_requests},
            {"retries", usage.retries},
            {"failures", usage.failures},
            {"prompt_tokens", usage.prompt_tokens},
            {"completion_tokens", usage.completion_tokens},
            {"cost_usd", usage.cost_usd}};
}

std::size_t wordCount(const std::string& text) {
    std::istringstream words(text);
    std::size_t count = 0;
    std::string word;
    while (words >> word) {
        ++count;
    }
    return count;
}

std::string shortened(const std::string& text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return text;
    }
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return text.substr(0, end);
}

std::string trimmed(const std::string& text) {
    const char* spaces = " \t\r\n";
    const std::size_t begin = text.find_first_not_of(spaces);
    if (begin == std::string::npos) {
        return {};
    }
    return text.substr(begin, text.find_last_not_of(spaces) - begin + 1);
}

nlohmann::ordered_json eliminatedEntry(const std::string& id, const std::vector<std::string>& reasons,
                                       const std::string& detail, nlohmann::ordered_json extra) {
    nlohmann::ordered_json entry = {{"id", id}, {"reasons", reasons}, {"detail", detail}};
    if (extra.is_object()) {
        for (auto& [key, value] : extra.items()) {
            entry[key] = std::move(value);
        }
    }
    return entry;
}

}  // namespace vietllm::databuild
