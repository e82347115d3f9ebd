#pragma once
// Training files from a project's merged annotations (`annotate export`): SFT conversations whose
// reply is the consensus best, preference pairs from the consensus ranking or from every
// annotator's raw ranking, and Open-Assistant trees with the consensus rank on each reply.
// Consensus is ranked pairs weighted by trust (backend/annotate/consensus.h); annotators below a
// minimum trust can be left out. The output appears only when it was written completely.

#include "backend/store/project_store.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vietllm::store {

enum class AnnotationExportKind {
    Invalid = 0,
    Sft,       ///< {"messages"}: the prompt and the consensus best reply
    Pairs,     ///< {"prompt","chosen","rejected"}: every pair of candidates in different consensus tiers
    PairsRaw,  ///< the same from each annotator's own ranking, with "annotator"
    Oasst,     ///< Open-Assistant trees, each ranked reply's "rank" the consensus tier (0 = best)
};

/// Parses "sft", "pairs", "pairs-raw" or "oasst"; Invalid otherwise.
AnnotationExportKind parseAnnotationExportKind(std::string_view name);

struct AnnotationExportRequest {
    std::string output_path;
    AnnotationExportKind kind = AnnotationExportKind::Invalid;
    std::optional<std::int64_t> dataset_id;  ///< none: every dataset
    double min_trust = 0.0;                  ///< ballots of annotators trusted less are left out
};

struct AnnotationExportSummary {
    std::size_t tasks = 0;            ///< ranked tasks in scope
    std::size_t written = 0;          ///< output lines
    std::size_t not_rankable = 0;     ///< tasks skipped: most (weighted) ballots flag them not rankable
    std::size_t unranked = 0;         ///< tasks skipped: no trusted ballot orders anything
    std::size_t dropped_ballots = 0;  ///< ballots below the minimum trust
    std::size_t unwritable = 0;       ///< oasst: records with ranked tasks that are not trees
};

/// Writes the export; throws UserError when the output cannot be written.
AnnotationExportSummary exportAnnotations(const ProjectStore& store, const AnnotationExportRequest& request);

}  // namespace vietllm::store
