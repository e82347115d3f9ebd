#pragma once
// A thin RAII layer over the sqlite3 C API: a connection, prepared statements and transactions.
// SQLite failures the user can act on (not a database, read-only, locked, disk full, corrupt)
// become UserError naming the project file; anything else is a bug and a std::runtime_error.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace vietllm::store {

enum class OpenMode {
    Invalid = 0,
    ReadWrite,        ///< the file must exist and be writable
    ReadOnly,         ///< the file must exist; writes fail
    CreateReadWrite,  ///< created when missing
};

class Database {
public:
    /// Opens `path` with foreign keys on and a busy timeout; throws UserError when it cannot.
    Database(std::string path, OpenMode mode, int busy_timeout_ms);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs one or more SQL statements that return no rows we need.
    void exec(std::string_view sql);
    /// The value of a single-integer query such as "PRAGMA user_version".
    std::int64_t queryInt(std::string_view sql);
    /// Row id of the last INSERT on this connection.
    std::int64_t lastInsertId() const;
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    int changes() const;
    /// True when the connection cannot write: opened read-only, the file is write-protected, or
    /// PRAGMA query_only is on.
    bool isReadOnly() const;
    /// The file this connection opened, as given.
    const std::string& path() const { return m_path; }
    /// The raw connection, for the few calls this class does not wrap.
    sqlite3* handle() const { return m_db; }

    /// Throws the exception that fits result code `rc` of an operation described by `action`.
    [[noreturn]] void fail(int rc, std::string_view action) const;

private:
    std::string m_path;
    sqlite3* m_db = nullptr;
};

/// A prepared statement. Parameters are 1-based, columns 0-based, as in the C API.
class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    /// Binds parameter `index`; each bind returns the statement so that binds chain.
    Statement& bindInt(int index, std::int64_t value);
    /// Binds a REAL.
    Statement& bindDouble(int index, double value);
    /// Binds UTF-8 text (copied, so temporaries are fine).
    Statement& bindText(int index, std::string_view value);
    /// Binds NULL.
    Statement& bindNull(int index);
    /// Binds the text, or NULL when it is empty (optional columns store NULL, not '').
    Statement& bindTextOrNull(int index, std::string_view value);
    /// Binds the value, or NULL when there is none.
    Statement& bindOptionalInt(int index, std::optional<std::int64_t> value);
    /// Binds the value, or NULL when there is none.
    Statement& bindOptionalDouble(int index, std::optional<double> value);

    /// Advances to the next row; false when the statement is done.
    bool step();
    /// Runs a statement that returns no rows, then resets it for reuse.
    void run();
    /// Makes the statement ready to run again (bindings are kept until rebound).
    void reset();

    /// Column `column` of the current row as an integer (0 for NULL).
    std::int64_t columnInt(int column) const;
    /// The column as a REAL (0 for NULL).
    double columnDouble(int column) const;
    /// The column as UTF-8 text (empty for NULL).
    std::string columnText(int column) const;
    /// True when the column is NULL.
    bool columnIsNull(int column) const;
    /// The column as an integer, or nothing for NULL.
    std::optional<std::int64_t> columnOptionalInt(int column) const;
    /// The column as a REAL, or nothing for NULL.
    std::optional<double> columnOptionalDouble(int column) const;

private:
    Database& m_db;
    sqlite3_stmt* m_statement = nullptr;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() ran, so an exception
/// anywhere inside leaves the project as it was.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    /// Makes every change since construction durable.
    void commit();

private:
    Database& m_db;
    bool m_open = true;
};

}  // namespace vietllm::store
