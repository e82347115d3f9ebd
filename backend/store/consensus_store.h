#pragma once
// Agreement, consensus and trust over a project's annotations: gathers the raw labels and
// rankings from the store and runs the algorithms of backend/annotate on them. Nothing is
// written: consensus and trust are recomputed from the raw votes whenever they are asked for,
// so a late or replaced vote is always taken into account.

#include "backend/annotate/agreement.h"
#include "backend/annotate/consensus.h"
#include "backend/store/project_store.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::store {

/// Every ranking task of a dataset (or all) that has at least one ranking, with its ballots.
std::vector<annotate::RankingItem> loadRankingItems(const ProjectStore& store,
                                                    std::optional<std::int64_t> dataset_id);

/// The level of measurement of a label: Open-Assistant's yes/no and flag labels are nominal, its
/// Likert labels (quality, toxicity, humor, helpfulness, creativity, violence) interval; other
/// names are nominal when every value is 0 or 1, interval otherwise.
annotate::Measurement labelMeasurement(const std::string& name, const std::vector<double>& values);

struct LabelAgreement {
    std::string name;
    annotate::Measurement measurement = annotate::Measurement::Invalid;
    std::optional<double> alpha;
    std::size_t units = 0;       ///< records or messages with at least one value
    std::size_t annotators = 0;  ///< annotators who gave a value
};

struct RankingAgreement {
    std::size_t items = 0;                     ///< tasks ranked by at least two annotators
    std::size_t annotators = 0;                ///< annotators with at least one ranking
    std::size_t pairs = 0;                     ///< pairs of rankings of the same task compared
    std::optional<double> mean_tau_b;          ///< mean Kendall tau-b over those pairs
    std::optional<double> pairwise_agreement;  ///< mean share of candidate pairs ordered alike
};

struct AgreementReport {
    std::vector<LabelAgreement> labels;  ///< by name; Likert labels appear as ordinal and interval
    RankingAgreement ranking;
};

/// Agreement over a dataset (or all); labels named with a leading '_' (drafts, skips) are left out.
AgreementReport agreementReport(const ProjectStore& store, std::optional<std::int64_t> dataset_id);
/// The report as JSON (`annotate agreement --json`).
nlohmann::ordered_json toJson(const AgreementReport& report);

struct LeaderboardRow {
    std::int64_t annotator_id = 0;
    std::string name;
    std::string display_name;
    std::string kind;                 ///< "human" or "model"
    std::size_t rankings = 0;         ///< ranking tasks done
    std::size_t labels = 0;           ///< labels given
    std::optional<double> agreement;  ///< mean tau-b with the others' consensus
    std::optional<double> trust;      ///< none for an annotator without rankings
};

/// Every annotator, most trusted first (then by name).
std::vector<LeaderboardRow> leaderboard(const ProjectStore& store, std::optional<std::int64_t> dataset_id);

struct ConflictRow {
    std::int64_t task_id = 0;
    std::int64_t record_id = 0;
    std::size_t ballots = 0;
    std::optional<double> mean_tau;   ///< mean tau-b of the ballots to the consensus
    double not_rankable_share = 0.0;  ///< weighted share of ballots flagging the task
    std::string prompt;               ///< the parent message, shortened to 80 characters
};

/// Tasks with at least two ballots where annotators disagree most (lowest mean tau to the
/// trust-weighted consensus first; a task whose consensus orders nothing counts as -1).
std::vector<ConflictRow> conflicts(const ProjectStore& store, std::optional<std::int64_t> dataset_id,
                                   std::size_t limit);

}  // namespace vietllm::store
