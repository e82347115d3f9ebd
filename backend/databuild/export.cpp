#include "backend/databuild/export.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/databuild/hashing.h"
#include "backend/databuild/record_text.h"
#include "backend/text/langid.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>

namespace vietllm::databuild {

namespace {

// min / mean / max of a stream of lengths.
struct RunningStats {
    std::size_t count = 0;
    double sum = 0;
    std::size_t min = std::numeric_limits<std::size_t>::max();
    std::size_t max = 0;

    void add(std::size_t value) {
        ++count;
        sum += static_cast<double>(value);
        min = std::min(min, value);
        max = std::max(max, value);
    }
};

// One output line and what the card counts about it.
struct ExportItem {
    std::string line;
    std::size_t user_chars = 0;
    std::size_t assistant_chars = 0;
    std::size_t turns = 0;
    std::string user_lang;
    std::string assistant_lang;
};

// An input record turned into output lines (none when the kind cannot hold it).
struct ExportedRecord {
    std::vector<ExportItem> items;
    bool validation = false;
};

nlohmann::ordered_json assistantTurn(const std::string& content) {
    return nlohmann::ordered_json::array({{{"role", "assistant"}, {"content", content}}});
}

std::string languageOf(const std::string& text) {
    const std::string prose = proseText(text);
    if (prose.find_first_not_of(" \n\t") == std::string::npos) {
        return "und";
    }
    return text::identifyLanguage(prose).lang;
}

ExportItem describe(nlohmann::ordered_json json, const std::vector<data::Message>& messages,
                    const std::vector<std::string>& replies) {
    ExportItem item;
    std::string user;
    std::string assistant;
    for (const data::Message& message : messages) {
        if (message.role == data::Role::User) {
            user += message.content + '\n';
        } else if (message.role == data::Role::Assistant) {
            assistant += message.content + '\n';
        }
    }
    for (const std::string& reply : replies) {
        assistant += reply + '\n';
    }
    item.turns = messages.size() + (replies.empty() ? 0 : 1);
    item.user_chars = utf8::codePointCount(user);
    item.assistant_chars = utf8::codePointCount(assistant);
    item.user_lang = languageOf(user);
    item.assistant_lang = languageOf(assistant);
    item.line = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return item;
}

ExportItem sftItem(const data::Conversation& conversation) {
    return describe({{"messages", data::toJson(conversation.messages)}}, conversation.messages, {});
}

ExportItem preferenceItem(const data::PreferencePair& pair) {
    nlohmann::ordered_json json = {{"prompt", data::toJson(pair.prompt)},
                                   {"chosen", assistantTurn(pair.chosen)},
                                   {"rejected", assistantTurn(pair.rejected)}};
    return describe(std::move(json), pair.prompt, {pair.chosen, pair.rejected});
}

std::vector<ExportItem> exportItems(const data::Record& record, ExportKind kind) {
    std::vector<ExportItem> items;
    if (const auto* conversation = std::get_if<data::Conversation>(&record)) {
        if (kind == ExportKind::Sft) items.push_back(sftItem(*conversation));
    } else if (const auto* pair = std::get_if<data::PreferencePair>(&record)) {
        items.push_back(kind == ExportKind::Sft ? sftItem(data::chosenConversation(*pair))
                                                : preferenceItem(*pair));
    } else if (const auto* tree = std::get_if<data::ConversationTree>(&record)) {
        if (kind == ExportKind::Sft) {
            for (const data::Conversation& path : data::answeredConversationsFromTree(*tree)) {
                items.push_back(sftItem(path));
            }
        } else {
            for (const data::PreferencePair& tree_pair : data::preferencePairsFromTree(*tree)) {
                items.push_back(preferenceItem(tree_pair));
            }
        }
    }
    return items;
}

// Counts per source, licence, length and language for the card.
struct CardStats {
    struct SourceCounts {
        std::size_t train = 0;
        std::size_t validation = 0;
        std::map<std::string, std::size_t> licences;
    };
    std::map<std::string, SourceCounts> sources;
    std::map<std::string, std::size_t> licences;
    std::map<std::string, std::size_t> user_langs;
    std::map<std::string, std::size_t> assistant_langs;
    RunningStats user_chars;
    RunningStats assistant_chars;
    std::vector<std::size_t> user_histogram = std::vector<std::size_t>(lengthBucketEdges().size() + 1, 0);
    std::vector<std::size_t> assistant_histogram =
        std::vector<std::size_t>(lengthBucketEdges().size() + 1, 0);
    RunningStats turns;
    std::size_t train = 0;
    std::size_t validation = 0;
    std::size_t train_items = 0;
    std::size_t validation_items = 0;
    std::size_t skipped = 0;
};

std::string formatNumber(double value) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << value;
    return out.str();
}

std::string statsRow(const char* name, const RunningStats& stats) {
    if (stats.count == 0) {
        return std::string("| ") + name + " | 0 | - | - | - |\n";
    }
    return std::string("| ") + name + " | " + std::to_string(stats.count) + " | " +
           std::to_string(stats.min) + " | " + formatNumber(stats.sum / static_cast<double>(stats.count)) +
           " | " + std::to_string(stats.max) + " |\n";
}

std::string cardCell(std::string text) {
    std::replace(text.begin(), text.end(), '|', '/');
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text.empty() ? "(none)" : text;
}

// A field of a step summary as text ("-" when absent); strings without their quotes.
std::string summaryField(const nlohmann::json& summary, const char* key) {
    const auto field = summary.find(key);
    if (field == summary.end()) {
        return "-";
    }
    return field->is_string() ? field->get<std::string>() : field->dump();
}

void writeFilterSection(std::ostream& card, const std::vector<nlohmann::json>& summaries) {
    card << "\n## Filters applied\n\n";
    if (summaries.empty()) {
        card << "No step summaries were given to `data export --summary`.\n";
        return;
    }
    for (const nlohmann::json& summary : summaries) {
        card << "### " << summaryField(summary, "step") << "\n\n";
        card << "- records read: " << summaryField(summary, "records_read")
             << ", kept: " << summaryField(summary, "kept")
             << ", dropped: " << summaryField(summary, "dropped")
             << ", bad lines: " << summaryField(summary, "bad_lines") << "\n";
        if (summary.contains("options")) {
            card << "- options: `" << summary["options"].dump() << "`\n";
        }
        if (summary.contains("reasons") && summary["reasons"].is_object() && !summary["reasons"].empty()) {
            card << "\n| reason | records |\n|---|---|\n";
            for (const auto& [reason, count] : summary["reasons"].items()) {
                card << "| " << reason << " | " << count.dump() << " |\n";
            }
        }
        card << '\n';
    }
}

void writeLanguageTable(std::ostream& card, const char* role,
                        const std::map<std::string, std::size_t>& langs) {
    for (const auto& [lang, count] : langs) {
        card << "| " << role << " | " << lang << " | " << count << " |\n";
    }
}

CardChart lengthChart(const char* role, const std::vector<std::size_t>& histogram) {
    const std::vector<std::size_t> edges = lengthBucketEdges();
    CardChart chart{std::string("chart_lengths_") + role + ".png",
                    std::string("Length of ") + role + " turns",
                    "code points",
                    "records",
                    {},
                    {}};
    for (std::size_t i = 0; i < histogram.size(); ++i) {
        chart.labels.push_back(i == 0 ? "<" + std::to_string(edges[0])
                               : i == edges.size()
                                   ? std::to_string(edges.back()) + "+"
                                   : std::to_string(edges[i - 1]) + "-" + std::to_string(edges[i] - 1));
        chart.values.push_back(static_cast<double>(histogram[i]));
    }
    return chart;
}

// At most `max_bars` bars: the largest, in their order, and the rest summed as "other (N)".
void capBars(CardChart& chart, std::size_t max_bars) {
    if (chart.values.size() <= max_bars) {
        return;
    }
    std::vector<std::size_t> order(chart.values.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return chart.values[a] > chart.values[b]; });
    std::vector<std::size_t> kept(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(max_bars - 1));
    std::sort(kept.begin(), kept.end());
    double rest = 0;
    for (std::size_t i = max_bars - 1; i < order.size(); ++i) rest += chart.values[order[i]];
    CardChart capped = chart;
    capped.labels.clear();
    capped.values.clear();
    for (const std::size_t i : kept) {
        capped.labels.push_back(chart.labels[i]);
        capped.values.push_back(chart.values[i]);
    }
    capped.labels.push_back("other (" + std::to_string(order.size() - kept.size()) + ")");
    capped.values.push_back(rest);
    chart = std::move(capped);
}

