#include "backend/databuild/self_instruct.h"

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/databuild/hashing.h"
#include "backend/databuild/json_fields.h"
#include "backend/text/langid.h"
#include "backend/text/normalize.h"
#include "backend/text/syllable_tokens.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

namespace vietllm::databuild {

namespace {

using nlohmann::ordered_json;

// Tasks a text-only model cannot do (the original list, in Vietnamese and English). Whole
// syllable sequences: "ảnh" alone would also hit "ảnh hưởng" (influence).
const std::vector<std::string> kBlacklist = {
    "hình ảnh", "bức ảnh", "tấm ảnh", "ảnh chụp", "hình vẽ", "vẽ",       "biểu đồ",   "đồ thị",   "sơ đồ",
    "lưu đồ",   "tệp",     "tập tin", "bản đồ",   "video",   "âm thanh", "âm nhạc",   "bản nhạc", "đi tới",
    "image",    "images",  "graph",   "graphs",   "picture", "pictures", "file",      "files",    "map",
    "maps",     "draw",    "plot",    "go to",    "audio",   "music",    "flowchart", "diagram"};

constexpr std::size_t kLangMinBytes = 20;
constexpr std::size_t kRequestsPerBatch = 4;
constexpr const char* kPoolFormat = "vietllm-self-instruct-pool";

// A deterministic sequence of numbers from the seed and a key.
class SeededSequence {
public:
    SeededSequence(std::uint64_t seed, const std::string& key) : m_state(seededHash(seed, key)) {}
    std::uint64_t next() {
        m_state += 0x9e3779b97f4a7c15ULL;
        return mix64(m_state);
    }
    /// `count` distinct indices below `size`, in draw order.
    std::vector<std::size_t> sample(std::size_t size, std::size_t count) {
        std::vector<std::size_t> indices(size);
        for (std::size_t i = 0; i < size; ++i) indices[i] = i;
        count = std::min(count, size);
        for (std::size_t i = 0; i < count; ++i) {
            std::swap(indices[i], indices[i + next() % (size - i)]);
        }
        indices.resize(count);
        return indices;
    }

private:
    std::uint64_t m_state;
};

// Instructions that differ only in case, spacing or punctuation are the same instruction.
std::string dedupKey(const std::string& instruction) {
    std::string key;
    for (const std::string& token : rougeTokens(instruction)) {
        key += token + " ";
    }
    return key;
}

bool containsSequence(const std::vector<std::string>& tokens, const std::vector<std::string>& needle) {
    return !needle.empty() &&
           std::search(tokens.begin(), tokens.end(), needle.begin(), needle.end()) != tokens.end();
}

bool startsWithTokens(const std::vector<std::string>& tokens, const std::vector<std::string>& prefix) {
    return tokens.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), tokens.begin());
}

std::string stringField(const ordered_json& value, const char* name) {
    const auto found = value.find(name);
    return found != value.end() && found->is_string() ? found->get<std::string>() : std::string();
}

SeedTask seedFromJson(const ordered_json& value) {
    SeedTask task{stringField(value, "instruction"), stringField(value, "input"),
                  stringField(value, "output")};
    if (const auto instances = value.find("instances"); instances != value.end() && instances->is_array() &&
                                                        !instances->empty() &&
                                                        instances->front().is_object()) {
        task.input = stringField(instances->front(), "input");
        task.output = stringField(instances->front(), "output");
    }
    if (task.instruction.empty()) {
        if (const auto messages = value.find("messages"); messages != value.end() && messages->is_array()) {
            for (const ordered_json& message : *messages) {
                if (message.is_object() && stringField(message, "role") == "user") {
                    task.instruction = stringField(message, "content");
                    break;
                }
            }
        }
    }
    if (task.instruction.empty()) {
        task.instruction = stringField(value, "prompt");
    }
    return task;
}

