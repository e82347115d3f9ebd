#include "backend/sample/reward_scorer.h"

#include "backend/common/errors.h"
#include "backend/model/transformer.h"
#include "backend/sample/devices.h"
#include "backend/train/sft_data.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

namespace vietllm::sample {
namespace {

namespace fs = std::filesystem;

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

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Refuses a folder whose config.json does not describe a one-label sequence classifier, before any
// weight is read. transformers defaults to two labels, so the label count must be explicit.
chat::TemplateKind checkRewardConfig(const std::string& model_dir) {
    const std::string path = (fs::path(model_dir) / "config.json").string();
    std::ifstream in(path);
    if (!in) throw UserError(model_dir + ": not a model folder (no config.json)");
    const nlohmann::json config = nlohmann::json::parse(in, nullptr, false);
    if (!config.is_object()) throw UserError(path + ": not valid JSON");
    bool classifier = false;
    if (const auto found = config.find("architectures"); found != config.end() && found->is_array()) {
        for (const nlohmann::json& name : *found) {
            classifier = classifier ||
                         (name.is_string() && endsWith(name.get<std::string>(), "ForSequenceClassification"));
        }
    }
    std::int64_t labels = 0;
    if (const auto found = config.find("id2label"); found != config.end() && found->is_object()) {
        labels = static_cast<std::int64_t>(found->size());
    } else if (const auto count = config.find("num_labels");
               count != config.end() && count->is_number_integer()) {
        labels = count->get<std::int64_t>();
    }
    if (!classifier || labels != 1) {
        throw UserError(
            model_dir +
            ": not a reward model (config.json needs architectures \"...ForSequenceClassification\" "
            "with one label, as `vietllm-cli train rm` writes)");
    }
    // The template `train rm` rendered its pairs with; other reward models use their folder's.
    const auto trained = config.find("vietllm_chat_template");
    return trained != config.end() && trained->is_string()
               ? chat::parseTemplateName(trained->get<std::string>())
               : chat::TemplateKind::Invalid;
}

}  // namespace

struct RewardScorer::Impl {
    Impl(const std::string& model_dir, const EngineOptions& options)
        : trained_template(checkRewardConfig(model_dir)),
          model(model_dir, torchType(options.dtype)),
          tokenizer(tokenizer::loadTokenizer(model_dir)),
          folder(model_dir) {
        if (!model.scoreHead().defined() || model.scoreHead().size(0) != 1) {
            throw UserError(model_dir + ": not a reward model (the weights have no one-row score.weight)");
        }
        const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
        at::set_num_threads(options.num_threads > 0 ? options.num_threads : static_cast<int>(hardware));
        model.moveTo(at::Device(checkedDevice(options.device, "--device")));
    }

