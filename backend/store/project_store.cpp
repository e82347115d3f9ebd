#include "backend/store/project_store.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/store/schema.h"

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

namespace vietllm::store {

namespace {

constexpr std::int64_t kVisitPageSize = 256;

// Removes a project file's SQLite companions. A stale -wal beside a freshly renamed project
// would be replayed into it, so these must go before a new file takes the name.
void removeCompanions(const std::string& path) {
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        std::remove((path + suffix).c_str());
    }
}

// Deletes the temporary project (and its companions) unless release() is called.
class TemporaryProject {
public:
    explicit TemporaryProject(std::string path) : m_path(std::move(path)) {}
    ~TemporaryProject() {
        if (!m_path.empty()) {
            std::remove(m_path.c_str());
            removeCompanions(m_path);
        }
    }
    TemporaryProject(const TemporaryProject&) = delete;
    TemporaryProject& operator=(const TemporaryProject&) = delete;
    void release() { m_path.clear(); }

private:
    std::string m_path;
};

nlohmann::json parseJsonColumn(const Statement& statement, int column, nlohmann::json fallback) {
    if (statement.columnIsNull(column)) {
        return fallback;
    }
    return nlohmann::json::parse(statement.columnText(column));
}

PreferenceSlot parseSlot(const Statement& statement, int column) {
    const std::string slot = statement.columnText(column);
    if (slot.empty()) {
        return PreferenceSlot::None;
    }
    return slot == "chosen" ? PreferenceSlot::Chosen : PreferenceSlot::Rejected;
}

// Record columns selected by every header query, in this order.
constexpr const char* kRecordHeaderColumns =
    "SELECT r.id, r.dataset_id, r.kind, r.original_id, r.tree_id, r.metadata, "
    "p.source, p.licence, p.transformations "
    "FROM record r LEFT JOIN provenance p ON p.id = r.provenance_id ";

struct PendingRecord {
    std::int64_t id = 0;
    std::int64_t dataset_id = 0;
    RecordRows rows;
};

PendingRecord readRecordHeader(const Statement& statement) {
    PendingRecord pending;
    pending.id = statement.columnInt(0);
    pending.dataset_id = statement.columnInt(1);
    pending.rows.kind = parseRecordKind(statement.columnText(2));
    pending.rows.provenance.original_id = statement.columnText(3);
    pending.rows.tree_id = statement.columnText(4);
    pending.rows.metadata = parseJsonColumn(statement, 5, nlohmann::json::object());
    pending.rows.provenance.source = statement.columnText(6);
    pending.rows.provenance.licence = statement.columnText(7);
    pending.rows.provenance.transformations =
        parseJsonColumn(statement, 8, nlohmann::json::array()).get<std::vector<std::string>>();
    return pending;
}

// Reads the messages of one record (statement bound to its id) into rows, in position order.
void readMessages(Statement& statement, RecordRows& rows) {
    std::unordered_map<std::int64_t, std::size_t> position_of;
    while (statement.step()) {
        MessageRow row;
        if (const auto parent_id = statement.columnOptionalInt(1)) {
            const auto parent = position_of.find(*parent_id);
            if (parent == position_of.end()) {
                throw std::runtime_error("damaged record in the project: a message before its parent");
            }
            row.parent_position = parent->second;
        }
        row.slot = parseSlot(statement, 2);
        row.role = data::parseRole(statement.columnText(3));
        row.content = statement.columnText(4);
        row.external_id = statement.columnText(5);
        if (const auto rank = statement.columnOptionalInt(6)) {
            row.rank = static_cast<int>(*rank);
        }
        row.rating = statement.columnOptionalDouble(7);
        row.lang = statement.columnText(8);
        row.metadata = parseJsonColumn(statement, 9, nlohmann::json::object());
        position_of.emplace(statement.columnInt(0), rows.messages.size());
        rows.messages.push_back(std::move(row));
    }
    statement.reset();
}

std::int64_t countRows(Database& db, const std::string& table) {
    return db.queryInt("SELECT count(*) FROM " + table);
}

// Counts per value of a grouped query (SELECT key, count(*) ... GROUP BY key); NULL or empty
// keys are counted under `empty_key`.
nlohmann::json countsByKey(Statement& statement, const std::string& empty_key) {
    nlohmann::json counts = nlohmann::json::object();
    while (statement.step()) {
        const std::string key = statement.columnText(0);
        counts[key.empty() ? empty_key : key] = statement.columnInt(1);
    }
    return counts;
}

}  // namespace

