#include "backend/cuda/device_stats.h"

#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>

namespace vietllm::cuda {

std::string deviceName(int device_index) {
    return at::cuda::getDeviceProperties(static_cast<c10::DeviceIndex>(device_index))->name;
}

std::int64_t totalMemoryBytes(int device_index) {
    return static_cast<std::int64_t>(
        at::cuda::getDeviceProperties(static_cast<c10::DeviceIndex>(device_index))->totalGlobalMem);
}

std::int64_t peakAllocatedBytes(int device_index) {
    const auto stats =
        c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(device_index));
    // Index 0 of every StatArray is StatType::AGGREGATE (small and large pools together); the enum
    // moved between namespaces across torch 2.x, the layout did not.
    return stats.allocated_bytes[0].peak;
}

void resetPeakAllocatedBytes(int device_index) {
    c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(device_index));
}

}  // namespace vietllm::cuda
