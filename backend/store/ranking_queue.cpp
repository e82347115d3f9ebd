#include "backend/store/ranking_queue.h"

#include "backend/common/errors.h"
#include "backend/store/search_text.h"

#include <random>
#include <unordered_set>

namespace vietllm::store {

namespace {

nlohmann::json parseMetadata(const std::string& text) {
    if (text.empty()) {
        return nlohmann::json::object();
    }
    nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
    return value.is_object() ? value : nlohmann::json::object();
}

// Reads rows of (id, parent_id, role, content, metadata).
std::vector<TreeMessage> readTreeMessages(Statement& statement) {
    std::vector<TreeMessage> messages;
    while (statement.step()) {
        messages.push_back({statement.columnInt(0), statement.columnOptionalInt(1),
                            data::parseRole(statement.columnText(2)), statement.columnText(3),
                            parseMetadata(statement.columnText(4))});
    }
    return messages;
}

std::string draftJson(const RankingDraft& draft) {
    return nlohmann::json{{"places", draft.places}, {"all_bad", draft.all_bad}, {"reason", draft.reason}}
        .dump();
}

// A draft written by saveDraft(); nothing for text that is not one (a damaged row is ignored).
std::optional<RankingDraft> draftFromJson(const std::string& text) {
    const nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
    if (!value.is_object()) {
        return std::nullopt;
    }
    try {
        RankingDraft draft;
        if (const auto places = value.find("places"); places != value.end()) {
            draft.places = places->get<std::vector<std::vector<int>>>();
        }
        if (const auto all_bad = value.find("all_bad"); all_bad != value.end()) {
            draft.all_bad = all_bad->get<bool>();
        }
        if (const auto reason = value.find("reason"); reason != value.end()) {
            draft.reason = reason->get<std::string>();
        }
        return draft;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

// Position just after the subtree of the message at `parent_index` in `rows` (pre-order rows of
// (id, parent_id, position)).
struct PositionRow {
    std::int64_t id = 0;
    std::optional<std::int64_t> parent_id;
    std::int64_t position = 0;
};

std::int64_t positionAfterSubtree(const std::vector<PositionRow>& rows, std::size_t parent_index) {
    std::unordered_set<std::int64_t> subtree = {rows[parent_index].id};
    std::int64_t last = rows[parent_index].position;
    for (std::size_t i = parent_index + 1; i < rows.size(); ++i) {
        if (!rows[i].parent_id || subtree.count(*rows[i].parent_id) == 0) {
            break;
        }
        subtree.insert(rows[i].id);
        last = rows[i].position;
    }
    return last + 1;
}

// Moves every message of a record at or after `position` one place down. Positions are unique
// per record and SQLite checks that row by row, so the rows first jump past the last position
// and then come back shifted by one.
void openPosition(Database& db, std::int64_t record_id, std::int64_t position, std::int64_t last_position) {
    const std::int64_t offset = last_position + 1;
    Statement away(db, "UPDATE message SET position = position + ? WHERE record_id = ? AND position >= ?");
    away.bindInt(1, offset).bindInt(2, record_id).bindInt(3, position).run();
    Statement back(db, "UPDATE message SET position = position - ? WHERE record_id = ? AND position >= ?");
    back.bindInt(1, offset - 1).bindInt(2, record_id).bindInt(3, offset + position).run();
}

}  // namespace

std::vector<AnnotatorInfo> humanAnnotators(const ProjectStore& store) {
    Statement statement(store.database(),
                        "SELECT id, name FROM annotator WHERE kind = 'human' ORDER BY name");
    std::vector<AnnotatorInfo> result;
    while (statement.step()) {
        result.push_back({statement.columnInt(0), statement.columnText(1)});
    }
    return result;
}

std::int64_t createRankingTasks(ProjectStore& store, std::optional<std::int64_t> dataset_id,
                                int required_rankings, std::size_t min_replies) {
    store.requireWritable();
    if (required_rankings < 1) {
        throw UserError(store.path() + ": a ranking task needs at least one ranking");
    }
    if (min_replies < 2 || min_replies > kMaxRankingCandidates) {
        throw UserError(store.path() + ": a ranking task needs 2 to " +
                        std::to_string(kMaxRankingCandidates) + " replies, not " +
                        std::to_string(min_replies));
    }
    Database& db = store.database();
    Transaction transaction(db);
    Statement parents(db,
                      "SELECT m.parent_id, r.id FROM message m JOIN record r ON r.id = m.record_id "
                      "WHERE m.parent_id IS NOT NULL AND r.kind IN ('tree', 'preference') "
                      "AND (?1 IS NULL OR r.dataset_id = ?1) "
                      "AND NOT EXISTS (SELECT 1 FROM ranking_task t WHERE t.parent_message_id = m.parent_id "
                      "AND t.status != 'cancelled') "
                      "GROUP BY m.parent_id HAVING count(*) BETWEEN ?3 AND ?2 ORDER BY m.parent_id");
    parents.bindOptionalInt(1, dataset_id)
        .bindInt(2, static_cast<std::int64_t>(kMaxRankingCandidates))
        .bindInt(3, static_cast<std::int64_t>(min_replies));
    std::vector<std::pair<std::int64_t, std::int64_t>> found;
    while (parents.step()) {
        found.emplace_back(parents.columnInt(0), parents.columnInt(1));
    }
    Statement task(
        db, "INSERT INTO ranking_task (record_id, parent_message_id, required_rankings) VALUES (?, ?, ?)");
    Statement candidates(db,
                         "INSERT INTO ranking_candidate (task_id, message_id, display_position) "
                         "SELECT ?, id, row_number() OVER (ORDER BY position) - 1 FROM message "
                         "WHERE parent_id = ?");
    for (const auto& [parent_id, record_id] : found) {
        task.bindInt(1, record_id).bindInt(2, parent_id).bindInt(3, required_rankings).run();
        candidates.bindInt(1, db.lastInsertId()).bindInt(2, parent_id).run();
    }
    transaction.commit();
    return static_cast<std::int64_t>(found.size());
}

RankingTaskCounts rankingTaskCounts(const ProjectStore& store, std::optional<std::int64_t> dataset_id) {
    Statement statement(store.database(),
                        "SELECT t.status, count(*) FROM ranking_task t JOIN record r ON r.id = t.record_id "
                        "WHERE ?1 IS NULL OR r.dataset_id = ?1 GROUP BY t.status");
    statement.bindOptionalInt(1, dataset_id);
    RankingTaskCounts counts;
    while (statement.step()) {
        const std::string status = statement.columnText(0);
        std::int64_t& slot = status == "open"   ? counts.open
                             : status == "done" ? counts.done
                                                : counts.cancelled;
        slot = statement.columnInt(1);
    }
    return counts;
}

std::vector<std::int64_t> blindOrder(const std::vector<std::int64_t>& candidates, std::int64_t task_id,
                                     std::int64_t annotator_id) {
    std::mt19937_64 random(static_cast<std::uint64_t>(task_id) * 0x9E3779B97F4A7C15ULL ^
                           static_cast<std::uint64_t>(annotator_id));
    std::vector<std::int64_t> order = candidates;
    for (std::size_t i = order.size(); i > 1; --i) {
        const std::size_t j = static_cast<std::size_t>(random() % i);
        std::swap(order[i - 1], order[j]);
    }
    return order;
}

std::vector<TreeMessage> recordMessages(const ProjectStore& store, std::int64_t record_id) {
    Statement statement(store.database(),
                        "SELECT id, parent_id, role, content, metadata FROM message WHERE record_id = ? "
                        "ORDER BY position");
    statement.bindInt(1, record_id);
    return readTreeMessages(statement);
}

std::int64_t addTreeMessage(ProjectStore& store, std::int64_t parent_message_id, data::Role role,
                            const std::string& content, const nlohmann::json& metadata) {
    store.requireWritable();
    Database& db = store.database();
    Statement parent(db,
                     "SELECT m.record_id, m.role, r.kind, m.lang FROM message m "
                     "JOIN record r ON r.id = m.record_id WHERE m.id = ?");
    if (!parent.bindInt(1, parent_message_id).step()) {
        throw UserError(store.path() + ": no message with id " + std::to_string(parent_message_id));
    }
    const std::int64_t record_id = parent.columnInt(0);
    const data::Role parent_role = data::parseRole(parent.columnText(1));
    const std::string where = store.path() + ": record " + std::to_string(record_id);
    if (parent.columnText(2) != "tree") {
        throw UserError(where + " is a " + parent.columnText(2) + "; only conversation trees can grow");
    }
    if (role == data::Role::Invalid || role == data::Role::System || role == parent_role) {
        throw UserError(where + ": a " + std::string(data::roleName(parent_role)) +
                        " message cannot be answered by a " +
                        (role == data::Role::Invalid ? std::string("message without a role")
                                                     : std::string(data::roleName(role)) + " message"));
    }
    if (content.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw UserError(where + ": a new message needs text");
    }
    const std::string lang = parent.columnText(3);
    Transaction transaction(db);
    Statement rows(db, "SELECT id, parent_id, position FROM message WHERE record_id = ? ORDER BY position");
    rows.bindInt(1, record_id);
    std::vector<PositionRow> positions;
    std::size_t parent_index = 0;
    while (rows.step()) {
        if (rows.columnInt(0) == parent_message_id) {
            parent_index = positions.size();
        }
        positions.push_back({rows.columnInt(0), rows.columnOptionalInt(1), rows.columnInt(2)});
    }
    const std::int64_t position = positionAfterSubtree(positions, parent_index);
    openPosition(db, record_id, position, positions.back().position);
    const SearchForms forms = searchForms(content);
    Statement insert(db,
                     "INSERT INTO message (record_id, parent_id, position, role, content, lang, metadata, "
                     "search_exact, search_plain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bindInt(1, record_id)
        .bindInt(2, parent_message_id)
        .bindInt(3, position)
        .bindText(4, data::roleName(role))
        .bindText(5, content)
        .bindTextOrNull(6, lang)
        .bindText(7, metadata.is_object() ? metadata.dump() : std::string("{}"))
        .bindTextOrNull(8, forms.exact == content ? std::string_view() : std::string_view(forms.exact))
        .bindTextOrNull(9, forms.plain == forms.exact ? std::string_view() : std::string_view(forms.plain))
        .run();
    const std::int64_t message_id = db.lastInsertId();
    // A tree node's id is its external id (oasst message_id); ours are unique within the project.
    Statement name(db, "UPDATE message SET external_id = ? WHERE id = ?");
    name.bindText(1, "vietllm-" + std::to_string(message_id)).bindInt(2, message_id).run();
    transaction.commit();
    return message_id;
}

void clearMessageLabel(ProjectStore& store, std::int64_t message_id, std::int64_t annotator_id,
                       const std::string& name) {
    store.requireWritable();
    Statement statement(store.database(),
                        "DELETE FROM label WHERE message_id = ? AND annotator_id = ? AND name = ?");
    statement.bindInt(1, message_id).bindInt(2, annotator_id).bindText(3, name).run();
}

std::vector<data::Message> conversationTo(const ProjectStore& store, std::int64_t message_id) {
    Statement chain(store.database(),
                    "WITH RECURSIVE chain (id, parent_id, role, content, depth) AS ("
                    "SELECT id, parent_id, role, content, 0 FROM message WHERE id = ? UNION ALL "
                    "SELECT m.id, m.parent_id, m.role, m.content, c.depth + 1 FROM message m "
                    "JOIN chain c ON m.id = c.parent_id) "
                    "SELECT role, content FROM chain ORDER BY depth DESC");
    chain.bindInt(1, message_id);
    std::vector<data::Message> messages;
    while (chain.step()) {
        messages.push_back({data::parseRole(chain.columnText(0)), chain.columnText(1)});
    }
    return messages;
}

std::int64_t createRankingTaskFor(ProjectStore& store, std::int64_t parent_message_id,
                                  const std::vector<std::int64_t>& candidates, int required_rankings) {
    store.requireWritable();
    Database& db = store.database();
    const std::string where = store.path() + ": message " + std::to_string(parent_message_id);
    if (candidates.size() < 2 || required_rankings < 1) {
        throw UserError(where + ": a ranking task needs two candidates or more and one ranking or more");
    }
    Statement reply(db, "SELECT record_id FROM message WHERE id = ? AND parent_id = ?");
    std::int64_t record_id = 0;
    for (const std::int64_t candidate : candidates) {
        if (!reply.bindInt(1, candidate).bindInt(2, parent_message_id).step()) {
            throw UserError(where + " has no reply " + std::to_string(candidate));
        }
        record_id = reply.columnInt(0);
        reply.reset();
    }
    Transaction transaction(db);
    Statement task(
        db, "INSERT INTO ranking_task (record_id, parent_message_id, required_rankings) VALUES (?, ?, ?)");
    task.bindInt(1, record_id).bindInt(2, parent_message_id).bindInt(3, required_rankings).run();
    const std::int64_t task_id = db.lastInsertId();
    Statement insert(
        db, "INSERT INTO ranking_candidate (task_id, message_id, display_position) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        insert.bindInt(1, task_id).bindInt(2, candidates[i]).bindInt(3, static_cast<std::int64_t>(i)).run();
    }
    transaction.commit();
    return task_id;
}

RankingTaskView rankingTaskView(const ProjectStore& store, std::int64_t task_id) {
    Database& db = store.database();
    Statement task(db, "SELECT record_id, parent_message_id FROM ranking_task WHERE id = ?");
    if (!task.bindInt(1, task_id).step()) {
        throw UserError(store.path() + ": no ranking task with id " + std::to_string(task_id));
    }
    RankingTaskView view;
    view.task_id = task_id;
    view.record_id = task.columnInt(0);
    view.parent_message_id = task.columnInt(1);
    view.prompt = conversationTo(store, view.parent_message_id);
    Statement candidates(db,
                         "SELECT m.id, m.parent_id, m.role, m.content, m.metadata FROM ranking_candidate c "
                         "JOIN message m ON m.id = c.message_id WHERE c.task_id = ? "
                         "ORDER BY c.display_position");
    candidates.bindInt(1, task_id);
    view.candidates = readTreeMessages(candidates);
    return view;
}

RankingQueue::RankingQueue(ProjectStore& store, std::int64_t annotator_id,
                           std::optional<std::int64_t> dataset_id)
    : m_store(store), m_annotator_id(annotator_id), m_dataset_id(dataset_id) {}

std::string RankingQueue::scopeSql() const {
    return m_dataset_id ? " AND t.record_id IN (SELECT id FROM record WHERE dataset_id = " +
                              std::to_string(*m_dataset_id) + ")"
                        : std::string();
}

std::optional<std::int64_t> RankingQueue::nextTask(std::int64_t after_task_id) const {
    Statement statement(
        m_store.database(),
        "SELECT t.id FROM ranking_task t WHERE t.status = 'open' AND t.id > ?1" + scopeSql() +
            " AND NOT EXISTS (SELECT 1 FROM ranking k WHERE k.task_id = t.id AND k.annotator_id = ?2)"
            " AND NOT EXISTS (SELECT 1 FROM label l WHERE l.message_id = t.parent_message_id"
            " AND l.annotator_id = ?2 AND l.name = '" +
            std::string(kSkipLabel) + "') ORDER BY t.id LIMIT 1");
    for (const std::int64_t after : {after_task_id, std::int64_t{0}}) {
        statement.bindInt(1, after).bindInt(2, m_annotator_id);
        if (statement.step()) {
            return statement.columnInt(0);
        }
        statement.reset();
    }
    return std::nullopt;
}

RankingProgress RankingQueue::progress() const {
    Database& db = m_store.database();
    const std::string not_ranked =
        " AND NOT EXISTS (SELECT 1 FROM ranking k WHERE k.task_id = t.id AND k.annotator_id = ?1)";
    const auto marked = [&](const char* name) {
        return "SELECT count(*) FROM ranking_task t WHERE t.status != 'cancelled'" + scopeSql() + not_ranked +
               " AND EXISTS (SELECT 1 FROM label l WHERE l.message_id = t.parent_message_id"
               " AND l.annotator_id = ?1 AND l.name = '" +
               std::string(name) + "')";
    };
    const auto count = [&](const std::string& sql) {
        Statement statement(db, sql);
        statement.bindInt(1, m_annotator_id).step();
        return statement.columnInt(0);
    };
    RankingProgress progress;
    progress.total =
        count("SELECT count(*) FROM ranking_task t WHERE t.status != 'cancelled' AND ?1 = ?1" + scopeSql());
    progress.ranked = count(
        "SELECT count(*) FROM ranking k JOIN ranking_task t ON t.id = k.task_id "
        "WHERE k.annotator_id = ?1 AND t.status != 'cancelled'" +
        scopeSql());
    progress.skipped = count(marked(kSkipLabel));
    progress.drafts = count(marked(kDraftLabel));
    return progress;
}

std::vector<std::int64_t> RankingQueue::shownCandidates(std::int64_t task_id) const {
    return blindOrder(Annotations(m_store).rankingCandidates(task_id), task_id, m_annotator_id);
}

void RankingQueue::submit(std::int64_t task_id, const RankingDraft& ranking) {
    const std::vector<std::int64_t> shown = shownCandidates(task_id);
    if (shown.empty()) {
        throw UserError(m_store.path() + ": no ranking task with id " + std::to_string(task_id));
    }
    if (ranking.all_bad && ranking.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw UserError(m_store.path() + ": say why every reply of ranking task " + std::to_string(task_id) +
                        " is bad");
    }
    RankingTiers tiers;
    std::size_t placed = 0;
    for (const std::vector<int>& place : ranking.places) {
        std::vector<std::int64_t> tier;
        for (const int shown_position : place) {
            if (shown_position < 0 || static_cast<std::size_t>(shown_position) >= shown.size()) {
                throw UserError(m_store.path() + ": ranking task " + std::to_string(task_id) +
                                " has no candidate " + std::to_string(shown_position + 1));
            }
            tier.push_back(shown[static_cast<std::size_t>(shown_position)]);
        }
        placed += tier.size();
        tiers.push_back(std::move(tier));
    }
    if (ranking.all_bad && placed < shown.size()) {
        tiers.clear();  // an incomplete order says nothing once every reply is bad
    }
    Annotations(m_store).submitRanking(task_id, m_annotator_id, tiers, ranking.all_bad);
    Statement comment(m_store.database(),
                      "UPDATE ranking SET comment = ? WHERE task_id = ? AND annotator_id = ?");
    comment.bindText(1, ranking.all_bad ? ranking.reason : std::string())
        .bindInt(2, task_id)
        .bindInt(3, m_annotator_id)
        .run();
    clearMark(task_id, kDraftLabel);
    clearMark(task_id, kSkipLabel);
}

void RankingQueue::skip(std::int64_t task_id) {
    const RankingTaskView view = rankingTaskView(m_store, task_id);
    Annotations(m_store).setLabel(
        {view.record_id, view.parent_message_id, m_annotator_id, kSkipLabel, 1.0, std::string()});
}

void RankingQueue::saveDraft(std::int64_t task_id, const RankingDraft& draft) {
    const RankingTaskView view = rankingTaskView(m_store, task_id);
    Annotations(m_store).setLabel({view.record_id, view.parent_message_id, m_annotator_id, kDraftLabel,
                                   std::nullopt, draftJson(draft)});
}

std::optional<RankingDraft> RankingQueue::draft(std::int64_t task_id) const {
    Statement statement(
        m_store.database(),
        "SELECT l.text FROM label l JOIN ranking_task t ON t.parent_message_id = l.message_id "
        "WHERE t.id = ? AND l.annotator_id = ? AND l.name = ?");
    if (!statement.bindInt(1, task_id).bindInt(2, m_annotator_id).bindText(3, kDraftLabel).step()) {
        return std::nullopt;
    }
    return draftFromJson(statement.columnText(0));
}

void RankingQueue::clearMark(std::int64_t task_id, const char* name) {
    Statement statement(m_store.database(),
                        "DELETE FROM label WHERE annotator_id = ? AND name = ? AND message_id = "
                        "(SELECT parent_message_id FROM ranking_task WHERE id = ?)");
    statement.bindInt(1, m_annotator_id).bindText(2, name).bindInt(3, task_id).run();
}

}  // namespace vietllm::store