ProjectStore::ProjectStore(std::unique_ptr<Database> db) : m_db(std::move(db)) {}

ProjectStore::~ProjectStore() = default;

ProjectStore ProjectStore::create(const std::string& path, bool overwrite) {
    struct stat info {};
    if (!overwrite && ::stat(path.c_str(), &info) == 0) {
        throw UserError(path + ": already exists; not replacing it");
    }
    const std::string temp_path = path + ".part." + std::to_string(::getpid());
    TemporaryProject temporary(temp_path);
    std::remove(temp_path.c_str());
    removeCompanions(temp_path);
    try {
        Database db(temp_path, OpenMode::CreateReadWrite, kBusyTimeoutMs);
        migrate(db, projectMigrations());
        db.exec("PRAGMA journal_mode = WAL");
    } catch (const UserError& error) {
        throw UserError(path + ": cannot create the project (" + error.what() + ")");
    }
    // The connection is closed here, so its WAL is checkpointed into the file and removed.
    removeCompanions(path);
    if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
        throw UserError(path + ": cannot create the project (" + std::strerror(errno) + ")");
    }
    temporary.release();
    return open(path, OpenMode::ReadWrite);
}

ProjectStore ProjectStore::open(const std::string& path, OpenMode mode) {
    if (mode != OpenMode::ReadWrite && mode != OpenMode::ReadOnly) {
        throw std::logic_error("ProjectStore::open: mode must be ReadWrite or ReadOnly");
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        throw UserError(path + ": no such project file (create one with 'vietllm-cli project init')");
    }
    if (S_ISDIR(info.st_mode)) {
        throw UserError(path + ": is a folder, not a project file");
    }
    if (info.st_size == 0) {
        // SQLite would happily turn any empty file into a database; a user who picked the wrong
        // file must not find it silently converted into a project.
        throw UserError(
            path + ": is an empty file, not a vietllm project (create one with 'vietllm-cli project init')");
    }
    // A read-only project is opened for writing with query_only on: a connection opened with
    // SQLITE_OPEN_READONLY cannot remove the -wal and -shm files when it closes, so every
    // `project stats` would leave them behind. A write-protected file still opens read-only.
    auto db = std::make_unique<Database>(path, OpenMode::ReadWrite, kBusyTimeoutMs);
    if (mode == OpenMode::ReadOnly) {
        db->exec("PRAGMA query_only = ON");
    } else if (db->isReadOnly()) {
        throw UserError(path + ": the project is read-only (check the file's permissions)");
    }
    migrate(*db, projectMigrations());
    if (mode == OpenMode::ReadWrite) {
        db->exec("PRAGMA journal_mode = WAL");
        // In WAL mode NORMAL cannot corrupt the file; at worst a power cut loses the last commit.
        db->exec("PRAGMA synchronous = NORMAL");
    }
    return ProjectStore(std::move(db));
}

int ProjectStore::schemaVersion() const {
    return static_cast<int>(m_db->queryInt("PRAGMA user_version"));
}

void ProjectStore::requireWritable() const {
    if (m_db->isReadOnly()) {
        throw UserError(path() + ": the project is open read-only");
    }
}

