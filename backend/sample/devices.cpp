#include "backend/sample/devices.h"

#include <torch/cuda.h>

#include <thread>

namespace vietllm::sample {

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

}  // namespace vietllm::sample
