#include "backend/weights/lora_targets.h"

#include <algorithm>

namespace vietllm::weights {
namespace {

bool isAdaptable(TensorRole role) {
    switch (role) {
        case TensorRole::Query:
        case TensorRole::Key:
        case TensorRole::Value:
        case TensorRole::QkvPerHead:
        case TensorRole::QkvPlain:
        case TensorRole::AttentionOut:
        case TensorRole::Gate:
        case TensorRole::Up:
        case TensorRole::Down:
            return true;
        default:
            return false;
    }
}

}  // namespace

std::vector<LoraSite> loraSites(const ModelConfig& config) {
    const std::string weight_suffix = ".weight";
    std::vector<LoraSite> sites;
    for (const TensorSpec& spec : tensorLayout(config)) {
        if (spec.layer < 0 || !isAdaptable(spec.role)) continue;
        LoraSite site;
        site.layer = spec.layer;
        site.path = spec.name.substr(0, spec.name.size() - weight_suffix.size());
        site.module = site.path.substr(site.path.rfind('.') + 1);
        site.role = spec.role;
        site.out = spec.shape[0];
        site.in = spec.shape[1];
        sites.push_back(std::move(site));
    }
    return sites;
}

std::vector<std::string> loraModuleNames(const ModelConfig& config) {
    std::vector<std::string> names;
    for (const LoraSite& site : loraSites(config)) {
        if (site.layer != 0) break;
        names.push_back(site.module);
    }
    return names;
}

std::vector<std::string> resolveLoraTargets(const ModelConfig& config,
                                            const std::vector<std::string>& targets) {
    return targets.empty() ? loraModuleNames(config) : targets;
}

std::string unknownLoraTarget(const ModelConfig& config, const std::vector<std::string>& targets) {
    const std::vector<std::string> names = loraModuleNames(config);
    for (const std::string& target : targets) {
        if (std::find(names.begin(), names.end(), target) == names.end()) return target;
    }
    return "";
}

std::string loraModuleList(const ModelConfig& config) {
    std::string text;
    for (const std::string& name : loraModuleNames(config)) {
        text += (text.empty() ? "" : ", ") + name;
    }
    return text;
}

std::int64_t countLoraParameters(const ModelConfig& config, std::int64_t rank,
                                 const std::vector<std::string>& targets) {
    const std::vector<std::string> chosen = resolveLoraTargets(config, targets);
    std::int64_t total = 0;
    for (const LoraSite& site : loraSites(config)) {
        if (std::find(chosen.begin(), chosen.end(), site.module) != chosen.end()) {
            total += rank * (site.in + site.out);
        }
    }
    return total;
}

}  // namespace vietllm::weights
