#!/usr/bin/env bash
# Builds and runs the CUDA backend's C++ test programs (native/cuda/test):
#   emu_test    the host emulator itself (emulated mode only)
#   ops_test    every kernel of ops.cuh / blas.cuh against the CPU engine
#   model_test  the device model against engine::Model on tiny models
# Default (emulated): everything compiled with g++ as plain C++ against the emulator in cuda/emu
# (-DSTUDIO_CUDA_EMULATED), under AddressSanitizer + UBSan, so it runs in CI without a GPU.
# --device: the .cu sources compiled by nvcc, the CPU engine by g++, run on the machine's GPU.
# Usage: native/tools/cuda-test.sh [--device] [--build-only] [emu_test|ops_test|model_test ...]
#   (default: all; --build-only compiles and links without running, e.g. --device on a machine
#   without a GPU)
# Env: CXX (g++), NVCC (nvcc), JOBS (cores), CUDA_ARCHS (nvcc -gencode flags for --device).
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mode=emulated
buildOnly=0
tests=()
for a in "$@"; do
  case "$a" in
    --device) mode=device ;;
    --emulated) mode=emulated ;;
    --build-only) buildOnly=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) t="$(basename "$a" .cpp)"; t="${t%_test}_test"; tests+=("$t") ;;
  esac
done
if [ ${#tests[@]} -eq 0 ]; then
  tests=(emu_test ops_test model_test)
  [ "$mode" = device ] && tests=(ops_test model_test)
fi
for t in "${tests[@]}"; do
  case "$t" in
    emu_test) [ "$mode" = device ] && { echo "cuda-test: emu_test tests the emulator: it has no --device build" >&2; exit 2; } ;;
    ops_test|model_test) ;;
    *) echo "cuda-test: unknown test '$t' (emu_test, ops_test, model_test)" >&2; exit 2 ;;
  esac
  [ -f "$here/cuda/test/$t.cpp" ] || { echo "cuda-test: missing native/cuda/test/$t.cpp" >&2; exit 1; }
done

jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
cxx="${CXX:-g++}"
nvcc="${NVCC:-nvcc}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The CPU engine (the reference the backend is compared with).
source "$here/tools/engine-sources.sh"
engine=("${engine_sources[@]}")
source "$here/tools/cuda-sources.sh"
backend=("${cuda_sources[@]}")
needsBackend=0
for t in "${tests[@]}"; do [ "$t" != emu_test ] && needsBackend=1; done
if [ $needsBackend = 1 ]; then
  for f in "${backend[@]}"; do [ -f "$here/cuda/$f.cu" ] || { echo "cuda-test: missing native/cuda/$f.cu" >&2; exit 1; }; done
fi

common=(-std=c++17 -g -ffp-contract=off)
if [ "$mode" = emulated ]; then
  # -O1 keeps ASan fast enough for thousands of emulated kernel launches.
  cflags=("${common[@]}" -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all)
  cuflags=(-x c++ "${cflags[@]}" -Wno-unknown-pragmas -DSTUDIO_CUDA_EMULATED -I "$here/cuda/emu" -I "$here/src" -I "$here/cuda")
  ldflags=(-fsanitize=address,undefined -lpthread -ldl)
else
  command -v "$nvcc" >/dev/null || { echo "cuda-test: --device needs nvcc (NVCC=...)" >&2; exit 1; }
  read -r -a archs <<<"${CUDA_ARCHS:--gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90}"
  cflags=("${common[@]}" -O2)
  cuflags=(-std=c++17 -g -O2 "${archs[@]}" -Xcompiler -ffp-contract=off -I "$here/src" -I "$here/cuda")
fi

# Compiles in the background, at most $jobs at once; a failure leaves a mark named after the file.
compile() {
  local name="${1//\//:}"  # a file name: src/ops.cpp -> src:ops.cpp
  shift
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  ("$@" >"$work/log.$name" 2>&1 || touch "$work/FAILED.$name") &
}
failedBuilds() {
  wait
  local bad=0
  for m in "$work"/FAILED.*; do
    [ -e "$m" ] || continue
    local name="${m##*/FAILED.}"
    echo "cuda-test: compiling ${name//://} failed:" >&2
    cat "$work/log.$name" >&2
    bad=1
  done
  rm -f "$work"/FAILED.*
  return $bad
}
# Warnings of successful compilations still deserve to be seen.
showLogs() { for l in "$work"/log.*; do [ -s "$l" ] && cat "$l"; rm -f "$l"; done; return 0; }

