#pragma once
// Engine-internal: what the trainer reports about a CUDA device, from CUDA-only libtorch parts (the
// caching allocator's statistics, the device properties). Defined in backend/cuda/device_stats.cpp,
// compiled only when libtorch has CUDA (VIETLLM_WITH_CUDA); call sites are inside
// #ifdef VIETLLM_WITH_CUDA.

#include <cstdint>
#include <string>

namespace vietllm::cuda {

/// The CUDA device name ("NVIDIA H100 80GB HBM3"): what the MFU peak table is keyed by.
std::string deviceName(int device_index);

/// The device's memory in bytes (cudaDeviceProp::totalGlobalMem): what a training run's memory
/// estimate is checked against before the model is loaded.
std::int64_t totalMemoryBytes(int device_index);

/// The most bytes the caching allocator had handed out on the device since the last reset (tensors
/// only, not the allocator's cached reserve).
std::int64_t peakAllocatedBytes(int device_index);

/// Starts a new peak for peakAllocatedBytes (each run reports its own).
void resetPeakAllocatedBytes(int device_index);

}  // namespace vietllm::cuda
