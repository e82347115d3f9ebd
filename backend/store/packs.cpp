#include "backend/store/packs.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/store/annotations.h"
#include "backend/store/import_session.h"
#include "backend/store/record_rows.h"

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

namespace vietllm::store {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr const char* kPackFormat = "vietllm-pack";
constexpr int kPackVersion = 1;

std::string sha256Hex(const std::string& bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &digest_size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    static const char* const kHex = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < digest_size; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0f];
    }
    return hex;
}

// 128 random bits as hex: pack ids never need coordination between machines.
std::string randomPackId() {
    std::random_device device;
    std::string id;
    static const char* const kHex = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
        id += kHex[device() % 16];
    }
    return id;
}

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

// A string member of a JSON object, or "" when it is absent or not a string (so that a damaged
// line is reported by the checks that follow, not by a JSON type error).
std::string stringMember(const Json& object, const char* name) {
    if (!object.is_object() || !object.contains(name) || !object.at(name).is_string()) {
        return {};
    }
    return object.at(name).get_ref<const std::string&>();
}

std::string dumpLine(const OrderedJson& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n';
}

// Builds a pack: header, body lines, then the end line with the line count and the SHA-256 of
// everything before it (which is also the pack's content hash).
class PackBuilder {
public:
    explicit PackBuilder(const OrderedJson& header) : m_text(dumpLine(header)) {}

    void add(const OrderedJson& line) {
        m_text += dumpLine(line);
        ++m_lines;
    }
    std::size_t lines() const { return m_lines; }

    void write(const std::string& path) const {
        AtomicFileWriter writer(path);
        writer.stream() << m_text
                        << dumpLine({{"type", "end"}, {"lines", m_lines}, {"sha256", sha256Hex(m_text)}});
        writer.commit();
    }

private:
    std::string m_text;
    std::size_t m_lines = 0;
};

struct PackLine {
    std::size_t line_number = 0;
    Json value;
};

// A pack read and checked: header, body lines and content hash.
struct PackFile {
    std::string path;
    Json header;
    std::vector<PackLine> body;
    std::string sha256;

    [[noreturn]] void fail(std::size_t line_number, const std::string& what) const {
        throw UserError(locatedMessage(path, line_number, what));
    }
};

// Field access on one line of a pack, with errors naming file, line and field.
class Fields {
public:
    Fields(const PackFile& pack, std::size_t line_number, const Json& value)
        : m_pack(pack), m_line(line_number), m_value(value) {}

    const Json& member(const char* name) const {
        if (!m_value.is_object() || !m_value.contains(name)) {
            m_pack.fail(m_line, std::string("field \"") + name + "\": missing");
        }
        return m_value.at(name);
    }
    std::int64_t integer(const char* name) const {
        const Json& value = member(name);
        if (!value.is_number_integer()) {
            m_pack.fail(m_line, std::string("field \"") + name + "\": expected an integer");
        }
        return value.get<std::int64_t>();
    }
    std::optional<std::int64_t> optionalInteger(const char* name) const {
        return m_value.contains(name) && m_value.at(name).is_null()
                   ? std::nullopt
                   : std::optional<std::int64_t>(integer(name));
    }
    std::string text(const char* name) const {
        const Json& value = member(name);
        if (!value.is_string()) {
            m_pack.fail(m_line, std::string("field \"") + name + "\": expected a string");
        }
        return value.get<std::string>();
    }
    std::vector<std::int64_t> integers(const char* name, const Json& list) const {
        std::vector<std::int64_t> result;
        if (!list.is_array()) {
            m_pack.fail(m_line, std::string("field \"") + name + "\": expected a list of integers");
        }
        for (const Json& item : list) {
            if (!item.is_number_integer()) {
                m_pack.fail(m_line, std::string("field \"") + name + "\": expected a list of integers");
            }
            result.push_back(item.get<std::int64_t>());
        }
        return result;
    }
    std::vector<std::vector<std::int64_t>> tiers(const char* name) const {
        const Json& list = member(name);
        if (!list.is_array()) {
            m_pack.fail(m_line, std::string("field \"") + name + "\": expected a list of lists of ids");
        }
        std::vector<std::vector<std::int64_t>> result;
        for (const Json& tier : list) {
            result.push_back(integers(name, tier));
        }
        return result;
    }
    [[noreturn]] void fail(const std::string& what) const { m_pack.fail(m_line, what); }

private:
    const PackFile& m_pack;
    std::size_t m_line;
    const Json& m_value;
};

