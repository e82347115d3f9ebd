#include "backend/runs/run_setup.h"

#include "backend/common/errors.h"

#include <filesystem>

namespace vietllm::runs {
namespace {

// Parameters of the reward model in `dir`, 0 while none is chosen or readable (the panel asks
// before a folder is picked; the trainer itself checks the folder).
std::int64_t rewardModelParameters(const std::string& dir) {
    if (dir.empty() || !std::filesystem::is_regular_file(std::filesystem::path(dir) / "config.json"))
        return 0;
    try {
        return countParameters(weights::loadModelConfig(dir));
    } catch (const UserError&) {
        return 0;
    }
}

}  // namespace

std::string trainingMethodName(TrainingMethod method) {
    switch (method) {
        case TrainingMethod::Sft:
            return "sft";
        case TrainingMethod::RewardModel:
            return "rm";
        case TrainingMethod::Dpo:
            return "dpo";
        case TrainingMethod::Rl:
            return "rl";
        case TrainingMethod::Invalid:
            break;
    }
    return "invalid";
}

RunSetup setupFromPreset(const TrainingPreset& preset) {
    RunSetup setup;
    setup.lora = preset.lora;
    setup.lora_rank = preset.lora_rank;
    setup.lora_alpha = preset.lora_alpha;
    setup.learning_rate = preset.learning_rate;
    setup.micro_batch_size = preset.micro_batch_size;
    setup.gradient_accumulation = preset.gradient_accumulation;
    setup.max_seq_len = preset.max_seq_len;
    setup.dtype = preset.dtype;
    setup.gradient_checkpointing = preset.gradient_checkpointing;
    return setup;
}

nlohmann::json trainerConfig(const RunSetup& setup) {
    nlohmann::json data = {{"train", setup.train_files}, {"format", "auto"}};
    if (setup.eval_files.empty()) {
        data["eval_fraction"] = setup.eval_fraction;
    } else {
        data["eval"] = setup.eval_files;
    }
    nlohmann::json lora = nullptr;
    if (setup.lora) {
        lora = {{"rank", setup.lora_rank}, {"alpha", setup.lora_alpha}, {"dropout", setup.lora_dropout}};
        if (!setup.target_modules.empty()) lora["target_modules"] = setup.target_modules;
    }
    nlohmann::json config = {
        {"method", trainingMethodName(setup.method)},
        {"model", setup.model_dir},
        {"output_dir", setup.output_dir},
        {"data", data},
        {"template", setup.chat_template},
        {"lora", lora},
        {"max_seq_len", setup.max_seq_len},
        {"packing", setup.packing},
        {"gradient_checkpointing", setup.gradient_checkpointing},
        {"micro_batch_size", setup.micro_batch_size},
        {"gradient_accumulation", setup.gradient_accumulation},
        {"epochs", setup.epochs},
        {"max_steps", setup.max_steps},
        {"optimizer",
         {{"lr", setup.learning_rate},
          {"weight_decay", setup.weight_decay},
          {"betas", {0.9, 0.999}},
          {"eps", 1e-8}}},
        {"schedule", {{"kind", setup.schedule}, {"warmup_ratio", setup.warmup_ratio}}},
        {"max_grad_norm", setup.max_grad_norm},
        {"dtype", setup.dtype},
        {"device", setup.device},
        {"seed", setup.seed},
        {"log_every_steps", 1},
        {"eval_every_steps", setup.eval_every_steps},
        {"save_every_steps", setup.save_every_steps},
    };
    if (setup.method == TrainingMethod::Dpo) {
        config["dpo"] = {{"beta", setup.dpo_beta}};
    }
    if (setup.method == TrainingMethod::Rl) {
        config["rl"] = {{"reward_model", setup.rl_reward_model_dir},
                        {"samples_per_prompt", setup.rl_samples_per_prompt},
                        {"kl_coef", setup.rl_kl_coef}};
    }
    return config;
}

TrainingShape trainingShape(const RunSetup& setup) {
    TrainingShape shape;
    shape.lora = setup.lora;
    shape.lora_rank = setup.lora_rank;
    shape.target_modules = setup.target_modules;
    shape.micro_batch_size = setup.micro_batch_size;
    shape.max_seq_len = setup.max_seq_len;
    shape.compute_bytes = trainingComputeBytes(setup.device, setup.dtype);
    shape.activation_checkpointing = setup.gradient_checkpointing;
    const bool pairs = setup.method == TrainingMethod::RewardModel || setup.method == TrainingMethod::Dpo;
    shape.sequences_per_example = pairs ? 2 : 1;
    shape.score_head = setup.method == TrainingMethod::RewardModel;
    if (setup.method == TrainingMethod::Rl) {
        shape.sequences_per_example = setup.rl_samples_per_prompt;
        shape.frozen_reference = true;
        shape.reward_model_parameters = rewardModelParameters(setup.rl_reward_model_dir);
    }
    return shape;
}

}  // namespace vietllm::runs
