#include "backend/runs/training_flops.h"

#include "backend/weights/tensor_layout.h"

#include <utility>
#include <vector>

namespace vietllm::runs {

std::int64_t matmulParameters(const weights::ModelConfig& config) {
    std::int64_t total = 0;
    for (const weights::TensorSpec& spec : weights::tensorLayout(config)) {
        if (spec.role == weights::TensorRole::Embedding) continue;  // a lookup, not a matmul
        std::int64_t count = 1;
        for (const std::int64_t dim : spec.shape) count *= dim;
        total += count;
    }
    return total;
}

double trainingFlopsPerToken(const weights::ModelConfig& config, std::int64_t row_length, bool lora) {
    const double weights_factor = lora ? 4.0 : 6.0;
    const double attention = 12.0 * static_cast<double>(config.num_layers) *
                             static_cast<double>(config.num_heads) * static_cast<double>(config.head_dim) *
                             static_cast<double>(row_length);
    return weights_factor * static_cast<double>(matmulParameters(config)) + attention;
}

double peakBf16Flops(const std::string& device_name) {
    // Dense bf16 tensor-core peaks from the vendor data sheets (no sparsity). More specific names
    // come first: "H100 PCIe" before "H100".
    static const std::vector<std::pair<std::string, double>> table = {
        {"H200", 989e12}, {"H100 PCIe", 756e12}, {"H100", 989e12}, {"A100", 312e12}};
    for (const auto& [needle, flops] : table) {
        if (device_name.find(needle) != std::string::npos) return flops;
    }
    return 0.0;
}

}  // namespace vietllm::runs
