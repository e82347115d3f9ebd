#include "backend/eval/evaluator.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/eval/ifeval.h"
#include "backend/eval/judge.h"
#include "backend/eval/metrics.h"
#include "backend/text/normalize.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace vietllm::eval {
namespace {

std::string trimmed(std::string_view text) {
    const std::size_t begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) {
        return {};
    }
    return std::string(text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1));
}

bool isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// The letter at `at` standing alone (no letter right before or after it).
bool standaloneLetter(std::string_view text, std::size_t at) {
    const bool left = at == 0 || !isAsciiLetter(text[at - 1]);
    const bool right = at + 1 >= text.size() || !isAsciiLetter(text[at + 1]);
    return left && right;
}

int letterAfterCue(std::string_view reply, std::size_t choices) {
    const std::string lowered = [&] {
        std::string out(reply);
        std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
        return out;
    }();
    for (const char* cue : {"đáp án", "câu trả lời", "answer", "lựa chọn", "chọn"}) {
        const std::size_t at = lowered.find(cue);
        if (at == std::string::npos) {
            continue;
        }
        for (std::size_t i = at + std::string_view(cue).size(); i < reply.size() && i < at + 40; ++i) {
            const char c = reply[i];
            if (c >= 'A' && static_cast<std::size_t>(c - 'A') < choices && standaloneLetter(reply, i)) {
                return c - 'A';
            }
        }
    }
    return -1;
}

std::size_t codePoints(const std::string& text) {
    return utf8::codePointCount(text);
}

std::vector<std::size_t> chunkEnds(std::size_t total, std::size_t chunk) {
    std::vector<std::size_t> ends;
    for (std::size_t end = chunk; end < total; end += chunk) {
        ends.push_back(end);
    }
    ends.push_back(total);
    return ends;
}

void report(const ProgressCallback& progress, const std::string& task, std::size_t done, std::size_t total) {
    if (progress && !progress(task, done, total)) {
        throw EvalCancelled();
    }
}

double mean(const std::vector<double>& values) {
    if (values.empty()) {
        return 0;
    }
    double sum = 0;
    for (const double v : values) sum += v;
    return sum / static_cast<double>(values.size());
}

GenerationRequest generationRequest(const TaskSpec& task, const std::vector<EvalItem>& items,
                                    std::size_t index) {
    GenerationRequest request;
    request.max_new_tokens = task.max_new_tokens;
    request.stop = task.stop;
    const std::string prompt = fewshotContext(task, items, index);
    if (task.chat) {
        request.messages = {{data::Role::User, prompt}};
    } else {
        request.prompt = prompt;
    }
    return request;
}

// The instruction that makes a chat model answer a multiple-choice prompt with one letter.
std::string letterInstruction(const TaskSpec& task, std::size_t choices) {
    const std::string last = choiceLetter(choices - 1);
    if (task.language == "vi") {
        return "\n\nChỉ trả lời bằng một chữ cái (A-" + last + ") của đáp án đúng.";
    }
    return "\n\nAnswer with the letter (A-" + last + ") of the correct option only.";
}

}  // namespace

int parseChoiceLetter(std::string_view reply, std::size_t choices) {
    const std::string text = trimmed(reply);
    if (text.empty() || choices == 0) {
        return -1;
    }
    const auto valid = [&](char c) { return c >= 'A' && static_cast<std::size_t>(c - 'A') < choices; };
    // "[[B]]", "(B)", "B", "B.", "B)" at the start.
    for (std::size_t at = 0; at < std::min<std::size_t>(text.size(), 3); ++at) {
        if (valid(text[at]) && standaloneLetter(text, at)) {
            return text[at] - 'A';
        }
        if (isAsciiLetter(text[at])) break;
    }
    const int cued = letterAfterCue(text, choices);
    if (cued >= 0) {
        return cued;
    }
    int found = -1;
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (valid(text[at]) && standaloneLetter(text, at)) {
            if (found >= 0 && found != text[at] - 'A') {
                return -1;  // several different letters and no cue: ambiguous
            }
            found = text[at] - 'A';
        }
    }
    return found;
}

