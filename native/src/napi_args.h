// Argument conversion for the N-API bindings: JS values in, checked C++ values out (a bad value
// throws a JS TypeError naming the call and the key), and C++ results back as JS values.
// GUARD_BEGIN/GUARD_END wrap an entry point so C++ exceptions become JS Errors, never a crash.
#pragma once
#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cancel.h"

#define GUARD_BEGIN try {
#define GUARD_END                                                   \
  }                                                                 \
  catch (const Napi::Error&) {                                      \
    throw;                                                          \
  }                                                                 \
  catch (const engine::Cancelled& e) {                              \
    Napi::Error err = Napi::Error::New(info.Env(), e.what());       \
    err.Set("code", Napi::String::New(info.Env(), "ENGINE_CANCELLED")); \
    throw err;                                                      \
  }                                                                 \
  catch (const std::exception& e) {                                 \
    throw Napi::Error::New(info.Env(), e.what());                   \
  }

namespace engine {
namespace js {

[[noreturn]] void typeError(Napi::Env env, const std::string& msg);

Napi::Object asObject(Napi::Env env, const Napi::Value& v, const char* what);

// o[key] as a finite number / with a default when undefined or null.
double getNumber(Napi::Env env, const Napi::Object& o, const char* key, const char* ctx);
double getNumberOr(Napi::Env env, const Napi::Object& o, const char* key, double dflt, const char* ctx);
// o[key] as an integer in 0..2^31-1.
int getInt(Napi::Env env, const Napi::Object& o, const char* key, const char* ctx);
bool getBool(Napi::Env env, const Napi::Object& o, const char* key, const char* ctx);
// o[key] as a boolean into out when present (returns true); undefined leaves out as it is and
// returns false (null is an error, as in getBool).
bool getOptionalBool(Napi::Env env, const Napi::Object& o, const char* key, const char* ctx, bool& out);

// A typed array of the expected element count (expected 0: any count, Int32Array only).
Napi::Int32Array getInt32Array(Napi::Env env, const Napi::Value& v, const std::string& what, size_t expected);
Napi::Float32Array getFloat32Array(Napi::Env env, const Napi::Value& v, const std::string& what, size_t expected);

Napi::Float32Array toF32(Napi::Env env, const float* p, size_t n);
Napi::Array shapeToJs(Napi::Env env, const std::vector<int64_t>& s);

}  // namespace js
}  // namespace engine
