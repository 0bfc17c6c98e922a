// Host emulator of the subset of CUDA that the backend (native/cuda) uses. Found instead of the
// real <cuda_runtime.h> through `-I native/cuda/emu` when the .cu files are compiled as plain C++
// with -DSTUDIO_CUDA_EMULATED (tools/cuda-test.sh, tools/cuda-build.sh --emulated), so kernels
// really execute on the CPU, under AddressSanitizer, without a GPU.
//
// Execution model (emu.cpp):
//   - "Device" memory is host memory (cudaMalloc = aligned malloc of exactly the size asked, so
//     ASan catches any out-of-bounds access); every runtime call is synchronous. Copies and
//     memsets whose device side is not inside a cudaMalloc block fail with a message (a kernel
//     dereferencing a host pointer, however, goes unnoticed).
//   - A launch runs the whole grid on the calling OS thread, one block after another; the threads
//     of a block are fibers scheduled round-robin: a thread runs until it reaches a barrier
//     (__syncthreads, __syncwarp, a shuffle/vote) or returns. Launches are serialised by a global
//     mutex, so a function-static array IS the block's shared memory: __shared__ = static.
//   - Exited threads take no part in barriers (as on sm_70+). All threads waiting at
//     __syncthreads must wait at the same one (same source line), else it is a deadlock.
//   - Warp = linear thread index / 32. Warp operations wait for every lane of the warp that has
//     not exited, whatever the mask (partial masks used from divergent code therefore deadlock,
//     which is reported). A shuffle that reads a lane which did not take part (exited, not in the
//     block, or at another barrier) aborts with a message: on a GPU that value is undefined.
//   - If no thread of a block can progress (e.g. __syncthreads in divergent code), the emulator
//     prints "emu: deadlock in kernel <name> block (x,y,z): ..." and aborts.
// Not emulated: dynamic shared memory, streams' concurrency, warp-synchronous code without
// __syncwarp, uninitialised shared memory (static arrays start at zero here, garbage on a GPU).
#pragma once
#ifndef STUDIO_CUDA_EMULATED
#error "native/cuda/emu/cuda_runtime.h is the host emulator: compile with -DSTUDIO_CUDA_EMULATED"
#endif

#include <cmath>
#include <math.h>  // after <cmath>: the C++ wrapper puts the float overloads (std::exp...) in :: too
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>

// CUDA sources say `#pragma unroll`, which g++ does not know: not worth a warning per loop.
#pragma GCC diagnostic ignored "-Wunknown-pragmas"

// --- qualifiers ----------------------------------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __constant__
#define __forceinline__ inline
#define __launch_bounds__(...)
// One OS thread runs a whole block, one block at a time: a function-static array is exactly the
// block's shared memory. (__restrict__ is a g++ keyword already.)
#define __shared__ static

constexpr int warpSize = 32;

// --- vector types ---------------------------------------------------------------------------------
struct uint3 {
  unsigned x, y, z;
};
struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  constexpr operator uint3() const { return uint3{x, y, z}; }
};
struct alignas(8) float2 { float x, y; };
struct float3 { float x, y, z; };
struct alignas(16) float4 { float x, y, z, w; };
struct alignas(8) int2 { int x, y; };
struct alignas(16) int4 { int x, y, z, w; };
struct alignas(8) uint2 { unsigned x, y; };
struct alignas(16) uint4 { unsigned x, y, z, w; };
struct alignas(16) double2 { double x, y; };
inline float2 make_float2(float x, float y) { return {x, y}; }
inline float3 make_float3(float x, float y, float z) { return {x, y, z}; }
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }
inline int2 make_int2(int x, int y) { return {x, y}; }
inline int4 make_int4(int x, int y, int z, int w) { return {x, y, z, w}; }
inline uint3 make_uint3(unsigned x, unsigned y, unsigned z) { return {x, y, z}; }

