#include "backend/train/preference_data.h"

#include "backend/common/errors.h"
#include "backend/data/formats.h"

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

}  // namespace vietllm::train
