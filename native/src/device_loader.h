// Finds and opens the accelerator backend (libstudio_cuda.so) at run time. The addon never links
// CUDA: the library is dlopen'ed only when a GPU backend is asked for, and its one exported
// function, studio_device_entry, hands back the table of device_model.h.
#pragma once
#include <string>

#include "device_model.h"

namespace engine {

// The backend, or null with *why (when given) saying why not: library missing, dlopen/dlsym
// errors, an ABI mismatch, or an unsupported platform. The path is $STUDIO_CUDA_LIBRARY when
// set, else libstudio_cuda.so next to the addon itself. Resolved once (the environment is read
// at the first call) and cached for the life of the process; the library is never closed.
const device::Entry* loadDeviceBackend(std::string* why);

// The path the backend is (or would be) loaded from; empty on unsupported platforms.
std::string deviceBackendPath();

}  // namespace engine