// Strips "**" emphasis and a leading list number; nullopt when the line has no number.
std::optional<std::string> numberedItem(std::string line) {
    line.erase(std::remove(line.begin(), line.end(), '*'), line.end());
    line = trimmed(line);
    std::size_t position = 0;
    for (const char* prefix : {"Nhiệm vụ", "nhiệm vụ", "Task", "task", "Câu", "#"}) {
        const std::string text(prefix);
        if (line.compare(0, text.size(), text) == 0) {
            position = text.size();
            while (position < line.size() && line[position] == ' ') ++position;
            break;
        }
    }
    const std::size_t digits_begin = position;
    while (position < line.size() && position - digits_begin < 4 && line[position] >= '0' &&
           line[position] <= '9') {
        ++position;
    }
    if (position == digits_begin || position >= line.size() ||
        (line[position] != '.' && line[position] != ')' && line[position] != ':')) {
        return std::nullopt;
    }
    return trimmed(line.substr(position + 1));
}

class SelfInstructRun {
public:
    explicit SelfInstructRun(const SelfInstructOptions& options)
        : m_options(options),
          m_client(options.model.client),
          m_index(options.rouge_threshold),
          m_output(options.output_path, data::Format::Messages),
          m_eliminated(options.eliminated_path.empty() ? options.output_path + ".eliminated.jsonl"
                                                       : options.eliminated_path) {}

    ordered_json run() {
        m_seeds = readSeedTasks(m_options.seed_path);
        if (m_seeds.empty()) {
            throw UserError(m_options.seed_path + ": no seed task");
        }
        for (const SeedTask& seed : m_seeds) {
            remember(seed.instruction);
        }
        const std::size_t max_requests =
            m_options.max_requests > 0 ? m_options.max_requests : 2 + m_options.count / 2;
        m_pool_reused = !m_options.pool_path.empty() && std::filesystem::exists(m_options.pool_path);
        if (m_pool_reused) {
            loadPool();
        } else {
            while (m_machine.size() < m_options.count && m_requests < max_requests) {
                generateBatch(std::min(kRequestsPerBatch, max_requests - m_requests));
            }
            if (!m_options.pool_path.empty()) {
                savePool();
            }
        }
        writeGenerationEliminations();
        writeInstances();
        m_output.commit();
        m_eliminated.commit();
        return summary(max_requests);
    }

private:
    struct MachineTask {
        std::string instruction;
        std::size_t request = 0;
    };

    void remember(const std::string& instruction) {
        m_seen.insert(dedupKey(instruction));
        m_index.add(rougeTokens(instruction));
    }

    std::vector<std::string> examplesFor(std::size_t request) const {
        SeededSequence sequence(m_options.model.seed, "examples:" + std::to_string(request));
        const std::size_t machine_count =
            m_machine.size() >= m_options.machine_examples ? m_options.machine_examples : 0;
        std::vector<std::string> examples;
        for (const std::size_t i : sequence.sample(m_seeds.size(), m_options.examples - machine_count)) {
            examples.push_back(m_seeds[i].instruction);
        }
        for (const std::size_t i : sequence.sample(m_machine.size(), machine_count)) {
            examples.push_back(m_machine[i].instruction);
        }
        return examples;
    }

    void generateBatch(std::size_t size) {
        throwIfCancelled(m_options.model);
        std::vector<net::ChatRequest> requests;
        for (std::size_t i = 0; i < size; ++i) {
            requests.push_back(taskGenerationRequest(examplesFor(m_requests + i), m_options.model));
        }
        std::vector<net::ChatResult> results(size);
        m_client.completeAll(requests, [&](std::size_t index, net::ChatResult&& result) {
            results[index] = std::move(result);
        });
        for (std::size_t i = 0; i < size; ++i) {
            consider(results[i], m_requests + i);
        }
        m_requests += size;
        report("instructions", m_requests, 0);
    }