Evaluator::Evaluator(ModelBackend& model, Judge* judge, EvaluatorOptions options)
    : m_model(model), m_judge(judge), m_options(options) {
    m_options.chunk_items = std::max<std::size_t>(1, m_options.chunk_items);
}

TaskResult Evaluator::run(const TaskSpec& task, const std::vector<EvalItem>& all_items,
                          const ProgressCallback& progress) {
    const std::size_t count =
        m_options.limit > 0 ? std::min(m_options.limit, all_items.size()) : all_items.size();
    const std::vector<EvalItem> items(all_items.begin(),
                                      all_items.begin() + static_cast<std::ptrdiff_t>(count));
    TaskResult result;
    result.task = task.name;
    result.kind = task.kind;
    result.metric = task.metric;
    report(progress, task.name, 0, items.size());
    if (task.metric == "reward") {
        runRewarded(task, items, result, progress);
        result.metrics["n"] = items.size();
        return result;
    }
    switch (task.kind) {
        case TaskKind::MultipleChoice:
            if (m_model.canScore()) {
                runMultipleChoice(task, items, result, progress);
            } else {
                runLetterChoice(task, items, result, progress);
            }
            break;
        case TaskKind::ExtractiveQa:
        case TaskKind::Translation:
        case TaskKind::InstructionFollowing:
            runGeneration(task, items, result, progress);
            break;
        case TaskKind::Judged:
            runJudged(task, items, result, progress);
            break;
        case TaskKind::BitsPerByte:
            runBitsPerByte(task, items, result, progress);
            break;
        case TaskKind::Invalid:
            throw UserError("task " + task.name + ": no task kind");
    }
    result.metrics["n"] = items.size();
    if (!result.metrics.contains(result.metric)) {
        throw UserError(task.file + ": metric '" + task.metric + "' is not computed by " +
                        taskKindName(task.kind) + " tasks (they give " + result.metrics.dump() + ")");
    }
    return result;
}

void Evaluator::runMultipleChoice(const TaskSpec& task, const std::vector<EvalItem>& items,
                                  TaskResult& result, const ProgressCallback& progress) {
    std::vector<double> acc;
    std::vector<double> acc_norm;
    std::size_t begin = 0;
    for (const std::size_t end : chunkEnds(items.size(), m_options.chunk_items)) {
        std::vector<LoglikelihoodRequest> requests;
        for (std::size_t i = begin; i < end; ++i) {
            const std::string context = fewshotContext(task, items, i);
            for (std::size_t c = 0; c < items[i].choices.size(); ++c) {
                requests.push_back({context, choiceContinuation(task, items[i], c)});
            }
        }
        const std::vector<LoglikelihoodResult> scores = m_model.loglikelihood(requests);
        std::size_t next = 0;
        for (std::size_t i = begin; i < end; ++i) {
            const EvalItem& item = items[i];
            std::vector<double> logprobs;
            std::vector<double> normalized;
            for (std::size_t c = 0; c < item.choices.size(); ++c, ++next) {
                const std::string continuation = choiceContinuation(task, item, c);
                logprobs.push_back(scores[next].logprob);
                normalized.push_back(scores[next].logprob /
                                     static_cast<double>(std::max<std::size_t>(1, codePoints(continuation))));
            }
            const auto pick =
                static_cast<int>(std::max_element(logprobs.begin(), logprobs.end()) - logprobs.begin());
            const auto pick_norm =
                static_cast<int>(std::max_element(normalized.begin(), normalized.end()) - normalized.begin());
            acc.push_back(pick == item.answer ? 1 : 0);
            acc_norm.push_back(pick_norm == item.answer ? 1 : 0);
            ItemResult out;
            out.item_id = item.id;
            out.prompt = renderPrompt(task, item);
            out.choices = item.choices;
            out.output = choiceLetter(static_cast<std::size_t>(pick));
            out.reference = choiceLetter(static_cast<std::size_t>(item.answer));
            out.score = acc.back();
            out.correct = pick == item.answer;
            out.details = {{"logprobs", logprobs},
                           {"pred", pick},
                           {"pred_norm", pick_norm},
                           {"acc_norm", acc_norm.back()},
                           {"fewshot", task.fewshot}};
            result.items.push_back(std::move(out));
        }
        begin = end;
        report(progress, task.name, end, items.size());
    }
    result.metrics["acc"] = mean(acc);
    result.metrics["acc_norm"] = mean(acc_norm);
}

