#include "backend/train/sft_data.h"

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>

namespace vietllm::train {
namespace {

using nlohmann::json;

// SplitMix64: a tiny, fully specified generator, so shuffles are the same everywhere.
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }

private:
    std::uint64_t m_state;
};

// The first record of a JSON-lines or JSON-array file, to recognise its format.
json firstRecord(const std::string& file) {
    std::unique_ptr<std::istream> in = data::openInputFile(file);
    std::string line;
    while (std::getline(*in, line)) {
        const auto start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos) continue;
        if (line[start] == '[') {
            std::string rest = line + "\n";
            std::string more;
            while (std::getline(*in, more)) rest += more + "\n";
            const json array = json::parse(rest, nullptr, false);
            if (array.is_array() && !array.empty()) return array[0];
            break;
        }
        const json object = json::parse(line, nullptr, false);
        if (!object.is_discarded()) return object;
        break;
    }
    throw UserError(file +
                    ": cannot recognise the data format from the first record; set \"format\" in data");
}

void addConversations(data::Record&& record, std::vector<data::Conversation>& out) {
    if (auto* conversation = std::get_if<data::Conversation>(&record)) {
        out.push_back(std::move(*conversation));
    } else if (auto* pair = std::get_if<data::PreferencePair>(&record)) {
        out.push_back(data::chosenConversation(*pair));
    } else if (auto* tree = std::get_if<data::ConversationTree>(&record)) {
        for (data::Conversation& path : data::answeredConversationsFromTree(*tree)) {
            out.push_back(std::move(path));
        }
    }
}

std::string tokenText(const json& config, const char* key) {
    const auto found = config.find(key);
    if (found == config.end()) return {};
    if (found->is_string()) return found->get<std::string>();
    if (found->is_object() && found->contains("content") && (*found)["content"].is_string()) {
        return (*found)["content"].get<std::string>();
    }
    return {};
}

std::vector<std::int32_t> encodeText(const tokenizer::Tokenizer& tokenizer, const std::string& text) {
    return tokenizer.encode(text, false);
}

// Appends `examples[first, last)` to a micro-batch as one padded row each, or packed into rows.
MicroBatch buildBatch(const std::vector<std::vector<const TokenizedExample*>>& rows) {
    MicroBatch batch;
    batch.rows = static_cast<std::int64_t>(rows.size());
    for (const auto& row : rows) {
        std::int64_t length = 0;
        for (const TokenizedExample* example : row) length += static_cast<std::int64_t>(example->ids.size());
        batch.length = std::max(batch.length, length);
    }
    const auto size = static_cast<std::size_t>(batch.rows * batch.length);
    batch.ids.assign(size, 0);
    batch.labels.assign(size, kIgnoreLabel);
    batch.positions.assign(size, 0);
    batch.documents.assign(size, 0);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::size_t offset = r * static_cast<std::size_t>(batch.length);
        std::int64_t document = 0;
        for (const TokenizedExample* example : rows[r]) {
            ++document;
            for (std::size_t i = 0; i < example->ids.size(); ++i, ++offset) {
                batch.ids[offset] = example->ids[i];
                batch.labels[offset] = example->labels[i];
                batch.positions[offset] = static_cast<std::int64_t>(i);
                batch.documents[offset] = document;
            }
            batch.token_count += static_cast<std::int64_t>(example->ids.size());
            batch.label_count += example->labelCount();
        }
    }
    return batch;
}

