#pragma once
// Verifiable instruction checks for IFEval-style tasks (SEA-IFEval vi/en): the 21 instruction kinds
// that occur in the shared SEA-IFEval files, each checked strictly and loosely (loose also accepts
// the reply with its first and/or last line removed and with '*' markup removed, as IFEval does).

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vietllm::eval {

/// The instruction kinds this checker knows ("keywords:frequency", ...), sorted.
const std::vector<std::string>& knownInstructionKinds();

/// True when `kind` is one of knownInstructionKinds().
bool isKnownInstruction(std::string_view kind);

struct InstructionOutcome {
    std::string kind;
    bool strict = false;
    bool loose = false;
};

/// Checks one reply against instruction `kind` with its `kwargs`; `language` ("vi", "en") picks the
/// fixed answer phrases of detectable_format:constrained_response. Throws UserError for an unknown
/// kind or a missing or mistyped kwarg (naming it).
InstructionOutcome checkInstruction(std::string_view kind, const nlohmann::json& kwargs,
                                    std::string_view reply, std::string_view language);

/// The strict check alone, for one variant of the reply.
bool followsInstruction(std::string_view kind, const nlohmann::json& kwargs, std::string_view reply,
                        std::string_view language);

}  // namespace vietllm::eval
