#include "backend/databuild/evol_instruct.h"

#include "backend/common/errors.h"
#include "backend/databuild/record_text.h"
#include "backend/databuild/rouge.h"
#include "backend/text/normalize.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace vietllm::databuild {

namespace {

using nlohmann::ordered_json;

constexpr double kSameInstructionRouge = 0.95;
constexpr std::size_t kDifficultResponseWords = 80;

// Function words that carry no answer on their own (ours, Vietnamese and English).
const std::set<std::string> kStopWords = {
    "và",  "là",  "của",   "có", "không", "được", "thì", "mà",  "này",  "đó",    "các", "những", "một",
    "cho", "với", "trong", "để", "khi",   "đã",   "sẽ",  "rất", "cũng", "nhưng", "hay", "hoặc",  "vâng",
    "dạ",  "ừ",   "ok",    "ồ",  "à",     "ạ",    "nhé", "nha", "vậy",  "thế",   "ấy",  "đây",   "kia",
    "the", "a",   "an",    "of", "and",   "or",   "yes", "no",  "is",   "to",    "it",  "in",    "on"};

const std::vector<std::string> kTemplatePhrases = {"given prompt", "rewritten prompt", "đề bài gốc",
                                                   "đề bài mới"};

const char* methodText(EvolOperation operation) {
    switch (operation) {
        case EvolOperation::Constraints:
            return "Thêm đúng một ràng buộc hoặc yêu cầu nữa mà câu trả lời phải đáp ứng.";
        case EvolOperation::Deepen:
            return "Nếu đề bài hỏi về một vấn đề cụ thể, hãy đào sâu và mở rộng phạm vi của câu hỏi đó.";
        case EvolOperation::Concretize:
            return "Thay các khái niệm chung chung bằng những khái niệm cụ thể hơn.";
        case EvolOperation::Reasoning:
            return "Nếu đề bài giải được chỉ bằng vài bước suy nghĩ đơn giản, hãy viết lại để nó đòi hỏi suy "
                   "luận "
                   "nhiều bước một cách rõ ràng.";
        case EvolOperation::ComplicateInput:
            return "Thêm vào đề bài một dữ liệu đầu vào phức tạp hơn (một bảng, một đoạn mã, một công thức "
                   "hay một "
                   "danh sách số liệu) mà câu trả lời phải dùng tới.";
        case EvolOperation::Breadth:
        case EvolOperation::Invalid:
            break;
    }
    return "";
}

bool containsTokens(const std::vector<std::string>& tokens, const std::vector<std::string>& needle) {
    return !needle.empty() &&
           std::search(tokens.begin(), tokens.end(), needle.begin(), needle.end()) != tokens.end();
}

std::string lowerAscii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// An instruction on its way through the rounds.
struct Lineage {
    std::string root_id;
    std::string instruction;
    data::Provenance provenance;
    std::vector<std::string> operations;  ///< applied so far
};

std::string firstUserTurn(const data::Record& record) {
    std::string instruction;
    forEachText(record, [&](data::Role role, const std::string& text) {
        if (role == data::Role::User && instruction.empty()) {
            instruction = text;
        }
    });
    return trimmed(text::toNfc(instruction));
}

class EvolRun {
public:
    explicit EvolRun(const EvolInstructOptions& options)
        : m_options(options),
          m_client(options.model.client),
          m_output(options.output_path, data::Format::Messages),
          m_eliminated(options.eliminated_path.empty() ? options.output_path + ".eliminated.jsonl"
                                                       : options.eliminated_path) {}

