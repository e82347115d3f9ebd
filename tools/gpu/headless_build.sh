#!/bin/bash
# Sourced by tools/gpu/gpu_engine.sh and gpu_train.sh: the headless build on the lent GPU machine.
# headless_build NAME TARGET...: configures /tmp/b against pip torch once (unpacking the carried
# .deps/*.deb headers first), builds TARGETs into $OUT/build_NAME.log, and when the build with
# backend/cuda/ fails, rebuilds first without NCCL (when the errors name it: its headers are the
# least tested), then without backend/cuda/ (the CUDA runtime headers missing). Sets NCCL and
# CUDA_EXTRAS to "on" or "off" and returns non-zero only when even the last build fails.
# nccl_configured: whether /tmp/b compiles the NCCL process group (backend/CMakeLists.txt found
# both headers, with backend/cuda/ and NCCL not switched off).
nccl_configured() {
  local cache=/tmp/b/CMakeCache.txt
  grep -qE '^VIETLLM_(NCCL|CUDA_EXTRAS):BOOL=OFF' "$cache" && return 1
  grep -qE '^VIETLLM_(C10D_)?NCCL_INCLUDE_DIR:PATH=.*NOTFOUND' "$cache" && return 1
  grep -q '^VIETLLM_NCCL_INCLUDE_DIR:PATH=' "$cache"
}

headless_build() {
  local name=$1; shift
  local log="$OUT/build_$name.log"
  if [ ! -f /tmp/b/CMakeCache.txt ]; then
    for f in .deps/*.deb; do dpkg -x "$f" /; done
    ldconfig
    local torch_prefix
    torch_prefix=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
    cmake -S . -B /tmp/b -G Ninja -DVIETLLM_GUI=OFF -DCMAKE_PREFIX_PATH="$torch_prefix" \
      -DVIETLLM_WERROR=OFF -DCMAKE_BUILD_TYPE=Release > "$OUT/configure.log" 2>&1 ||
      { tail -30 "$OUT/configure.log"; return 1; }
    # The configure summary: CUDA engine code, and which c10d process groups data parallel has
    # (NCCL can only be compiled here: one GPU cannot run two NCCL ranks).
    grep -E 'vietllm: (CUDA|data parallel)' "$OUT/configure.log"
  fi
  CUDA_EXTRAS="on"
  # An earlier script's fallback may already have turned backend/cuda/ or NCCL off in /tmp/b.
  grep -q '^VIETLLM_CUDA_EXTRAS:BOOL=OFF' /tmp/b/CMakeCache.txt && CUDA_EXTRAS="off"
  NCCL="off"
  nccl_configured && NCCL="on"
  timeout 200 cmake --build /tmp/b -j16 --target "$@" > "$log" 2>&1 && return 0
  grep -E "error" -A3 "$log" | head -30
  if [ "$NCCL" = on ] && grep -E ": (fatal )?error|undefined reference" "$log" | grep -qiE "nccl|distributed\.cpp"; then
    NCCL="off"
    cp "$log" "$OUT/build_${name}_nccl.log"
    cmake -S . -B /tmp/b -DVIETLLM_NCCL=OFF >> "$OUT/configure.log" 2>&1
    timeout 200 cmake --build /tmp/b -j16 --target "$@" > "$log" 2>&1 && return 0
    grep -E "error" -A3 "$log" | head -30
  fi
  [ "$CUDA_EXTRAS" = off ] && return 1
  CUDA_EXTRAS="off"
  NCCL="off"
  cp "$log" "$OUT/build_${name}_extras.log"
  cmake -S . -B /tmp/b -DVIETLLM_CUDA_EXTRAS=OFF >> "$OUT/configure.log" 2>&1
  timeout 200 cmake --build /tmp/b -j16 --target "$@" > "$log" 2>&1 ||
    { grep -E "error" -A3 "$log" | head -60; return 1; }
}
