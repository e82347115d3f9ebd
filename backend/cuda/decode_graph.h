#pragma once
// A CUDA graph of one static decode step (Transformer::decodeStep) for one batch size: captured
// once after a warm-up run on a side stream, then replayed per token, so a step costs one graph
// launch instead of hundreds of kernel launches. Engine-internal and CUDA-only: compiled only when
// libtorch has CUDA (VIETLLM_WITH_CUDA); call sites guard the include with that macro.

#include "backend/model/transformer.h"

#include <memory>

namespace at::cuda {
struct CUDAGraph;
}

namespace vietllm::cuda {

class DecodeGraph {
public:
    /// Runs model.decodeStep(state, cache) once eagerly (warm-up: the step is idempotent for the
    /// same inputs, so this is also the first step's result) and captures it. `state` and `cache`
    /// must outlive the graph and keep their storage: replay reads and writes those buffers.
    /// Throws c10::Error or std::runtime_error when capture fails; the caller then decodes eagerly.
    DecodeGraph(const model::Transformer& model, model::StaticDecode& state, model::KvCache& cache);
    ~DecodeGraph();
    DecodeGraph(const DecodeGraph&) = delete;
    DecodeGraph& operator=(const DecodeGraph&) = delete;

    /// Runs the captured step on the current stream with whatever the static inputs now hold.
    void replay();

private:
    std::unique_ptr<at::cuda::CUDAGraph> m_graph;
};

}  // namespace vietllm::cuda
