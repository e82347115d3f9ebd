#pragma once
// The project file's schema and its forward-only migrations. PRAGMA user_version holds the
// schema version; each migration step runs in its own transaction and bumps it, so a failed
// step leaves the file at the previous version, intact.

#include "backend/store/sqlite_db.h"

#include <string>
#include <vector>

namespace vietllm::store {

/// One schema step: the SQL that takes a file from `version - 1` to `version`.
struct Migration {
    int version = 0;
    std::string description;
    std::string sql;
};

/// PRAGMA application_id of vietllm projects ("VLLM"), to tell them from other SQLite files.
constexpr int kApplicationId = 0x564C4C4D;

/// Every migration of vietllm's project schema, oldest first.
const std::vector<Migration>& projectMigrations();

/// The newest schema version this build knows (the last migration's version).
int supportedSchemaVersion();

/// Brings `db` up to the last of `migrations`. Throws UserError naming the file when it is not a
/// vietllm project, or when its version is newer than the last migration (both versions named).
/// A read-only connection that needs migrating is refused with the versions named as well.
void migrate(Database& db, const std::vector<Migration>& migrations);

}  // namespace vietllm::store
