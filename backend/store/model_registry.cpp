#include "backend/store/model_registry.h"

#include "backend/common/errors.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <system_error>

namespace vietllm::store {

namespace fs = std::filesystem;

namespace {

// The absolute, normalised form of a folder path, so one folder is registered once.
std::string absoluteFolder(const std::string& path) {
    std::error_code error;
    const fs::path absolute = fs::absolute(fs::path(path), error);
    return (error ? fs::path(path) : absolute).lexically_normal().string();
}

// Reads the folder's config.json; throws UserError naming it when the folder is not a model.
weights::ModelConfig requireModelFolder(const std::string& folder) {
    if (!fs::is_directory(folder)) {
        throw UserError(folder + ": not a folder");
    }
    return weights::loadModelConfig(folder);
}

RegisteredModel readModel(const Statement& statement) {
    RegisteredModel model;
    model.id = statement.columnInt(0);
    model.name = statement.columnText(1);
    model.family = statement.columnText(2);
    model.path = statement.columnText(3);
    const std::string config = statement.columnText(4);
    const nlohmann::json details = nlohmann::json::parse(config.empty() ? "{}" : config, nullptr, false);
    if (details.is_object() && details.value("size_bytes", nlohmann::json()).is_number_integer()) {
        model.size_bytes = details["size_bytes"].get<std::int64_t>();
    }
    model.created_at = statement.columnText(5);
    return model;
}

constexpr const char* kModelColumns = "SELECT id, name, family, source, config, created_at FROM model";

}  // namespace

std::int64_t ModelRegistry::addModelFolder(const std::string& path, const std::string& name) {
    m_store.requireWritable();
    const std::string folder = absoluteFolder(path);
    const weights::ModelConfig config = requireModelFolder(folder);
    std::string model_name = name.empty() ? fs::path(folder).filename().string() : name;
    if (model_name.empty()) {
        model_name = folder;
    }
    Database& db = m_store.database();
    Statement same_name(db, "SELECT 1 FROM model WHERE name = ?");
    if (same_name.bindText(1, model_name).step()) {
        throw UserError(m_store.path() + ": a model named '" + model_name + "' is already registered");
    }
    Statement same_folder(db, "SELECT name FROM model WHERE source = ?");
    if (same_folder.bindText(1, folder).step()) {
        throw UserError(folder + ": already registered as '" + same_folder.columnText(0) + "'");
    }
    const nlohmann::json details = {{"kind", "local"}, {"size_bytes", folderSizeBytes(folder)}};
    Statement insert(db, "INSERT INTO model (name, family, source, config) VALUES (?, ?, ?, ?)");
    insert.bindText(1, model_name)
        .bindText(2, config.model_type)
        .bindText(3, folder)
        .bindText(4, details.dump());
    insert.run();
    return db.lastInsertId();
}

void ModelRegistry::removeModel(std::int64_t model_id) {
    m_store.requireWritable();
    model(model_id);
    Statement statement(m_store.database(), "DELETE FROM model WHERE id = ?");
    statement.bindInt(1, model_id).run();
}

std::vector<RegisteredModel> ModelRegistry::models() const {
    Statement statement(m_store.database(), std::string(kModelColumns) + " ORDER BY name, id");
    std::vector<RegisteredModel> result;
    while (statement.step()) {
        result.push_back(readModel(statement));
    }
    return result;
}

RegisteredModel ModelRegistry::model(std::int64_t model_id) const {
    Statement statement(m_store.database(), std::string(kModelColumns) + " WHERE id = ?");
    if (!statement.bindInt(1, model_id).step()) {
        throw UserError(m_store.path() + ": no model with id " + std::to_string(model_id));
    }
    return readModel(statement);
}

std::int64_t ModelRegistry::addCheckpoint(std::int64_t model_id, const std::string& path,
                                          std::optional<std::int64_t> step) {
    m_store.requireWritable();
    model(model_id);
    if (step && *step < 0) {
        throw UserError(path + ": a checkpoint step cannot be negative");
    }
    const std::string folder = absoluteFolder(path);
    requireModelFolder(folder);
    Statement insert(m_store.database(),
                     "INSERT INTO checkpoint (model_id, step, path, size_bytes) VALUES (?, ?, ?, ?)");
    insert.bindInt(1, model_id)
        .bindOptionalInt(2, step)
        .bindText(3, folder)
        .bindInt(4, folderSizeBytes(folder));
    insert.run();
    return m_store.database().lastInsertId();
}

void ModelRegistry::removeCheckpoint(std::int64_t checkpoint_id) {
    m_store.requireWritable();
    Statement statement(m_store.database(), "DELETE FROM checkpoint WHERE id = ?");
    statement.bindInt(1, checkpoint_id).run();
    if (m_store.database().changes() == 0) {
        throw UserError(m_store.path() + ": no checkpoint with id " + std::to_string(checkpoint_id));
    }
}

std::vector<RegisteredCheckpoint> ModelRegistry::checkpoints(std::int64_t model_id) const {
    Statement statement(m_store.database(),
                        "SELECT id, model_id, step, path, size_bytes, created_at FROM checkpoint "
                        "WHERE model_id = ? ORDER BY id");
    statement.bindInt(1, model_id);
    std::vector<RegisteredCheckpoint> result;
    while (statement.step()) {
        result.push_back({statement.columnInt(0), statement.columnInt(1), statement.columnOptionalInt(2),
                          statement.columnText(3), statement.columnInt(4), statement.columnText(5)});
    }
    return result;
}

std::int64_t parameterCount(const weights::ModelConfig& config) {
    const std::int64_t hidden = config.hidden_size;
    const std::int64_t q_width = config.num_heads * config.head_dim;
    const std::int64_t kv_width = config.num_kv_heads * config.head_dim;
    std::int64_t layer = hidden * (q_width + 2 * kv_width) + q_width * hidden;
    if (config.qkv_bias) {
        layer += q_width + 2 * kv_width;
    }
    if (config.attention_out_bias) {
        layer += hidden;
    }
    const std::int64_t mlp_matrices = config.mlp == weights::MlpKind::SwiGlu ? 3 : 2;
    layer += mlp_matrices * hidden * config.intermediate_size;
    if (config.mlp_bias) {
        layer += (mlp_matrices - 1) * config.intermediate_size + hidden;
    }
    const std::int64_t norm_size = config.norm_bias ? 2 * hidden : hidden;
    const std::int64_t norms_per_layer = config.residual == weights::ResidualKind::ParallelOneNorm ? 1 : 2;
    layer += norms_per_layer * norm_size;
    std::int64_t total = config.num_layers * layer + config.vocab_size * hidden + norm_size;
    if (config.embedding_norm) {
        total += norm_size;
    }
    if (!config.tie_word_embeddings) {
        total += config.vocab_size * hidden + (config.lm_head_bias ? config.vocab_size : 0);
    }
    return total;
}

MemoryEstimate estimateMemory(const weights::ModelConfig& config, int bytes_per_value,
                              std::int64_t context_tokens) {
    if (bytes_per_value <= 0 || context_tokens <= 0) {
        throw UserError("a memory estimate needs a positive value size and context length");
    }
    MemoryEstimate estimate;
    estimate.parameters = parameterCount(config);
    estimate.weight_bytes = estimate.parameters * bytes_per_value;
    estimate.kv_cache_bytes =
        2 * config.num_layers * config.num_kv_heads * config.head_dim * context_tokens * bytes_per_value;
    return estimate;
}

std::int64_t folderSizeBytes(const std::string& folder) {
    std::error_code error;
    std::int64_t total = 0;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
        std::error_code size_error;
        if (it->is_regular_file(size_error)) {
            const auto size = it->file_size(size_error);
            total += size_error ? 0 : static_cast<std::int64_t>(size);
        }
    }
    return total;
}

}  // namespace vietllm::store
