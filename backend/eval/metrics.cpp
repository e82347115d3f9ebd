#include "backend/eval/metrics.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/text/normalize.h"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <sstream>

namespace vietllm::eval {
namespace {

constexpr int kBleuOrder = 4;

// The first rule of 13a: these ASCII symbols become separate tokens.
bool isSplitSymbol(char c) {
    return (c >= '{' && c <= '~') || (c >= '[' && c <= '`') || (c >= ' ' && c <= '&') ||
           (c >= '(' && c <= '+') || (c >= ':' && c <= '@') || c == '/';
}

std::string replaceAll(std::string text, std::string_view from, std::string_view to) {
    std::size_t position = 0;
    while ((position = text.find(from, position)) != std::string::npos) {
        text.replace(position, from.size(), to);
        position += to.size();
    }
    return text;
}

std::vector<std::string> splitWhitespace(std::string_view text) {
    std::vector<std::string> words;
    std::istringstream stream{std::string(text)};
    std::string word;
    while (stream >> word) {
        words.push_back(word);
    }
    return words;
}

using NgramCounts = std::map<std::string, std::size_t>;

NgramCounts wordNgrams(const std::vector<std::string>& words, int order) {
    NgramCounts counts;
    const auto n = static_cast<std::size_t>(order);
    for (std::size_t begin = 0; begin + n <= words.size(); ++begin) {
        std::string key = words[begin];
        for (std::size_t i = 1; i < n; ++i) {
            key += ' ' + words[begin + i];
        }
        ++counts[key];
    }
    return counts;
}

NgramCounts charNgrams(const std::u32string& chars, int order) {
    NgramCounts counts;
    const auto n = static_cast<std::size_t>(order);
    for (std::size_t begin = 0; begin + n <= chars.size(); ++begin) {
        ++counts[utf8::encode(std::u32string_view(chars).substr(begin, n))];
    }
    return counts;
}

std::size_t clippedMatches(const NgramCounts& hypothesis, const NgramCounts& reference) {
    std::size_t matches = 0;
    for (const auto& [ngram, count] : hypothesis) {
        const auto found = reference.find(ngram);
        if (found != reference.end()) {
            matches += std::min(count, found->second);
        }
    }
    return matches;
}

std::size_t totalCount(const NgramCounts& counts) {
    std::size_t total = 0;
    for (const auto& entry : counts) {
        total += entry.second;
    }
    return total;
}

void checkStreams(const std::vector<std::string>& hypotheses,
                  const std::vector<std::vector<std::string>>& references) {
    if (references.empty()) {
        throw UserError("metrics: no reference stream given");
    }
    for (const auto& stream : references) {
        if (stream.size() != hypotheses.size()) {
            throw UserError("metrics: " + std::to_string(hypotheses.size()) +
                            " hypotheses but a reference stream of " + std::to_string(stream.size()) +
                            " segments");
        }
    }
}

std::u32string lowerCase(std::u32string text) {
    for (char32_t& c : text) {
        c = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
    }
    return text;
}

bool isAsciiPunctuation(char32_t c) {
    return c < 128 && std::ispunct(static_cast<int>(c)) != 0;
}

// sacreBLEU's chrF++ word split: a word longer than one character loses one leading or trailing
// ASCII punctuation mark, which becomes a word of its own.
std::vector<std::string> chrfWords(const std::u32string& text) {
    std::vector<std::string> words;
    for (const std::string& word : splitWhitespace(utf8::encode(text))) {
        const std::u32string chars = utf8::decode(word);
        if (chars.size() > 1 && isAsciiPunctuation(chars.back())) {
            words.push_back(utf8::encode(std::u32string_view(chars).substr(0, chars.size() - 1)));
            words.push_back(utf8::encode(std::u32string_view(chars).substr(chars.size() - 1)));
        } else if (chars.size() > 1 && isAsciiPunctuation(chars.front())) {
            words.push_back(utf8::encode(std::u32string_view(chars).substr(0, 1)));
            words.push_back(utf8::encode(std::u32string_view(chars).substr(1)));
        } else {
            words.push_back(word);
        }
    }
    return words;
}

// Per order: hypothesis n-grams, reference n-grams, matches.
using ChrfStatistics = std::vector<std::size_t>;

struct ChrfSide {
    std::vector<NgramCounts> orders;
};

ChrfSide chrfSide(const std::string& text, const ChrfOptions& options) {
    std::u32string chars = utf8::decode(text);
    if (options.lowercase) {
        chars = lowerCase(chars);
    }
    std::u32string no_spaces;
    for (const char32_t c : chars) {
        if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')) {
            no_spaces += c;
        }
    }
    ChrfSide side;
    for (int n = 1; n <= options.char_order; ++n) {
        side.orders.push_back(charNgrams(no_spaces, n));
    }
    const std::vector<std::string> words = chrfWords(chars);
    for (int n = 1; n <= options.word_order; ++n) {
        side.orders.push_back(wordNgrams(words, n));
    }
    return side;
}

ChrfStatistics chrfStatistics(const ChrfSide& hypothesis, const ChrfSide& reference) {
    ChrfStatistics statistics;
    for (std::size_t order = 0; order < hypothesis.orders.size(); ++order) {
        statistics.push_back(totalCount(hypothesis.orders[order]));
        statistics.push_back(totalCount(reference.orders[order]));
        statistics.push_back(clippedMatches(hypothesis.orders[order], reference.orders[order]));
    }
    return statistics;
}

double chrfFromStatistics(const ChrfStatistics& statistics, const ChrfOptions& options) {
    constexpr double kEps = 1e-16;
    const double factor = options.beta * options.beta;
    const std::size_t orders = statistics.size() / 3;
    double eps_sum = 0;
    double precision_sum = 0;
    double recall_sum = 0;
    std::size_t effective_order = 0;
    for (std::size_t order = 0; order < orders; ++order) {
        const auto hypothesis_count = static_cast<double>(statistics[3 * order]);
        const auto reference_count = static_cast<double>(statistics[3 * order + 1]);
        const auto matches = static_cast<double>(statistics[3 * order + 2]);
        const double precision = hypothesis_count > 0 ? matches / hypothesis_count : kEps;
        const double recall = reference_count > 0 ? matches / reference_count : kEps;
        const double denominator = factor * precision + recall;
        eps_sum += denominator > 0 ? (1 + factor) * precision * recall / denominator : kEps;
        if (hypothesis_count > 0 && reference_count > 0) {
            precision_sum += precision;
            recall_sum += recall;
            ++effective_order;
        }
    }
    if (options.eps_smoothing) {
        return 100 * eps_sum / static_cast<double>(orders);
    }
    if (effective_order == 0) {
        return 0;
    }
    const double precision = precision_sum / static_cast<double>(effective_order);
    const double recall = recall_sum / static_cast<double>(effective_order);
    if (precision + recall <= 0) {
        return 0;
    }
    return 100 * (1 + factor) * precision * recall / (factor * precision + recall);
}

std::string lowerUtf8(std::string_view text) {
    return utf8::encode(lowerCase(utf8::decode(text)));
}

std::vector<std::string> answerTokens(std::string_view text) {
    return splitWhitespace(normalizeAnswer(text));
}

}  // namespace

