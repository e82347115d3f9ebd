#include "backend/train/train_config.h"

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/runs/training_presets.h"
#include "backend/sample/devices.h"
#include "backend/weights/lora_targets.h"
#include "backend/weights/model_config.h"
#include "backend/weights/tensor_layout.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace vietllm::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Reads one JSON object's keys against a fixed set, so that a typo is an error, not a silent default.
class ObjectReader {
public:
    ObjectReader(const json& object, std::string path, const std::string& source)
        : m_object(object), m_path(std::move(path)), m_source(source) {
        if (!m_object.is_object()) {
            fail(m_path, "must be an object");
        }
    }

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw UserError(m_source + ": " + path + ": " + what);
    }

    std::string childPath(const std::string& key) const { return m_path + "." + key; }

    const json* find(const std::string& key) {
        m_known.insert(key);
        const auto found = m_object.find(key);
        return found == m_object.end() ? nullptr : &*found;
    }

    void integer(const std::string& key, std::int64_t& out, std::int64_t minimum) {
        const json* value = find(key);
        if (value == nullptr) return;
        if (!value->is_number_integer()) fail(childPath(key), "must be an integer");
        out = value->get<std::int64_t>();
        if (out < minimum) fail(childPath(key), "must be at least " + std::to_string(minimum));
    }

    void number(const std::string& key, double& out, double minimum, double maximum) {
        const json* value = find(key);
        if (value == nullptr) return;
        if (!value->is_number()) fail(childPath(key), "must be a number");
        out = value->get<double>();
        if (!(out >= minimum && out <= maximum)) {
            std::ostringstream range;
            range << "must be between " << minimum << " and " << maximum;
            fail(childPath(key), range.str());
        }
    }

    void boolean(const std::string& key, bool& out) {
        const json* value = find(key);
        if (value == nullptr) return;
        if (!value->is_boolean()) fail(childPath(key), "must be true or false");
        out = value->get<bool>();
    }

    std::optional<std::string> string(const std::string& key) {
        const json* value = find(key);
        if (value == nullptr) return std::nullopt;
        if (!value->is_string()) fail(childPath(key), "must be a string");
        return value->get<std::string>();
    }

    std::string requiredString(const std::string& key) {
        std::optional<std::string> value = string(key);
        if (!value || value->empty()) fail(childPath(key), "is required (a non-empty string)");
        return *value;
    }

    std::vector<std::string> stringList(const std::string& key, const json& value) const {
        if (!value.is_array()) fail(childPath(key), "must be a list of strings");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (!value[i].is_string()) {
                fail(childPath(key) + "[" + std::to_string(i) + "]", "must be a string");
            }
            out.push_back(value[i].get<std::string>());
        }
        return out;
    }

    // Call last: any key no reader asked for is unknown.
    void rejectUnknown() const {
        for (auto item = m_object.begin(); item != m_object.end(); ++item) {
            if (m_known.count(item.key()) == 0) {
                fail(childPath(item.key()), "unknown key");
            }
        }
    }

private:
    const json& m_object;
    std::string m_path;
    const std::string& m_source;
    std::set<std::string> m_known;
};

std::string resolve(const std::string& path, const std::string& source) {
    if (path.empty() || fs::path(path).is_absolute()) return path;
    return (fs::path(source).parent_path() / path).lexically_normal().string();
}

DataConfig parseData(ObjectReader& top, const std::string& source) {
    const json* value = top.find("data");
    if (value == nullptr) top.fail("$.data", "is required (an object with \"train\" files)");
    ObjectReader reader(*value, "$.data", source);
    DataConfig data;
    const json* train = reader.find("train");
    if (train == nullptr) reader.fail("$.data.train", "is required (a list of files)");
    data.train_files = reader.stringList("train", *train);
    if (data.train_files.empty()) reader.fail("$.data.train", "must name at least one file");
    if (const json* eval = reader.find("eval"); eval != nullptr && !eval->is_null()) {
        data.eval_files = reader.stringList("eval", *eval);
    }
    reader.number("eval_fraction", data.eval_fraction, 0.0, 0.5);
    data.format = reader.string("format").value_or("auto");
    if (data.format != "auto" && data::parseFormat(data.format) == data::Format::Invalid) {
        reader.fail("$.data.format",
                    "unknown format '" + data.format + "' (auto, " + data::formatNameList() + ")");
    }
    reader.rejectUnknown();
    for (std::string& file : data.train_files) file = resolve(file, source);
    for (std::string& file : data.eval_files) file = resolve(file, source);
    return data;
}

