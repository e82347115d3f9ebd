#include "backend/store/record_browser.h"

#include "backend/common/errors.h"
#include "backend/store/search_text.h"
#include "backend/text/normalize.h"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <variant>

namespace vietllm::store {

namespace {

using Parameter = std::variant<std::int64_t, std::string>;

// The WHERE conditions on `record r` that a filter asks for (besides dataset and search), with
// their parameters in placeholder order.
struct Conditions {
    std::string sql;
    std::vector<Parameter> parameters;

    void add(const std::string& condition, std::vector<Parameter> values) {
        sql += " AND " + condition;
        parameters.insert(parameters.end(), values.begin(), values.end());
    }
};

Conditions recordConditions(const RecordFilter& filter) {
    Conditions conditions;
    if (filter.dataset_id) {
        conditions.add("r.dataset_id = ?", {*filter.dataset_id});
    }
    if (filter.kind != RecordKind::Invalid) {
        conditions.add("r.kind = ?", {std::string(recordKindName(filter.kind))});
    }
    if (!filter.source.empty()) {
        conditions.add("r.provenance_id IN (SELECT id FROM provenance WHERE source = ?)", {filter.source});
    }
    if (!filter.language.empty()) {
        conditions.add("EXISTS (SELECT 1 FROM message m WHERE m.record_id = r.id AND m.lang = ?)",
                       {filter.language});
    }
    if (filter.min_length || filter.max_length) {
        conditions.add(
            "(SELECT total(length(m.content)) FROM message m WHERE m.record_id = r.id) BETWEEN ? AND ?",
            {filter.min_length.value_or(0), filter.max_length.value_or(INT64_MAX)});
    }
    if (!filter.label.empty()) {
        if (filter.annotator_id) {
            conditions.add(
                "EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.name = ? AND l.annotator_id = "
                "?)",
                {filter.label, *filter.annotator_id});
        } else {
            conditions.add("EXISTS (SELECT 1 FROM label l WHERE l.record_id = r.id AND l.name = ?)",
                           {filter.label});
        }
    }
    return conditions;
}

void bindAll(Statement& statement, int first_index, const std::vector<Parameter>& parameters) {
    int index = first_index;
    for (const Parameter& parameter : parameters) {
        if (const auto* number = std::get_if<std::int64_t>(&parameter)) {
            statement.bindInt(index++, *number);
        } else {
            statement.bindText(index++, std::get<std::string>(parameter));
        }
    }
}

void checkFilter(const ProjectStore& store, const RecordFilter& filter) {
    if ((filter.min_length && *filter.min_length < 0) || (filter.max_length && *filter.max_length < 0) ||
        (filter.min_length && filter.max_length && *filter.min_length > *filter.max_length)) {
        throw UserError(store.path() + ": the length range must run from a smaller to a larger number");
    }
}

std::vector<std::string> textColumn(Database& db, const std::string& sql) {
    Statement statement(db, sql);
    std::vector<std::string> values;
    while (statement.step()) {
        values.push_back(statement.columnText(0));
    }
    return values;
}

std::vector<std::string> splitNames(const std::string& joined) {
    std::vector<std::string> names;
    std::istringstream stream(joined);
    for (std::string name; std::getline(stream, name, '\n');) {
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool isFenceLine(const std::string& line) {
    const std::size_t start = line.find_first_not_of(" \t");
    return start != std::string::npos && line.compare(start, 3, "```") == 0;
}

// Finds or adds the provenance row for `provenance`; returns its id.
std::int64_t provenanceRow(Database& db, const std::string& source, const std::string& licence,
                           const std::string& transformations) {
    Statement find(db, "SELECT id FROM provenance WHERE source = ? AND licence = ? AND transformations = ?");
    if (find.bindText(1, source).bindText(2, licence).bindText(3, transformations).step()) {
        return find.columnInt(0);
    }
    Statement insert(db, "INSERT INTO provenance (source, licence, transformations) VALUES (?, ?, ?)");
    insert.bindText(1, source).bindText(2, licence).bindText(3, transformations).run();
    return db.lastInsertId();
}

// Adds "edit" to the record's provenance transformations (once).
void markEdited(Database& db, std::int64_t record_id) {
    Statement current(db,
                      "SELECT p.source, p.licence, p.transformations FROM record r "
                      "LEFT JOIN provenance p ON p.id = r.provenance_id WHERE r.id = ?");
    current.bindInt(1, record_id).step();
    const std::string source = current.columnText(0);
    const std::string licence = current.columnText(1);
    nlohmann::json transformations = current.columnIsNull(2)
                                         ? nlohmann::json::array()
                                         : nlohmann::json::parse(current.columnText(2), nullptr, false);
    if (!transformations.is_array()) {
        transformations = nlohmann::json::array();
    }
    if (!transformations.empty() && transformations.back() == "edit") {
        return;
    }
    transformations.push_back("edit");
    const std::int64_t provenance_id = provenanceRow(db, source, licence, transformations.dump());
    Statement update(db, "UPDATE record SET provenance_id = ? WHERE id = ?");
    update.bindInt(1, provenance_id).bindInt(2, record_id).run();
}

}  // namespace

struct RecordScan::Statements {
    std::unique_ptr<Statement> scan;
};

RecordScan::RecordScan(const ProjectStore& store, RecordFilter filter, std::int64_t window)
    : m_filter(std::move(filter)),
      m_window(std::max<std::int64_t>(window, 1)),
      m_statements(std::make_unique<Statements>()) {
    checkFilter(store, m_filter);
    Database& db = store.database();
    const Conditions conditions = recordConditions(m_filter);
    std::string sql;
    if (m_filter.search.empty()) {
        sql = "SELECT r.id FROM record r WHERE r.id > ? AND r.id <= ?" + conditions.sql + " ORDER BY r.id";
        if (m_filter.dataset_id) {
            // Two queries: SQLite answers a lone min() or max() from the index in one step, but
            // both together scan every entry of the dataset.
            Statement first(db, "SELECT min(id) FROM record WHERE dataset_id = ?");
            first.bindInt(1, *m_filter.dataset_id).step();
            Statement last(db, "SELECT max(id) FROM record WHERE dataset_id = ?");
            last.bindInt(1, *m_filter.dataset_id).step();
            m_after_id = std::max<std::int64_t>(first.columnInt(0) - 1, 0);
            m_last_id = last.columnInt(0);
        } else {
            m_last_id = db.queryInt("SELECT ifnull(max(id), 0) FROM record");
        }
    } else {
        // The FTS index hands out matches in message-id order and seeks straight to a rowid
        // range, so a window costs the matches inside it, not the size of the project.
        const std::string match = ftsMatchExpression(m_filter.search, m_filter.ignore_diacritics);
        sql =
            "SELECT r.id, m.id FROM message_fts JOIN message m ON m.id = message_fts.rowid "
            "JOIN record r ON r.id = m.record_id "
            "WHERE message_fts.rowid > ? AND message_fts.rowid <= ? AND message_fts MATCH ?" +
            conditions.sql + " ORDER BY message_fts.rowid";
        m_last_id = db.queryInt("SELECT ifnull(max(id), 0) FROM message");
        m_statements->scan = std::make_unique<Statement>(db, sql);
        m_statements->scan->bindText(3, match);
        bindAll(*m_statements->scan, 4, conditions.parameters);
        m_finished = m_after_id >= m_last_id;
        return;
    }
    m_statements->scan = std::make_unique<Statement>(db, sql);
    bindAll(*m_statements->scan, 3, conditions.parameters);
    m_finished = m_after_id >= m_last_id;
}

RecordScan::~RecordScan() = default;

std::vector<std::int64_t> RecordScan::next(std::size_t max_records) {
    if (m_finished || max_records == 0) {
        return {};
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::int64_t> ids =
        m_filter.search.empty() ? nextRecords(max_records) : nextSearchHits(max_records);
    adaptWindow(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    return ids;
}

void RecordScan::adaptWindow(double elapsed_ms) {
    constexpr std::int64_t kMinWindow = 64;
    constexpr std::int64_t kMaxWindow = 1 << 20;
    if (elapsed_ms > kTargetWindowMs) {
        m_window = std::max(kMinWindow, m_window / 2);
    } else if (elapsed_ms < kTargetWindowMs / 4) {
        m_window = std::min(kMaxWindow, m_window * 2);
    }
}

std::vector<std::int64_t> RecordScan::nextRecords(std::size_t max_records) {
    Statement& scan = *m_statements->scan;
    const std::int64_t window_end = std::min(m_last_id, m_after_id + m_window);
    scan.bindInt(1, m_after_id).bindInt(2, window_end);
    std::vector<std::int64_t> ids;
    while (ids.size() < max_records && scan.step()) {
        ids.push_back(scan.columnInt(0));
    }
    scan.reset();
    m_after_id = ids.size() == max_records ? ids.back() : window_end;
    m_finished = m_after_id >= m_last_id;
    return ids;
}

std::vector<std::int64_t> RecordScan::nextSearchHits(std::size_t max_records) {
    Statement& scan = *m_statements->scan;
    const std::int64_t window_end = std::min(m_last_id, m_after_id + m_window);
    scan.bindInt(1, m_after_id).bindInt(2, window_end);
    // Rows come in message order; a record shows once, at its first matching message.
    std::vector<std::int64_t> ids;
    std::int64_t last_message_id = window_end;
    while (ids.size() < max_records && scan.step()) {
        const std::int64_t record_id = scan.columnInt(0);
        if (m_seen.insert(record_id).second) {
            ids.push_back(record_id);
            last_message_id = scan.columnInt(1);
        }
    }
    scan.reset();
    m_after_id = ids.size() == max_records ? last_message_id : window_end;
    m_finished = m_after_id >= m_last_id;
    return ids;
}

FilterChoices filterChoices(const ProjectStore& store) {
    Database& db = store.database();
    FilterChoices choices;
    choices.sources =
        textColumn(db, "SELECT DISTINCT source FROM provenance WHERE source <> '' ORDER BY source");
    // Every distinct language, each found by one lookup in the message_lang index (a loose index
    // scan: SQLite would otherwise read the whole index for DISTINCT).
    choices.languages = textColumn(db,
                                   "WITH RECURSIVE languages(lang) AS ("
                                   " SELECT min(lang) FROM message WHERE lang IS NOT NULL AND lang <> ''"
                                   " UNION ALL SELECT (SELECT min(lang) FROM message"
                                   " WHERE lang IS NOT NULL AND lang <> '' AND lang > languages.lang)"
                                   " FROM languages WHERE languages.lang IS NOT NULL)"
                                   " SELECT lang FROM languages WHERE lang IS NOT NULL");
    choices.labels = textColumn(db, "SELECT DISTINCT name FROM label ORDER BY name");
    return choices;
}

std::vector<RecordSummary> recordSummaries(const ProjectStore& store,
                                           const std::vector<std::int64_t>& record_ids) {
    // Every sub-select reads one record's messages through the (record_id, position) index, so a
    // page costs the same anywhere in a million-record project.
    Statement statement(
        store.database(),
        "SELECT r.id, r.dataset_id, r.kind, "
        "(SELECT substr(m.content, 1, ?2) FROM message m WHERE m.record_id = r.id AND m.role = 'user' "
        " ORDER BY m.position LIMIT 1), "
        "(SELECT count(*) FROM message m WHERE m.record_id = r.id), "
        "(SELECT m.lang FROM message m WHERE m.record_id = r.id AND m.lang IS NOT NULL AND m.lang <> '' "
        " ORDER BY m.position LIMIT 1), "
        "(SELECT total(length(m.content)) FROM message m WHERE m.record_id = r.id), "
        "(SELECT group_concat(DISTINCT l.name) FROM label l WHERE l.record_id = r.id) "
        "FROM record r WHERE r.id = ?1");
    statement.bindInt(2, kPreviewCodePoints);
    std::vector<RecordSummary> summaries;
    summaries.reserve(record_ids.size());
    for (const std::int64_t record_id : record_ids) {
        statement.bindInt(1, record_id);
        if (statement.step()) {
            RecordSummary summary;
            summary.id = statement.columnInt(0);
            summary.dataset_id = statement.columnInt(1);
            summary.kind = parseRecordKind(statement.columnText(2));
            summary.preview = statement.columnText(3);
            summary.turns = statement.columnInt(4);
            summary.language = statement.columnText(5);
            summary.length = static_cast<std::int64_t>(statement.columnDouble(6));
            std::string names = statement.columnText(7);
            std::replace(names.begin(), names.end(), ',', '\n');
            summary.labels = splitNames(names);
            summaries.push_back(std::move(summary));
        }
        statement.reset();
    }
    return summaries;
}

void replaceConversationMessages(ProjectStore& store, std::int64_t record_id,
                                 const std::vector<data::Message>& messages) {
    store.requireWritable();
    Database& db = store.database();
    const std::string where = store.path() + ": record " + std::to_string(record_id);
    if (messages.empty()) {
        throw UserError(where + ": a conversation needs at least one message");
    }
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (messages[i].role == data::Role::Invalid) {
            throw UserError(where + ": message " + std::to_string(i + 1) + " has no role");
        }
        if (messages[i].content.empty()) {
            throw UserError(where + ": message " + std::to_string(i + 1) + " has no text");
        }
    }
    Transaction transaction(db);
    Statement kind(db, "SELECT kind FROM record WHERE id = ?");
    if (!kind.bindInt(1, record_id).step()) {
        throw UserError(store.path() + ": no record with id " + std::to_string(record_id));
    }
    if (parseRecordKind(kind.columnText(0)) != RecordKind::Conversation) {
        throw UserError(where + " is a " + kind.columnText(0) +
                        ", not a conversation; only conversations can be edited");
    }
    Statement remove(db, "DELETE FROM message WHERE record_id = ?");
    remove.bindInt(1, record_id).run();
    Statement insert(db,
                     "INSERT INTO message (record_id, parent_id, position, role, content, search_exact, "
                     "search_plain) VALUES (?, ?, ?, ?, ?, ?, ?)");
    std::optional<std::int64_t> parent_id;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const std::string& content = messages[i].content;
        const SearchForms forms = searchForms(content);
        insert.bindInt(1, record_id)
            .bindOptionalInt(2, parent_id)
            .bindInt(3, static_cast<std::int64_t>(i))
            .bindText(4, data::roleName(messages[i].role))
            .bindText(5, content)
            .bindTextOrNull(6, forms.exact == content ? std::string_view() : std::string_view(forms.exact))
            .bindTextOrNull(7,
                            forms.plain == forms.exact ? std::string_view() : std::string_view(forms.plain))
            .run();
        parent_id = db.lastInsertId();
    }
    markEdited(db, record_id);
    transaction.commit();
}

std::string normalizeMessageText(const std::string& content) {
    // text::normalize folds line ends into spaces (it works on one line), so a message is
    // normalized a line at a time; code keeps its spacing.
    std::vector<std::string> lines;
    std::istringstream stream(content);
    bool in_code = false;
    for (std::string line; std::getline(stream, line, '\n');) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (isFenceLine(line)) {
            in_code = !in_code;
            lines.push_back(text::toNfc(line));
        } else if (in_code) {
            lines.push_back(text::toNfc(line));
        } else {
            const std::size_t indent = std::min(line.find_first_not_of(" \t"), line.size());
            const std::string body = text::normalize(std::string_view(line).substr(indent));
            lines.push_back(body.empty() ? std::string() : line.substr(0, indent) + body);
        }
    }
    while (!lines.empty() && lines.back().empty()) {
        lines.pop_back();
    }
    const auto first =
        std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return !l.empty(); });
    std::string result;
    for (auto line = first; line != lines.end(); ++line) {
        result += (line == first ? "" : "\n") + *line;
    }
    return result;
}

void clearRecordLabel(ProjectStore& store, std::int64_t record_id, std::int64_t annotator_id,
                      const std::string& name) {
    store.requireWritable();
    Statement remove(
        store.database(),
        "DELETE FROM label WHERE record_id = ? AND message_id IS NULL AND annotator_id = ? AND name = ?");
    remove.bindInt(1, record_id).bindInt(2, annotator_id).bindText(3, name).run();
}

}  // namespace vietllm::store
