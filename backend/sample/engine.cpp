#include "backend/sample/engine.h"

#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/sample/devices.h"
#include "backend/sample/text_stream.h"
#include "backend/tokenizer/tokenizer.h"

#ifdef VIETLLM_WITH_CUDA
#include "backend/cuda/decode_graph.h"
#endif

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <type_traits>

namespace vietllm::sample {
namespace {

at::ScalarType torchType(ComputeDType dtype) {
    switch (dtype) {
        case ComputeDType::BFloat16:
            return at::kBFloat16;
        case ComputeDType::Float16:
            return at::kHalf;
        default:
            return at::kFloat;
    }
}

// Rows of a [B, T, V] float tensor as nested vectors: positions [first, T) of row `row`.
std::vector<std::vector<float>> rowLogits(const at::Tensor& logits, std::int64_t row, std::int64_t first) {
    const at::Tensor slice =
        logits.select(0, row).narrow(0, first, logits.size(1) - first).contiguous().cpu();
    const std::int64_t vocab = slice.size(1);
    std::vector<std::vector<float>> out;
    const float* data = slice.data_ptr<float>();
    for (std::int64_t position = 0; position < slice.size(0); ++position) {
        out.emplace_back(data + position * vocab, data + (position + 1) * vocab);
    }
    return out;
}

at::Tensor idTensor(const std::vector<std::int32_t>& ids) {
    std::vector<std::int64_t> wide(ids.begin(), ids.end());
    return at::tensor(at::ArrayRef<std::int64_t>(wide), at::TensorOptions().dtype(at::kLong))
        .view({1, static_cast<std::int64_t>(ids.size())});
}

bool hasTokenizerFile(const std::string& model_dir) {
    namespace fs = std::filesystem;
    return fs::exists(fs::path(model_dir) / "tokenizer.json") ||
           fs::exists(fs::path(model_dir) / "tokenizer.model");
}

// Replacement characters a decoder puts for an unfinished byte-fallback run: they may still
// become a character, so they are not streamed until more tokens arrive or the row ends.
std::string withoutTrailingReplacements(std::string text) {
    const std::string replacement = "\xEF\xBF\xBD";
    while (text.size() >= replacement.size() &&
           text.compare(text.size() - replacement.size(), replacement.size(), replacement) == 0) {
        text.resize(text.size() - replacement.size());
    }
    return text;
}

// The text of one generated row. Each step decodes every generated id (so decoders that look at
// neighbours, like Metaspace's first-space rule, see the whole sequence) and streams the part that
// is settled beyond what was already streamed.
class RowText {
public:
    explicit RowText(const std::vector<std::string>& stop_strings) : m_stream(stop_strings) {}

    std::string add(const tokenizer::Tokenizer& tokenizer, std::int32_t token) {
        m_ids.push_back(token);
        return pushSettled(withoutTrailingReplacements(tokenizer.decode(m_ids, true)));
    }

    std::string finish(const tokenizer::Tokenizer& tokenizer) {
        std::string text = m_ids.empty() ? std::string() : pushSettled(tokenizer.decode(m_ids, true));
        return text + m_stream.finish();
    }

    bool stopped() const { return m_stream.stopped(); }

private:
    std::string pushSettled(const std::string& settled) {
        if (settled.size() <= m_pushed.size() || settled.compare(0, m_pushed.size(), m_pushed) != 0) {
            return {};
        }
        std::string text = m_stream.push(settled.substr(m_pushed.size()));
        m_pushed = settled;
        return text;
    }