std::vector<CardChart> cardCharts(const CardStats& stats) {
    std::vector<CardChart> charts = {lengthChart("user", stats.user_histogram),
                                     lengthChart("assistant", stats.assistant_histogram)};
    CardChart sources{"chart_sources.png", "Records per source", "source", "records", {}, {}};
    for (const auto& [source, counts] : stats.sources) {
        sources.labels.push_back(source);
        sources.values.push_back(static_cast<double>(counts.train + counts.validation));
    }
    CardChart languages{
        "chart_languages.png", "Languages of the turns", "turns: language", "records", {}, {}};
    const auto add_languages = [&](const std::string& role, const std::map<std::string, std::size_t>& langs) {
        for (const auto& [lang, count] : langs) {
            languages.labels.push_back(role + ": " + lang);
            languages.values.push_back(static_cast<double>(count));
        }
    };
    add_languages("user", stats.user_langs);
    add_languages("assistant", stats.assistant_langs);
    constexpr std::size_t kMaxBars = 20;
    capBars(sources, kMaxBars);
    capBars(languages, kMaxBars);
    charts.push_back(std::move(sources));
    charts.push_back(std::move(languages));
    return charts;
}

// Draws the charts into the output folder; returns those drawn (none without a renderer).
std::vector<CardChart> drawCharts(const ExportJob& job, const CardStats& stats) {
    if (!job.chart_renderer) {
        return {};
    }
    std::vector<CardChart> charts = cardCharts(stats);
    for (const CardChart& chart : charts) {
        job.chart_renderer(chart, (std::filesystem::path(job.output_dir) / chart.file_name).string());
    }
    return charts;
}