PackFile readPack(const std::string& path, const std::string& expected_kind) {
    std::ifstream input(path, std::ios::binary);
    if (!input) {
        throw UserError(path + ": cannot open the pack");
    }
    PackFile pack;
    pack.path = path;
    std::string line;
    std::string hashed;
    std::optional<Json> end;
    std::size_t line_number = 0;
    while (std::getline(input, line)) {
        ++line_number;
        if (end) {
            pack.fail(line_number, "text after the end line");
        }
        Json value;
        try {
            value = Json::parse(line);
        } catch (const Json::exception&) {
            pack.fail(line_number, input.eof() ? "the pack is truncated (an incomplete last line)"
                                               : "not valid JSON; the pack is damaged");
        }
        if (line_number == 1) {
            pack.header = std::move(value);
        } else if (value.is_object() && stringMember(value, "type") == "end") {
            end = std::move(value);
            continue;
        } else {
            pack.body.push_back({line_number, std::move(value)});
        }
        hashed += line + '\n';
    }
    if (line_number == 0) {
        throw UserError(path + ": empty file, not a vietllm pack");
    }
    const Fields header(pack, 1, pack.header);
    if (!pack.header.is_object() || stringMember(pack.header, "format") != kPackFormat) {
        pack.fail(1, "field \"format\": not a vietllm pack (expected \"vietllm-pack\")");
    }
    if (header.integer("version") > kPackVersion) {
        pack.fail(1, "field \"version\": the pack is newer than this vietllm supports (version " +
                         std::to_string(kPackVersion) + ")");
    }
    if (header.text("kind") != expected_kind) {
        pack.fail(1, "field \"kind\": a \"" + header.text("kind") + "\" pack, expected a \"" + expected_kind +
                         "\" pack");
    }
    if (!end) {
        pack.fail(line_number, "the pack is truncated (no end line)");
    }
    const Fields end_fields(pack, line_number, *end);
    pack.sha256 = sha256Hex(hashed);
    if (end_fields.integer("lines") != static_cast<std::int64_t>(pack.body.size()) ||
        end_fields.text("sha256") != pack.sha256) {
        pack.fail(line_number, "field \"sha256\": the content does not match its hash; the pack is damaged");
    }
    return pack;
}

OrderedJson annotatorJson(const ProjectStore& store, std::int64_t annotator_id) {
    Statement statement(store.database(), "SELECT name, display_name, kind FROM annotator WHERE id = ?");
    if (!statement.bindInt(1, annotator_id).step()) {
        throw UserError(store.path() + ": no annotator with id " + std::to_string(annotator_id));
    }
    return {{"name", statement.columnText(0)},
            {"display_name", statement.columnText(1)},
            {"kind", statement.columnText(2)}};
}