void Evaluator::runLetterChoice(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                                const ProgressCallback& progress) {
    std::vector<double> acc;
    std::size_t unparsed = 0;
    std::size_t begin = 0;
    for (const std::size_t end : chunkEnds(items.size(), m_options.chunk_items)) {
        std::vector<GenerationRequest> requests;
        for (std::size_t i = begin; i < end; ++i) {
            std::string prompt = fewshotContext(task, items, i);
            if (task.choice_style == ChoiceStyle::Text) {
                prompt += "\n" + choiceListing(items[i]);
            }
            GenerationRequest request;
            request.messages = {
                {data::Role::User, prompt + letterInstruction(task, items[i].choices.size())}};
            request.max_new_tokens = 16;
            requests.push_back(std::move(request));
        }
        const std::vector<std::string> replies = m_model.generate(requests);
        for (std::size_t i = begin; i < end; ++i) {
            const EvalItem& item = items[i];
            const int pick = parseChoiceLetter(replies[i - begin], item.choices.size());
            unparsed += pick < 0 ? 1 : 0;
            acc.push_back(pick == item.answer ? 1 : 0);
            ItemResult out;
            out.item_id = item.id;
            out.prompt = requests[i - begin].messages.front().content;
            out.choices = item.choices;
            out.output = replies[i - begin];
            out.reference = choiceLetter(static_cast<std::size_t>(item.answer));
            out.score = acc.back();
            out.correct = pick == item.answer;
            out.details = {{"pred", pick}, {"parsed", pick >= 0}};
            result.items.push_back(std::move(out));
        }
        begin = end;
        report(progress, task.name, end, items.size());
    }
    result.metrics["acc"] = mean(acc);
    result.metrics["unparsed"] = unparsed;
}