// --- built-in variables: the current emulated thread (set by the scheduler at every switch) ------
namespace emu {
namespace detail {
extern uint3 tid_, bid_;
extern dim3 bdim_, gdim_;
}  // namespace detail
}  // namespace emu
#define threadIdx (static_cast<const ::uint3&>(::emu::detail::tid_))
#define blockIdx (static_cast<const ::uint3&>(::emu::detail::bid_))
#define blockDim (static_cast<const ::dim3&>(::emu::detail::bdim_))
#define gridDim (static_cast<const ::dim3&>(::emu::detail::gdim_))

// --- barriers, shuffles, votes (emu.cpp) ----------------------------------------------------------
namespace emu {
namespace detail {
enum ShflKind { kShflIdx, kShflUp, kShflDown, kShflXor };
// Deposits `bits`, waits for the warp, returns the bits of the source lane (CUDA's rules).
uint64_t shfl(unsigned mask, uint64_t bits, ShflKind kind, int arg, int width, const char* what);
// Warp-wide OR / AND / count of predicates, and the ballot mask.
unsigned ballot(unsigned mask, int pred, const char* what);
int syncthreadsReduce(int pred, int op);  // op 0: count, 1: and, 2: or
void syncthreads(const char* site);
template <class T>
T shflT(unsigned mask, T v, ShflKind kind, int arg, int width, const char* what) {
  static_assert(std::is_trivially_copyable<T>::value && sizeof(T) <= 8, "shuffle of a type over 8 bytes");
  uint64_t b = 0;
  std::memcpy(&b, &v, sizeof(T));
  b = shfl(mask, b, kind, arg, width, what);
  std::memcpy(&v, &b, sizeof(T));
  return v;
}
}  // namespace detail
}  // namespace emu

// __syncthreads names its call site: threads of a block waiting at different __syncthreads is
// undefined on a GPU (it may hang), and here it is reported as a deadlock naming both lines.
#define EMU_STR2_(x) #x
#define EMU_STR_(x) EMU_STR2_(x)
#define __syncthreads() ::emu::detail::syncthreads("__syncthreads at " __FILE__ ":" EMU_STR_(__LINE__))
void __syncwarp(unsigned mask = 0xffffffffu);
inline int __syncthreads_count(int p) { return ::emu::detail::syncthreadsReduce(p, 0); }
inline int __syncthreads_and(int p) { return ::emu::detail::syncthreadsReduce(p, 1); }
inline int __syncthreads_or(int p) { return ::emu::detail::syncthreadsReduce(p, 2); }
inline void __threadfence() {}
inline void __threadfence_block() {}
template <class T>
inline T __shfl_sync(unsigned mask, T v, int srcLane, int width = warpSize) {
  return ::emu::detail::shflT(mask, v, ::emu::detail::kShflIdx, srcLane, width, "__shfl_sync");
}
template <class T>
inline T __shfl_up_sync(unsigned mask, T v, unsigned delta, int width = warpSize) {
  return ::emu::detail::shflT(mask, v, ::emu::detail::kShflUp, int(delta), width, "__shfl_up_sync");
}
template <class T>
inline T __shfl_down_sync(unsigned mask, T v, unsigned delta, int width = warpSize) {
  return ::emu::detail::shflT(mask, v, ::emu::detail::kShflDown, int(delta), width, "__shfl_down_sync");
}
template <class T>
inline T __shfl_xor_sync(unsigned mask, T v, int laneMask, int width = warpSize) {
  return ::emu::detail::shflT(mask, v, ::emu::detail::kShflXor, laneMask, width, "__shfl_xor_sync");
}
inline unsigned __ballot_sync(unsigned mask, int pred) { return ::emu::detail::ballot(mask, pred, "__ballot_sync"); }
inline int __any_sync(unsigned mask, int pred) { return ::emu::detail::ballot(mask, pred, "__any_sync") != 0; }
inline int __all_sync(unsigned mask, int pred) {
  return ::emu::detail::ballot(mask, !pred, "__all_sync") == 0;  // no live lane has !pred
}