// The annotator a pack's profile names, registered (or updated) in `store`.
std::int64_t ensureAnnotator(ProjectStore& store, const PackFile& pack) {
    const Fields fields(pack, 1, pack.header);
    const Json& profile = fields.member("annotator");
    const Fields annotator(pack, 1, profile);
    const std::string name = annotator.text("name");
    const std::string kind =
        stringMember(profile, "kind").empty() ? std::string("human") : stringMember(profile, "kind");
    if (name.empty() || (kind != "human" && kind != "model")) {
        pack.fail(1, "field \"annotator\": needs a name and a kind of \"human\" or \"model\"");
    }
    Statement insert(store.database(),
                     "INSERT INTO annotator (name, kind) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
    insert.bindText(1, name).bindText(2, kind).run();
    Statement update(store.database(), "UPDATE annotator SET display_name = ?1 WHERE name = ?2 AND ?1 <> ''");
    update.bindText(1, stringMember(profile, "display_name")).bindText(2, name).run();
    return *Annotations(store).findAnnotator(name);
}

std::string datasetNameOf(const ProjectStore& store, std::int64_t record_id) {
    Statement statement(store.database(),
                        "SELECT d.name FROM record r JOIN dataset d ON d.id = r.dataset_id WHERE r.id = ?");
    statement.bindInt(1, record_id).step();
    return statement.columnText(0);
}

std::vector<std::int64_t> messageIds(const ProjectStore& store, std::int64_t record_id) {
    Statement statement(store.database(), "SELECT id FROM message WHERE record_id = ? ORDER BY position");
    statement.bindInt(1, record_id);
    std::vector<std::int64_t> ids;
    while (statement.step()) {
        ids.push_back(statement.columnInt(0));
    }
    return ids;
}

// Items (ranking tasks or records) of the scope that fewer than `redundancy` annotators have done
// or been given, that this annotator has neither done nor been given, fewest workers first.
std::vector<std::int64_t> selectItems(const ProjectStore& store, const PackExportRequest& request,
                                      std::int64_t annotator_id, const std::string& kind) {
    const std::string done_sql =
        kind == "ranking_task"
            ? "SELECT annotator_id FROM ranking WHERE task_id = x.id"
            : "SELECT annotator_id FROM label WHERE record_id = x.id AND name NOT LIKE '\\_%' ESCAPE '\\'";
    const std::string scope_sql = kind == "ranking_task"
                                      ? "SELECT t.id, r.dataset_id FROM ranking_task t JOIN record r ON r.id "
                                        "= t.record_id WHERE t.status <> 'cancelled'"
                                      : "SELECT r.id, r.dataset_id FROM record r";
    const std::string sql =
        "SELECT id FROM (SELECT x.id, (SELECT count(*) FROM (" + done_sql +
        " UNION SELECT p.annotator_id FROM annotation_pack_item i JOIN annotation_pack p ON p.id = i.pack_id "
        "WHERE p.role = 'exported' AND i.kind = ?1 AND i.item_id = x.id)) AS workers, "
        "EXISTS (" +
        done_sql +
        " AND annotator_id = ?2 UNION SELECT 1 FROM annotation_pack_item i JOIN annotation_pack p ON p.id = "
        "i.pack_id WHERE p.role = 'exported' AND i.kind = ?1 AND i.item_id = x.id AND p.annotator_id = ?2) "
        "AS mine "
        "FROM (" +
        scope_sql +
        ") x WHERE ?3 IS NULL OR x.dataset_id = ?3) "
        "WHERE NOT mine AND workers < ?4 ORDER BY workers, id LIMIT ?5";
    Statement statement(store.database(), sql);
    statement.bindText(1, kind)
        .bindInt(2, annotator_id)
        .bindOptionalInt(3, request.dataset_id)
        .bindInt(4, request.redundancy)
        .bindInt(5, request.limit == 0 ? -1 : static_cast<std::int64_t>(request.limit));
    std::vector<std::int64_t> ids;
    while (statement.step()) {
        ids.push_back(statement.columnInt(0));
    }
    return ids;
}

OrderedJson recordLine(const ProjectStore& store, std::int64_t record_id) {
    const StoredRecord stored = store.record(record_id);
    return {{"type", "record"},
            {"record_id", record_id},
            {"dataset", datasetNameOf(store, record_id)},
            {"kind", recordKindName(kindOf(stored.record))},
            {"message_ids", messageIds(store, record_id)},
            {"record", data::toJson(stored.record)}};
}

OrderedJson rankingTaskLine(ProjectStore& store, std::int64_t task_id, std::int64_t* record_id) {
    Statement task(store.database(), "SELECT record_id, parent_message_id FROM ranking_task WHERE id = ?");
    task.bindInt(1, task_id).step();
    *record_id = task.columnInt(0);
    return {{"type", "ranking_task"},
            {"task_id", task_id},
            {"parent_message_id", task.columnInt(1)},
            {"candidates", Annotations(store).rankingCandidates(task_id)}};
}

void recordAssignment(ProjectStore& store, const std::string& pack_id, std::int64_t annotator_id,
                      const std::string& file_name, const OrderedJson& header,
                      const std::vector<std::pair<std::string, std::int64_t>>& items) {
    Database& db = store.database();
    Statement pack(db,
                   "INSERT INTO annotation_pack (pack_id, role, annotator_id, file_name, header) "
                   "VALUES (?, 'exported', ?, ?, ?)");
    pack.bindText(1, pack_id)
        .bindInt(2, annotator_id)
        .bindText(3, file_name)
        .bindText(4, header.dump())
        .run();
    const std::int64_t pack_row = db.lastInsertId();
    Statement item(db,
                   "INSERT OR IGNORE INTO annotation_pack_item (pack_id, kind, item_id) VALUES (?, ?, ?)");
    for (const auto& [kind, id] : items) {
        item.bindInt(1, pack_row).bindText(2, kind).bindInt(3, id).run();
    }
}

data::Record recordFromLine(const Fields& fields) {
    const std::string kind = fields.text("kind");
    const Json& value = fields.member("record");
    try {
        switch (parseRecordKind(kind)) {
            case RecordKind::Conversation:
                return data::conversationFromJson(value);
            case RecordKind::Preference:
                return data::preferencePairFromJson(value);
            case RecordKind::Tree:
                return data::treeFromJson(value);
            case RecordKind::Invalid:
                break;
        }
    } catch (const UserError& error) {
        fields.fail(std::string("field \"record\": ") + error.what());
    }
    fields.fail("field \"kind\": unknown record kind '" + kind + "'");
}

void insertLink(Database& db, const char* kind, std::int64_t local_id, std::int64_t origin_id) {
    Statement link(db, "INSERT INTO pack_link (kind, local_id, origin_id) VALUES (?, ?, ?)");
    link.bindText(1, kind).bindInt(2, local_id).bindInt(3, origin_id).run();
}

// Imports the pack's records dataset by dataset and links every record and message to its origin.
std::size_t importPackRecords(ProjectStore& work, const PackFile& pack,
                              std::map<std::int64_t, std::int64_t>* local_of) {
    std::map<std::string, std::vector<const PackLine*>> by_dataset;
    for (const PackLine& line : pack.body) {
        if (stringMember(line.value, "type") == "record") {
            by_dataset[Fields(pack, line.line_number, line.value).text("dataset")].push_back(&line);
        }
    }
    std::size_t records = 0;
    for (const auto& [dataset, lines] : by_dataset) {
        ImportSession session(work,
                              {dataset.empty() ? std::string("pack") : dataset, pack.path, "vlpack", false});
        for (const PackLine* line : lines) {
            session.add(recordFromLine(Fields(pack, line->line_number, line->value)), line->line_number);
        }
        const ImportSummary summary = session.commit();
        Statement ids(work.database(), "SELECT id FROM record WHERE dataset_id = ? ORDER BY id");
        ids.bindInt(1, summary.dataset_id);
        Transaction transaction(work.database());
        for (const PackLine* line : lines) {
            const Fields fields(pack, line->line_number, line->value);
            ids.step();
            const std::int64_t local_record = ids.columnInt(0);
            insertLink(work.database(), "record", local_record, fields.integer("record_id"));
            const std::vector<std::int64_t> origin =
                fields.integers("message_ids", fields.member("message_ids"));
            const std::vector<std::int64_t> local = messageIds(work, local_record);
            if (origin.size() != local.size()) {
                fields.fail("field \"message_ids\": " + std::to_string(origin.size()) +
                            " ids for a record of " + std::to_string(local.size()) + " messages");
            }
            for (std::size_t i = 0; i < local.size(); ++i) {
                insertLink(work.database(), "message", local[i], origin[i]);
                (*local_of)[origin[i]] = local[i];
            }
            ++records;
        }
        transaction.commit();
    }
    return records;
}

std::int64_t localId(const std::map<std::int64_t, std::int64_t>& local_of, std::int64_t origin,
                     const Fields& fields, const char* field) {
    const auto found = local_of.find(origin);
    if (found == local_of.end()) {
        fields.fail(std::string("field \"") + field + "\": message " + std::to_string(origin) +
                    " is not in the pack's records");
    }
    return found->second;
}

std::size_t createPackTasks(ProjectStore& work, const PackFile& pack,
                            const std::map<std::int64_t, std::int64_t>& local_of) {
    Database& db = work.database();
    std::size_t tasks = 0;
    for (const PackLine& line : pack.body) {
        if (stringMember(line.value, "type") != "ranking_task") {
            continue;
        }
        const Fields fields(pack, line.line_number, line.value);
        const std::int64_t parent =
            localId(local_of, fields.integer("parent_message_id"), fields, "parent_message_id");
        Statement task(db,
                       "INSERT INTO ranking_task (record_id, parent_message_id, required_rankings) "
                       "SELECT record_id, id, 1 FROM message WHERE id = ?");
        task.bindInt(1, parent).run();
        const std::int64_t task_id = db.lastInsertId();
        insertLink(db, "ranking_task", task_id, fields.integer("task_id"));
        const std::vector<std::int64_t> candidates =
            fields.integers("candidates", fields.member("candidates"));
        Statement candidate(
            db, "INSERT INTO ranking_candidate (task_id, message_id, display_position) VALUES (?, ?, ?)");
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            candidate.bindInt(1, task_id)
                .bindInt(2, localId(local_of, candidates[i], fields, "candidates"))
                .bindInt(3, static_cast<std::int64_t>(i))
                .run();
        }
        ++tasks;
    }
    return tasks;
}

