#include "backend/train/preference_data.h"

#include "backend/common/errors.h"
#include "backend/data/formats.h"

#include <cmath>
#include <limits>
#include <variant>

namespace vietllm::train {

std::vector<data::PreferencePair> readPreferencePairs(const std::vector<std::string>& files,
                                                      const std::string& format) {
    std::vector<data::PreferencePair> out;
    for (const std::string& file : files) {
        const data::Format chosen = format == "auto" ? detectFormat(file) : data::parseFormat(format);
        if (chosen != data::Format::Preference && chosen != data::Format::HhRlhf &&
            chosen != data::Format::Oasst) {
            throw UserError(file + ": " + data::formatName(chosen) +
                            " data holds no preference pairs; use preference, hh-rlhf or oasst data "
                            "(prompt/chosen/rejected)");
        }
        std::unique_ptr<std::istream> in = data::openInputFile(file);
        data::readRecords(chosen, *in, file, data::ReadOptions(), [&](data::Record&& record) {
            if (auto* pair = std::get_if<data::PreferencePair>(&record)) {
                out.push_back(std::move(*pair));
            } else if (auto* tree = std::get_if<data::ConversationTree>(&record)) {
                for (data::PreferencePair& from_tree : data::preferencePairsFromTree(*tree)) {
                    out.push_back(std::move(from_tree));
                }
            }
        });
    }
    return out;
}

data::Conversation answeredPrompt(const data::PreferencePair& pair, const std::string& reply) {
    data::Conversation conversation;
    conversation.messages = pair.prompt;
    conversation.messages.push_back({data::Role::Assistant, reply});
    conversation.provenance = pair.provenance;
    return conversation;
}

std::optional<TokenizedPair> tokenizePair(const data::PreferencePair& pair,
                                          const tokenizer::Tokenizer& tokenizer, const Encoding& encoding,
                                          std::int64_t max_seq_len) {
    const std::int64_t unlimited = std::numeric_limits<std::int64_t>::max();
    TokenizedPair out;
    out.chosen = tokenizeConversation(answeredPrompt(pair, pair.chosen), tokenizer, encoding, unlimited);
    out.rejected = tokenizeConversation(answeredPrompt(pair, pair.rejected), tokenizer, encoding, unlimited);
    if (static_cast<std::int64_t>(out.chosen.ids.size()) > max_seq_len ||
        static_cast<std::int64_t>(out.rejected.ids.size()) > max_seq_len) {
        return std::nullopt;
    }
    return out;
}

namespace {

std::vector<TokenizedPair> tokenizeUsablePairs(const std::vector<data::PreferencePair>& pairs,
                                               const tokenizer::Tokenizer& tokenizer,
                                               const Encoding& encoding, std::int64_t max_seq_len,
                                               std::int64_t& dropped) {
    std::vector<TokenizedPair> out;
    for (const data::PreferencePair& pair : pairs) {
        std::optional<TokenizedPair> tokenized = tokenizePair(pair, tokenizer, encoding, max_seq_len);
        if (tokenized && tokenized->chosen.labelCount() > 0 && tokenized->rejected.labelCount() > 0) {
            out.push_back(std::move(*tokenized));
        } else {
            ++dropped;
        }
    }
    return out;
}

}  // namespace

PreferenceSplit loadPreferenceSplit(const TrainConfig& config, const tokenizer::Tokenizer& tokenizer) {
    const Encoding encoding = makeEncoding(tokenizer, config.model_dir, config.chat_template);
    PreferenceSplit split;
    split.template_kind = encoding.template_kind;
    std::vector<TokenizedPair> all =
        tokenizeUsablePairs(readPreferencePairs(config.data.train_files, config.data.format), tokenizer,
                            encoding, config.max_seq_len, split.dropped);
    if (!config.data.eval_files.empty()) {
        split.train = std::move(all);
        split.eval = tokenizeUsablePairs(readPreferencePairs(config.data.eval_files, config.data.format),
                                         tokenizer, encoding, config.max_seq_len, split.dropped);
    } else {
        const auto eval_count =
            static_cast<std::size_t>(std::floor(config.data.eval_fraction * static_cast<double>(all.size())));
        const std::vector<std::size_t> order = shuffledIndices(all.size(), config.seed ^ 0xE7A1ULL);
        for (std::size_t i = 0; i < order.size(); ++i) {
            (i < eval_count ? split.eval : split.train).push_back(std::move(all[order[i]]));
        }
    }
    if (split.train.empty()) {
        throw UserError(config.source + ": $.data.train: no preference pair fits max_seq_len (" +
                        std::to_string(split.dropped) + " longer pairs dropped)");
    }
    return split;
}

}  // namespace vietllm::train
