// An owned device array: cudaMalloc'd storage that grows on demand and is freed with its owner,
// so the device model never leaks when a call throws half way.
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>

#include "launch.cuh"

namespace engine {
namespace cuda {

template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t n) { resize(n); }
  ~DeviceBuffer() { release(); }
  DeviceBuffer(DeviceBuffer&& o) noexcept : p_(std::exchange(o.p_, nullptr)), n_(std::exchange(o.n_, 0)), cap_(std::exchange(o.cap_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
      release();
      p_ = std::exchange(o.p_, nullptr);
      n_ = std::exchange(o.n_, 0);
      cap_ = std::exchange(o.cap_, 0);
    }
    return *this;
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  // Size n; reallocates only to grow (contents are then undefined).
  void resize(size_t n) {
    if (n > cap_) {
      release();
      check(cudaMalloc(reinterpret_cast<void**>(&p_), n * sizeof(T)), "cudaMalloc");
      cap_ = n;
    }
    n_ = n;
  }
  void upload(const T* host, size_t n, cudaStream_t s) {
    resize(n);
    if (n) check(cudaMemcpyAsync(p_, host, n * sizeof(T), cudaMemcpyHostToDevice, s), "upload");
  }
  // Waits for the stream, so the host data is ready on return.
  void download(T* host, size_t n, cudaStream_t s) const {
    if (!n) return;
    check(cudaMemcpyAsync(host, p_, n * sizeof(T), cudaMemcpyDeviceToHost, s), "download");
    check(cudaStreamSynchronize(s), "download (sync)");
  }
  void zero(cudaStream_t s) {
    if (n_) check(cudaMemsetAsync(p_, 0, n_ * sizeof(T), s), "cudaMemset");
  }
  T* get() { return p_; }
  const T* get() const { return p_; }
  size_t size() const { return n_; }
  size_t bytes() const { return cap_ * sizeof(T); }

 private:
  void release() {
    if (p_) cudaFree(p_);
    p_ = nullptr;
    n_ = cap_ = 0;
  }
  T* p_ = nullptr;
  size_t n_ = 0, cap_ = 0;
};

}  // namespace cuda
}  // namespace engine