// --- atomics: one OS thread runs every emulated thread, so plain read-modify-write is atomic ------
template <class T>
inline T emuAtomicRmw_(T* a, T v, int op) {
  T old = *a;
  switch (op) {
    case 0: *a = old + v; break;
    case 1: *a = old < v ? v : old; break;
    case 2: *a = v < old ? v : old; break;
    case 3: *a = v; break;
    case 4: *a = old - v; break;
  }
  return old;
}
inline float atomicAdd(float* a, float v) { return emuAtomicRmw_(a, v, 0); }
inline double atomicAdd(double* a, double v) { return emuAtomicRmw_(a, v, 0); }
inline int atomicAdd(int* a, int v) { return int(emuAtomicRmw_(reinterpret_cast<unsigned*>(a), unsigned(v), 0)); }  // wraps like the GPU
inline unsigned atomicAdd(unsigned* a, unsigned v) { return emuAtomicRmw_(a, v, 0); }
inline unsigned long long atomicAdd(unsigned long long* a, unsigned long long v) { return emuAtomicRmw_(a, v, 0); }
inline int atomicSub(int* a, int v) { return int(emuAtomicRmw_(reinterpret_cast<unsigned*>(a), unsigned(v), 4)); }
inline unsigned atomicSub(unsigned* a, unsigned v) { return emuAtomicRmw_(a, v, 4); }
inline int atomicMax(int* a, int v) { return emuAtomicRmw_(a, v, 1); }
inline unsigned atomicMax(unsigned* a, unsigned v) { return emuAtomicRmw_(a, v, 1); }
inline int atomicMin(int* a, int v) { return emuAtomicRmw_(a, v, 2); }
inline unsigned atomicMin(unsigned* a, unsigned v) { return emuAtomicRmw_(a, v, 2); }
inline int atomicExch(int* a, int v) { return emuAtomicRmw_(a, v, 3); }
inline unsigned atomicExch(unsigned* a, unsigned v) { return emuAtomicRmw_(a, v, 3); }
inline float atomicExch(float* a, float v) { return emuAtomicRmw_(a, v, 3); }
inline unsigned long long atomicExch(unsigned long long* a, unsigned long long v) { return emuAtomicRmw_(a, v, 3); }
inline int atomicCAS(int* a, int cmp, int v) {
  int old = *a;
  if (old == cmp) *a = v;
  return old;
}
inline unsigned atomicCAS(unsigned* a, unsigned cmp, unsigned v) {
  unsigned old = *a;
  if (old == cmp) *a = v;
  return old;
}
inline unsigned long long atomicCAS(unsigned long long* a, unsigned long long cmp, unsigned long long v) {
  unsigned long long old = *a;
  if (old == cmp) *a = v;
  return old;
}