std::map<std::int64_t, std::int64_t> links(const ProjectStore& work, const char* kind) {
    Statement statement(work.database(), "SELECT local_id, origin_id FROM pack_link WHERE kind = ?");
    statement.bindText(1, kind);
    std::map<std::int64_t, std::int64_t> result;
    while (statement.step()) {
        result[statement.columnInt(0)] = statement.columnInt(1);
    }
    return result;
}

std::int64_t originOf(const std::map<std::int64_t, std::int64_t>& link, std::int64_t local,
                      const ProjectStore& work) {
    const auto found = link.find(local);
    if (found == link.end()) {
        throw UserError(work.path() + ": row " + std::to_string(local) +
                        " did not come from the pack; the working project was changed outside vietllm");
    }
    return found->second;
}

bool sameVote(Database& db, std::int64_t task_id, std::int64_t annotator_id, bool not_rankable,
              const std::vector<std::vector<std::int64_t>>& tiers) {
    Statement vote(db, "SELECT id, not_rankable FROM ranking WHERE task_id = ? AND annotator_id = ?");
    if (!vote.bindInt(1, task_id).bindInt(2, annotator_id).step() ||
        (vote.columnInt(1) != 0) != not_rankable) {
        return false;
    }
    Statement entries(db, "SELECT message_id, place FROM ranking_entry WHERE ranking_id = ?");
    entries.bindInt(1, vote.columnInt(0));
    std::set<std::pair<std::int64_t, std::int64_t>> stored;
    while (entries.step()) {
        stored.insert({entries.columnInt(0), entries.columnInt(1)});
    }
    std::set<std::pair<std::int64_t, std::int64_t>> given;
    for (std::size_t place = 0; place < tiers.size(); ++place) {
        for (const std::int64_t id : tiers[place]) {
            given.insert({id, static_cast<std::int64_t>(place)});
        }
    }
    return stored == given;
}

