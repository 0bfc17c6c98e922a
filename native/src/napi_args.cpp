#include "napi_args.h"

#include <cmath>
#include <cstring>

namespace engine {
namespace js {

void typeError(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }

Napi::Object asObject(Napi::Env env, const Napi::Value& v, const char* what) {
  if (!v.IsObject()) typeError(env, std::string(what) + " must be an object");
  return v.As<Napi::Object>();
}

double getNumber(Napi::Env env, const Napi::Object& o, const char* key, const char* ctx) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) typeError(env, std::string(ctx) + ": '" + key + "' must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) typeError(env, std::string(ctx) + ": '" + key + "' must be finite");
  return d;
}
double getNumberOr(Napi::Env env, const Napi::Object& o, const char* key, double dflt, const char* ctx) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return dflt;
  return getNumber(env, o, key, ctx);
}
int getInt(Napi::Env env, const Napi::Object& o, const char* key, const char* ctx) {
  double d = getNumber(env, o, key, ctx);
  if (d != std::floor(d) || d < 0 || d > 2147483647.0) typeError(env, std::string(ctx) + ": '" + key + "' must be a non-negative integer");
  return int(d);
}
bool getBool(Napi::Env env, const Napi::Object& o, const char* key, const char* ctx) {
  Napi::Value v = o.Get(key);
  if (!v.IsBoolean()) typeError(env, std::string(ctx) + ": '" + key + "' must be a boolean");
  return v.As<Napi::Boolean>().Value();
}
bool getOptionalBool(Napi::Env env, const Napi::Object& o, const char* key, const char* ctx, bool& out) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return false;
  if (!v.IsBoolean()) typeError(env, std::string(ctx) + ": '" + key + "' must be a boolean");
  out = v.As<Napi::Boolean>().Value();
  return true;
}

Napi::Int32Array getInt32Array(Napi::Env env, const Napi::Value& v, const std::string& what, size_t expected) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) typeError(env, what + " must be an Int32Array");
  auto a = v.As<Napi::Int32Array>();
  if (expected && a.ElementLength() != expected)
    typeError(env, what + " has " + std::to_string(a.ElementLength()) + " elements, expected " + std::to_string(expected));
  return a;
}
Napi::Float32Array getFloat32Array(Napi::Env env, const Napi::Value& v, const std::string& what, size_t expected) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) typeError(env, what + " must be a Float32Array");
  auto a = v.As<Napi::Float32Array>();
  if (a.ElementLength() != expected)
    typeError(env, what + " has " + std::to_string(a.ElementLength()) + " elements, expected " + std::to_string(expected));
  return a;
}

Napi::Float32Array toF32(Napi::Env env, const float* p, size_t n) {
  auto a = Napi::Float32Array::New(env, n);
  if (n) std::memcpy(a.Data(), p, n * sizeof(float));
  return a;
}

Napi::Array shapeToJs(Napi::Env env, const std::vector<int64_t>& s) {
  auto a = Napi::Array::New(env, s.size());
  for (size_t i = 0; i < s.size(); ++i) a.Set(uint32_t(i), Napi::Number::New(env, double(s[i])));
  return a;
}

}  // namespace js
}  // namespace engine
