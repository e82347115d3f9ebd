// How the Data panel's record table behaves on a project of 1,000,000 records: the time to open
// the project and show the first page, to scroll (fetch further pages, deep into the project),
// and to apply each kind of filter (first page on screen, then the whole scan to the final
// count, which the panel runs in the background). The project is built through the store's C++
// API (80% conversations, 10% preference pairs, 10% conversation trees with language codes,
// 1% of records labelled "spam") and kept, so a second run skips the build. Opening a project
// of an older schema migrates it first, which the store's open time then includes.
//
// usage: vietllm-bench-data-panel [PROJECT_FILE] [--records N]

#include "backend/data/records.h"
#include "backend/store/annotations.h"
#include "backend/store/import_session.h"
#include "backend/store/project_store.h"
#include "backend/store/record_browser.h"
#include "widgets/models/dataset_table_model.h"
#include "widgets/models/record_table_model.h"

#include <QCoreApplication>
#include <QModelIndex>

#include <sys/stat.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using vietllm::store::RecordFilter;
using vietllm::widgets::RecordTableModel;

double millisecondsOf(const std::function<void()>& work) {
    const auto start = Clock::now();
    work();
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

const std::vector<std::string>& words() {
    static const std::vector<std::string> list = {
        "hòa",   "bình", "việt",  "nam",  "đồng",   "bằng",   "sông",  "cửu",   "long",  "thủy",
        "lợi",   "giáo", "dục",   "khoa", "học",    "máy",    "tính",  "ngôn",  "ngữ",   "mô",
        "hình",  "dữ",   "liệu",  "câu",  "hỏi",    "trả",    "lời",   "người", "dùng",  "hệ",
        "thống", "phát", "triển", "kinh", "tế",     "văn",    "hóa",   "lịch",  "sử",    "địa",
        "lý",    "the",  "model", "data", "answer", "please", "write", "short", "story", "about"};
    return list;
}

std::string sentence(std::mt19937& random, int min_words, int max_words) {
    std::uniform_int_distribution<int> count(min_words, max_words);
    std::uniform_int_distribution<std::size_t> pick(0, words().size() - 1);
    std::string text;
    const int n = count(random);
    for (int i = 0; i < n; ++i) {
        text += (i == 0 ? "" : " ") + words()[pick(random)];
    }
    return text;
}

vietllm::data::Record makeRecord(std::mt19937& random, std::size_t index) {
    using namespace vietllm::data;
    Provenance provenance;
    provenance.source = index % 3 == 0 ? "bench_b" : "bench_a";
    provenance.original_id = "bench:" + std::to_string(index + 1);
    const std::string prompt = index == 777777 ? "một câu hỏi về kỳ lân xanh" : sentence(random, 4, 30);
    if (index % 10 == 8) {
        PreferencePair pair;
        pair.prompt = {{Role::User, prompt}};
        pair.chosen = sentence(random, 10, 80);
        pair.rejected = sentence(random, 10, 80);
        pair.provenance = provenance;
        return pair;
    }
    if (index % 10 == 9) {
        ConversationTree tree;
        tree.tree_id = "tree-" + std::to_string(index);
        tree.root = {
            "p" + std::to_string(index), Role::User, prompt, std::nullopt, index % 20 == 9 ? "vi" : "en",
            nlohmann::json::object(),    {}};
        for (int reply = 0; reply < 2; ++reply) {
            tree.root.replies.push_back({"a" + std::to_string(index) + "-" + std::to_string(reply),
                                         Role::Assistant,
                                         sentence(random, 10, 60),
                                         reply,
                                         tree.root.lang,
                                         nlohmann::json::object(),
                                         {}});
        }
        tree.provenance = provenance;
        return tree;
    }
    Conversation conversation;
    conversation.messages = {{Role::User, prompt}, {Role::Assistant, sentence(random, 10, 120)}};
    conversation.provenance = provenance;
    return conversation;
}

void buildProject(const std::string& path, std::size_t records) {
    std::printf("building %s with %zu records...\n", path.c_str(), records);
    auto store = vietllm::store::ProjectStore::create(path, true);
    std::mt19937 random(20251126);
    const double build_ms = millisecondsOf([&] {
        vietllm::store::ImportSession session(store, {"bench", "generated", "bench", false});
        for (std::size_t i = 0; i < records; ++i) {
            session.add(makeRecord(random, i), i + 1);
        }
        session.commit();
    });
    vietllm::store::Annotations annotations(store);
    const std::int64_t annotator = annotations.addAnnotator("bench", vietllm::store::AnnotatorKind::Human);
    vietllm::store::Transaction transaction(store.database());
    for (std::size_t id = 50; id <= records; id += 100) {
        annotations.setLabel({static_cast<std::int64_t>(id), std::nullopt, annotator, "spam", 1.0, ""});
    }
    transaction.commit();
    std::printf("built in %.1f s\n", build_ms / 1000.0);
}

struct FilterCase {
    const char* name;
    RecordFilter filter;
};

// Applies `filter` and reports the first page's latency and the full scan's time and count.
void timeFilter(RecordTableModel& model, const vietllm::store::ProjectStore& store, const FilterCase& test) {
    // Dropping the previous case's rows (up to a million) is not part of this filter's time.
    model.setProject(&store);
    const double first_ms = millisecondsOf([&] { model.setFilter(test.filter); });
    const int first_rows = model.rowCount();
    const double scan_ms = millisecondsOf([&] {
        while (model.canFetchMore(QModelIndex())) {
            model.fetchMore(QModelIndex());
        }
    });
    std::printf("  %-34s first page %7.1f ms (%3d rows)   full scan %8.1f ms -> %d records\n", test.name,
                first_ms, first_rows, first_ms + scan_ms, model.rowCount());
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication application(argc, argv);
    std::string path = "/tmp/vietllm-bench-1m.vietllm";
    std::size_t records = 1000000;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "--records" && i + 1 < argc) {
            records = static_cast<std::size_t>(std::strtoull(argv[++i], nullptr, 10));
        } else {
            path = argument;
        }
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        buildProject(path, records);
    }

    std::unique_ptr<vietllm::store::ProjectStore> store;
    vietllm::widgets::DatasetTableModel datasets;
    RecordTableModel model;
    const double open_ms = millisecondsOf([&] {
        store = std::make_unique<vietllm::store::ProjectStore>(
            vietllm::store::ProjectStore::open(path, vietllm::store::OpenMode::ReadWrite));
    });
    const double datasets_ms = millisecondsOf([&] { datasets.setProject(store.get()); });
    // The baseline, in the same run: the dataset table as it was before schema version 4, which
    // counted each dataset's records and messages when the project opened.
    const double counting_ms = millisecondsOf([&] {
        for (const vietllm::store::DatasetInfo& dataset : store->datasets()) {
            vietllm::store::Statement record_count(store->database(),
                                                   "SELECT count(*) FROM record WHERE dataset_id = ?");
            record_count.bindInt(1, dataset.id).step();
            vietllm::store::Statement message_count(
                store->database(),
                "SELECT count(*) FROM message m JOIN record r ON r.id = m.record_id WHERE r.dataset_id = ?");
            message_count.bindInt(1, dataset.id).step();
        }
    });
    const double choices_ms = millisecondsOf([&] { vietllm::store::filterChoices(*store); });
    const double records_ms = millisecondsOf([&] { model.setProject(store.get()); });
    std::printf("project: %s, %lld records\n", path.c_str(), static_cast<long long>(datasets.totalRecords()));
    std::printf(
        "open: store %.1f ms, dataset table %.1f ms, filter choices %.1f ms, record table first page "
        "%.1f ms (%d rows): %.1f ms in all\n",
        open_ms, datasets_ms, choices_ms, records_ms, model.rowCount(),
        open_ms + datasets_ms + choices_ms + records_ms);
    std::printf(
        "baseline (same run): counting records and messages per dataset as before schema v4: %.1f ms "
        "(cached counts %.1fx faster)\n",
        counting_ms, counting_ms / std::max(datasets_ms, 0.001));

    // Scrolling: a view asks for one more page each time its scroll bar reaches the end.
    std::vector<double> fetch_ms;
    while (model.rowCount() < 100000 && model.canFetchMore(QModelIndex())) {
        fetch_ms.push_back(millisecondsOf([&] { model.fetchMore(QModelIndex()); }));
    }
    std::sort(fetch_ms.begin(), fetch_ms.end());
    std::printf("scroll: %zu page fetches to row %d: median %.2f ms, max %.2f ms per page of %d\n",
                fetch_ms.size(), model.rowCount(), fetch_ms[fetch_ms.size() / 2], fetch_ms.back(),
                RecordTableModel::kPageSize);

    const std::int64_t dataset_id = store->requireDataset("bench").id;
    std::vector<FilterCase> cases(9);
    cases[0] = {"dataset", {}};
    cases[0].filter.dataset_id = dataset_id;
    cases[1] = {"kind = conversation tree", {}};
    cases[1].filter.kind = vietllm::store::RecordKind::Tree;
    cases[2] = {"language = vi", {}};
    cases[2].filter.language = "vi";
    cases[3] = {"source = bench_b", {}};
    cases[3].filter.source = "bench_b";
    cases[4] = {"length 900..1000", {}};
    cases[4].filter.min_length = 900;
    cases[4].filter.max_length = 1000;
    cases[5] = {"label = spam (1%)", {}};
    cases[5].filter.label = "spam";
    cases[6] = {"search \"hòa bình\"", {}};
    cases[6].filter.search = "\"hòa bình\"";
    cases[7] = {"search hoa binh (no diacritics)", {}};
    cases[7].filter.search = "hoa binh";
    cases[7].filter.ignore_diacritics = true;
    cases[8] = {"search \"kỳ lân\" (one record)", {}};
    cases[8].filter.search = "\"kỳ lân\"";
    std::printf("filters (first page is what the user waits for; the count completes in the background):\n");
    for (const FilterCase& test : cases) {
        timeFilter(model, *store, test);
    }
    return 0;
}