std::optional<LoraConfig> parseLora(ObjectReader& top, const std::string& source) {
    const json* value = top.find("lora");
    if (value == nullptr || value->is_null()) return std::nullopt;
    ObjectReader reader(*value, "$.lora", source);
    LoraConfig lora;
    reader.integer("rank", lora.rank, 1);
    reader.number("alpha", lora.alpha, 1e-6, 1e6);
    reader.number("dropout", lora.dropout, 0.0, 0.9);
    if (const json* targets = reader.find("target_modules"); targets != nullptr) {
        lora.target_modules = reader.stringList("target_modules", *targets);
        if (lora.target_modules.empty())
            reader.fail("$.lora.target_modules", "must name at least one module");
    }
    reader.rejectUnknown();
    return lora;
}

OptimizerConfig parseOptimizer(ObjectReader& top, const std::string& source) {
    OptimizerConfig optimizer;
    const json* value = top.find("optimizer");
    if (value == nullptr) return optimizer;
    ObjectReader reader(*value, "$.optimizer", source);
    reader.number("lr", optimizer.lr, 0.0, 10.0);
    reader.number("weight_decay", optimizer.weight_decay, 0.0, 10.0);
    reader.number("eps", optimizer.eps, 0.0, 1.0);
    if (const json* betas = reader.find("betas"); betas != nullptr) {
        if (!betas->is_array() || betas->size() != 2 || !(*betas)[0].is_number() ||
            !(*betas)[1].is_number()) {
            reader.fail("$.optimizer.betas", "must be a list of two numbers");
        }
        optimizer.beta1 = (*betas)[0].get<double>();
        optimizer.beta2 = (*betas)[1].get<double>();
        if (optimizer.beta1 < 0.0 || optimizer.beta1 >= 1.0 || optimizer.beta2 < 0.0 ||
            optimizer.beta2 >= 1.0) {
            reader.fail("$.optimizer.betas", "each beta must be in [0, 1)");
        }
    }
    reader.rejectUnknown();
    return optimizer;
}

ScheduleConfig parseSchedule(ObjectReader& top, const std::string& source) {
    ScheduleConfig schedule;
    const json* value = top.find("schedule");
    if (value == nullptr) return schedule;
    ObjectReader reader(*value, "$.schedule", source);
    if (std::optional<std::string> kind = reader.string("kind")) {
        static const std::map<std::string, ScheduleKind> kinds = {{"cosine", ScheduleKind::Cosine},
                                                                  {"linear", ScheduleKind::Linear},
                                                                  {"constant", ScheduleKind::Constant}};
        const auto found = kinds.find(*kind);
        if (found == kinds.end()) reader.fail("$.schedule.kind", "must be cosine, linear or constant");
        schedule.kind = found->second;
    }
    reader.integer("warmup_steps", schedule.warmup_steps, 0);
    reader.number("warmup_ratio", schedule.warmup_ratio, 0.0, 1.0);
    reader.number("min_lr_ratio", schedule.min_lr_ratio, 0.0, 1.0);
    reader.rejectUnknown();
    return schedule;
}

// The "dpo" section (only read for method dpo; other methods reject it as an unknown key).
DpoConfig parseDpo(ObjectReader& top, const std::string& source) {
    DpoConfig dpo;
    const json* value = top.find("dpo");
    if (value == nullptr) return dpo;
    ObjectReader reader(*value, "$.dpo", source);
    reader.number("beta", dpo.beta, 1e-6, 100.0);
    reader.number("label_smoothing", dpo.label_smoothing, 0.0, 0.49);
    reader.rejectUnknown();
    return dpo;
}

