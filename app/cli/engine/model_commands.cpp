// `vietllm-cli model ...` and `vietllm-cli generate`: random-initialised models in Hugging Face
// format, raw logits for checks against other implementations, and text generation.

#include "app/cli/engine/model_commands.h"

#include "app/cli/engine/generation_flags.h"
#include "app/cli/engine/gguf_commands.h"
#include "app/cli/options.h"
#include "backend/common/errors.h"
#include "backend/sample/engine.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/weights/random_model.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <map>

namespace vietllm::cli {
namespace {

// New tokens when neither --max-tokens nor generation_config.json says.
constexpr std::int64_t kGenerateMaxNewTokens = 64;

constexpr const char* kModelUsage =
    "usage: vietllm-cli model SUBCOMMAND [options]\n"
    "\n"
    "  init --arch ARCH --out DIR [--size tiny|0.5b|1b|8b] [--dtype fp32|bf16] [--vocab N] [--seed N]\n"
    "            write a random-initialised model (config.json, safetensors, a byte-level\n"
    "            tokenizer) in Hugging Face format; ARCH: llama, mistral, qwen2, gpt_neox, bloom,\n"
    "            gptj, mpt. 0.5b/1b/8b have the shapes of Qwen2.5-0.5B, Llama-3.2-1B and\n"
    "            Llama-3.1-8B (default dtype bf16 for them, fp32 for tiny)\n"
    "  logits --model DIR --ids 1,2,3 [--prefill N] [--dtype fp32|bf16|fp16] [--threads N]\n"
    "         [--device cpu|cuda|cuda:N] [--decode auto|dynamic|static] [--no-cuda-graphs]\n"
    "            print the logits of the last position as one JSON array; with --prefill N the\n"
    "            first N ids go in one pass and the rest one at a time through the KV cache, as\n"
    "            generation decodes them (for checks against the full forward pass)\n"
    "  export-gguf --model DIR --out FILE.gguf [--type f16|q8_0|q4_0|f32] [--progress json]\n"
    "            write the model and its tokenizer as one GGUF file for llama.cpp (default f16)\n"
    "  gguf-info FILE.gguf [--json] [--tensors] [--full]\n"
    "            print a GGUF file's metadata (and tensors), as our own validating reader sees it\n";

constexpr const char* kGenerateUsage =
    "usage: vietllm-cli generate --model DIR (--prompt TEXT | --ids 1,2,3) [options]\n"
    "Streams the continuation to stdout (token ids as a JSON array when the model has no tokenizer).\n"
    "\n"
    "  --max-tokens N            new tokens at most (default: generation_config.json, else 64)\n"
    "  --temperature T           0 = greedy (default: generation_config.json, else 1.0)\n"
    "  --top-k K --top-p P --min-p P\n"
    "  --repetition-penalty R --frequency-penalty F --presence-penalty P --penalty-last-n N\n"
    "  --seed N                  sampling seed (default 0)\n"
    "  --stop TEXT               stop at this text (not printed)\n"
    "  --stop-id ID              stop at this token id (besides end-of-sequence)\n"
    "  --ignore-eos              do not stop at end-of-sequence\n"
    "  --dtype fp32|bf16|fp16    compute type (default fp32); --threads N (default: all cores)\n"
    "  --device cpu|cuda|cuda:N  where the model runs (default cpu)\n"
    "  --decode auto|dynamic|static  decode-step shapes (default auto: static on CUDA);\n"
    "                            --no-cuda-graphs decodes static steps without CUDA graphs\n"
    "  --json                    print one JSON object (ids, text, stop reason) at the end instead\n"
    "Sampler order: penalties, temperature, top-k, top-p, min-p, draw.\n";

std::vector<std::int32_t> parseIds(const std::string& text) {
    std::vector<std::int32_t> ids;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, comma - start);
        try {
            std::size_t used = 0;
            const long number = std::stol(item, &used);
            if (used != item.size() || number < 0 || number > INT32_MAX) {
                throw std::invalid_argument(item);
            }
            ids.push_back(static_cast<std::int32_t>(number));
        } catch (const std::exception&) {
            throw UserError("option --ids: '" + item + "' is not a token id (expected e.g. 1,2,3)");
        }
        start = comma + 1;
    }
    return ids;
}