void writeChartSection(std::ostream& card, const ExportJob& job, const std::vector<CardChart>& charts) {
    card << "\n## Charts\n\n";
    if (charts.empty()) {
        card << "No charts were drawn: " << job.no_charts_reason << ".\n";
        return;
    }
    for (const CardChart& chart : charts) {
        card << "![" << chart.title << "](" << chart.file_name << ")\n\n";
    }
}

void writeCard(const std::string& path, const ExportJob& job, const CardStats& stats,
               const std::vector<nlohmann::json>& summaries, const std::vector<CardChart>& charts) {
    AtomicFileWriter file(path);
    std::ostream& card = file.stream();
    const char* kind = job.kind == ExportKind::Sft ? "sft" : "preference";
    card << "# " << job.dataset_name << "\n\n"
         << "Built with `vietllm-cli data export --kind " << kind << "`.\n\n"
         << "## Files\n\n| file | records | format |\n|---|---|---|\n"
         << "| train.jsonl | " << stats.train_items << " | "
         << (job.kind == ExportKind::Sft ? "`{\"messages\": [{\"role\", \"content\"}]}`"
                                         : "`{\"prompt\": [...], \"chosen\": [...], \"rejected\": [...]}`")
         << " |\n| validation.jsonl | " << stats.validation_items << " | same |\n\n"
         << "Both files are in the conversational formats TRL's SFT and DPO trainers read and "
            "`vietllm-cli` reads back (`--format messages` / `--format preference`).\n\n"
         << "## Split\n\nValidation holds about " << formatNumber(job.valid_fraction * 100)
         << "% of the source items (seed " << job.seed
         << "). Records derived from one source item (one Open-Assistant tree, one original record) are "
            "always on the same side. Input records: "
         << stats.train << " train, " << stats.validation << " validation, " << stats.skipped
         << " not exportable as " << kind << ".\n\n"
         << "## Sources\n\n| source | licences | train | validation |\n|---|---|---|---|\n";
    for (const auto& [source, counts] : stats.sources) {
        std::string licences;
        for (const auto& [licence, count] : counts.licences) {
            licences += (licences.empty() ? "" : ", ") + licence + " (" + std::to_string(count) + ")";
        }
        card << "| " << cardCell(source) << " | " << cardCell(licences) << " | " << counts.train << " | "
             << counts.validation << " |\n";
    }
    card << "\n## Licences\n\n| licence | records |\n|---|---|\n";
    for (const auto& [licence, count] : stats.licences) {
        card << "| " << cardCell(licence) << " | " << count << " |\n";
    }
    writeFilterSection(card, summaries);
    card << "\n## Lengths (code points per exported record)\n\n| field | records | min | mean | max |\n"
         << "|---|---|---|---|---|\n"
         << statsRow("user turns", stats.user_chars) << statsRow("assistant turns", stats.assistant_chars)
         << statsRow("turns per record", stats.turns)
         << "\n## Languages (language identification of each record's prose)\n\n| turns | language | records "
            "|\n"
         << "|---|---|---|\n";
    writeLanguageTable(card, "user", stats.user_langs);
    writeLanguageTable(card, "assistant", stats.assistant_langs);
    writeChartSection(card, job, charts);
    file.commit();
}

