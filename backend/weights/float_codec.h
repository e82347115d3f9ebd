#pragma once
// Conversions between float32 and the 16-bit float formats weights are stored in (IEEE half and
// bfloat16, round to nearest even), and element access by safetensors dtype. Shared by the
// embedding resizer, the random-model writer and the GGUF exporter, which all work on raw bytes
// without libtorch.

#include "backend/weights/safetensors.h"

#include <cstdint>

namespace vietllm::weights {

/// The float a bfloat16 bit pattern holds.
float bf16ToFloat(std::uint16_t bits);
/// `value` as bfloat16, rounded to nearest even (NaN stays NaN).
std::uint16_t floatToBf16(float value);
/// The float an IEEE half bit pattern holds (subnormals, infinities and NaN included).
float f16ToFloat(std::uint16_t bits);
/// `value` as IEEE half, rounded to nearest even; magnitudes past the half range become infinity.
std::uint16_t floatToF16(float value);

/// Element `data` of `dtype` (F32, BF16 or F16) as float.
float loadElement(const std::uint8_t* data, DType dtype);
/// Writes `value` as one element of `dtype` (F32, BF16 or F16) at `data`.
void storeElement(float value, DType dtype, std::uint8_t* data);

}  // namespace vietllm::weights