    TextStream m_stream;
    std::vector<std::int32_t> m_ids;
    std::string m_pushed;
};

// Reads one optional field of generation_config.json as T; a null value counts as absent.
template <typename T>
std::optional<T> optionalField(const nlohmann::json& config, const char* key, const std::string& source) {
    const auto found = config.find(key);
    if (found == config.end() || found->is_null()) {
        return std::nullopt;
    }
    const bool fits = std::is_same_v<T, bool>       ? found->is_boolean()
                      : std::is_floating_point_v<T> ? found->is_number()
                                                    : found->is_number_integer();
    if (!fits) {
        throw UserError(source + ": field '" + key + "' has the wrong type (" + found->type_name() + ")");
    }
    return found->get<T>();
}

std::vector<std::int32_t> eosIds(const nlohmann::json& config, const std::string& source) {
    const auto found = config.find("eos_token_id");
    if (found == config.end() || found->is_null()) {
        return {};
    }
    const nlohmann::json list = found->is_array() ? *found : nlohmann::json::array({*found});
    std::vector<std::int32_t> ids;
    for (const nlohmann::json& id : list) {
        if (!id.is_number_integer()) {
            throw UserError(source + ": field 'eos_token_id' must be a token id or a list of token ids");
        }
        ids.push_back(id.get<std::int32_t>());
    }
    return ids;
}

// Static-shape caches are this many positions long or a multiple of it, so that one buffer set
// (and its captured CUDA graph) serves many prompts of different lengths.
constexpr std::int64_t kStaticCapacityStep = 256;

// The persistent buffers of static decoding for one batch size and cache capacity: kept between
// generate() calls so a captured CUDA graph is replayed again instead of captured anew.
struct DecodeWorkspace {
    DecodeWorkspace(const model::Transformer& model, std::int64_t batch_size, std::int64_t cache_capacity)
        : batch(batch_size),
          capacity(cache_capacity),
          cache(model.config(), batch_size, cache_capacity, model.cacheOptions()) {
        const auto on_device = at::TensorOptions().device(model.device());
        state.ids = at::zeros({batch, 1}, on_device.dtype(at::kLong));
        state.slot = at::zeros({1}, on_device.dtype(at::kLong));
        state.key_mask = at::zeros({batch, capacity}, on_device.dtype(at::kBool));
        state.logits = at::zeros({batch, model.vocabRows()}, on_device.dtype(at::kFloat));
    }

    std::int64_t batch;
    std::int64_t capacity;
    model::KvCache cache;
    model::StaticDecode state;
#ifdef VIETLLM_WITH_CUDA
    std::unique_ptr<cuda::DecodeGraph> graph;
#endif
};

// One sequence batch's decoding: a prefill, then one step per token, either through forward()
// with a growing mask (dynamic) or through the fixed-shape step on a workspace, eagerly or by
// replaying the workspace's CUDA graph.
class DecodeRun {
public:
    /// Dynamic decoding with its own cache of `capacity` positions.
    DecodeRun(const model::Transformer& model, std::int64_t batch, std::int64_t capacity)
        : m_model(model),
          m_own_cache(
              std::make_unique<model::KvCache>(model.config(), batch, capacity, model.cacheOptions())) {}
    /// Static decoding on `workspace`; `graphs` asks for CUDA graph replay.
    DecodeRun(const model::Transformer& model, DecodeWorkspace& workspace, bool graphs)
        : m_model(model), m_workspace(&workspace), m_graphs(graphs) {}

    /// Logits [B, T, V] (float32, model device) of `ids` [B, T] with `mask`, filling the cache.
    at::Tensor prefill(const at::Tensor& ids, const at::Tensor& mask) {
        model::KvCache& cache = m_workspace != nullptr ? m_workspace->cache : *m_own_cache;
        cache.restart();
        m_mask = mask.to(m_model.device());
        const at::Tensor logits = m_model.forward(ids, m_mask, &cache);
        if (m_workspace != nullptr) {
            model::StaticDecode& state = m_workspace->state;
            state.key_mask.zero_();
            state.key_mask.narrow(1, 0, ids.size(1)).copy_(m_mask);
            state.slot.fill_(ids.size(1));
            cache.useSlot(state.slot);
        }
        return logits;
    }

    /// Logits [B, V] after feeding `next` (int64 [B], any device) to every row.
    at::Tensor step(const at::Tensor& next) {
        if (m_workspace == nullptr) {
            m_mask = at::cat({m_mask, at::ones({m_mask.size(0), 1}, m_mask.options())}, 1);
            return m_model.forward(next.view({-1, 1}), m_mask, m_own_cache.get()).select(1, 0);
        }
        model::StaticDecode& state = m_workspace->state;
        state.ids.copy_(next.view({-1, 1}));
        runStaticStep();
        state.slot.add_(1);
        return state.logits;
    }

    /// Whether a CUDA graph capture failed during this run (it then went on eagerly).
    bool graphFailed() const { return m_graph_failed; }

private:
    void runStaticStep() {
#ifdef VIETLLM_WITH_CUDA
        if (m_graphs && !m_graph_failed) {
            if (m_workspace->graph) {
                m_workspace->graph->replay();
                return;
            }
            try {
                // Capturing also computes this step (its warm-up run).
                m_workspace->graph =
                    std::make_unique<cuda::DecodeGraph>(m_model, m_workspace->state, m_workspace->cache);
                return;
            } catch (const std::exception& error) {
                std::cerr << "vietllm: CUDA graph capture failed, decoding eagerly: " << error.what() << '\n';
                m_graph_failed = true;
            }
        }
#endif
        m_model.decodeStep(m_workspace->state, m_workspace->cache);
    }

