#!/usr/bin/env bash
# Builds the CUDA backend library, which the addon opens at run time (src/device_model.h):
#   native/tools/cuda-build.sh             nvcc -> native/build/Release/libstudio_cuda.so
#                                          (no nvcc: says so and exits 0, except under CI=true)
#   native/tools/cuda-build.sh --emulated  g++ against the host emulator (cuda/emu) ->
#                                          native/build/emu/libstudio_cuda_emu.so, which JS tests
#                                          load instead of the real library to run the whole
#                                          stack without a GPU.
# The library is self-contained: besides the CUDA runtime it only shares src/device_model.h (and
# the headers it includes) with the engine, so it is linked with --no-undefined.
# Env: NVCC (default nvcc), CXX (default g++), JOBS (default: number of cores).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mode=device
case "${1:-}" in
  "") ;;
  --emulated) mode=emulated ;;
  *) echo "usage: $0 [--emulated]" >&2; exit 2 ;;
esac
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
srcs=()
source "$here/tools/cuda-sources.sh"
for f in "${cuda_sources[@]}" entry; do srcs+=("$here/cuda/$f.cu"); done

if [ "$mode" = device ]; then
  nvcc="${NVCC:-nvcc}"
  if ! command -v "$nvcc" >/dev/null; then
    # CI must build the CUDA backend (its machines have nvcc); elsewhere say so and move on.
    if [ "${CI:-}" = "true" ]; then echo "cuda-build: nvcc not found, and CI requires the CUDA backend to build" >&2; exit 1; fi
    echo "cuda-build: nvcc not found, libstudio_cuda.so not built"
    exit 0
  fi
fi
for f in "${srcs[@]}"; do
  [ -f "$f" ] || { echo "cuda-build: missing source native/${f#"$here/"} (not written yet?)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Compiles each source in the background, at most $jobs at once; a failure leaves a mark.
compile() {
  local name="$1"
  shift
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  ("$@" || touch "$work/FAILED.$name") &
}

objs=()
if [ "$mode" = device ]; then
  archs=(-gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90)
  out="$here/build/Release/libstudio_cuda.so"
  for f in "${srcs[@]}"; do
    o="$work/$(basename "$f" .cu).o"
    objs+=("$o")
    compile "$(basename "$f")" "$nvcc" -std=c++17 -O3 -Xcompiler -fPIC,-Wall "${archs[@]}" -I "$here/src" -c "$f" -o "$o"
  done
  wait
  if compgen -G "$work/FAILED.*" >/dev/null; then echo "cuda-build: compilation failed ($(cd "$work" && ls FAILED.* | sed 's/FAILED\.//' | tr '\n' ' '))" >&2; exit 1; fi
  mkdir -p "$(dirname "$out")"
  "$nvcc" -shared -cudart static "${archs[@]}" -Xlinker --no-undefined -o "$out" "${objs[@]}" -ldl -lpthread -lrt
else
  cxx="${CXX:-g++}"
  out="$here/build/emu/libstudio_cuda_emu.so"
  # -Wno-sign-compare: kernels compare threadIdx (unsigned) with int sizes, as CUDA code does.
  flags=(-std=c++17 -O2 -fPIC -fvisibility=hidden -Wall -Wno-unknown-pragmas -Wno-sign-compare -DSTUDIO_CUDA_EMULATED -I "$here/cuda/emu" -I "$here/src")
  for f in "${srcs[@]}" "$here/cuda/emu/emu.cpp" "$here/cuda/emu/emu_runtime.cpp"; do
    o="$work/$(basename "$f").o"
    objs+=("$o")
    compile "$(basename "$f")" "$cxx" -x c++ "${flags[@]}" -c "$f" -o "$o"
  done
  wait
  if compgen -G "$work/FAILED.*" >/dev/null; then echo "cuda-build: compilation failed ($(cd "$work" && ls FAILED.* | sed 's/FAILED\.//' | tr '\n' ' '))" >&2; exit 1; fi
  mkdir -p "$(dirname "$out")"
  "$cxx" -shared -Wl,--no-undefined -o "$out" "${objs[@]}" -ldl -lpthread
fi
echo "cuda-build: ok ($mode: ${out#"$here/"})"
