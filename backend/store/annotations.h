#pragma once
// Annotators and what they record on a project's messages: labels (a value and/or a text per
// label name) and rankings of sibling replies. Every annotator's raw ranking is kept, ties
// included, rather than only an aggregate (Open-Assistant published only merged ranks).

#include "backend/store/project_store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::store {

enum class AnnotatorKind { Invalid = 0, Human, Model };

/// A place-ordered ranking: tiers[0] holds the best candidate(s); candidates in one tier tie.
using RankingTiers = std::vector<std::vector<std::int64_t>>;

struct RankingVote {
    std::int64_t annotator_id = 0;
    bool not_rankable = false;  ///< the annotator flagged every reply as unacceptable
    RankingTiers tiers;
};

struct LabelValue {
    std::int64_t record_id = 0;
    std::optional<std::int64_t> message_id;  ///< none: the label is about the whole record
    std::int64_t annotator_id = 0;
    std::string name;  ///< e.g. "spam", "quality"
    std::optional<double> value;
    std::string text;
};

class Annotations {
public:
    /// Works on `store`, which must outlive this object.
    explicit Annotations(ProjectStore& store) : m_store(store) {}

    /// Registers an annotator and returns its id; throws UserError when the name is empty or taken.
    std::int64_t addAnnotator(const std::string& name, AnnotatorKind kind);
    /// The id of the annotator called `name`, if any.
    std::optional<std::int64_t> findAnnotator(const std::string& name) const;

    /// Sets (or replaces) one annotator's label on a record or one of its messages.
    void setLabel(const LabelValue& label);
    /// Every label on a record, its messages' included, in the order they were first set.
    std::vector<LabelValue> labels(std::int64_t record_id) const;

    /// Creates a task to rank the replies of `parent_message_id` (at least two, in stored order);
    /// `required_rankings` rankings complete it. Throws UserError otherwise.
    std::int64_t createRankingTask(std::int64_t parent_message_id, int required_rankings);
    /// The message ids a task asks to rank, in the order they are to be shown.
    std::vector<std::int64_t> rankingCandidates(std::int64_t task_id) const;
    /// Stores (or replaces) an annotator's ranking. `tiers` must place every candidate exactly
    /// once (it may be empty when `not_rankable`). The task becomes "done" once it has its
    /// required number of rankings.
    void submitRanking(std::int64_t task_id, std::int64_t annotator_id, const RankingTiers& tiers,
                       bool not_rankable);
    /// Every ranking of a task, in submission order.
    std::vector<RankingVote> rankings(std::int64_t task_id) const;
    /// "open", "done" or "cancelled".
    std::string taskStatus(std::int64_t task_id) const;

private:
    void checkTiers(std::int64_t task_id, const RankingTiers& tiers, bool not_rankable) const;

    ProjectStore& m_store;
};

}  // namespace vietllm::store