// Groups example pointers into rows (packed or one per row), then rows into micro-batches.
std::vector<MicroBatch> batchesFromOrder(const std::vector<const TokenizedExample*>& order,
                                         std::int64_t max_seq_len, std::int64_t micro_batch_size,
                                         bool packing) {
    std::vector<std::vector<const TokenizedExample*>> rows;
    std::int64_t filled = 0;
    for (const TokenizedExample* example : order) {
        const auto length = static_cast<std::int64_t>(example->ids.size());
        if (!packing || rows.empty() || filled + length > max_seq_len) {
            rows.emplace_back();
            filled = 0;
        }
        rows.back().push_back(example);
        filled += length;
    }
    std::vector<MicroBatch> batches;
    for (std::size_t first = 0; first < rows.size(); first += static_cast<std::size_t>(micro_batch_size)) {
        const std::size_t last = std::min(rows.size(), first + static_cast<std::size_t>(micro_batch_size));
        batches.push_back(buildBatch({rows.begin() + static_cast<std::ptrdiff_t>(first),
                                      rows.begin() + static_cast<std::ptrdiff_t>(last)}));
    }
    return batches;
}

}  // namespace

data::Format detectFormat(const std::string& file) {
    const json record = firstRecord(file);
    if (!record.is_object()) {
        throw UserError(file + ":1: the first record is not a JSON object; set \"format\" in data");
    }
    const auto has = [&](const char* key) { return record.contains(key); };
    if (has("messages")) return data::Format::Messages;
    if (has("conversations")) return data::Format::ShareGpt;
    if (has("message_tree_id")) return data::Format::Oasst;
    if (has("chosen") && has("rejected"))
        return has("prompt") ? data::Format::Preference : data::Format::HhRlhf;
    if (has("instruction") && has("output")) return data::Format::Alpaca;
    if (has("instruction") && has("response")) return data::Format::Dolly;
    if (has("prompt") && has("response")) return data::Format::PromptResponse;
    throw UserError(file +
                    ":1: cannot recognise the data format from the keys of the first record; set \"format\"");
}

std::int64_t TokenizedExample::labelCount() const {
    return static_cast<std::int64_t>(std::count_if(labels.begin(), labels.end(),
                                                   [](std::int32_t label) { return label != kIgnoreLabel; }));
}

std::vector<data::Conversation> readConversations(const std::vector<std::string>& files,
                                                  const std::string& format) {
    std::vector<data::Conversation> out;
    for (const std::string& file : files) {
        const data::Format chosen = format == "auto" ? detectFormat(file) : data::parseFormat(format);
        std::unique_ptr<std::istream> in = data::openInputFile(file);
        data::ReadOptions options;
        data::readRecords(chosen, *in, file, options,
                          [&](data::Record&& record) { addConversations(std::move(record), out); });
    }
    return out;
}

Encoding makeEncoding(const tokenizer::Tokenizer& tokenizer, const std::string& model_dir,
                      const std::string& template_name) {
    Encoding encoding;
    encoding.template_kind = template_name == "auto" ? chat::detectTemplateInFolder(model_dir)
                                                     : chat::parseTemplateName(template_name);
    if (encoding.template_kind == chat::TemplateKind::Invalid) {
        throw UserError("template '" + template_name +
                        "' is unknown or could not be detected; name one of: chatml, "
                        "llama2, llama3, mistral, alpaca, vicuna, phogpt, plain");
    }
    const std::filesystem::path config_path = std::filesystem::path(model_dir) / "tokenizer_config.json";
    if (std::ifstream in(config_path); in) {
        const json config = json::parse(in, nullptr, false);
        if (config.is_object()) {
            encoding.render.bos_token = tokenText(config, "bos_token");
            encoding.render.eos_token = tokenText(config, "eos_token");
        }
    }
    const std::vector<std::int32_t> empty_with_specials = tokenizer.encode("", true);
    encoding.prefix_ids = empty_with_specials;
    if (const std::optional<std::int32_t> eos = tokenizer.eosId()) {
        encoding.eos_id = *eos;
        encoding.turn_end_ids.push_back(*eos);
    }
    for (const char* marker : {"<|im_end|>", "<|eot_id|>", "<|end|>"}) {
        if (const std::optional<std::int32_t> id = tokenizer.tokenId(marker))
            encoding.turn_end_ids.push_back(*id);
    }
    return encoding;
}

