#pragma once
// `vietllm-cli model export-gguf` and `vietllm-cli model gguf-info`: a Hugging Face model folder to
// one GGUF file for llama.cpp, and our own reader's view of any GGUF file.

#include "app/cli/cli_commands.h"

namespace vietllm::cli {

/// model export-gguf --model DIR --out FILE.gguf [--type f16|q8_0|q4_0|f32] [--progress json]
int runExportGguf(const Arguments& args);
/// model gguf-info FILE.gguf [--json] [--tensors]
int runGgufInfo(const Arguments& args);

}  // namespace vietllm::cli
