#pragma once
// Engine-internal (torch): reading and writing the files a training run produces and consumes:
// named tensors as safetensors, PEFT LoRA adapter folders (adapter_config.json +
// adapter_model.safetensors, the names and shapes PEFT's `PeftModel.from_pretrained` expects), and
// complete Hugging Face model folders.

#include "backend/model/transformer.h"
#include "backend/train/train_config.h"

#include <map>
#include <string>
#include <vector>

namespace vietllm::train {

/// Writes `tensors` (any dtype/device; stored as float32) to a safetensors file atomically.
void writeTensorFile(const std::string& path, const std::vector<model::NamedTensor>& tensors);
/// Reads every tensor of a safetensors file as owned float32 tensors, by name.
std::map<std::string, at::Tensor> readTensorFile(const std::string& path);

/// Copies the tokenizer and generation files of `from_dir` that exist (tokenizer.json,
/// tokenizer.model, tokenizer_config.json, special_tokens_map.json, generation_config.json).
void copyTokenizerFiles(const std::string& from_dir, const std::string& to_dir);

/// Writes OUT_DIR as a PEFT LoRA adapter of `model` (its adapters), trained from `base_dir`.
void writeAdapterFolder(const model::Transformer& model, const LoraConfig& lora, const std::string& base_dir,
                        const std::string& out_dir);
/// Installs the adapter of ADAPTER_DIR into `model`; throws UserError for an adapter that is not a
/// LoRA adapter, names a module or layer the model lacks, or has mismatched shapes.
void loadAdapterFolder(model::Transformer& model, const std::string& adapter_dir);

/// Writes `model`'s weights (Hugging Face names) with `base_dir`'s config.json and tokenizer
/// files as a complete model folder OUT_DIR.
void writeModelFolder(const model::Transformer& model, const std::string& base_dir,
                      const std::string& out_dir);

}  // namespace vietllm::train