void Evaluator::runGeneration(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                              const ProgressCallback& progress) {
    std::vector<std::string> outputs;
    std::size_t begin = 0;
    for (const std::size_t end : chunkEnds(items.size(), m_options.chunk_items)) {
        std::vector<GenerationRequest> requests;
        for (std::size_t i = begin; i < end; ++i) requests.push_back(generationRequest(task, items, i));
        for (std::string& output : m_model.generate(requests)) outputs.push_back(std::move(output));
        begin = end;
        report(progress, task.name, end, items.size());
    }
    std::vector<double> em, f1, prompt_strict, prompt_loose, instruction_strict, instruction_loose;
    std::vector<std::string> hypotheses;
    std::vector<std::string> references;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const EvalItem& item = items[i];
        ItemResult out;
        out.item_id = item.id;
        out.prompt = renderPrompt(task, item);
        out.output = outputs[i];
        out.reference = item.references.empty() ? std::string() : item.references.front();
        if (task.kind == TaskKind::ExtractiveQa) {
            const std::string answer = trimmed(outputs[i].substr(0, outputs[i].find('\n')));
            em.push_back(exactMatch(answer, item.references));
            f1.push_back(tokenF1(answer, item.references));
            out.score = f1.back();
            out.correct = em.back() > 0;
            out.details = {{"em", em.back()}, {"f1", f1.back()}, {"answers", item.references}};
        } else if (task.kind == TaskKind::Translation) {
            const std::string hypothesis = trimmed(outputs[i].substr(0, outputs[i].find('\n')));
            hypotheses.push_back(hypothesis);
            references.push_back(out.reference);
            out.output = hypothesis;
            out.score = corpusChrf({hypothesis}, {{out.reference}});
            out.details = {{"chrf", *out.score}};
        } else {
            bool all_strict = true;
            bool all_loose = true;
            nlohmann::json checks = nlohmann::json::array();
            for (const Constraint& constraint : item.constraints) {
                const InstructionOutcome outcome =
                    checkInstruction(constraint.kind, constraint.kwargs, outputs[i], task.language);
                all_strict = all_strict && outcome.strict;
                all_loose = all_loose && outcome.loose;
                instruction_strict.push_back(outcome.strict ? 1 : 0);
                instruction_loose.push_back(outcome.loose ? 1 : 0);
                checks.push_back(
                    {{"kind", outcome.kind}, {"strict", outcome.strict}, {"loose", outcome.loose}});
            }
            prompt_strict.push_back(all_strict ? 1 : 0);
            prompt_loose.push_back(all_loose ? 1 : 0);
            out.score = prompt_strict.back();
            out.correct = all_strict;
            out.details = {{"instructions", checks}};
        }
        result.items.push_back(std::move(out));
    }
    if (task.kind == TaskKind::ExtractiveQa) {
        result.metrics["exact_match"] = mean(em);
        result.metrics["f1"] = mean(f1);
    } else if (task.kind == TaskKind::Translation) {
        result.metrics["chrf"] = hypotheses.empty() ? 0.0 : corpusChrf(hypotheses, {references});
        result.metrics["bleu"] = hypotheses.empty() ? 0.0 : corpusBleu(hypotheses, {references}).score;
    } else {
        result.metrics["prompt_strict_acc"] = mean(prompt_strict);
        result.metrics["prompt_loose_acc"] = mean(prompt_loose);
        result.metrics["instruction_strict_acc"] = mean(instruction_strict);
        result.metrics["instruction_loose_acc"] = mean(instruction_loose);
    }
}

