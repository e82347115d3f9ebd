#pragma once
// The training run description (`vietllm-cli train sft CONFIG.json`), torch-free so that the GUI
// can validate a config and show its memory estimate before starting anything. Every mistake (an
// unknown key, a wrong type, a missing file, an impossible value, a model that cannot fit) is one
// UserError naming the config file and the JSON path, raised before any compute.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace vietllm::train {

enum class Method { Invalid = 0, Sft, RewardModel, Dpo, Rl };
enum class ScheduleKind { Invalid = 0, Cosine, Linear, Constant };
enum class TrainDType { Invalid = 0, Float32, BFloat16 };
enum class TrainDevice { Invalid = 0, Cpu, Cuda };

/// The config's and the trainer subcommand's name of a method ("sft", "dpo", ...).
std::string methodName(Method method);
/// Parses a method name; Method::Invalid when unknown.
Method parseMethodName(const std::string& name);
/// The method names, comma separated, for error messages.
std::string methodNameList();

struct DataConfig {
    std::vector<std::string> train_files;
    std::vector<std::string> eval_files;  ///< empty: eval_fraction of the training examples
    double eval_fraction = 0.05;
    std::string format = "auto";  ///< "auto" or a backend/data format name
};

struct LoraConfig {
    std::int64_t rank = 16;
    double alpha = 32.0;
    double dropout = 0.05;
    /// PEFT module names of the model's family; empty (the key left out): all its linear layers.
    std::vector<std::string> target_modules;
};

struct OptimizerConfig {
    double lr = 2e-4;
    double weight_decay = 0.0;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
};

struct ScheduleConfig {
    ScheduleKind kind = ScheduleKind::Cosine;
    std::int64_t warmup_steps = 0;  ///< when > 0 it wins over warmup_ratio
    double warmup_ratio = 0.03;
    double min_lr_ratio = 0.0;
};

/// `train dpo`: Direct Preference Optimization against a frozen reference (the base model, or the
/// base without the adapter under LoRA), whose log-probabilities are computed once before training.
struct DpoConfig {
    double beta = 0.1;
    double label_smoothing = 0.0;  ///< conservative DPO: the share of pairs assumed mislabelled
};

/// `train rl`: optimisation against a trained reward model with several samples per prompt and a KL
/// penalty towards the starting policy (the algorithm is documented in docs/training.md).
struct RlConfig {
    std::string reward_model_dir;
    std::int64_t samples_per_prompt = 4;
    std::int64_t max_new_tokens = 64;
    double temperature = 1.0;
    double top_p = 1.0;
    double kl_coef = 0.05;
};

struct TrainConfig {
    std::string source;  ///< the config file (relative paths inside it are resolved against its folder)
    Method method = Method::Sft;
    std::string model_dir;
    std::string output_dir;
    DataConfig data;
    std::string chat_template = "auto";
    std::optional<LoraConfig> lora;  ///< absent: full fine-tuning
    std::int64_t max_seq_len = 2048;
    bool packing = true;
    bool gradient_checkpointing = false;  ///< recompute each block in backward instead of storing it
    std::int64_t micro_batch_size = 4;
    std::int64_t gradient_accumulation = 4;
    std::int64_t epochs = 1;
    std::int64_t max_steps = 0;  ///< 0: as many steps as `epochs` take
    OptimizerConfig optimizer;
    ScheduleConfig schedule;
    double max_grad_norm = 1.0;  ///< <= 0 disables clipping (the norm is still reported)
    TrainDType dtype = TrainDType::Float32;
    TrainDevice device = TrainDevice::Cpu;
    int device_index = -1;     ///< "cuda:N": N; -1: plain "cuda" (LOCAL_RANK's GPU) or the CPU
    double peak_tflops = 0.0;  ///< the device's peak for MFU; 0: from the device name (known GPUs)
    std::uint64_t seed = 42;
    std::int64_t log_every_steps = 1;
    std::int64_t eval_every_steps = 50;   ///< 0: evaluate only at the end
    std::int64_t save_every_steps = 100;  ///< 0: no periodic checkpoints
    std::int64_t keep_checkpoints = 3;
    DpoConfig dpo;  ///< read from "dpo" when method is dpo
    RlConfig rl;    ///< read from "rl" when method is rl

    /// The config as JSON (the form parseTrainConfig reads), stored in every checkpoint.
    nlohmann::ordered_json toJson() const;
};

/// Reads a parsed config; `source` is the file (named in errors, and the folder relative paths
/// are resolved against). Throws UserError "SOURCE: $.path: reason" for unknown keys, wrong types
/// and impossible values. Does not touch the files it names (see checkTrainConfig).
TrainConfig parseTrainConfig(const nlohmann::json& json, const std::string& source);
/// Reads and parses CONFIG.json; throws UserError when it is missing or not JSON.
TrainConfig loadTrainConfig(const std::string& path);

/// What a run needs in memory, in bytes, by part (a rough upper estimate: fp32 master weights,
/// gradients and AdamW moments of the trainable parameters, the frozen base, and activations of
/// one micro-batch without checkpointing).
struct MemoryEstimate {
    std::int64_t parameters = 0;
    std::int64_t trainable_parameters = 0;
    std::int64_t weights_bytes = 0;
    std::int64_t gradients_bytes = 0;
    std::int64_t optimizer_bytes = 0;
    std::int64_t activations_bytes = 0;
    std::int64_t total_bytes = 0;  ///< one process's need
    /// Processes whose total_bytes share available_bytes: on the CPU those on this host (torchrun's
    /// LOCAL_WORLD_SIZE, 1 when unset); on a GPU 1 (one GPU per process).
    int processes = 1;
    std::string device = "cpu";        ///< the run's device ("cpu", "cuda:N")
    std::int64_t available_bytes = 0;  ///< MemAvailable of the host, or the GPU's memory; 0: unknown

    nlohmann::ordered_json toJson() const;
};

/// The estimate for `config` from its model's config.json (no weights are read): the bytes come from
/// runs::estimateTrainingMemory, the Training panel's estimate, so both refuse the same runs. The
/// processes and the device's memory come from this process's environment and machine; throws
/// UserError when LOCAL_WORLD_SIZE is set but not a positive integer.
MemoryEstimate estimateMemory(const TrainConfig& config);

/// Checks what parsing cannot: the model folder has config.json and weights, the data files
/// exist, LoRA targets exist for the architecture, and the estimate fits the device: processes x
/// total_bytes within the host's available memory (CPU), or total_bytes within the GPU's memory.
/// Returns the estimate; throws UserError naming the config file and JSON path otherwise.
MemoryEstimate checkTrainConfig(const TrainConfig& config);

/// The device a run computes on, by name: "cpu", or "cuda:N" for "cuda:N" and for plain "cuda" the
/// GPU of torchrun's LOCAL_RANK (`local_rank`: one GPU per process). Whether that GPU is visible is
/// the engine's check (train::runDevice).
std::string runDeviceName(const TrainConfig& config, int local_rank);

/// The trainable parameter count of `config`'s model (all of them, or the LoRA adapters').
std::int64_t trainableParameterCount(const TrainConfig& config);

}  // namespace vietllm::train