    void consider(const net::ChatResult& result, std::size_t request) {
        requireAvailable(result, m_client);
        const std::string id = "request:" + std::to_string(request);
        if (result.status != net::ChatStatus::Ok) {
            reject(id, "endpoint-rejected", result.error, "");
            return;
        }
        std::vector<std::string> items = parseNumberedList(text::toNfc(result.content));
        if (result.finish_reason == "length" && !items.empty()) {
            reject(id + ":" + std::to_string(items.size() - 1), "truncated", "", items.back());
            items.pop_back();
        }
        for (std::size_t k = 0; k < items.size() && m_machine.size() < m_options.count; ++k) {
            ++m_candidates;
            const std::string item_id = id + ":" + std::to_string(k);
            const std::string& instruction = items[k];
            if (const std::string problem =
                    instructionProblem(instruction, m_options.min_words, m_options.max_words);
                !problem.empty()) {
                reject(item_id, problem, "", instruction);
                continue;
            }
            if (m_seen.count(dedupKey(instruction)) > 0) {
                reject(item_id, "duplicate", "", instruction);
                continue;
            }
            double score = 0;
            const long long similar = m_index.findSimilar(rougeTokens(instruction), &score);
            if (similar >= 0) {
                reject(item_id, "similar", "ROUGE-L " + std::to_string(score) + " with: " + keptText(similar),
                       instruction);
                continue;
            }
            remember(instruction);
            m_machine.push_back({instruction, request});
        }
    }

    std::string keptText(long long index) const {
        const std::size_t i = static_cast<std::size_t>(index);
        return i < m_seeds.size() ? m_seeds[i].instruction : m_machine[i - m_seeds.size()].instruction;
    }

    void writeInstances() {
        std::vector<std::size_t> tasks;
        for (std::size_t i = 0; i < m_machine.size(); ++i) {
            if (inHashShard(taskId(i), m_options.model.shard)) {
                tasks.push_back(i);
            }
        }
        const std::size_t batch = std::max<std::size_t>(1, m_options.model.batch_items);
        for (std::size_t begin = 0; begin < tasks.size(); begin += batch) {
            throwIfCancelled(m_options.model);
            const std::size_t end = std::min(tasks.size(), begin + batch);
            std::vector<net::ChatRequest> requests;
            for (std::size_t k = begin; k < end; ++k) {
                requests.push_back(instanceRequest(m_machine[tasks[k]].instruction, m_options.model));
            }
            std::vector<net::ChatResult> results(requests.size());
            m_client.completeAll(requests, [&](std::size_t index, net::ChatResult&& result) {
                results[index] = std::move(result);
            });
            for (std::size_t k = begin; k < end; ++k) {
                writeInstance(tasks[k], results[k - begin]);
            }
            report("instances", end, tasks.size());
        }
    }

    std::string taskId(std::size_t i) const { return m_options.source + ":" + std::to_string(i); }

    void writeInstance(std::size_t i, const net::ChatResult& result) {
        requireAvailable(result, m_client);
        const MachineTask& task = m_machine[i];
        const std::string id = taskId(i);
        if (result.status != net::ChatStatus::Ok || result.finish_reason == "length") {
            reject(id, result.status != net::ChatStatus::Ok ? "endpoint-rejected" : "truncated", result.error,
                   task.instruction);
            return;
        }
        const SeedTask instance = parseInstance(task.instruction, text::toNfc(result.content));
        if (instance.output.empty()) {
            reject(id, "empty-output", result.content, task.instruction);
            return;
        }
        data::Conversation conversation;
        const std::string user =
            instance.input.empty() ? instance.instruction : instance.instruction + "\n\n" + instance.input;
        conversation.messages = {{data::Role::User, user}, {data::Role::Assistant, instance.output}};
        conversation.provenance.source = m_options.source;
        conversation.provenance.licence = m_options.licence;
        conversation.provenance.original_id = id;
        conversation.provenance.transformations = {"self-instruct:" + m_options.model.client.model};
        conversation.metadata["self_instruct"] = {{"instruction", instance.instruction},
                                                  {"input", instance.input},
                                                  {"request", task.request},
                                                  {"model", m_options.model.client.model}};
        m_output.write(conversation);
    }

    // Generation-phase eliminations wait for the pool (every shard writes its share of them);
    // instance-phase ones belong to the shard that made the call.
    void reject(const std::string& id, const std::string& reason, const std::string& detail,
                const std::string& instruction) {
        ordered_json entry =
            eliminatedEntry(id, {reason}, shortened(detail, 600), {{"instruction", instruction}});
        if (m_generating) {
            m_generation_eliminated.push_back(std::move(entry));
            return;
        }
        ++m_reasons[reason];
        m_eliminated.write(entry);
    }

