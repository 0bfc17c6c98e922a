// Tests of the host CUDA emulator itself (native/cuda/emu): indexing, barriers, shuffles, votes,
// atomics, launch-configuration errors, memory API, and the deadlock / bad-shuffle detectors (run
// in forked children, which must abort with the expected message). Emulator only: never built
// by nvcc. Prints one line per check; exits 0 only when all pass.
//   g++ -x c++ -std=c++17 -DSTUDIO_CUDA_EMULATED -I native/cuda/emu native/cuda/test/emu_test.cpp native/cuda/emu/emu.cpp
#include "../launch.cuh"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

int failures = 0;
void check(bool ok, const char* name, const std::string& detail = "") {
  std::printf("%s %s%s%s\n", ok ? "ok  " : "FAIL", name, detail.empty() ? "" : ": ", detail.c_str());
  if (!ok) ++failures;
}

#define CK(x) engine::cuda::check((x), #x)

template <class T>
T* devAlloc(size_t n) {
  T* p = nullptr;
  CK(cudaMalloc(&p, n * sizeof(T)));
  CK(cudaMemset(p, 0, n * sizeof(T)));
  return p;
}
template <class T>
std::vector<T> download(const T* d, size_t n) {
  std::vector<T> h(n);
  CK(cudaMemcpy(h.data(), d, n * sizeof(T), cudaMemcpyDeviceToHost));
  return h;
}

// --- kernels -------------------------------------------------------------------------------------

// Every thread records its global coordinates, packed.
__global__ void indexKernel(unsigned* out) {
  const unsigned gx = blockIdx.x * blockDim.x + threadIdx.x;
  const unsigned gy = blockIdx.y * blockDim.y + threadIdx.y;
  const unsigned gz = blockIdx.z * blockDim.z + threadIdx.z;
  const unsigned W = gridDim.x * blockDim.x, H = gridDim.y * blockDim.y;
  out[(gz * H + gy) * W + gx] = gx | gy << 8 | gz << 16;
}

// Tree reduction of 256 values per block in shared memory.
__global__ void blockSumKernel(const float* x, float* out) {
  __shared__ float s[256];
  s[threadIdx.x] = x[blockIdx.x * 256 + threadIdx.x];
  __syncthreads();
  for (int o = 128; o > 0; o >>= 1) {
    if ((int)threadIdx.x < o) s[threadIdx.x] += s[threadIdx.x + o];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x] = s[0];
}

// Per warp: xor-butterfly sum (every lane gets it) and down-tree sum (lane 0 gets it).
__global__ void warpSumKernel(const int* x, int* xorOut, int* downOut) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  int a = x[i], b = x[i];
  for (int o = 16; o > 0; o >>= 1) a += __shfl_xor_sync(0xffffffffu, a, o);
  for (int o = 16; o > 0; o >>= 1) b += __shfl_down_sync(0xffffffffu, b, o);
  xorOut[i] = a;
  if (threadIdx.x % 32 == 0) downOut[i / 32] = b;
}

// Whole warps leave early (rows past the end), the remaining warps still shuffle.
__global__ void earlyExitKernel(const float* x, int rows, float* out) {
  const int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
  const int lane = threadIdx.x % 32;
  if (row >= rows) return;
  float v = x[row * 32 + lane];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  if (lane == 0) out[row] = v;
}

// Broadcast (__shfl_sync), prefix (__shfl_up_sync, width 8), doubles, and a partial last warp
// (48 threads: lanes 16-31 of warp 1 do not exist; width-16 shuffles stay inside the block).
__global__ void shuffleKindsKernel(double* bcast, int* scan8, float* half16) {
  const int t = threadIdx.x, lane = t % 32;
  double d = 1000.0 * (t / 32) + lane + 0.5;
  bcast[t] = __shfl_sync(0xffffffffu, d, 3);
  int v = lane % 8 + 1;
  for (int o = 1; o < 8; o <<= 1) {
    int u = __shfl_up_sync(0xffffffffu, v, o, 8);
    if (lane % 8 >= o) v += u;
  }
  scan8[t] = v;
  float f = float(t);
  for (int o = 8; o > 0; o >>= 1) f += __shfl_down_sync(0xffffffffu, f, o, 16);
  half16[t] = f;
}