std::string tokenize13a(std::string_view text) {
    std::string line = replaceAll(std::string(text), "<skipped>", "");
    line = replaceAll(line, "-\n", "");
    std::replace(line.begin(), line.end(), '\n', ' ');
    if (line.find('&') != std::string::npos) {
        line = replaceAll(line, "&quot;", "\"");
        line = replaceAll(line, "&amp;", "&");
        line = replaceAll(line, "&lt;", "<");
        line = replaceAll(line, "&gt;", ">");
    }
    std::string spaced = " ";
    for (const char c : line) {
        if (isSplitSymbol(c)) {
            spaced += ' ';
            spaced += c;
            spaced += ' ';
        } else {
            spaced += c;
        }
    }
    spaced += ' ';
    static const std::regex period_after(R"(([^0-9])([\.,]))");
    static const std::regex period_before(R"(([\.,])([^0-9]))");
    static const std::regex dash_after_digit(R"(([0-9])(-))");
    spaced = std::regex_replace(spaced, period_after, "$1 $2 ");
    spaced = std::regex_replace(spaced, period_before, " $1 $2");
    spaced = std::regex_replace(spaced, dash_after_digit, "$1 $2 ");
    std::string out;
    for (const std::string& word : splitWhitespace(spaced)) {
        out += out.empty() ? word : ' ' + word;
    }
    return out;
}

BleuScore bleuFromStatistics(const std::vector<std::size_t>& matches, const std::vector<std::size_t>& totals,
                             std::size_t hypothesis_length, std::size_t reference_length) {
    BleuScore bleu;
    bleu.matches = matches;
    bleu.totals = totals;
    bleu.hypothesis_length = hypothesis_length;
    bleu.reference_length = reference_length;
    if (hypothesis_length == 0) {
        bleu.brevity_penalty = 0;
        return bleu;
    }
    if (hypothesis_length < reference_length) {
        bleu.brevity_penalty =
            std::exp(1 - static_cast<double>(reference_length) / static_cast<double>(hypothesis_length));
    }
    double smooth = 1;
    double log_sum = 0;
    for (std::size_t n = 0; n < matches.size(); ++n) {
        double precision = 0;
        if (totals[n] == 0) {
            log_sum += -9999999999.0;  // sacreBLEU's log(0) stand-in: the score collapses to 0
            continue;
        }
        if (matches[n] == 0) {
            smooth *= 2;
            precision = 100.0 / (smooth * static_cast<double>(totals[n]));
        } else {
            precision = 100.0 * static_cast<double>(matches[n]) / static_cast<double>(totals[n]);
        }
        log_sum += std::log(precision);
    }
    bleu.score = bleu.brevity_penalty * std::exp(log_sum / static_cast<double>(matches.size()));
    return bleu;
}