    const model::Transformer& m_model;
    DecodeWorkspace* m_workspace = nullptr;
    std::unique_ptr<model::KvCache> m_own_cache;
    at::Tensor m_mask;
    bool m_graphs = false;
    bool m_graph_failed = false;
};

// Whether the next ids can come from a greedy argmax on the model's device (only the ids are
// copied back): the sampler then picks the same ids, as no option needs the whole row on the host.
bool deviceGreedy(const SamplingOptions& options) {
    return options.temperature <= 0.0 && options.repetition_penalty == 1.0 &&
           options.frequency_penalty == 0.0 && options.presence_penalty == 0.0;
}

}  // namespace

const char* stopReasonName(StopReason reason) {
    switch (reason) {
        case StopReason::MaxTokens:
            return "max_tokens";
        case StopReason::StopToken:
            return "stop_token";
        case StopReason::StopString:
            return "stop_string";
        case StopReason::Cancelled:
            return "cancelled";
        case StopReason::ContextFull:
            return "context_full";
        case StopReason::Invalid:
            break;
    }
    return "invalid";
}

DecodeShapes decodeShapesFromName(const std::string& name, const std::string& option) {
    if (name == "auto") {
        return DecodeShapes::Auto;
    }
    if (name == "dynamic") {
        return DecodeShapes::Dynamic;
    }
    if (name == "static") {
        return DecodeShapes::Static;
    }
    throw UserError("option --" + option + ": unknown decode mode '" + name + "' (auto, dynamic, static)");
}

GenerationDefaults loadGenerationDefaults(const std::string& model_dir) {
    const std::filesystem::path path = std::filesystem::path(model_dir) / "generation_config.json";
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        return {};
    }
    const std::string source = path.string();
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    const nlohmann::json config = nlohmann::json::parse(content.str(), nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
        throw UserError(source + ": not a valid JSON object");
    }
    GenerationDefaults defaults;
    defaults.do_sample = optionalField<bool>(config, "do_sample", source);
    defaults.temperature = optionalField<double>(config, "temperature", source);
    defaults.top_p = optionalField<double>(config, "top_p", source);
    defaults.top_k = optionalField<std::int64_t>(config, "top_k", source);
    defaults.repetition_penalty = optionalField<double>(config, "repetition_penalty", source);
    defaults.max_new_tokens = optionalField<std::int64_t>(config, "max_new_tokens", source);
    defaults.max_length = optionalField<std::int64_t>(config, "max_length", source);
    defaults.eos_token_ids = eosIds(config, source);
    defaults.pad_token_id = optionalField<std::int32_t>(config, "pad_token_id", source);
    defaults.bos_token_id = optionalField<std::int32_t>(config, "bos_token_id", source);
    return defaults;
}

GenerationOptions applyGenerationDefaults(const GenerationDefaults& defaults, std::size_t prompt_tokens) {
    GenerationOptions options;
    SamplingOptions& sampling = options.sampling;
    sampling.temperature = defaults.temperature.value_or(sampling.temperature);
    if (defaults.do_sample == false) {
        sampling.temperature = 0.0;
    }
    sampling.top_p = defaults.top_p.value_or(sampling.top_p);
    sampling.top_k = defaults.top_k.value_or(sampling.top_k);
    sampling.repetition_penalty = defaults.repetition_penalty.value_or(sampling.repetition_penalty);
    if (defaults.max_new_tokens) {
        options.max_new_tokens = *defaults.max_new_tokens;
    } else if (defaults.max_length) {
        options.max_new_tokens =
            std::max<std::int64_t>(0, *defaults.max_length - static_cast<std::int64_t>(prompt_tokens));
    }
    return options;
}

ComputeDType computeDTypeFromName(const std::string& name, const std::string& option) {
    if (name == "fp32" || name == "float32") {
        return ComputeDType::Float32;
    }
    if (name == "bf16" || name == "bfloat16") {
        return ComputeDType::BFloat16;
    }
    if (name == "fp16" || name == "float16") {
        return ComputeDType::Float16;
    }
    throw UserError("option --" + option + ": unknown dtype '" + name + "' (fp32, bf16, fp16)");
}

