#include "backend/store/bulk_actions.h"

#include "backend/common/errors.h"
#include "backend/databuild/clean.h"
#include "backend/databuild/dedup.h"
#include "backend/databuild/minhash.h"
#include "backend/databuild/record_text.h"
#include "backend/store/annotations.h"
#include "backend/store/import_session.h"
#include "backend/text/langid.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <unordered_map>
#include <utility>

namespace vietllm::store {

namespace {

// Records between two progress reports.
constexpr std::size_t kProgressEvery = 64;

// Reports progress every kProgressEvery records and at the end; throws BulkCancelled when asked.
class ProgressTicker {
public:
    ProgressTicker(const BulkProgress& progress, std::size_t total) : m_progress(progress), m_total(total) {
        report();
    }
    void tick() {
        ++m_done;
        if (m_done % kProgressEvery == 0 || m_done == m_total) {
            report();
        }
    }

private:
    void report() const {
        if (m_progress && !m_progress(m_done, m_total)) {
            throw BulkCancelled();
        }
    }

    const BulkProgress& m_progress;
    std::size_t m_total = 0;
    std::size_t m_done = 0;
};

std::int64_t annotatorNamed(ProjectStore& store, const std::string& name, AnnotatorKind kind) {
    Annotations annotations(store);
    if (const std::optional<std::int64_t> id = annotations.findAnnotator(name)) {
        return *id;
    }
    return annotations.addAnnotator(name, kind);
}

void setRecordLabel(ProjectStore& store, std::int64_t record_id, std::int64_t annotator_id,
                    const std::string& name, double value, const std::string& text) {
    Annotations(store).setLabel({record_id, std::nullopt, annotator_id, name, value, text});
}

// Removes the annotator's record-level labels whose names start with `prefix`.
void clearLabelsWithPrefix(Database& db, std::int64_t record_id, std::int64_t annotator_id,
                           const std::string& prefix) {
    Statement remove(db,
                     "DELETE FROM label WHERE record_id = ? AND message_id IS NULL AND annotator_id = ? "
                     "AND substr(name, 1, ?) = ?");
    remove.bindInt(1, record_id)
        .bindInt(2, annotator_id)
        .bindInt(3, static_cast<std::int64_t>(prefix.size()))
        .bindText(4, prefix)
        .run();
}

// Rewrites one record's messages as the record editor saves them; true when some text changed.
bool normalizeMessages(Database& db, std::int64_t record_id) {
    Statement messages(db, "SELECT id, content FROM message WHERE record_id = ? ORDER BY position");
    messages.bindInt(1, record_id);
    std::vector<std::pair<std::int64_t, std::string>> changed;
    while (messages.step()) {
        const std::string content = messages.columnText(1);
        std::string normalized = normalizeMessageText(content);
        if (!normalized.empty() && normalized != content) {
            changed.emplace_back(messages.columnInt(0), std::move(normalized));
        }
    }
    Statement update(db, "UPDATE message SET content = ?, search_exact = ?, search_plain = ? WHERE id = ?");
    for (const auto& [message_id, content] : changed) {
        // The search forms are stored only where they differ, as an import stores them.
        const SearchForms forms = searchForms(content);
        update.bindText(1, content)
            .bindTextOrNull(2, forms.exact == content ? std::string_view() : std::string_view(forms.exact))
            .bindTextOrNull(3,
                            forms.plain == forms.exact ? std::string_view() : std::string_view(forms.plain))
            .bindInt(4, message_id)
            .run();
    }
    return !changed.empty();
}

// Fills the language of messages that carry none; returns the language of the record's text.
text::LanguageGuess identifyRecordLanguage(Database& db, std::int64_t record_id) {
    Statement messages(db, "SELECT id, content, lang FROM message WHERE record_id = ? ORDER BY position");
    messages.bindInt(1, record_id);
    std::string all;
    std::vector<std::pair<std::int64_t, std::string>> found;
    while (messages.step()) {
        const std::string prose = databuild::proseText(messages.columnText(1));
        all += prose;
        all += '\n';
        if (messages.columnText(2).empty()) {
            const text::LanguageGuess guess = text::identifyLanguage(prose);
            if (guess.lang != "und") {
                found.emplace_back(messages.columnInt(0), guess.lang);
            }
        }
    }
    Statement update(db, "UPDATE message SET lang = ? WHERE id = ?");
    for (const auto& [message_id, lang] : found) {
        update.bindText(1, lang).bindInt(2, message_id).run();
    }
    return text::identifyLanguage(all);
}

// The quality, PII and toxicity reasons `data clean` would give the record, with what it found.
databuild::CleanResult judgeRecord(data::Record record) {
    databuild::CleanOptions options;
    options.normalize = false;
    options.pii = databuild::PiiPolicy::Drop;
    return databuild::cleanRecord(record, options);
}

void addCount(BulkResult& result, const std::string& name) {
    ++result.counts[name];
}

// The first (lowest-id) records seen by markDuplicates and the indexes that find them again.
class FirstRecords {
public:
    explicit FirstRecords(const databuild::DedupOptions& options)
        : m_index(options.permutations, options.threshold) {}

