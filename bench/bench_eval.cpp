// Multiple-choice scoring throughput: items per second with rows scored one at a time (the in-run
// baseline, batch 1) and in length-sorted batches, on a random-initialised tiny Llama (byte-level
// tokenizer) over the shared XCOPA-vi items, or synthetic ones when the samples are absent.
// Prints both rates and their ratio, and checks that both runs chose the same options.
//
// usage: vietllm-bench-eval [SAMPLE_DATA_DIR] [--items N] [--batch N] [--threads N]

#include "backend/eval/evaluator.h"
#include "backend/eval/task_spec.h"
#include "backend/sample/engine.h"
#include "backend/sample/scoring.h"
#include "backend/weights/random_model.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
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

// Items per second of one evaluation, and the options it picked.
std::pair<double, std::vector<std::string>> measure(const sample::Engine& engine,
                                                    const std::string& model_dir, const eval::TaskSpec& task,
                                                    const std::vector<eval::EvalItem>& items,
                                                    std::size_t batch) {
    sample::EngineEvalBackend backend(engine, model_dir, batch);
    eval::EvaluatorOptions options;
    options.chunk_items = 64;
    eval::Evaluator evaluator(backend, nullptr, options);
    const auto start = std::chrono::steady_clock::now();
    const eval::TaskResult result = evaluator.run(task, items, {});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<std::string> picks;
    for (const eval::ItemResult& item : result.items) picks.push_back(item.output);
    return {static_cast<double>(items.size()) / seconds, picks};
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
    const eval::TaskSpec task = xcopaTask();
    const std::vector<eval::EvalItem> items = benchItems(task, settings);
    measure(engine, model_dir, task, std::vector<eval::EvalItem>(items.begin(), items.begin() + 8),
            1);  // warm-up
    const auto [single_rate, single_picks] = measure(engine, model_dir, task, items, 1);
    const auto [batched_rate, batched_picks] = measure(engine, model_dir, task, items, settings.batch);
    std::printf(
        "multiple-choice scoring, tiny llama (hidden 64, 2 layers, byte tokenizer), %zu items x 2 options, "
        "%d threads\n",
        items.size(), settings.threads);
    std::printf("  one row at a time : %8.1f items/s\n", single_rate);
    std::printf("  batches of %-6zu : %8.1f items/s\n", settings.batch, batched_rate);
    std::printf("  ratio             : %8.2fx\n", batched_rate / single_rate);
    std::printf("  same choices      : %s\n", single_picks == batched_picks ? "yes" : "NO");
    std::filesystem::remove_all(model_dir);
    return single_picks == batched_picks ? 0 : 1;
}