class Engine::Impl {
public:
    Impl(const std::string& model_dir, const EngineOptions& options)
        : model(model_dir, torchType(options.dtype)), generation_defaults(loadGenerationDefaults(model_dir)) {
        const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
        at::set_num_threads(options.num_threads > 0 ? options.num_threads : static_cast<int>(hardware));
        model.moveTo(at::Device(checkedDevice(options.device, "--device")));
        const bool cuda = model.device().is_cuda();
        static_decode =
            options.decode == DecodeShapes::Static || (options.decode == DecodeShapes::Auto && cuda);
#ifdef VIETLLM_WITH_CUDA
        cuda_graphs = options.cuda_graphs && cuda && static_decode;
#endif
        if (hasTokenizerFile(model_dir)) {
            tokenizer = tokenizer::loadTokenizer(model_dir);
            if (static_cast<std::int64_t>(tokenizer->vocabSize()) > model.vocabRows()) {
                throw UserError(model_dir + ": the tokenizer has " + std::to_string(tokenizer->vocabSize()) +
                                " tokens but the embedding only " + std::to_string(model.vocabRows()) +
                                " rows");
            }
        }
    }

    void checkIds(const std::vector<std::int32_t>& ids) const {
        if (ids.empty()) {
            throw UserError("the prompt is empty: give at least one token");
        }
        for (const std::int32_t id : ids) {
            if (id < 0 || id >= model.vocabRows()) {
                throw UserError("token id " + std::to_string(id) + " is outside the model's vocabulary (0.." +
                                std::to_string(model.vocabRows() - 1) + ")");
            }
        }
    }

    // Left-pads `rows` with id 0 into [B, T] ids and a [B, T] mask of real tokens.
    std::pair<at::Tensor, at::Tensor> leftPadded(const std::vector<std::vector<std::int32_t>>& rows) const {
        std::size_t longest = 0;
        for (const auto& row : rows) {
            checkIds(row);
            longest = std::max(longest, row.size());
        }
        const auto batch = static_cast<std::int64_t>(rows.size());
        const auto length = static_cast<std::int64_t>(longest);
        at::Tensor ids = at::zeros({batch, length}, at::TensorOptions().dtype(at::kLong));
        at::Tensor mask = at::zeros({batch, length}, at::TensorOptions().dtype(at::kBool));
        for (std::int64_t b = 0; b < batch; ++b) {
            const auto& row = rows[static_cast<std::size_t>(b)];
            const auto pad = length - static_cast<std::int64_t>(row.size());
            ids.select(0, b).narrow(0, pad, length - pad).copy_(idTensor(row).view({-1}));
            mask.select(0, b).narrow(0, pad, length - pad).fill_(true);
        }
        return {ids, mask};
    }

    std::int64_t usableVocab() const {
        return tokenizer ? static_cast<std::int64_t>(tokenizer->vocabSize()) : model.vocabRows();
    }

    // A decoder for `batch` rows and `needed` cache positions: static shapes on the shared
    // workspace when it is free (a concurrent call gets its own buffers), else dynamic.
    DecodeRun decoder(std::int64_t batch, std::int64_t needed, std::unique_lock<std::mutex>& lock,
                      std::unique_ptr<DecodeWorkspace>& own) const {
        if (!static_decode) {
            return DecodeRun(model, batch, needed);
        }
        const std::int64_t bucket =
            (needed + kStaticCapacityStep - 1) / kStaticCapacityStep * kStaticCapacityStep;
        const std::int64_t capacity = std::max(needed, std::min(bucket, model.config().max_positions));
        lock = std::unique_lock<std::mutex>(workspace_mutex, std::try_to_lock);
        std::unique_ptr<DecodeWorkspace>& slot = lock.owns_lock() ? workspace : own;
        if (!slot || slot->batch != batch || slot->capacity != capacity) {
            slot.reset();  // frees the old buffers (and graph) before allocating new ones
            slot = std::make_unique<DecodeWorkspace>(model, batch, capacity);
        }
        return DecodeRun(model, *slot, cuda_graphs && !graphs_failed);
    }

    // Notes a failed capture so later calls go straight to eager steps.
    void noteDecode(const DecodeRun& run) const {
        if (run.graphFailed()) {
            graphs_failed = true;
        }
    }

