// JS binding of the random projection: projectVector(v, dim, seed).
#pragma once
#include <napi.h>

namespace engine {
namespace js {
void registerProjectionBindings(Napi::Env env, Napi::Object exports);
}
}  // namespace engine
