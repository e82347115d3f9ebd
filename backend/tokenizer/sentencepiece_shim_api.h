#pragma once
// The C interface of the sentencepiece shim (shim/sentencepiece_shim.cpp), a MODULE library that
// is the only code linking Debian's libsentencepiece. libsentencepiece carries its own
// protobuf-lite and crashes a process that also loads libtorch's libprotobuf, so the shim is
// opened with dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND) and only plain C types cross this
// boundary: no C++ types, no exceptions. Every function returns 0 on success; on failure the
// message is in vietllm_spm_last_error (per processor) or in the caller's error buffer.

#include <cstddef>
#include <cstdint>

extern "C" {

typedef struct VietllmSpmProcessor VietllmSpmProcessor;

/// A new, empty processor; free it with vietllm_spm_free.
typedef VietllmSpmProcessor* (*VietllmSpmCreateFn)(void);
typedef void (*VietllmSpmFreeFn)(VietllmSpmProcessor*);
/// Loads a .model file.
typedef int (*VietllmSpmLoadFn)(VietllmSpmProcessor*, const char* path);
/// Encodes UTF-8 text; the ids stay in the processor until the next call (vietllm_spm_ids).
typedef int (*VietllmSpmEncodeFn)(VietllmSpmProcessor*, const char* text, std::size_t length);
typedef const std::int32_t* (*VietllmSpmIdsFn)(VietllmSpmProcessor*, std::size_t* count);
/// Decodes ids; the text stays in the processor until the next call (vietllm_spm_text).
typedef int (*VietllmSpmDecodeFn)(VietllmSpmProcessor*, const std::int32_t* ids, std::size_t count);
typedef const char* (*VietllmSpmTextFn)(VietllmSpmProcessor*, std::size_t* length);
/// Vocabulary size; piece text of an id (into the text buffer); id of a piece (-1 when absent).
typedef int (*VietllmSpmPieceSizeFn)(VietllmSpmProcessor*);
typedef int (*VietllmSpmIdToPieceFn)(VietllmSpmProcessor*, std::int32_t id);
typedef std::int32_t (*VietllmSpmPieceToIdFn)(VietllmSpmProcessor*, const char* piece, std::size_t length);
/// BOS, EOS and UNK ids (-1 when the model has none).
typedef std::int32_t (*VietllmSpmSpecialIdFn)(VietllmSpmProcessor*, int which);
typedef const char* (*VietllmSpmLastErrorFn)(VietllmSpmProcessor*);
/// Trains a model from sentencepiece trainer flags ("--input=... --model_prefix=..."); an error
/// message goes to `error` (NUL-terminated, cut to `error_capacity`).
typedef int (*VietllmSpmTrainFn)(const char* flags, char* error, std::size_t error_capacity);

}  // extern "C"

namespace vietllm::tokenizer {

/// Which special id vietllm_spm_special_id returns.
enum class SpmSpecial { Invalid = 0, Bos = 1, Eos = 2, Unknown = 3 };

}  // namespace vietllm::tokenizer
