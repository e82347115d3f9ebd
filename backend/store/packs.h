#pragma once
// Offline annotation with task packs. A coordinator exports a pack for one annotator (a subset of
// ranking tasks and records, the instructions, a pack id and the annotator's profile); the
// annotator opens it as a working project, ranks and labels in the GUI or CLI without any
// connection, and writes a return pack; the coordinator merges return packs back into the
// project. The file format (JSON Lines, *.vlpack) is described in docs/annotation.md.
//
// Merging is idempotent: a pack already merged with the same content changes nothing, and a
// vote identical to the stored one is left alone. A later pack from the same annotator replaces
// that annotator's vote. Packs of another project and damaged files are refused with one message
// naming the file (and its line and field).

#include "backend/store/project_store.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace vietllm::store {

/// The project's random id (schema version 2 gives every project one); packs carry it.
std::string projectId(const ProjectStore& store);

struct PackExportRequest {
    std::string output_path;
    std::string annotator_name;  ///< registered as a human annotator when the project has none by that name
    std::optional<std::int64_t> dataset_id;  ///< none: every dataset
    bool ranking = true;                     ///< include ranking tasks
    bool labels = false;                     ///< include records to label
    std::size_t limit = 50;                  ///< most ranking tasks, and most records to label; 0: no limit
    int redundancy = 3;        ///< skip items that this many annotators already did or were given
    std::string instructions;  ///< shown to the annotator (Markdown)
};

struct PackSummary {
    std::string pack_id;
    std::string annotator;
    std::size_t records = 0;
    std::size_t ranking_tasks = 0;
    std::size_t rankings = 0;  ///< rankings carried (return packs) or merged
    std::size_t labels = 0;    ///< labels carried (return packs) or merged
    std::size_t replaced = 0;  ///< merge: earlier votes of the annotator that this pack changed
    bool already_merged = false;
};

/// Writes a task pack for one annotator (atomically) and records which items it assigned, so
/// that the next pack for another annotator respects `redundancy`. Throws UserError when there
/// is nothing to assign.
PackSummary exportTaskPack(ProjectStore& coordinator, const PackExportRequest& request);

/// Creates the working project `project_path` (which must not exist) from a task pack: its
/// records, ranking tasks (candidates in the coordinator's display order), the annotator and the
/// pack's header. Throws UserError naming the pack file, line and field when it is damaged.
PackSummary openTaskPack(const std::string& pack_path, const std::string& project_path);

/// Writes the return pack of a working project: every ranking and label its annotator made on
/// the pack's items, in the coordinator's ids. Throws UserError when `work` was not opened from
/// a pack.
PackSummary writeReturnPack(const ProjectStore& work, const std::string& output_path);

/// Merges a return pack into the coordinator's project as one transaction (see the rules above).
PackSummary mergeReturnPack(ProjectStore& coordinator, const std::string& pack_path);

}  // namespace vietllm::store