__global__ void voteKernel(unsigned* ballots, int* counts) {
  const int t = threadIdx.x;
  unsigned b = __ballot_sync(0xffffffffu, t % 3 == 0);
  int any = __any_sync(0xffffffffu, t == 5), all = __all_sync(0xffffffffu, t < 1000);
  int c = __syncthreads_count(t % 2 == 0);
  if (t % 32 == 0) ballots[t / 32] = b;
  if (t == 0) counts[0] = c, counts[1] = any, counts[2] = all;
}

__global__ void atomicKernel(int* counter, float* fsum, unsigned long long* big, int* mx) {
  atomicAdd(counter, 1);
  atomicAdd(fsum, 0.5f);
  atomicAdd(big, 1ull << 33);
  atomicMax(mx, int(blockIdx.x * blockDim.x + threadIdx.x));
}

__global__ void markKernel(int* flag) { *flag = 1; }

__global__ void tinyKernel(float* y, const float* x, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] += 2.f * x[i];
}

// Deliberate bugs, for the detectors.
__global__ void divergentSyncKernel(int* x) {
  if (threadIdx.x < 16) __syncthreads();  // threads 16.. wait at the other one: undefined on a GPU
  __syncthreads();
  x[threadIdx.x] = 1;
}
// Exited threads do not take part in __syncthreads (as on sm_70+): this one is fine.
__global__ void exitThenSyncKernel(int* x) {
  if (threadIdx.x >= 16) return;
  __shared__ int s[16];
  s[threadIdx.x] = int(threadIdx.x);
  __syncthreads();
  x[threadIdx.x] = s[15 - threadIdx.x];
}
__global__ void mixedBarrierKernel(int* x) {
  if (threadIdx.x == 3) __syncthreads();
  else x[threadIdx.x] = __shfl_xor_sync(0xffffffffu, int(threadIdx.x), 1);
}
__global__ void exitedLaneShuffleKernel(float* x, int n) {
  const int i = threadIdx.x;
  if (i >= n) return;  // lanes past n exit, then the others read them
  float v = x[i];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  x[i] = v;
}

// Runs fn in a child; returns (aborted with SIGABRT, its stderr).
template <class F>
std::pair<bool, std::string> inChild(F fn) {
  std::fflush(stdout);
  int fds[2];
  if (pipe(fds) != 0) return {false, "pipe failed"};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    fn();
    _exit(0);  // no abort: the detector missed it
  }
  close(fds[1]);
  std::string err;
  char buf[4096];
  for (ssize_t k; (k = read(fds[0], buf, sizeof buf)) > 0;) err.append(buf, size_t(k));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, err};
}

}  // namespace