    void writeGenerationEliminations() {
        m_generating = false;
        for (const ordered_json& entry : m_generation_eliminated) {
            if (inHashShard(jsonString(entry, "id"), m_options.model.shard)) {
                ++m_reasons[entry["reasons"].front().get_ref<const std::string&>()];
                m_eliminated.write(entry);
            }
        }
    }

    // What the pool depends on: a pool made otherwise is refused rather than silently reused.
    ordered_json poolSettings() const {
        std::string seeds;
        for (const SeedTask& seed : m_seeds) seeds += seed.instruction + '\n';
        return {{"seeds_hash", std::to_string(hashBytes(seeds))},
                {"count", m_options.count},
                {"max_requests", m_options.max_requests},
                {"examples", m_options.examples},
                {"machine_examples", m_options.machine_examples},
                {"rouge_threshold", m_options.rouge_threshold},
                {"min_words", m_options.min_words},
                {"max_words", m_options.max_words},
                {"model", m_options.model.client.model},
                {"temperature", m_options.model.temperature},
                {"max_tokens", m_options.model.max_tokens},
                {"seed", m_options.model.seed}};
    }

    // Writes the pool to a file of its own, then links it into place: when another shard linked
    // its pool first, that one is used, so that every shard splits the same pool.
    void savePool() {
        std::random_device random;
        const std::string candidate = m_options.pool_path + ".candidate-" + std::to_string(random());
        AtomicFileWriter writer(candidate);
        writer.stream() << ordered_json({{"format", kPoolFormat},
                                         {"settings", poolSettings()},
                                         {"generation_requests", m_requests},
                                         {"candidates", m_candidates}})
                               .dump()
                        << '\n';
        for (const MachineTask& task : m_machine) {
            writer.stream()
                << ordered_json({{"instruction", task.instruction}, {"request", task.request}}).dump()
                << '\n';
        }
        for (const ordered_json& entry : m_generation_eliminated) {
            writer.stream() << ordered_json({{"eliminated", entry}}).dump() << '\n';
        }
        writer.commit();
        std::error_code error;
        std::filesystem::create_hard_link(candidate, m_options.pool_path, error);
        std::filesystem::remove(candidate);
        if (error) {
            if (!std::filesystem::exists(m_options.pool_path)) {
                throw UserError(m_options.pool_path + ": cannot write the pool (" + error.message() + ")");
            }
            m_machine.clear();
            m_generation_eliminated.clear();
            m_pool_reused = true;
            loadPool();
        }
    }

    void loadPool() {
        const std::string& path = m_options.pool_path;
        const ordered_json settings = poolSettings();
        forEachJsonObjectLine(path, [&](const ordered_json& value, std::size_t line) {
            const ordered_json* eliminated = jsonField(value, "eliminated");
            const ordered_json* instruction = jsonField(value, "instruction");
            if (line == 1) {
                const ordered_json* pool_settings = jsonField(value, "settings");
                if (jsonString(value, "format") != kPoolFormat || pool_settings == nullptr) {
                    throw UserError(locatedMessage(path, line, "not a self-instruct pool"));
                }
                for (const auto& [key, wanted] : settings.items()) {
                    const ordered_json* found = jsonField(*pool_settings, key.c_str());
                    if (found == nullptr || found->dump() != wanted.dump()) {
                        throw UserError(path + ": the pool was made with another " + key +
                                        " (or other seeds); delete it or give another --pool");
                    }
                }
                m_requests = jsonUnsigned(value, "generation_requests", 0);
                m_candidates = jsonUnsigned(value, "candidates", 0);
            } else if (eliminated != nullptr && eliminated->is_object()) {
                m_generation_eliminated.push_back(*eliminated);
            } else if (instruction != nullptr && instruction->is_string()) {
                m_machine.push_back(
                    {instruction->get_ref<const std::string&>(), jsonUnsigned(value, "request", 0)});
            } else {
                throw UserError(locatedMessage(path, line, "not a pool entry"));
            }
        });
    }

