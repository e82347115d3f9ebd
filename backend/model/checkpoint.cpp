// Activation (gradient) checkpointing of decoder blocks. libtorch's C++ API has no
// torch.utils.checkpoint, so this is a custom autograd function: forward runs the block without
// recording a graph and keeps only its input; backward re-runs the block with grad enabled (same
// LoRA dropout masks, same autocast state) and differentiates it for the input and the block's
// trainable tensors. Cost: about one extra forward per step; saving: every block's activations but one.

#include "backend/model/transformer.h"

#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/version.h>

#include <functional>

namespace vietllm::model {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The thread's autocast switches, captured at forward and replayed for the recompute. Torch 2.4
// replaced the per-device functions with ones taking the device type.
struct AutocastState {
    bool cpu_enabled = false;
    bool cuda_enabled = false;
    at::ScalarType cpu_dtype = at::kBFloat16;
    at::ScalarType cuda_dtype = at::kHalf;

    static AutocastState current() {
        AutocastState state;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        state.cpu_enabled = at::autocast::is_autocast_enabled(at::kCPU);
        state.cuda_enabled = at::autocast::is_autocast_enabled(at::kCUDA);
        state.cpu_dtype = at::autocast::get_autocast_dtype(at::kCPU);
        state.cuda_dtype = at::autocast::get_autocast_dtype(at::kCUDA);
#else
        state.cpu_enabled = at::autocast::is_cpu_enabled();
        state.cuda_enabled = at::autocast::is_enabled();
        state.cpu_dtype = at::autocast::get_autocast_cpu_dtype();
        state.cuda_dtype = at::autocast::get_autocast_gpu_dtype();
#endif
        return state;
    }

    void apply() const {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_enabled(at::kCPU, cpu_enabled);
        at::autocast::set_autocast_enabled(at::kCUDA, cuda_enabled);
        at::autocast::set_autocast_dtype(at::kCPU, cpu_dtype);
        at::autocast::set_autocast_dtype(at::kCUDA, cuda_dtype);
#else
        at::autocast::set_cpu_enabled(cpu_enabled);
        at::autocast::set_enabled(cuda_enabled);
        at::autocast::set_autocast_cpu_dtype(cpu_dtype);
        at::autocast::set_autocast_gpu_dtype(cuda_dtype);
#endif
    }
};

// Turns autocast's cast cache off while alive: a cast cached by the no-grad forward has no
// graph, and the recompute must not reuse it (nor a cast cached by an earlier no-grad pass).
class CastCacheOff {
public:
    CastCacheOff() : m_was_enabled(at::autocast::is_autocast_cache_enabled()) {
        at::autocast::set_autocast_cache_enabled(false);
    }
    ~CastCacheOff() { at::autocast::set_autocast_cache_enabled(m_was_enabled); }
    CastCacheOff(const CastCacheOff&) = delete;
    CastCacheOff& operator=(const CastCacheOff&) = delete;

private:
    bool m_was_enabled;
};

// Everything backward needs to re-run one block, carried in the autograd context.
struct BlockReplay : torch::CustomClassHolder {
    std::function<at::Tensor(const at::Tensor&)> run;
    at::Generator* generator = nullptr;  // LoRA dropout's generator, when dropout is on
    at::Tensor generator_state;          // its state before the block's forward
    AutocastState autocast;
};

// While alive: the autocast state and dropout generator state the block's forward saw; the
// caller's states come back on exit, so the steps after backward draw what they would have drawn.
class ReplayScope {
public:
    explicit ReplayScope(const BlockReplay& replay)
        : m_generator(replay.generator), m_outer(AutocastState::current()) {
        replay.autocast.apply();
        if (m_generator != nullptr) {
            m_generator_state = m_generator->get_state();
            m_generator->set_state(replay.generator_state);
        }
    }
    ~ReplayScope() {
        if (m_generator != nullptr) m_generator->set_state(m_generator_state);
        m_outer.apply();
    }
    ReplayScope(const ReplayScope&) = delete;
    ReplayScope& operator=(const ReplayScope&) = delete;

private:
    at::Generator* m_generator;
    at::Tensor m_generator_state;
    AutocastState m_outer;
};

struct CheckpointedBlock : torch::autograd::Function<CheckpointedBlock> {
    // `parameters` (the block's trainable tensors) are inputs so that autograd sends their
    // gradients through this node.
    static at::Tensor forward(AutogradContext* context, const at::Tensor& hidden, at::TensorList parameters,
                              const c10::intrusive_ptr<torch::CustomClassHolder>& replay) {
        auto& state = static_cast<BlockReplay&>(*replay);
        if (state.generator != nullptr) state.generator_state = state.generator->get_state();
        state.autocast = AutocastState::current();
        variable_list saved = {hidden};
        saved.insert(saved.end(), parameters.begin(), parameters.end());
        context->save_for_backward(saved);
        context->saved_data["replay"] = at::IValue::make_capsule(replay);
        context->saved_data["input_grad"] = hidden.requires_grad();
        const CastCacheOff no_cache;
        return state.run(hidden);  // Function::apply runs forward with grad disabled
    }

