#include "backend/train/model_files.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/weights/lora_targets.h"
#include "backend/weights/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

namespace vietllm::train {
namespace {

namespace fs = std::filesystem;

void writeJson(const std::string& path, const nlohmann::ordered_json& value) {
    AtomicFileWriter writer(path);
    writer.stream() << value.dump(2) << "\n";
    writer.commit();
}

at::ScalarType sourceType(weights::DType dtype, const std::string& name, const std::string& path) {
    switch (dtype) {
        case weights::DType::F32:
            return at::kFloat;
        case weights::DType::F16:
            return at::kHalf;
        case weights::DType::BF16:
            return at::kBFloat16;
        default:
            throw UserError(path + ": tensor '" + name + "' has dtype " + weights::dtypeName(dtype) +
                            "; adapters must be F32, F16 or BF16");
    }
}

// The PEFT module names that carry adapters in `model` (what adapter_config.json lists).
std::vector<std::string> adaptedModules(const model::Transformer& model) {
    std::vector<std::string> names;
    std::vector<model::LayerWeights>& layers = const_cast<model::Transformer&>(model).layers();
    for (const weights::LoraSite& site : weights::loraSites(model.config())) {
        const model::LoraAdapter* adapter =
            model::loraSlot(layers[static_cast<std::size_t>(site.layer)], site.role);
        if (adapter->a.defined() && std::find(names.begin(), names.end(), site.module) == names.end()) {
            names.push_back(site.module);
        }
    }
    return names;
}

void createFolder(const std::string& dir) {
    std::error_code error;
    fs::create_directories(dir, error);
    if (error) throw UserError(dir + ": cannot create the folder: " + error.message());
}

}  // namespace

void writeTensorFile(const std::string& path, const std::vector<model::NamedTensor>& tensors) {
    std::vector<at::Tensor> owned;
    std::vector<weights::TensorToWrite> to_write;
    owned.reserve(tensors.size());
    for (const model::NamedTensor& named : tensors) {
        owned.push_back(named.tensor.detach().to(at::kCPU, at::kFloat).contiguous());
        to_write.push_back(
            {named.name, weights::DType::F32, owned.back().sizes().vec(), owned.back().data_ptr()});
    }
    weights::writeSafetensors(path, to_write, {{"format", "pt"}});
}

std::map<std::string, at::Tensor> readTensorFile(const std::string& path) {
    const weights::SafetensorsFile file(path);
    std::map<std::string, at::Tensor> out;
    for (const weights::TensorView& view : file.tensors()) {
        const at::ScalarType type = sourceType(view.dtype, view.name, path);
        // The mapping is read-only; the view is cloned before anything could write to it.
        void* data = const_cast<std::uint8_t*>(view.data);
        out[view.name] =
            at::from_blob(data, view.shape, at::TensorOptions().dtype(type)).clone().to(at::kFloat);
    }
    return out;
}

void copyTokenizerFiles(const std::string& from_dir, const std::string& to_dir) {
    for (const char* name : {"tokenizer.json", "tokenizer.model", "tokenizer_config.json",
                             "special_tokens_map.json", "generation_config.json"}) {
        const fs::path source = fs::path(from_dir) / name;
        if (!fs::is_regular_file(source)) continue;
        std::error_code error;
        fs::copy_file(source, fs::path(to_dir) / name, fs::copy_options::overwrite_existing, error);
        if (error) throw UserError((fs::path(to_dir) / name).string() + ": cannot copy: " + error.message());
    }
}

void writeAdapterFolder(const model::Transformer& model, const LoraConfig& lora, const std::string& base_dir,
                        const std::string& out_dir) {
    createFolder(out_dir);
    writeTensorFile((fs::path(out_dir) / "adapter_model.safetensors").string(), model.trainableParameters());
    // The keys PEFT's LoraConfig reads (older PEFT versions reject unknown keys, so no extras).
    nlohmann::ordered_json config;
    config["peft_type"] = "LORA";
    config["task_type"] = "CAUSAL_LM";
    config["base_model_name_or_path"] = fs::absolute(base_dir).lexically_normal().string();
    config["r"] = lora.rank;
    config["lora_alpha"] = lora.alpha;
    config["lora_dropout"] = lora.dropout;
    config["target_modules"] = adaptedModules(model);
    config["bias"] = "none";
    config["fan_in_fan_out"] = false;
    config["inference_mode"] = true;
    config["modules_to_save"] = nullptr;
    config["init_lora_weights"] = true;
    config["use_rslora"] = false;
    writeJson((fs::path(out_dir) / "adapter_config.json").string(), config);
    copyTokenizerFiles(base_dir, out_dir);
}

void loadAdapterFolder(model::Transformer& model, const std::string& adapter_dir) {
    const fs::path config_path = fs::path(adapter_dir) / "adapter_config.json";
    std::ifstream in(config_path);
    if (!in) throw UserError(config_path.string() + ": no adapter_config.json (not a PEFT adapter folder)");
    const nlohmann::json config = nlohmann::json::parse(in, nullptr, false);
    const auto peft_type = config.is_object() ? config.find("peft_type") : config.end();
    if (peft_type == config.end() || *peft_type != "LORA") {
        throw UserError(config_path.string() + ": peft_type must be \"LORA\"");
    }
    if (!config.contains("r") || !config["r"].is_number_integer() || config["r"].get<std::int64_t>() < 1 ||
        !config.contains("lora_alpha") || !config["lora_alpha"].is_number()) {
        throw UserError(config_path.string() + ": needs an integer \"r\" >= 1 and a number \"lora_alpha\"");
    }
    const double scaling = config["lora_alpha"].get<double>() / config["r"].get<double>();
    const std::string weights_path = (fs::path(adapter_dir) / "adapter_model.safetensors").string();
    if (!fs::is_regular_file(weights_path)) throw UserError(weights_path + ": missing");
    const std::map<std::string, at::Tensor> tensors = readTensorFile(weights_path);
    std::vector<model::LayerWeights>& layers = model.layers();
    // Every name PEFT may use for an adapter of this model (with or without the ".default" part).
    std::map<std::string, std::pair<const weights::LoraSite*, bool>> expected;  // name -> site, is A
    const std::vector<weights::LoraSite> sites = weights::loraSites(model.config());
    for (const weights::LoraSite& site : sites) {
        for (const char* part : {"A", "B"}) {
            const std::string prefix = "base_model.model." + site.path + ".lora_" + part;
            expected[prefix + ".weight"] = {&site, part[0] == 'A'};
            expected[prefix + ".default.weight"] = {&site, part[0] == 'A'};
        }
    }
    for (const auto& [name, tensor] : tensors) {
        const auto found = expected.find(name);
        if (found == expected.end()) {
            throw UserError(weights_path + ": tensor '" + name + "' is not a LoRA weight of a " +
                            model.config().model_type + " module (" +
                            weights::loraModuleList(model.config()) + ")");
        }
        const weights::LoraSite& site = *found->second.first;
        model::LoraAdapter* adapter =
            model::loraSlot(layers[static_cast<std::size_t>(site.layer)], site.role);
        (found->second.second ? adapter->a : adapter->b) = tensor;
        adapter->scaling = scaling;
    }
    for (const weights::LoraSite& site : sites) {
        const model::LoraAdapter* adapter =
            model::loraSlot(layers[static_cast<std::size_t>(site.layer)], site.role);
        if (adapter->a.defined() != adapter->b.defined() ||
            (adapter->a.defined() &&
             (adapter->a.dim() != 2 || adapter->b.dim() != 2 || adapter->b.size(1) != adapter->a.size(0) ||
              adapter->a.size(1) != site.in || adapter->b.size(0) != site.out))) {
            throw UserError(weights_path + ": " + site.path +
                            ": lora_A and lora_B are missing one another or have mismatched shapes");
        }
    }
}

void writeModelFolder(const model::Transformer& model, const std::string& base_dir,
                      const std::string& out_dir) {
    createFolder(out_dir);
    writeTensorFile((fs::path(out_dir) / "model.safetensors").string(), model.namedWeights());
    std::error_code error;
    fs::copy_file(fs::path(base_dir) / "config.json", fs::path(out_dir) / "config.json",
                  fs::copy_options::overwrite_existing, error);
    if (error)
        throw UserError((fs::path(out_dir) / "config.json").string() + ": cannot copy: " + error.message());
    copyTokenizerFiles(base_dir, out_dir);
}

}  // namespace vietllm::train