    model::Transformer model;
    GenerationDefaults generation_defaults;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer;
    bool static_decode = false;
    bool cuda_graphs = false;
    mutable std::atomic<bool> graphs_failed{false};
    mutable std::mutex workspace_mutex;
    mutable std::unique_ptr<DecodeWorkspace> workspace;
};

Engine::Engine(const std::string& model_dir, const EngineOptions& options)
    : m_impl(std::make_unique<Impl>(model_dir, options)) {}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

const weights::ModelConfig& Engine::config() const {
    return m_impl->model.config();
}

const tokenizer::Tokenizer* Engine::tokenizer() const {
    return m_impl->tokenizer.get();
}

const GenerationDefaults& Engine::generationDefaults() const {
    return m_impl->generation_defaults;
}

std::vector<std::vector<float>> Engine::logits(const std::vector<std::int32_t>& ids) const {
    m_impl->checkIds(ids);
    c10::InferenceMode inference;
    const at::Tensor input = idTensor(ids);
    const at::Tensor mask = at::ones_like(input, at::TensorOptions().dtype(at::kBool));
    return rowLogits(m_impl->model.forward(input, mask, nullptr), 0, 0);
}

std::vector<std::vector<std::vector<float>>> Engine::batchLogits(
    const std::vector<std::vector<std::int32_t>>& rows) const {
    c10::InferenceMode inference;
    const auto [ids, mask] = m_impl->leftPadded(rows);
    const at::Tensor all = m_impl->model.forward(ids, mask, nullptr);
    std::vector<std::vector<std::vector<float>>> out;
    for (std::size_t row = 0; row < rows.size(); ++row) {
        out.push_back(rowLogits(all, static_cast<std::int64_t>(row),
                                ids.size(1) - static_cast<std::int64_t>(rows[row].size())));
    }
    return out;
}

std::vector<std::vector<float>> Engine::cachedLogits(const std::vector<std::int32_t>& ids,
                                                     std::size_t prefill) const {
    m_impl->checkIds(ids);
    prefill = std::clamp<std::size_t>(prefill, 1, ids.size());
    c10::InferenceMode inference;
    const at::Tensor input = idTensor(ids);
    const auto prefix = static_cast<std::int64_t>(prefill);
    const at::Tensor prompt = input.narrow(1, 0, prefix);
    std::unique_lock<std::mutex> lock;
    std::unique_ptr<DecodeWorkspace> own;
    DecodeRun run = m_impl->decoder(1, input.size(1), lock, own);
    std::vector<std::vector<float>> out =
        rowLogits(run.prefill(prompt, at::ones_like(prompt, at::TensorOptions().dtype(at::kBool))), 0, 0);
    for (std::int64_t position = prefix; position < input.size(1); ++position) {
        out.push_back(rowLogits(run.step(input.select(1, position)).unsqueeze(1), 0, 0).front());
    }
    m_impl->noteDecode(run);
    return out;
}

std::string Engine::device() const {
    return m_impl->model.device().str();
}

bool Engine::usesCudaGraphs() const {
    return m_impl->cuda_graphs && !m_impl->graphs_failed;
}