// The "rl" section (required for method rl, whose reward model it names; other methods reject it as
// an unknown key).
RlConfig parseRl(ObjectReader& top, const std::string& source) {
    const json* value = top.find("rl");
    if (value == nullptr) top.fail("$.rl", "is required for method rl (an object with \"reward_model\")");
    ObjectReader reader(*value, "$.rl", source);
    RlConfig rl;
    rl.reward_model_dir = resolve(reader.requiredString("reward_model"), source);
    reader.integer("samples_per_prompt", rl.samples_per_prompt, 2);
    reader.integer("max_new_tokens", rl.max_new_tokens, 1);
    reader.number("temperature", rl.temperature, 0.01, 10.0);
    reader.number("top_p", rl.top_p, 1e-6, 1.0);
    reader.number("kl_coef", rl.kl_coef, 0.0, 100.0);
    reader.rejectUnknown();
    return rl;
}

const char* scheduleName(ScheduleKind kind) {
    switch (kind) {
        case ScheduleKind::Linear:
            return "linear";
        case ScheduleKind::Constant:
            return "constant";
        default:
            return "cosine";
    }
}

std::int64_t countLayoutParameters(const weights::ModelConfig& model) {
    std::int64_t total = 0;
    for (const weights::TensorSpec& spec : weights::tensorLayout(model)) {
        if (spec.optional && spec.role == weights::TensorRole::LmHead && model.tie_word_embeddings) continue;
        std::int64_t count = 1;
        for (const std::int64_t dim : spec.shape) count *= dim;
        total += count;
    }
    return total;
}

std::int64_t loraParameters(const LoraConfig& lora, const weights::ModelConfig& model) {
    return weights::countLoraParameters(model, lora.rank, lora.target_modules);
}

std::int64_t availableMemoryBytes() {
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::int64_t kib = 0;
    std::string unit;
    while (meminfo >> key >> kib >> unit) {
        if (key == "MemAvailable:") return kib * 1024;
    }
    return 0;
}

// A digits-only environment variable's value (at most 6 digits); nothing when unset, -1 when it is
// something else.
std::optional<int> environmentCount(const char* name) {
    const char* text = std::getenv(name);
    if (text == nullptr) return std::nullopt;
    const std::string value(text);
    const bool digits =
        !value.empty() && value.size() <= 6 && value.find_first_not_of("0123456789") == std::string::npos;
    return digits ? std::stoi(value) : -1;
}

// The processes on this host whose replicas share its memory: torchrun's LOCAL_WORLD_SIZE (which
// `vietllm-cli train --nproc-per-node` sets too), 1 when unset.
int processesOnThisHost() {
    const std::optional<int> count = environmentCount("LOCAL_WORLD_SIZE");
    if (count && *count < 1) {
        throw UserError(std::string("environment variable LOCAL_WORLD_SIZE='") +
                        std::getenv("LOCAL_WORLD_SIZE") +
                        "': expected a positive integer (the processes on this host)");
    }
    return count.value_or(1);
}

std::string gibText(std::int64_t bytes) {
    std::ostringstream text;
    text.precision(1);
    text << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0) << " GiB";
    return text.str();
}

// The methods this build trains, with their names.
const std::vector<std::pair<Method, std::string>>& methodNames() {
    static const std::vector<std::pair<Method, std::string>> names = {
        {Method::Sft, "sft"}, {Method::RewardModel, "rm"}, {Method::Dpo, "dpo"}, {Method::Rl, "rl"}};
    return names;
}

}  // namespace

std::string methodName(Method method) {
    for (const auto& [known, name] : methodNames()) {
        if (known == method) return name;
    }
    return "invalid";
}

Method parseMethodName(const std::string& name) {
    for (const auto& [method, known] : methodNames()) {
        if (known == name) return method;
    }
    return Method::Invalid;
}

std::string methodNameList() {
    std::string out;
    for (const auto& [method, name] : methodNames()) out += (out.empty() ? "" : ", ") + name;
    return out;
}

