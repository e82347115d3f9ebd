#include "backend/store/annotation_export.h"

#include "backend/annotate/consensus.h"
#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/store/consensus_store.h"
#include "backend/store/record_rows.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>

namespace vietllm::store {

namespace {

using OrderedJson = nlohmann::ordered_json;

struct StoredMessage {
    std::optional<std::int64_t> parent_id;
    std::string role;
    std::string content;
};

// A ranked task with what the exports need around it.
struct TaskContext {
    std::int64_t record_id = 0;
    std::int64_t parent_message_id = 0;
    std::map<std::int64_t, StoredMessage> messages;
};

TaskContext taskContext(const ProjectStore& store, std::int64_t task_id) {
    TaskContext context;
    Statement task(store.database(), "SELECT record_id, parent_message_id FROM ranking_task WHERE id = ?");
    task.bindInt(1, task_id).step();
    context.record_id = task.columnInt(0);
    context.parent_message_id = task.columnInt(1);
    Statement messages(store.database(),
                       "SELECT id, parent_id, role, content FROM message WHERE record_id = ?");
    messages.bindInt(1, context.record_id);
    while (messages.step()) {
        context.messages[messages.columnInt(0)] = {messages.columnOptionalInt(1), messages.columnText(2),
                                                   messages.columnText(3)};
    }
    return context;
}

OrderedJson messageJson(const StoredMessage& message) {
    return {{"role", message.role}, {"content", message.content}};
}

// The conversation from the root to the task's parent message.
OrderedJson promptOf(const TaskContext& context) {
    std::vector<const StoredMessage*> chain;
    for (std::optional<std::int64_t> id = context.parent_message_id; id;) {
        const auto found = context.messages.find(*id);
        if (found == context.messages.end()) {
            break;
        }
        chain.push_back(&found->second);
        id = found->second.parent_id;
    }
    OrderedJson prompt = OrderedJson::array();
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        prompt.push_back(messageJson(**it));
    }
    return prompt;
}

std::string line(const OrderedJson& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
}

// Every pair (better, worse) of candidates in different tiers, best pairs first.
std::size_t writePairs(std::ostream& out, const TaskContext& context, const annotate::Tiers& tiers,
                       const std::string& annotator) {
    const OrderedJson prompt = promptOf(context);
    std::size_t written = 0;
    for (std::size_t better = 0; better < tiers.size(); ++better) {
        for (std::size_t worse = better + 1; worse < tiers.size(); ++worse) {
            for (const std::int64_t chosen : tiers[better]) {
                for (const std::int64_t rejected : tiers[worse]) {
                    OrderedJson pair = {
                        {"prompt", prompt},
                        {"chosen", OrderedJson::array({messageJson(context.messages.at(chosen))})},
                        {"rejected", OrderedJson::array({messageJson(context.messages.at(rejected))})}};
                    if (!annotator.empty()) {
                        pair["annotator"] = annotator;
                    }
                    out << line(pair);
                    ++written;
                }
            }
        }
    }
    return written;
}

std::map<std::int64_t, std::string> annotatorNames(const ProjectStore& store) {
    Statement statement(store.database(), "SELECT id, name FROM annotator");
    std::map<std::int64_t, std::string> names;
    while (statement.step()) {
        names[statement.columnInt(0)] = statement.columnText(1);
    }
    return names;
}

std::vector<std::int64_t> messageIdsByPosition(const ProjectStore& store, std::int64_t record_id) {
    Statement statement(store.database(), "SELECT id FROM message WHERE record_id = ? ORDER BY position");
    statement.bindInt(1, record_id);
    std::vector<std::int64_t> ids;
    while (statement.step()) {
        ids.push_back(statement.columnInt(0));
    }
    return ids;
}

// Writes each tree that has ranked tasks once, with the consensus tiers as the replies' ranks.
void writeOasst(std::ostream& out, const ProjectStore& store,
                const std::map<std::int64_t, std::map<std::int64_t, std::optional<int>>>& ranks_by_record,
                AnnotationExportSummary* summary) {
    const std::unique_ptr<data::RecordWriter> writer = data::makeWriter(data::Format::Oasst, out);
    for (const auto& [record_id, ranks] : ranks_by_record) {
        StoredRecord stored = store.record(record_id);
        if (kindOf(stored.record) != RecordKind::Tree) {
            ++summary->unwritable;
            continue;
        }
        RecordRows rows = flattenRecord(stored.record);
        const std::vector<std::int64_t> ids = messageIdsByPosition(store, record_id);
        for (std::size_t position = 0; position < rows.messages.size() && position < ids.size(); ++position) {
            if (const auto found = ranks.find(ids[position]); found != ranks.end()) {
                rows.messages[position].rank = found->second;
            }
        }
        summary->written += writer->write(assembleRecord(std::move(rows)));
    }
    writer->finish();
}

}  // namespace

