// JS binding for gradient stores (main/engine/attribution/): mapFile (a file as an external
// ArrayBuffer backed by a read-only or shared mmap), gradientDot (scores of every row of a
// (rows, k) f32/f16 matrix inside a buffer against a query) and f16 conversion for the writer.
// The store's format is parsed and validated in TypeScript; this side only checks every byte it
// touches lies inside the buffer it was handed.
#pragma once
#include <napi.h>

namespace engine {
namespace js {
void registerGradStoreBindings(Napi::Env env, Napi::Object exports);
}
}  // namespace engine