std::vector<DatasetInfo> ProjectStore::datasets() const {
    Statement statement(*m_db, "SELECT id, name, description, created_at FROM dataset ORDER BY id");
    std::vector<DatasetInfo> result;
    while (statement.step()) {
        result.push_back({statement.columnInt(0), statement.columnText(1), statement.columnText(2),
                          statement.columnText(3)});
    }
    return result;
}

std::optional<DatasetInfo> ProjectStore::findDataset(std::string_view name) const {
    Statement statement(*m_db, "SELECT id, name, description, created_at FROM dataset WHERE name = ?");
    statement.bindText(1, name);
    if (!statement.step()) {
        return std::nullopt;
    }
    return DatasetInfo{statement.columnInt(0), statement.columnText(1), statement.columnText(2),
                       statement.columnText(3)};
}

DatasetInfo ProjectStore::requireDataset(std::string_view name) const {
    std::optional<DatasetInfo> dataset = findDataset(name);
    if (!dataset) {
        throw UserError(path() + ": no dataset named '" + std::string(name) + "'");
    }
    return *dataset;
}

std::int64_t ProjectStore::createDataset(const std::string& name, const std::string& description) {
    requireWritable();
    if (name.empty() || !utf8::isValid(name)) {
        throw UserError(path() + ": a dataset name must be non-empty UTF-8 text");
    }
    if (findDataset(name)) {
        throw UserError(path() + ": a dataset named '" + name + "' already exists");
    }
    Statement statement(*m_db, "INSERT INTO dataset (name, description) VALUES (?, ?)");
    statement.bindText(1, name).bindText(2, description).run();
    return m_db->lastInsertId();
}

void ProjectStore::deleteDataset(std::int64_t dataset_id) {
    requireWritable();
    Transaction transaction(*m_db);
    Statement statement(*m_db, "DELETE FROM dataset WHERE id = ?");
    statement.bindInt(1, dataset_id).run();
    if (m_db->changes() == 0) {
        throw UserError(path() + ": no dataset with id " + std::to_string(dataset_id));
    }
    transaction.commit();
}

std::int64_t ProjectStore::recordCount(std::int64_t dataset_id) const {
    // Kept by the schema's triggers (dataset_count), so no count runs over the records.
    Statement statement(*m_db, "SELECT records FROM dataset_count WHERE dataset_id = ?");
    statement.bindInt(1, dataset_id).step();
    return statement.columnInt(0);
}

std::int64_t ProjectStore::messageCount(std::int64_t dataset_id) const {
    Statement statement(*m_db, "SELECT messages FROM dataset_count WHERE dataset_id = ?");
    statement.bindInt(1, dataset_id).step();
    return statement.columnInt(0);
}

std::vector<StoredRecord> ProjectStore::loadRecords(Statement& headers) const {
    std::vector<PendingRecord> pending;
    while (headers.step()) {
        pending.push_back(readRecordHeader(headers));
    }
    Statement messages(*m_db,
                       "SELECT id, parent_id, slot, role, content, external_id, rank, rating, lang, metadata "
                       "FROM message WHERE record_id = ? ORDER BY position");
    std::vector<StoredRecord> result;
    result.reserve(pending.size());
    for (PendingRecord& record : pending) {
        messages.bindInt(1, record.id);
        readMessages(messages, record.rows);
        result.push_back({record.id, record.dataset_id, assembleRecord(std::move(record.rows))});
    }
    return result;
}

std::vector<StoredRecord> ProjectStore::records(std::int64_t dataset_id, std::int64_t offset,
                                                std::int64_t limit) const {
    if (limit <= 0) {
        return {};
    }
    // OFFSET walks only the (dataset_id, id) index inside the subquery, never the table rows.
    Statement headers(*m_db, std::string(kRecordHeaderColumns) +
                                 "WHERE r.id IN (SELECT id FROM record WHERE dataset_id = ?1 ORDER BY id "
                                 "LIMIT ?3 OFFSET ?2) ORDER BY r.id");
    headers.bindInt(1, dataset_id).bindInt(2, offset > 0 ? offset : 0).bindInt(3, limit);
    return loadRecords(headers);
}

