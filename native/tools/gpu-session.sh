#!/usr/bin/env bash
# Everything a GPU machine should run for the CUDA backend, in one go (device time is scarce):
# the machine's GPU and driver, the CUDA tests built by nvcc (kernels and device model against the
# CPU engine), then the GPU benchmark beside PyTorch + PEFT. Needs nvcc, g++ and python3 (torch,
# transformers, peft for the reference); not Node.js. Logs and the benchmark JSON go to $OUT (or
# ./gpu-session-out), ready to be recorded in bench/RESULTS.md and the closing note.
# Usage: bash native/tools/gpu-session.sh [--tests-only]
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${OUT:-$root/gpu-session-out}"
mkdir -p "$out"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; nvcc --version | tail -2; } >"$out/machine.txt" 2>&1
cat "$out/machine.txt"
# sm_90 only where the GPU is Hopper: a third of the compile time.
cap="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '.')"
[ -n "$cap" ] && export CUDA_ARCHS="-gencode arch=compute_${cap},code=sm_${cap}"
JOBS="$(nproc)" bash "$root/native/tools/cuda-test.sh" --device 2>&1 | tee "$out/cuda-test.log"
tests=${PIPESTATUS[0]}
[ "${1:-}" = "--tests-only" ] && exit "$tests"
bash "$root/bench/gpu/run.sh" >"$out/bench.json" 2>"$out/bench.log"
bench=$?
cat "$out/bench.json"
echo "gpu-session: tests exit $tests, bench exit $bench; files in $out"
[ "$tests" = 0 ] && [ "$bench" = 0 ]
