#include "backend/store/sqlite_db.h"

#include "backend/common/errors.h"

#include <sqlite3.h>

#include <stdexcept>

namespace vietllm::store {

namespace {

int openFlags(OpenMode mode) {
    switch (mode) {
        case OpenMode::ReadWrite:
            return SQLITE_OPEN_READWRITE;
        case OpenMode::ReadOnly:
            return SQLITE_OPEN_READONLY;
        case OpenMode::CreateReadWrite:
            return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        case OpenMode::Invalid:
            break;
    }
    throw std::logic_error("Database: invalid open mode");
}

// The user-facing explanation of the result codes a person can do something about; empty for
// the others, which are bugs in our SQL.
std::string userExplanation(int rc) {
    switch (rc & 0xFF) {
        case SQLITE_NOTADB:
            return "not a vietllm project (the file is not an SQLite database)";
        case SQLITE_CORRUPT:
            return "the project file is damaged (SQLite reports a malformed database)";
        case SQLITE_READONLY:
            return "the project is read-only (check the file's and its folder's permissions)";
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "the project is locked by another program; close it and try again";
        case SQLITE_FULL:
            return "the disk is full";
        case SQLITE_CANTOPEN:
            return "cannot open the project file";
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return "permission denied";
        case SQLITE_IOERR:
            return "input/output error while accessing the project";
        default:
            return {};
    }
}

}  // namespace

Database::Database(std::string path, OpenMode mode, int busy_timeout_ms) : m_path(std::move(path)) {
    const int rc = sqlite3_open_v2(m_path.c_str(), &m_db, openFlags(mode) | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const std::string detail = m_db != nullptr ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        const std::string explanation = userExplanation(rc);
        throw UserError(m_path + ": " + (explanation.empty() ? detail : explanation));
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busy_timeout_ms);
    exec("PRAGMA foreign_keys = ON");
}

Database::~Database() {
    // sqlite3_close_v2 defers the close until statements still alive are finalized; every
    // Statement is finalized by its own destructor.
    sqlite3_close_v2(m_db);
}

void Database::fail(int rc, std::string_view action) const {
    const std::string explanation = userExplanation(rc);
    if (!explanation.empty()) {
        throw UserError(m_path + ": " + explanation);
    }
    throw std::runtime_error(m_path + ": SQLite error while " + std::string(action) + ": " +
                             sqlite3_errmsg(m_db));
}

void Database::exec(std::string_view sql) {
    const std::string text(sql);
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        fail(rc, "running \"" + text.substr(0, 60) + "\"");
    }
}

std::int64_t Database::queryInt(std::string_view sql) {
    Statement statement(*this, sql);
    if (!statement.step()) {
        throw std::runtime_error(m_path + ": query returned no row: " + std::string(sql));
    }
    return statement.columnInt(0);
}

std::int64_t Database::lastInsertId() const {
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const {
    return sqlite3_changes(m_db);
}

bool Database::isReadOnly() const {
    if (sqlite3_db_readonly(m_db, "main") == 1) {
        return true;
    }
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(m_db, "PRAGMA query_only", -1, &statement, nullptr) != SQLITE_OK) {
        return false;
    }
    const bool query_only = sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_int(statement, 0) != 0;
    sqlite3_finalize(statement);
    return query_only;
}

Statement::Statement(Database& db, std::string_view sql) : m_db(db) {
    const int rc =
        sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), 0, &m_statement, nullptr);
    if (rc != SQLITE_OK) {
        db.fail(rc, "preparing \"" + std::string(sql.substr(0, 60)) + "\"");
    }
}

Statement::~Statement() {
    sqlite3_finalize(m_statement);
}

Statement& Statement::bindInt(int index, std::int64_t value) {
    sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

Statement& Statement::bindDouble(int index, double value) {
    sqlite3_bind_double(m_statement, index, value);
    return *this;
}

Statement& Statement::bindText(int index, std::string_view value) {
    // SQLITE_TRANSIENT: SQLite copies the text, so callers may pass temporaries.
    sqlite3_bind_text64(m_statement, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement& Statement::bindNull(int index) {
    sqlite3_bind_null(m_statement, index);
    return *this;
}

Statement& Statement::bindTextOrNull(int index, std::string_view value) {
    return value.empty() ? bindNull(index) : bindText(index, value);
}

Statement& Statement::bindOptionalInt(int index, std::optional<std::int64_t> value) {
    return value ? bindInt(index, *value) : bindNull(index);
}

Statement& Statement::bindOptionalDouble(int index, std::optional<double> value) {
    return value ? bindDouble(index, *value) : bindNull(index);
}

bool Statement::step() {
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    const std::string sql = sqlite3_sql(m_statement);
    sqlite3_reset(m_statement);
    m_db.fail(rc, "running \"" + sql.substr(0, 60) + "\"");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_statement);
}

std::int64_t Statement::columnInt(int column) const {
    return sqlite3_column_int64(m_statement, column);
}

double Statement::columnDouble(int column) const {
    return sqlite3_column_double(m_statement, column);
}

std::string Statement::columnText(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, column));
    if (text == nullptr) {
        return {};
    }
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)));
}

bool Statement::columnIsNull(int column) const {
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::columnOptionalInt(int column) const {
    if (columnIsNull(column)) {
        return std::nullopt;
    }
    return columnInt(column);
}

std::optional<double> Statement::columnOptionalDouble(int column) const {
    if (columnIsNull(column)) {
        return std::nullopt;
    }
    return columnDouble(column);
}

Transaction::Transaction(Database& db) : m_db(db) {
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (m_open) {
        // Nothing useful can be done when ROLLBACK fails (the connection rolls back on close).
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_open = false;
}

}  // namespace vietllm::store
