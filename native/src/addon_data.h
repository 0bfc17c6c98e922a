// Per-environment data of the addon: each worker thread that loads the addon gets its own
// constructor reference (a process-wide static would mix up environments).
#pragma once
#include <napi.h>

#include "cancel.h"

namespace engine {
namespace js {
struct AddonData {
  Napi::FunctionReference modelCtor;
  // The shared Int32Array given to setCancelSignal, kept alive while the engine watches it.
  Napi::Reference<Napi::Int32Array> cancelFlag;
  // Freed on the environment's own thread as it ends: stop watching memory about to go.
  ~AddonData() { setCancelFlag(nullptr); }
};
}  // namespace js
}  // namespace engine
