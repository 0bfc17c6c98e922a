// What libstudio_cuda.so exports: the device count and a factory for the CUDA model
// (src/device_model.h describes the boundary). Every failure is turned into a message for the
// loader instead of an exception crossing the library boundary.
#include <cuda_runtime.h>

#include <exception>
#include <string>

#include "../src/device_model.h"
#include "cuda_model.cuh"

namespace {

std::string cudaVersion(int v) { return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10); }

// cudart reports a missing driver and an old one alike (cudaErrorInsufficientDriver); tell them
// apart, since the user's fix differs (install a driver vs update it).
std::string explain(cudaError_t e) {
  if (e == cudaErrorInsufficientDriver) {
    int driver = 0, runtime = 0;
    cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    if (driver == 0) return "no NVIDIA driver found (libcuda.so.1 is not installed)";
    return "the NVIDIA driver supports CUDA " + cudaVersion(driver) + ", older than the CUDA " + cudaVersion(runtime) +
           " runtime this backend was built with: update the driver";
  }
  if (e == cudaErrorNoDevice) return "no CUDA device found";
  return std::string("no usable CUDA device: ") + cudaGetErrorString(e);
}

int deviceCount(std::string* why) {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    if (why) *why = explain(e);
    cudaGetLastError();  // cudaGetDeviceCount leaves a sticky error for this thread
    return 0;
  }
  if (n == 0 && why) *why = "no CUDA device found";
  return n;
}

engine::device::Model* create(const engine::device::ModelInit& init, int ordinal, std::string* error) {
  try {
    std::string why;
    int n = deviceCount(&why);
    if (ordinal < 0 || ordinal >= n) {
      if (error) *error = n == 0 ? why : "CUDA device " + std::to_string(ordinal) + " does not exist (" + std::to_string(n) + " found)";
      return nullptr;
    }
    return engine::cuda::createModel(init, ordinal).release();
  } catch (const std::exception& e) {
    if (error) *error = e.what();
  } catch (...) {
    if (error) *error = "unknown error while creating the CUDA model";
  }
  return nullptr;
}

const engine::device::Entry kEntry = {engine::device::kAbiVersion, &deviceCount, &create};

}  // namespace

extern "C" __attribute__((visibility("default"))) const engine::device::Entry* studio_device_entry() { return &kEntry; }
