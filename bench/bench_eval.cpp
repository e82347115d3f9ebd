// Multiple-choice scoring throughput: items per second with rows scored one at a time (the in-run
// baseline, batch 1), in length-sorted batches of whole rows (context + option each), and in
// batches with shared-prefix reuse (each prompt once, its options from the KV cache), on a
// random-initialised tiny Llama (byte-level tokenizer) over the shared XCOPA-vi (2 options) or
// Belebele-vi (4 options, long passages) items, or synthetic ones when the samples are absent.
// Prints the rates (wall clock and per CPU second, as the machine may be loaded) and their ratios,
// and checks that every run chose the same options.
//
// usage: vietllm-bench-eval [SAMPLE_DATA_DIR] [--items N] [--batch N] [--threads N]
//                           [--task xcopa|belebele]

#include "backend/eval/evaluator.h"
#include "backend/eval/task_spec.h"
#include "backend/sample/engine.h"
#include "backend/sample/scoring.h"
#include "backend/weights/random_model.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace vietllm;

struct Settings {
    std::string data_dir = "../shared/data";
    std::size_t items = 100;
    std::size_t batch = 16;
    int threads = 2;
    std::string task = "xcopa";
};

Settings parseSettings(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--items" && i + 1 < argc) {
            settings.items = std::strtoul(argv[++i], nullptr, 10);
        } else if (arg == "--batch" && i + 1 < argc) {
            settings.batch = std::strtoul(argv[++i], nullptr, 10);
        } else if (arg == "--threads" && i + 1 < argc) {
            settings.threads = std::atoi(argv[++i]);
        } else if (arg == "--task" && i + 1 < argc) {
            settings.task = argv[++i];
        } else {
            settings.data_dir = arg;
        }
    }
    return settings;
}

eval::TaskSpec xcopaTask() {
    return eval::parseTaskSpec({{"name", "xcopa_vi"},
                                {"language", "vi"},
                                {"format", "xcopa"},
                                {"data", "eval/vi_xcopa_val.jsonl"},
                                {"prompt", "{premise} {question}"},
                                {"field_values", {{"question", {{"cause", "bởi vì"}, {"effect", "vì vậy"}}}}},
                                {"choice_style", "text"},
                                {"metric", "acc"}},
                               "bench");
}

eval::TaskSpec belebeleTask() {
    return eval::parseTaskSpec({{"name", "belebele_vi"},
                                {"language", "vi"},
                                {"format", "belebele"},
                                {"data", "eval/vi_belebele_seahelm895.jsonl"},
                                {"prompt", "Đoạn văn: {passage}\nCâu hỏi: {question}\n{choices}\nĐáp án:"},
                                {"choice_style", "letters"},
                                {"metric", "acc"}},
                               "bench");
}

std::vector<eval::EvalItem> benchItems(const eval::TaskSpec& task, const Settings& settings) {
    std::vector<eval::EvalItem> items;
    if (std::filesystem::exists(settings.data_dir + "/" + task.data)) {
        items = eval::loadItems(task, settings.data_dir);
    } else {
        std::cerr << "note: " << settings.data_dir << "/" << task.data << " absent; synthetic items\n";
        for (std::size_t i = 0; i < 100; ++i) {
            eval::EvalItem item;
            item.id = std::to_string(i);
            item.fields = {{"premise", "Người đàn ông số " + std::to_string(i) + " bật vòi nước."},
                           {"question", "effect"}};
            item.fields["passage"] = item.fields["premise"];
            item.choices = {"Nhà vệ sinh đầy nước.", "Nước chảy ra từ vòi."};
            item.answer = 1;
            items.push_back(item);
        }
    }
    std::vector<eval::EvalItem> repeated;
    while (repeated.size() < settings.items) {
        repeated.push_back(items[repeated.size() % items.size()]);
    }
    return repeated;
}

struct Measurement {
    double items_per_s = 0;
    double items_per_cpu_s = 0;
    std::vector<std::string> picks;
};

// Items per second (wall clock and process CPU) of one evaluation, and the options it picked.
Measurement measure(const sample::Engine& engine, const std::string& model_dir, const eval::TaskSpec& task,
                    const std::vector<eval::EvalItem>& items, std::size_t batch, bool share_prefix) {
    sample::EngineEvalBackend backend(engine, model_dir, batch, share_prefix);
    eval::EvaluatorOptions options;
    options.chunk_items = 64;
    eval::Evaluator evaluator(backend, nullptr, options);
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    const eval::TaskResult result = evaluator.run(task, items, {});
    const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    Measurement measurement;
    measurement.items_per_s = static_cast<double>(items.size()) / seconds;
    measurement.items_per_cpu_s = static_cast<double>(items.size()) / cpu_seconds;
    for (const eval::ItemResult& item : result.items) measurement.picks.push_back(item.output);
    return measurement;
}

}  // namespace

int main(int argc, char** argv) {
    const Settings settings = parseSettings(argc, argv);
    const std::string model_dir =
        (std::filesystem::temp_directory_path() / "vietllm-bench-eval-model").string();
    weights::RandomModelOptions model_options;
    model_options.architecture = weights::Architecture::Llama;
    weights::writeRandomModel(model_dir, model_options);
    sample::EngineOptions engine_options;
    engine_options.num_threads = settings.threads;
    const sample::Engine engine(model_dir, engine_options);
    const eval::TaskSpec task = settings.task == "belebele" ? belebeleTask() : xcopaTask();
    const std::vector<eval::EvalItem> items = benchItems(task, settings);
    measure(engine, model_dir, task, std::vector<eval::EvalItem>(items.begin(), items.begin() + 8), 1,
            false);  // warm-up
    const Measurement single = measure(engine, model_dir, task, items, 1, false);
    const Measurement batched = measure(engine, model_dir, task, items, settings.batch, false);
    const Measurement shared = measure(engine, model_dir, task, items, settings.batch, true);
    std::printf(
        "multiple-choice scoring, tiny llama (hidden 64, 2 layers, byte tokenizer), %s, %zu items x %zu "
        "options, %d threads\n",
        task.name.c_str(), items.size(), items.front().choices.size(), settings.threads);
    std::printf("                                 items/s   items/CPU-s\n");
    std::printf("  one row at a time            : %8.1f  %8.1f\n", single.items_per_s,
                single.items_per_cpu_s);
    std::printf("  batches of %-4zu rows          : %8.1f  %8.1f\n", settings.batch, batched.items_per_s,
                batched.items_per_cpu_s);
    std::printf("  batches, shared-prefix reuse : %8.1f  %8.1f\n", shared.items_per_s,
                shared.items_per_cpu_s);
    std::printf("  batched / one at a time      : %8.2fx %8.2fx\n", batched.items_per_s / single.items_per_s,
                batched.items_per_cpu_s / single.items_per_cpu_s);
    std::printf("  shared prefix / batched      : %8.2fx %8.2fx\n", shared.items_per_s / batched.items_per_s,
                shared.items_per_cpu_s / batched.items_per_cpu_s);
    const bool same = single.picks == batched.picks && single.picks == shared.picks;
    std::printf("  same choices                 : %s\n", same ? "yes" : "NO");
    std::filesystem::remove_all(model_dir);
    return same ? 0 : 1;
}
