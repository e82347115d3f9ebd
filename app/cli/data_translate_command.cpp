// `vietllm-cli data translate IN OUT --endpoint URL --model NAME [options]`: the option parsing,
// progress lines and summary around databuild::runTranslate().

#include "app/cli/data_translate_command.h"

#include "app/cli/local_engine.h"
#include "app/cli/options.h"
#include "backend/common/errors.h"
#include "backend/databuild/translate.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <limits>

namespace vietllm::cli {

namespace {

constexpr const char* kTranslateUsage =
    "usage: vietllm-cli data translate IN OUT --endpoint URL --model NAME [options]\n"
    "Translates every text field of every record from English to Vietnamese through an\n"
    "OpenAI-compatible chat endpoint. Code, URLs, emails, math, placeholders, tags and Markdown\n"
    "structure are protected; each output is checked (Vietnamese, no English left, placeholders\n"
    "kept once, plausible length, not an answer) and normalized. Records that fail go to\n"
    "OUT.failed.jsonl with their reasons. Run the same command again to continue a stopped run:\n"
    "records in OUT or the failed file are skipped and answered calls come from the cache.\n"
    "\n"
    "  --endpoint URL        base URL (http://host:8000/v1) or the full .../chat/completions URL\n"
    "  --model NAME          the model the endpoint serves\n"
    "  --format F            input format (default messages); OUT is messages, preference or oasst\n"
    "  --concurrency N       requests in flight (default 4)\n"
    "  --cache FILE          response cache (default OUT.cache.sqlite)\n"
    "  --failed FILE         failed records (default OUT.failed.jsonl)\n"
    "  --retry-failed        translate the records of the failed file again\n"
    "  --api-key-env VAR     send the key in environment variable VAR (default: no key)\n"
    "  --max-tokens N        largest max_tokens of a field (default 4096)\n"
    "  --temperature T       sampling temperature (default 0)\n"
    "  --rpm N, --tpm N      requests / tokens per minute limits (default none)\n"
    "  --price-in USD        price per 1M prompt tokens, for the cost summary\n"
    "  --price-out USD       price per 1M completion tokens\n"
    "  --timeout-ms N        per request (default 300000); --max-retries N (default 5)\n"
    "  --stream              ask for streamed (SSE) replies\n"
    "  --tone-style S        hóa (default) or hoà, as in 'text normalize'\n"
    "  --shard I/N           only records I, I+N, I+2N, ... (0-based): N shards together translate\n"
    "                        the whole input; each resumes on its own OUT\n";

double numberOption(const ParsedOptions& options, const std::string& name, double fallback, double low,
                    double high) {
    const std::optional<std::string> value = options.value(name);
    if (!value) {
        return fallback;
    }
    char* end = nullptr;
    const double parsed = std::strtod(value->c_str(), &end);
    if (value->empty() || *end != '\0' || !(parsed >= low && parsed <= high)) {
        throw UserError("--" + name + ": '" + *value + "' is not a number in [" + std::to_string(low) + ", " +
                        std::to_string(high) + "]");
    }
    return parsed;
}

std::int64_t integerOption(const ParsedOptions& options, const std::string& name, std::int64_t fallback,
                           std::int64_t low, std::int64_t high) {
    const double value = numberOption(options, name, static_cast<double>(fallback), static_cast<double>(low),
                                      static_cast<double>(high));
    if (value != static_cast<double>(static_cast<std::int64_t>(value))) {
        throw UserError("--" + name + ": must be a whole number");
    }
    return static_cast<std::int64_t>(value);
}

// With --local-model, `engine` receives the engine server, which must outlive the step.
databuild::TranslateOptions parseTranslateOptions(const ParsedOptions& options,
                                                  std::unique_ptr<LocalEngineServer>& engine) {
    if (options.positional().size() != 2) {
        throw UserError("data translate needs IN and OUT files (see 'vietllm-cli data translate --help')");
    }
    databuild::TranslateOptions job;
    job.input_path = options.positional()[0];
    job.output_path = options.positional()[1];
    const std::string format = options.value("format").value_or("messages");
    job.input_format = data::parseFormat(format);
    if (job.input_format == data::Format::Invalid) {
        throw UserError("--format: unknown format '" + format +
                        "'; known formats: " + data::formatNameList());
    }
    job.failed_path = options.value("failed").value_or(job.output_path + ".failed.jsonl");
    job.retry_failed = options.hasFlag("retry-failed");
    if (const auto shard = options.value("shard")) {
        job.shard = databuild::parseShard(*shard);
    }
    job.max_tokens_cap = integerOption(options, "max-tokens", 4096, 1, 1000000);
    job.temperature = numberOption(options, "temperature", 0, 0, 2);
    job.normalize.tone_style = toneStyleOption(options, job.normalize.tone_style);
    net::ChatClientOptions& client = job.client;
    if (!options.value(kLocalModelOption)) {
        client.endpoint = options.requiredValue("endpoint");
        client.model = options.requiredValue("model");
    }
    client.api_key_env = options.value("api-key-env").value_or("");
    client.concurrency = static_cast<int>(integerOption(options, "concurrency", 4, 1, 256));
    client.max_retries = static_cast<int>(integerOption(options, "max-retries", 5, 0, 100));
    client.timeout_ms = integerOption(options, "timeout-ms", 300000, 1, std::numeric_limits<int>::max());
    client.limits.requests_per_minute = numberOption(options, "rpm", 0, 0, 1e9);
    client.limits.tokens_per_minute = numberOption(options, "tpm", 0, 0, 1e12);
    client.input_usd_per_mtok = numberOption(options, "price-in", 0, 0, 1e6);
    client.output_usd_per_mtok = numberOption(options, "price-out", 0, 0, 1e6);
    client.stream = options.hasFlag("stream");
    client.cache_path = options.value("cache").value_or(job.output_path + ".cache.sqlite");
    engine = startLocalModel(options, job.output_path, client);  // last: every option is checked
    return job;
}

nlohmann::ordered_json summaryJson(const databuild::TranslateProgress& progress) {
    const net::UsageTotals& usage = progress.usage;
    return {{"records_read", progress.records_read},
            {"skipped_done", progress.records_skipped},
            {"translated", progress.records_written},
            {"failed", progress.records_failed},
            {"calls", usage.calls},
            {"cache_hits", usage.cache_hits},
            {"http_requests", usage.http_requests},
            {"retries", usage.retries},
            {"prompt_tokens", usage.prompt_tokens},
            {"completion_tokens", usage.completion_tokens},
            {"cost_usd", usage.cost_usd}};
}

}  // namespace

StepOptionNames translateOptionNames() {
    return {{"endpoint", "model", "format", "concurrency", "cache", "failed", "api-key-env", "max-tokens",
             "temperature", "rpm", "tpm", "price-in", "price-out", "timeout-ms", "max-retries", "tone-style",
             "shard", kLocalModelOption, kLocalModelTimeoutOption},
            {"retry-failed", "stream", "help"}};
}

nlohmann::ordered_json runTranslateJob(const ParsedOptions& options, const StepRunContext& context) {
    std::unique_ptr<LocalEngineServer> engine;
    databuild::TranslateOptions job = parseTranslateOptions(options, engine);
    job.on_progress = [&context](const databuild::TranslateProgress& progress) {
        if (!context.on_progress) {
            return;
        }
        databuild::GenerationProgress step_progress;
        step_progress.stage = "records";
        step_progress.done = progress.records_read;
        step_progress.written = progress.records_written + progress.records_skipped;
        step_progress.eliminated = progress.records_failed;
        step_progress.usage = progress.usage;
        context.on_progress(step_progress);
    };
    return summaryJson(databuild::runTranslate(job));
}

int runDataTranslate(const Arguments& args) {
    const StepOptionNames names = translateOptionNames();
    const ParsedOptions options(args, names.values, names.flags);
    if (options.hasFlag("help")) {
        std::cout << kTranslateUsage << kLocalModelUsage;
        return 0;
    }
    StepRunContext context;
    context.on_progress = [](const databuild::GenerationProgress& progress) {
        std::cerr << "translate: " << progress.done << " read, " << progress.written
                  << " translated or done before, " << progress.eliminated << " failed; "
                  << progress.usage.http_requests << " requests\n";
    };
    std::cerr << runTranslateJob(options, context).dump() << '\n';
    return 0;
}

}  // namespace vietllm::cli
