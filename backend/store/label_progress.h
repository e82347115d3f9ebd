#pragma once
// How far one annotator has come labelling a project's records in the Data panel: records
// marked done, skipped, and drafts (labelled but not yet marked done). Done and skipped are
// record labels named kDoneLabel and kSkippedLabel (value 1), so they need no schema change and
// show in the label filter like any other label.

#include "backend/store/project_store.h"

#include <cstdint>

namespace vietllm::store {

/// Record label marking a record the annotator finished labelling.
inline constexpr const char* kDoneLabel = "_done";
/// Record label marking a record the annotator skipped.
inline constexpr const char* kSkippedLabel = "_skipped";

struct LabelProgress {
    std::int64_t records = 0;  ///< records in the project
    std::int64_t done = 0;     ///< records marked done
    std::int64_t skipped = 0;  ///< records skipped and not done
    std::int64_t drafts = 0;   ///< records with labels by the annotator, neither done nor skipped
};

/// The counts for `annotator_id` over every record of the project.
LabelProgress labelProgress(const ProjectStore& store, std::int64_t annotator_id);

}  // namespace vietllm::store
