#!/usr/bin/env bash
# GPU benchmark, for a machine with an NVIDIA GPU, nvcc and (for the reference) python3 with torch,
# transformers and peft; Node.js is not needed. Builds native/cuda/bench/train_bench.cpp with the
# CUDA backend and the CPU engine, runs it (fp32, tf32, bf16), then the PyTorch + PEFT reference at
# the same shape and precisions, and prints one JSON document:
#   {"engine": [fp32, tf32, bf16], "peft": [fp32, tf32, bf16]}
# Record the figures in bench/RESULTS.md with the GPU and the date.
# Usage: bash bench/gpu/run.sh [--layers L] [--reps R]
set -euo pipefail
layers=12
reps=10
while [ $# -gt 0 ]; do
  case "$1" in
    --layers) layers="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    *) echo "usage: $0 [--layers L] [--reps R]" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/native"
source "$here/tools/engine-sources.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
nvcc="${NVCC:-nvcc}"
read -r -a archs <<<"${CUDA_ARCHS:--gencode arch=compute_90,code=sm_90 -gencode arch=compute_80,code=sm_80}"
srcs=()
for f in "${engine_sources[@]}"; do srcs+=("$here/src/$f.cpp"); done
source "$here/tools/cuda-sources.sh"
for f in "${cuda_sources[@]}"; do srcs+=("$here/cuda/$f.cu"); done
objs=()
for f in "${srcs[@]}"; do
  o="$work/$(basename "$f").o"
  objs+=("$o")
  "$nvcc" -std=c++17 -O3 "${archs[@]}" -Xcompiler -ffp-contract=off -I "$here/src" -I "$here/cuda" -x "$([ "${f##*.}" = cu ] && echo cu || echo c++)" -c "$f" -o "$o" &
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n; done
done
wait
"$nvcc" -std=c++17 -O3 "${archs[@]}" -I "$here/src" -I "$here/cuda" -o "$work/train_bench" "$here/cuda/bench/train_bench.cpp" "${objs[@]}" -lpthread -ldl >&2
engine=""
for p in fp32 tf32 bf16; do engine+="$("$work/train_bench" --precision "$p" --layers "$layers" --reps "$reps")"$'\n'; done
peft=""
if python3 -c 'import torch, peft, transformers' 2>/dev/null; then
  for p in fp32 tf32 bf16; do peft+="$(python3 "$root/bench/gpu/peft_lora_step.py" --precision "$p" --layers "$layers" --steps "$reps")"$'\n'; done
else
  echo "bench/gpu/run.sh: python3 lacks torch/peft/transformers: no PyTorch reference" >&2
fi
python3 - "$engine" "$peft" <<'PY'
import json, sys
rows = lambda text: [json.loads(line) for line in text.splitlines() if line.strip()]
print(json.dumps({"engine": rows(sys.argv[1]), "peft": rows(sys.argv[2])}, indent=2))
PY