    void report(const std::string& stage, std::size_t done, std::size_t total) const {
        if (!m_options.model.on_progress) {
            return;
        }
        GenerationProgress progress;
        progress.stage = stage;
        progress.done = done;
        progress.total = total;
        progress.written = m_output.count();
        progress.eliminated = m_eliminated.count();
        progress.usage = m_client.totals();
        m_options.model.on_progress(progress);
    }

    ordered_json summary(std::size_t max_requests) const {
        ordered_json reasons = ordered_json::object();
        for (const auto& [reason, count] : m_reasons) reasons[reason] = count;
        return {{"step", "self-instruct"},
                {"seed_tasks", m_seeds.size()},
                {"generation_requests", m_requests},
                {"candidates", m_candidates},
                {"instructions_kept", m_machine.size()},
                {"kept", m_output.count()},
                {"eliminated", m_eliminated.count()},
                {"reasons", reasons},
                {"rouge_lcs_computations", m_index.lcsComputations()},
                {"pool", m_options.pool_path},
                {"pool_reused", m_pool_reused},
                {"shard", std::to_string(m_options.model.shard.index) + "/" +
                              std::to_string(m_options.model.shard.count)},
                {"usage", usageJson(m_client.totals())},
                {"options",
                 {{"count", m_options.count},
                  {"max_requests", max_requests},
                  {"examples", m_options.examples},
                  {"machine_examples", m_options.machine_examples},
                  {"rouge_threshold", m_options.rouge_threshold},
                  {"min_words", m_options.min_words},
                  {"max_words", m_options.max_words},
                  {"temperature", m_options.model.temperature},
                  {"seed", m_options.model.seed}}}};
    }

    const SelfInstructOptions& m_options;
    net::ChatClient m_client;
    RougeIndex m_index;  ///< seeds first, then machine tasks, in the order kept
    RecordOutput m_output;
    JsonLinesOutput m_eliminated;
    std::vector<SeedTask> m_seeds;
    std::vector<MachineTask> m_machine;
    std::set<std::string> m_seen;
    std::size_t m_requests = 0;
    std::size_t m_candidates = 0;
    std::map<std::string, std::size_t> m_reasons;
    bool m_generating = true;
    bool m_pool_reused = false;
    std::vector<ordered_json> m_generation_eliminated;
};

}  // namespace

std::vector<SeedTask> readSeedTasks(const std::string& path) {
    std::vector<SeedTask> tasks;
    forEachJsonObjectLine(path, [&](const ordered_json& value, std::size_t line_number) {
        SeedTask task = seedFromJson(value);
        if (trimmed(task.instruction).empty()) {
            throw UserError(locatedMessage(
                path, line_number, "no instruction (expected \"instruction\", \"messages\" or \"prompt\")"));
        }
        task.instruction = trimmed(text::toNfc(task.instruction));
        tasks.push_back(std::move(task));
    });
    return tasks;
}

std::vector<std::string> parseNumberedList(const std::string& text) {
    std::vector<std::string> items;
    bool open = false;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string line = trimmed(text.substr(start, end - start));
        start = end + 1;
        if (line.empty()) {
            open = false;
        } else if (std::optional<std::string> item = numberedItem(line)) {
            items.push_back(std::move(*item));
            open = true;
        } else if (open) {
            items.back() += (items.back().empty() ? "" : " ") + line;
        }
    }
    items.erase(
        std::remove_if(items.begin(), items.end(), [](const std::string& item) { return item.empty(); }),
        items.end());
    return items;
}

std::string instructionProblem(const std::string& instruction, std::size_t min_words, std::size_t max_words) {
    const std::size_t words = wordCount(instruction);
    if (words < min_words) return "too-short";
    if (words > max_words) return "too-long";
    const std::vector<text::SyllableToken> syllables = text::splitSyllables(instruction);
    if (syllables.empty() || syllables.front().byte_begin != 0) return "starts-with-punctuation";
    const std::vector<std::string> tokens = rougeTokens(instruction);
    for (const std::string& keyword : kBlacklist) {
        if (containsSequence(tokens, rougeTokens(keyword))) return "blacklist";
    }
    if (startsWithTokens(tokens, rougeTokens("viết chương trình")) ||
        startsWithTokens(tokens, rougeTokens("write a program"))) {
        return "program";
    }
    if (instruction.size() >= kLangMinBytes) {
        const text::LanguageGuess guess = text::identifyLanguage(instruction);
        if (guess.lang != "vi" && guess.lang != "und") return "lang";
    }
    return {};
}

