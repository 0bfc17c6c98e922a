// The host emulator's runtime API (see cuda_runtime.h): device memory is host memory, streams and
// events are synchronous, errors are sticky per thread as on a GPU. The scheduler that runs
// kernels is emu.cpp.
#ifndef STUDIO_CUDA_EMULATED
#define STUDIO_CUDA_EMULATED 1
#endif
#include "cuda_runtime.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace {
thread_local cudaError_t tLastError = cudaSuccess;
}  // namespace

// The last error of this thread, set by failing calls and by invalid launches (emu.cpp).
cudaError_t emu::detail::fail(cudaError_t e) {
  tLastError = e;
  return e;
}

using emu::detail::fail;

// ------------------------------------------------------------------------------------------------
// Runtime API. Device memory is host memory; allocations are tracked so that copies and memsets
// whose device side is not inside a cudaMalloc block fail (on a GPU they would fault or corrupt).

namespace {
constexpr size_t kTotalMem = size_t(4) << 30;  // what the emulated device claims to have
std::mutex& gMemMutex = *new std::mutex;  // never destroyed (frees from static destructors)
std::map<uintptr_t, size_t>& gDevice = *new std::map<uintptr_t, size_t>;  // start -> size
std::map<uintptr_t, size_t>& gHost = *new std::map<uintptr_t, size_t>;    // cudaMallocHost blocks
size_t gDeviceBytes = 0;

bool inDevice(const void* p, size_t n) {
  std::lock_guard<std::mutex> lock(gMemMutex);
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  auto it = gDevice.upper_bound(a);
  if (it == gDevice.begin()) return false;
  --it;
  return a >= it->first && a - it->first <= it->second && n <= it->second - (a - it->first);
}

const char* kindName(cudaMemcpyKind k) {
  switch (k) {
    case cudaMemcpyHostToHost: return "HostToHost";
    case cudaMemcpyHostToDevice: return "HostToDevice";
    case cudaMemcpyDeviceToHost: return "DeviceToHost";
    case cudaMemcpyDeviceToDevice: return "DeviceToDevice";
    case cudaMemcpyDefault: return "Default";
  }
  return "?";
}

cudaError_t badPointer(const char* call, const char* kind, const char* which, const void* p, size_t n, const char* expected) {
  std::fprintf(stderr, "emu: %s(%s): %s %p (+%zu bytes) is %s\n", call, kind, which, p, n, expected);
  return fail(cudaErrorInvalidValue);
}

cudaError_t checkedCopy(const char* call, void* dst, const void* src, size_t n, cudaMemcpyKind kind) {
  if (n == 0) return cudaSuccess;
  if (!dst || !src) return badPointer(call, kindName(kind), dst ? "src" : "dst", dst ? src : dst, n, "null");
  const bool devDst = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
  const bool devSrc = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
  if (kind != cudaMemcpyDefault && kind != cudaMemcpyHostToHost) {
    if (devDst && !inDevice(dst, n)) return badPointer(call, kindName(kind), "dst", dst, n, "not inside a cudaMalloc block");
    if (devSrc && !inDevice(src, n)) return badPointer(call, kindName(kind), "src", src, n, "not inside a cudaMalloc block");
    if (!devDst && inDevice(dst, 1)) return badPointer(call, kindName(kind), "dst", dst, n, "device memory, but the copy is ...ToHost");
    if (!devSrc && inDevice(src, 1)) return badPointer(call, kindName(kind), "src", src, n, "device memory, but the copy is Host...");
  }
  std::memcpy(dst, src, n);  // memcpy, not memmove: ASan reports overlapping copies
  return cudaSuccess;
}

cudaError_t hostAlloc(void** p, size_t bytes) {
  if (!p) return fail(cudaErrorInvalidValue);
  *p = nullptr;
  if (bytes == 0) return cudaSuccess;
  void* m = nullptr;
  if (posix_memalign(&m, 256, bytes) != 0) return fail(cudaErrorMemoryAllocation);
  std::lock_guard<std::mutex> lock(gMemMutex);
  gHost[reinterpret_cast<uintptr_t>(m)] = bytes;
  *p = m;
  return cudaSuccess;
}
}  // namespace

