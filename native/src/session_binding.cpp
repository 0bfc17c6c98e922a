#include "session_binding.h"

#include <vector>

#include "addon_data.h"
#include "model_binding.h"
#include "napi_args.h"

namespace engine {
namespace js {

Napi::Function SessionWrap::Init(Napi::Env env) {
  return DefineClass(env, "Session",
                     {InstanceMethod("prefill", &SessionWrap::Prefill), InstanceMethod("step", &SessionWrap::Step),
                      InstanceMethod("reset", &SessionWrap::Reset), InstanceAccessor("position", &SessionWrap::Position, nullptr)});
}

SessionWrap::SessionWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SessionWrap>(info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  AddonData* data = env.GetInstanceData<AddonData>();
  if (!info[0].IsObject() || !data || !info[0].As<Napi::Object>().InstanceOf(data->modelCtor.Value())) typeError(env, "new Session(model, options): model must be a Model");
  modelRef_ = Napi::Persistent(info[0].As<Napi::Object>());
  model_ = &ModelWrap::Unwrap(info[0].As<Napi::Object>())->model();
  Napi::Object o = asObject(env, info[1], "new Session(model, options)");
  int B = getInt(env, o, "batch", "Session");
  int cap = o.Get("capacity").IsUndefined() ? model_->spec().maxPositions : getInt(env, o, "capacity", "Session");
  cache_ = model_->newCache(B, cap);
  GUARD_END
}

Napi::Value SessionWrap::run(const Napi::CallbackInfo& info, int T, bool lastOnly) {
  Napi::Env env = info.Env();
  int B = cache_.batch;
  auto tok = getInt32Array(env, info[0], "session: tokens", size_t(B) * T);
  std::vector<float> l = model_->decode(cache_, pos_, tok.Data(), B, T, lastOnly);
  pos_ += T;
  return toF32(env, l.data(), l.size());
}

// prefill(tokens (B,T) Int32Array, {allLogits?}) -> logits (B,V) of the last position, or (B,T,V)
Napi::Value SessionWrap::Prefill(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsTypedArray()) typeError(env, "prefill(tokens): tokens must be an Int32Array");
  size_t n = info[0].As<Napi::TypedArray>().ElementLength();
  if (n == 0 || n % size_t(cache_.batch) != 0) typeError(env, "prefill: tokens length must be a positive multiple of the batch");
  bool all = info[1].IsObject() && info[1].As<Napi::Object>().Get("allLogits").ToBoolean().Value();
  return run(info, int(n / size_t(cache_.batch)), !all);
  GUARD_END
}

// step(tokens (B) Int32Array) -> logits (B,V)
Napi::Value SessionWrap::Step(const Napi::CallbackInfo& info) {
  GUARD_BEGIN
  return run(info, 1, true);
  GUARD_END
}

Napi::Value SessionWrap::Reset(const Napi::CallbackInfo& info) {
  pos_ = 0;
  return info.Env().Undefined();
}
Napi::Value SessionWrap::Position(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), pos_); }

}  // namespace js
}  // namespace engine
