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

/// The canonical id ("cpu" or "cuda:N"; plain "cuda" is "cuda:0") of the device `name` the user
/// gave through `option` (e.g. "--device"), checked against this build and machine so that a run
/// fails at once with one message instead of deep inside libtorch. Throws UserError naming the
/// option and why: an unknown name, no CUDA in this libtorch or no GPU, or only N devices visible.
std::string checkedDevice(const std::string& name, const std::string& option);

/// The memory of CUDA device `device` ("cuda:N", or "cuda" for cuda:0) in bytes, for the memory
/// fit checks of training; 0 when unknown: the CPU (whose memory is the host's), a build without
/// the CUDA engine code (backend/cuda/), or a device this machine does not have.
std::int64_t deviceMemoryBytes(const std::string& device);

/// Waits until the work queued on `device` (a checkedDevice() id) has finished; a no-op on the
/// CPU. Timings of GPU work need it, as kernels run asynchronously.
void synchronizeDevice(const std::string& device);

/// Copy bandwidth of `device` in bytes/s, reads plus writes, over a buffer of `bytes` bytes (far
/// larger than the caches): the memory speed a decode step's weight reads are bounded by.
double copyBandwidth(const std::string& device, std::size_t bytes);

}  // namespace vietllm::sample