struct CUstream_st {
  unsigned flags;
};
struct CUevent_st {
  std::chrono::steady_clock::time_point t;
  bool recorded = false;
};

const char* cudaGetErrorString(cudaError_t e) {
  switch (e) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInsufficientDriver: return "CUDA driver version is insufficient for CUDA runtime version";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorNotReady: return "device not ready";
    case cudaErrorLaunchFailure: return "unspecified launch failure";
  }
  return "unrecognized error code";
}
const char* cudaGetErrorName(cudaError_t e) {
  switch (e) {
    case cudaSuccess: return "cudaSuccess";
    case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
    case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
    case cudaErrorInsufficientDriver: return "cudaErrorInsufficientDriver";
    case cudaErrorNoDevice: return "cudaErrorNoDevice";
    case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
    case cudaErrorInvalidResourceHandle: return "cudaErrorInvalidResourceHandle";
    case cudaErrorNotReady: return "cudaErrorNotReady";
    case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
  }
  return "cudaErrorUnknown";
}
cudaError_t cudaGetLastError() {
  cudaError_t e = tLastError;
  tLastError = cudaSuccess;
  return e;
}
cudaError_t cudaPeekAtLastError() { return tLastError; }

cudaError_t cudaMalloc(void** p, size_t bytes) {
  if (!p) return fail(cudaErrorInvalidValue);
  *p = nullptr;
  if (bytes == 0) return cudaSuccess;
  std::lock_guard<std::mutex> lock(gMemMutex);
  if (bytes > kTotalMem - gDeviceBytes) return fail(cudaErrorMemoryAllocation);
  void* m = nullptr;
  // Exactly `bytes` (no rounding), so ASan reports any access past the end of a device buffer.
  if (posix_memalign(&m, 256, bytes) != 0) return fail(cudaErrorMemoryAllocation);
  gDevice[reinterpret_cast<uintptr_t>(m)] = bytes;
  gDeviceBytes += bytes;
  *p = m;
  return cudaSuccess;
}
cudaError_t cudaFree(void* p) {
  if (!p) return cudaSuccess;
  std::lock_guard<std::mutex> lock(gMemMutex);
  auto it = gDevice.find(reinterpret_cast<uintptr_t>(p));
  if (it == gDevice.end()) {
    std::fprintf(stderr, "emu: cudaFree(%p): not a live cudaMalloc block\n", p);
    return fail(cudaErrorInvalidValue);
  }
  gDeviceBytes -= it->second;
  gDevice.erase(it);
  std::free(p);
  return cudaSuccess;
}
cudaError_t cudaMallocHost(void** p, size_t bytes) { return hostAlloc(p, bytes); }
cudaError_t cudaHostAlloc(void** p, size_t bytes, unsigned) { return hostAlloc(p, bytes); }
cudaError_t cudaFreeHost(void* p) {
  if (!p) return cudaSuccess;
  std::lock_guard<std::mutex> lock(gMemMutex);
  auto it = gHost.find(reinterpret_cast<uintptr_t>(p));
  if (it == gHost.end()) {
    std::fprintf(stderr, "emu: cudaFreeHost(%p): not a live cudaMallocHost block\n", p);
    return fail(cudaErrorInvalidValue);
  }
  gHost.erase(it);
  std::free(p);
  return cudaSuccess;
}
cudaError_t cudaMallocAsync(void** p, size_t bytes, cudaStream_t) { return cudaMalloc(p, bytes); }
cudaError_t cudaFreeAsync(void* p, cudaStream_t) { return cudaFree(p); }

cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) { return checkedCopy("cudaMemcpy", dst, src, bytes, kind); }
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t) {
  return checkedCopy("cudaMemcpyAsync", dst, src, bytes, kind);
}
cudaError_t cudaMemset(void* dst, int value, size_t bytes) {
  if (bytes == 0) return cudaSuccess;
  if (!inDevice(dst, bytes)) return badPointer("cudaMemset", "", "dst", dst, bytes, "not inside a cudaMalloc block");
  std::memset(dst, value, bytes);
  return cudaSuccess;
}
cudaError_t cudaMemsetAsync(void* dst, int value, size_t bytes, cudaStream_t) { return cudaMemset(dst, value, bytes); }
cudaError_t cudaMemGetInfo(size_t* freeBytes, size_t* totalBytes) {
  std::lock_guard<std::mutex> lock(gMemMutex);
  if (freeBytes) *freeBytes = kTotalMem - gDeviceBytes;
  if (totalBytes) *totalBytes = kTotalMem;
  return cudaSuccess;
}

