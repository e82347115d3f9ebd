#pragma once
// The compute devices this build of the engine can run on, so the GUI offers only what works:
// the CPU always, CUDA GPUs when libtorch was built with CUDA and a driver sees them.

#include <cstdint>
#include <string>
#include <vector>

namespace vietllm::sample {

struct ComputeDevice {
    std::string id;    ///< "cpu", "cuda:0", ...: what the trainer's and engine's "device" takes
    std::string name;  ///< for people: "CPU (16 threads)", "CUDA GPU 0"
};

/// The CPU, then every CUDA device libtorch can use.
std::vector<ComputeDevice> computeDevices();

}  // namespace vietllm::sample
