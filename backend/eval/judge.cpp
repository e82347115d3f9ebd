#include "backend/eval/judge.h"

#include "backend/common/errors.h"
#include "backend/net/chat_client.h"
#include "backend/text/langid.h"

#include <cctype>
#include <cstdlib>

namespace vietllm::eval {
namespace {

constexpr std::int64_t kJudgeMaxTokens = 1024;

constexpr const char* kJudgeSystem =
    "Bạn là một giám khảo công tâm, thông thạo tiếng Việt, đánh giá chất lượng câu trả lời của trợ lý AI.";

std::string dialogue(const JudgeTurn& turn) {
    std::string out;
    for (std::size_t i = 0; i < turn.questions.size(); ++i) {
        out += "### Người dùng (lượt " + std::to_string(i + 1) + "):\n" + turn.questions[i] + "\n\n";
        if (i + 1 < turn.questions.size() && i < turn.answers.size()) {
            out += "### Trợ lý (lượt " + std::to_string(i + 1) + "):\n" + turn.answers[i] + "\n\n";
        }
    }
    return out;
}

std::optional<double> numberAt(std::string_view text, std::size_t at) {
    while (at < text.size() && text[at] == ' ') ++at;
    if (at >= text.size() || !std::isdigit(static_cast<unsigned char>(text[at]))) {
        return std::nullopt;
    }
    const std::string rest(text.substr(at, 8));
    char* end = nullptr;
    const double value = std::strtod(rest.c_str(), &end);
    if (value < 1 || value > 10) {
        return std::nullopt;
    }
    return value;
}

PairwiseOutcome outcomeFor(std::optional<char> verdict, char model_letter) {
    if (!verdict || *verdict == 'C') {
        return PairwiseOutcome::Tie;
    }
    return *verdict == model_letter ? PairwiseOutcome::Win : PairwiseOutcome::Loss;
}

double outcomeScore(PairwiseOutcome outcome) {
    return outcome == PairwiseOutcome::Win ? 1.0 : outcome == PairwiseOutcome::Tie ? 0.5 : 0.0;
}

std::string lastAnswer(const JudgeTurn& turn) {
    return turn.answers.empty() ? std::string() : turn.answers.back();
}

}  // namespace

std::optional<double> parseRating(std::string_view reply) {
    // The last "[[n]]" wins (judges sometimes quote the format before answering).
    std::optional<double> rating;
    for (std::size_t at = reply.find("[["); at != std::string_view::npos; at = reply.find("[[", at + 2)) {
        if (const auto value = numberAt(reply, at + 2)) {
            rating = value;
        }
    }
    if (rating) {
        return rating;
    }
    for (const char* label : {"Điểm:", "điểm:", "Rating:", "rating:", "Score:", "score:"}) {
        const std::size_t at = reply.rfind(label);
        if (at != std::string_view::npos) {
            if (const auto value = numberAt(reply, at + std::string_view(label).size())) {
                return value;
            }
        }
    }
    return std::nullopt;
}

std::optional<char> parseVerdict(std::string_view reply) {
    std::optional<char> verdict;
    for (std::size_t at = reply.find("[["); at != std::string_view::npos; at = reply.find("[[", at + 2)) {
        std::size_t letter = at + 2;
        while (letter < reply.size() && reply[letter] == ' ') ++letter;
        if (letter + 1 < reply.size() &&
            (reply[letter] == 'A' || reply[letter] == 'B' || reply[letter] == 'C')) {
            std::size_t close = letter + 1;
            while (close < reply.size() && reply[close] == ' ') ++close;
            if (reply.substr(close, 2) == "]]") {
                verdict = reply[letter];
            }
        }
    }
    return verdict;
}

bool isVietnameseAnswer(std::string_view answer) {
    return text::identifyLanguage(answer).lang == "vi";
}

Judge::Judge(net::ChatClient& client) : m_client(client) {}

std::string Judge::gradingPrompt(const JudgeTurn& turn) {
    std::string prompt =
        "Hãy đánh giá câu trả lời của trợ lý AI cho lượt cuối của cuộc hội thoại dưới đây. Xét tính hữu ích, "
        "mức độ liên quan, độ chính xác, độ sâu, tính sáng tạo, mức chi tiết và chất lượng tiếng Việt. ";
    if (!turn.reference.empty()) {
        prompt += "Hãy so sánh với câu trả lời tham khảo. ";
    }
    prompt +=
        "Viết một nhận xét ngắn, khách quan, rồi cho điểm từ 1 đến 10 theo đúng định dạng \"[[điểm]]\", ví "
        "dụ: "
        "\"Điểm: [[5]]\".\n\n";
    prompt += dialogue(turn);
    if (!turn.reference.empty()) {
        prompt += "### Câu trả lời tham khảo:\n" + turn.reference + "\n\n";
    }
    prompt += "### Câu trả lời của trợ lý cần chấm:\n" + lastAnswer(turn) + "\n";
    return prompt;
}

std::string Judge::pairwisePrompt(const JudgeTurn& turn, const std::string& first,
                                  const std::string& second) {
    std::string prompt =
        "Hãy so sánh hai câu trả lời của hai trợ lý AI cho lượt cuối của cuộc hội thoại dưới đây. Đánh giá "
        "trợ lý "
        "nào làm theo yêu cầu của người dùng và trả lời tốt hơn (hữu ích, chính xác, đầy đủ, tiếng Việt tự "
        "nhiên). "
        "Không để thứ tự trình bày hay độ dài ảnh hưởng đến đánh giá. Sau một giải thích ngắn, đưa ra kết "
        "luận "
        "theo đúng định dạng: \"[[A]]\" nếu trợ lý A tốt hơn, \"[[B]]\" nếu trợ lý B tốt hơn, \"[[C]]\" nếu "
        "hai "
        "bên ngang nhau.\n\n";
    prompt += dialogue(turn);
    prompt += "### Câu trả lời của trợ lý A:\n" + first + "\n\n";
    prompt += "### Câu trả lời của trợ lý B:\n" + second + "\n";
    return prompt;
}

std::vector<std::string> Judge::ask(const std::vector<std::string>& prompts) {
    std::vector<net::ChatRequest> requests;
    for (const std::string& prompt : prompts) {
        net::ChatRequest request;
        request.messages = {{"system", kJudgeSystem}, {"user", prompt}};
        request.parameters.max_tokens = kJudgeMaxTokens;
        request.parameters.temperature = 0;
        requests.push_back(std::move(request));
    }
    std::vector<std::string> replies(prompts.size());
    m_client.completeAll(requests, [&](std::size_t index, net::ChatResult&& result) {
        if (result.status != net::ChatStatus::Ok) {
            throw UserError("judge " + m_client.url() + ": " + result.error);
        }
        replies[index] = std::move(result.content);
    });
    return replies;
}

std::vector<Grade> Judge::grade(const std::vector<JudgeTurn>& turns) {
    std::vector<Grade> grades(turns.size());
    std::vector<std::string> prompts;
    std::vector<std::size_t> asked;
    for (std::size_t i = 0; i < turns.size(); ++i) {
        if (!isVietnameseAnswer(lastAnswer(turns[i]))) {
            grades[i].score = 1;
            grades[i].language_penalty = true;
            continue;
        }
        prompts.push_back(gradingPrompt(turns[i]));
        asked.push_back(i);
    }
    const std::vector<std::string> replies = ask(prompts);
    for (std::size_t k = 0; k < asked.size(); ++k) {
        Grade& grade = grades[asked[k]];
        grade.judge_reply = replies[k];
        grade.score = parseRating(replies[k]);
    }
    return grades;
}

std::vector<Comparison> Judge::compare(const std::vector<JudgeTurn>& turns) {
    std::vector<Comparison> comparisons(turns.size());
    std::vector<std::string> prompts;
    std::vector<std::size_t> asked;
    for (std::size_t i = 0; i < turns.size(); ++i) {
        if (!isVietnameseAnswer(lastAnswer(turns[i]))) {
            comparisons[i] = {PairwiseOutcome::Loss, PairwiseOutcome::Loss, 0.0, true};
            continue;
        }
        prompts.push_back(pairwisePrompt(turns[i], lastAnswer(turns[i]), turns[i].reference));
        prompts.push_back(pairwisePrompt(turns[i], turns[i].reference, lastAnswer(turns[i])));
        asked.push_back(i);
    }
    const std::vector<std::string> replies = ask(prompts);
    for (std::size_t k = 0; k < asked.size(); ++k) {
        Comparison& comparison = comparisons[asked[k]];
        comparison.model_first = outcomeFor(parseVerdict(replies[2 * k]), 'A');
        comparison.model_second = outcomeFor(parseVerdict(replies[2 * k + 1]), 'B');
        comparison.win_score =
            (outcomeScore(comparison.model_first) + outcomeScore(comparison.model_second)) / 2;
    }
    return comparisons;
}

}  // namespace vietllm::eval
