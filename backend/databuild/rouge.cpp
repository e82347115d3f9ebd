#include "backend/databuild/rouge.h"

#include "backend/text/syllable_tokens.h"

#include <algorithm>
#include <map>

namespace vietllm::databuild {

std::vector<std::string> rougeTokens(std::string_view text) {
    std::vector<std::string> tokens;
    for (text::SyllableToken& token : text::splitSyllables(text)) {
        tokens.push_back(std::move(token.lower));
    }
    return tokens;
}

std::size_t longestCommonSubsequence(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::size_t> row(b.size() + 1, 0);
    for (const std::string& token : a) {
        std::size_t diagonal = 0;  // row[j - 1] of the previous row
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = token == b[j - 1] ? diagonal + 1 : std::max(row[j], row[j - 1]);
            diagonal = above;
        }
    }
    return row.back();
}

double rougeL(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.empty() && b.empty()) {
        return 0;
    }
    return 2.0 * static_cast<double>(longestCommonSubsequence(a, b)) /
           static_cast<double>(a.size() + b.size());
}

double rougeL(std::string_view a, std::string_view b) {
    return rougeL(rougeTokens(a), rougeTokens(b));
}

long long RougeIndex::findSimilar(const std::vector<std::string>& tokens, double* score) const {
    std::map<std::string, std::size_t> counts;
    for (const std::string& token : tokens) {
        ++counts[token];
    }
    std::map<std::size_t, std::size_t> overlap;  // text -> multiset overlap, in text order
    for (const auto& [token, count] : counts) {
        const auto found = m_postings.find(token);
        if (found == m_postings.end()) {
            continue;
        }
        for (const auto& [text_index, text_count] : found->second) {
            overlap[text_index] += std::min(count, text_count);
        }
    }
    for (const auto& [text_index, shared] : overlap) {
        const std::vector<std::string>& kept = m_texts[text_index];
        const double total = static_cast<double>(tokens.size() + kept.size());
        if (2.0 * static_cast<double>(shared) / total < m_threshold) {
            continue;
        }
        ++m_lcs_count;
        const double similarity = rougeL(tokens, kept);
        if (similarity >= m_threshold) {
            if (score != nullptr) {
                *score = similarity;
            }
            return static_cast<long long>(text_index);
        }
    }
    return -1;
}

std::size_t RougeIndex::add(std::vector<std::string> tokens) {
    const std::size_t index = m_texts.size();
    std::map<std::string, std::size_t> counts;
    for (const std::string& token : tokens) {
        ++counts[token];
    }
    for (const auto& [token, count] : counts) {
        m_postings[token].emplace_back(index, count);
    }
    m_texts.push_back(std::move(tokens));
    return index;
}

}  // namespace vietllm::databuild