// Checks a returned ranking against the coordinator's task: every candidate placed exactly once.
void checkReturnedRanking(ProjectStore& store, const Fields& fields, std::int64_t task_id, bool not_rankable,
                          const std::vector<std::vector<std::int64_t>>& tiers) {
    const std::vector<std::int64_t> candidates = Annotations(store).rankingCandidates(task_id);
    if (candidates.empty()) {
        fields.fail("field \"task_id\": this project has no ranking task " + std::to_string(task_id));
    }
    if (not_rankable && tiers.empty()) {
        return;
    }
    std::multiset<std::int64_t> placed;
    for (const auto& tier : tiers) {
        if (tier.empty()) {
            fields.fail("field \"tiers\": an empty place");
        }
        placed.insert(tier.begin(), tier.end());
    }
    if (placed != std::multiset<std::int64_t>(candidates.begin(), candidates.end())) {
        fields.fail("field \"tiers\": must place each of the task's " + std::to_string(candidates.size()) +
                    " candidates exactly once");
    }
}

bool storeRanking(ProjectStore& store, const Fields& fields, std::int64_t annotator_id, bool* replaced) {
    Database& db = store.database();
    const std::int64_t task_id = fields.integer("task_id");
    const bool not_rankable =
        fields.member("not_rankable").is_boolean() && fields.member("not_rankable").get<bool>();
    const auto tiers = fields.tiers("tiers");
    checkReturnedRanking(store, fields, task_id, not_rankable, tiers);
    if (sameVote(db, task_id, annotator_id, not_rankable, tiers)) {
        return false;
    }
    Statement previous(db, "DELETE FROM ranking WHERE task_id = ? AND annotator_id = ?");
    previous.bindInt(1, task_id).bindInt(2, annotator_id).run();
    *replaced = db.changes() > 0;
    Statement ranking(db, "INSERT INTO ranking (task_id, annotator_id, not_rankable) VALUES (?, ?, ?)");
    ranking.bindInt(1, task_id).bindInt(2, annotator_id).bindInt(3, not_rankable ? 1 : 0).run();
    const std::int64_t ranking_id = db.lastInsertId();
    Statement entry(db, "INSERT INTO ranking_entry (ranking_id, message_id, place) VALUES (?, ?, ?)");
    for (std::size_t place = 0; place < tiers.size(); ++place) {
        for (const std::int64_t id : tiers[place]) {
            entry.bindInt(1, ranking_id).bindInt(2, id).bindInt(3, static_cast<std::int64_t>(place)).run();
        }
    }
    Statement complete(db,
                       "UPDATE ranking_task SET status = 'done' WHERE id = ?1 AND status = 'open' AND "
                       "(SELECT count(*) FROM ranking WHERE task_id = ?1) >= required_rankings");
    complete.bindInt(1, task_id).run();
    return true;
}

