#include "backend/store/annotations.h"

#include "backend/common/errors.h"

#include <set>

namespace vietllm::store {

namespace {

const char* annotatorKindName(AnnotatorKind kind) {
    return kind == AnnotatorKind::Model ? "model" : "human";
}

// Throws UserError naming the project when `table` has no row `id` (checked before writing, so
// that a wrong id is reported as such rather than as a constraint failure).
void requireRow(const ProjectStore& store, const std::string& table, std::int64_t id) {
    Statement statement(store.database(), "SELECT 1 FROM " + table + " WHERE id = ?");
    if (!statement.bindInt(1, id).step()) {
        throw UserError(store.path() + ": no " + table + " with id " + std::to_string(id));
    }
}

}  // namespace

std::int64_t Annotations::addAnnotator(const std::string& name, AnnotatorKind kind) {
    m_store.requireWritable();
    if (name.empty() || kind == AnnotatorKind::Invalid) {
        throw UserError(m_store.path() + ": an annotator needs a name and a kind");
    }
    if (findAnnotator(name)) {
        throw UserError(m_store.path() + ": an annotator named '" + name + "' already exists");
    }
    Statement statement(m_store.database(), "INSERT INTO annotator (name, kind) VALUES (?, ?)");
    statement.bindText(1, name).bindText(2, annotatorKindName(kind)).run();
    return m_store.database().lastInsertId();
}

std::optional<std::int64_t> Annotations::findAnnotator(const std::string& name) const {
    Statement statement(m_store.database(), "SELECT id FROM annotator WHERE name = ?");
    if (!statement.bindText(1, name).step()) {
        return std::nullopt;
    }
    return statement.columnInt(0);
}

void Annotations::setLabel(const LabelValue& label) {
    m_store.requireWritable();
    requireRow(m_store, "record", label.record_id);
    requireRow(m_store, "annotator", label.annotator_id);
    if (label.name.empty()) {
        throw UserError(m_store.path() + ": a label needs a name");
    }
    if (label.message_id) {
        Statement owner(m_store.database(), "SELECT 1 FROM message WHERE id = ? AND record_id = ?");
        if (!owner.bindInt(1, *label.message_id).bindInt(2, label.record_id).step()) {
            throw UserError(m_store.path() + ": message " + std::to_string(*label.message_id) +
                            " is not in record " + std::to_string(label.record_id));
        }
    }
    Statement statement(m_store.database(),
                        "INSERT INTO label (record_id, message_id, annotator_id, name, value, text) "
                        "VALUES (?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (record_id, ifnull(message_id, 0), annotator_id, name) DO UPDATE SET "
                        "value = excluded.value, text = excluded.text, "
                        "created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    statement.bindInt(1, label.record_id)
        .bindOptionalInt(2, label.message_id)
        .bindInt(3, label.annotator_id)
        .bindText(4, label.name)
        .bindOptionalDouble(5, label.value)
        .bindTextOrNull(6, label.text)
        .run();
}

std::vector<LabelValue> Annotations::labels(std::int64_t record_id) const {
    Statement statement(m_store.database(),
                        "SELECT message_id, annotator_id, name, value, text FROM label WHERE record_id = ? "
                        "ORDER BY id");
    statement.bindInt(1, record_id);
    std::vector<LabelValue> result;
    while (statement.step()) {
        result.push_back({record_id, statement.columnOptionalInt(0), statement.columnInt(1),
                          statement.columnText(2), statement.columnOptionalDouble(3),
                          statement.columnText(4)});
    }
    return result;
}

std::int64_t Annotations::createRankingTask(std::int64_t parent_message_id, int required_rankings) {
    m_store.requireWritable();
    Database& db = m_store.database();
    Statement parent(db, "SELECT record_id FROM message WHERE id = ?");
    if (!parent.bindInt(1, parent_message_id).step()) {
        throw UserError(m_store.path() + ": no message with id " + std::to_string(parent_message_id));
    }
    const std::int64_t record_id = parent.columnInt(0);
    if (required_rankings < 1) {
        throw UserError(m_store.path() + ": a ranking task needs at least one ranking");
    }
    Statement replies(db, "SELECT id FROM message WHERE parent_id = ? ORDER BY position");
    replies.bindInt(1, parent_message_id);
    std::vector<std::int64_t> candidates;
    while (replies.step()) {
        candidates.push_back(replies.columnInt(0));
    }
    if (candidates.size() < 2) {
        throw UserError(m_store.path() + ": message " + std::to_string(parent_message_id) +
                        " has fewer than two replies to rank");
    }
    Transaction transaction(db);
    Statement task(
        db, "INSERT INTO ranking_task (record_id, parent_message_id, required_rankings) VALUES (?, ?, ?)");
    task.bindInt(1, record_id).bindInt(2, parent_message_id).bindInt(3, required_rankings).run();
    const std::int64_t task_id = db.lastInsertId();
    Statement candidate(
        db, "INSERT INTO ranking_candidate (task_id, message_id, display_position) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        candidate.bindInt(1, task_id)
            .bindInt(2, candidates[i])
            .bindInt(3, static_cast<std::int64_t>(i))
            .run();
    }
    transaction.commit();
    return task_id;
}

std::vector<std::int64_t> Annotations::rankingCandidates(std::int64_t task_id) const {
    Statement statement(
        m_store.database(),
        "SELECT message_id FROM ranking_candidate WHERE task_id = ? ORDER BY display_position");
    statement.bindInt(1, task_id);
    std::vector<std::int64_t> candidates;
    while (statement.step()) {
        candidates.push_back(statement.columnInt(0));
    }
    return candidates;
}

void Annotations::checkTiers(std::int64_t task_id, const RankingTiers& tiers, bool not_rankable) const {
    const std::vector<std::int64_t> candidates = rankingCandidates(task_id);
    if (candidates.empty()) {
        throw UserError(m_store.path() + ": no ranking task with id " + std::to_string(task_id));
    }
    if (not_rankable && tiers.empty()) {
        return;
    }
    const std::set<std::int64_t> expected(candidates.begin(), candidates.end());
    std::set<std::int64_t> placed;
    for (const std::vector<std::int64_t>& tier : tiers) {
        if (tier.empty()) {
            throw UserError(m_store.path() + ": a ranking has an empty place");
        }
        for (const std::int64_t message_id : tier) {
            if (expected.count(message_id) == 0 || !placed.insert(message_id).second) {
                throw UserError(m_store.path() + ": message " + std::to_string(message_id) +
                                " is not a candidate of ranking task " + std::to_string(task_id) +
                                " or is placed twice");
            }
        }
    }
    if (placed.size() != expected.size()) {
        throw UserError(m_store.path() + ": a ranking of task " + std::to_string(task_id) +
                        " must place all " + std::to_string(expected.size()) + " candidates");
    }
}

void Annotations::submitRanking(std::int64_t task_id, std::int64_t annotator_id, const RankingTiers& tiers,
                                bool not_rankable) {
    m_store.requireWritable();
    checkTiers(task_id, tiers, not_rankable);
    requireRow(m_store, "annotator", annotator_id);
    Database& db = m_store.database();
    Transaction transaction(db);
    Statement previous(db, "DELETE FROM ranking WHERE task_id = ? AND annotator_id = ?");
    previous.bindInt(1, task_id).bindInt(2, annotator_id).run();
    Statement ranking(db, "INSERT INTO ranking (task_id, annotator_id, not_rankable) VALUES (?, ?, ?)");
    ranking.bindInt(1, task_id).bindInt(2, annotator_id).bindInt(3, not_rankable ? 1 : 0).run();
    const std::int64_t ranking_id = db.lastInsertId();
    Statement entry(db, "INSERT INTO ranking_entry (ranking_id, message_id, place) VALUES (?, ?, ?)");
    for (std::size_t place = 0; place < tiers.size(); ++place) {
        for (const std::int64_t message_id : tiers[place]) {
            entry.bindInt(1, ranking_id)
                .bindInt(2, message_id)
                .bindInt(3, static_cast<std::int64_t>(place))
                .run();
        }
    }
    Statement complete(db,
                       "UPDATE ranking_task SET status = 'done' WHERE id = ? AND status = 'open' AND "
                       "(SELECT count(*) FROM ranking WHERE task_id = ?) >= required_rankings");
    complete.bindInt(1, task_id).bindInt(2, task_id).run();
    transaction.commit();
}

std::vector<RankingVote> Annotations::rankings(std::int64_t task_id) const {
    Database& db = m_store.database();
    Statement votes(db, "SELECT id, annotator_id, not_rankable FROM ranking WHERE task_id = ? ORDER BY id");
    Statement entries(db,
                      "SELECT e.message_id, e.place FROM ranking_entry e "
                      "JOIN ranking_candidate c ON c.task_id = ? AND c.message_id = e.message_id "
                      "WHERE e.ranking_id = ? ORDER BY e.place, c.display_position");
    votes.bindInt(1, task_id);
    std::vector<RankingVote> result;
    while (votes.step()) {
        RankingVote vote;
        vote.annotator_id = votes.columnInt(1);
        vote.not_rankable = votes.columnInt(2) != 0;
        entries.bindInt(1, task_id).bindInt(2, votes.columnInt(0));
        while (entries.step()) {
            const auto place = static_cast<std::size_t>(entries.columnInt(1));
            if (vote.tiers.size() <= place) {
                vote.tiers.resize(place + 1);
            }
            vote.tiers[place].push_back(entries.columnInt(0));
        }
        entries.reset();
        result.push_back(std::move(vote));
    }
    return result;
}

std::string Annotations::taskStatus(std::int64_t task_id) const {
    Statement statement(m_store.database(), "SELECT status FROM ranking_task WHERE id = ?");
    if (!statement.bindInt(1, task_id).step()) {
        throw UserError(m_store.path() + ": no ranking task with id " + std::to_string(task_id));
    }
    return statement.columnText(0);
}

}  // namespace vietllm::store