std::vector<nlohmann::json> readSummaries(const std::vector<std::string>& paths) {
    std::vector<nlohmann::json> summaries;
    for (const std::string& path : paths) {
        std::ifstream input(path);
        if (!input) {
            throw UserError("--summary: cannot open " + path);
        }
        nlohmann::json summary = nlohmann::json::parse(input, nullptr, false);
        if (summary.is_discarded() || !summary.is_object()) {
            throw UserError("--summary: " + path + " is not a step summary (a JSON object)");
        }
        summaries.push_back(std::move(summary));
    }
    return summaries;
}

std::size_t lengthBucket(std::size_t chars) {
    const std::vector<std::size_t> edges = lengthBucketEdges();
    return static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), chars) - edges.begin());
}

void countItem(CardStats& stats, const ExportItem& item) {
    stats.user_chars.add(item.user_chars);
    stats.assistant_chars.add(item.assistant_chars);
    ++stats.user_histogram[lengthBucket(item.user_chars)];
    ++stats.assistant_histogram[lengthBucket(item.assistant_chars)];
    stats.turns.add(item.turns);
    ++stats.user_langs[item.user_lang];
    ++stats.assistant_langs[item.assistant_lang];
}

}  // namespace

std::vector<std::size_t> lengthBucketEdges() {
    return {50, 100, 200, 500, 1000, 2000, 5000};
}

ExportKind parseExportKind(std::string_view name) {
    if (name == "sft") return ExportKind::Sft;
    if (name == "preference") return ExportKind::Preference;
    return ExportKind::Invalid;
}

bool isValidationItem(const std::string& source_item_key, double valid_fraction, std::uint64_t seed) {
    const std::uint64_t hash = hashBytes(source_item_key, seed);
    const double position = static_cast<double>(hash >> 11) / static_cast<double>(1ULL << 53);
    return position < valid_fraction;
}