// --- device math: the host's <cmath> (expf, logf, tanhf, sqrtf, fmaxf, erff, powf, fmaf... come
// from math.h, the same functions as std::); intrinsics map to the accurate versions. -------------
inline float rsqrtf(float x) { return 1.f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }
inline float __expf(float x) { return expf(x); }
inline float __logf(float x) { return logf(x); }
inline float __sinf(float x) { return sinf(x); }
inline float __cosf(float x) { return cosf(x); }
inline float __tanhf(float x) { return tanhf(x); }
inline float __powf(float a, float b) { return powf(a, b); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __frcp_rn(float x) { return 1.f / x; }
inline float __fsqrt_rn(float x) { return sqrtf(x); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
inline float __saturatef(float x) { return x < 0.f ? 0.f : (x > 1.f ? 1.f : x); }
inline unsigned __float_as_uint(float x) { unsigned u; std::memcpy(&u, &x, 4); return u; }
inline float __uint_as_float(unsigned u) { float x; std::memcpy(&x, &u, 4); return x; }
inline int __float_as_int(float x) { int u; std::memcpy(&u, &x, 4); return u; }
inline float __int_as_float(int u) { float x; std::memcpy(&x, &u, 4); return x; }
inline long long __double_as_longlong(double x) { long long u; std::memcpy(&u, &x, 8); return u; }
inline double __longlong_as_double(long long u) { double x; std::memcpy(&x, &u, 8); return x; }
inline int __float2int_rn(float x) { return int(nearbyintf(x)); }
inline int __float2int_rz(float x) { return int(x); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(unsigned(x)); }
template <class T>
inline T __ldg(const T* p) { return *p; }
// CUDA's global min/max overloads (mixed signed/unsigned pick unsigned, as nvcc's do).
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline unsigned min(int a, unsigned b) { return min(unsigned(a), b); }
inline unsigned max(int a, unsigned b) { return max(unsigned(a), b); }
inline unsigned min(unsigned a, int b) { return min(a, unsigned(b)); }
inline unsigned max(unsigned a, int b) { return max(a, unsigned(b)); }
inline long min(long a, long b) { return a < b ? a : b; }
inline long max(long a, long b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline unsigned long min(unsigned long a, unsigned long b) { return a < b ? a : b; }
inline unsigned long max(unsigned long a, unsigned long b) { return a > b ? a : b; }
inline unsigned long long min(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
inline unsigned long long max(unsigned long long a, unsigned long long b) { return a > b ? a : b; }
inline float min(float a, float b) { return fminf(a, b); }
inline float max(float a, float b) { return fmaxf(a, b); }
inline double min(double a, double b) { return fmin(a, b); }
inline double max(double a, double b) { return fmax(a, b); }

// --- runtime API (all synchronous) --------------------------------------------------------------
enum cudaError_t {
  cudaSuccess = 0,
  cudaErrorInvalidValue = 1,
  cudaErrorMemoryAllocation = 2,
  cudaErrorInvalidConfiguration = 9,
  cudaErrorInsufficientDriver = 35,
  cudaErrorNoDevice = 100,
  cudaErrorInvalidDevice = 101,
  cudaErrorInvalidResourceHandle = 400,
  cudaErrorNotReady = 600,
  cudaErrorLaunchFailure = 719,
};
typedef cudaError_t cudaError;
enum cudaMemcpyKind {
  cudaMemcpyHostToHost = 0,
  cudaMemcpyHostToDevice = 1,
  cudaMemcpyDeviceToHost = 2,
  cudaMemcpyDeviceToDevice = 3,
  cudaMemcpyDefault = 4,
};
typedef struct CUstream_st* cudaStream_t;
typedef struct CUevent_st* cudaEvent_t;
#define cudaStreamDefault 0x00
#define cudaStreamNonBlocking 0x01
#define cudaStreamLegacy ((cudaStream_t)0x1)
#define cudaStreamPerThread ((cudaStream_t)0x2)
#define cudaHostAllocDefault 0x00
#define cudaEventDefault 0x00
#define cudaEventDisableTiming 0x02

struct cudaDeviceProp {
  char name[256];
  int major, minor;
  int multiProcessorCount;
  size_t totalGlobalMem;
  size_t sharedMemPerBlock;
  size_t sharedMemPerMultiprocessor;
  int regsPerBlock;
  int maxThreadsPerBlock;
  int maxThreadsPerMultiProcessor;
  int maxThreadsDim[3];
  int maxGridSize[3];
  int warpSize;
  int l2CacheSize;
  int memoryBusWidth;
  int integrated;
  int pciBusID, pciDeviceID, pciDomainID;
};

const char* cudaGetErrorString(cudaError_t e);
const char* cudaGetErrorName(cudaError_t e);
cudaError_t cudaGetLastError();
namespace emu {
namespace detail {
// Records e as this thread's last error (cudaGetLastError) and returns it (emu_runtime.cpp).
cudaError_t fail(cudaError_t e);
}  // namespace detail
}  // namespace emu
cudaError_t cudaPeekAtLastError();

cudaError_t cudaMalloc(void** p, size_t bytes);
cudaError_t cudaFree(void* p);
cudaError_t cudaMallocHost(void** p, size_t bytes);
cudaError_t cudaHostAlloc(void** p, size_t bytes, unsigned flags);
cudaError_t cudaFreeHost(void* p);
cudaError_t cudaMallocAsync(void** p, size_t bytes, cudaStream_t s);
cudaError_t cudaFreeAsync(void* p, cudaStream_t s);
template <class T>
inline cudaError_t cudaMalloc(T** p, size_t bytes) { return cudaMalloc(reinterpret_cast<void**>(p), bytes); }
template <class T>
inline cudaError_t cudaMallocHost(T** p, size_t bytes) { return cudaMallocHost(reinterpret_cast<void**>(p), bytes); }
template <class T>
inline cudaError_t cudaMallocAsync(T** p, size_t bytes, cudaStream_t s) { return cudaMallocAsync(reinterpret_cast<void**>(p), bytes, s); }
cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t s = nullptr);
cudaError_t cudaMemset(void* dst, int value, size_t bytes);
cudaError_t cudaMemsetAsync(void* dst, int value, size_t bytes, cudaStream_t s = nullptr);
cudaError_t cudaMemGetInfo(size_t* freeBytes, size_t* totalBytes);

cudaError_t cudaStreamCreate(cudaStream_t* s);
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* s, unsigned flags);
cudaError_t cudaStreamDestroy(cudaStream_t s);
cudaError_t cudaStreamSynchronize(cudaStream_t s);
cudaError_t cudaStreamQuery(cudaStream_t s);
cudaError_t cudaStreamWaitEvent(cudaStream_t s, cudaEvent_t e, unsigned flags = 0);
cudaError_t cudaDeviceSynchronize();
cudaError_t cudaDeviceReset();
cudaError_t cudaSetDevice(int d);
cudaError_t cudaGetDevice(int* d);
cudaError_t cudaGetDeviceCount(int* n);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int d);
cudaError_t cudaRuntimeGetVersion(int* v);
cudaError_t cudaDriverGetVersion(int* v);

cudaError_t cudaEventCreate(cudaEvent_t* e);
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* e, unsigned flags);
cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t s = nullptr);
cudaError_t cudaEventSynchronize(cudaEvent_t e);
cudaError_t cudaEventQuery(cudaEvent_t e);
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end);
cudaError_t cudaEventDestroy(cudaEvent_t e);