    ordered_json run() {
        std::vector<Lineage> live = readInstructions();
        for (std::size_t round = 1; round <= m_options.rounds && !live.empty(); ++round) {
            std::vector<Lineage> next;
            const std::size_t batch = std::max<std::size_t>(1, m_options.model.batch_items);
            for (std::size_t begin = 0; begin < live.size(); begin += batch) {
                const std::size_t end = std::min(live.size(), begin + batch);
                evolveBatch(std::vector<Lineage>(live.begin() + static_cast<std::ptrdiff_t>(begin),
                                                 live.begin() + static_cast<std::ptrdiff_t>(end)),
                            round, next);
                report(round, end, live.size());
            }
            live = std::move(next);
        }
        m_output.commit();
        m_eliminated.commit();
        return summary();
    }

private:
    std::vector<Lineage> readInstructions() {
        std::vector<Lineage> items;
        for (const std::string& path : m_options.input_paths) {
            const std::unique_ptr<std::istream> input = data::openInputFile(path);
            const std::string file = std::filesystem::path(path).filename().string();
            data::readLocatedRecords(m_options.input_format, *input, path, {},
                                     [&](data::Record&& record, std::size_t line) {
                                         ++m_read;
                                         std::string id = recordId(record);
                                         if (id.empty()) id = file + ":" + std::to_string(line);
                                         const std::string instruction = firstUserTurn(record);
                                         if (instruction.empty() || !inHashShard(id, m_options.model.shard)) {
                                             return;
                                         }
                                         items.push_back({id, instruction, provenanceOf(record), {}});
                                     });
        }
        m_instructions = items.size();
        return items;
    }

    EvolOperation operationFor(const Lineage& item, std::size_t round) const {
        const std::uint64_t draw =
            seededHash(m_options.model.seed, item.root_id + "/" + std::to_string(item.operations.size()) +
                                                 "/" + std::to_string(round));
        return m_options.operations[draw % m_options.operations.size()];
    }

    std::vector<net::ChatResult> completeAll(const std::vector<net::ChatRequest>& requests) {
        std::vector<net::ChatResult> results(requests.size());
        if (!requests.empty()) {
            m_client.completeAll(requests, [&](std::size_t index, net::ChatResult&& result) {
                results[index] = std::move(result);
            });
        }
        for (const net::ChatResult& result : results) {
            requireAvailable(result, m_client);
        }
        return results;
    }

    void evolveBatch(const std::vector<Lineage>& items, std::size_t round, std::vector<Lineage>& next) {
        throwIfCancelled(m_options.model);
        std::vector<EvolOperation> operations;
        std::vector<net::ChatRequest> rewrites;
        for (const Lineage& item : items) {
            operations.push_back(operationFor(item, round));
            rewrites.push_back(evolutionRequest(item.instruction, operations.back(),
                                                m_options.rewrite_max_tokens, m_options.model.temperature));
        }
        const std::vector<net::ChatResult> rewritten = completeAll(rewrites);
        std::vector<std::size_t> answered;  // items whose rewrite passed
        std::vector<net::ChatRequest> questions;
        std::vector<std::string> evolved(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            evolved[i] = trimmed(text::toNfc(rewritten[i].content));
            const std::string problem =
                rewritten[i].status != net::ChatStatus::Ok
                    ? "endpoint-rejected"
                    : evolvedInstructionProblem(items[i].instruction, evolved[i], rewritten[i].finish_reason);
            if (!problem.empty()) {
                eliminate(items[i], operations[i], round, problem, evolved[i], "");
                next.push_back(items[i]);
                continue;
            }
            answered.push_back(i);
            questions.push_back(responseRequest(evolved[i]));
        }
        const std::vector<net::ChatResult> responses = completeAll(questions);
        for (std::size_t k = 0; k < answered.size(); ++k) {
            const std::size_t i = answered[k];
            const std::string response = trimmed(text::toNfc(responses[k].content));
            const std::string problem = responses[k].status != net::ChatStatus::Ok
                                            ? "endpoint-rejected"
                                            : evolvedResponseProblem(response, responses[k].finish_reason);
            if (!problem.empty()) {
                eliminate(items[i], operations[i], round, problem, evolved[i], response);
                next.push_back(items[i]);
                continue;
            }
            next.push_back(write(items[i], operations[i], round, evolved[i], response));
        }
    }

    net::ChatRequest responseRequest(const std::string& instruction) const {
        return stepRequest({{"system", "Bạn là một trợ lý AI hữu ích. Luôn trả lời bằng tiếng Việt."},
                            {"user", instruction}},
                           m_options.model);
    }

