#include "backend/sample/engine.h"

#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/sample/text_stream.h"
#include "backend/tokenizer/tokenizer.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <filesystem>
#include <thread>

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

}  // namespace

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
        : model(model_dir, torchType(options.dtype)) {
        const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
        at::set_num_threads(options.num_threads > 0 ? options.num_threads : static_cast<int>(hardware));
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

    model::Transformer model;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer;
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
    const model::Transformer& model = m_impl->model;
    model::KvCache cache(model.config(), 1, static_cast<std::int64_t>(ids.size()),
                         at::TensorOptions().dtype(model.dtype()));
    const at::Tensor input = idTensor(ids);
    const auto bool_options = at::TensorOptions().dtype(at::kBool);
    const auto prefix = static_cast<std::int64_t>(prefill);
    std::vector<std::vector<float>> out = rowLogits(
        model.forward(input.narrow(1, 0, prefix), at::ones({1, prefix}, bool_options), &cache), 0, 0);
    for (std::int64_t position = prefix; position < input.size(1); ++position) {
        const at::Tensor step =
            model.forward(input.narrow(1, position, 1), at::ones({1, position + 1}, bool_options), &cache);
        out.push_back(rowLogits(step, 0, 0).front());
    }
    return out;
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
    auto [ids, mask] = m_impl->leftPadded(prompts);
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
    }

    const std::size_t batch = prompts.size();
    std::vector<GenerationResult> results(batch);
    std::vector<std::vector<std::int32_t>> histories = prompts;
    std::vector<Sampler> samplers(batch, Sampler(options.sampling, m_impl->usableVocab()));
    std::vector<RowText> texts(batch, RowText(options.stop_strings));
    std::vector<bool> active(batch, true);
    model::KvCache cache(model.config(), static_cast<std::int64_t>(batch),
                         prompt_length + std::max<std::int64_t>(steps, 1),
                         at::TensorOptions().dtype(model.dtype()));
    at::Tensor last = model.forward(ids, mask, &cache).select(1, prompt_length - 1).contiguous();

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
        std::vector<std::int64_t> next(batch, 0);
        for (std::size_t row = 0; row < batch; ++row) {
            if (!active[row]) {
                continue;
            }
            const float* row_data = last.select(0, static_cast<std::int64_t>(row)).data_ptr<float>();
            std::vector<float> row_logits(row_data, row_data + last.size(1));
            const std::int32_t token = samplers[row].next(row_logits, histories[row]);
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
        mask = at::cat({mask, at::ones({static_cast<std::int64_t>(batch), 1}, mask.options())}, 1);
        const at::Tensor input = at::tensor(at::ArrayRef<std::int64_t>(next), ids.options()).view({-1, 1});
        last = model.forward(input, mask, &cache).select(1, 0).contiguous();
    }
    for (std::size_t row = 0; row < batch; ++row) {
        if (active[row]) {
            finish_row(row, steps < options.max_new_tokens ? StopReason::ContextFull : StopReason::MaxTokens);
        }
    }
    return results;
}

}  // namespace vietllm::sample