TrainConfig parseTrainConfig(const json& value, const std::string& source) {
    ObjectReader reader(value, "$", source);
    TrainConfig config;
    config.source = source;
    const std::string method = reader.requiredString("method");
    config.method = parseMethodName(method);
    if (config.method == Method::Invalid)
        reader.fail("$.method",
                    "unknown method '" + method + "' (this version trains: " + methodNameList() + ")");
    config.model_dir = resolve(reader.requiredString("model"), source);
    config.output_dir = resolve(reader.requiredString("output_dir"), source);
    config.data = parseData(reader, source);
    config.chat_template = reader.string("template").value_or("auto");
    config.lora = parseLora(reader, source);
    reader.integer("max_seq_len", config.max_seq_len, 8);
    reader.boolean("packing", config.packing);
    reader.boolean("gradient_checkpointing", config.gradient_checkpointing);
    reader.integer("micro_batch_size", config.micro_batch_size, 1);
    reader.integer("gradient_accumulation", config.gradient_accumulation, 1);
    reader.integer("epochs", config.epochs, 1);
    reader.integer("max_steps", config.max_steps, 0);
    config.optimizer = parseOptimizer(reader, source);
    config.schedule = parseSchedule(reader, source);
    reader.number("max_grad_norm", config.max_grad_norm, 0.0, 1e9);
    if (std::optional<std::string> dtype = reader.string("dtype")) {
        if (*dtype == "fp32") {
            config.dtype = TrainDType::Float32;
        } else if (*dtype == "bf16") {
            config.dtype = TrainDType::BFloat16;
        } else {
            reader.fail("$.dtype", "must be fp32 or bf16");
        }
    }
    if (std::optional<std::string> device = reader.string("device")) {
        if (*device == "cpu") {
            config.device = TrainDevice::Cpu;
        } else if (*device == "cuda") {
            config.device = TrainDevice::Cuda;
        } else if (device->compare(0, 5, "cuda:") == 0 && device->size() > 5 && device->size() <= 8 &&
                   device->find_first_not_of("0123456789", 5) == std::string::npos) {
            config.device = TrainDevice::Cuda;
            config.device_index = std::stoi(device->substr(5));
        } else {
            reader.fail("$.device", "must be cpu, cuda or cuda:N");
        }
    }
    reader.number("peak_tflops", config.peak_tflops, 0.0, 1e6);
    std::int64_t seed = static_cast<std::int64_t>(config.seed);
    reader.integer("seed", seed, 0);
    config.seed = static_cast<std::uint64_t>(seed);
    reader.integer("log_every_steps", config.log_every_steps, 1);
    reader.integer("eval_every_steps", config.eval_every_steps, 0);
    reader.integer("save_every_steps", config.save_every_steps, 0);
    reader.integer("keep_checkpoints", config.keep_checkpoints, 1);
    if (config.method == Method::Dpo) config.dpo = parseDpo(reader, source);
    if (config.method == Method::Rl) config.rl = parseRl(reader, source);
    reader.rejectUnknown();
    return config;
}

TrainConfig loadTrainConfig(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError(path + ": cannot open the training config");
    json value;
    try {
        value = json::parse(in);
    } catch (const json::exception& error) {
        throw UserError(path + ": not valid JSON: " + error.what());
    }
    return parseTrainConfig(value, path);
}