bool storeLabel(ProjectStore& store, const Fields& fields, std::int64_t annotator_id, bool* replaced) {
    Database& db = store.database();
    const std::int64_t record_id = fields.integer("record_id");
    const std::optional<std::int64_t> message_id = fields.optionalInteger("message_id");
    const std::string name = fields.text("name");
    const Json& value = fields.member("value");
    if (name.empty() || (!value.is_null() && !value.is_number())) {
        fields.fail("field \"value\": a label needs a name and a number or null");
    }
    Statement owner(db,
                    "SELECT 1 FROM record r LEFT JOIN message m ON m.id = ?2 AND m.record_id = r.id "
                    "WHERE r.id = ?1 AND (?2 IS NULL OR m.id IS NOT NULL)");
    if (!owner.bindInt(1, record_id).bindOptionalInt(2, message_id).step()) {
        fields.fail("field \"record_id\": this project has no record " + std::to_string(record_id) +
                    (message_id ? " with message " + std::to_string(*message_id) : std::string()));
    }
    const std::optional<double> number =
        value.is_null() ? std::nullopt : std::optional<double>(value.get<double>());
    const std::string text = fields.member("text").is_string() ? fields.text("text") : std::string();
    Statement current(
        db,
        "SELECT value, ifnull(text, '') FROM label WHERE record_id = ? AND ifnull(message_id, 0) = ? "
        "AND annotator_id = ? AND name = ?");
    if (current.bindInt(1, record_id)
            .bindInt(2, message_id.value_or(0))
            .bindInt(3, annotator_id)
            .bindText(4, name)
            .step()) {
        if (current.columnOptionalDouble(0) == number && current.columnText(1) == text) {
            return false;
        }
        *replaced = true;
    }
    Statement upsert(
        db,
        "INSERT INTO label (record_id, message_id, annotator_id, name, value, text) VALUES (?, ?, ?, ?, ?, "
        "?) "
        "ON CONFLICT (record_id, ifnull(message_id, 0), annotator_id, name) DO UPDATE SET "
        "value = excluded.value, text = excluded.text, created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    upsert.bindInt(1, record_id)
        .bindOptionalInt(2, message_id)
        .bindInt(3, annotator_id)
        .bindText(4, name)
        .bindOptionalDouble(5, number)
        .bindTextOrNull(6, text)
        .run();
    return true;
}

// Records a pack file this project received under `role`: "opened" (the task pack a working
// project was made from) or "merged" (a return pack merged into the coordinator's project), with
// the content hash that makes a merge idempotent. A pack merged again with new content replaces
// its row: one statement, so both roles keep the same columns.
void recordReceivedPack(Database& db, const std::string& role, const std::string& pack_id,
                        std::int64_t annotator_id, const PackFile& pack, const std::string& pack_path) {
    Statement record(
        db,
        "INSERT INTO annotation_pack (pack_id, role, annotator_id, content_sha256, file_name, header) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pack_id, role) DO UPDATE SET "
        "content_sha256 = excluded.content_sha256, file_name = excluded.file_name, header = excluded.header");
    record.bindText(1, pack_id)
        .bindText(2, role)
        .bindInt(3, annotator_id)
        .bindText(4, pack.sha256)
        .bindText(5, pack_path)
        .bindText(6, pack.header.dump())
        .run();
}

}  // namespace

std::string projectId(const ProjectStore& store) {
    Statement statement(store.database(), "SELECT value FROM project_meta WHERE key = 'project_id'");
    if (!statement.step()) {
        throw UserError(store.path() + ": the project has no id; open it once for writing to upgrade it");
    }
    return statement.columnText(0);
}