    static variable_list backward(AutogradContext* context, variable_list output_grads) {
        const variable_list saved = context->get_saved_variables();
        const c10::intrusive_ptr<torch::CustomClassHolder> holder = context->saved_data["replay"].toCapsule();
        const auto& state = static_cast<const BlockReplay&>(*holder);
        const at::Tensor input = saved[0].detach().requires_grad_(context->saved_data["input_grad"].toBool());
        variable_list wrt;
        std::vector<std::size_t> positions;  // index in `saved` of each entry of `wrt`
        for (std::size_t index = 0; index < saved.size(); ++index) {
            const at::Tensor& tensor = index == 0 ? input : saved[index];
            if (tensor.requires_grad()) {
                wrt.push_back(tensor);
                positions.push_back(index);
            }
        }
        at::Tensor output;
        {
            const at::AutoGradMode grad_mode(true);
            const ReplayScope scope(state);
            const CastCacheOff no_cache;
            output = state.run(input);
        }
        const variable_list grads =
            torch::autograd::grad({output}, wrt, {output_grads[0]}, false, false, true);
        variable_list result(saved.size() + 1);  // one per input, the undefined last one for `replay`
        for (std::size_t index = 0; index < positions.size(); ++index) {
            result[positions[index]] = grads[index];
        }
        return result;
    }
};

// The block's tensors that may require grad: its weights (full fine-tuning) and adapters (LoRA).
std::vector<at::Tensor> blockTrainables(const LayerWeights& layer) {
    std::vector<at::Tensor> out;
    const auto add = [&](const at::Tensor& tensor) {
        if (tensor.defined() && tensor.requires_grad()) out.push_back(tensor);
    };
    for (const at::Tensor* tensor :
         {&layer.attention_norm_weight, &layer.attention_norm_bias, &layer.query, &layer.query_bias,
          &layer.key, &layer.key_bias, &layer.value, &layer.value_bias, &layer.out, &layer.out_bias,
          &layer.mlp_norm_weight, &layer.mlp_norm_bias, &layer.gate, &layer.gate_bias, &layer.up,
          &layer.up_bias, &layer.down, &layer.down_bias}) {
        add(*tensor);
    }
    for (const LoraAdapter* adapter : layerAdapters(const_cast<LayerWeights&>(layer))) {
        add(adapter->a);
        add(adapter->b);
    }
    return out;
}

}  // namespace

at::Tensor Transformer::checkpointedBlock(std::size_t index, const at::Tensor& hidden,
                                          const at::Tensor& rope_cos, const at::Tensor& rope_sin,
                                          const at::Tensor& bias) const {
    const std::vector<at::Tensor> parameters = blockTrainables(m_layers[index]);
    if (parameters.empty() && !hidden.requires_grad()) {
        return block(index, hidden, rope_cos, rope_sin, bias, nullptr);  // nothing to differentiate
    }
    auto replay = c10::make_intrusive<BlockReplay>();
    replay->run = [this, index, rope_cos, rope_sin, bias](const at::Tensor& input) {
        return block(index, input, rope_cos, rope_sin, bias, nullptr);
    };
    replay->generator = m_dropout_generator;
    return CheckpointedBlock::apply(hidden, at::TensorList(parameters),
                                    c10::intrusive_ptr<torch::CustomClassHolder>(replay));
}

}  // namespace vietllm::model