nlohmann::ordered_json TrainConfig::toJson() const {
    nlohmann::ordered_json out;
    out["method"] = methodName(method);
    out["model"] = model_dir;
    out["output_dir"] = output_dir;
    out["data"] = {{"train", data.train_files},
                   {"eval", data.eval_files.empty() ? nlohmann::ordered_json(nullptr)
                                                    : nlohmann::ordered_json(data.eval_files)},
                   {"eval_fraction", data.eval_fraction},
                   {"format", data.format}};
    out["template"] = chat_template;
    if (lora) {
        out["lora"] = {{"rank", lora->rank}, {"alpha", lora->alpha}, {"dropout", lora->dropout}};
        if (!lora->target_modules.empty()) out["lora"]["target_modules"] = lora->target_modules;
    } else {
        out["lora"] = nullptr;
    }
    out["max_seq_len"] = max_seq_len;
    out["packing"] = packing;
    out["gradient_checkpointing"] = gradient_checkpointing;
    out["micro_batch_size"] = micro_batch_size;
    out["gradient_accumulation"] = gradient_accumulation;
    out["epochs"] = epochs;
    out["max_steps"] = max_steps;
    out["optimizer"] = {{"lr", optimizer.lr},
                        {"weight_decay", optimizer.weight_decay},
                        {"betas", {optimizer.beta1, optimizer.beta2}},
                        {"eps", optimizer.eps}};
    out["schedule"] = {{"kind", scheduleName(schedule.kind)},
                       {"warmup_steps", schedule.warmup_steps},
                       {"warmup_ratio", schedule.warmup_ratio},
                       {"min_lr_ratio", schedule.min_lr_ratio}};
    out["max_grad_norm"] = max_grad_norm;
    out["dtype"] = dtype == TrainDType::BFloat16 ? "bf16" : "fp32";
    out["device"] = device == TrainDevice::Cpu ? "cpu"
                    : device_index >= 0        ? "cuda:" + std::to_string(device_index)
                                               : "cuda";
    out["peak_tflops"] = peak_tflops;
    out["seed"] = seed;
    out["log_every_steps"] = log_every_steps;
    out["eval_every_steps"] = eval_every_steps;
    out["save_every_steps"] = save_every_steps;
    out["keep_checkpoints"] = keep_checkpoints;
    if (method == Method::Dpo) out["dpo"] = {{"beta", dpo.beta}, {"label_smoothing", dpo.label_smoothing}};
    if (method == Method::Rl) {
        out["rl"] = {{"reward_model", rl.reward_model_dir},
                     {"samples_per_prompt", rl.samples_per_prompt},
                     {"max_new_tokens", rl.max_new_tokens},
                     {"temperature", rl.temperature},
                     {"top_p", rl.top_p},
                     {"kl_coef", rl.kl_coef}};
    }
    return out;
}

nlohmann::ordered_json MemoryEstimate::toJson() const {
    return {{"parameters", parameters},
            {"trainable_parameters", trainable_parameters},
            {"weights_bytes", weights_bytes},
            {"gradients_bytes", gradients_bytes},
            {"optimizer_bytes", optimizer_bytes},
            {"activations_bytes", activations_bytes},
            {"total_bytes", total_bytes},
            {"processes", processes},
            {"device", device},
            {"available_bytes", available_bytes},
            {"fits", available_bytes == 0 || total_bytes * processes <= available_bytes}};
}

std::string runDeviceName(const TrainConfig& config, int local_rank) {
    if (config.device != TrainDevice::Cuda) return "cpu";
    return "cuda:" + std::to_string(config.device_index >= 0 ? config.device_index : local_rank);
}

std::int64_t trainableParameterCount(const TrainConfig& config) {
    const weights::ModelConfig model = weights::loadModelConfig(config.model_dir);
    return config.lora ? loraParameters(*config.lora, model) : countLayoutParameters(model);
}

MemoryEstimate estimateMemory(const TrainConfig& config) {
    const weights::ModelConfig model = weights::loadModelConfig(config.model_dir);
    MemoryEstimate estimate;
    estimate.parameters = countLayoutParameters(model);
    estimate.trainable_parameters = config.lora ? loraParameters(*config.lora, model) : estimate.parameters;
    // The Training panel's formula (runs::estimateTrainingMemory), so the panel and the trainer agree.
    runs::TrainingShape shape;
    shape.lora = config.lora.has_value();
    if (config.lora) {
        shape.lora_rank = static_cast<int>(config.lora->rank);
        shape.target_modules = config.lora->target_modules;
    }
    shape.micro_batch_size = static_cast<int>(config.micro_batch_size);
    shape.max_seq_len = static_cast<int>(config.max_seq_len);
    shape.compute_bytes = runs::trainingComputeBytes(config.device == TrainDevice::Cuda ? "cuda" : "cpu",
                                                     config.dtype == TrainDType::BFloat16 ? "bf16" : "fp32");
    shape.activation_checkpointing = config.gradient_checkpointing;
    shape.sequences_per_example = config.method == Method::Dpo || config.method == Method::RewardModel ? 2
                                  : config.method == Method::Rl
                                      ? static_cast<int>(config.rl.samples_per_prompt)
                                      : 1;
    shape.score_head = config.method == Method::RewardModel;
    if (config.method == Method::Rl) {
        shape.frozen_reference = true;
        // checkTrainConfig names a missing reward model; the estimate alone leaves it out.
        if (fs::is_regular_file(fs::path(config.rl.reward_model_dir) / "config.json")) {
            shape.reward_model_parameters =
                runs::countParameters(weights::loadModelConfig(config.rl.reward_model_dir));
        }
    }
    const runs::MemoryEstimate bytes = runs::estimateTrainingMemory(model, shape);
    estimate.weights_bytes = bytes.weights_bytes;
    estimate.gradients_bytes = bytes.gradients_bytes;
    estimate.optimizer_bytes = bytes.optimizer_bytes;
    estimate.activations_bytes = bytes.activations_bytes;
    estimate.total_bytes = bytes.total_bytes;
    // A plain "cuda" run takes LOCAL_RANK's GPU; a bad LOCAL_RANK is the data-parallel setup's error.
    const std::optional<int> local_rank = environmentCount("LOCAL_RANK");
    estimate.device = runDeviceName(config, local_rank && *local_rank > 0 ? *local_rank : 0);
    if (config.device == TrainDevice::Cpu) {
        estimate.processes = processesOnThisHost();
        estimate.available_bytes = availableMemoryBytes();
    } else {
        estimate.available_bytes = sample::deviceMemoryBytes(estimate.device);
    }
    return estimate;
}

