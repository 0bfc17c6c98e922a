#include "session_binding.h"

#include <stdexcept>
#include <string>
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

namespace {

// While alive, every linear of the model applies these per-row segments instead of its own
// adapter; cleared on every exit, so a throw never leaves the model pointing at them.
struct SegmentsInUse {
  std::vector<Linear*> lins;
  std::vector<std::vector<LoraSegment>> segs;
  ~SegmentsInUse() {
    for (Linear* l : lins) l->segments = nullptr;
  }
};

}  // namespace

Napi::Value SessionWrap::run(const Napi::CallbackInfo& info, int T, bool lastOnly) {
  Napi::Env env = info.Env();
  int B = cache_.batch;
  auto tok = getInt32Array(env, info[0], "session: tokens", size_t(B) * T);
  SegmentsInUse use;
  Napi::Value av = info[1].IsObject() ? info[1].As<Napi::Object>().Get("adapters") : env.Undefined();
  if (!av.IsUndefined()) {
    // One bank id per row (-1: the base). Rows are consecutive runs of T positions, so a row is
    // a segment, merged with its neighbour when both use the same adapter.
    if (model_->device()) throw std::runtime_error("session: per-row adapters run on the CPU backend only");
    auto ids = getInt32Array(env, av, "session: adapters", size_t(B));
    ModelWrap* mw = ModelWrap::Unwrap(modelRef_.Value());
    std::vector<const LoraBankEntry*> entries(size_t(B), nullptr);
    for (int b = 0; b < B; ++b)
      if (ids.Data()[b] >= 0) entries[size_t(b)] = &mw->bankEntry(ids.Data()[b]);
      else if (ids.Data()[b] != -1) throw std::runtime_error("session: adapters[" + std::to_string(b) + "] must be a bank id or -1 (the base)");
    for (auto& layer : model_->layers)
      for (Linear* l : layer.linears()) use.lins.push_back(l);
    use.segs.resize(use.lins.size());
    for (size_t i = 0; i < use.lins.size(); ++i) {
      auto& segs = use.segs[i];
      for (int b = 0; b < B; ++b) {
        const LoraWeights* w = entries[size_t(b)] ? entries[size_t(b)]->perLinear[i].get() : nullptr;
        if (!segs.empty() && segs.back().w == w) segs.back().rows += T;
        else segs.push_back({b * T, T, w});
      }
    }
    for (size_t i = 0; i < use.lins.size(); ++i) use.lins[i]->segments = &use.segs[i];
  }
  std::vector<float> l = model_->decode(cache_, pos_, tok.Data(), B, T, lastOnly);
  pos_ += T;
  return toF32(env, l.data(), l.size());
}

// prefill(tokens (B,T) Int32Array, {allLogits?, lengths?}) -> logits (B,V) of the last position,
// or (B,T,V). lengths (B) Int32Array: row b is left-padded, its real tokens are the last
// lengths[b]; only on the first prefill (position 0), and kept until reset().
Napi::Value SessionWrap::Prefill(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsTypedArray()) typeError(env, "prefill(tokens): tokens must be an Int32Array");
  const int B = cache_.batch;
  size_t n = info[0].As<Napi::TypedArray>().ElementLength();
  if (n == 0 || n % size_t(B) != 0) typeError(env, "prefill: tokens length must be a positive multiple of the batch");
  const int T = int(n / size_t(B));
  bool all = false;
  if (pos_ == 0) cache_.pad.clear();  // a first prefill without lengths: no padding
  if (info[1].IsObject()) {
    Napi::Object o = info[1].As<Napi::Object>();
    all = o.Get("allLogits").ToBoolean().Value();
    Napi::Value lv = o.Get("lengths");
    if (!lv.IsUndefined()) {
      auto lengths = getInt32Array(env, lv, "prefill: lengths", size_t(B));
      if (pos_ != 0) throw std::runtime_error("prefill: lengths are only allowed on the first prefill (position 0); call reset() first");
      std::vector<int> pad(static_cast<size_t>(B));
      for (int b = 0; b < B; ++b) {
        int len = lengths.Data()[b];
        if (len < 1 || len > T) throw std::runtime_error("prefill: lengths[" + std::to_string(b) + "] = " + std::to_string(len) + " must be in [1, " + std::to_string(T) + "]");
        pad[size_t(b)] = T - len;
      }
      cache_.pad = std::move(pad);
    }
  }
  return run(info, T, !all);
  GUARD_END
}

// step(tokens (B) Int32Array, {adapters?}) -> logits (B,V). adapters (B) Int32Array: each row's
// LoRA bank id (Model.loraBankAdd) or -1 for the base; prefill takes the same option.
Napi::Value SessionWrap::Step(const Napi::CallbackInfo& info) {
  GUARD_BEGIN
  return run(info, 1, true);
  GUARD_END
}

Napi::Value SessionWrap::Reset(const Napi::CallbackInfo& info) {
  pos_ = 0;
  cache_.pad.clear();
  return info.Env().Undefined();
}
Napi::Value SessionWrap::Position(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), pos_); }

}  // namespace js
}  // namespace engine
