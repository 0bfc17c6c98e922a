// Standalone timing of the native suffix-table build (engine::tokenSuffixTable) on the same kind
// of corpus as bench/attributionSpans.ts: documents of 50-400 Zipf(1.1) ids over 50,257 ids, 1 in 4
// repeating a passage of an earlier one, each after a 0xffff separator, 2-byte little-endian.
// Prints wall, process CPU and the calling thread's CPU seconds per thread count. Not part of the addon; build with
//   g++ -O3 -std=c++17 -pthread -Inative/src native/tools/suffixArrayBench.cpp native/src/suffix_array.cpp -o /tmp/sabench
//   /tmp/sabench 10000000 1 2
// Passing more than one thread count also checks that every run's table is byte-identical.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <vector>

#include "suffix_array.h"

namespace {

uint32_t state = 7;
double rnd() {
  state = state * 1664525u + 1013904223u;
  return state / 4294967296.0;
}

double cpuSeconds(clockid_t clock) {
  timespec t;
  clock_gettime(clock, &t);
  return double(t.tv_sec) + t.tv_nsec * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t target = argc > 1 ? std::atoll(argv[1]) : 10000000;
  std::vector<int> threads;
  for (int a = 2; a < argc; a++) threads.push_back(std::atoi(argv[a]));
  if (threads.empty()) threads.push_back(1);
  const int vocab = 50257;
  std::vector<double> cdf(vocab);
  double acc = 0;
  for (int k = 0; k < vocab; k++) cdf[k] = acc += 1 / std::pow(k + 1, 1.1);
  for (double& c : cdf) c /= acc;
  auto draw = [&]() { return uint16_t(std::lower_bound(cdf.begin(), cdf.end(), rnd()) - cdf.begin()); };
  std::vector<std::vector<uint16_t>> docs;
  std::vector<uint16_t> ids;
  while (int64_t(ids.size()) < target) {
    std::vector<uint16_t> d(50 + size_t(rnd() * 350));
    for (auto& t : d) t = draw();
    if (docs.size() > 10 && rnd() < 0.25) {
      const auto& src = docs[size_t(rnd() * docs.size())];
      const size_t a = size_t(rnd() * (src.size() / 2));
      const size_t len = std::min({d.size(), size_t(20 + rnd() * 60), src.size() - a});
      const size_t at = size_t(rnd() * std::max<size_t>(1, d.size() - len));
      std::copy(src.begin() + a, src.begin() + a + len, d.begin() + at);
    }
    ids.push_back(0xffff);
    ids.insert(ids.end(), d.begin(), d.end());
    docs.push_back(std::move(d));
  }
  const int64_t n = int64_t(ids.size());
  std::vector<uint8_t> bytes(size_t(n) * 2);
  for (int64_t i = 0; i < n; i++) {
    bytes[size_t(2 * i)] = uint8_t(ids[size_t(i)] & 0xff);
    bytes[size_t(2 * i + 1)] = uint8_t(ids[size_t(i)] >> 8);
  }
  std::vector<uint8_t> first;
  for (int t : threads) {
    // Zeroed and untouched, as the addon's output (a Uint8Array: calloc'd) reaches the build.
    const size_t bytesOut = size_t(n) * 4;
    std::unique_ptr<uint8_t, void (*)(void*)> out(static_cast<uint8_t*>(std::calloc(bytesOut, 1)), std::free);
    if (!out) return 2;
    const double c0 = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID), m0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    const auto w0 = std::chrono::steady_clock::now();
    engine::tokenSuffixTable(bytes.data(), n, 2, 4, out.get(), t);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    const double cpu = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - c0, mainCpu = cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - m0;
    // The calling thread's CPU: on a loaded machine, the closest figure to a quiet machine's wall
    // time (the build's sequential loop runs there and never waits for the helper threads).
    std::printf("{\"tokens\": %lld, \"threads\": %d, \"wallS\": %.3f, \"cpuS\": %.3f, \"callingThreadCpuS\": %.3f, \"tokensPerWallS\": %.0f, \"tokensPerCpuS\": %.0f, \"tokensPerCallingThreadCpuS\": %.0f}\n", (long long)n, t, wall, cpu, mainCpu, n / wall, n / cpu, n / mainCpu);
    if (first.empty()) first.assign(out.get(), out.get() + bytesOut);
    else if (std::memcmp(first.data(), out.get(), bytesOut) != 0) {
      std::printf("MISMATCH between thread counts\n");
      return 1;
    }
  }
  return 0;
}
