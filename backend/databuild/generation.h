#pragma once
// What the model-driven data steps (harvest's reverse instructions, self-instruct,
// evol-instruct) share: the client settings, progress reports, cancellation, the hash shard of
// the items, the side file of eliminated items and the summary of the endpoint's usage. Each step
// is deterministic for a given seed: a re-run after a kill sends the same requests, which the
// response cache answers, and writes OUT (atomically) only when it is complete.

#include "backend/databuild/batch_pipeline.h"
#include "backend/net/chat_client.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vietllm::databuild {

/// Where a model step is.
struct GenerationProgress {
    std::string stage;           ///< "reverse", "instructions", "instances", "round 2"...
    std::size_t done = 0;        ///< items of the stage finished
    std::size_t total = 0;       ///< items of the stage (0 when unknown)
    std::size_t written = 0;     ///< records kept so far
    std::size_t eliminated = 0;  ///< items sent to the side file so far
    net::UsageTotals usage;
};

/// The settings every model step takes.
struct ModelStepOptions {
    net::ChatClientOptions client;  ///< endpoint, model, concurrency, retries, limits, cache, prices
    double temperature = 0.7;
    std::int64_t max_tokens = 1024;  ///< per call
    std::uint64_t seed = 1;          ///< drives every choice (phrasings, examples, operations)
    /// Items (input records, passages) whose stable hash of their key modulo count is index.
    Shard shard;
    std::size_t batch_items = 32;  ///< items sent together between progress reports
    std::function<void(const GenerationProgress&)> on_progress;
    const std::atomic<bool>* cancel = nullptr;  ///< set: stop at the next batch, OUT not written
};

/// True when the item `key` belongs to the shard: hashBytes(key) % count == index. By key, not
/// position, so that an item stays in its shard whatever else the inputs hold.
bool inHashShard(const std::string& key, const Shard& shard);

/// A request of `messages` with the step's max_tokens and temperature: the one place where a model
/// step's generation settings reach its requests (and so the response cache's keys).
net::ChatRequest stepRequest(std::vector<net::ChatMessage> messages, const ModelStepOptions& options);

/// Throws UserError("cancelled") when the step's cancel flag is set.
void throwIfCancelled(const ModelStepOptions& options);

/// Stops the run with one message when the endpoint stayed unavailable (finished calls are in
/// the cache; the same command continues).
void requireAvailable(const net::ChatResult& result, const net::ChatClient& client);

/// A deterministic number from the seed and a text key (stable across runs and platforms).
std::uint64_t seededHash(std::uint64_t seed, const std::string& key);

/// The usage totals as the summaries show them.
nlohmann::ordered_json usageJson(const net::UsageTotals& usage);

/// The words of `text` (whitespace separated).
std::size_t wordCount(const std::string& text);

/// At most `max_bytes` of `text`, cut at a code point boundary (for side-file details).
std::string shortened(const std::string& text, std::size_t max_bytes);

/// `text` without surrounding spaces and line ends.
std::string trimmed(const std::string& text);

/// Calls `on_object(value, line_number)` for every non-blank line of the JSONL file `path` (gzip
/// read directly), in order; a line that is not a JSON object throws UserError naming FILE:LINE.
void forEachJsonObjectLine(
    const std::string& path,
    const std::function<void(const nlohmann::ordered_json& value, std::size_t line)>& on_object);

/// A side-file entry of an eliminated item: {"id","reasons","detail", ...extra}.
nlohmann::ordered_json eliminatedEntry(const std::string& id, const std::vector<std::string>& reasons,
                                       const std::string& detail, nlohmann::ordered_json extra = {});

}  // namespace vietllm::databuild