PackSummary exportTaskPack(ProjectStore& coordinator, const PackExportRequest& request) {
    coordinator.requireWritable();
    if (request.redundancy < 1 || (!request.ranking && !request.labels)) {
        throw UserError("a pack needs at least one kind of task and a redundancy of at least 1");
    }
    Annotations annotations(coordinator);
    Transaction transaction(coordinator.database());
    std::int64_t annotator_id = 0;
    if (const auto existing = annotations.findAnnotator(request.annotator_name)) {
        annotator_id = *existing;
    } else {
        if (request.annotator_name.empty()) {
            throw UserError("a pack needs an annotator name");
        }
        Statement insert(coordinator.database(), "INSERT INTO annotator (name, kind) VALUES (?, 'human')");
        insert.bindText(1, request.annotator_name).run();
        annotator_id = coordinator.database().lastInsertId();
    }
    PackSummary summary;
    summary.pack_id = randomPackId();
    summary.annotator = request.annotator_name;
    std::vector<std::pair<std::string, std::int64_t>> items;
    std::set<std::int64_t> record_ids;
    std::vector<OrderedJson> task_lines;
    if (request.ranking) {
        for (const std::int64_t task_id : selectItems(coordinator, request, annotator_id, "ranking_task")) {
            std::int64_t record_id = 0;
            task_lines.push_back(rankingTaskLine(coordinator, task_id, &record_id));
            record_ids.insert(record_id);
            items.push_back({"ranking_task", task_id});
        }
    }
    if (request.labels) {
        for (const std::int64_t record_id : selectItems(coordinator, request, annotator_id, "record")) {
            record_ids.insert(record_id);
            items.push_back({"record", record_id});
        }
    }
    if (items.empty()) {
        throw UserError(coordinator.path() + ": nothing to assign to " + request.annotator_name +
                        " (every item in scope already has " + std::to_string(request.redundancy) +
                        " annotators, or this one did it)");
    }
    std::vector<std::string> tasks;
    if (request.ranking) {
        tasks.push_back("ranking");
    }
    if (request.labels) {
        tasks.push_back("labels");
    }
    const OrderedJson header = {{"format", kPackFormat},
                                {"version", kPackVersion},
                                {"kind", "tasks"},
                                {"pack_id", summary.pack_id},
                                {"project_id", projectId(coordinator)},
                                {"created_at", utcNow()},
                                {"annotator", annotatorJson(coordinator, annotator_id)},
                                {"tasks", tasks},
                                {"instructions", request.instructions}};
    PackBuilder builder(header);
    for (const std::int64_t record_id : record_ids) {
        builder.add(recordLine(coordinator, record_id));
    }
    for (const OrderedJson& line : task_lines) {
        builder.add(line);
    }
    recordAssignment(coordinator, summary.pack_id, annotator_id, request.output_path, header, items);
    builder.write(request.output_path);
    transaction.commit();
    summary.records = record_ids.size();
    summary.ranking_tasks = task_lines.size();
    return summary;
}

PackSummary openTaskPack(const std::string& pack_path, const std::string& project_path) {
    const PackFile pack = readPack(pack_path, "tasks");
    PackSummary summary;
    summary.pack_id = Fields(pack, 1, pack.header).text("pack_id");
    ProjectStore work = ProjectStore::create(project_path, false);
    try {
        std::map<std::int64_t, std::int64_t> local_of;
        summary.records = importPackRecords(work, pack, &local_of);
        Transaction transaction(work.database());
        summary.ranking_tasks = createPackTasks(work, pack, local_of);
        const std::int64_t annotator_id = ensureAnnotator(work, pack);
        summary.annotator = stringMember(annotatorJson(work, annotator_id), "name");
        recordReceivedPack(work.database(), "opened", summary.pack_id, annotator_id, pack, pack_path);
        transaction.commit();
    } catch (...) {
        const std::string path = work.path();
        { ProjectStore closed = std::move(work); }
        std::remove(path.c_str());
        throw;
    }
    return summary;
}

