#include "projection_binding.h"

#include <cstdint>
#include <vector>

#include "napi_args.h"
#include "projection.h"

namespace engine {
namespace js {
namespace {

// projectVector(v: Float32Array, dim, seed) -> Float32Array (dim): the same projection as
// projectedExampleGrads applies to the concatenated LoRA gradient.
Napi::Value ProjectVector(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) typeError(env, "projectVector: v must be a Float32Array");
  auto v = info[0].As<Napi::Float32Array>();
  if (!info[1].IsNumber()) typeError(env, "projectVector: dim must be a number");
  int k = info[1].As<Napi::Number>().Int32Value();
  if (k < 1 || k > (1 << 20)) typeError(env, "projectVector: dim must be in 1..1048576");
  uint64_t seed = info[2].IsNumber() ? uint64_t(info[2].As<Napi::Number>().DoubleValue()) : 0;
  std::vector<float> vec(v.Data(), v.Data() + v.ElementLength());
  std::vector<float> out(static_cast<size_t>(k));
  randomProject({&vec}, k, seed, out.data());
  return toF32(env, out.data(), out.size());
  GUARD_END
}

}  // namespace

void registerProjectionBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("projectVector", Napi::Function::New(env, ProjectVector));
}

}  // namespace js
}  // namespace engine
