#include "device_loader.h"

#include <cstdlib>
#include <mutex>

#if defined(__linux__)
#include <dlfcn.h>
#include <sys/stat.h>
#endif

namespace engine {
namespace {

struct LoadState {
  bool done = false;
  const device::Entry* entry = nullptr;
  std::string path, why;
};

std::mutex gMutex;
LoadState gState;

#if defined(__linux__)
std::string resolvePath() {
  const char* env = std::getenv("STUDIO_CUDA_LIBRARY");
  if (env && *env) return env;
  Dl_info info{};
  std::string dir = ".";
  if (dladdr(reinterpret_cast<void*>(&loadDeviceBackend), &info) && info.dli_fname) {
    std::string self = info.dli_fname;
    size_t slash = self.rfind('/');
    if (slash != std::string::npos) dir = self.substr(0, slash);
  }
  return dir + "/libstudio_cuda.so";
}

void load(LoadState& s) {
  s.path = resolvePath();
  struct stat st {};
  if (stat(s.path.c_str(), &st) != 0) {
    s.why = "CUDA backend library not found at " + s.path + " (built only where nvcc is installed: native/tools/cuda-build.sh)";
    return;
  }
  dlerror();
  void* h = dlopen(s.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = dlerror();
    s.why = "cannot load the CUDA backend " + s.path + ": " + (e ? e : "dlopen failed");
    return;
  }
  dlerror();
  void* sym = dlsym(h, "studio_device_entry");
  const char* e = dlerror();
  if (!sym || e) {
    s.why = "the CUDA backend " + s.path + " has no studio_device_entry: " + (e ? e : "symbol is null");
    dlclose(h);
    return;
  }
  const device::Entry* entry = reinterpret_cast<StudioDeviceEntryFn>(sym)();
  if (!entry) {
    s.why = "the CUDA backend " + s.path + " returned no entry table";
    dlclose(h);
    return;
  }
  if (entry->abiVersion != device::kAbiVersion) {
    s.why = "the CUDA backend " + s.path + " has ABI version " + std::to_string(entry->abiVersion) + ", the engine expects " +
            std::to_string(device::kAbiVersion) + " (rebuild it: native/tools/cuda-build.sh)";
    dlclose(h);
    return;
  }
  if (!entry->deviceCount || !entry->create) {
    s.why = "the CUDA backend " + s.path + " has an incomplete entry table";
    dlclose(h);
    return;
  }
  s.entry = entry;  // kept open for the life of the process: its objects' code lives there
}
#else
void load(LoadState& s) { s.why = "the CUDA backend is not supported on this platform (Linux only)"; }
#endif

const LoadState& state() {
  std::lock_guard<std::mutex> lock(gMutex);
  if (!gState.done) {
    load(gState);
    gState.done = true;
  }
  return gState;
}

}  // namespace

const device::Entry* loadDeviceBackend(std::string* why) {
  const LoadState& s = state();
  if (!s.entry && why) *why = s.why;
  return s.entry;
}

std::string deviceBackendPath() { return state().path; }

}  // namespace engine
