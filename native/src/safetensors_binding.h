// JS bindings of the safetensors reader: loadSafetensors(path), readSafetensorsHeader(path).
#pragma once
#include <napi.h>

namespace engine {
namespace js {
void registerSafetensorsBindings(Napi::Env env, Napi::Object exports);
}
}  // namespace engine