BleuScore corpusBleu(const std::vector<std::string>& hypotheses,
                     const std::vector<std::vector<std::string>>& references) {
    checkStreams(hypotheses, references);
    std::vector<std::size_t> matches(kBleuOrder, 0);
    std::vector<std::size_t> totals(kBleuOrder, 0);
    std::size_t hypothesis_length = 0;
    std::size_t reference_length = 0;
    for (std::size_t i = 0; i < hypotheses.size(); ++i) {
        const std::vector<std::string> words = splitWhitespace(tokenize13a(hypotheses[i]));
        std::vector<NgramCounts> max_reference(kBleuOrder);
        std::size_t closest = 0;
        std::size_t closest_diff = SIZE_MAX;
        for (const auto& stream : references) {
            const std::vector<std::string> ref_words = splitWhitespace(tokenize13a(stream[i]));
            const std::size_t diff = ref_words.size() > words.size() ? ref_words.size() - words.size()
                                                                     : words.size() - ref_words.size();
            if (diff < closest_diff || (diff == closest_diff && ref_words.size() < closest)) {
                closest_diff = diff;
                closest = ref_words.size();
            }
            for (int n = 1; n <= kBleuOrder; ++n) {
                for (const auto& [ngram, count] : wordNgrams(ref_words, n)) {
                    std::size_t& best = max_reference[static_cast<std::size_t>(n - 1)][ngram];
                    best = std::max(best, count);
                }
            }
        }
        hypothesis_length += words.size();
        reference_length += closest;
        for (int n = 1; n <= kBleuOrder; ++n) {
            const NgramCounts counts = wordNgrams(words, n);
            const auto index = static_cast<std::size_t>(n - 1);
            matches[index] += clippedMatches(counts, max_reference[index]);
            totals[index] += totalCount(counts);
        }
    }
    return bleuFromStatistics(matches, totals, hypothesis_length, reference_length);
}

double corpusChrf(const std::vector<std::string>& hypotheses,
                  const std::vector<std::vector<std::string>>& references, const ChrfOptions& options) {
    checkStreams(hypotheses, references);
    ChrfStatistics corpus(3 * static_cast<std::size_t>(options.char_order + options.word_order), 0);
    for (std::size_t i = 0; i < hypotheses.size(); ++i) {
        const ChrfSide hypothesis = chrfSide(hypotheses[i], options);
        ChrfStatistics best;
        double best_score = -1;
        for (const auto& stream : references) {
            ChrfStatistics statistics = chrfStatistics(hypothesis, chrfSide(stream[i], options));
            const double score = chrfFromStatistics(statistics, options);
            if (score > best_score) {
                best_score = score;
                best = std::move(statistics);
            }
        }
        for (std::size_t k = 0; k < corpus.size(); ++k) {
            corpus[k] += best[k];
        }
    }
    return chrfFromStatistics(corpus, options);
}

std::string normalizeAnswer(std::string_view text) {
    const std::u32string chars = utf8::decode(lowerUtf8(text::normalize(text)));
    std::u32string kept;
    for (const char32_t c : chars) {
        const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
        const bool punctuation = category >= UTF8PROC_CATEGORY_PC && category <= UTF8PROC_CATEGORY_PO;
        const bool symbol = category >= UTF8PROC_CATEGORY_SM && category <= UTF8PROC_CATEGORY_SO;
        kept += punctuation || symbol ? U' ' : c;
    }
    std::string out;
    for (const std::string& word : splitWhitespace(utf8::encode(kept))) {
        out += out.empty() ? word : ' ' + word;
    }
    return out;
}

double exactMatch(std::string_view prediction, const std::vector<std::string>& references) {
    const std::string normalized = normalizeAnswer(prediction);
    for (const std::string& reference : references) {
        if (normalizeAnswer(reference) == normalized) {
            return 1;
        }
    }
    return 0;
}

double tokenF1(std::string_view prediction, const std::vector<std::string>& references) {
    const std::vector<std::string> predicted = answerTokens(prediction);
    double best = 0;
    for (const std::string& reference : references) {
        const std::vector<std::string> expected = answerTokens(reference);
        if (predicted.empty() || expected.empty()) {
            best = std::max(best, predicted.empty() && expected.empty() ? 1.0 : 0.0);
            continue;
        }
        const std::size_t common = clippedMatches(wordNgrams(predicted, 1), wordNgrams(expected, 1));
        if (common == 0) {
            continue;
        }
        const double precision = static_cast<double>(common) / static_cast<double>(predicted.size());
        const double recall = static_cast<double>(common) / static_cast<double>(expected.size());
        best = std::max(best, 2 * precision * recall / (precision + recall));
    }
    return best;
}

}  // namespace vietllm::eval
