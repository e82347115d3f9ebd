#!/bin/bash
# The GPU training benchmark (issue 6), one command on the lent GPU machine (pip torch, no Qt, no
# transformers, no internet), well under 7 minutes on an H100 including the build:
#   bash tools/gpu/gpu_train.sh        (carry .deps, see tools/gpu/check_headless_build.sh)
# Builds the engine, CLI and bench headless into /tmp/b (reused when tools/gpu/gpu_engine.sh or an
# earlier run already configured it), checks training on cuda (a 20-step tiny LoRA run's loss falls
# and a run cancelled at step 10 and resumed reproduces it; 12-step tiny DPO and reward-model runs
# learn their pairs, seconds each), then runs the four cases of
# bench/bench_train.cpp one process each under `timeout`, against one overall deadline. Writes
# $OUT/train_gpu.md (plus the logs). The stock figures in the table are quoted from the notes (one
# H200, PyTorch 2.11 + transformers 5.17), not re-measured.
set -u
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
START=$(date +%s)
DEADLINE=$((START + 400))  # 6 m 40 s after the start, whatever the build took
left() { echo $((DEADLINE - $(date +%s))); }
. tools/gpu/headless_build.sh
headless_build train vietllm-bench-train vietllm-cli vietllm-engine || exit 1
EXTRAS="$CUDA_EXTRAS"
PEAK=()
if [ "$CUDA_EXTRAS" = off ]; then
  # Without backend/cuda/ (peak memory, the device name for the MFU table) the bench gets the peak
  # FLOP/s from nvidia-smi's name.
  EXTRAS="off (the build with backend/cuda/ failed: see build_train_extras.log; no peak memory)"
  case "$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)" in
    *"H100 PCIe"*) PEAK=(--peak-tflops 756) ;;
    *H100* | *H200*) PEAK=(--peak-tflops 989) ;;
    *A100*) PEAK=(--peak-tflops 312) ;;
  esac
fi
echo "build done after $(($(date +%s) - START)) s"
BENCH=/tmp/b/bin/vietllm-bench-train
WORK=/tmp/bench-train
REPORT="$OUT/train_gpu.md"
# run_case LIMIT_S ARGS...: one bench process, bounded by LIMIT_S and by the overall deadline.
run_case() {
  local limit=$1; shift
  local budget; budget=$(left)
  [ "$budget" -lt "$limit" ] && limit=$budget
  if [ "$limit" -lt 20 ]; then echo "| skipped: $* (out of time) |" >> "$REPORT"; return; fi
  timeout "$limit" "$BENCH" "$@" --work "$WORK" >> "$REPORT" 2>> "$OUT/bench_train.log"
  local rc=$?
  [ $rc -ne 0 ] && echo "| $* ended with exit code $rc (124: timeout after $limit s) |" >> "$REPORT"
}
{
  echo "# GPU training benchmark ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "- device: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null)"
  echo "- torch: $(python3 -c 'import torch;print(torch.__version__, "CUDA", torch.version.cuda)' 2>/dev/null)"
  echo "- command: bash tools/gpu/gpu_train.sh (build $(($(date +%s) - START)) s)"
  echo "- CUDA engine code (backend/cuda/: allocator peak, device name): $EXTRAS"
  echo "- NCCL process group compiled: $NCCL (off: configure found no nccl.h, or see build_train_nccl.log)"
  echo
  echo "## Correctness on cuda"
  echo
} > "$REPORT"
run_case 60 --device cuda --case check
run_case 45 --device cuda --case check-pref
{
  echo
  echo "## Throughput (bf16 autocast, fp32 masters; LoRA keeps the frozen base in bf16)"
  echo
  echo "| case | run | real tokens/s | MFU | peak memory | stock (H200) | vs stock | target |"
  echo "|---|---|---|---|---|---|---|---|"
} >> "$REPORT"
run_case 70 --device cuda --size real --case a "${PEAK[@]}" --warmup 2 --steps 6
run_case 90 --device cuda --size real --case b "${PEAK[@]}" --warmup 2 --steps 6
run_case 70 --device cuda --size real --case c "${PEAK[@]}" --warmup 2 --steps 6
run_case 170 --device cuda --size real --case d "${PEAK[@]}" --warmup 2 --steps 5
{
  echo
  echo "MFU: (6N or 4N under LoRA + 12 l h q t) x real tokens/s / peak, t = row length (runs/training_flops.h)."
  echo "Targets are in the stock convention (6N + 6 l d t, x 4/6 under LoRA) and shown as tokens/s."
  echo "Total $(($(date +%s) - START)) s."
} >> "$REPORT"
rm -rf "$WORK"
cat "$REPORT"
