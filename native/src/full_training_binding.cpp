// ModelWrap's full-parameter training methods: enableFullTraining, and every parameter's values
// and gradients in and out by the model files' tensor names and layouts. forwardBackward,
// optimizerStep, zeroGrad and the optimizer state are shared with LoRA (training_binding.cpp).
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "model_binding.h"
#include "napi_args.h"

namespace engine {
namespace js {
namespace {

Napi::Value fullTensorsToJs(Napi::Env env, Model& model, int what) {
  Napi::Object out = Napi::Object::New(env);
  for (const auto& p : model.fullParams()) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("shape", shapeToJs(env, p.shape));
    std::vector<float> v = model.fullParamRead(p, what);
    o.Set("data", toF32(env, v.data(), v.size()));
    out.Set(p.name, o);
  }
  return out;
}

void requireFull(Napi::Env env, Model& model, const char* what) {
  if (!model.fullTraining()) throw Napi::Error::New(env, std::string(what) + ": full-parameter training is not enabled (enableFullTraining)");
}

}  // namespace

Napi::Value ModelWrap::EnableFullTraining(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  FullTrainConfig c;
  if (!info[0].IsUndefined()) {
    Napi::Object o = asObject(env, info[0], "enableFullTraining(options)");
    getOptionalBool(env, o, "gradientCheckpointing", "enableFullTraining", c.gradientCheckpointing);
  }
  model_->enableFullTraining(c);
  return env.Undefined();
  GUARD_END
}

Napi::Value ModelWrap::GetParameters(const Napi::CallbackInfo& info) {
  GUARD_BEGIN
  requireFull(info.Env(), *model_, "getParameters");
  return fullTensorsToJs(info.Env(), *model_, 0);
  GUARD_END
}

Napi::Value ModelWrap::GetParameterGrads(const Napi::CallbackInfo& info) {
  GUARD_BEGIN
  requireFull(info.Env(), *model_, "getParameterGrads");
  return fullTensorsToJs(info.Env(), *model_, 1);
  GUARD_END
}

// setParameters({name: Float32Array | {data}}): any subset; all validated before any is written.
Napi::Value ModelWrap::SetParameters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  requireFull(env, *model_, "setParameters");
  Napi::Object o = asObject(env, info[0], "setParameters(tensors)");
  auto params = model_->fullParams();
  Napi::Array keys = o.GetPropertyNames();
  std::vector<std::pair<size_t, Napi::Float32Array>> todo;
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    std::string k = keys.Get(i).As<Napi::String>().Utf8Value();
    size_t at = params.size();
    for (size_t j = 0; j < params.size(); ++j)
      if (params[j].name == k) at = j;
    if (at == params.size()) throw Napi::Error::New(env, "setParameters: unknown parameter '" + k + "'");
    Napi::Value v = o.Get(k);
    if (v.IsObject() && !v.IsTypedArray()) v = v.As<Napi::Object>().Get("data");
    todo.emplace_back(at, getFloat32Array(env, v, "setParameters: '" + k + "'", params[at].size()));
  }
  for (auto& t : todo) model_->fullParamWrite(params[t.first], 0, t.second.Data());
  return env.Undefined();
  GUARD_END
}

}  // namespace js
}  // namespace engine
