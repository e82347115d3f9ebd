#pragma once
// One annotator's ranking work on a project: creating ranking tasks for every message with two
// to four sibling replies, the blind order each annotator sees a task's candidates in, the queue
// of open tasks not yet ranked or skipped, drafts, skips, per-annotator progress, and growing
// conversation trees (new replies and follow-up prompts under a message, generated candidates).
//
// Skips and drafts are kept as labels on the task's parent message, by the annotator, named
// kSkipLabel (value 1) and kDraftLabel (text: the draft as JSON), so they survive restarts and
// need no schema change; they go away when the annotator submits the task.

#include "backend/data/records.h"
#include "backend/store/annotations.h"
#include "backend/store/project_store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::store {

/// Label name marking a ranking task the annotator skipped.
inline constexpr const char* kSkipLabel = "_ranking_skipped";
/// Label name holding an annotator's unfinished ranking of a task.
inline constexpr const char* kDraftLabel = "_ranking_draft";

/// Most candidates a task created from existing replies has (the panel shows at most four).
inline constexpr std::size_t kMaxRankingCandidates = 4;

struct AnnotatorInfo {
    std::int64_t id = 0;
    std::string name;
};

/// One message of a record as the tree view shows it.
struct TreeMessage {
    std::int64_t id = 0;
    std::optional<std::int64_t> parent_id;
    data::Role role = data::Role::Invalid;
    std::string content;
    nlohmann::json metadata = nlohmann::json::object();
};

/// What a ranking task shows: the conversation up to the parent message and the candidates in
/// their stored (canonical) order.
struct RankingTaskView {
    std::int64_t task_id = 0;
    std::int64_t record_id = 0;
    std::int64_t parent_message_id = 0;
    std::vector<data::Message> prompt;  ///< root first, the parent message last
    std::vector<TreeMessage> candidates;
};

/// An unfinished ranking: places over the candidates in the annotator's shown order (0-based
/// display positions, best place first), the all-bad flag and its reason.
struct RankingDraft {
    std::vector<std::vector<int>> places;
    bool all_bad = false;
    std::string reason;
};

struct RankingProgress {
    std::int64_t total = 0;    ///< tasks in scope that are not cancelled
    std::int64_t ranked = 0;   ///< tasks this annotator has ranked
    std::int64_t skipped = 0;  ///< tasks skipped and not ranked
    std::int64_t drafts = 0;   ///< tasks with a draft and not ranked
};

/// Human annotators of the project, by name.
std::vector<AnnotatorInfo> humanAnnotators(const ProjectStore& store);

/// Creates a ranking task (needing `required_rankings` rankings) for every message of the
/// dataset's records (every dataset when none) that has `min_replies` (at least 2) to
/// kMaxRankingCandidates replies and no task yet: tree nodes and preference prompts. Returns how
/// many were created; running it again creates tasks only for messages that gained replies.
std::int64_t createRankingTasks(ProjectStore& store, std::optional<std::int64_t> dataset_id,
                                int required_rankings, std::size_t min_replies = 2);

/// Ranking tasks of the dataset (every dataset when none) by status.
struct RankingTaskCounts {
    std::int64_t open = 0;
    std::int64_t done = 0;
    std::int64_t cancelled = 0;
};

/// Counts the ranking tasks by status, for `annotate tasks`.
RankingTaskCounts rankingTaskCounts(const ProjectStore& store, std::optional<std::int64_t> dataset_id);

/// The order an annotator sees `candidates` in: a permutation seeded by the task and annotator
/// ids, the same in every session and on every platform (our own Fisher-Yates over
/// std::mt19937_64, whose output the standard fixes; std::shuffle's is left to the library).
std::vector<std::int64_t> blindOrder(const std::vector<std::int64_t>& candidates, std::int64_t task_id,
                                     std::int64_t annotator_id);

/// The messages of a record in stored (pre-)order.
std::vector<TreeMessage> recordMessages(const ProjectStore& store, std::int64_t record_id);

/// Adds a message under `parent_message_id` of a conversation tree, after the parent's existing
/// replies (keeping the stored pre-order), and returns its id. Throws UserError when the parent
/// is missing, its record is not a tree, the text is empty, or the role does not alternate.
std::int64_t addTreeMessage(ProjectStore& store, std::int64_t parent_message_id, data::Role role,
                            const std::string& content, const nlohmann::json& metadata);

/// Removes one annotator's label `name` on message `message_id` (nothing when absent).
void clearMessageLabel(ProjectStore& store, std::int64_t message_id, std::int64_t annotator_id,
                       const std::string& name);

/// The conversation from the root of `message_id`'s record down to that message, inclusive.
std::vector<data::Message> conversationTo(const ProjectStore& store, std::int64_t message_id);

/// Creates a task ranking exactly `candidates` (replies of `parent_message_id`, in this stored
/// order), e.g. freshly generated replies beside older ones. Throws UserError when fewer than two
/// are given or one is not a reply of the parent.
std::int64_t createRankingTaskFor(ProjectStore& store, std::int64_t parent_message_id,
                                  const std::vector<std::int64_t>& candidates, int required_rankings);

/// The prompt and candidates of a task. Throws UserError when there is no such task.
RankingTaskView rankingTaskView(const ProjectStore& store, std::int64_t task_id);

/// The ranking queue of one annotator over one dataset (or all).
class RankingQueue {
public:
    /// Works on `store`, which must outlive the queue.
    RankingQueue(ProjectStore& store, std::int64_t annotator_id, std::optional<std::int64_t> dataset_id);

    /// The first open task after `after_task_id` (in id order, wrapping round) that this
    /// annotator has neither ranked nor skipped; none when the queue is empty.
    std::optional<std::int64_t> nextTask(std::int64_t after_task_id) const;
    /// Counts for the progress line.
    RankingProgress progress() const;
    /// The task's candidates as this annotator sees them (see blindOrder).
    std::vector<std::int64_t> shownCandidates(std::int64_t task_id) const;

    /// Stores the ranking (`places` over shown positions, as in RankingDraft) with the all-bad
    /// flag and reason, and drops the draft and skip marks. Throws UserError when the places do
    /// not cover every candidate once (unless all bad) or the reason is missing when all bad.
    void submit(std::int64_t task_id, const RankingDraft& ranking);
    /// Marks the task skipped by this annotator (kept out of nextTask).
    void skip(std::int64_t task_id);
    /// Saves (or replaces) this annotator's draft of the task.
    void saveDraft(std::int64_t task_id, const RankingDraft& draft);
    /// This annotator's draft of the task, if any.
    std::optional<RankingDraft> draft(std::int64_t task_id) const;

private:
    std::string scopeSql() const;
    void clearMark(std::int64_t task_id, const char* name);

    ProjectStore& m_store;
    std::int64_t m_annotator_id = 0;
    std::optional<std::int64_t> m_dataset_id;
};

}  // namespace vietllm::store