PackSummary writeReturnPack(const ProjectStore& work, const std::string& output_path) {
    Statement opened(work.database(),
                     "SELECT pack_id, annotator_id, header FROM annotation_pack WHERE role = 'opened' ORDER "
                     "BY id LIMIT 1");
    if (!opened.step()) {
        throw UserError(work.path() +
                        ": not a working project opened from a task pack ('annotate pack-open')");
    }
    const Json task_header = Json::parse(opened.columnText(2));
    const std::int64_t annotator_id = opened.columnInt(1);
    PackSummary summary;
    summary.pack_id = randomPackId();
    const OrderedJson profile = annotatorJson(work, annotator_id);
    summary.annotator = stringMember(profile, "name");
    PackBuilder builder({{"format", kPackFormat},
                         {"version", kPackVersion},
                         {"kind", "return"},
                         {"pack_id", summary.pack_id},
                         {"task_pack_id", opened.columnText(0)},
                         {"project_id", stringMember(task_header, "project_id")},
                         {"created_at", utcNow()},
                         {"annotator", profile}});
    const auto task_links = links(work, "ranking_task");
    const auto message_links = links(work, "message");
    const auto record_links = links(work, "record");
    // Annotations takes a writable store; only its reading functions are used here.
    Annotations annotations(const_cast<ProjectStore&>(work));
    for (const auto& [local_task, origin_task] : task_links) {
        for (const RankingVote& vote : annotations.rankings(local_task)) {
            if (vote.annotator_id != annotator_id) {
                continue;
            }
            OrderedJson tiers = OrderedJson::array();
            for (const auto& tier : vote.tiers) {
                OrderedJson ids = OrderedJson::array();
                for (const std::int64_t id : tier) {
                    ids.push_back(originOf(message_links, id, work));
                }
                tiers.push_back(ids);
            }
            builder.add({{"type", "ranking"},
                         {"task_id", origin_task},
                         {"not_rankable", vote.not_rankable},
                         {"tiers", tiers}});
            ++summary.rankings;
        }
    }
    Statement labels(
        work.database(),
        "SELECT record_id, message_id, name, value, ifnull(text, '') FROM label WHERE annotator_id = ? "
        "AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY id");
    labels.bindInt(1, annotator_id);
    while (labels.step()) {
        const std::optional<std::int64_t> message = labels.columnOptionalInt(1);
        const std::optional<double> value = labels.columnOptionalDouble(3);
        builder.add(
            {{"type", "label"},
             {"record_id", originOf(record_links, labels.columnInt(0), work)},
             {"message_id", message ? OrderedJson(originOf(message_links, *message, work)) : OrderedJson()},
             {"name", labels.columnText(2)},
             {"value", value ? OrderedJson(*value) : OrderedJson()},
             {"text", labels.columnText(4)}});
        ++summary.labels;
    }
    builder.write(output_path);
    return summary;
}

PackSummary mergeReturnPack(ProjectStore& coordinator, const std::string& pack_path) {
    coordinator.requireWritable();
    const PackFile pack = readPack(pack_path, "return");
    const Fields header(pack, 1, pack.header);
    const std::string own_id = projectId(coordinator);
    if (header.text("project_id") != own_id) {
        pack.fail(1, "field \"project_id\": the pack belongs to another project (" +
                         header.text("project_id") + "; this project is " + own_id + ")");
    }
    PackSummary summary;
    summary.pack_id = header.text("pack_id");
    summary.annotator = Fields(pack, 1, header.member("annotator")).text("name");
    Database& db = coordinator.database();
    Statement merged(db, "SELECT content_sha256 FROM annotation_pack WHERE pack_id = ? AND role = 'merged'");
    if (merged.bindText(1, summary.pack_id).step() && merged.columnText(0) == pack.sha256) {
        summary.already_merged = true;
        return summary;
    }
    Transaction transaction(db);
    const std::int64_t annotator_id = ensureAnnotator(coordinator, pack);
    for (const PackLine& line : pack.body) {
        const Fields fields(pack, line.line_number, line.value);
        const std::string type = line.value.is_object() ? stringMember(line.value, "type") : std::string();
        bool replaced = false;
        if (type == "ranking") {
            summary.rankings += storeRanking(coordinator, fields, annotator_id, &replaced) ? 1 : 0;
        } else if (type == "label") {
            summary.labels += storeLabel(coordinator, fields, annotator_id, &replaced) ? 1 : 0;
        } else {
            fields.fail("field \"type\": expected \"ranking\" or \"label\" in a return pack");
        }
        summary.replaced += replaced ? 1 : 0;
    }
    recordReceivedPack(db, "merged", summary.pack_id, annotator_id, pack, pack_path);
    transaction.commit();
    return summary;
}

}  // namespace vietllm::store
