#pragma once
// Adds records to a project as one transaction: everything an import adds becomes visible at
// commit(), and an exception (a bad record, a full disk, a cancel) before it leaves the project
// exactly as it was, dataset included.

#include "backend/data/records.h"
#include "backend/store/project_store.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>

namespace vietllm::store {

struct ImportTarget {
    std::string dataset_name;
    std::string source_path;  ///< where the records come from; named in errors, kept with the import
    std::string format;       ///< the source's format name, kept with the import
    bool append = false;      ///< add to an existing dataset instead of refusing its name
};

struct ImportSummary {
    std::int64_t dataset_id = 0;
    std::int64_t import_id = 0;
    std::size_t records = 0;
    std::size_t messages = 0;
    std::size_t skipped = 0;  ///< bad input lines the reader skipped
};

class ImportSession {
public:
    /// Starts the transaction and creates the dataset (or, with `append`, finds it). Throws
    /// UserError when the project is read-only or the dataset exists and `append` is false.
    ImportSession(ProjectStore& store, ImportTarget target);
    /// Rolls everything back unless commit() ran.
    ~ImportSession();
    ImportSession(const ImportSession&) = delete;
    ImportSession& operator=(const ImportSession&) = delete;

    /// Stores one record. Throws UserError naming the source and the record's line (or, when
    /// `line_number` is 0, its number) when it cannot be stored; abandon the session then.
    void add(const data::Record& record, std::size_t line_number = 0);
    /// Counts input lines the reader skipped, for the import's summary.
    void countSkipped(std::size_t lines) { m_summary.skipped += lines; }
    /// Makes the import permanent and returns what it added.
    ImportSummary commit();

private:
    struct Statements;
    std::int64_t provenanceId(const data::Provenance& provenance);
    void insertRecord(const data::Record& record);

    ProjectStore& m_store;
    ImportTarget m_target;
    Transaction m_transaction;
    std::unique_ptr<Statements> m_statements;
    std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> m_provenance_ids;
    ImportSummary m_summary;
};

}  // namespace vietllm::store