nlohmann::ordered_json runExport(const ExportJob& job) {
    if (job.valid_fraction < 0 || job.valid_fraction >= 1) {
        throw UserError("--valid-fraction: must be at least 0 and below 1");
    }
    const std::vector<nlohmann::json> summaries = readSummaries(job.summary_paths);
    std::error_code error;
    std::filesystem::create_directories(job.output_dir, error);
    if (error) {
        throw UserError("cannot create the output folder " + job.output_dir + ": " + error.message());
    }
    const std::filesystem::path dir(job.output_dir);
    AtomicFileWriter train((dir / "train.jsonl").string());
    AtomicFileWriter validation((dir / "validation.jsonl").string());
    JsonLinesOutput skipped((dir / "skipped.jsonl").string());
    CardStats stats;
    std::size_t bad_lines = 0;
    std::vector<ExportedRecord> exported;
    const auto on_bad_line = [&](const data::BadLine& bad_line) {
        ++bad_lines;
        skipped.write(badLineEntry(bad_line));
    };
    readBatches(job.input, on_bad_line, [&](std::vector<SourcedRecord>& batch) {
        exported.assign(batch.size(), ExportedRecord{});
        parallelFor(batch.size(), job.input.threads, [&](std::size_t i) {
            exported[i].items = exportItems(batch[i].record, job.kind);
            exported[i].validation =
                isValidationItem(sourceItemKey(batch[i].record), job.valid_fraction, job.seed);
        });
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const ExportedRecord& result = exported[i];
            if (result.items.empty()) {
                ++stats.skipped;
                skipped.write({{"id", recordId(batch[i].record)},
                               {"file", batch[i].file},
                               {"line", batch[i].line},
                               {"reasons", {"not-exportable"}},
                               {"detail", std::string("holds no ") + (job.kind == ExportKind::Sft
                                                                          ? "answered conversation"
                                                                          : "preference pair")}});
                continue;
            }
            const data::Provenance& provenance = provenanceOf(batch[i].record);
            const std::string licence = provenance.licence.empty() ? "unknown" : provenance.licence;
            CardStats::SourceCounts& source = stats.sources[provenance.source];
            ++source.licences[licence];
            ++stats.licences[licence];
            (result.validation ? source.validation : source.train) += 1;
            (result.validation ? stats.validation : stats.train) += 1;
            std::ofstream& out = result.validation ? validation.stream() : train.stream();
            for (const ExportItem& item : result.items) {
                out << item.line << '\n';
                countItem(stats, item);
                (result.validation ? stats.validation_items : stats.train_items) += 1;
            }
        }
    });
    train.commit();
    validation.commit();
    skipped.commit();
    ExportJob named = job;
    if (named.dataset_name.empty()) {
        std::filesystem::path folder = std::filesystem::absolute(dir).lexically_normal();
        if (!folder.has_filename()) {
            folder = folder.parent_path();
        }
        named.dataset_name = folder.filename().string();
    }
    const std::vector<CardChart> charts = drawCharts(job, stats);
    writeCard((dir / "README.md").string(), named, stats, summaries, charts);
    nlohmann::ordered_json chart_files = nlohmann::ordered_json::array();
    for (const CardChart& chart : charts) {
        chart_files.push_back(chart.file_name);
    }
    nlohmann::ordered_json per_source = nlohmann::ordered_json::object();
    for (const auto& [source, counts] : stats.sources) {
        per_source[source] = {{"train", counts.train}, {"validation", counts.validation}};
    }
    return {{"step", "export"},
            {"inputs", job.input.paths},
            {"records_read", stats.train + stats.validation + stats.skipped},
            {"bad_lines", bad_lines},
            {"train_records", stats.train},
            {"validation_records", stats.validation},
            {"train_items", stats.train_items},
            {"validation_items", stats.validation_items},
            {"not_exportable", stats.skipped},
            {"sources", per_source},
            {"charts", chart_files},
            {"options",
             {{"kind", job.kind == ExportKind::Sft ? "sft" : "preference"},
              {"valid_fraction", job.valid_fraction},
              {"seed", job.seed}}},
            {"output_dir", job.output_dir}};
}

}  // namespace vietllm::databuild
