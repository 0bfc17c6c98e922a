#!/usr/bin/env bash
# Builds the safetensors reader and its fuzz driver under AddressSanitizer + UBSan, writes a corpus
# of valid files and random mutations of them, and runs every file through the reader (from disk
# and from memory). Fails on any sanitizer report, crash, or an exception other than a clean error.
# Then runs fuzz/model_smoke.cpp (the whole engine on tiny models, 1-3 threads) under ASan+UBSan
# and under TSan, and the suffix-table build on 1-3 threads under TSan.
# Usage: native/tools/asan-test.sh [COUNT] [SEED]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-3000}"
seed="${2:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cxx="${CXX:-g++}"
"$cxx" -std=c++17 -O1 -g -ffp-contract=off -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
  -o "$work/fuzz_safetensors" "$here/fuzz/fuzz_safetensors.cpp" "$here/src/safetensors.cpp"
mkdir -p "$work/corpus"
"$work/fuzz_safetensors" gen "$work/corpus" "$count" "$seed"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
find "$work/corpus" -name '*.safetensors' -print0 | xargs -0 -n 500 "$work/fuzz_safetensors" run
# The whole engine (tiny GPT-2 and Llama: forward, decode, LoRA training, projection, bad input).
srcs=()
source "$here/tools/engine-sources.sh"
for f in "${engine_sources[@]}"; do srcs+=("$here/src/$f.cpp"); done
"$cxx" -std=c++17 -O1 -g -ffp-contract=off -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
  -o "$work/model_smoke" "$here/fuzz/model_smoke.cpp" "${srcs[@]}" -lpthread
"$work/model_smoke"
# The same under ThreadSanitizer: the pool's hand-offs and the per-thread GEMM buffers.
"$cxx" -std=c++17 -O1 -g -ffp-contract=off -fsanitize=thread -o "$work/model_smoke_tsan" "$here/fuzz/model_smoke.cpp" "${srcs[@]}" -lpthread
TSAN_OPTIONS=halt_on_error=1 "$work/model_smoke_tsan"
# The suffix-table build's worker (look-ahead and shared steps) under TSan, 1-3 threads; the tool
# also checks the tables are byte-identical across thread counts.
"$cxx" -std=c++17 -O1 -g -fsanitize=thread -I"$here/src" -o "$work/suffix_tsan" "$here/tools/suffixArrayBench.cpp" "$here/src/suffix_array.cpp" -lpthread
TSAN_OPTIONS=halt_on_error=1 "$work/suffix_tsan" 300000 1 2 3 > /dev/null
echo "asan-test: ok ($count files, seed $seed; model smoke under ASan+UBSan and TSan; suffix table under TSan)"