void Evaluator::runJudged(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                          const ProgressCallback& progress) {
    if (m_judge == nullptr) {
        throw UserError("task " + task.name +
                        " is graded by a judge model: give --judge-endpoint and --judge-model");
    }
    std::vector<double> scores;
    std::vector<double> win_rates;
    std::size_t penalties = 0;
    std::size_t begin = 0;
    for (const std::size_t end : chunkEnds(items.size(), m_options.chunk_items)) {
        std::vector<std::vector<data::Message>> conversations(end - begin);
        std::vector<JudgeTurn> turns;
        std::vector<std::size_t> owner;
        std::size_t max_turns = 0;
        for (std::size_t i = begin; i < end; ++i) max_turns = std::max(max_turns, items[i].turns.size());
        for (std::size_t t = 0; t < max_turns; ++t) {
            std::vector<GenerationRequest> requests;
            std::vector<std::size_t> rows;
            for (std::size_t i = begin; i < end; ++i) {
                if (t >= items[i].turns.size()) continue;
                conversations[i - begin].push_back({data::Role::User, items[i].turns[t]});
                GenerationRequest request;
                request.messages = conversations[i - begin];
                request.max_new_tokens = task.max_new_tokens;
                requests.push_back(std::move(request));
                rows.push_back(i);
            }
            const std::vector<std::string> answers = m_model.generate(requests);
            for (std::size_t k = 0; k < rows.size(); ++k) {
                const std::size_t i = rows[k];
                conversations[i - begin].push_back({data::Role::Assistant, answers[k]});
                JudgeTurn turn;
                for (const data::Message& message : conversations[i - begin]) {
                    (message.role == data::Role::User ? turn.questions : turn.answers)
                        .push_back(message.content);
                }
                turn.reference =
                    t < items[i].reference_turns.size() ? items[i].reference_turns[t] : std::string();
                turns.push_back(std::move(turn));
                owner.push_back(i);
            }
        }
        const std::vector<Grade> grades = m_judge->grade(turns);
        const std::vector<Comparison> comparisons = m_judge->compare(turns);
        for (std::size_t i = begin; i < end; ++i) {
            ItemResult out;
            out.item_id = items[i].id;
            out.prompt = items[i].turns.front();
            nlohmann::json turn_details = nlohmann::json::array();
            std::vector<double> item_scores;
            std::vector<double> item_wins;
            std::string transcript;
            for (std::size_t k = 0; k < turns.size(); ++k) {
                if (owner[k] != i) continue;
                const Grade& grade = grades[k];
                const Comparison& comparison = comparisons[k];
                if (grade.score) item_scores.push_back(*grade.score);
                item_wins.push_back(comparison.win_score);
                penalties += grade.language_penalty ? 1 : 0;
                transcript += (transcript.empty() ? "" : "\n\n---\n\n") + turns[k].answers.back();
                turn_details.push_back(
                    {{"grade", grade.score ? nlohmann::json(*grade.score) : nlohmann::json()},
                     {"language_penalty", grade.language_penalty},
                     {"win_score", comparison.win_score},
                     {"judge_reply", grade.judge_reply}});
            }
            out.output = transcript;
            out.reference =
                items[i].reference_turns.empty() ? std::string() : items[i].reference_turns.front();
            if (!item_scores.empty()) {
                out.score = mean(item_scores);
                scores.push_back(*out.score);
            }
            win_rates.push_back(mean(item_wins));
            out.details = {{"turns", turn_details}, {"win_rate", win_rates.back()}};
            result.items.push_back(std::move(out));
        }
        begin = end;
        report(progress, task.name, end, items.size());
    }
    result.metrics["score"] = mean(scores);
    result.metrics["win_rate"] = mean(win_rates);
    result.metrics["language_penalties"] = penalties;
}

// Chat replies scored by a reward model: each item's user turns (or its rendered prompt as one turn)
// are answered one after another, every answer is scored in its context, and an item's score is
// the mean reward of its answers.
void Evaluator::runRewarded(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                            const ProgressCallback& progress) {
    if (m_reward == nullptr) {
        throw UserError("task " + task.name + " is scored by a reward model: give --reward-model DIR");
    }
    std::vector<double> item_rewards;
    std::size_t begin = 0;
    for (const std::size_t end : chunkEnds(items.size(), m_options.chunk_items)) {
        std::vector<std::vector<std::string>> turns;
        for (std::size_t i = begin; i < end; ++i) {
            turns.push_back(items[i].turns.empty() ? std::vector<std::string>{renderPrompt(task, items[i])}
                                                   : items[i].turns);
        }
        std::vector<std::vector<data::Message>> conversations(turns.size());
        std::vector<std::vector<double>> rewards(turns.size());
        std::size_t max_turns = 0;
        for (const auto& item_turns : turns) max_turns = std::max(max_turns, item_turns.size());
        for (std::size_t t = 0; t < max_turns; ++t) {
            std::vector<GenerationRequest> requests;
            std::vector<std::size_t> rows;
            for (std::size_t k = 0; k < turns.size(); ++k) {
                if (t >= turns[k].size()) continue;
                conversations[k].push_back({data::Role::User, turns[k][t]});
                GenerationRequest request;
                request.messages = conversations[k];
                request.max_new_tokens = task.max_new_tokens;
                request.stop = task.stop;
                requests.push_back(std::move(request));
                rows.push_back(k);
            }
            const std::vector<std::string> answers = m_model.generate(requests);
            std::vector<std::vector<data::Message>> contexts;
            for (const std::size_t k : rows) contexts.push_back(conversations[k]);
            const std::vector<double> scored = m_reward->score(contexts, answers);
            for (std::size_t r = 0; r < rows.size(); ++r) {
                conversations[rows[r]].push_back({data::Role::Assistant, answers[r]});
                rewards[rows[r]].push_back(scored[r]);
            }
        }
        for (std::size_t k = 0; k < turns.size(); ++k) {
            ItemResult out;
            out.item_id = items[begin + k].id;
            out.prompt = turns[k].front();
            std::string transcript;
            for (const data::Message& message : conversations[k]) {
                if (message.role != data::Role::Assistant) continue;
                transcript += (transcript.empty() ? "" : "\n\n---\n\n") + message.content;
            }
            out.output = transcript;
            out.score = mean(rewards[k]);
            out.details = {{"turn_rewards", rewards[k]}};
            item_rewards.push_back(*out.score);
            result.items.push_back(std::move(out));
        }
        begin = end;
        report(progress, task.name, end, items.size());
    }
    result.metrics["reward"] = mean(item_rewards);
    result.metrics["reward_min"] =
        item_rewards.empty() ? 0.0 : *std::min_element(item_rewards.begin(), item_rewards.end());
    result.metrics["reward_max"] =
        item_rewards.empty() ? 0.0 : *std::max_element(item_rewards.begin(), item_rewards.end());
}

