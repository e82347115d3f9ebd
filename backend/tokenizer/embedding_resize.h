#pragma once
// Grows a model's vocabulary rows (input embedding, LM head and its bias) directly in its
// safetensors files, without libtorch: old rows are copied byte for byte and each new row starts
// as the mean of the rows of the tokens the new token replaces (its base tokenization), the usual
// initialisation for vocabulary extension. config.json's vocab_size follows; sharded models
// (model.safetensors.index.json) are rewritten shard by shard.

#include "backend/tokenizer/tokenizer.h"

#include <string>
#include <vector>

namespace vietllm::tokenizer {

struct ResizeResult {
    std::int64_t old_rows = 0;
    std::int64_t new_rows = 0;
    std::vector<std::string> tensors;        ///< the tensors that were resized
    std::vector<std::string> written_files;  ///< file names inside the output folder
    std::vector<std::string> skipped_files;  ///< weights in other formats, which would be stale
};

/// The names of the tensors a vocabulary resize touches (embedding, LM head, LM head bias).
const std::vector<std::string>& vocabularyTensorNames();

/// Writes `model_dir`'s weights, config.json and other non-tokenizer files into `out_dir` with
/// rows for ids first_new_id .. first_new_id + sources.size() - 1; row first_new_id + i is the mean
/// of the old rows `sources[i]`. Supports F32, F16 and BF16. Throws UserError naming the folder
/// or tensor when the model has no vocabulary tensor, fewer rows than first_new_id, or another dtype.
ResizeResult resizeModelVocabulary(const std::string& model_dir, const std::string& out_dir,
                                   TokenId first_new_id, const std::vector<std::vector<TokenId>>& sources);

}  // namespace vietllm::tokenizer
