#include "datanet_binding.h"

#include <string>
#include <vector>

#include "datanet_hash.h"
#include "napi_args.h"
#include "threadpool.h"

namespace engine {
namespace js {
namespace {

// The strings are copied out on the JS thread (N-API values cannot be read elsewhere); the
// hashing of each record is independent, so the pool's split does not change any result.
Napi::Value DatanetHashes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsArray())
    throw Napi::TypeError::New(env, "datanetHashes: expected (normalized: string[], canonical: string[])");
  Napi::Array normalized = info[0].As<Napi::Array>();
  Napi::Array canonical = info[1].As<Napi::Array>();
  const uint32_t n = normalized.Length();
  if (canonical.Length() != n) throw Napi::TypeError::New(env, "datanetHashes: normalized and canonical must have the same length");
  std::vector<std::u16string> texts(n);
  std::vector<std::string> contents(n);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value a = normalized.Get(i);
    Napi::Value b = canonical.Get(i);
    if (!a.IsString() || !b.IsString()) throw Napi::TypeError::New(env, "datanetHashes: element " + std::to_string(i) + " is not a string");
    texts[i] = a.As<Napi::String>().Utf16Value();
    // Lone surrogates become U+FFFD, as TextEncoder (viem's stringToBytes) writes them.
    contents[i] = b.As<Napi::String>().Utf8Value();
  }
  Napi::Uint32Array minhash = Napi::Uint32Array::New(env, size_t(n) * kMinhashSlots);
  Napi::Uint8Array hashes = Napi::Uint8Array::New(env, size_t(n) * 32);
  uint32_t* mh = minhash.Data();
  uint8_t* kh = hashes.Data();
  parallelFor(n, 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) {
      minhashSignature(reinterpret_cast<const uint16_t*>(texts[i].data()), texts[i].size(), mh + i * kMinhashSlots);
      keccak256(reinterpret_cast<const uint8_t*>(contents[i].data()), contents[i].size(), kh + i * 32);
    }
  });
  Napi::Object out = Napi::Object::New(env);
  out.Set("minhash", minhash);
  out.Set("keccak", hashes);
  return out;
  GUARD_END
}

}  // namespace

void registerDatanetBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("datanetHashes", Napi::Function::New(env, DatanetHashes, "datanetHashes"));
}

}  // namespace js
}  // namespace engine