// --- kernel launch (STUDIO_LAUNCH in launch.cuh) ---------------------------------------------------
namespace emu {
namespace detail {
// Runs body(ctx) for every thread of the grid (see emu.cpp). Returns false, with the last error
// set to cudaErrorInvalidConfiguration, when the configuration is one CUDA would refuse.
bool runGrid(const char* name, dim3 grid, dim3 block, void (*body)(void*), void* ctx);
}  // namespace detail

template <class... P>
class Launcher {
 public:
  Launcher(void (*kernel)(P...), const char* name, dim3 grid, dim3 block) : kernel_(kernel), name_(name), grid_(grid), block_(block) {}
  // Converts the arguments to the kernel's parameter types once, as a call would; every emulated
  // thread then receives its own copy (kernel parameters are per-thread values on a GPU too).
  template <class... A>
  void operator()(A&&... args) const {
    static_assert(sizeof...(A) == sizeof...(P), "kernel launched with the wrong number of arguments");
    Call call{kernel_, std::tuple<P...>(std::forward<A>(args)...)};
    detail::runGrid(name_, grid_, block_, &Call::run, &call);
  }

 private:
  struct Call {
    void (*kernel)(P...);
    std::tuple<P...> args;
    static void run(void* c) {
      Call& self = *static_cast<Call*>(c);
      std::apply(self.kernel, self.args);
    }
  };
  void (*kernel_)(P...);
  const char* name_;
  dim3 grid_, block_;
};

// Launches so far of the kernel named `kernel` (as STUDIO_LAUNCH spells it), over the process:
// lets tests check which kernels a path runs.
long long launches(const char* kernel);

template <class... P>
Launcher<P...> launch(void (*kernel)(P...), const char* name, dim3 grid, dim3 block, cudaStream_t) {
  return Launcher<P...>(kernel, name, grid, block);
}

}  // namespace emu