    chat::TemplateKind trained_template;
    model::Transformer model;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer;
    std::string folder;
};

RewardScorer::RewardScorer(const std::string& model_dir, const EngineOptions& options)
    : m_impl(std::make_unique<Impl>(model_dir, options)) {}

RewardScorer::~RewardScorer() = default;
RewardScorer::RewardScorer(RewardScorer&&) noexcept = default;
RewardScorer& RewardScorer::operator=(RewardScorer&&) noexcept = default;

std::vector<float> RewardScorer::scoreIds(const std::vector<std::vector<std::int32_t>>& rows,
                                          std::size_t batch_size) const {
    const model::Transformer& model = m_impl->model;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].empty()) throw UserError("reward scoring: row " + std::to_string(i) + " has no token");
        for (const std::int32_t id : rows[i]) {
            if (id < 0 || id >= model.vocabRows()) {
                throw UserError("reward scoring: token id " + std::to_string(id) + " of row " +
                                std::to_string(i) + " is outside the vocabulary of " + m_impl->folder);
            }
        }
    }
    at::NoGradGuard no_grad;
    std::vector<float> out;
    const std::size_t step = std::max<std::size_t>(1, batch_size);
    for (std::size_t first = 0; first < rows.size(); first += step) {
        const std::size_t last = std::min(rows.size(), first + step);
        std::size_t length = 0;
        for (std::size_t i = first; i < last; ++i) length = std::max(length, rows[i].size());
        const auto batch = static_cast<std::int64_t>(last - first);
        // Left padding: every row's last token is the batch's last column.
        std::vector<std::int64_t> ids(static_cast<std::size_t>(batch) * length, 0);
        std::vector<std::int64_t> mask(ids.size(), 0);
        for (std::size_t i = first; i < last; ++i) {
            const std::size_t offset = (i - first) * length + (length - rows[i].size());
            for (std::size_t j = 0; j < rows[i].size(); ++j) {
                ids[offset + j] = rows[i][j];
                mask[offset + j] = 1;
            }
        }
        const auto shape = std::vector<std::int64_t>{batch, static_cast<std::int64_t>(length)};
        const auto long_options = at::TensorOptions().dtype(at::kLong);
        const at::Tensor hidden = model.hiddenStates(
            at::tensor(at::ArrayRef<std::int64_t>(ids), long_options).view(shape).to(model.device()),
            at::tensor(at::ArrayRef<std::int64_t>(mask), long_options)
                .view(shape)
                .to(model.device(), at::kBool));
        const at::Tensor rewards = model.scores(hidden.select(1, static_cast<std::int64_t>(length) - 1))
                                       .select(1, 0)
                                       .to(at::kCPU, at::kFloat)
                                       .contiguous();
        const float* data = rewards.data_ptr<float>();
        out.insert(out.end(), data, data + batch);
    }
    return out;
}

std::vector<float> RewardScorer::scoreReplies(const std::vector<data::Message>& conversation,
                                              const std::vector<std::string>& replies, std::size_t batch_size,
                                              chat::TemplateKind template_override) const {
    return scoreConversations(std::vector<std::vector<data::Message>>(replies.size(), conversation), replies,
                              batch_size, template_override);
}

std::vector<float> RewardScorer::scoreConversations(
    const std::vector<std::vector<data::Message>>& conversations, const std::vector<std::string>& replies,
    std::size_t batch_size, chat::TemplateKind template_override) const {
    const chat::TemplateKind kind =
        template_override != chat::TemplateKind::Invalid ? template_override : m_impl->trained_template;
    const std::string template_name = kind == chat::TemplateKind::Invalid ? "auto" : chat::templateName(kind);
    const train::Encoding encoding = train::makeEncoding(*m_impl->tokenizer, m_impl->folder, template_name);
    std::vector<std::vector<std::int32_t>> rows;
    for (std::size_t i = 0; i < replies.size() && i < conversations.size(); ++i) {
        data::Conversation answered;
        answered.messages = conversations[i];
        answered.messages.push_back({data::Role::Assistant, replies[i]});
        rows.push_back(train::tokenizeConversation(answered, *m_impl->tokenizer, encoding,
                                                   std::numeric_limits<std::int64_t>::max())
                           .ids);
    }
    return scoreIds(rows, batch_size);
}

const tokenizer::Tokenizer& RewardScorer::tokenizer() const {
    return *m_impl->tokenizer;
}

RewardEvalBackend::RewardEvalBackend(const RewardScorer& scorer, std::string model_dir,
                                     std::size_t batch_size)
    : m_scorer(scorer), m_model_dir(std::move(model_dir)), m_batch_size(batch_size) {}

std::string RewardEvalBackend::describe() const {
    return "reward:" + m_model_dir;
}

std::vector<double> RewardEvalBackend::score(const std::vector<std::vector<data::Message>>& conversations,
                                             const std::vector<std::string>& replies) {
    const std::vector<float> rewards = m_scorer.scoreConversations(conversations, replies, m_batch_size);
    return {rewards.begin(), rewards.end()};
}

}  // namespace vietllm::sample
