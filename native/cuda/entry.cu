// What libstudio_cuda.so exports: the device count and a factory for the CUDA model
// (src/device_model.h describes the boundary). Every failure is turned into a message for the
// loader instead of an exception crossing the library boundary.
#include <cuda_runtime.h>

#include <exception>
#include <string>

#include "../src/device_model.h"
#include "cuda_model.cuh"

namespace {

int deviceCount(std::string* why) {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    // No driver or no device: cudaGetDeviceCount leaves a sticky error for this thread.
    if (why) *why = std::string("no usable CUDA device: ") + cudaGetErrorString(e);
    cudaGetLastError();
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
