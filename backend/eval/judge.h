#pragma once
// LLM-as-judge for MT-Bench-vi style tasks, through an OpenAI-compatible endpoint (net::ChatClient:
// retries, cache): single-answer grading 1-10 with a Vietnamese grading prompt, and pairwise
// comparison against a reference answer in both orders (to cancel position bias). An answer that
// is not Vietnamese gets the lowest grade (and loses the comparison) without calling the judge.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::net {
class ChatClient;
}

namespace vietllm::eval {

/// One dialogue turn to grade: the earlier turns give context.
struct JudgeTurn {
    std::vector<std::string> questions;  ///< the user turns up to this one
    std::vector<std::string> answers;    ///< the model's answers up to this one (same length)
    std::string reference;               ///< the reference answer of the last turn ("" for none)
};

struct Grade {
    std::optional<double> score;  ///< 1..10; none when the judge's reply had no rating
    bool language_penalty = false;
    std::string judge_reply;
};

enum class PairwiseOutcome { Invalid = 0, Win, Tie, Loss };

struct Comparison {
    PairwiseOutcome model_first = PairwiseOutcome::Invalid;   ///< verdict with the model as A
    PairwiseOutcome model_second = PairwiseOutcome::Invalid;  ///< verdict with the model as B
    double win_score = 0;  ///< win 1, tie 0.5, loss 0, averaged over both orders
    bool language_penalty = false;
};

/// The rating in a judge reply: "[[8]]", "[[8.5]]", "Điểm: 8/10", "Rating: 8"; none otherwise or
/// outside 1..10.
std::optional<double> parseRating(std::string_view reply);

/// The verdict in a pairwise reply: 'A', 'B' or 'C' (tie) from "[[A]]", "[[B]]", "[[C]]"; none otherwise.
std::optional<char> parseVerdict(std::string_view reply);

/// True when `answer` reads as Vietnamese (the language gate).
bool isVietnameseAnswer(std::string_view answer);

class Judge {
public:
    /// Uses `client` (not owned) for every judge call.
    explicit Judge(net::ChatClient& client);

    /// Grades every turn (requests run concurrently through the client); order kept.
    std::vector<Grade> grade(const std::vector<JudgeTurn>& turns);
    /// Compares the model's last answer of each turn with its reference, both orders.
    std::vector<Comparison> compare(const std::vector<JudgeTurn>& turns);

    /// The grading prompt sent for `turn` (Vietnamese).
    static std::string gradingPrompt(const JudgeTurn& turn);
    /// The pairwise prompt with `first` as answer A and `second` as answer B.
    static std::string pairwisePrompt(const JudgeTurn& turn, const std::string& first,
                                      const std::string& second);

private:
    std::vector<std::string> ask(const std::vector<std::string>& prompts);

    net::ChatClient& m_client;
};

}  // namespace vietllm::eval
