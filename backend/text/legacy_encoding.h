#pragma once
// Detection and repair of Vietnamese text written in legacy 8-bit encodings and read as if it
// were Latin-1/CP1252 (TCVN3/ABC, VNI, CP1258) or typed as VIQR.

#include <string>
#include <string_view>

namespace vietllm::text {

enum class LegacyEncoding { Invalid = 0, None, Tcvn3, Vni, Viqr, Cp1258 };

/// The legacy encoding `text` most likely is in, from the density of its telltale characters;
/// LegacyEncoding::None for ordinary Unicode text.
LegacyEncoding detectLegacyEncoding(std::string_view text);

/// Converts text from `encoding` to NFC Unicode. LegacyEncoding::None returns the text unchanged.
std::string convertFromLegacy(std::string_view text, LegacyEncoding encoding);

/// Detects and repairs in one step.
std::string repairLegacy(std::string_view text);

/// Lower-case name for messages and JSON ("tcvn3", "vni", "viqr", "cp1258", "none").
const char* legacyEncodingName(LegacyEncoding encoding);

}  // namespace vietllm::text
