// The sentencepiece shim: the only code that links libsentencepiece (see
// backend/tokenizer/sentencepiece_shim_api.h for why). Built as a MODULE with hidden visibility;
// only the extern "C" functions below are exported (exports.map). No exception leaves a function.

#include "backend/tokenizer/sentencepiece_shim_api.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstring>
#include <exception>
#include <string>
#include <vector>

struct VietllmSpmProcessor {
    sentencepiece::SentencePieceProcessor processor;
    std::vector<int> ids;
    std::vector<std::int32_t> ids_out;
    std::string text;
    std::string error;
};

namespace {

int fail(VietllmSpmProcessor* handle, const std::string& message) {
    handle->error = message;
    return 1;
}

int check(VietllmSpmProcessor* handle, const sentencepiece::util::Status& status) {
    return status.ok() ? 0 : fail(handle, status.ToString());
}

}  // namespace

#define VIETLLM_SPM_EXPORT extern "C" __attribute__((visibility("default")))

VIETLLM_SPM_EXPORT VietllmSpmProcessor* vietllm_spm_create() {
    try {
        return new VietllmSpmProcessor();
    } catch (...) {
        return nullptr;
    }
}

VIETLLM_SPM_EXPORT void vietllm_spm_free(VietllmSpmProcessor* handle) {
    delete handle;
}

VIETLLM_SPM_EXPORT int vietllm_spm_load(VietllmSpmProcessor* handle, const char* path) {
    try {
        return check(handle, handle->processor.Load(path));
    } catch (const std::exception& error) {
        return fail(handle, error.what());
    } catch (...) {
        return fail(handle, "unknown error");
    }
}

VIETLLM_SPM_EXPORT int vietllm_spm_encode(VietllmSpmProcessor* handle, const char* text, std::size_t length) {
    try {
        const int status = check(handle, handle->processor.Encode(std::string(text, length), &handle->ids));
        handle->ids_out.assign(handle->ids.begin(), handle->ids.end());
        return status;
    } catch (const std::exception& error) {
        return fail(handle, error.what());
    } catch (...) {
        return fail(handle, "unknown error");
    }
}

VIETLLM_SPM_EXPORT const std::int32_t* vietllm_spm_ids(VietllmSpmProcessor* handle, std::size_t* count) {
    *count = handle->ids_out.size();
    return handle->ids_out.data();
}

VIETLLM_SPM_EXPORT int vietllm_spm_decode(VietllmSpmProcessor* handle, const std::int32_t* ids,
                                          std::size_t count) {
    try {
        const std::vector<int> input(ids, ids + count);
        return check(handle, handle->processor.Decode(input, &handle->text));
    } catch (const std::exception& error) {
        return fail(handle, error.what());
    } catch (...) {
        return fail(handle, "unknown error");
    }
}

VIETLLM_SPM_EXPORT const char* vietllm_spm_text(VietllmSpmProcessor* handle, std::size_t* length) {
    *length = handle->text.size();
    return handle->text.data();
}

VIETLLM_SPM_EXPORT int vietllm_spm_piece_size(VietllmSpmProcessor* handle) {
    return handle->processor.GetPieceSize();
}

VIETLLM_SPM_EXPORT int vietllm_spm_id_to_piece(VietllmSpmProcessor* handle, std::int32_t id) {
    try {
        if (id < 0 || id >= handle->processor.GetPieceSize()) return fail(handle, "id out of range");
        handle->text = handle->processor.IdToPiece(id);
        return 0;
    } catch (...) {
        return fail(handle, "unknown error");
    }
}

VIETLLM_SPM_EXPORT std::int32_t vietllm_spm_piece_to_id(VietllmSpmProcessor* handle, const char* piece,
                                                        std::size_t length) {
    try {
        const std::string text(piece, length);
        const int id = handle->processor.PieceToId(text);
        // PieceToId answers unk_id for unknown pieces; only the unknown piece itself maps there.
        return id == handle->processor.unk_id() && handle->processor.IdToPiece(id) != text ? -1 : id;
    } catch (...) {
        return -1;
    }
}

VIETLLM_SPM_EXPORT std::int32_t vietllm_spm_special_id(VietllmSpmProcessor* handle, int which) {
    switch (which) {
        case 1:
            return handle->processor.bos_id();
        case 2:
            return handle->processor.eos_id();
        case 3:
            return handle->processor.unk_id();
        default:
            return -1;
    }
}

VIETLLM_SPM_EXPORT const char* vietllm_spm_last_error(VietllmSpmProcessor* handle) {
    return handle->error.c_str();
}

VIETLLM_SPM_EXPORT int vietllm_spm_train(const char* flags, char* error, std::size_t error_capacity) {
    std::string message;
    try {
        const sentencepiece::util::Status status = sentencepiece::SentencePieceTrainer::Train(flags);
        if (status.ok()) return 0;
        message = status.ToString();
    } catch (const std::exception& exception) {
        message = exception.what();
    } catch (...) {
        message = "unknown error";
    }
    if (error != nullptr && error_capacity > 0) {
        std::strncpy(error, message.c_str(), error_capacity - 1);
        error[error_capacity - 1] = '\0';
    }
    return 1;
}