    Lineage write(const Lineage& parent, EvolOperation operation, std::size_t round,
                  const std::string& instruction, const std::string& response) {
        Lineage child{parent.root_id, instruction, parent.provenance, parent.operations};
        child.operations.push_back(evolOperationName(operation));
        child.provenance.original_id = parent.root_id + "#evol" + std::to_string(round);
        child.provenance.transformations.push_back(std::string("evol-instruct:") +
                                                   evolOperationName(operation));
        data::Conversation conversation;
        conversation.messages = {{data::Role::User, instruction}, {data::Role::Assistant, response}};
        conversation.provenance = child.provenance;
        conversation.metadata["evol"] = {{"round", round},
                                         {"operation", evolOperationName(operation)},
                                         {"operations", child.operations},
                                         {"parent", parent.instruction},
                                         {"root_id", parent.root_id},
                                         {"model", m_options.model.client.model}};
        m_output.write(conversation);
        ++m_kept_per_round[round];
        return child;
    }

    void eliminate(const Lineage& parent, EvolOperation operation, std::size_t round,
                   const std::string& reason, const std::string& instruction, const std::string& response) {
        ++m_reasons[reason];
        m_eliminated.write(eliminatedEntry(parent.root_id + "#evol" + std::to_string(round), {reason}, "",
                                           {{"round", round},
                                            {"operation", evolOperationName(operation)},
                                            {"parent", parent.instruction},
                                            {"instruction", shortened(instruction, 2000)},
                                            {"response", shortened(response, 2000)}}));
    }

    void report(std::size_t round, std::size_t done, std::size_t total) const {
        if (!m_options.model.on_progress) {
            return;
        }
        GenerationProgress progress;
        progress.stage = "round " + std::to_string(round);
        progress.done = done;
        progress.total = total;
        progress.written = m_output.count();
        progress.eliminated = m_eliminated.count();
        progress.usage = m_client.totals();
        m_options.model.on_progress(progress);
    }

    ordered_json summary() const {
        ordered_json reasons = ordered_json::object();
        for (const auto& [reason, count] : m_reasons) reasons[reason] = count;
        ordered_json per_round = ordered_json::object();
        for (const auto& [round, count] : m_kept_per_round) per_round[std::to_string(round)] = count;
        ordered_json operations = ordered_json::array();
        for (const EvolOperation operation : m_options.operations)
            operations.push_back(evolOperationName(operation));
        return {{"step", "evol-instruct"},
                {"records_read", m_read},
                {"instructions", m_instructions},
                {"kept", m_output.count()},
                {"kept_per_round", per_round},
                {"eliminated", m_eliminated.count()},
                {"reasons", reasons},
                {"usage", usageJson(m_client.totals())},
                {"options",
                 {{"rounds", m_options.rounds},
                  {"operations", operations},
                  {"temperature", m_options.model.temperature},
                  {"seed", m_options.model.seed},
                  {"shard", std::to_string(m_options.model.shard.index) + "/" +
                                std::to_string(m_options.model.shard.count)}}}};
    }

    const EvolInstructOptions& m_options;
    net::ChatClient m_client;
    RecordOutput m_output;
    JsonLinesOutput m_eliminated;
    std::size_t m_read = 0;
    std::size_t m_instructions = 0;
    std::map<std::string, std::size_t> m_reasons;
    std::map<std::size_t, std::size_t> m_kept_per_round;
};

}  // namespace

EvolOperation parseEvolOperation(std::string_view name) {
    for (const EvolOperation operation :
         {EvolOperation::Constraints, EvolOperation::Deepen, EvolOperation::Concretize,
          EvolOperation::Reasoning, EvolOperation::ComplicateInput, EvolOperation::Breadth}) {
        if (name == evolOperationName(operation)) {
            return operation;
        }
    }
    return EvolOperation::Invalid;
}

const char* evolOperationName(EvolOperation operation) {
    switch (operation) {
        case EvolOperation::Constraints:
            return "constraints";
        case EvolOperation::Deepen:
            return "deepen";
        case EvolOperation::Concretize:
            return "concretize";
        case EvolOperation::Reasoning:
            return "reasoning";
        case EvolOperation::ComplicateInput:
            return "complicate-input";
        case EvolOperation::Breadth:
            return "breadth";
        case EvolOperation::Invalid:
            break;
    }
    return "invalid";
}

