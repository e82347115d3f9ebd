#pragma once
// The Data panel's bulk actions over a set of records (the selected ones, or every record that
// matches the current filter): text-core checks whose results become labels, exact and near
// duplicate detection, tags, delete, and move or copy to another dataset. Each action is one
// transaction: it reports progress and can be cancelled, and a cancel or an error leaves the
// project exactly as it was.

#include "backend/store/project_store.h"
#include "backend/store/record_browser.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace vietllm::store {

/// Name of the model-kind annotator that the automatic checks' labels belong to.
inline constexpr const char* kChecksAnnotator = "vietllm-checks";
/// Label on records whose text the normalize check changed.
inline constexpr const char* kNormalizedLabel = "normalized";
/// Prefix of the language label ("lang:vi"), its value the identification score.
inline constexpr const char* kLanguageLabelPrefix = "lang:";
/// Prefix of the quality, PII and toxicity flags ("check:pii"), named after the reasons of
/// `data clean` (databuild/clean.h); the label text holds what was found.
inline constexpr const char* kCheckLabelPrefix = "check:";
/// Label on a duplicate record; its text names the record it duplicates.
inline constexpr const char* kDuplicateLabel = "duplicate";

/// Thrown when the progress callback asked to stop; the transaction was rolled back.
class BulkCancelled : public std::runtime_error {
public:
    BulkCancelled() : std::runtime_error("cancelled") {}
};

/// Called now and then with the records done and the total (0 while unknown); returning false
/// cancels the action.
using BulkProgress = std::function<bool(std::size_t done, std::size_t total)>;

/// What a bulk action did.
struct BulkResult {
    std::size_t records = 0;  ///< records in scope
    std::size_t changed = 0;  ///< records the action changed (labelled, deleted, moved, ...)
    std::map<std::string, std::size_t> counts;  ///< per label or kind of change
};

/// The ids of every record matching `filter`, in scan order (the panel's "all matching records"
/// scope). Throws UserError for a filter the store refuses, BulkCancelled when cancelled.
std::vector<std::int64_t> matchingRecordIds(const ProjectStore& store, const RecordFilter& filter,
                                            const BulkProgress& progress = {});

/// Which text-core checks to run.
struct TextChecks {
    bool normalize = false;  ///< rewrite messages as the record editor saves them (NFC, tones, spaces)
    bool language = false;   ///< label the record's language; fill message languages left empty
    bool flags = false;      ///< flag quality, PII and toxicity problems (as `data clean` judges them)
};

/// Runs the checks on the records; labels go to the kChecksAnnotator annotator, replacing its
/// earlier labels of the same checks. Counts: kNormalizedLabel, each "lang:xx" and "check:xx".
BulkResult runTextChecks(ProjectStore& store, const std::vector<std::int64_t>& record_ids,
                         const TextChecks& checks, const BulkProgress& progress = {});

enum class DuplicateAction { Invalid = 0, Tag, Delete };

struct DuplicateOptions {
    DuplicateAction action = DuplicateAction::Tag;
    bool near = true;        ///< also near duplicates (MinHash over syllable shingles)
    double threshold = 0.8;  ///< Jaccard similarity from which a record is a near duplicate
};

/// Finds exact and near duplicates among the records, keeping the first (lowest id) of each
/// group: tags the others kDuplicateLabel (text: "exact|near of record N") or deletes them.
/// Counts: "exact", "near".
BulkResult markDuplicates(ProjectStore& store, const std::vector<std::int64_t>& record_ids,
                          const DuplicateOptions& options, const BulkProgress& progress = {});

/// Sets the record-level label `tag` (value 1) by the annotator called `annotator` (created as
/// a human annotator when missing). Throws UserError when the tag or annotator name is empty.
BulkResult addTag(ProjectStore& store, const std::vector<std::int64_t>& record_ids, const std::string& tag,
                  const std::string& annotator, const BulkProgress& progress = {});
/// Removes the record-level label `tag` by every annotator from the records.
BulkResult removeTag(ProjectStore& store, const std::vector<std::int64_t>& record_ids, const std::string& tag,
                     const BulkProgress& progress = {});

/// Deletes the records with their messages, labels and rankings.
BulkResult deleteRecords(ProjectStore& store, const std::vector<std::int64_t>& record_ids,
                         const BulkProgress& progress = {});

enum class TransferMode { Invalid = 0, Move, Copy };

/// Moves the records (with their labels and rankings) or copies them (data only, as a new
/// import) into the dataset called `dataset_name`, created when missing. Records already in the
/// target are left alone by a move. Throws UserError when the name is empty.
BulkResult transferRecords(ProjectStore& store, const std::vector<std::int64_t>& record_ids,
                           const std::string& dataset_name, TransferMode mode,
                           const BulkProgress& progress = {});

}  // namespace vietllm::store