void Evaluator::runBitsPerByte(const TaskSpec& task, const std::vector<EvalItem>& items, TaskResult& result,
                               const ProgressCallback& progress) {
    if (!m_model.canScore()) {
        throw UserError("task " + task.name +
                        " needs token log-probabilities: run it on a local model (--model)");
    }
    double nll = 0;
    std::size_t bytes = 0;
    std::size_t tokens = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string document = text::toNfc(items[i].text);
        const RollingResult rolling = m_model.rolling(document, task.window_tokens);
        nll += rolling.nll_nats;
        bytes += document.size();
        tokens += rolling.tokens;
        ItemResult out;
        out.item_id = items[i].id;
        out.prompt = document.substr(0, 200);
        out.score =
            document.empty() ? 0.0 : rolling.nll_nats / std::log(2.0) / static_cast<double>(document.size());
        out.details = {
            {"nll_nats", rolling.nll_nats}, {"bytes", document.size()}, {"tokens", rolling.tokens}};
        result.items.push_back(std::move(out));
        if ((i + 1) % m_options.chunk_items == 0 || i + 1 == items.size()) {
            report(progress, task.name, i + 1, items.size());
        }
    }
    const double bpb = bytes == 0 ? 0.0 : nll / std::log(2.0) / static_cast<double>(bytes);
    result.metrics["bits_per_byte"] = bpb;
    result.metrics["byte_perplexity"] = std::pow(2.0, bpb);
    result.metrics["token_perplexity"] = tokens == 0 ? 0.0 : std::exp(nll / static_cast<double>(tokens));
    result.metrics["bytes"] = bytes;
}

nlohmann::json resultsJson(const std::string& model, const std::vector<TaskResult>& results,
                           const nlohmann::json& config) {
    nlohmann::json tasks = nlohmann::json::object();
    for (const TaskResult& result : results) {
        nlohmann::json entry = result.metrics;
        entry["kind"] = taskKindName(result.kind);
        entry["metric"] = result.metric;
        tasks[result.task] = entry;
    }
    return {{"model", model}, {"tasks", tasks}, {"config", config}};
}

std::string resultsMarkdown(const std::string& model, const std::vector<TaskResult>& results) {
    std::ostringstream out;
    out << "# Evaluation of " << model << "\n\n| task | metric | value | n |\n|---|---|---|---|\n";
    for (const TaskResult& result : results) {
        for (const auto& [name, value] : result.metrics.items()) {
            if (name == "n" || !value.is_number()) continue;
            out << "| " << result.task << " | " << (name == result.metric ? "**" + name + "**" : name)
                << " | " << std::fixed << std::setprecision(4) << value.get<double>() << " | "
                << result.metrics["n"] << " |\n";
        }
    }
    return out.str();
}

}  // namespace vietllm::eval