MemoryEstimate checkTrainConfig(const TrainConfig& config) {
    const std::string& source = config.source;
    const fs::path model_dir(config.model_dir);
    if (!fs::is_regular_file(model_dir / "config.json")) {
        throw UserError(source + ": $.model: '" + config.model_dir +
                        "' is not a model folder (no config.json)");
    }
    if (!fs::exists(model_dir / "model.safetensors") &&
        !fs::exists(model_dir / "model.safetensors.index.json")) {
        throw UserError(source + ": $.model: '" + config.model_dir + "' has no model.safetensors");
    }
    weights::ModelConfig model;
    try {
        model = weights::loadModelConfig(config.model_dir);
    } catch (const UserError& error) {
        throw UserError(source + ": $.model: " + error.what());
    }
    const auto check_files = [&](const std::vector<std::string>& files, const std::string& path) {
        for (std::size_t i = 0; i < files.size(); ++i) {
            if (!fs::is_regular_file(files[i])) {
                throw UserError(source + ": " + path + "[" + std::to_string(i) + "]: no such file '" +
                                files[i] + "'");
            }
        }
    };
    check_files(config.data.train_files, "$.data.train");
    check_files(config.data.eval_files, "$.data.eval");
    if (config.method == Method::Rl &&
        !fs::is_regular_file(fs::path(config.rl.reward_model_dir) / "config.json")) {
        throw UserError(source + ": $.rl.reward_model: '" + config.rl.reward_model_dir +
                        "' is not a model folder (no config.json)");
    }
    if (config.lora) {
        const std::vector<std::string> names = weights::loraModuleNames(model);
        for (std::size_t i = 0; i < config.lora->target_modules.size(); ++i) {
            const std::string& module = config.lora->target_modules[i];
            if (std::find(names.begin(), names.end(), module) == names.end()) {
                throw UserError(source + ": $.lora.target_modules[" + std::to_string(i) +
                                "]: unknown module '" + module + "' for a " + model.model_type + " model (" +
                                weights::loraModuleList(model) + ")");
            }
        }
    }
    const MemoryEstimate estimate = estimateMemory(config);
    const std::int64_t needed = estimate.total_bytes * estimate.processes;
    if (estimate.available_bytes > 0 && needed > estimate.available_bytes) {
        const bool several = estimate.processes > 1;
        const std::string needs = several ? std::to_string(estimate.processes) + " processes x " +
                                                gibText(estimate.total_bytes) + " = " + gibText(needed)
                                          : gibText(needed);
        const std::string has = config.device == TrainDevice::Cuda
                                    ? estimate.device + " has " + gibText(estimate.available_bytes)
                                    : "only " + gibText(estimate.available_bytes) +
                                          " of memory is available" + (several ? " on this host" : "");
        throw UserError(source + ": $.model: training this model needs about " + needs + " but " + has +
                        " (use LoRA, a smaller micro_batch_size or max_seq_len" +
                        (several ? ", or fewer processes" : "") + ")");
    }
    return estimate;
}

}  // namespace vietllm::train
