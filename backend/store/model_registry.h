#pragma once
// The project's model registry: local Hugging Face model folders (name, family from config.json's
// model_type, path, size on disk) and their checkpoints, kept in the `model` and `checkpoint`
// tables so every panel (chat, training, evaluation) picks from the same list. Also the memory a
// model needs before it is loaded, estimated from config.json alone.

#include "backend/store/project_store.h"
#include "backend/weights/model_config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::store {

struct RegisteredModel {
    std::int64_t id = 0;
    std::string name;
    std::string family;  ///< config.json's model_type ("llama", "qwen2", ...)
    std::string path;    ///< the model folder, absolute
    std::int64_t size_bytes = 0;
    std::string created_at;  ///< UTC, ISO 8601
};

struct RegisteredCheckpoint {
    std::int64_t id = 0;
    std::int64_t model_id = 0;
    std::optional<std::int64_t> step;
    std::string path;  ///< a model folder (config.json + weights), absolute
    std::int64_t size_bytes = 0;
    std::string created_at;
};

class ModelRegistry {
public:
    /// Works on `store`, which must outlive this object.
    explicit ModelRegistry(ProjectStore& store) : m_store(store) {}

    /// Registers the model folder `path` under `name` (its folder name when empty) and returns its
    /// id. Throws UserError when the folder has no readable config.json of a supported family, or
    /// when the name or the folder is already registered.
    std::int64_t addModelFolder(const std::string& path, const std::string& name = {});
    /// Forgets a model and its checkpoints (the files stay); throws UserError for an unknown id.
    void removeModel(std::int64_t model_id);
    /// Every registered model, by name.
    std::vector<RegisteredModel> models() const;
    /// One model; throws UserError naming the id when there is none.
    RegisteredModel model(std::int64_t model_id) const;

    /// Registers the checkpoint folder `path` of a model (step optional) and returns its id.
    /// Throws UserError for an unknown model or a folder without a supported config.json.
    std::int64_t addCheckpoint(std::int64_t model_id, const std::string& path,
                               std::optional<std::int64_t> step);
    /// Forgets a checkpoint; throws UserError for an unknown id.
    void removeCheckpoint(std::int64_t checkpoint_id);
    /// A model's checkpoints, oldest first.
    std::vector<RegisteredCheckpoint> checkpoints(std::int64_t model_id) const;

private:
    ProjectStore& m_store;
};

struct MemoryEstimate {
    std::int64_t parameters = 0;
    std::int64_t weight_bytes = 0;    ///< parameters x bytes per value
    std::int64_t kv_cache_bytes = 0;  ///< keys and values of every layer at the context length
    std::int64_t total_bytes() const { return weight_bytes + kv_cache_bytes; }
};

/// Parameters of `config`'s architecture (embeddings, attention, MLP, norms, biases, LM head unless
/// tied), counted from the config alone so the estimate needs no load.
std::int64_t parameterCount(const weights::ModelConfig& config);
/// The memory a model needs at `bytes_per_value` (4 for fp32, 2 for bf16) with a KV cache of
/// `context_tokens` positions for one sequence. Throws UserError for a non-positive size.
MemoryEstimate estimateMemory(const weights::ModelConfig& config, int bytes_per_value,
                              std::int64_t context_tokens);

/// Total size of the regular files in `folder` (not recursive); 0 when it cannot be read.
std::int64_t folderSizeBytes(const std::string& folder);

}  // namespace vietllm::store
