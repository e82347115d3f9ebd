#pragma once
// Engine-internal (torch): data-parallel training across processes through c10d. A run's place in
// the group comes from torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
// MASTER_PORT) or, when those are absent, from Slurm's (SLURM_PROCID, SLURM_NTASKS,
// SLURM_LOCALID), so torchrun, srun and `vietllm-cli train ... --nproc-per-node N` all start it.
// World size 1 (or no variable at all) uses no c10d: every operation is then a no-op. With more
// processes a TCPStore on MASTER_ADDR:MASTER_PORT (rank 0 serves it) rendezvouses a process group:
// NCCL when the run's device is a GPU and this build has it (backend/cuda/nccl_group), else Gloo
// (CPU tensors, and CUDA tensors through host copies).

#include <ATen/ATen.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::train {

/// Where this process sits in a data-parallel run.
struct DistributedEnv {
    int rank = 0;
    int world_size = 1;
    int local_rank = 0;
    std::string master_addr;
    int master_port = 0;
    std::string launcher;  ///< "torchrun" (torchrun's variables), "slurm" or "none"
};

/// Reads the environment through `lookup` (a variable's value, or nothing when unset). Throws one
/// UserError naming the first bad or inconsistent variable (not a number, RANK >= WORLD_SIZE, a
/// missing MASTER_ADDR with WORLD_SIZE > 1, a port outside 1-65535, ...).
DistributedEnv readDistributedEnv(
    const std::function<std::optional<std::string>(const std::string&)>& lookup);

/// readDistributedEnv over this process's environment.
DistributedEnv distributedEnvFromProcess();

/// The collectives a data-parallel trainer needs. Every rank must make the same calls in the same
/// order; a peer that dies or times out makes the call throw instead of hanging.
class DataParallel {
public:
    /// Joins the group `env` describes (no c10d when world_size is 1). `timeout` bounds the
    /// rendezvous and every collective; `device` is where the trainer's tensors live (a CUDA
    /// device picks NCCL when this build has it). Throws UserError when world_size > 1 and this
    /// build has no process group for `device`, or when the rendezvous fails.
    DataParallel(const DistributedEnv& env, std::chrono::milliseconds timeout,
                 const at::Device& device = at::kCPU);
    ~DataParallel();
    DataParallel(const DataParallel&) = delete;
    DataParallel& operator=(const DataParallel&) = delete;

    int rank() const { return m_env.rank; }
    int worldSize() const { return m_env.world_size; }
    int localRank() const { return m_env.local_rank; }
    /// Rank 0: the one process that writes events, metrics, checkpoints and the final folder.
    bool isMain() const { return m_env.rank == 0; }
    /// The process group carrying the collectives: "nccl", "gloo", or "none" (one process), for
    /// the run's start event and log.
    const std::string& backendName() const { return m_backend; }

    /// Sums the gradients of `parameters` over the ranks in place (flattened into buckets, one
    /// collective per bucket). A missing gradient counts as zeros and is created.
    void allReduceGradients(const std::vector<at::Tensor>& parameters);
    /// The sums over the ranks of `values` (losses, counts, flags), element by element.
    std::vector<double> allReduceSum(const std::vector<double>& values);
    /// Overwrites `tensors` on every rank with rank 0's values (the initial trainable weights).
    void broadcastFromMain(const std::vector<at::Tensor>& tensors);
    /// Returns once every rank has called it.
    void barrier();

private:
    struct Group;
    DistributedEnv m_env;
    at::Device m_device;
    std::string m_backend = "none";
    std::unique_ptr<Group> m_group;
};

/// The collective timeout: VIETLLM_DIST_TIMEOUT_S when set (a positive integer, else UserError
/// naming it), otherwise 30 minutes (torch's default: rank 0 alone runs evaluations and saves).
std::chrono::milliseconds distributedTimeout();

/// The seed of rank `rank`'s generator for update `step` of a data-parallel run: each rank draws its
/// own LoRA dropout masks, and a resumed run draws the same ones as an uninterrupted run.
std::uint64_t stepSeed(std::uint64_t seed, std::int64_t step, int rank);

/// The micro-batches of one optimizer step that `rank` computes: indices i of 0..count-1 with
/// i % world_size == rank (the step's sequence is the single-process one with accumulation x world).
std::vector<std::size_t> rankShare(std::size_t count, int rank, int world_size);

}  // namespace vietllm::train