std::vector<StoredRecord> ProjectStore::recordsAfter(std::int64_t dataset_id, std::int64_t after_record_id,
                                                     std::int64_t limit) const {
    if (limit <= 0) {
        return {};
    }
    Statement headers(*m_db, std::string(kRecordHeaderColumns) +
                                 "WHERE r.dataset_id = ? AND r.id > ? ORDER BY r.id LIMIT ?");
    headers.bindInt(1, dataset_id).bindInt(2, after_record_id).bindInt(3, limit);
    return loadRecords(headers);
}

StoredRecord ProjectStore::record(std::int64_t record_id) const {
    Statement headers(*m_db, std::string(kRecordHeaderColumns) + "WHERE r.id = ?");
    headers.bindInt(1, record_id);
    std::vector<StoredRecord> found = loadRecords(headers);
    if (found.empty()) {
        throw UserError(path() + ": no record with id " + std::to_string(record_id));
    }
    return std::move(found.front());
}

void ProjectStore::forEachRecord(std::int64_t dataset_id,
                                 const std::function<void(StoredRecord&&)>& visit) const {
    std::int64_t after_record_id = 0;
    while (true) {
        std::vector<StoredRecord> page = recordsAfter(dataset_id, after_record_id, kVisitPageSize);
        if (page.empty()) {
            return;
        }
        after_record_id = page.back().id;
        for (StoredRecord& stored : page) {
            visit(std::move(stored));
        }
    }
}

std::vector<SearchHit> ProjectStore::search(std::string_view query, const SearchOptions& options) const {
    const std::string match = ftsMatchExpression(query, options.ignore_diacritics);
    const int column = options.ignore_diacritics ? 1 : 0;
    Statement statement(*m_db,
                        "SELECT m.id, m.record_id, r.dataset_id, m.role, message_fts.exact, "
                        "highlight(message_fts, " +
                            std::to_string(column) +
                            ", ?4, ?5) "
                            "FROM message_fts JOIN message m ON m.id = message_fts.rowid "
                            "JOIN record r ON r.id = m.record_id "
                            "WHERE message_fts MATCH ?1 AND (?2 IS NULL OR r.dataset_id = ?2) "
                            "ORDER BY message_fts.rank LIMIT ?3");
    statement.bindText(1, match)
        .bindOptionalInt(2, options.dataset_id)
        .bindInt(3, static_cast<std::int64_t>(options.limit))
        .bindText(4, kMatchOpen)
        .bindText(5, kMatchClose);
    std::vector<SearchHit> hits;
    while (statement.step()) {
        SearchHit hit;
        hit.message_id = statement.columnInt(0);
        hit.record_id = statement.columnInt(1);
        hit.dataset_id = statement.columnInt(2);
        hit.role = data::parseRole(statement.columnText(3));
        hit.text = statement.columnText(4);
        std::string highlighted = statement.columnText(5);
        hit.matches = takeMatchSpans(highlighted);
        // The plain form has the exact form's code points one for one (each letter loses its
        // marks, keeps its place), so its spans apply to the exact text; if some character
        // did not map one for one, no spans rather than wrong ones.
        if (utf8::codePointCount(highlighted) != utf8::codePointCount(hit.text)) {
            hit.matches.clear();
        }
        hits.push_back(std::move(hit));
    }
    return hits;
}

