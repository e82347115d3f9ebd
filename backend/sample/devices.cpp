#include "backend/sample/devices.h"

#include "backend/common/errors.h"

#ifdef VIETLLM_WITH_CUDA
#include "backend/cuda/device_stats.h"
#endif

#include <ATen/ATen.h>
#include <torch/cuda.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

namespace vietllm::sample {
namespace {

// The index of "cuda:N" / "cuda" (0), or -1 when `name` is not a CUDA device name.
long long cudaIndex(const std::string& name) {
    const std::string prefix = "cuda";
    if (name.compare(0, prefix.size(), prefix) != 0) {
        return -1;
    }
    if (name.size() == prefix.size()) {
        return 0;
    }
    const std::string digits = name.substr(prefix.size() + 1);
    if (name[prefix.size()] != ':' || digits.empty() || digits.size() > 4 ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
        return -1;
    }
    return std::stoll(digits);
}

}  // namespace

std::vector<ComputeDevice> computeDevices() {
    std::vector<ComputeDevice> devices;
    devices.push_back({"cpu", "CPU (" + std::to_string(std::thread::hardware_concurrency()) + " threads)"});
    if (torch::cuda::is_available()) {
        const std::size_t count = torch::cuda::device_count();
        for (std::size_t index = 0; index < count; ++index) {
            devices.push_back({"cuda:" + std::to_string(index), "CUDA GPU " + std::to_string(index)});
        }
    }
    return devices;
}

std::string checkedDevice(const std::string& name, const std::string& option) {
    if (name == "cpu") {
        return name;
    }
    const long long index = cudaIndex(name);
    const std::string prefix = option + " " + name + ": ";
    if (index < 0) {
        throw UserError(prefix + "unknown device (cpu, cuda or cuda:N)");
    }
    const auto count = static_cast<long long>(torch::cuda::device_count());
    if (count == 0) {
#ifdef VIETLLM_WITH_CUDA
        throw UserError(prefix + "no CUDA device is visible (check the driver and CUDA_VISIBLE_DEVICES)");
#else
        throw UserError(prefix +
                        "no CUDA device is visible (this build's libtorch has no CUDA support, or no GPU "
                        "and driver are present)");
#endif
    }
    if (index >= count) {
        throw UserError(prefix + "only " + std::to_string(count) + " CUDA device" +
                        (count == 1 ? " is" : "s are") +
                        " visible (cuda:0 to cuda:" + std::to_string(count - 1) + ")");
    }
    return "cuda:" + std::to_string(index);
}

std::int64_t deviceMemoryBytes(const std::string& device) {
    const long long index = cudaIndex(device);
    if (index < 0 || index >= static_cast<long long>(torch::cuda::device_count())) {
        return 0;
    }
#ifdef VIETLLM_WITH_CUDA
    return cuda::totalMemoryBytes(static_cast<int>(index));
#else
    return 0;
#endif
}

void synchronizeDevice(const std::string& device) {
    const at::Device where(device);
    if (where.is_cuda()) {
        torch::cuda::synchronize(where.index());
    }
}

double copyBandwidth(const std::string& device, std::size_t bytes) {
    const auto options = at::TensorOptions().dtype(at::kByte).device(at::Device(device));
    const auto size = static_cast<std::int64_t>(bytes);
    const at::Tensor source = at::ones({size}, options);
    at::Tensor target = at::zeros({size}, options);
    target.copy_(source);  // faults the pages in, warms the copy kernel
    synchronizeDevice(device);
    constexpr int kRounds = 8;
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < kRounds; ++round) {
        target.copy_(source);
    }
    synchronizeDevice(device);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return 2.0 * static_cast<double>(bytes) * kRounds / seconds;
}

}  // namespace vietllm::sample