cudaError_t cudaStreamCreate(cudaStream_t* s) { return cudaStreamCreateWithFlags(s, cudaStreamDefault); }
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* s, unsigned flags) {
  if (!s) return fail(cudaErrorInvalidValue);
  *s = new CUstream_st{flags};
  return cudaSuccess;
}
cudaError_t cudaStreamDestroy(cudaStream_t s) {
  if (!s || s == cudaStreamLegacy || s == cudaStreamPerThread) return fail(cudaErrorInvalidResourceHandle);
  delete s;
  return cudaSuccess;
}
cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaStreamQuery(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaStreamWaitEvent(cudaStream_t, cudaEvent_t, unsigned) { return cudaSuccess; }
cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }
cudaError_t cudaDeviceReset() { return cudaSuccess; }
cudaError_t cudaSetDevice(int d) { return d == 0 ? cudaSuccess : fail(cudaErrorInvalidDevice); }
cudaError_t cudaGetDevice(int* d) {
  if (!d) return fail(cudaErrorInvalidValue);
  *d = 0;
  return cudaSuccess;
}
cudaError_t cudaGetDeviceCount(int* n) {
  if (!n) return fail(cudaErrorInvalidValue);
  *n = 1;
  return cudaSuccess;
}
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int d) {
  if (!p) return fail(cudaErrorInvalidValue);
  if (d != 0) return fail(cudaErrorInvalidDevice);
  std::memset(p, 0, sizeof *p);
  std::snprintf(p->name, sizeof p->name, "emulated (host)");
  p->major = 0;
  p->minor = 0;
  p->multiProcessorCount = 1;
  p->totalGlobalMem = kTotalMem;
  p->sharedMemPerBlock = 48 * 1024;
  p->sharedMemPerMultiprocessor = 48 * 1024;
  p->regsPerBlock = 65536;
  p->maxThreadsPerBlock = 1024;
  p->maxThreadsPerMultiProcessor = 1024;
  p->maxThreadsDim[0] = 1024, p->maxThreadsDim[1] = 1024, p->maxThreadsDim[2] = 64;
  p->maxGridSize[0] = 0x7fffffff, p->maxGridSize[1] = 65535, p->maxGridSize[2] = 65535;
  p->warpSize = 32;
  p->l2CacheSize = 4 << 20;
  p->memoryBusWidth = 64;
  return cudaSuccess;
}
cudaError_t cudaRuntimeGetVersion(int* v) {
  if (!v) return fail(cudaErrorInvalidValue);
  *v = 13000;
  return cudaSuccess;
}
cudaError_t cudaDriverGetVersion(int* v) { return cudaRuntimeGetVersion(v); }

cudaError_t cudaEventCreate(cudaEvent_t* e) { return cudaEventCreateWithFlags(e, cudaEventDefault); }
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* e, unsigned) {
  if (!e) return fail(cudaErrorInvalidValue);
  *e = new CUevent_st;
  return cudaSuccess;
}
cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t) {
  if (!e) return fail(cudaErrorInvalidResourceHandle);
  e->t = std::chrono::steady_clock::now();  // every launch is synchronous: now is when it happened
  e->recorded = true;
  return cudaSuccess;
}
cudaError_t cudaEventSynchronize(cudaEvent_t e) { return e ? cudaSuccess : fail(cudaErrorInvalidResourceHandle); }
cudaError_t cudaEventQuery(cudaEvent_t e) { return e ? cudaSuccess : fail(cudaErrorInvalidResourceHandle); }
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  if (!ms) return fail(cudaErrorInvalidValue);
  if (!start || !end || !start->recorded || !end->recorded) return fail(cudaErrorInvalidResourceHandle);
  *ms = std::chrono::duration<float, std::milli>(end->t - start->t).count();
  return cudaSuccess;
}
cudaError_t cudaEventDestroy(cudaEvent_t e) {
  if (!e) return fail(cudaErrorInvalidResourceHandle);
  delete e;
  return cudaSuccess;
}
