#!/bin/bash
# Run on the lent GPU machine (no Qt, no internet, pip torch): builds backend + CLI + engine with
# -DVIETLLM_GUI=OFF against the libtorch inside pip torch, then compares the engine logits with the
# transformers goldens. Headers the machine lacks travel as Debian packages in .deps/ (git-ignored):
#   mkdir -p .deps && (cd .deps && apt-get download nlohmann-json3-dev libutf8proc-dev libutf8proc2 \
#     libpcre2-dev libsqlite3-dev zlib1g-dev libcurl4-openssl-dev libssl-dev libcpp-httplib-dev \
#     libcpp-httplib0.11 libbrotli-dev)
# then run `bash tools/gpu/check_headless_build.sh` there with .deps carried; results land in $OUT.
cd "$(dirname "$0")/../.."
for f in .deps/*.deb; do dpkg -x "$f" /; done
ldconfig
TORCH_PREFIX=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
echo "torch prefix: $TORCH_PREFIX"
cmake -S . -B /tmp/b -G Ninja -DVIETLLM_GUI=OFF -DCMAKE_PREFIX_PATH="$TORCH_PREFIX" -DVIETLLM_WERROR=OFF \
  -DCMAKE_BUILD_TYPE=Release > $OUT/configure.log 2>&1 || { tail -30 $OUT/configure.log; exit 1; }
time cmake --build /tmp/b -j16 > $OUT/build.log 2>&1 || { grep -E "error|Error" -A3 $OUT/build.log | head -60; exit 1; }
echo "warnings: $(grep -c 'warning:' $OUT/build.log)"
grep 'warning:' $OUT/build.log | sort | uniq | head -10
ldd /tmp/b/bin/vietllm-cli | grep -ci qt
python3 - <<'PY'
import json, subprocess
from safetensors.numpy import load_file
for arch in ["llama","llama_tied","llama3_rope","mistral","qwen2","gpt_neox","bloom","gptj","mpt"]:
    d = f"tests/fixtures/golden/{arch}"
    g = load_file(f"{d}/golden.safetensors")
    ids = ",".join(str(int(i)) for i in g["input_ids"][0])
    r = subprocess.run(["/tmp/b/bin/vietllm-cli","model","logits","--model",d,"--ids",ids], capture_output=True, text=True)
    if r.returncode != 0:
        print(arch, "FAILED", r.stderr.strip()[:300]); continue
    ours = json.loads(r.stdout)
    ref = g["logits"][0,-1]
    print(arch, "max abs diff", max(abs(a-b) for a,b in zip(ours, ref)), "n", len(ours))
PY
/tmp/b/bin/vietllm-cli model init --arch qwen2 --out /tmp/q && /tmp/b/bin/vietllm-cli generate --model /tmp/q --prompt "Xin chào" --max-tokens 8 --temperature 0 | od -c | head -2
/tmp/b/bin/vietllm-cli text normalize <<< "Hoà bình  và thuỷ lợi"