int main() {
  using engine::cuda::checkLaunch;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  cudaStream_t s;
  CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));

  {  // 3-D grid of 3-D blocks
    const dim3 grid(3, 2, 2), block(4, 2, 3);
    const unsigned W = 12, H = 4, D = 6;
    unsigned* d = devAlloc<unsigned>(W * H * D);
    STUDIO_LAUNCH(indexKernel, grid, block, s)(d);
    checkLaunch("indexKernel");
    auto h = download(d, W * H * D);
    int bad = 0;
    for (unsigned z = 0; z < D; ++z)
      for (unsigned y = 0; y < H; ++y)
        for (unsigned x = 0; x < W; ++x) bad += h[(z * H + y) * W + x] != (x | y << 8 | z << 16);
    check(bad == 0, "3-D grid indexing", std::to_string(bad) + " wrong of " + std::to_string(W * H * D));
    CK(cudaFree(d));
  }

  {  // shared-memory block reduction
    const int blocks = 5;
    std::vector<float> x(blocks * 256);
    for (size_t i = 0; i < x.size(); ++i) x[i] = float(i % 97);
    float* dx = devAlloc<float>(x.size());
    float* dout = devAlloc<float>(blocks);
    CK(cudaMemcpy(dx, x.data(), x.size() * 4, cudaMemcpyHostToDevice));
    STUDIO_LAUNCH(blockSumKernel, blocks, 256, s)(dx, dout);
    checkLaunch("blockSumKernel");
    auto h = download(dout, blocks);
    bool ok = true;
    for (int b = 0; b < blocks; ++b) {
      float ref = 0;
      for (int i = 0; i < 256; ++i) ref += x[b * 256 + i];
      ok = ok && h[b] == ref;
    }
    check(ok, "block reduction with __shared__ and __syncthreads");
    CK(cudaFree(dx));
    CK(cudaFree(dout));
  }

  {  // warp reductions
    const int n = 3 * 128;
    std::vector<int> x(n);
    for (int i = 0; i < n; ++i) x[i] = (i * 7919) % 1000 - 500;
    int* dx = devAlloc<int>(n);
    int* dxor = devAlloc<int>(n);
    int* ddown = devAlloc<int>(n / 32);
    CK(cudaMemcpy(dx, x.data(), n * 4, cudaMemcpyHostToDevice));
    STUDIO_LAUNCH(warpSumKernel, 3, 128, s)(dx, dxor, ddown);
    checkLaunch("warpSumKernel");
    auto hx = download(dxor, n);
    auto hd = download(ddown, n / 32);
    bool okx = true, okd = true;
    for (int w = 0; w < n / 32; ++w) {
      int ref = 0;
      for (int l = 0; l < 32; ++l) ref += x[w * 32 + l];
      for (int l = 0; l < 32; ++l) okx = okx && hx[w * 32 + l] == ref;
      okd = okd && hd[w] == ref;
    }
    check(okx, "__shfl_xor_sync warp sum (all lanes) matches serial sum");
    check(okd, "__shfl_down_sync warp sum (lane 0) matches serial sum");
    CK(cudaFree(dx));
    CK(cudaFree(dxor));
    CK(cudaFree(ddown));
  }

  {  // whole warps exit before the shuffles of the others
    const int rows = 5;  // 2 blocks of 4 warps: warps for rows 5..7 return at once
    std::vector<float> x(8 * 32);
    for (size_t i = 0; i < x.size(); ++i) x[i] = float(i % 13);
    float* dx = devAlloc<float>(x.size());
    float* dout = devAlloc<float>(8);
    CK(cudaMemcpy(dx, x.data(), x.size() * 4, cudaMemcpyHostToDevice));
    STUDIO_LAUNCH(earlyExitKernel, 2, 128, s)(dx, rows, dout);
    checkLaunch("earlyExitKernel");
    auto h = download(dout, 8);
    bool ok = true;
    for (int r = 0; r < 8; ++r) {
      float ref = 0;
      for (int l = 0; l < 32; ++l) ref += x[r * 32 + l];
      ok = ok && h[r] == (r < rows ? ref : 0.f);
    }
    check(ok, "warps returning early do not block the shuffles of full warps");
    CK(cudaFree(dx));
    CK(cudaFree(dout));
  }

  {  // shuffle kinds, widths, doubles, partial last warp
    const int n = 48;
    double* db = devAlloc<double>(n);
    int* ds = devAlloc<int>(n);
    float* dh = devAlloc<float>(n);
    STUDIO_LAUNCH(shuffleKindsKernel, 1, n, s)(db, ds, dh);
    checkLaunch("shuffleKindsKernel");
    auto hb = download(db, n);
    auto hs = download(ds, n);
    auto hh = download(dh, n);
    bool okb = true, oks = true, okh = true;
    for (int t = 0; t < n; ++t) {
      okb = okb && hb[t] == 1000.0 * (t / 32) + 3.5;
      int lane8 = t % 32 % 8;
      oks = oks && hs[t] == (lane8 + 1) * (lane8 + 2) / 2;
      // down-tree within 16-lane segments: lane 0 of a segment gets the segment's sum
      if (t % 16 == 0) {
        float ref = 0;
        for (int k = t; k < t + 16; ++k) ref += float(k);
        okh = okh && hh[t] == ref;
      }
    }
    check(okb, "__shfl_sync broadcast of doubles (incl. a 16-lane partial warp)");
    check(oks, "__shfl_up_sync inclusive scan, width 8");
    check(okh, "__shfl_down_sync width 16 in a 48-thread block (partial warp)");
    CK(cudaFree(db));
    CK(cudaFree(ds));
    CK(cudaFree(dh));
  }

  {  // exited threads do not hold a __syncthreads
    int* d = devAlloc<int>(16);
    STUDIO_LAUNCH(exitThenSyncKernel, 1, 64, s)(d);
    checkLaunch("exitThenSyncKernel");
    auto h = download(d, 16);
    bool ok = true;
    for (int i = 0; i < 16; ++i) ok = ok && h[i] == 15 - i;
    check(ok, "threads that returned do not hold __syncthreads");
    CK(cudaFree(d));
  }

  {  // votes and __syncthreads_count
    unsigned* db = devAlloc<unsigned>(3);
    int* dc = devAlloc<int>(3);
    STUDIO_LAUNCH(voteKernel, 1, 96, s)(db, dc);
    checkLaunch("voteKernel");
    auto hb = download(db, 3);
    auto hc = download(dc, 3);
    bool ok = hc[0] == 48 && hc[1] == 1 && hc[2] == 1;
    for (int w = 0; w < 3; ++w) {
      unsigned ref = 0;
      for (int l = 0; l < 32; ++l) ref |= unsigned((w * 32 + l) % 3 == 0) << l;
      ok = ok && hb[w] == ref;
    }
    check(ok, "__ballot_sync / __any_sync / __all_sync / __syncthreads_count");
    CK(cudaFree(db));
    CK(cudaFree(dc));
  }

  {  // atomics
    int* dc = devAlloc<int>(1);
    float* df = devAlloc<float>(1);
    unsigned long long* dl = devAlloc<unsigned long long>(1);
    int* dm = devAlloc<int>(1);
    STUDIO_LAUNCH(atomicKernel, dim3(7, 3), 64, s)(dc, df, dl, dm);
    checkLaunch("atomicKernel");
    const int total = 7 * 3 * 64;
    check(download(dc, 1)[0] == total && download(df, 1)[0] == 0.5f * total && download(dl, 1)[0] == (unsigned long long)total << 33 &&
              download(dm, 1)[0] == 7 * 64 - 1,
          "atomicAdd (int, float, u64) and atomicMax");
    CK(cudaFree(dc));
    CK(cudaFree(df));
    CK(cudaFree(dl));
    CK(cudaFree(dm));
  }

  {  // invalid configurations: error, kernel not run, error cleared by cudaGetLastError
    int* d = devAlloc<int>(1);
    bool ok = true;
    const dim3 bad[][2] = {{dim3(1), dim3(0)}, {dim3(1), dim3(1025)}, {dim3(1), dim3(32, 32, 2)}, {dim3(1), dim3(1, 1, 65)},
                           {dim3(1, 65536), dim3(32)}, {dim3(0), dim3(32)}};
    for (auto& c : bad) {
      STUDIO_LAUNCH(markKernel, c[0], c[1], s)(d);
      ok = ok && cudaPeekAtLastError() == cudaErrorInvalidConfiguration && cudaGetLastError() == cudaErrorInvalidConfiguration &&
           cudaGetLastError() == cudaSuccess;
    }
    ok = ok && download(d, 1)[0] == 0;
    bool threw = false;
    try {
      STUDIO_LAUNCH(markKernel, 1, 2048, s)(d);
      checkLaunch("markKernel");
    } catch (const std::exception& e) {
      threw = std::string(e.what()).find("invalid configuration argument") != std::string::npos;
    }
    check(ok && threw, "invalid configuration -> cudaErrorInvalidConfiguration, kernel not run");
    CK(cudaFree(d));
  }

  {  // memory API
    const size_t n = 1000;
    std::vector<float> a(n), b(n, -1.f);
    for (size_t i = 0; i < n; ++i) a[i] = float(i) * 0.25f;
    float *d1 = nullptr, *d2 = nullptr, *pinned = nullptr;
    CK(cudaMalloc(&d1, n * 4));
    CK(cudaMalloc(&d2, n * 4));
    CK(cudaMallocHost(&pinned, n * 4));
    CK(cudaMemcpyAsync(d1, a.data(), n * 4, cudaMemcpyHostToDevice, s));
    CK(cudaMemcpy(d2, d1, n * 4, cudaMemcpyDeviceToDevice));
    CK(cudaMemcpy(pinned, d2, n * 4, cudaMemcpyDeviceToHost));
    CK(cudaStreamSynchronize(s));
    bool ok = std::memcmp(pinned, a.data(), n * 4) == 0;
    CK(cudaMemsetAsync(d2, 0, n * 4, s));
    CK(cudaMemcpy(b.data(), d2, n * 4, cudaMemcpyDefault));
    for (float v : b) ok = ok && v == 0.f;
    void* z = &ok;
    ok = ok && cudaMalloc(&z, 0) == cudaSuccess && z == nullptr && cudaFree(nullptr) == cudaSuccess;
    check(ok, "cudaMemcpy / cudaMemcpyAsync / cudaMemset round trip");
    // A host pointer where device memory is expected (faults on a GPU) is refused.
    bool refused = cudaMemcpy(b.data(), a.data(), n * 4, cudaMemcpyHostToDevice) == cudaErrorInvalidValue &&
                   cudaGetLastError() == cudaErrorInvalidValue && cudaMemcpy(d1, a.data(), n * 4 + 4, cudaMemcpyHostToDevice) == cudaErrorInvalidValue &&
                   cudaMemset(b.data(), 0, 4) == cudaErrorInvalidValue && cudaGetLastError() == cudaErrorInvalidValue;
    size_t fr = 0, tot = 0;
    CK(cudaMemGetInfo(&fr, &tot));
    refused = refused && tot - fr >= 2 * n * 4;
    check(refused, "copies with a non-device pointer on the device side are refused (the 3 \"emu:\" lines before are expected)");
    CK(cudaFree(d1));
    CK(cudaFree(d2));
    CK(cudaFreeHost(pinned));
    cudaDeviceProp p;
    int count = 0;
    CK(cudaGetDeviceCount(&count));
    CK(cudaGetDeviceProperties(&p, 0));
    check(count == 1 && std::string(p.name) == "emulated (host)" && p.major == 0 && p.warpSize == 32, "device count and properties");
  }

  {  // launches from two OS threads at once are serialised; many tiny launches stay cheap
    const int n = 1000, launches = 2000;
    float *x = devAlloc<float>(n), *y1 = devAlloc<float>(n), *y2 = devAlloc<float>(n);
    std::vector<float> ones(n, 1.f);
    CK(cudaMemcpy(x, ones.data(), n * 4, cudaMemcpyHostToDevice));
    auto t0 = std::chrono::steady_clock::now();
    auto work = [&](float* y) {
      for (int k = 0; k < launches; ++k) STUDIO_LAUNCH(tinyKernel, engine::cuda::ceilDiv(n, 256), 256, nullptr)(y, x, n);
    };
    std::thread other(work, y2);
    work(y1);
    other.join();
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    auto h1 = download(y1, n), h2 = download(y2, n);
    bool ok = true;
    for (int i = 0; i < n; ++i) ok = ok && h1[i] == 2.f * launches && h2[i] == 2.f * launches;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%d launches of %d threads in %.0f ms", 2 * launches, n, ms);
    check(ok, "concurrent launches from two threads", buf);
    CK(cudaFree(x));
    CK(cudaFree(y1));
    CK(cudaFree(y2));
  }

  {  // detectors: the child must abort with a precise message
    auto r = inChild([] {
      int* d = devAlloc<int>(64);
      STUDIO_LAUNCH(divergentSyncKernel, 2, 64, nullptr)(d);
    });
    check(r.first && r.second.find("emu: deadlock in kernel divergentSyncKernel block (0,0,0)") != std::string::npos &&
              r.second.find("wait at __syncthreads at ") != std::string::npos,
          "deadlock detector: __syncthreads in divergent code aborts", r.first ? "" : "child did not abort: " + r.second);
    r = inChild([] {
      int* d = devAlloc<int>(32);
      STUDIO_LAUNCH(mixedBarrierKernel, 1, 32, nullptr)(d);
    });
    check(r.first && r.second.find("emu: deadlock in kernel mixedBarrierKernel") != std::string::npos &&
              r.second.find("__shfl_xor_sync (warp barrier") != std::string::npos,
          "deadlock detector: warp barrier against block barrier aborts", r.first ? "" : "child did not abort: " + r.second);
    r = inChild([] {
      float* d = devAlloc<float>(32);
      STUDIO_LAUNCH(exitedLaneShuffleKernel, 1, 32, nullptr)(d, 20);
    });
    check(r.first && r.second.find("which has exited") != std::string::npos, "shuffle reading an exited lane aborts",
          r.first ? "" : "child did not abort: " + r.second);
    r = inChild([] {
      float* d = devAlloc<float>(20);
      STUDIO_LAUNCH(exitedLaneShuffleKernel, 1, 20, nullptr)(d, 20);
    });
    check(r.first && r.second.find("which is not in the block") != std::string::npos, "shuffle reading a lane outside a partial warp aborts",
          r.first ? "" : "child did not abort: " + r.second);
  }

  CK(cudaStreamDestroy(s));
  std::printf("emu_test: %s (%d failed)\n", failures ? "FAILED" : "all passed", failures);
  return failures ? 1 : 0;
}
