#include "backend/cuda/decode_graph.h"

#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

namespace vietllm::cuda {

DecodeGraph::DecodeGraph(const model::Transformer& model, model::StaticDecode& state, model::KvCache& cache) {
    const c10::DeviceIndex device = model.device().index();
    // Capture must not run on the legacy default stream, and the side stream must see the prefill
    // the current stream wrote into the cache: wait for it first.
    c10::cuda::getCurrentCUDAStream(device).synchronize();
    const c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool(false, device);
    {
        const c10::cuda::CUDAStreamGuard guard(side);
        model.decodeStep(state, cache);  // warm-up: cuBLAS handles, workspaces, allocator blocks
        side.synchronize();
        m_graph = std::make_unique<at::cuda::CUDAGraph>();
        m_graph->capture_begin();
        try {
            model.decodeStep(state, cache);
            m_graph->capture_end();
        } catch (...) {
            // End the capture so the stream is usable again; the engine then decodes eagerly.
            try {
                m_graph->capture_end();
            } catch (...) {
            }
            m_graph.reset();
            throw;
        }
        side.synchronize();
    }
}

DecodeGraph::~DecodeGraph() = default;

void DecodeGraph::replay() {
    m_graph->replay();
}

}  // namespace vietllm::cuda
