// datanetHashes(normalized: string[], canonical: string[]): the MinHash signatures and record
// hashes of a batch of datanet records in one call, computed on the engine's thread pool
// (datanet_hash.h; main/datanets/nativeRecordHashes.ts is the caller).
#pragma once
#include <napi.h>

namespace engine {
namespace js {
void registerDatanetBindings(Napi::Env env, Napi::Object exports);
}
}  // namespace engine
