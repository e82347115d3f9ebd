#pragma once
// The inference engine behind the CLI and the GUI, torch-free on the outside (pimpl): load a
// Hugging Face model directory, run forward passes, and generate with a KV cache, a sampler chain,
// stop tokens and strings, and a streaming callback that can cancel at any token.

#include "backend/sample/sampler.h"
#include "backend/weights/model_config.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::tokenizer {
class Tokenizer;
}

namespace vietllm::model {
class Transformer;
}

namespace vietllm::sample {

enum class ComputeDType { Invalid = 0, Float32, BFloat16, Float16 };

/// The ComputeDType for "fp32", "bf16" or "fp16"; throws UserError naming `option` otherwise.
ComputeDType computeDTypeFromName(const std::string& name, const std::string& option);

/// How decode steps run: Dynamic grows the key mask and cache view by one position per token;
/// Static keeps every shape fixed (the preallocated cache, a mask over all of it, inputs and
/// outputs in persistent buffers), which a CUDA graph can capture. Auto: static on CUDA, dynamic on
/// the CPU. Both give the same logits.
enum class DecodeShapes { Invalid = 0, Auto, Dynamic, Static };

/// The DecodeShapes for "auto", "dynamic" or "static"; throws UserError naming `option` otherwise.
DecodeShapes decodeShapesFromName(const std::string& name, const std::string& option);

struct EngineOptions {
    ComputeDType dtype = ComputeDType::Float32;
    int num_threads = 0;         // intra-op threads; 0 = every hardware thread
    std::string device = "cpu";  // "cpu", "cuda" or "cuda:N" (checked by checkedDevice())
    DecodeShapes decode = DecodeShapes::Auto;
    bool cuda_graphs = true;  // replay static decode steps as CUDA graphs (CUDA builds, CUDA devices)
};

struct GenerationOptions {
    SamplingOptions sampling;
    std::int64_t max_new_tokens = 64;
    std::vector<std::int32_t> stop_token_ids;  // added to the model's end-of-sequence ids
    std::vector<std::string> stop_strings;     // need a tokenizer
    bool ignore_eos = false;
};

enum class StopReason { Invalid = 0, MaxTokens, StopToken, StopString, Cancelled, ContextFull };

/// The stable name of a stop reason ("max_tokens", "stop_token", "stop_string", "cancelled",
/// "context_full"; "invalid" otherwise): one spelling for the CLI's output and the chat store.
const char* stopReasonName(StopReason reason);

/// Token id of the last chunk of a row, which carries text held back until the row ended.
constexpr std::int32_t kNoToken = -1;

/// One streamed step: the row of the batch, the token drawn, and the text that became safe to show
/// (empty without a tokenizer, or while a character or a possible stop string is incomplete).
struct StreamChunk {
    std::size_t row = 0;
    std::int32_t token_id = 0;
    std::string text;
};

/// Called for every generated token (and once with kNoToken when a row ends with held-back text);
/// return false to cancel the whole generation.
using StreamCallback = std::function<bool(const StreamChunk&)>;

struct GenerationResult {
    std::vector<std::int32_t> token_ids;  // generated ids, stop token included
    std::string text;                     // decoded text, stop string excluded
    StopReason stop_reason = StopReason::Invalid;
};

/// What a model folder's generation_config.json sets (the transformers GenerationConfig fields the
/// engine uses); a field the file does not set stays empty.
struct GenerationDefaults {
    std::optional<bool> do_sample;
    std::optional<double> temperature;
    std::optional<double> top_p;
    std::optional<std::int64_t> top_k;
    std::optional<double> repetition_penalty;
    std::optional<std::int64_t> max_new_tokens;
    std::optional<std::int64_t> max_length;   // prompt + new tokens, used without max_new_tokens
    std::vector<std::int32_t> eos_token_ids;  // an int or a list in the file
    std::optional<std::int32_t> pad_token_id;
    std::optional<std::int32_t> bos_token_id;
};

/// Reads MODEL_DIR/generation_config.json, so that a model's own sampling settings become the
/// defaults; all fields empty when the file is absent. Throws UserError naming the file for bad
/// JSON or a field of the wrong type.
GenerationDefaults loadGenerationDefaults(const std::string& model_dir);

/// The generation options `defaults` give for a prompt of `prompt_tokens` tokens, on top of
/// GenerationOptions' own defaults: do_sample false means greedy (temperature 0), max_new_tokens
/// wins over max_length (which counts the prompt too). Callers then overwrite what the user set
/// explicitly. The end-of-sequence ids are not copied: the engine adds them itself.
GenerationOptions applyGenerationDefaults(const GenerationDefaults& defaults, std::size_t prompt_tokens);

class Engine {
public:
    /// Loads config.json, the safetensors weights and, when present, tokenizer.json or
    /// tokenizer.model of `model_dir`. Throws UserError for anything missing or inconsistent.
    Engine(const std::string& model_dir, const EngineOptions& options);
    ~Engine();
    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;

    const weights::ModelConfig& config() const;
    /// The model's tokenizer, or nullptr when the directory has none.
    const tokenizer::Tokenizer* tokenizer() const;
    /// The folder's generation_config.json (empty fields when it has none); its eos_token_id
    /// values stop generate() like config.json's.
    const GenerationDefaults& generationDefaults() const;

    /// Logits of every position of `ids` in one forward pass: [position][vocab].
    std::vector<std::vector<float>> logits(const std::vector<std::int32_t>& ids) const;
    /// Logits of several prompts run as one left-padded batch: [row][position][vocab], real
    /// positions only.
    std::vector<std::vector<std::vector<float>>> batchLogits(
        const std::vector<std::vector<std::int32_t>>& rows) const;
    /// Logits of every position of `ids` computed incrementally: the first `prefill` ids in one pass,
    /// then one id at a time through the KV cache exactly as generate() decodes (static shapes and
    /// CUDA graphs when the options chose them), for checks against logits().
    std::vector<std::vector<float>> cachedLogits(const std::vector<std::int32_t>& ids,
                                                 std::size_t prefill) const;

    /// Generates a continuation of each prompt (one batch, left-padded). Rows that stop early are
    /// kept in the batch but no longer streamed. Throws UserError for an empty prompt, an id outside
    /// the vocabulary, a prompt longer than the context, or stop strings without a tokenizer.
    std::vector<GenerationResult> generate(const std::vector<std::vector<std::int32_t>>& prompts,
                                           const GenerationOptions& options,
                                           const StreamCallback& on_chunk) const;

    /// The libtorch model itself, for engine-internal code that batches its own forward passes
    /// (backend/sample/scoring.cpp); only files that include backend/model/transformer.h can use it.
    const model::Transformer& transformer() const;
    /// The device the model runs on ("cpu", "cuda:0", ...).
    std::string device() const;
    /// Whether decode steps replay a CUDA graph: asked for, a CUDA build and device, static shapes,
    /// and no capture has failed yet (a failure falls back to eager steps with a note on stderr).
    bool usesCudaGraphs() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vietllm::sample
