#include "backend/cuda/nccl_group.h"

// The whole file needs NCCL's headers: a CUDA build without them compiles it empty.
#ifdef VIETLLM_WITH_NCCL

#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>

namespace vietllm::cuda {

c10::intrusive_ptr<c10d::Backend> makeNcclGroup(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                                int world_size, std::chrono::milliseconds timeout) {
    // Options::create(is_high_priority_stream = false); `timeout` is c10d::Backend::Options's field.
    c10::intrusive_ptr<c10d::ProcessGroupNCCL::Options> options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = timeout;
    return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, world_size, options);
}

}  // namespace vietllm::cuda

#endif