AnnotationExportKind parseAnnotationExportKind(std::string_view name) {
    if (name == "sft") {
        return AnnotationExportKind::Sft;
    }
    if (name == "pairs") {
        return AnnotationExportKind::Pairs;
    }
    if (name == "pairs-raw") {
        return AnnotationExportKind::PairsRaw;
    }
    if (name == "oasst") {
        return AnnotationExportKind::Oasst;
    }
    return AnnotationExportKind::Invalid;
}

AnnotationExportSummary exportAnnotations(const ProjectStore& store, const AnnotationExportRequest& request) {
    if (request.kind == AnnotationExportKind::Invalid) {
        throw UserError("--kind: expected sft, pairs, pairs-raw or oasst");
    }
    std::vector<annotate::RankingItem> items = loadRankingItems(store, request.dataset_id);
    const annotate::TrustWeights weights = annotate::trustWeights(annotate::estimateTrust(items));
    const std::map<std::int64_t, std::string> names = annotatorNames(store);
    AnnotationExportSummary summary;
    AtomicFileWriter writer(request.output_path);
    std::ostream& out = writer.stream();
    std::map<std::int64_t, std::map<std::int64_t, std::optional<int>>> ranks_by_record;
    for (annotate::RankingItem& item : items) {
        ++summary.tasks;
        const auto before = item.ballots.size();
        item.ballots.erase(std::remove_if(item.ballots.begin(), item.ballots.end(),
                                          [&](const annotate::Ballot& ballot) {
                                              const auto found = weights.find(ballot.annotator_id);
                                              return found != weights.end() &&
                                                     found->second < request.min_trust;
                                          }),
                           item.ballots.end());
        summary.dropped_ballots += before - item.ballots.size();
        const annotate::Consensus consensus = annotate::rankedPairs(item, weights);
        const TaskContext context = taskContext(store, item.task_id);
        if (request.kind == AnnotationExportKind::PairsRaw) {
            for (const annotate::Ballot& ballot : item.ballots) {
                if (!ballot.not_rankable) {
                    summary.written += writePairs(out, context, ballot.tiers, names.at(ballot.annotator_id));
                }
            }
            continue;
        }
        if (consensus.notRankable() || consensus.tiers.empty()) {
            ++(consensus.notRankable() ? summary.not_rankable : summary.unranked);
            continue;
        }
        if (request.kind == AnnotationExportKind::Sft) {
            OrderedJson messages = promptOf(context);
            messages.push_back(messageJson(context.messages.at(consensus.tiers.front().front())));
            out << line({{"messages", messages}});
            ++summary.written;
        } else if (request.kind == AnnotationExportKind::Pairs) {
            summary.written += writePairs(out, context, consensus.tiers, "");
        } else {
            for (std::size_t tier = 0; tier < consensus.tiers.size(); ++tier) {
                for (const std::int64_t id : consensus.tiers[tier]) {
                    ranks_by_record[context.record_id][id] = static_cast<int>(tier);
                }
            }
        }
    }
    if (request.kind == AnnotationExportKind::Oasst) {
        writeOasst(out, store, ranks_by_record, &summary);
    }
    writer.commit();
    return summary;
}

}  // namespace vietllm::store