TokenizedExample tokenizeConversation(const data::Conversation& conversation,
                                      const tokenizer::Tokenizer& tokenizer, const Encoding& encoding,
                                      std::int64_t max_seq_len) {
    const chat::RenderedChat rendered =
        chat::render(encoding.template_kind, conversation.messages, encoding.render);
    std::vector<std::int32_t> ids;
    std::vector<bool> supervised;
    for (const chat::Segment& segment : rendered.segments) {
        std::vector<std::int32_t> piece = encodeText(tokenizer, segment.text);
        if (segment.assistant && encoding.eos_id >= 0 &&
            (piece.empty() || std::find(encoding.turn_end_ids.begin(), encoding.turn_end_ids.end(),
                                        piece.back()) == encoding.turn_end_ids.end())) {
            piece.push_back(encoding.eos_id);
        }
        ids.insert(ids.end(), piece.begin(), piece.end());
        supervised.insert(supervised.end(), piece.size(), segment.assistant);
    }
    // The tokenizer's own prefix (BOS), unless the template already wrote it.
    if (!encoding.prefix_ids.empty() &&
        !std::equal(
            encoding.prefix_ids.begin(), encoding.prefix_ids.end(), ids.begin(),
            ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), encoding.prefix_ids.size())))) {
        ids.insert(ids.begin(), encoding.prefix_ids.begin(), encoding.prefix_ids.end());
        supervised.insert(supervised.begin(), encoding.prefix_ids.size(), false);
    }
    const auto length = std::min<std::size_t>(ids.size(), static_cast<std::size_t>(max_seq_len));
    TokenizedExample example;
    example.ids.assign(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(length));
    example.labels.assign(length, kIgnoreLabel);
    for (std::size_t i = 0; i + 1 < length; ++i) {
        if (supervised[i + 1]) example.labels[i] = ids[i + 1];
    }
    return example;
}

std::vector<std::size_t> shuffledIndices(std::size_t count, std::uint64_t seed) {
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    SplitMix64 random(seed);
    for (std::size_t i = count; i > 1; --i) {
        const auto j = static_cast<std::size_t>(random.next() % i);
        std::swap(order[i - 1], order[j]);
    }
    return order;
}

std::vector<MicroBatch> planEpoch(const std::vector<TokenizedExample>& examples, std::int64_t max_seq_len,
                                  std::int64_t micro_batch_size, bool packing, std::uint64_t seed,
                                  std::int64_t epoch) {
    const std::uint64_t epoch_seed = seed * 1000003ULL + static_cast<std::uint64_t>(epoch);
    std::vector<const TokenizedExample*> order;
    for (const std::size_t index : shuffledIndices(examples.size(), epoch_seed)) {
        order.push_back(&examples[index]);
    }
    if (packing) {
        return batchesFromOrder(order, max_seq_len, micro_batch_size, true);
    }
    const std::size_t window = static_cast<std::size_t>(micro_batch_size) * 64;
    for (std::size_t first = 0; first < order.size(); first += window) {
        const auto end = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), first + window));
        std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(first), end,
                         [](const TokenizedExample* a, const TokenizedExample* b) {
                             return a->ids.size() < b->ids.size();
                         });
    }
    std::vector<MicroBatch> batches = batchesFromOrder(order, max_seq_len, micro_batch_size, false);
    std::vector<MicroBatch> shuffled;
    for (const std::size_t index : shuffledIndices(batches.size(), epoch_seed ^ 0x5DEECE66DULL)) {
        shuffled.push_back(std::move(batches[index]));
    }
    return shuffled;
}

std::vector<MicroBatch> planEvaluation(const std::vector<TokenizedExample>& examples,
                                       std::int64_t max_seq_len, std::int64_t micro_batch_size,
                                       bool packing) {
    std::vector<const TokenizedExample*> order;
    for (const TokenizedExample& example : examples) order.push_back(&example);
    return batchesFromOrder(order, max_seq_len, micro_batch_size, packing);
}

}  // namespace vietllm::train
