#pragma once
// A vietllm project: one SQLite file (*.vietllm) holding datasets and their records, their
// provenance, annotators, labels and rankings, models, checkpoints, training and evaluation runs
// and chats (see schema.cpp). ProjectStore opens and creates project files and answers the
// queries the GUI's models and the CLI need: datasets, record pages, counts, search and stats.
// Only this module opens project files, so the schema has one owner.

#include "backend/data/records.h"
#include "backend/store/record_rows.h"
#include "backend/store/search_text.h"
#include "backend/store/sqlite_db.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::store {

struct DatasetInfo {
    std::int64_t id = 0;
    std::string name;
    std::string description;
    std::string created_at;  ///< UTC, ISO 8601
};

/// A record with its place in the project.
struct StoredRecord {
    std::int64_t id = 0;
    std::int64_t dataset_id = 0;
    data::Record record;
};

struct SearchOptions {
    std::optional<std::int64_t> dataset_id;  ///< none: every dataset
    bool ignore_diacritics = false;          ///< "hoa binh" finds "hòa bình", "dong" finds "đồng"
    std::size_t limit = 50;
};

/// One message that matches a search, best matches first.
struct SearchHit {
    std::int64_t message_id = 0;
    std::int64_t record_id = 0;
    std::int64_t dataset_id = 0;
    data::Role role = data::Role::Invalid;
    std::string text;                    ///< the message, NFC
    std::vector<CodePointSpan> matches;  ///< matched words in `text`
};

class ProjectStore {
public:
    /// How long a connection waits for another program's write lock before giving up.
    static constexpr int kBusyTimeoutMs = 5000;

    /// Creates an empty project at `path`. The file is built beside the target and renamed into
    /// place, so a failure leaves no half-made project. Throws UserError when `path` exists and
    /// `overwrite` is false, or when the folder is not writable.
    static ProjectStore create(const std::string& path, bool overwrite);
    /// Opens an existing project (mode ReadWrite or ReadOnly), migrating an older schema when
    /// writable. Throws UserError naming the file when it is missing, not a project, newer than
    /// this build, or read-only while ReadWrite was asked for.
    static ProjectStore open(const std::string& path, OpenMode mode);

    ProjectStore(ProjectStore&&) noexcept = default;
    ProjectStore& operator=(ProjectStore&&) noexcept = default;
    ~ProjectStore();

    /// The connection, for the focused classes built on the store (imports, annotations).
    Database& database() const { return *m_db; }
    /// The project file's path, as given to create() or open().
    const std::string& path() const { return m_db->path(); }
    /// PRAGMA user_version of the open file.
    int schemaVersion() const;
    /// Throws UserError naming the file when the project was opened read-only.
    void requireWritable() const;

    /// Every dataset, in creation order.
    std::vector<DatasetInfo> datasets() const;
    /// The dataset called `name`, if any.
    std::optional<DatasetInfo> findDataset(std::string_view name) const;
    /// The dataset called `name`; throws UserError naming it and the file when absent.
    DatasetInfo requireDataset(std::string_view name) const;
    /// Adds an empty dataset and returns its id; throws UserError when the name is empty or taken.
    std::int64_t createDataset(const std::string& name, const std::string& description = {});
    /// Deletes a dataset with its records, messages, labels and rankings.
    void deleteDataset(std::int64_t dataset_id);

    /// Number of records in a dataset.
    std::int64_t recordCount(std::int64_t dataset_id) const;
    /// Number of messages in a dataset's records.
    std::int64_t messageCount(std::int64_t dataset_id) const;
    /// Records `offset`..`offset + limit - 1` of a dataset in import order (a table view's page).
    std::vector<StoredRecord> records(std::int64_t dataset_id, std::int64_t offset, std::int64_t limit) const;
    /// Up to `limit` records with ids above `after_record_id` (keyset paging: cost independent of
    /// how far into the dataset the page is).
    std::vector<StoredRecord> recordsAfter(std::int64_t dataset_id, std::int64_t after_record_id,
                                           std::int64_t limit) const;
    /// One record by id; throws UserError when there is none.
    StoredRecord record(std::int64_t record_id) const;
    /// Calls `visit` with every record of a dataset in order, a page at a time (memory stays flat).
    void forEachRecord(std::int64_t dataset_id, const std::function<void(StoredRecord&&)>& visit) const;

    /// Full-text search over message text (see SearchOptions). Throws UserError on an empty query.
    std::vector<SearchHit> search(std::string_view query, const SearchOptions& options) const;

    /// A summary for `project stats` and the GUI's overview: datasets with record and message
    /// counts, kinds and languages, and counts of annotators, labels, rankings, models and runs.
    nlohmann::json stats() const;

private:
    explicit ProjectStore(std::unique_ptr<Database> db);
    std::vector<StoredRecord> loadRecords(Statement& headers) const;
    nlohmann::json datasetStats(const DatasetInfo& dataset) const;

    std::unique_ptr<Database> m_db;
};

}  // namespace vietllm::store
