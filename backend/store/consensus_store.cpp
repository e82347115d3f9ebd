#include "backend/store/consensus_store.h"

#include "backend/common/utf8.h"
#include "backend/store/annotations.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace vietllm::store {

namespace {

bool isLikert(const std::string& name) {
    static const std::set<std::string> kLikert = {"quality",     "toxicity",   "humor",
                                                  "helpfulness", "creativity", "violence"};
    return kLikert.count(name) > 0;
}

bool isFlag(const std::string& name) {
    static const std::set<std::string> kFlags = {
        "spam",           "fails_task",      "lang_mismatch",    "pii", "not_appropriate", "hate_speech",
        "sexual_content", "moral_judgement", "political_content"};
    return kFlags.count(name) > 0;
}

// Label values of one name: unit (record, message) → annotator → value.
using LabelTable = std::map<std::pair<std::int64_t, std::int64_t>, std::map<std::int64_t, double>>;

std::map<std::string, LabelTable> loadLabels(const ProjectStore& store,
                                             std::optional<std::int64_t> dataset_id) {
    Statement statement(
        store.database(),
        "SELECT l.name, l.record_id, ifnull(l.message_id, 0), l.annotator_id, l.value FROM label l "
        "JOIN record r ON r.id = l.record_id WHERE l.value IS NOT NULL "
        "AND l.name NOT LIKE '\\_%' ESCAPE '\\' AND (?1 IS NULL OR r.dataset_id = ?1)");
    statement.bindOptionalInt(1, dataset_id);
    std::map<std::string, LabelTable> tables;
    while (statement.step()) {
        tables[statement.columnText(0)][{statement.columnInt(1), statement.columnInt(2)}]
              [statement.columnInt(3)] = statement.columnDouble(4);
    }
    return tables;
}

LabelAgreement labelAgreement(const std::string& name, const LabelTable& table,
                              annotate::Measurement measurement) {
    std::set<std::int64_t> annotators;
    for (const auto& [unit, values] : table) {
        for (const auto& [annotator_id, value] : values) {
            annotators.insert(annotator_id);
        }
    }
    const std::vector<std::int64_t> columns(annotators.begin(), annotators.end());
    annotate::CodingMatrix matrix;
    for (const auto& [unit, values] : table) {
        std::vector<std::optional<double>> row(columns.size());
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const auto found = values.find(columns[c]);
            if (found != values.end()) {
                row[c] = found->second;
            }
        }
        matrix.push_back(std::move(row));
    }
    return {name, measurement, annotate::krippendorffAlpha(matrix, measurement), table.size(),
            columns.size()};
}

RankingAgreement rankingAgreement(const std::vector<annotate::RankingItem>& items) {
    RankingAgreement result;
    std::set<std::int64_t> annotators;
    double tau_sum = 0.0;
    std::size_t tau_count = 0;
    double pairwise_sum = 0.0;
    for (const annotate::RankingItem& item : items) {
        std::vector<annotate::Places> ranked;
        for (const annotate::Ballot& ballot : item.ballots) {
            annotators.insert(ballot.annotator_id);
            if (auto places = annotate::placesOf(item.candidates, ballot.tiers)) {
                ranked.push_back(std::move(*places));
            }
        }
        result.items += ranked.size() >= 2 ? 1 : 0;
        for (std::size_t a = 0; a < ranked.size(); ++a) {
            for (std::size_t b = a + 1; b < ranked.size(); ++b) {
                const std::optional<double> pairwise = annotate::pairwiseAgreement(ranked[a], ranked[b]);
                if (!pairwise) {
                    continue;
                }
                ++result.pairs;
                pairwise_sum += *pairwise;
                if (const auto tau = annotate::kendallTauB(ranked[a], ranked[b])) {
                    tau_sum += *tau;
                    ++tau_count;
                }
            }
        }
    }
    result.annotators = annotators.size();
    if (tau_count > 0) {
        result.mean_tau_b = tau_sum / static_cast<double>(tau_count);
    }
    if (result.pairs > 0) {
        result.pairwise_agreement = pairwise_sum / static_cast<double>(result.pairs);
    }
    return result;
}

nlohmann::ordered_json optionalJson(const std::optional<double>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

std::string shortened(const std::string& text, std::size_t code_points) {
    std::u32string decoded = utf8::decode(text);
    std::replace(decoded.begin(), decoded.end(), U'\n', U' ');
    if (decoded.size() <= code_points) {
        return utf8::encode(decoded);
    }
    return utf8::encode(decoded.substr(0, code_points - 1)) + "…";
}

}  // namespace

std::vector<annotate::RankingItem> loadRankingItems(const ProjectStore& store,
                                                    std::optional<std::int64_t> dataset_id) {
    Statement tasks(
        store.database(),
        "SELECT t.id FROM ranking_task t JOIN record r ON r.id = t.record_id "
        "WHERE (?1 IS NULL OR r.dataset_id = ?1) AND EXISTS (SELECT 1 FROM ranking k WHERE k.task_id = t.id) "
        "ORDER BY t.id");
    tasks.bindOptionalInt(1, dataset_id);
    // Annotations takes a writable store; only its reading functions are used here.
    Annotations annotations(const_cast<ProjectStore&>(store));
    std::vector<annotate::RankingItem> items;
    while (tasks.step()) {
        annotate::RankingItem item;
        item.task_id = tasks.columnInt(0);
        item.candidates = annotations.rankingCandidates(item.task_id);
        for (RankingVote& vote : annotations.rankings(item.task_id)) {
            item.ballots.push_back({vote.annotator_id, vote.not_rankable, std::move(vote.tiers)});
        }
        items.push_back(std::move(item));
    }
    return items;
}

