#include "backend/eval/endpoint_backend.h"

#include "backend/common/errors.h"
#include "backend/net/chat_client.h"

namespace vietllm::eval {

EndpointBackend::EndpointBackend(net::ChatClient& client) : m_client(client) {}

std::string EndpointBackend::describe() const {
    return "endpoint:" + m_client.url() + " model " + m_client.options().model;
}

std::vector<LoglikelihoodResult> EndpointBackend::loglikelihood(const std::vector<LoglikelihoodRequest>&) {
    throw UserError("a chat endpoint gives no log-likelihoods: run this task on a local model (--model)");
}

RollingResult EndpointBackend::rolling(const std::string&, std::int64_t) {
    throw UserError("a chat endpoint gives no log-likelihoods: run this task on a local model (--model)");
}

std::vector<std::string> EndpointBackend::generate(const std::vector<GenerationRequest>& requests) {
    std::vector<net::ChatRequest> chat_requests;
    for (const GenerationRequest& request : requests) {
        net::ChatRequest chat;
        if (request.messages.empty()) {
            chat.messages.push_back({"user", request.prompt});
        }
        for (const data::Message& message : request.messages) {
            chat.messages.push_back({data::roleName(message.role), message.content});
        }
        chat.parameters.max_tokens = request.max_new_tokens;
        chat.parameters.temperature = 0;
        chat_requests.push_back(std::move(chat));
    }
    std::vector<std::string> outputs(requests.size());
    m_client.completeAll(chat_requests, [&](std::size_t index, net::ChatResult&& result) {
        if (result.status != net::ChatStatus::Ok) {
            throw UserError("endpoint " + m_client.url() + ": " + result.error);
        }
        std::string text = std::move(result.content);
        for (const std::string& stop : requests[index].stop) {
            const std::size_t at = text.find(stop);
            if (!stop.empty() && at != std::string::npos) {
                text.resize(at);
            }
        }
        outputs[index] = std::move(text);
    });
    return outputs;
}

}  // namespace vietllm::eval
