#include "backend/weights/float_codec.h"

#include <cmath>
#include <cstring>

namespace vietllm::weights {

float bf16ToFloat(std::uint16_t bits) {
    const std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
    float value = 0;
    std::memcpy(&value, &wide, sizeof value);
    return value;
}

std::uint16_t floatToBf16(float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    if (std::isnan(value)) return static_cast<std::uint16_t>((bits >> 16) | 0x40);
    bits += 0x7FFF + ((bits >> 16) & 1);  // round to nearest, ties to even
    return static_cast<std::uint16_t>(bits >> 16);
}

float f16ToFloat(std::uint16_t bits) {
    const float sign = (bits & 0x8000) ? -1.0f : 1.0f;
    const int exponent = (bits >> 10) & 0x1F;
    const int mantissa = bits & 0x3FF;
    if (exponent == 0) return sign * std::ldexp(static_cast<float>(mantissa), -24);
    if (exponent == 31) return mantissa ? std::nanf("") : sign * INFINITY;
    return sign * std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
}

std::uint16_t floatToF16(float value) {
    const std::uint16_t sign = std::signbit(value) ? 0x8000 : 0;
    if (std::isnan(value)) return 0x7E00;
    const float magnitude = std::fabs(value);
    if (magnitude >= 65520.0f) return sign | 0x7C00;
    if (magnitude < std::ldexp(1.0f, -14)) {  // subnormal (1024 rounds up into the smallest normal)
        return sign | static_cast<std::uint16_t>(std::nearbyint(std::ldexp(magnitude, 24)));
    }
    int exponent = 0;
    const float fraction = std::frexp(magnitude, &exponent);  // magnitude = fraction * 2^exponent
    int mantissa = static_cast<int>(std::nearbyint(std::ldexp(fraction, 11)));  // 1024 .. 2048
    if (mantissa == 2048) {
        mantissa = 1024;
        ++exponent;
    }
    const int biased = exponent - 1 + 15;
    if (biased >= 31) return sign | 0x7C00;
    return sign | static_cast<std::uint16_t>((biased << 10) | (mantissa - 1024));
}

float loadElement(const std::uint8_t* data, DType dtype) {
    if (dtype == DType::F32) {
        float value = 0;
        std::memcpy(&value, data, sizeof value);
        return value;
    }
    std::uint16_t bits = 0;
    std::memcpy(&bits, data, sizeof bits);
    return dtype == DType::BF16 ? bf16ToFloat(bits) : f16ToFloat(bits);
}

void storeElement(float value, DType dtype, std::uint8_t* data) {
    if (dtype == DType::F32) {
        std::memcpy(data, &value, sizeof value);
        return;
    }
    const std::uint16_t bits = dtype == DType::BF16 ? floatToBf16(value) : floatToF16(value);
    std::memcpy(data, &bits, sizeof bits);
}

}  // namespace vietllm::weights
