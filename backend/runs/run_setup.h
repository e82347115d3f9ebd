#pragma once
// The settings of a training run as the Training panel collects them, and the trainer
// configuration (`vietllm-cli train METHOD CONFIG.json`, docs/training.md) they become.

#include "backend/runs/training_presets.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace vietllm::runs {

enum class TrainingMethod { Invalid = 0, Sft, RewardModel, Dpo, Rl };

/// "sft", "rm", "dpo" or "rl": the trainer's subcommand and the config's "method".
std::string trainingMethodName(TrainingMethod method);

struct RunSetup {
    TrainingMethod method = TrainingMethod::Sft;
    std::string model_dir;
    std::string output_dir;
    std::vector<std::string> train_files;
    std::vector<std::string> eval_files;  ///< empty: hold out eval_fraction of the training data
    double eval_fraction = 0.05;
    std::string chat_template = "auto";
    bool lora = true;
    int lora_rank = 16;
    int lora_alpha = 32;
    double lora_dropout = 0.05;
    std::vector<std::string> target_modules;  ///< empty: every linear layer of the model's family
    int max_seq_len = 1024;
    bool packing = true;
    bool gradient_checkpointing = false;
    int micro_batch_size = 4;
    int gradient_accumulation = 4;
    int epochs = 1;
    int max_steps = 0;  ///< 0: as many as the epochs take
    double learning_rate = 2e-4;
    double weight_decay = 0.0;
    std::string schedule = "cosine";  ///< cosine, linear or constant
    double warmup_ratio = 0.03;
    double max_grad_norm = 1.0;
    std::string dtype = "bf16";
    std::string device = "cpu";
    int seed = 42;
    int eval_every_steps = 50;
    int save_every_steps = 100;
    double dpo_beta = 0.1;            ///< DPO only
    std::string rl_reward_model_dir;  ///< RL only: the reward model folder (`train rm` output)
    int rl_samples_per_prompt = 4;    ///< RL only
    double rl_kl_coef = 0.05;         ///< RL only
};

/// The setup a preset recommends (method SFT, the preset's LoRA/full choice and hyperparameters).
RunSetup setupFromPreset(const TrainingPreset& preset);

/// The trainer configuration for `setup`, with the keys docs/training.md defines (the "dpo"
/// section for DPO, "rl" for RL).
nlohmann::json trainerConfig(const RunSetup& setup);

/// The TrainingShape the memory estimate needs for `setup` (what the trainer itself checks).
TrainingShape trainingShape(const RunSetup& setup);

}  // namespace vietllm::runs
