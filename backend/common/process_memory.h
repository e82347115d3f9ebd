#pragma once
// What this process has used of the host's memory, from /proc (Linux): the trainer reports it in
// its step events on the CPU, and the checkpointing bench compares it between runs.

#include <cstdint>

namespace vietllm {

/// Peak resident set (VmHWM) of this process in bytes; 0 when /proc does not say.
std::int64_t peakResidentBytes();

}  // namespace vietllm