std::vector<GenerationResult> Engine::generate(const std::vector<std::vector<std::int32_t>>& prompts,
                                               const GenerationOptions& options,
                                               const StreamCallback& on_chunk) const {
    const model::Transformer& model = m_impl->model;
    const tokenizer::Tokenizer* text_tokenizer = m_impl->tokenizer.get();
    if (prompts.empty()) {
        throw UserError("no prompt to generate from");
    }
    if (!options.stop_strings.empty() && text_tokenizer == nullptr) {
        throw UserError("stop strings need a tokenizer, and the model folder has none");
    }
    if (options.max_new_tokens < 0) {
        throw UserError("option --max-tokens must be >= 0");
    }
    c10::InferenceMode inference;
    const auto [ids, mask] = m_impl->leftPadded(prompts);
    const std::int64_t prompt_length = ids.size(1);
    const std::int64_t context = model.config().max_positions;
    if (prompt_length > context) {
        throw UserError("the prompt has " + std::to_string(prompt_length) +
                        " tokens, longer than the model's context of " + std::to_string(context));
    }
    const std::int64_t steps = std::min(options.max_new_tokens, context - prompt_length);
    std::vector<std::int32_t> stop_ids = options.stop_token_ids;
    if (!options.ignore_eos) {
        for (const std::int64_t eos : model.config().eos_token_ids) {
            stop_ids.push_back(static_cast<std::int32_t>(eos));
        }
        if (text_tokenizer != nullptr && text_tokenizer->eosId()) {
            stop_ids.push_back(*text_tokenizer->eosId());
        }
        const std::vector<std::int32_t>& config_eos = m_impl->generation_defaults.eos_token_ids;
        stop_ids.insert(stop_ids.end(), config_eos.begin(), config_eos.end());
    }

    const std::size_t batch = prompts.size();
    std::vector<GenerationResult> results(batch);
    std::vector<std::vector<std::int32_t>> histories = prompts;
    std::vector<Sampler> samplers(batch, Sampler(options.sampling, m_impl->usableVocab()));
    std::vector<RowText> texts(batch, RowText(options.stop_strings));
    std::vector<bool> active(batch, true);
    std::unique_lock<std::mutex> lock;
    std::unique_ptr<DecodeWorkspace> own;
    DecodeRun run = m_impl->decoder(static_cast<std::int64_t>(batch),
                                    prompt_length + std::max<std::int64_t>(steps, 1), lock, own);
    at::Tensor last = run.prefill(ids, mask).select(1, prompt_length - 1);
    const bool device_greedy = deviceGreedy(options.sampling);
    const std::int64_t usable_vocab = std::min(m_impl->usableVocab(), last.size(1));

    const auto finish_row = [&](std::size_t row, StopReason reason) {
        active[row] = false;
        results[row].stop_reason = reason;
        if (text_tokenizer != nullptr) {
            const std::string rest = texts[row].finish(*text_tokenizer);
            results[row].text += rest;
            if (!rest.empty() && on_chunk) {
                on_chunk(StreamChunk{row, kNoToken, rest});
            }
        }
    };
    for (std::int64_t step = 0; step < steps; ++step) {
        // Greedy argmax stays on the device (B ids come back); other sampling needs the rows.
        at::Tensor device_next;
        at::Tensor host_ids;
        at::Tensor host_logits;
        if (device_greedy) {
            device_next = last.narrow(1, 0, usable_vocab).argmax(1);
            host_ids = device_next.cpu();
        } else {
            host_logits = last.contiguous().cpu();
        }
        std::vector<std::int64_t> next(batch, 0);
        for (std::size_t row = 0; row < batch; ++row) {
            if (!active[row]) {
                continue;
            }
            std::int32_t token = 0;
            if (device_greedy) {
                token = static_cast<std::int32_t>(host_ids.data_ptr<std::int64_t>()[row]);
            } else {
                const float* row_data =
                    host_logits.select(0, static_cast<std::int64_t>(row)).data_ptr<float>();
                std::vector<float> row_logits(row_data, row_data + host_logits.size(1));
                token = samplers[row].next(row_logits, histories[row]);
            }
            next[row] = token;
            histories[row].push_back(token);
            results[row].token_ids.push_back(token);
            const bool is_stop = std::find(stop_ids.begin(), stop_ids.end(), token) != stop_ids.end();
            StreamChunk chunk{row, token, {}};
            if (text_tokenizer != nullptr && !is_stop) {
                chunk.text = texts[row].add(*text_tokenizer, token);
                results[row].text += chunk.text;
            }
            if (on_chunk && !on_chunk(chunk)) {
                for (std::size_t other = 0; other < batch; ++other) {
                    if (active[other]) {
                        finish_row(other, StopReason::Cancelled);
                    }
                }
                m_impl->noteDecode(run);
                return results;
            }
            if (is_stop) {
                finish_row(row, StopReason::StopToken);
            } else if (texts[row].stopped()) {
                finish_row(row, StopReason::StopString);
            }
        }
        if (std::none_of(active.begin(), active.end(), [](bool a) { return a; }) || step + 1 == steps) {
            break;
        }
        // Finished rows feed whatever comes: their outputs are no longer read.
        last = run.step(device_greedy ? device_next
                                      : at::tensor(at::ArrayRef<std::int64_t>(next), ids.options()));
    }
    m_impl->noteDecode(run);
    for (std::size_t row = 0; row < batch; ++row) {
        if (active[row]) {
            finish_row(row, steps < options.max_new_tokens ? StopReason::ContextFull : StopReason::MaxTokens);
        }
    }
    return results;
}

const model::Transformer& Engine::transformer() const {
    return m_impl->model;
}

}  // namespace vietllm::sample
