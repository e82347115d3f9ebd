#include "widgets/ranking_generator.h"

#include "backend/chat/chat_prompter.h"
#include "backend/common/errors.h"
#include "backend/sample/engine.h"
#include "backend/store/ranking_queue.h"
#include "backend/tokenizer/tokenizer.h"

#include <QString>
#include <filesystem>

namespace vietllm::widgets {

namespace {

void checkRequest(const CandidateRequest& request) {
    if (request.count < 2 || request.count > 4) {
        throw UserError("generate candidates: ask for 2 to 4 replies, not " + std::to_string(request.count));
    }
    if (request.max_new_tokens < 1) {
        throw UserError("generate candidates: max new tokens must be at least 1");
    }
    if (request.prompt.empty() || request.prompt.back().role != data::Role::User) {
        throw UserError("generate candidates: the prompt must end with a user message");
    }
}

// Text as valid UTF-8 without surrounding blanks (a model may stop inside a character).
std::string cleanReply(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())).trimmed().toStdString();
}

}  // namespace

std::vector<GeneratedCandidate> generateWithEngine(const std::string& model_dir,
                                                   const CandidateRequest& request,
                                                   const CandidateProgress& progress) {
    checkRequest(request);
    const sample::Engine engine(model_dir, sample::EngineOptions{});
    const tokenizer::Tokenizer* tokenizer = engine.tokenizer();
    if (tokenizer == nullptr) {
        throw UserError(model_dir + ": the model folder has no tokenizer, so it cannot answer a prompt");
    }
    const chat::ChatPrompter prompter = chat::ChatPrompter::forModel(
        *tokenizer, model_dir, chat::TemplateKind::Invalid, chat::UnknownTemplate::UsePlain);
    const std::vector<std::int32_t> ids = prompter.encode(request.prompt);
    const std::string source = "local:" + std::filesystem::path(model_dir).filename().string();
    std::vector<GeneratedCandidate> candidates;
    bool cancelled = false;
    for (int i = 0; i < request.count && !cancelled; ++i) {
        sample::GenerationOptions options;
        options.max_new_tokens = request.max_new_tokens;
        options.ignore_eos = request.ignore_eos;
        options.sampling.temperature = request.temperature + kTemperatureStep * i;
        options.sampling.seed = request.seed + static_cast<std::uint64_t>(i);
        if (!request.ignore_eos) {
            prompter.addEndOfTurnStops(options.stop_token_ids, options.stop_strings);
        }
        const auto results = engine.generate({ids}, options, [&](const sample::StreamChunk&) {
            cancelled = progress && !progress(i, request.count);
            return !cancelled;
        });
        if (cancelled) {
            break;
        }
        const std::string text = cleanReply(results.front().text);
        if (text.empty()) {
            throw UserError(model_dir + ": the model gave an empty reply (seed " +
                            std::to_string(options.sampling.seed) + "); try another seed or temperature");
        }
        candidates.push_back({text,
                              {{"source", source},
                               {"generation",
                                {{"template", chat::templateName(prompter.kind())},
                                 {"temperature", options.sampling.temperature},
                                 {"seed", options.sampling.seed},
                                 {"max_new_tokens", options.max_new_tokens}}}}});
        if (progress && !progress(i + 1, request.count)) {
            break;
        }
    }
    return candidates;
}

std::vector<GeneratedCandidate> generateWithEndpoint(const net::ChatClientOptions& options,
                                                     const CandidateRequest& request,
                                                     const CandidateProgress& progress) {
    checkRequest(request);
    net::ChatClient client(options);
    std::vector<GeneratedCandidate> candidates;
    for (int i = 0; i < request.count; ++i) {
        net::ChatRequest chat_request;
        for (const data::Message& message : request.prompt) {
            chat_request.messages.push_back({data::roleName(message.role), message.content});
        }
        chat_request.parameters.max_tokens = request.max_new_tokens;
        chat_request.parameters.temperature = request.temperature + kTemperatureStep * i;
        chat_request.parameters.seed = static_cast<std::int64_t>(request.seed) + i;
        const net::ChatResult result = client.complete(chat_request);
        if (result.status != net::ChatStatus::Ok) {
            throw UserError(client.url() + ": " + result.error);
        }
        const std::string text = cleanReply(result.content);
        if (text.empty()) {
            throw UserError(client.url() + ": the endpoint gave an empty reply");
        }
        candidates.push_back({text,
                              {{"source", "endpoint:" + options.model},
                               {"generation",
                                {{"temperature", chat_request.parameters.temperature},
                                 {"seed", *chat_request.parameters.seed},
                                 {"max_tokens", request.max_new_tokens}}}}});
        if (progress && !progress(i + 1, request.count)) {
            break;
        }
    }
    return candidates;
}

std::int64_t storeCandidates(store::ProjectStore& project, std::int64_t parent_message_id,
                             const std::vector<GeneratedCandidate>& candidates,
                             std::int64_t required_rankings) {
    std::vector<std::int64_t> ids;
    for (const GeneratedCandidate& candidate : candidates) {
        ids.push_back(store::addTreeMessage(project, parent_message_id, data::Role::Assistant, candidate.text,
                                            candidate.metadata));
    }
    return store::createRankingTaskFor(project, parent_message_id, ids, static_cast<int>(required_rankings));
}

}  // namespace vietllm::widgets