echo "cuda-test: building ($mode, $jobs jobs)"
shared=()
if [ $needsBackend = 1 ]; then
  # Shared objects, compiled once and linked into every test program.
  for f in "${engine[@]}"; do
    compile "src/$f.cpp" "$cxx" "${cflags[@]}" -c "$here/src/$f.cpp" -o "$work/engine_$f.o"
    shared+=("$work/engine_$f.o")
  done
  for f in "${backend[@]}"; do
    if [ "$mode" = emulated ]; then
      compile "cuda/$f.cu" "$cxx" "${cuflags[@]}" -c "$here/cuda/$f.cu" -o "$work/cuda_$f.o"
    else
      compile "cuda/$f.cu" "$nvcc" "${cuflags[@]}" -c "$here/cuda/$f.cu" -o "$work/cuda_$f.o"
    fi
    shared+=("$work/cuda_$f.o")
  done
fi
if [ "$mode" = emulated ]; then
  compile "cuda/emu/emu.cpp" "$cxx" "${cuflags[@]}" -c "$here/cuda/emu/emu.cpp" -o "$work/emu.o"
  compile "cuda/emu/emu_runtime.cpp" "$cxx" "${cuflags[@]}" -c "$here/cuda/emu/emu_runtime.cpp" -o "$work/emu_runtime.o"
fi
# A test program is test/<name>.cpp plus the files listed here.
declare -A parts=([ops_test]="ops_test_blas")
for t in "${tests[@]}"; do
  for f in "$t" ${parts[$t]:-}; do
    if [ "$mode" = emulated ]; then
      compile "test/$f.cpp" "$cxx" "${cuflags[@]}" -c "$here/cuda/test/$f.cpp" -o "$work/$f.o"
    else
      # Host code: nvcc hands it to g++ with the CUDA headers on the include path.
      compile "test/$f.cpp" "$nvcc" -std=c++17 -g -O2 -Xcompiler -ffp-contract=off -I "$here/src" -I "$here/cuda" -c "$here/cuda/test/$f.cpp" -o "$work/$f.o"
    fi
  done
done
failedBuilds || { echo "cuda-test: build failed" >&2; exit 1; }
showLogs

declare -A result
for t in "${tests[@]}"; do
  objs=("$work/$t.o")
  for f in ${parts[$t]:-}; do objs+=("$work/$f.o"); done
  [ "$t" != emu_test ] && objs+=("${shared[@]}")
  if [ "$mode" = emulated ]; then
    "$cxx" -o "$work/$t" "${objs[@]}" "$work/emu.o" "$work/emu_runtime.o" "${ldflags[@]}" || { result[$t]="link failed"; continue; }
  else
    "$nvcc" "${archs[@]}" -o "$work/$t" "${objs[@]}" -lpthread -ldl || { result[$t]="link failed"; continue; }
  fi
done

if [ $buildOnly = 1 ]; then
  for t in "${tests[@]}"; do [ -n "${result[$t]:-}" ] && { echo "cuda-test: $t: ${result[$t]}" >&2; exit 1; }; done
  echo "cuda-test: built ${tests[*]} ($mode), not run (--build-only)"
  exit 0
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=0
for t in "${tests[@]}"; do
  if [ -n "${result[$t]:-}" ]; then failed=1; continue; fi
  echo "=== $t ($mode)"
  start=$SECONDS
  "$work/$t"
  rc=$?
  # Emulated: again with each block's threads run last to first (emu.cpp, EMU_ORDER): a kernel
  # that depends on the order of its threads between barriers fails one of the two runs.
  if [ $rc -eq 0 ] && [ "$mode" = emulated ] && [ "$t" != emu_test ]; then
    echo "=== $t ($mode, threads in reverse order)"
    EMU_ORDER=reverse "$work/$t"
    rc=$?
  fi
  if [ $rc -eq 0 ]; then result[$t]="ok ($((SECONDS - start)) s)"; else result[$t]="FAILED (exit $rc)"; failed=1; fi
done

echo "=== cuda-test summary ($mode)"
for t in "${tests[@]}"; do printf '  %-11s %s\n' "$t" "${result[$t]}"; done
[ $failed = 0 ] && echo "cuda-test: ok" || echo "cuda-test: FAILED"
exit $failed