annotate::Measurement labelMeasurement(const std::string& name, const std::vector<double>& values) {
    if (isFlag(name)) {
        return annotate::Measurement::Nominal;
    }
    if (isLikert(name)) {
        return annotate::Measurement::Interval;
    }
    const bool binary =
        std::all_of(values.begin(), values.end(), [](double value) { return value == 0.0 || value == 1.0; });
    return binary ? annotate::Measurement::Nominal : annotate::Measurement::Interval;
}

AgreementReport agreementReport(const ProjectStore& store, std::optional<std::int64_t> dataset_id) {
    AgreementReport report;
    for (const auto& [name, table] : loadLabels(store, dataset_id)) {
        std::vector<double> values;
        for (const auto& [unit, coded] : table) {
            for (const auto& [annotator_id, value] : coded) {
                values.push_back(value);
            }
        }
        const annotate::Measurement measurement = labelMeasurement(name, values);
        if (measurement == annotate::Measurement::Interval) {
            report.labels.push_back(labelAgreement(name, table, annotate::Measurement::Ordinal));
        }
        report.labels.push_back(labelAgreement(name, table, measurement));
    }
    report.ranking = rankingAgreement(loadRankingItems(store, dataset_id));
    return report;
}

nlohmann::ordered_json toJson(const AgreementReport& report) {
    nlohmann::ordered_json labels = nlohmann::ordered_json::array();
    for (const LabelAgreement& label : report.labels) {
        labels.push_back({{"name", label.name},
                          {"measurement", annotate::measurementName(label.measurement)},
                          {"alpha", optionalJson(label.alpha)},
                          {"units", label.units},
                          {"annotators", label.annotators}});
    }
    const RankingAgreement& ranking = report.ranking;
    return {{"labels", labels},
            {"ranking",
             {{"items", ranking.items},
              {"annotators", ranking.annotators},
              {"pairs", ranking.pairs},
              {"mean_tau_b", optionalJson(ranking.mean_tau_b)},
              {"pairwise_agreement", optionalJson(ranking.pairwise_agreement)}}}};
}

std::vector<LeaderboardRow> leaderboard(const ProjectStore& store, std::optional<std::int64_t> dataset_id) {
    const std::vector<annotate::AnnotatorTrust> trust =
        annotate::estimateTrust(loadRankingItems(store, dataset_id));
    std::map<std::int64_t, const annotate::AnnotatorTrust*> trust_of;
    for (const annotate::AnnotatorTrust& entry : trust) {
        trust_of[entry.annotator_id] = &entry;
    }
    Statement statement(
        store.database(),
        "SELECT a.id, a.name, a.display_name, a.kind, "
        "(SELECT count(*) FROM ranking k JOIN ranking_task t ON t.id = k.task_id JOIN record r ON r.id = "
        "t.record_id "
        " WHERE k.annotator_id = a.id AND (?1 IS NULL OR r.dataset_id = ?1)), "
        "(SELECT count(*) FROM label l JOIN record r ON r.id = l.record_id WHERE l.annotator_id = a.id "
        " AND l.name NOT LIKE '\\_%' ESCAPE '\\' AND (?1 IS NULL OR r.dataset_id = ?1)) "
        "FROM annotator a ORDER BY a.name");
    statement.bindOptionalInt(1, dataset_id);
    std::vector<LeaderboardRow> rows;
    while (statement.step()) {
        LeaderboardRow row;
        row.annotator_id = statement.columnInt(0);
        row.name = statement.columnText(1);
        row.display_name = statement.columnText(2);
        row.kind = statement.columnText(3);
        row.rankings = static_cast<std::size_t>(statement.columnInt(4));
        row.labels = static_cast<std::size_t>(statement.columnInt(5));
        if (const auto found = trust_of.find(row.annotator_id); found != trust_of.end()) {
            row.agreement = found->second->agreement;
            row.trust = found->second->trust;
        }
        rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const LeaderboardRow& a, const LeaderboardRow& b) {
        return a.trust.value_or(-1.0) > b.trust.value_or(-1.0);
    });
    return rows;
}

std::vector<ConflictRow> conflicts(const ProjectStore& store, std::optional<std::int64_t> dataset_id,
                                   std::size_t limit) {
    const std::vector<annotate::RankingItem> items = loadRankingItems(store, dataset_id);
    const annotate::TrustWeights weights = annotate::trustWeights(annotate::estimateTrust(items));
    Statement task(
        store.database(),
        "SELECT t.record_id, m.content FROM ranking_task t LEFT JOIN message m ON m.id = t.parent_message_id "
        "WHERE t.id = ?");
    std::vector<ConflictRow> rows;
    for (const annotate::RankingItem& item : items) {
        if (item.ballots.size() < 2) {
            continue;
        }
        const annotate::Consensus consensus = annotate::rankedPairs(item, weights);
        ConflictRow row;
        row.task_id = item.task_id;
        row.ballots = item.ballots.size();
        row.mean_tau = annotate::meanTauToConsensus(item, consensus);
        row.not_rankable_share = consensus.not_rankable_share;
        task.bindInt(1, item.task_id).step();
        row.record_id = task.columnInt(0);
        row.prompt = shortened(task.columnText(1), 80);
        task.reset();
        rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const ConflictRow& a, const ConflictRow& b) {
        return std::make_tuple(a.mean_tau.value_or(-1.0), a.task_id) <
               std::make_tuple(b.mean_tau.value_or(-1.0), b.task_id);
    });
    if (limit > 0 && rows.size() > limit) {
        rows.resize(limit);
    }
    return rows;
}

}  // namespace vietllm::store
