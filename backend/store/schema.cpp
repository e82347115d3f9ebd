#include "backend/store/schema.h"

#include "backend/common/errors.h"

#include <stdexcept>

namespace vietllm::store {

namespace {

// Version 1. Conventions: every table has an INTEGER PRIMARY KEY AUTOINCREMENT id (ids are
// never reused, so a stale reference can never point at a newer row), created_at in UTC ISO
// 8601, JSON columns checked with json_valid, enumerations as readable TEXT with a CHECK, and
// an index on every foreign-key column so that cascading deletes stay linear.
//
// Records of all three kinds keep their messages as rows of one table, in pre-order
// (`position`), each pointing at its parent: a conversation is a chain, a conversation tree
// keeps its branches, ranks and per-message metadata, and a preference pair is its prompt chain
// with the chosen and rejected replies as two children of the last prompt message (`slot`).
//
// Full-text search: message_fts indexes two forms of each message through the
// message_search_source view: `exact` (NFC, case-folded by the tokenizer, diacritics kept, so
// "hòa" and "hóa" differ) and `plain` (diacritics stripped by our Vietnamese-aware stripper,
// which maps đ to d; SQLite's remove_diacritics cannot, since đ does not decompose). The two
// forms are stored in message only when they differ from the content, so English text costs
// nothing extra.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE project_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO project_meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TABLE dataset (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    description TEXT NOT NULL DEFAULT '',
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE import_run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset_id INTEGER NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    source_path TEXT NOT NULL,
    format TEXT NOT NULL,
    record_count INTEGER NOT NULL DEFAULT 0,
    skipped_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX import_run_dataset ON import_run (dataset_id);

CREATE TABLE provenance (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    licence TEXT NOT NULL DEFAULT '',
    transformations TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(transformations)),
    UNIQUE (source, licence, transformations)
);

CREATE TABLE record (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset_id INTEGER NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('conversation', 'preference', 'tree')),
    import_id INTEGER REFERENCES import_run (id) ON DELETE SET NULL,
    provenance_id INTEGER REFERENCES provenance (id),
    original_id TEXT,
    tree_id TEXT,
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- (dataset_id, rowid) order: pages of a dataset are index range scans.
CREATE INDEX record_dataset ON record (dataset_id);
CREATE INDEX record_import ON record (import_id);
CREATE INDEX record_provenance ON record (provenance_id);

CREATE TABLE message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id INTEGER NOT NULL REFERENCES record (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES message (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    slot TEXT CHECK (slot IN ('chosen', 'rejected')),
    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content TEXT NOT NULL,
    external_id TEXT,
    rank INTEGER,
    rating REAL,
    lang TEXT,
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    search_exact TEXT,
    search_plain TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (record_id, position)
);
CREATE INDEX message_parent ON message (parent_id);
CREATE INDEX message_external_id ON message (external_id) WHERE external_id IS NOT NULL;

CREATE VIEW message_search_source AS
    SELECT id,
           coalesce(search_exact, content) AS exact,
           coalesce(search_plain, search_exact, content) AS plain
    FROM message;
CREATE VIRTUAL TABLE message_fts USING fts5 (
    exact, plain,
    content = 'message_search_source', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN
    INSERT INTO message_fts (rowid, exact, plain)
    VALUES (new.id, coalesce(new.search_exact, new.content),
            coalesce(new.search_plain, new.search_exact, new.content));
END;
CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN
    INSERT INTO message_fts (message_fts, rowid, exact, plain)
    VALUES ('delete', old.id, coalesce(old.search_exact, old.content),
            coalesce(old.search_plain, old.search_exact, old.content));
END;
CREATE TRIGGER message_fts_update AFTER UPDATE OF content, search_exact, search_plain ON message BEGIN
    INSERT INTO message_fts (message_fts, rowid, exact, plain)
    VALUES ('delete', old.id, coalesce(old.search_exact, old.content),
            coalesce(old.search_plain, old.search_exact, old.content));
    INSERT INTO message_fts (rowid, exact, plain)
    VALUES (new.id, coalesce(new.search_exact, new.content),
            coalesce(new.search_plain, new.search_exact, new.content));
END;

CREATE TABLE annotator (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    kind TEXT NOT NULL DEFAULT 'human' CHECK (kind IN ('human', 'model')),
    display_name TEXT NOT NULL DEFAULT '',
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- One value per (record or message, annotator, label name); message_id NULL labels the record.
CREATE TABLE label (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id INTEGER NOT NULL REFERENCES record (id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES message (id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotator (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) > 0),
    value REAL,
    text TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX label_target ON label (record_id, ifnull(message_id, 0), annotator_id, name);
CREATE INDEX label_message ON label (message_id);
CREATE INDEX label_annotator ON label (annotator_id);

-- A ranking task asks annotators to order the replies of one message (the candidates, in the
-- shuffled order they are shown). Every annotator's ranking is kept; equal places are ties.
CREATE TABLE ranking_task (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id INTEGER NOT NULL REFERENCES record (id) ON DELETE CASCADE,
    parent_message_id INTEGER REFERENCES message (id) ON DELETE CASCADE,
    required_rankings INTEGER NOT NULL DEFAULT 3 CHECK (required_rankings >= 1),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ranking_task_record ON ranking_task (record_id);
CREATE INDEX ranking_task_parent ON ranking_task (parent_message_id);
CREATE INDEX ranking_task_status ON ranking_task (status);

CREATE TABLE ranking_candidate (
    task_id INTEGER NOT NULL REFERENCES ranking_task (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    display_position INTEGER NOT NULL CHECK (display_position >= 0),
    PRIMARY KEY (task_id, message_id)
) WITHOUT ROWID;
CREATE INDEX ranking_candidate_message ON ranking_candidate (message_id);

CREATE TABLE ranking (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES ranking_task (id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotator (id) ON DELETE CASCADE,
    not_rankable INTEGER NOT NULL DEFAULT 0 CHECK (not_rankable IN (0, 1)),
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (task_id, annotator_id)
);
CREATE INDEX ranking_annotator ON ranking (annotator_id);

-- place 0 is best; candidates sharing a place are tied.
CREATE TABLE ranking_entry (
    ranking_id INTEGER NOT NULL REFERENCES ranking (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    place INTEGER NOT NULL CHECK (place >= 0),
    PRIMARY KEY (ranking_id, message_id)
) WITHOUT ROWID;
CREATE INDEX ranking_entry_message ON ranking_entry (message_id);

CREATE TABLE model (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    family TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    config TEXT CHECK (config IS NULL OR json_valid(config)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE training_run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('sft', 'reward', 'dpo')),
    base_model_id INTEGER REFERENCES model (id) ON DELETE SET NULL,
    dataset_id INTEGER REFERENCES dataset (id) ON DELETE SET NULL,
    config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
    run_dir TEXT NOT NULL DEFAULT '',
    started_at TEXT,
    finished_at TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX training_run_model ON training_run (base_model_id);
CREATE INDEX training_run_dataset ON training_run (dataset_id);

CREATE TABLE training_metric (
    run_id INTEGER NOT NULL REFERENCES training_run (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    step INTEGER NOT NULL CHECK (step >= 0),
    value REAL NOT NULL,
    PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;

CREATE TABLE checkpoint (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id INTEGER NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    training_run_id INTEGER REFERENCES training_run (id) ON DELETE SET NULL,
    step INTEGER CHECK (step IS NULL OR step >= 0),
    path TEXT NOT NULL,
    sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
    size_bytes INTEGER CHECK (size_bytes IS NULL OR size_bytes >= 0),
    metrics TEXT CHECK (metrics IS NULL OR json_valid(metrics)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX checkpoint_model ON checkpoint (model_id);
CREATE INDEX checkpoint_run ON checkpoint (training_run_id);

CREATE TABLE evaluation_run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    benchmark TEXT NOT NULL,
    model_id INTEGER REFERENCES model (id) ON DELETE SET NULL,
    checkpoint_id INTEGER REFERENCES checkpoint (id) ON DELETE SET NULL,
    config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
    summary TEXT CHECK (summary IS NULL OR json_valid(summary)),
    started_at TEXT,
    finished_at TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX evaluation_run_model ON evaluation_run (model_id);
CREATE INDEX evaluation_run_checkpoint ON evaluation_run (checkpoint_id);

CREATE TABLE evaluation_result (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES evaluation_run (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    record_id INTEGER REFERENCES record (id) ON DELETE SET NULL,
    prompt TEXT NOT NULL DEFAULT '',
    output TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    score REAL,
    correct INTEGER CHECK (correct IS NULL OR correct IN (0, 1)),
    details TEXT CHECK (details IS NULL OR json_valid(details)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (run_id, item_id)
);
CREATE INDEX evaluation_result_record ON evaluation_result (record_id);

CREATE TABLE chat (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL DEFAULT '',
    model_id INTEGER REFERENCES model (id) ON DELETE SET NULL,
    checkpoint_id INTEGER REFERENCES checkpoint (id) ON DELETE SET NULL,
    settings TEXT CHECK (settings IS NULL OR json_valid(settings)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX chat_model ON chat (model_id);
CREATE INDEX chat_checkpoint ON chat (checkpoint_id);

-- parent_id links a regenerated reply to the same parent as the reply it replaces.
CREATE TABLE chat_message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL REFERENCES chat (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES chat_message (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content TEXT NOT NULL,
    model_id INTEGER REFERENCES model (id) ON DELETE SET NULL,
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX chat_message_chat ON chat_message (chat_id);
CREATE INDEX chat_message_parent ON chat_message (parent_id);
CREATE INDEX chat_message_model ON chat_message (model_id);
)sql";

// Version 2: offline annotation with task packs (backend/store/packs.h). A project gets a random
// id that packs carry, so a pack returned to the wrong project is refused. annotation_pack lists
// the packs a coordinator exported (and which ranking tasks and records each assigned, for
// redundancy) and merged (with the content hash that makes merging idempotent), and the pack a
// working project was opened from; pack_link maps a working project's rows to the coordinator's.
constexpr const char* kSchemaV2 = R"sql(
INSERT OR IGNORE INTO project_meta (key, value) VALUES ('project_id', lower(hex(randomblob(16))));

CREATE TABLE annotation_pack (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pack_id TEXT NOT NULL CHECK (length(pack_id) > 0),
    role TEXT NOT NULL CHECK (role IN ('exported', 'merged', 'opened')),
    annotator_id INTEGER REFERENCES annotator (id) ON DELETE SET NULL,
    content_sha256 TEXT CHECK (content_sha256 IS NULL OR length(content_sha256) = 64),
    file_name TEXT NOT NULL DEFAULT '',
    header TEXT CHECK (header IS NULL OR json_valid(header)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (pack_id, role)
);
CREATE INDEX annotation_pack_annotator ON annotation_pack (annotator_id);

CREATE TABLE annotation_pack_item (
    pack_id INTEGER NOT NULL REFERENCES annotation_pack (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('record', 'ranking_task')),
    item_id INTEGER NOT NULL,
    PRIMARY KEY (pack_id, kind, item_id)
) WITHOUT ROWID;
CREATE INDEX annotation_pack_item_item ON annotation_pack_item (kind, item_id);

CREATE TABLE pack_link (
    kind TEXT NOT NULL CHECK (kind IN ('record', 'message', 'ranking_task')),
    local_id INTEGER NOT NULL,
    origin_id INTEGER NOT NULL,
    PRIMARY KEY (kind, local_id)
) WITHOUT ROWID;
)sql";

// Version 3: data-job records (backend/store/jobs.h): one row per finished step of a data recipe
// run with `vietllm-cli data run --project`, with its settings and file hashes, counts and
// endpoint usage, so that a project shows how its data was built.
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE data_job (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipe TEXT NOT NULL,
    step_id TEXT NOT NULL,
    step TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    config_sha256 TEXT NOT NULL,
    inputs TEXT NOT NULL CHECK (json_valid(inputs)),
    output_path TEXT NOT NULL,
    output_sha256 TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL CHECK (json_valid(summary)),
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX data_job_step ON data_job (recipe, step_id);
)sql";

// Version 4: record and message counts per dataset, kept up to date by triggers, so that opening
// a project of a million records lists its datasets without counting them (a count over the
// message table took most of the Data panel's 1.2 s open). Foreign-key cascades delete a
// record's messages after the record row, so a record's delete takes its messages' count along
// and a message's delete counts only while its record is still there.
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE dataset_count (
    dataset_id INTEGER PRIMARY KEY REFERENCES dataset (id) ON DELETE CASCADE,
    records INTEGER NOT NULL DEFAULT 0,
    messages INTEGER NOT NULL DEFAULT 0
);
INSERT INTO dataset_count (dataset_id, records, messages)
    SELECT d.id,
           (SELECT count(*) FROM record r WHERE r.dataset_id = d.id),
           (SELECT count(*) FROM message m JOIN record r ON r.id = m.record_id WHERE r.dataset_id = d.id)
    FROM dataset d;
CREATE TRIGGER dataset_count_dataset AFTER INSERT ON dataset BEGIN
    INSERT INTO dataset_count (dataset_id) VALUES (new.id);
END;
CREATE TRIGGER dataset_count_record_insert AFTER INSERT ON record BEGIN
    UPDATE dataset_count SET records = records + 1 WHERE dataset_id = new.dataset_id;
END;
CREATE TRIGGER dataset_count_record_delete BEFORE DELETE ON record BEGIN
    UPDATE dataset_count
    SET records = records - 1,
        messages = messages - (SELECT count(*) FROM message WHERE record_id = old.id)
    WHERE dataset_id = old.dataset_id;
END;
CREATE TRIGGER dataset_count_record_move AFTER UPDATE OF dataset_id ON record
WHEN old.dataset_id <> new.dataset_id BEGIN
    UPDATE dataset_count
    SET records = records - 1,
        messages = messages - (SELECT count(*) FROM message WHERE record_id = new.id)
    WHERE dataset_id = old.dataset_id;
    UPDATE dataset_count
    SET records = records + 1,
        messages = messages + (SELECT count(*) FROM message WHERE record_id = new.id)
    WHERE dataset_id = new.dataset_id;
END;
CREATE TRIGGER dataset_count_message_insert AFTER INSERT ON message BEGIN
    UPDATE dataset_count SET messages = messages + 1
    WHERE dataset_id = (SELECT dataset_id FROM record WHERE id = new.record_id);
END;
CREATE TRIGGER dataset_count_message_delete AFTER DELETE ON message BEGIN
    UPDATE dataset_count SET messages = messages - 1
    WHERE dataset_id = (SELECT dataset_id FROM record WHERE id = old.record_id);
END;
)sql";

// Version 5: an index on message languages, so that the Data panel lists every language of a
// project by hopping from one distinct value to the next (a few index lookups) instead of
// reading a sample of the message table (802 of the 835 ms of opening a million records).
constexpr const char* kSchemaV5 = R"sql(
CREATE INDEX message_lang ON message (lang) WHERE lang IS NOT NULL AND lang <> '';
)sql";

bool hasTables(Database& db) {
    return db.queryInt("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'") > 0;
}

// Refuses files that are not vietllm projects, or are newer than `latest`.
void checkCompatible(Database& db, std::int64_t version, int latest) {
    const std::int64_t application_id = db.queryInt("PRAGMA application_id");
    if (application_id != 0 && application_id != kApplicationId) {
        throw UserError(db.path() + ": not a vietllm project (an SQLite file of another application)");
    }
    if (version > latest) {
        throw UserError(db.path() + ": the project has schema version " + std::to_string(version) +
                        ", newer than this vietllm supports (version " + std::to_string(latest) +
                        "); open it with a newer vietllm");
    }
    if (version == 0 && hasTables(db)) {
        throw UserError(db.path() + ": not a vietllm project (an SQLite database without a vietllm schema)");
    }
}

void applyStep(Database& db, const Migration& migration) {
    Transaction transaction(db);
    // Another process may have migrated the file while we waited for the write lock.
    if (db.queryInt("PRAGMA user_version") >= migration.version) {
        return;
    }
    try {
        db.exec(migration.sql);
    } catch (const UserError&) {
        throw;
    } catch (const std::exception& error) {
        throw std::runtime_error("migrating to schema version " + std::to_string(migration.version) + " (" +
                                 migration.description + ") failed: " + error.what());
    }
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec("PRAGMA user_version = " + std::to_string(migration.version));
    transaction.commit();
}

}  // namespace

const std::vector<Migration>& projectMigrations() {
    static const std::vector<Migration> migrations = {
        {1, "datasets, records, messages, search, annotation, models, runs, evaluations, chats", kSchemaV1},
        {2, "annotation task packs: project id, exported and merged packs, working-project links", kSchemaV2},
        {3, "data jobs: recipe step records of data run --project", kSchemaV3},
        {4, "record and message counts per dataset, kept by triggers", kSchemaV4},
        {5, "an index on message languages", kSchemaV5},
    };
    return migrations;
}

int supportedSchemaVersion() {
    return projectMigrations().back().version;
}

void migrate(Database& db, const std::vector<Migration>& migrations) {
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    const std::int64_t version = db.queryInt("PRAGMA user_version");
    checkCompatible(db, version, latest);
    if (version == latest) {
        return;
    }
    if (db.isReadOnly()) {
        throw UserError(db.path() + ": the project has schema version " + std::to_string(version) +
                        " and needs upgrading to version " + std::to_string(latest) +
                        ", which a read-only open cannot do; open it once for writing");
    }
    for (const Migration& migration : migrations) {
        if (migration.version > version) {
            applyStep(db, migration);
        }
    }
}

}  // namespace vietllm::store
