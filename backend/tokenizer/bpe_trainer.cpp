#include "backend/tokenizer/bpe_trainer.h"

#include <queue>
#include <unordered_map>

namespace vietllm::tokenizer {

namespace {

std::uint64_t pairKey(TokenId left, TokenId right) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) |
           static_cast<std::uint32_t>(right);
}

TokenId leftOf(std::uint64_t key) {
    return static_cast<TokenId>(key >> 32);
}

TokenId rightOf(std::uint64_t key) {
    return static_cast<TokenId>(key & 0xFFFFFFFFu);
}

// A heap entry; stale when its count no longer equals the pair's current count.
struct HeapEntry {
    std::int64_t count = 0;
    std::uint64_t key = 0;
    // Lower priority: fewer occurrences, then the larger (left, right) ids.
    bool operator<(const HeapEntry& other) const {
        return count != other.count ? count < other.count : key > other.key;
    }
};

// The counts, the pair -> words index and the heap, updated together.
class PairTable {
public:
    PairTable(const std::vector<std::string>& vocabulary, const PairFilter& filter)
        : m_vocabulary(vocabulary), m_filter(filter) {}

    // Counts every allowed pair of `ids` `count` times (the initial table).
    void addWord(const std::vector<TokenId>& ids, std::int64_t count, std::uint32_t word) {
        for (std::size_t i = 0; i + 1 < ids.size(); ++i) change(ids[i], ids[i + 1], count, word, -1);
    }

    // Adds `delta` to the pair (left, right) if it is allowed; a pair that gains a word holding
    // `indexed` (every pair when it is -1) lists the word, so that a later merge finds it.
    void change(TokenId left, TokenId right, std::int64_t delta, std::uint32_t word, TokenId indexed) {
        const std::uint64_t key = pairKey(left, right);
        if (!allowed(key)) return;
        m_delta[key] += delta;
        if (delta < 0 || (indexed >= 0 && left != indexed && right != indexed)) return;
        std::vector<std::uint32_t>& words = m_where[key];
        if (words.empty() || words.back() != word) words.push_back(word);
    }

    // Applies the pending changes and queues the pairs whose counts changed.
    void commit() {
        for (const auto& [key, delta] : m_delta) {
            if (delta == 0) continue;
            std::int64_t& count = m_counts[key];
            count += delta;
            if (count > 0) m_heap.push({count, key});
        }
        m_delta.clear();
    }

    // The most frequent pair (key, count), or count 0 when none is left.
    HeapEntry popBest() {
        while (!m_heap.empty()) {
            const HeapEntry top = m_heap.top();
            m_heap.pop();
            const auto found = m_counts.find(top.key);
            if (found != m_counts.end() && found->second == top.count) return top;
        }
        return {};
    }

    std::vector<std::uint32_t> takeWords(std::uint64_t key) {
        std::vector<std::uint32_t> words = std::move(m_where[key]);
        m_where.erase(key);
        return words;
    }

private:
    bool allowed(std::uint64_t key) {
        if (!m_filter) return true;
        const auto cached = m_allowed.find(key);
        if (cached != m_allowed.end()) return cached->second;
        const bool allow = m_filter(m_vocabulary[static_cast<std::size_t>(leftOf(key))],
                                    m_vocabulary[static_cast<std::size_t>(rightOf(key))]);
        m_allowed.emplace(key, allow);
        return allow;
    }

    const std::vector<std::string>& m_vocabulary;
    const PairFilter& m_filter;
    std::unordered_map<std::uint64_t, std::int64_t> m_counts;
    std::unordered_map<std::uint64_t, std::int64_t> m_delta;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> m_where;
    std::unordered_map<std::uint64_t, bool> m_allowed;
    std::priority_queue<HeapEntry> m_heap;
};

// Replaces every non-overlapping (left, right) of word `w`, left to right, by `merged`, and
// tells `pairs` how the counts of the neighbouring pairs change (only around each occurrence).
bool mergeWord(TrainingWord& word, std::uint32_t w, TokenId left, TokenId right, TokenId merged,
               PairTable& pairs) {
    const std::vector<TokenId>& ids = word.ids;
    std::vector<TokenId> out;
    out.reserve(ids.size());
    bool changed = false;
    for (std::size_t i = 0; i < ids.size();) {
        if (i + 1 < ids.size() && ids[i] == left && ids[i + 1] == right) {
            pairs.change(left, right, -word.count, w, merged);
            if (!out.empty()) {
                pairs.change(out.back(), left, -word.count, w, merged);
                pairs.change(out.back(), merged, word.count, w, merged);
            }
            if (i + 2 < ids.size()) {
                pairs.change(right, ids[i + 2], -word.count, w, merged);
                pairs.change(merged, ids[i + 2], word.count, w, merged);
            }
            out.push_back(merged);
            i += 2;
            changed = true;
        } else {
            out.push_back(ids[i++]);
        }
    }
    if (changed) word.ids = std::move(out);
    return changed;
}

}  // namespace

BpeTrainer::BpeTrainer(std::vector<std::string> vocabulary) : m_vocabulary(std::move(vocabulary)) {}

std::vector<LearnedMerge> BpeTrainer::train(std::vector<TrainingWord> words,
                                            const BpeTrainerOptions& options) {
    std::vector<LearnedMerge> merges;
    if (options.new_tokens == 0) return merges;
    std::unordered_map<std::string, TokenId> ids_by_text;
    for (std::size_t id = 0; id < m_vocabulary.size(); ++id) {
        if (!m_vocabulary[id].empty()) ids_by_text.emplace(m_vocabulary[id], static_cast<TokenId>(id));
    }
    PairTable pairs(m_vocabulary, options.allow_pair);
    for (std::size_t w = 0; w < words.size(); ++w) {
        pairs.addWord(words[w].ids, words[w].count, static_cast<std::uint32_t>(w));
    }
    pairs.commit();
    std::size_t new_tokens = 0;
    while (new_tokens < options.new_tokens) {
        if (options.cancel && options.cancel->load()) break;
        const HeapEntry best = pairs.popBest();
        if (best.count <= 0 || best.count < options.min_frequency) break;
        const TokenId left = leftOf(best.key);
        const TokenId right = rightOf(best.key);
        const std::string text =
            m_vocabulary[static_cast<std::size_t>(left)] + m_vocabulary[static_cast<std::size_t>(right)];
        LearnedMerge merge{left, right, 0, best.count, false};
        const auto existing = ids_by_text.find(text);
        if (existing != ids_by_text.end()) {
            merge.merged = existing->second;
        } else {
            merge.merged = static_cast<TokenId>(m_vocabulary.size());
            merge.new_token = true;
            m_vocabulary.push_back(text);
            ids_by_text.emplace(text, merge.merged);
            ++new_tokens;
        }
        for (const std::uint32_t w : pairs.takeWords(best.key)) {
            mergeWord(words[w], w, left, right, merge.merged, pairs);  // false: a stale index entry
        }
        pairs.commit();
        merges.push_back(merge);
        if (options.on_progress && merges.size() % 256 == 0) options.on_progress(new_tokens);
    }
    return merges;
}

}  // namespace vietllm::tokenizer
