#pragma once
// Browsing a project's records a page at a time, for the Data panel's record table: a filter
// (dataset, provenance source, language, kind, length range, label, full-text search with or
// without diacritics), a one-line summary per record, and a scan that walks the id space in
// bounded windows. A window costs the same wherever it lies, so the first page of a filter over
// a million records comes back in milliseconds and a rare filter never blocks the caller for
// long: it returns what one window found and the caller asks again.

#include "backend/data/records.h"
#include "backend/store/project_store.h"
#include "backend/store/record_rows.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace vietllm::store {

/// Which records to show; an empty or absent field does not filter.
struct RecordFilter {
    std::optional<std::int64_t> dataset_id;
    std::string source;                        ///< provenance source, exactly
    std::string language;                      ///< some message has this language code
    RecordKind kind = RecordKind::Invalid;     ///< Invalid: every kind
    std::optional<std::int64_t> min_length;    ///< code points in all messages together
    std::optional<std::int64_t> max_length;    ///< code points in all messages together
    std::string label;                         ///< someone set a label of this name
    std::optional<std::int64_t> annotator_id;  ///< with `label`: this annotator set it
    std::string search;                        ///< full-text query (see ftsMatchExpression)
    bool ignore_diacritics = false;            ///< "hoa binh" also finds "hòa bình"
};

/// What the record table shows about one record.
struct RecordSummary {
    std::int64_t id = 0;
    std::int64_t dataset_id = 0;
    RecordKind kind = RecordKind::Invalid;
    std::string preview;              ///< the first user message, cut to kPreviewCodePoints
    std::int64_t turns = 0;           ///< messages in the record
    std::string language;             ///< the first language code a message carries; empty when none
    std::int64_t length = 0;          ///< code points in all messages together
    std::vector<std::string> labels;  ///< distinct label names on the record, sorted
};

/// Code points of a record's first user message kept in its summary.
inline constexpr std::int64_t kPreviewCodePoints = 160;

/// The values the filter fields can take in a project, for the panel's filter boxes.
struct FilterChoices {
    std::vector<std::string> sources;
    std::vector<std::string> languages;
    std::vector<std::string> labels;
};

/// The filter choices present in `store`, each list sorted and without empty values. Languages
/// come from the message_lang index, one lookup per distinct code, so every language is listed
/// even in a project of millions of messages.
FilterChoices filterChoices(const ProjectStore& store);

/// Summaries of the records `record_ids`, in that order; ids with no record are left out.
std::vector<RecordSummary> recordSummaries(const ProjectStore& store,
                                           const std::vector<std::int64_t>& record_ids);

/// A forward scan over the records that match a filter, in id order (search: in the order of
/// the first matching message). Reads nothing until next() is called; the store must outlive it.
class RecordScan {
public:
    /// Ids examined by the first window. Later windows grow or shrink so that one next() call
    /// takes about kTargetWindowMs whatever the filter costs per record.
    static constexpr std::int64_t kInitialWindow = 4096;
    /// The time one window aims at.
    static constexpr double kTargetWindowMs = 8.0;

    /// Prepares the scan. Throws UserError when the length range is reversed or negative, or the
    /// search has no words.
    RecordScan(const ProjectStore& store, RecordFilter filter, std::int64_t window = kInitialWindow);
    ~RecordScan();
    RecordScan(const RecordScan&) = delete;
    RecordScan& operator=(const RecordScan&) = delete;

    /// Up to `max_records` further matching record ids, examining at most one window of ids; may
    /// return none while the scan is not finished (a window without matches). The ids come in
    /// scan order and never repeat.
    std::vector<std::int64_t> next(std::size_t max_records);
    /// True once every record has been examined.
    bool finished() const { return m_finished; }

private:
    struct Statements;
    std::vector<std::int64_t> nextRecords(std::size_t max_records);
    std::vector<std::int64_t> nextSearchHits(std::size_t max_records);
    void adaptWindow(double elapsed_ms);

    RecordFilter m_filter;
    std::int64_t m_window = kInitialWindow;
    std::int64_t m_after_id = 0;  ///< last record id (search: message id) examined
    std::int64_t m_last_id = 0;   ///< highest id that can match, read when the scan starts
    bool m_finished = false;
    std::unordered_set<std::int64_t> m_seen;  ///< search: records already returned
    std::unique_ptr<Statements> m_statements;
};

/// Replaces the messages of conversation record `record_id` with `messages` in one transaction
/// (the search index follows through the store's triggers) and marks the record's provenance as
/// edited. Message-level labels of the old messages go with them. Throws UserError when the
/// project is read-only, the record is missing or not a conversation, a message has no role or
/// no text, or there are no messages.
void replaceConversationMessages(ProjectStore& store, std::int64_t record_id,
                                 const std::vector<data::Message>& messages);

/// Normalizes a message for saving: each line as `text normalize` does (NFC, tone placement,
/// invisible characters, spaces), keeping line breaks and a line's leading indentation, and only
/// NFC inside ``` code fences, whose spacing is meaningful. Blank lines at either end go.
std::string normalizeMessageText(const std::string& content);

/// Removes one annotator's record-level label `name` from a record (nothing when absent).
void clearRecordLabel(ProjectStore& store, std::int64_t record_id, std::int64_t annotator_id,
                      const std::string& name);

}  // namespace vietllm::store
