#include "backend/store/import_session.h"

#include "backend/common/errors.h"
#include "backend/store/record_rows.h"
#include "backend/store/search_text.h"

#include <vector>

namespace vietllm::store {

namespace {

Database& writableDatabase(ProjectStore& store) {
    store.requireWritable();
    return store.database();
}

const char* slotName(PreferenceSlot slot) {
    switch (slot) {
        case PreferenceSlot::Chosen:
            return "chosen";
        case PreferenceSlot::Rejected:
            return "rejected";
        case PreferenceSlot::None:
        case PreferenceSlot::Invalid:
            break;
    }
    return "";
}

// Empty metadata objects are stored as NULL: most messages have none.
std::string metadataText(const nlohmann::json& metadata) {
    if (metadata.is_object() && metadata.empty()) {
        return {};
    }
    return metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

struct ImportSession::Statements {
    explicit Statements(Database& db)
        : insert_record(
              db,
              "INSERT INTO record (dataset_id, kind, import_id, provenance_id, original_id, tree_id, "
              "metadata) VALUES (?, ?, ?, ?, ?, ?, ?)"),
          insert_message(
              db,
              "INSERT INTO message (record_id, parent_id, position, slot, role, content, external_id, "
              "rank, rating, lang, metadata, search_exact, search_plain) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
          find_provenance(
              db, "SELECT id FROM provenance WHERE source = ? AND licence = ? AND transformations = ?"),
          insert_provenance(db,
                            "INSERT INTO provenance (source, licence, transformations) VALUES (?, ?, ?)") {}

    Statement insert_record;
    Statement insert_message;
    Statement find_provenance;
    Statement insert_provenance;
};

ImportSession::ImportSession(ProjectStore& store, ImportTarget target)
    : m_store(store),
      m_target(std::move(target)),
      m_transaction(writableDatabase(store)),
      m_statements(std::make_unique<Statements>(store.database())) {
    Database& db = m_store.database();
    if (const std::optional<DatasetInfo> existing = m_store.findDataset(m_target.dataset_name)) {
        if (!m_target.append) {
            throw UserError(m_store.path() + ": a dataset named '" + m_target.dataset_name +
                            "' already exists (append to it, or choose another name)");
        }
        m_summary.dataset_id = existing->id;
    } else {
        m_summary.dataset_id = m_store.createDataset(m_target.dataset_name);
    }
    Statement insert_import(db, "INSERT INTO import_run (dataset_id, source_path, format) VALUES (?, ?, ?)");
    insert_import.bindInt(1, m_summary.dataset_id)
        .bindText(2, m_target.source_path)
        .bindText(3, m_target.format)
        .run();
    m_summary.import_id = db.lastInsertId();
}

ImportSession::~ImportSession() = default;

std::int64_t ImportSession::provenanceId(const data::Provenance& provenance) {
    const std::string transformations = nlohmann::json(provenance.transformations).dump();
    auto key = std::make_tuple(provenance.source, provenance.licence, transformations);
    if (const auto known = m_provenance_ids.find(key); known != m_provenance_ids.end()) {
        return known->second;
    }
    Statements& s = *m_statements;
    s.find_provenance.bindText(1, provenance.source)
        .bindText(2, provenance.licence)
        .bindText(3, transformations);
    std::int64_t id = 0;
    if (s.find_provenance.step()) {
        id = s.find_provenance.columnInt(0);
        s.find_provenance.reset();
    } else {
        // A statement that ran to its end must be reset before it is bound again.
        s.find_provenance.reset();
        s.insert_provenance.bindText(1, provenance.source)
            .bindText(2, provenance.licence)
            .bindText(3, transformations)
            .run();
        id = m_store.database().lastInsertId();
    }
    m_provenance_ids.emplace(std::move(key), id);
    return id;
}

void ImportSession::insertRecord(const data::Record& record) {
    const RecordRows rows = flattenRecord(record);
    const bool has_provenance = !rows.provenance.source.empty() || !rows.provenance.licence.empty() ||
                                !rows.provenance.transformations.empty();
    Statements& s = *m_statements;
    Database& db = m_store.database();
    s.insert_record.bindInt(1, m_summary.dataset_id)
        .bindText(2, recordKindName(rows.kind))
        .bindInt(3, m_summary.import_id)
        .bindOptionalInt(
            4, has_provenance ? std::optional<std::int64_t>(provenanceId(rows.provenance)) : std::nullopt)
        .bindTextOrNull(5, rows.provenance.original_id)
        .bindTextOrNull(6, rows.tree_id)
        .bindTextOrNull(7, metadataText(rows.metadata))
        .run();
    const std::int64_t record_id = db.lastInsertId();
    std::vector<std::int64_t> message_ids;
    message_ids.reserve(rows.messages.size());
    for (const MessageRow& row : rows.messages) {
        const SearchForms forms = searchForms(row.content);
        s.insert_message.bindInt(1, record_id)
            .bindOptionalInt(2, row.parent_position
                                    ? std::optional<std::int64_t>(message_ids[*row.parent_position])
                                    : std::nullopt)
            .bindInt(3, static_cast<std::int64_t>(message_ids.size()))
            .bindTextOrNull(4, slotName(row.slot))
            .bindText(5, data::roleName(row.role))
            .bindText(6, row.content)
            .bindTextOrNull(7, row.external_id)
            .bindOptionalInt(8, row.rank)
            .bindOptionalDouble(9, row.rating)
            .bindTextOrNull(10, row.lang)
            .bindTextOrNull(11, metadataText(row.metadata))
            .bindTextOrNull(12,
                            forms.exact == row.content ? std::string_view() : std::string_view(forms.exact))
            .bindTextOrNull(13,
                            forms.plain == forms.exact ? std::string_view() : std::string_view(forms.plain))
            .run();
        message_ids.push_back(db.lastInsertId());
    }
    ++m_summary.records;
    m_summary.messages += rows.messages.size();
}

void ImportSession::add(const data::Record& record, std::size_t line_number) {
    try {
        insertRecord(record);
    } catch (const UserError& error) {
        if (line_number > 0) {
            throw UserError(locatedMessage(m_target.source_path, line_number, error.what()));
        }
        throw UserError(m_target.source_path + ": record " + std::to_string(m_summary.records + 1) + ": " +
                        error.what());
    }
}

ImportSummary ImportSession::commit() {
    Statement update(m_store.database(),
                     "UPDATE import_run SET record_count = ?, skipped_count = ? WHERE id = ?");
    update.bindInt(1, static_cast<std::int64_t>(m_summary.records))
        .bindInt(2, static_cast<std::int64_t>(m_summary.skipped))
        .bindInt(3, m_summary.import_id)
        .run();
    m_transaction.commit();
    return m_summary;
}

}  // namespace vietllm::store
