#pragma once
// `vietllm-cli data translate`: English to Vietnamese for every text field of every record,
// through an OpenAI-compatible endpoint. Each field is masked (translate_mask.h), sent with an
// instruction to translate and not to answer, restored, checked (translate_check.h) and
// normalized (NFC, one tone placement). A record is written only when all its fields pass;
// otherwise it goes to the failed file with every reason. Resumable: records already in OUT or
// in the failed file are skipped, and the response cache answers calls made before a kill.

#include "backend/data/formats.h"
#include "backend/databuild/batch_pipeline.h"
#include "backend/databuild/translate_mask.h"
#include "backend/net/chat_client.h"
#include "backend/text/normalize.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace vietllm::databuild {

struct TranslateProgress {
    std::size_t records_read = 0;
    std::size_t records_skipped = 0;  ///< already in OUT or the failed file
    std::size_t records_written = 0;
    std::size_t records_failed = 0;
    net::UsageTotals usage;
};

struct TranslateOptions {
    std::string input_path;
    data::Format input_format = data::Format::Messages;
    std::string output_path;
    std::string failed_path;             ///< default: OUT.failed.jsonl
    net::ChatClientOptions client;       ///< endpoint, model, concurrency, limits, cache...
    std::int64_t max_tokens_cap = 4096;  ///< the largest max_tokens a field may ask for
    double temperature = 0;
    std::size_t batch_records = 64;  ///< records read and sent together (memory bound)
    bool retry_failed = false;       ///< translate records of the failed file again
    Shard shard;                     ///< only records I, I+N, ... of the input (as `data clean --shard`)
    text::NormalizeOptions normalize;
    std::function<void(const TranslateProgress&)> on_progress;  ///< after each batch
};

/// The system instruction sent with every field.
const char* translationInstruction();

/// The request for one masked field: the instruction, then the text; max_tokens from its size.
net::ChatRequest translationRequest(const MaskedText& masked, std::int64_t max_tokens_cap,
                                    double temperature);

/// Runs the whole job. Throws UserError for bad input (naming FILE:LINE), a bad option, or an
/// endpoint that stays unavailable (everything finished before stays in OUT and the cache).
TranslateProgress runTranslate(const TranslateOptions& options);

}  // namespace vietllm::databuild