SeedTask parseInstance(const std::string& instruction, const std::string& reply) {
    SeedTask task{instruction, {}, trimmed(reply)};
    const std::vector<std::string> input_labels = {"Đầu vào:", "Input:"};
    const std::vector<std::string> output_labels = {"Đầu ra:", "Output:"};
    for (const std::string& output_label : output_labels) {
        const std::size_t output_at = reply.find(output_label);
        if (output_at == std::string::npos) {
            continue;
        }
        task.output = trimmed(reply.substr(output_at + output_label.size()));
        for (const std::string& input_label : input_labels) {
            const std::size_t input_at = reply.find(input_label);
            if (input_at != std::string::npos && input_at < output_at) {
                task.input = trimmed(
                    reply.substr(input_at + input_label.size(), output_at - input_at - input_label.size()));
            }
        }
        break;
    }
    const std::string plain = text::stripDiacritics(task.input);
    if (plain == "Khong co" || plain == "Khong co." || plain == "(Khong co)" || plain == "Khong" ||
        plain == "<Khong co>" || plain == "None" || plain == "<noinput>") {
        task.input.clear();
    }
    return task;
}

net::ChatRequest taskGenerationRequest(const std::vector<std::string>& examples,
                                       const ModelStepOptions& options) {
    std::string prompt =
        "Hãy nghĩ ra những nhiệm vụ đa dạng bằng tiếng Việt để giao cho một trợ lý AI. Mỗi nhiệm vụ là một "
        "yêu cầu một hoặc hai câu, trả lời được bằng văn bản (không cần hình ảnh, tệp hay truy cập "
        "Internet), "
        "thuộc nhiều loại khác nhau: câu hỏi mở, phân loại, viết lại, sáng tác, giải thích, lập kế hoạch, "
        "tính toán... Các ví dụ:\n\n";
    for (std::size_t i = 0; i < examples.size(); ++i) {
        prompt += std::to_string(i + 1) + ". " + examples[i] + "\n";
    }
    const std::size_t first = examples.size() + 1;
    prompt += "\nHãy viết tiếp " + std::to_string(examples.size()) +
              " nhiệm vụ mới, khác hẳn các ví dụ, đánh số từ " + std::to_string(first) + " đến " +
              std::to_string(first + examples.size() - 1) + ", mỗi nhiệm vụ một dòng.";
    return stepRequest({{"user", prompt}}, options);
}

net::ChatRequest instanceRequest(const std::string& instruction, const ModelStepOptions& options) {
    return stepRequest(
        {{"system", "Bạn là một trợ lý AI hữu ích. Luôn trả lời bằng tiếng Việt."},
         {"user",
          "Hãy thực hiện nhiệm vụ dưới đây. Nếu nhiệm vụ cần dữ liệu đầu vào (ví dụ một đoạn văn cần tóm tắt "
          "hay một danh sách cần sắp xếp), hãy tự tạo một đầu vào phù hợp và thực tế. Trả lời đúng theo "
          "mẫu:\n"
          "Đầu vào: <đầu vào, hoặc \"Không có\">\nĐầu ra: <kết quả>\n\nNhiệm vụ: " +
              instruction}},
        options);
}

nlohmann::ordered_json runSelfInstruct(const SelfInstructOptions& options) {
    if (options.examples == 0 || options.machine_examples > options.examples) {
        throw UserError("--examples must be at least 1 and at least --machine-examples");
    }
    if (options.model.shard.count > 1 && options.pool_path.empty()) {
        throw UserError(
            "--shard: self-instruct needs --pool FILE, one instruction pool that every shard "
            "splits");
    }
    SelfInstructRun run(options);
    return run.run();
}

}  // namespace vietllm::databuild
