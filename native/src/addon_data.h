// Per-environment data of the addon: each worker thread that loads the addon gets its own
// constructor reference (a process-wide static would mix up environments).
#pragma once
#include <napi.h>

namespace engine {
namespace js {
struct AddonData {
  Napi::FunctionReference modelCtor;
};
}  // namespace js
}  // namespace engine