    struct Match {
        std::int64_t record_id = 0;  ///< 0: no match
        const char* kind = "";
        double similarity = 0;
    };

    Match find(const databuild::DedupKey& key) const {
        const auto exact = m_exact.find(key.exact_hash);
        if (exact != m_exact.end() && exact->second.first == key.exact_check) {
            return {exact->second.second, "exact", 1.0};
        }
        if (!key.minhash.empty()) {
            const auto [item, similarity] = m_index.findSimilar(key.minhash);
            if (item >= 0) {
                return {m_near_owner[static_cast<std::size_t>(item)], "near", similarity};
            }
        }
        return {};
    }

    void add(const databuild::DedupKey& key, std::int64_t record_id) {
        m_exact.emplace(key.exact_hash, std::make_pair(key.exact_check, record_id));
        if (!key.minhash.empty()) {
            m_index.insert(key.minhash);
            m_near_owner.push_back(record_id);
        }
    }

private:
    std::unordered_map<std::uint64_t, std::pair<std::uint64_t, std::int64_t>> m_exact;
    databuild::LshIndex m_index;
    std::vector<std::int64_t> m_near_owner;  ///< LSH item -> record id
};

std::string duplicateText(const FirstRecords::Match& match) {
    char similarity[16];
    std::snprintf(similarity, sizeof(similarity), "%.2f", match.similarity);
    return std::string(match.kind) + " of record " + std::to_string(match.record_id) +
           (std::string(match.kind) == "near" ? std::string(" (") + similarity + ")" : std::string());
}

void deleteRecord(Database& db, std::int64_t record_id) {
    Statement remove(db, "DELETE FROM record WHERE id = ?");
    remove.bindInt(1, record_id).run();
}

}  // namespace

std::vector<std::int64_t> matchingRecordIds(const ProjectStore& store, const RecordFilter& filter,
                                            const BulkProgress& progress) {
    RecordScan scan(store, filter);
    std::vector<std::int64_t> ids;
    while (!scan.finished()) {
        const std::vector<std::int64_t> found = scan.next(4096);
        ids.insert(ids.end(), found.begin(), found.end());
        if (progress && !progress(ids.size(), 0)) {
            throw BulkCancelled();
        }
    }
    return ids;
}

BulkResult runTextChecks(ProjectStore& store, const std::vector<std::int64_t>& record_ids,
                         const TextChecks& checks, const BulkProgress& progress) {
    store.requireWritable();
    Database& db = store.database();
    Transaction transaction(db);
    const std::int64_t annotator = annotatorNamed(store, kChecksAnnotator, AnnotatorKind::Model);
    BulkResult result;
    result.records = record_ids.size();
    ProgressTicker ticker(progress, record_ids.size());
    for (const std::int64_t record_id : record_ids) {
        bool changed = false;
        if (checks.normalize && normalizeMessages(db, record_id)) {
            setRecordLabel(store, record_id, annotator, kNormalizedLabel, 1.0, "");
            addCount(result, kNormalizedLabel);
            changed = true;
        }
        if (checks.language) {
            clearLabelsWithPrefix(db, record_id, annotator, kLanguageLabelPrefix);
            const text::LanguageGuess guess = identifyRecordLanguage(db, record_id);
            const std::string name = kLanguageLabelPrefix + guess.lang;
            setRecordLabel(store, record_id, annotator, name, guess.score, "");
            addCount(result, name);
            changed = true;
        }
        if (checks.flags) {
            clearLabelsWithPrefix(db, record_id, annotator, kCheckLabelPrefix);
            const databuild::CleanResult judged = judgeRecord(store.record(record_id).record);
            for (const std::string& reason : judged.reasons) {
                const std::string name = kCheckLabelPrefix + reason;
                const auto detail = judged.details.find(reason);
                setRecordLabel(store, record_id, annotator, name, 1.0,
                               detail == judged.details.end() ? std::string() : detail->dump());
                addCount(result, name);
                changed = true;
            }
        }
        result.changed += changed ? 1 : 0;
        ticker.tick();
    }
    transaction.commit();
    return result;
}

BulkResult markDuplicates(ProjectStore& store, const std::vector<std::int64_t>& record_ids,
                          const DuplicateOptions& options, const BulkProgress& progress) {
    store.requireWritable();
    if (options.action == DuplicateAction::Invalid || options.threshold <= 0 || options.threshold > 1) {
        throw UserError(store.path() + ": duplicates need an action and a threshold in (0, 1]");
    }
    Database& db = store.database();
    Transaction transaction(db);
    const std::int64_t annotator = annotatorNamed(store, kChecksAnnotator, AnnotatorKind::Model);
    databuild::DedupOptions dedup;
    dedup.near = options.near;
    dedup.threshold = options.threshold;
    FirstRecords first(dedup);
    std::vector<std::int64_t> ordered = record_ids;
    std::sort(ordered.begin(), ordered.end());
    ordered.erase(std::unique(ordered.begin(), ordered.end()), ordered.end());
    BulkResult result;
    result.records = ordered.size();
    ProgressTicker ticker(progress, ordered.size());
    for (const std::int64_t record_id : ordered) {
        const databuild::DedupKey key = databuild::dedupKey(store.record(record_id).record, dedup);
        const FirstRecords::Match match = first.find(key);
        if (match.record_id == 0) {
            first.add(key, record_id);
            // A record kept this time loses the mark an earlier run may have given it.
            clearRecordLabel(store, record_id, annotator, kDuplicateLabel);
        } else {
            if (options.action == DuplicateAction::Delete) {
                deleteRecord(db, record_id);
            } else {
                setRecordLabel(store, record_id, annotator, kDuplicateLabel, match.similarity,
                               duplicateText(match));
            }
            addCount(result, match.kind);
            ++result.changed;
        }
        ticker.tick();
    }
    transaction.commit();
    return result;
}

BulkResult addTag(ProjectStore& store, const std::vector<std::int64_t>& record_ids, const std::string& tag,
                  const std::string& annotator, const BulkProgress& progress) {
    store.requireWritable();
    if (tag.empty() || annotator.empty()) {
        throw UserError(store.path() + ": a tag needs a name and an annotator");
    }
    Transaction transaction(store.database());
    const std::int64_t annotator_id = annotatorNamed(store, annotator, AnnotatorKind::Human);
    BulkResult result;
    result.records = record_ids.size();
    ProgressTicker ticker(progress, record_ids.size());
    for (const std::int64_t record_id : record_ids) {
        setRecordLabel(store, record_id, annotator_id, tag, 1.0, "");
        ++result.changed;
        ticker.tick();
    }
    transaction.commit();
    result.counts[tag] = result.changed;
    return result;
}

BulkResult removeTag(ProjectStore& store, const std::vector<std::int64_t>& record_ids, const std::string& tag,
                     const BulkProgress& progress) {
    store.requireWritable();
    Database& db = store.database();
    Transaction transaction(db);
    Statement remove(db, "DELETE FROM label WHERE record_id = ? AND message_id IS NULL AND name = ?");
    BulkResult result;
    result.records = record_ids.size();
    ProgressTicker ticker(progress, record_ids.size());
    for (const std::int64_t record_id : record_ids) {
        remove.bindInt(1, record_id).bindText(2, tag).run();
        result.changed += db.changes() > 0 ? 1 : 0;
        ticker.tick();
    }
    transaction.commit();
    result.counts[tag] = result.changed;
    return result;
}

BulkResult deleteRecords(ProjectStore& store, const std::vector<std::int64_t>& record_ids,
                         const BulkProgress& progress) {
    store.requireWritable();
    Database& db = store.database();
    Transaction transaction(db);
    BulkResult result;
    result.records = record_ids.size();
    ProgressTicker ticker(progress, record_ids.size());
    Statement remove(db, "DELETE FROM record WHERE id = ?");
    for (const std::int64_t record_id : record_ids) {
        remove.bindInt(1, record_id).run();
        result.changed += db.changes() > 0 ? 1 : 0;
        ticker.tick();
    }
    transaction.commit();
    return result;
}

BulkResult transferRecords(ProjectStore& store, const std::vector<std::int64_t>& record_ids,
                           const std::string& dataset_name, TransferMode mode, const BulkProgress& progress) {
    store.requireWritable();
    if (dataset_name.empty() || mode == TransferMode::Invalid) {
        throw UserError(store.path() + ": moving or copying records needs a target dataset name");
    }
    BulkResult result;
    result.records = record_ids.size();
    ProgressTicker ticker(progress, record_ids.size());
    if (mode == TransferMode::Copy) {
        // A copy is an import from the project itself: one transaction, with its own import run.
        ImportSession session(store, {dataset_name, store.path(), "copy", true});
        for (const std::int64_t record_id : record_ids) {
            session.add(store.record(record_id).record);
            ++result.changed;
            ticker.tick();
        }
        session.commit();
        return result;
    }
    Database& db = store.database();
    Transaction transaction(db);
    const std::optional<DatasetInfo> existing = store.findDataset(dataset_name);
    const std::int64_t target = existing ? existing->id : store.createDataset(dataset_name);
    Statement move(db, "UPDATE record SET dataset_id = ?1 WHERE id = ?2 AND dataset_id <> ?1");
    for (const std::int64_t record_id : record_ids) {
        move.bindInt(1, target).bindInt(2, record_id).run();
        result.changed += db.changes() > 0 ? 1 : 0;
        ticker.tick();
    }
    transaction.commit();
    return result;
}

}  // namespace vietllm::store
