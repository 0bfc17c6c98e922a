// setCancelSignal(flag: Int32Array over a SharedArrayBuffer | null): the engine calls made on this
// thread stop with an ENGINE_CANCELLED error once flag[0] is non-zero (cancel.h).
#pragma once
#include <napi.h>

namespace engine {
namespace js {
void registerCancelBindings(Napi::Env env, Napi::Object exports);
}
}  // namespace engine