net::ChatRequest evolutionRequest(const std::string& instruction, EvolOperation operation,
                                  std::int64_t max_tokens, double temperature) {
    const std::string forbidden =
        " #Đề bài mới# không được chứa các cụm \"#Đề bài gốc#\", \"#Đề bài mới#\", \"đề bài gốc\" hay \"đề "
        "bài "
        "mới\". Chỉ viết #Đề bài mới#, không giải thích.";
    std::string prompt;
    if (operation == EvolOperation::Breadth) {
        prompt =
            "Bạn là người sáng tác đề bài. Lấy cảm hứng từ #Đề bài gốc#, hãy viết một đề bài hoàn toàn mới, "
            "cùng lĩnh vực nhưng về một chủ đề hiếm gặp hơn. Độ dài và độ khó tương đương #Đề bài gốc#; con "
            "người phải hiểu được và trả lời được." +
            forbidden;
    } else {
        prompt =
            "Bạn là người viết lại đề bài. Hãy viết lại #Đề bài gốc# thành một phiên bản khó hơn một chút, "
            "để các trợ lý AI mạnh cũng phải cân nhắc kỹ, nhưng vẫn hợp lý, con người hiểu được và trả lời "
            "được. Giữ nguyên các phần không phải lời văn (bảng, đoạn mã, công thức). #Đề bài mới# chỉ dài "
            "hơn #Đề bài gốc# khoảng 10 đến 20 từ." +
            forbidden + "\n\nCách viết lại: " + methodText(operation);
    }
    prompt += "\n\n#Đề bài gốc#:\n" + instruction + "\n\n#Đề bài mới#:\n";
    net::ChatRequest request;
    request.messages = {{"user", prompt}};
    request.parameters.max_tokens = max_tokens;
    request.parameters.temperature = temperature;
    return request;
}

std::string evolvedInstructionProblem(const std::string& parent, const std::string& evolved,
                                      const std::string& finish_reason) {
    if (finish_reason == "length") return "truncated";
    if (trimmed(evolved).empty()) return "empty";
    const std::vector<std::string> tokens = rougeTokens(evolved);
    const std::string lower = lowerAscii(evolved);
    for (const std::string& phrase : kTemplatePhrases) {
        if (containsTokens(tokens, rougeTokens(phrase))) return "copies-template";
    }
    if (lower.find("#given") != std::string::npos || lower.find("#rewritten") != std::string::npos) {
        return "copies-template";
    }
    const std::vector<std::string> parent_tokens = rougeTokens(parent);
    const std::set<std::string> parent_types(parent_tokens.begin(), parent_tokens.end());
    const bool adds_syllable = std::any_of(tokens.begin(), tokens.end(), [&](const std::string& token) {
        return parent_types.count(token) == 0;
    });
    if (!adds_syllable || rougeL(tokens, parent_tokens) >= kSameInstructionRouge)
        return "no-information-gain";
    return {};
}

std::string evolvedResponseProblem(const std::string& response, const std::string& finish_reason) {
    if (finish_reason == "length") return "truncated-response";
    if (trimmed(response).empty()) return "empty-response";
    const std::vector<std::string> tokens = rougeTokens(response);
    const bool sorry = containsTokens(tokens, {"xin", "lỗi"}) || containsTokens(tokens, {"sorry"});
    if (sorry && wordCount(response) < kDifficultResponseWords) return "response-difficult";
    if (std::all_of(tokens.begin(), tokens.end(),
                    [](const std::string& token) { return kStopWords.count(token) > 0; })) {
        return "response-trivial";
    }
    return {};
}

nlohmann::ordered_json runEvolInstruct(const EvolInstructOptions& options) {
    if (options.input_paths.empty() || options.output_path.empty()) {
        throw UserError("data evol-instruct needs IN... and OUT");
    }
    if (options.operations.empty() || options.rounds == 0) {
        throw UserError("--operations and --rounds: at least one operation and one round");
    }
    EvolRun run(options);
    return run.run();
}

}  // namespace vietllm::databuild
