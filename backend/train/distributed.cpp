#include "backend/train/distributed.h"

#include "backend/common/errors.h"

#include <c10/util/Exception.h>

#if defined(VIETLLM_WITH_GLOO) || defined(VIETLLM_WITH_NCCL)
#include <torch/version.h>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif
#ifdef VIETLLM_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef VIETLLM_WITH_NCCL
#include "backend/cuda/nccl_group.h"
#endif

#include <cstdlib>

namespace vietllm::train {
namespace {

using Lookup = std::function<std::optional<std::string>(const std::string&)>;

// A non-negative integer variable in [minimum, maximum]; nothing when unset.
std::optional<int> integerVariable(const Lookup& lookup, const std::string& name, long minimum,
                                   long maximum) {
    const std::optional<std::string> text = lookup(name);
    if (!text) return std::nullopt;
    const bool digits =
        !text->empty() && text->size() <= 9 && text->find_first_not_of("0123456789") == std::string::npos;
    const long value = digits ? std::stol(*text) : -1;
    if (!digits || value < minimum || value > maximum) {
        throw UserError("environment variable " + name + "='" + *text + "': expected an integer from " +
                        std::to_string(minimum) + " to " + std::to_string(maximum));
    }
    return static_cast<int>(value);
}

// The names of the rank, world size and local rank variables of the launcher that set them.
struct VariableNames {
    std::string rank;
    std::string world_size;
    std::string local_rank;
};

VariableNames launcherVariables(const Lookup& lookup, std::string& launcher) {
    if (lookup("RANK") || lookup("WORLD_SIZE") || lookup("LOCAL_RANK")) {
        launcher = "torchrun";
        return {"RANK", "WORLD_SIZE", "LOCAL_RANK"};
    }
    if (lookup("SLURM_PROCID") || lookup("SLURM_NTASKS")) {
        launcher = "slurm";
        return {"SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID"};
    }
    launcher = "none";
    return {};
}

}  // namespace

DistributedEnv readDistributedEnv(const Lookup& lookup) {
    DistributedEnv env;
    const VariableNames names = launcherVariables(lookup, env.launcher);
    if (env.launcher == "none") return env;
    constexpr long kMaxRanks = 1 << 20;
    const std::optional<int> world_size = integerVariable(lookup, names.world_size, 1, kMaxRanks);
    if (!world_size)
        throw UserError("environment variable " + names.world_size + " is not set (but " + names.rank +
                        " is)");
    env.world_size = *world_size;
    if (env.world_size == 1) return env;
    const std::optional<int> rank = integerVariable(lookup, names.rank, 0, kMaxRanks);
    if (!rank)
        throw UserError("environment variable " + names.rank + " is not set (" + names.world_size + " is " +
                        std::to_string(env.world_size) + ")");
    if (*rank >= env.world_size) {
        throw UserError("environment variable " + names.rank + "=" + std::to_string(*rank) +
                        " is not below " + names.world_size + "=" + std::to_string(env.world_size));
    }
    env.rank = *rank;
    env.local_rank = integerVariable(lookup, names.local_rank, 0, env.rank).value_or(env.rank);
    const std::optional<std::string> address = lookup("MASTER_ADDR");
    if (!address || address->empty()) {
        throw UserError("environment variable MASTER_ADDR is not set: a run with " + names.world_size + "=" +
                        std::to_string(env.world_size) + " needs the address of rank 0's host");
    }
    env.master_addr = *address;
    env.master_port = integerVariable(lookup, "MASTER_PORT", 1, 65535).value_or(29500);
    return env;
}

DistributedEnv distributedEnvFromProcess() {
    return readDistributedEnv([](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
    });
}

std::chrono::milliseconds distributedTimeout() {
    const std::optional<int> seconds = integerVariable(
        [](const std::string& name) -> std::optional<std::string> {
            const char* value = std::getenv(name.c_str());
            return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
        },
        "VIETLLM_DIST_TIMEOUT_S", 1, 7 * 24 * 3600);
    return std::chrono::seconds(seconds.value_or(30 * 60));
}

std::uint64_t stepSeed(std::uint64_t seed, std::int64_t step, int rank) {
    // SplitMix64's finaliser over the three inputs: well-spread seeds for neighbouring steps.
    std::uint64_t z = seed ^ (static_cast<std::uint64_t>(step) * 0x9E3779B97F4A7C15ULL) ^
                      (static_cast<std::uint64_t>(rank) << 48);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::vector<std::size_t> rankShare(std::size_t count, int rank, int world_size) {
    std::vector<std::size_t> out;
    for (std::size_t i = static_cast<std::size_t>(rank); i < count;
         i += static_cast<std::size_t>(world_size)) {
        out.push_back(i);
    }
    return out;
}

#if defined(VIETLLM_WITH_GLOO) || defined(VIETLLM_WITH_NCCL)

namespace {

// The c10d class every process group derives from: ProcessGroup in torch 1.x, Backend from 2.0.
#if TORCH_VERSION_MAJOR >= 2
using ProcessGroupBase = c10d::Backend;
#else
using ProcessGroupBase = c10d::ProcessGroup;
#endif

}  // namespace

struct DataParallel::Group {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<ProcessGroupBase> collectives;
};

namespace {

// At most this many elements are flattened into one buffer per collective (400 MB of fp32): few
// calls for LoRA and small models, bounded extra memory for full fine-tuning of large ones.
constexpr std::int64_t kBucketElements = std::int64_t{100} << 20;

std::string collectiveMessage(const std::exception& error) {
    const auto* torch_error = dynamic_cast<const c10::Error*>(&error);
    std::string message = torch_error != nullptr ? torch_error->what_without_backtrace() : error.what();
    const std::size_t newline = message.find('\n');
    return newline == std::string::npos ? message : message.substr(0, newline);
}

// Starts one collective with `start` and waits for it; a failure (mostly a peer that stopped)
// becomes one UserError "rank R: `what`: why".
template <typename Start>
void runCollective(int rank, const std::string& what, const Start& start) {
    try {
        start()->wait();
    } catch (const std::exception& error) {
        throw UserError("rank " + std::to_string(rank) + ": " + what + ": " + collectiveMessage(error));
    }
}

// Flattens `tensors` into buckets of one dtype and device, runs `collective` on each flat buffer
// and copies the result back into the tensors.
void forEachBucket(const std::vector<at::Tensor>& tensors,
                   const std::function<void(at::Tensor&)>& collective) {
    at::NoGradGuard no_grad;
    std::vector<at::Tensor> bucket;
    std::int64_t elements = 0;
    const auto flush = [&]() {
        if (bucket.empty()) return;
        std::vector<at::Tensor> flat_parts;
        for (const at::Tensor& tensor : bucket) flat_parts.push_back(tensor.reshape({-1}));
        at::Tensor flat = at::cat(flat_parts);
        collective(flat);
        std::int64_t offset = 0;
        for (const at::Tensor& tensor : bucket) {
            tensor.copy_(flat.slice(0, offset, offset + tensor.numel()).view(tensor.sizes()));
            offset += tensor.numel();
        }
        bucket.clear();
        elements = 0;
    };
    for (const at::Tensor& tensor : tensors) {
        const bool other_kind = !bucket.empty() && (tensor.scalar_type() != bucket.front().scalar_type() ||
                                                    tensor.device() != bucket.front().device());
        if (other_kind || elements + tensor.numel() > kBucketElements) flush();
        bucket.push_back(tensor);
        elements += tensor.numel();
    }
    flush();
}

#ifdef VIETLLM_WITH_GLOO
// The Gloo transport device: loopback for a one-host run on 127.0.0.1/localhost, the interface of
// GLOO_SOCKET_IFNAME when set (as torch does), else the address this host's name resolves to.
std::shared_ptr<::gloo::transport::Device> glooDevice(const std::string& master_addr) {
    if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME")) {
        return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
    }
    if (master_addr == "localhost" || master_addr.rfind("127.", 0) == 0) {
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    }
    return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

// The process group for tensors on `device`: NCCL for a GPU when this build has it, else Gloo (CPU
// tensors, and CUDA tensors through host copies); "none" when this build has neither for `device`.
std::string processGroupFor(const at::Device& device) {
#ifdef VIETLLM_WITH_NCCL
    constexpr bool with_nccl = true;
#else
    constexpr bool with_nccl = false;
#endif
#ifdef VIETLLM_WITH_GLOO
    constexpr bool with_gloo = true;
#else
    constexpr bool with_gloo = false;
#endif
    if (with_nccl && device.is_cuda()) return "nccl";
    return with_gloo ? "gloo" : "none";
}

}  // namespace

DataParallel::DataParallel(const DistributedEnv& env, std::chrono::milliseconds timeout,
                           const at::Device& device)
    : m_env(env), m_device(device) {
    if (env.world_size <= 1) return;
    const std::string backend = processGroupFor(device);
    if (backend == "none") {
        throw UserError("WORLD_SIZE=" + std::to_string(env.world_size) +
                        ": this build has NCCL (GPU) but no Gloo (CPU) c10d support, so data-parallel "
                        "training runs on cuda only; rebuild with libgloo-dev's headers, use a cuda "
                        "device, or run one process");
    }
    const std::string where = env.master_addr + ":" + std::to_string(env.master_port);
    try {
        c10d::TCPStoreOptions store_options;
        store_options.port = static_cast<std::uint16_t>(env.master_port);
        store_options.isServer = env.rank == 0;
        store_options.numWorkers = static_cast<std::size_t>(env.world_size);
        store_options.waitWorkers = true;
        store_options.timeout = timeout;
        m_group = std::make_unique<Group>();
        m_group->store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, store_options);
#ifdef VIETLLM_WITH_NCCL
        if (backend == "nccl") {
            m_group->collectives = cuda::makeNcclGroup(m_group->store, env.rank, env.world_size, timeout);
        }
#endif
#ifdef VIETLLM_WITH_GLOO
        if (backend == "gloo") {
            c10::intrusive_ptr<c10d::ProcessGroupGloo::Options> options =
                c10d::ProcessGroupGloo::Options::create(timeout);
            options->devices.push_back(glooDevice(env.master_addr));
            m_group->collectives = c10::make_intrusive<c10d::ProcessGroupGloo>(m_group->store, env.rank,
                                                                               env.world_size, options);
        }
#endif
    } catch (const std::exception& error) {
        throw UserError("rank " + std::to_string(env.rank) + ": cannot join the data-parallel group at " +
                        where + " (MASTER_ADDR:MASTER_PORT): " + collectiveMessage(error));
    }
    m_backend = backend;
}

void DataParallel::allReduceGradients(const std::vector<at::Tensor>& parameters) {
    if (!m_group) return;
    std::vector<at::Tensor> gradients;
    for (const at::Tensor& parameter : parameters) {
        if (!parameter.grad().defined()) parameter.mutable_grad() = at::zeros_like(parameter);
        gradients.push_back(parameter.grad());
    }
    forEachBucket(gradients, [this](at::Tensor& flat) {
        std::vector<at::Tensor> buffers = {flat};
        runCollective(m_env.rank, "gradient all-reduce failed (a peer stopped?)",
                      [&] { return m_group->collectives->allreduce(buffers); });
    });
}

std::vector<double> DataParallel::allReduceSum(const std::vector<double>& values) {
    if (!m_group || values.empty()) return values;
    at::Tensor buffer = at::tensor(at::ArrayRef<double>(values), at::TensorOptions().dtype(at::kDouble));
    if (m_backend == "nccl") buffer = buffer.to(m_device);  // NCCL reduces device memory only
    std::vector<at::Tensor> buffers = {buffer};
    runCollective(m_env.rank, "all-reduce failed (a peer stopped?)",
                  [&] { return m_group->collectives->allreduce(buffers); });
    buffer = buffer.cpu();  // from a GPU this copy also waits for the all-reduce
    const double* data = buffer.data_ptr<double>();
    return std::vector<double>(data, data + buffer.numel());
}

void DataParallel::broadcastFromMain(const std::vector<at::Tensor>& tensors) {
    if (!m_group) return;
    std::vector<at::Tensor> detached;
    for (const at::Tensor& tensor : tensors) detached.push_back(tensor.detach());
    forEachBucket(detached, [this](at::Tensor& flat) {
        std::vector<at::Tensor> buffers = {flat};
        runCollective(m_env.rank, "broadcast from rank 0 failed",
                      [&] { return m_group->collectives->broadcast(buffers); });
    });
}

void DataParallel::barrier() {
    if (!m_group) return;
    if (m_backend == "nccl") {
        // NCCL's barrier guesses the GPU from the rank; an all-reduce of one value on this run's GPU,
        // copied back to the host, waits for every rank the same way on the right device.
        allReduceSum({0.0});
        return;
    }
    runCollective(m_env.rank, "barrier failed (a peer stopped?)",
                  [&] { return m_group->collectives->barrier(); });
}

#else  // a build without Gloo's or NCCL's headers: one process only

struct DataParallel::Group {};

DataParallel::DataParallel(const DistributedEnv& env, std::chrono::milliseconds, const at::Device& device)
    : m_env(env), m_device(device) {
    if (env.world_size > 1) {
        throw UserError("WORLD_SIZE=" + std::to_string(env.world_size) +
                        ": this build has neither NCCL (GPU) nor Gloo (CPU) c10d support for "
                        "data-parallel training; rebuild with libgloo-dev installed (CPU) or against pip "
                        "torch with the nvidia-nccl wheel's headers (GPU), or run one process");
    }
}

void DataParallel::allReduceGradients(const std::vector<at::Tensor>&) {}

std::vector<double> DataParallel::allReduceSum(const std::vector<double>& values) {
    return values;
}

void DataParallel::broadcastFromMain(const std::vector<at::Tensor>&) {}

void DataParallel::barrier() {}

#endif

DataParallel::~DataParallel() = default;

}  // namespace vietllm::train