int runInit(const Arguments& args) {
    const ParsedOptions options(args, {"arch", "size", "out", "vocab", "seed", "dtype"}, {});
    weights::RandomModelOptions model_options;
    const std::string arch = options.requiredValue("arch");
    model_options.architecture = weights::architectureFromName(arch);
    if (model_options.architecture == weights::Architecture::Invalid) {
        throw UserError("option --arch: unknown architecture '" + arch +
                        "' (llama, mistral, qwen2, gpt_neox, bloom, gptj, mpt)");
    }
    model_options.size = options.value("size").value_or("tiny");
    model_options.dtype = options.value("dtype").value_or(model_options.size == "tiny" ? "fp32" : "bf16");
    model_options.vocab_size = integerFlag(options, "vocab", model_options.vocab_size);
    model_options.seed = static_cast<std::uint64_t>(integerFlag(options, "seed", 1234));
    const std::string out = options.requiredValue("out");
    weights::writeRandomModel(out, model_options);
    std::cout << nlohmann::json{{"model", out},
                                {"arch", arch},
                                {"size", model_options.size},
                                {"dtype", model_options.dtype}}
                     .dump()
              << '\n';
    return 0;
}

int runLogits(const Arguments& args) {
    const ParsedOptions options(args, withEngineValueNames({"model", "ids", "prefill"}), engineFlagNames());
    const sample::Engine engine(options.requiredValue("model"), engineFlags(options));
    const std::vector<std::int32_t> ids = parseIds(options.requiredValue("ids"));
    const std::int64_t prefill = integerFlag(options, "prefill", 0);
    if (options.value("prefill") && (prefill < 1 || prefill > static_cast<std::int64_t>(ids.size()))) {
        throw UserError("option --prefill: must be between 1 and the number of ids (" +
                        std::to_string(ids.size()) + ")");
    }
    const std::vector<std::vector<float>> logits =
        options.value("prefill") ? engine.cachedLogits(ids, static_cast<std::size_t>(prefill))
                                 : engine.logits(ids);
    std::cout << nlohmann::json(logits.back()).dump() << '\n';
    return 0;
}

}  // namespace

int runModelCommand(const Arguments& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kModelUsage;
        return args.empty() ? 2 : 0;
    }
    const std::map<std::string, int (*)(const Arguments&)> subcommands = {
        {"init", runInit}, {"logits", runLogits}, {"export-gguf", runExportGguf}, {"gguf-info", runGgufInfo}};
    const auto found = subcommands.find(args[0]);
    if (found == subcommands.end()) {
        throw UserError("unknown subcommand '" + args[0] + "' (init, logits, export-gguf, gguf-info)");
    }
    return found->second(Arguments(args.begin() + 1, args.end()));
}

int runGenerateCommand(const Arguments& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kGenerateUsage;
        return args.empty() ? 2 : 0;
    }
    std::set<std::string> flags = engineFlagNames();
    flags.insert({"ignore-eos", "json"});
    const ParsedOptions options(
        args,
        withEngineValueNames({"model", "prompt", "ids", "max-tokens", "temperature", "top-k", "top-p",
                              "min-p", "repetition-penalty", "frequency-penalty", "presence-penalty",
                              "penalty-last-n", "seed", "stop", "stop-id"}),
        flags);
    const sample::Engine engine(options.requiredValue("model"), engineFlags(options));
    std::vector<std::int32_t> prompt;
    if (options.value("ids")) {
        prompt = parseIds(*options.value("ids"));
    } else if (engine.tokenizer() != nullptr) {
        prompt = engine.tokenizer()->encode(options.requiredValue("prompt"), true);
    } else {
        throw UserError("the model folder has no tokenizer: give the prompt as --ids 1,2,3");
    }
    // generation_config.json's defaults (sampling, length, extra end ids), then the flags given.
    const sample::GenerationDefaults& defaults = engine.generationDefaults();
    sample::GenerationOptions generation = sample::applyGenerationDefaults(defaults, prompt.size());
    if (!defaults.max_new_tokens && !defaults.max_length) {
        generation.max_new_tokens = kGenerateMaxNewTokens;
    }
    generation = generationFlags(options, generation);
    if (options.value("stop")) {
        generation.stop_strings.push_back(*options.value("stop"));
    }
    if (options.value("stop-id")) {
        const std::vector<std::int32_t> stop_ids = parseIds(*options.value("stop-id"));
        generation.stop_token_ids.insert(generation.stop_token_ids.end(), stop_ids.begin(), stop_ids.end());
    }
    generation.ignore_eos = options.hasFlag("ignore-eos");
    const bool json_output = options.hasFlag("json");
    const bool stream_text = !json_output && engine.tokenizer() != nullptr;
    const sample::StreamCallback print_text = [&](const sample::StreamChunk& chunk) {
        if (stream_text) {
            std::cout << chunk.text << std::flush;
        }
        return true;
    };
    const sample::GenerationResult result = engine.generate({prompt}, generation, print_text).front();
    if (json_output) {
        std::cout << nlohmann::json{{"ids", result.token_ids},
                                    {"text", result.text},
                                    {"stop_reason", sample::stopReasonName(result.stop_reason)}}
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
    } else if (stream_text) {
        std::cout << '\n';
    } else {
        std::cout << nlohmann::json(result.token_ids).dump() << '\n';
    }
    return 0;
}

}  // namespace vietllm::cli