nlohmann::json ProjectStore::datasetStats(const DatasetInfo& dataset) const {
    nlohmann::json stats = {{"id", dataset.id},
                            {"name", dataset.name},
                            {"created_at", dataset.created_at},
                            {"records", recordCount(dataset.id)},
                            {"messages", messageCount(dataset.id)}};
    Statement kinds(*m_db,
                    "SELECT kind, count(*) FROM record WHERE dataset_id = ? GROUP BY kind ORDER BY kind");
    kinds.bindInt(1, dataset.id);
    stats["kinds"] = countsByKey(kinds, "unknown");
    Statement roles(*m_db,
                    "SELECT m.role, count(*) FROM message m JOIN record r ON r.id = m.record_id "
                    "WHERE r.dataset_id = ? GROUP BY m.role ORDER BY m.role");
    roles.bindInt(1, dataset.id);
    stats["roles"] = countsByKey(roles, "unknown");
    // "und" is ISO 639's code for an undetermined language.
    Statement languages(*m_db,
                        "SELECT m.lang, count(*) FROM message m JOIN record r ON r.id = m.record_id "
                        "WHERE r.dataset_id = ? GROUP BY m.lang ORDER BY m.lang");
    languages.bindInt(1, dataset.id);
    stats["languages"] = countsByKey(languages, "und");
    Statement labels(
        *m_db, "SELECT count(*) FROM label l JOIN record r ON r.id = l.record_id WHERE r.dataset_id = ?");
    labels.bindInt(1, dataset.id).step();
    stats["labels"] = labels.columnInt(0);
    Statement rankings(*m_db,
                       "SELECT count(*) FROM ranking g JOIN ranking_task t ON t.id = g.task_id "
                       "JOIN record r ON r.id = t.record_id WHERE r.dataset_id = ?");
    rankings.bindInt(1, dataset.id).step();
    stats["rankings"] = rankings.columnInt(0);
    Statement imports(*m_db,
                      "SELECT source_path, format, record_count, skipped_count, created_at FROM import_run "
                      "WHERE dataset_id = ? ORDER BY id");
    imports.bindInt(1, dataset.id);
    stats["imports"] = nlohmann::json::array();
    while (imports.step()) {
        stats["imports"].push_back({{"source", imports.columnText(0)},
                                    {"format", imports.columnText(1)},
                                    {"records", imports.columnInt(2)},
                                    {"skipped", imports.columnInt(3)},
                                    {"created_at", imports.columnText(4)}});
    }
    return stats;
}

nlohmann::json ProjectStore::stats() const {
    nlohmann::json stats = {{"file", path()}, {"schema_version", schemaVersion()}};
    nlohmann::json dataset_list = nlohmann::json::array();
    std::int64_t total_records = 0;
    std::int64_t total_messages = 0;
    for (const DatasetInfo& dataset : datasets()) {
        nlohmann::json entry = datasetStats(dataset);
        total_records += entry["records"].get<std::int64_t>();
        total_messages += entry["messages"].get<std::int64_t>();
        dataset_list.push_back(std::move(entry));
    }
    stats["datasets"] = std::move(dataset_list);
    stats["totals"] = {
        {"datasets", stats["datasets"].size()}, {"records", total_records}, {"messages", total_messages}};
    Statement annotators(*m_db,
                         "SELECT a.name, a.kind, "
                         "(SELECT count(*) FROM label l WHERE l.annotator_id = a.id), "
                         "(SELECT count(*) FROM ranking g WHERE g.annotator_id = a.id) "
                         "FROM annotator a ORDER BY a.id");
    stats["annotators"] = nlohmann::json::array();
    while (annotators.step()) {
        stats["annotators"].push_back({{"name", annotators.columnText(0)},
                                       {"kind", annotators.columnText(1)},
                                       {"labels", annotators.columnInt(2)},
                                       {"rankings", annotators.columnInt(3)}});
    }
    Statement tasks(*m_db, "SELECT status, count(*) FROM ranking_task GROUP BY status ORDER BY status");
    stats["ranking_tasks"] = countsByKey(tasks, "unknown");
    for (const char* table :
         {"label", "ranking", "model", "checkpoint", "training_run", "evaluation_run", "chat"}) {
        stats[std::string(table) + "s"] = countRows(*m_db, table);
    }
    return stats;
}

}  // namespace vietllm::store
