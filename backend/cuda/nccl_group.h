#pragma once
// Engine-internal and CUDA-only: c10d's NCCL process group, the data-parallel transport of GPU runs
// (backend/train/distributed.cpp). NCCL lives in libtorch_cuda; what a build needs are its headers
// (torch's ProcessGroupNCCL.hpp and nccl.h, which pip torch leaves in the nvidia-nccl wheel), so
// backend/CMakeLists.txt defines VIETLLM_WITH_NCCL only when it finds them with a torch >= 2 CUDA
// libtorch; nccl_group.cpp is empty otherwise and call sites are inside #ifdef VIETLLM_WITH_NCCL.

#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include <chrono>

namespace vietllm::cuda {

/// Joins rank `rank` of a `world_size`-rank NCCL group that rendezvouses through `store`. Its
/// collectives take CUDA tensors only; NCCL connects lazily, on the first collective, on that
/// collective's GPU (one GPU per rank). `timeout` bounds each collective: NCCL's watchdog then ends
/// a rank whose collective waits longer (a dead peer), where Gloo would throw.
c10::intrusive_ptr<c10d::Backend> makeNcclGroup(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                                int world_size, std::chrono::milliseconds timeout);

}  // namespace vietllm::cuda
