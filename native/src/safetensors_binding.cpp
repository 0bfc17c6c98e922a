#include "safetensors_binding.h"

#include <string>

#include "napi_args.h"
#include "safetensors.h"

namespace engine {
namespace js {
namespace {

Napi::Value LoadSafetensors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsString()) typeError(env, "loadSafetensors(path): path must be a string");
  std::string path = info[0].As<Napi::String>().Utf8Value();
  SafetensorsHeader h = readSafetensorsHeader(path);
  Napi::Object tensors = Napi::Object::New(env);
  for (const auto& t : h.tensors) {
    Tensor x = readTensor(h, t);
    Napi::Object o = Napi::Object::New(env);
    o.Set("dtype", dtypeName(t.dtype));
    o.Set("shape", shapeToJs(env, t.shape));
    o.Set("data", toF32(env, x.data.data(), x.data.size()));
    tensors.Set(t.name, o);
  }
  Napi::Object meta = Napi::Object::New(env);
  for (const auto& kv : h.metadata) meta.Set(kv.first, kv.second);
  Napi::Object out = Napi::Object::New(env);
  out.Set("tensors", tensors);
  out.Set("metadata", meta);
  return out;
  GUARD_END
}

Napi::Value ReadSafetensorsHeader(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsString()) typeError(env, "readSafetensorsHeader(path): path must be a string");
  SafetensorsHeader h = readSafetensorsHeader(info[0].As<Napi::String>().Utf8Value());
  Napi::Array arr = Napi::Array::New(env, h.tensors.size());
  for (size_t i = 0; i < h.tensors.size(); ++i) {
    const auto& t = h.tensors[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", t.name);
    o.Set("dtype", dtypeName(t.dtype));
    o.Set("shape", shapeToJs(env, t.shape));
    Napi::Array off = Napi::Array::New(env, 2);
    off.Set(0u, Napi::Number::New(env, double(t.begin)));
    off.Set(1u, Napi::Number::New(env, double(t.end)));
    o.Set("dataOffsets", off);
    arr.Set(uint32_t(i), o);
  }
  Napi::Object meta = Napi::Object::New(env);
  for (const auto& kv : h.metadata) meta.Set(kv.first, kv.second);
  Napi::Object out = Napi::Object::New(env);
  out.Set("tensors", arr);
  out.Set("metadata", meta);
  out.Set("dataStart", Napi::Number::New(env, double(h.dataStart)));
  return out;
  GUARD_END
}

}  // namespace

void registerSafetensorsBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("loadSafetensors", Napi::Function::New(env, LoadSafetensors));
  exports.Set("readSafetensorsHeader", Napi::Function::New(env, ReadSafetensorsHeader));
}

}  // namespace js
}  // namespace engine
