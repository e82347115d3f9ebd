// `vietllm-cli data harvest|self-instruct|evol-instruct`: option parsing around
// backend/databuild/{harvest,self_instruct,evol_instruct}; each prints its summary JSON on stderr.

#include "app/cli/data_generate_commands.h"

#include "app/cli/local_engine.h"
#include "app/cli/step_options.h"
#include "backend/common/errors.h"
#include "backend/databuild/evol_instruct.h"
#include "backend/databuild/harvest.h"
#include "backend/databuild/self_instruct.h"

#include <iostream>

namespace vietllm::cli {

namespace {

constexpr const char* kModelUsage =
    "model endpoint (an OpenAI-compatible server: vLLM, llama.cpp, Ollama, 'vietllm-cli serve'...):\n"
    "  --endpoint URL        base URL (http://host:8080/v1) or the full .../chat/completions URL\n"
    "  --model NAME          the model the endpoint serves\n"
    "  --concurrency N       requests in flight (default 4)\n"
    "  --cache FILE          response cache (default OUT.cache.sqlite): a re-run sends nothing already "
    "answered\n"
    "  --api-key-env VAR     send the key in environment variable VAR (default: no key)\n"
    "  --temperature T       sampling temperature (default 0.7)\n"
    "  --max-tokens N        per call (default 1024; harvest 256)\n"
    "  --seed N              drives every choice: phrasings, examples, operations (default 1)\n"
    "  --rpm N, --tpm N      requests / tokens per minute limits (default none)\n"
    "  --price-in USD        price per 1M prompt tokens; --price-out USD per 1M completion tokens\n"
    "  --timeout-ms N        per request (default 300000); --max-retries N (default 5); --stream\n"
    "  --batch-items N       items sent together between progress reports (default 32)\n"
    "  --summary-out FILE    also write the summary JSON printed on stderr to FILE\n";

constexpr const char* kHarvestUsage =
    "usage: vietllm-cli data harvest IN... OUT [options]\n"
    "Instruction data whose answers are human-written, from Vietnamese text: news (a text file whose\n"
    "articles start at their headline: --titles), Wikipedia-style {title,text} JSONL (== headings ==\n"
    "and CRLF cleaned), any JSONL text field (--text-field), or plain text (blocks between blank lines).\n"
    "  title    'Đặt tiêu đề cho bài viết sau' + the article -> its real title\n"
    "  summary  the article without its lead -> the lead (long articles only)\n"
    "  reverse  the model writes the instruction a passage answers; the passage is the answer\n"
    "Articles and passages must pass language identification and the Vietnamese syllable ratio;\n"
    "the others go to OUT.dropped.jsonl with their reasons. Provenance (file, line, title, url,\n"
    "licence) is in each record's metadata.harvest.\n\n"
    "  --tasks LIST                  title,summary,reverse (default: all; reverse needs --endpoint)\n"
    "  --titles FILE                 plain text: a line equal to a line of FILE starts an article\n"
    "  --text-field F                JSONL text field (default text); --title-field (title), --url-field "
    "(url)\n"
    "  --licence ID                  licence kept in provenance (e.g. CC-BY-SA-3.0)\n"
    "  --source NAME                 provenance source (default: the input's file name)\n"
    "  --dropped FILE                side file (default OUT.dropped.jsonl)\n"
    "  --lang CODE                   language of articles and passages (default vi; 'any': no check)\n"
    "  --min-vietnamese-syllable-ratio X   (default 0.5)\n"
    "  --min-passage-chars N         (default 200); --max-passage-chars N (default 1500)\n"
    "  --max-passages-per-article N  reverse instructions per article (default 4; 0: all)\n"
    "  --max-article-chars N         article text shown in title/summary instructions (default 6000)\n"
    "  --min-lead-chars N            (default 80); --min-body-chars N (default 600)\n"
    "  --shard I/N                   only articles whose key hashes to I modulo N\n\n";

constexpr const char* kSelfInstructUsage =
    "usage: vietllm-cli data self-instruct SEEDS.jsonl OUT --endpoint URL --model NAME [options]\n"
    "New Vietnamese instructions from seed tasks (Self-Instruct). Each request shows 8 tasks (6 seeds,\n"
    "2 machine tasks once there are some) and asks for 8 more; every instruction must pass length,\n"
    "a keyword blacklist (hình ảnh, biểu đồ, tệp, bản đồ, image, file...), no leading punctuation,\n"
    "no duplicate, and novelty: ROUGE-L over Vietnamese syllables (diacritics kept) below the\n"
    "threshold against every kept instruction. A second call writes each task's input and output.\n"
    "Rejected candidates go to OUT.eliminated.jsonl with their reasons. Seeds: JSONL with\n"
    "instruction(+instances or input/output), messages or prompt.\n\n"
    "  --count N              new instructions wanted (default 100)\n"
    "  --max-requests N       generation requests at most (default 2 + count/2)\n"
    "  --examples N           tasks shown per request (default 8); --machine-examples N (default 2)\n"
    "  --rouge-threshold X    (default 0.7)\n"
    "  --min-words N          (default 4); --max-words N (default 150)\n"
    "  --eliminated FILE      side file (default OUT.eliminated.jsonl)\n"
    "  --source NAME          provenance source (default self-instruct); --licence ID\n"
    "  --pool FILE            the instruction pool: used when FILE exists (same settings and seeds),\n"
    "                         else generated and written there\n"
    "  --shard I/N            (needs --pool) the pool is made once (the first shard to finish it wins)\n"
    "                         and every shard writes the inputs and outputs of its share of it\n\n";

constexpr const char* kEvolUsage =
    "usage: vietllm-cli data evol-instruct IN... OUT --endpoint URL --model NAME [options]\n"
    "Evolves the first user turn of every record (Evol-Instruct) for several rounds, in depth (add\n"
    "constraints, deepen, concretize, more reasoning, complicate the input) or in breadth, and asks\n"
    "the model to answer each evolved instruction. Evolutions with no information gain, that copy the\n"
    "rewriting prompt's words, whose response apologises (xin lỗi, sorry) in under 80 words or holds\n"
    "only punctuation and stop words go to OUT.eliminated.jsonl with the reason; their parent is\n"
    "evolved again in the next round.\n\n"
    "  --format F             input format (default messages)\n"
    "  --rounds N             (default 3)\n"
    "  --operations LIST      constraints,deepen,concretize,reasoning,complicate-input,breadth (default "
    "all)\n"
    "  --rewrite-max-tokens N max_tokens of the rewriting call (default 512)\n"
    "  --eliminated FILE      side file (default OUT.eliminated.jsonl)\n"
    "  --shard I/N            only records whose id hashes to I modulo N\n\n";

const std::set<std::string> kModelValues = {
    "endpoint",   "model",       "concurrency", "cache",       "api-key-env",     "temperature",
    "max-tokens", "seed",        "rpm",         "tpm",         "price-in",        "price-out",
    "timeout-ms", "max-retries", "batch-items", "summary-out", kLocalModelOption, kLocalModelTimeoutOption};
const std::set<std::string> kModelFlags = {"stream", "help"};

// The endpoint settings shared by the model steps; `output` names the default cache.
// With --local-model, `engine` receives the engine server, which must outlive the step.
databuild::ModelStepOptions modelOptions(const ParsedOptions& options, const std::string& output,
                                         bool required, std::int64_t default_max_tokens,
                                         const StepRunContext& context,
                                         std::unique_ptr<LocalEngineServer>& engine) {
    databuild::ModelStepOptions model;
    net::ChatClientOptions& client = model.client;
    const bool local = required && options.value(kLocalModelOption);
    if (!local && (required || options.value("endpoint"))) {
        client.endpoint = options.requiredValue("endpoint");
        client.model = options.requiredValue("model");
    }
    client.api_key_env = options.value("api-key-env").value_or("");
    client.concurrency = static_cast<int>(countOption(options, "concurrency", 4, 1));
    client.max_retries = static_cast<int>(countOption(options, "max-retries", 5, 0));
    client.timeout_ms = static_cast<std::int64_t>(countOption(options, "timeout-ms", 300000, 1));
    client.limits.requests_per_minute = numberOption(options, "rpm", 0, 0, 1e9);
    client.limits.tokens_per_minute = numberOption(options, "tpm", 0, 0, 1e12);
    client.input_usd_per_mtok = numberOption(options, "price-in", 0, 0, 1e6);
    client.output_usd_per_mtok = numberOption(options, "price-out", 0, 0, 1e6);
    client.stream = options.hasFlag("stream");
    client.cache_path = options.value("cache").value_or(output + ".cache.sqlite");
    model.temperature = numberOption(options, "temperature", 0.7, 0, 2);
    model.max_tokens = static_cast<std::int64_t>(countOption(options, "max-tokens", default_max_tokens, 1));
    model.seed = countOption(options, "seed", 1, 0);
    model.batch_items = countOption(options, "batch-items", model.batch_items, 1);
    if (const auto shard = options.value("shard")) {
        model.shard = databuild::parseShard(*shard);
    }
    model.on_progress = context.on_progress;
    if (local) {
        engine = startLocalModel(options, output, client);  // last: every option is checked
    }
    return model;
}

void requirePositional(const ParsedOptions& options, const std::string& step, std::size_t minimum,
                       bool exact) {
    const std::size_t count = options.positional().size();
    if (count < minimum || (exact && count != minimum)) {
        throw UserError("data " + step + " needs " + (exact ? "SEEDS and OUT" : "IN... and OUT") +
                        " (see 'vietllm-cli data " + step + " --help')");
    }
}

nlohmann::ordered_json runHarvestJob(const ParsedOptions& options, const StepRunContext& context) {
    requirePositional(options, "harvest", 2, false);
    databuild::HarvestOptions job;
    job.input_paths.assign(options.positional().begin(), options.positional().end() - 1);
    job.output_path = options.positional().back();
    job.dropped_path = options.value("dropped").value_or("");
    job.titles_path = options.value("titles").value_or("");
    job.text_field = options.value("text-field").value_or(job.text_field);
    job.title_field = options.value("title-field").value_or(job.title_field);
    job.url_field = options.value("url-field").value_or(job.url_field);
    job.source = options.value("source").value_or("");
    job.licence = options.value("licence").value_or("");
    if (const auto tasks = options.value("tasks")) {
        job.tasks.clear();
        for (const std::string& name : commaList(*tasks)) {
            const databuild::HarvestTask task = databuild::parseHarvestTask(name);
            if (task == databuild::HarvestTask::Invalid) {
                throw UserError("--tasks: unknown task '" + name + "' (known: title, summary, reverse)");
            }
            job.tasks.insert(task);
        }
    } else if (!options.value("endpoint") && !options.value(kLocalModelOption)) {
        job.tasks.erase(databuild::HarvestTask::Reverse);
    }
    const std::string lang = options.value("lang").value_or("vi");
    job.lang = lang == "any" ? "" : lang;
    job.min_vietnamese_syllable_ratio =
        numberOption(options, "min-vietnamese-syllable-ratio", job.min_vietnamese_syllable_ratio, 0, 1);
    job.min_passage_chars = countOption(options, "min-passage-chars", job.min_passage_chars, 1);
    job.max_passage_chars =
        countOption(options, "max-passage-chars", job.max_passage_chars, job.min_passage_chars);
    job.max_passages_per_article =
        countOption(options, "max-passages-per-article", job.max_passages_per_article, 0);
    job.max_article_chars = countOption(options, "max-article-chars", job.max_article_chars, 1);
    job.min_lead_chars = countOption(options, "min-lead-chars", job.min_lead_chars, 1);
    job.min_body_chars = countOption(options, "min-body-chars", job.min_body_chars, 1);
    const bool reverse = job.tasks.count(databuild::HarvestTask::Reverse) > 0;
    std::unique_ptr<LocalEngineServer> engine;
    job.model = modelOptions(options, job.output_path, reverse, 256, context, engine);
    return databuild::runHarvest(job);
}

nlohmann::ordered_json runSelfInstructJob(const ParsedOptions& options, const StepRunContext& context) {
    requirePositional(options, "self-instruct", 2, true);
    databuild::SelfInstructOptions job;
    job.seed_path = options.positional()[0];
    job.output_path = options.positional()[1];
    job.eliminated_path = options.value("eliminated").value_or("");
    job.count = countOption(options, "count", job.count, 1);
    job.max_requests = countOption(options, "max-requests", job.max_requests, 0);
    job.examples = countOption(options, "examples", job.examples, 1);
    job.machine_examples = countOption(options, "machine-examples", job.machine_examples, 0);
    job.rouge_threshold = numberOption(options, "rouge-threshold", job.rouge_threshold, 0.01, 1);
    job.min_words = countOption(options, "min-words", job.min_words, 1);
    job.max_words = countOption(options, "max-words", job.max_words, job.min_words);
    job.source = options.value("source").value_or(job.source);
    job.licence = options.value("licence").value_or("");
    job.pool_path = options.value("pool").value_or("");
    std::unique_ptr<LocalEngineServer> engine;
    job.model = modelOptions(options, job.output_path, true, 1024, context, engine);
    return databuild::runSelfInstruct(job);
}

nlohmann::ordered_json runEvolJob(const ParsedOptions& options, const StepRunContext& context) {
    requirePositional(options, "evol-instruct", 2, false);
    databuild::EvolInstructOptions job;
    job.input_paths.assign(options.positional().begin(), options.positional().end() - 1);
    job.output_path = options.positional().back();
    job.eliminated_path = options.value("eliminated").value_or("");
    job.input_format = formatOption("format", options.value("format").value_or("messages"));
    job.rounds = countOption(options, "rounds", job.rounds, 1);
    if (const auto operations = options.value("operations")) {
        job.operations.clear();
        for (const std::string& name : commaList(*operations)) {
            const databuild::EvolOperation operation = databuild::parseEvolOperation(name);
            if (operation == databuild::EvolOperation::Invalid) {
                throw UserError(
                    "--operations: unknown operation '" + name +
                    "' (known: constraints, deepen, concretize, reasoning, complicate-input, breadth)");
            }
            job.operations.push_back(operation);
        }
    }
    job.rewrite_max_tokens = static_cast<std::int64_t>(countOption(options, "rewrite-max-tokens", 512, 1));
    std::unique_ptr<LocalEngineServer> engine;
    job.model = modelOptions(options, job.output_path, true, 1024, context, engine);
    return databuild::runEvolInstruct(job);
}

const char* usageOf(const std::string& step) {
    if (step == "harvest") return kHarvestUsage;
    if (step == "self-instruct") return kSelfInstructUsage;
    return kEvolUsage;
}

}  // namespace

bool isDataGenerateStep(const std::string& step) {
    return step == "harvest" || step == "self-instruct" || step == "evol-instruct";
}

StepOptionNames dataGenerateOptionNames(const std::string& step) {
    if (step == "harvest") {
        return {withNames({"tasks", "titles", "text-field", "title-field", "url-field", "licence", "source",
                           "dropped", "lang", "min-vietnamese-syllable-ratio", "min-passage-chars",
                           "max-passage-chars", "max-passages-per-article", "max-article-chars",
                           "min-lead-chars", "min-body-chars", "shard"},
                          kModelValues),
                kModelFlags};
    }
    if (step == "self-instruct") {
        return {withNames({"count", "max-requests", "examples", "machine-examples", "rouge-threshold",
                           "min-words", "max-words", "eliminated", "source", "licence", "pool", "shard"},
                          kModelValues),
                kModelFlags};
    }
    return {withNames({"format", "rounds", "operations", "rewrite-max-tokens", "eliminated", "shard"},
                      kModelValues),
            kModelFlags};
}

nlohmann::ordered_json runDataGenerateJob(const std::string& step, const ParsedOptions& options,
                                          const StepRunContext& context) {
    nlohmann::ordered_json summary = step == "harvest"         ? runHarvestJob(options, context)
                                     : step == "self-instruct" ? runSelfInstructJob(options, context)
                                                               : runEvolJob(options, context);
    if (const auto path = options.value("summary-out")) {
        databuild::writeSummaryFile(*path, summary);
    }
    return summary;
}

int runDataGenerateStep(const std::string& step, const Arguments& args) {
    const StepOptionNames names = dataGenerateOptionNames(step);
    const ParsedOptions options(args, names.values, names.flags);
    if (options.hasFlag("help")) {
        std::cout << usageOf(step) << kModelUsage << kLocalModelUsage;
        return 0;
    }
    StepRunContext context;
    context.on_progress = [&step](const databuild::GenerationProgress& progress) {
        std::cerr << step << ": " << progress.stage << " " << progress.done
                  << (progress.total > 0 ? "/" + std::to_string(progress.total) : std::string()) << ", "
                  << progress.written << " kept, " << progress.eliminated << " eliminated; "
                  << progress.usage.http_requests << " requests\n";
    };
    const nlohmann::ordered_json summary = runDataGenerateJob(step, options, context);
    std::cerr << summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return 0;
}

}  // namespace vietllm::cli
