// ModelWrap's LoRA and training methods: addLora, forwardBackward, evalLoss, optimizerStep,
// zeroGrad, releaseTrainingBuffers, LoRA tensors/grads and optimizer state in and out, and the
// projected per-example / per-token gradients the attribution uses.
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "model_binding.h"
#include "napi_args.h"

namespace engine {
namespace js {
namespace {

// {tokens, targets, batch, seq, mask?, normalizer?, dropout?, checkpoint?} of forwardBackward,
// evalLoss and the projected gradients. The arrays are views into the JS objects.
TrainBatch parseBatch(Napi::Env env, const Napi::Object& o, const char* ctx) {
  TrainBatch b;
  b.B = getInt(env, o, "batch", ctx);
  b.T = getInt(env, o, "seq", ctx);
  if (b.B <= 0 || b.T <= 0) typeError(env, std::string(ctx) + ": batch and seq must be positive");
  size_t n = size_t(b.B) * b.T;
  b.tokens = getInt32Array(env, o.Get("tokens"), std::string(ctx) + ": tokens", n).Data();
  b.targets = getInt32Array(env, o.Get("targets"), std::string(ctx) + ": targets", n).Data();
  Napi::Value m = o.Get("mask");
  if (!m.IsUndefined() && !m.IsNull()) b.mask = getFloat32Array(env, m, std::string(ctx) + ": mask", n).Data();
  b.normalizer = getNumberOr(env, o, "normalizer", 0, ctx);
  getOptionalBool(env, o, "dropout", ctx, b.dropout);
  bool ck = false;
  if (getOptionalBool(env, o, "checkpoint", ctx, ck)) b.checkpoint = ck ? 1 : 0;
  return b;
}

// The options of projectedExampleGrads / projectedTokenGrads: a batch plus {dim, seed}.
struct ProjectionRequest {
  TrainBatch batch;
  int dim;
  uint64_t seed;
};
ProjectionRequest parseProjectionRequest(Napi::Env env, const Napi::Value& v, const char* ctx) {
  Napi::Object o = asObject(env, v, (std::string(ctx) + "(options)").c_str());
  ProjectionRequest r;
  r.batch = parseBatch(env, o, ctx);
  r.dim = getInt(env, o, "dim", ctx);
  r.seed = uint64_t(getNumberOr(env, o, "seed", 0, ctx));
  return r;
}

Napi::Value resultToJs(Napi::Env env, const TrainResult& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("loss", r.loss);
  o.Set("weight", r.weight);
  return o;
}

// {name: {shape, data}} of the LoRA factors (grads: their gradients).
Napi::Value loraTensorsToJs(Napi::Env env, Model& model, bool grads) {
  model.syncFromDevice(grads ? device::kGrads : device::kValues);  // no-op on the CPU
  Napi::Object out = Napi::Object::New(env);
  for (auto& p : model.loraParams()) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("shape", shapeToJs(env, p.shape));
    const std::vector<float>& v = grads ? *p.grad : *p.value;
    o.Set("data", toF32(env, v.data(), v.size()));
    out.Set(p.name, o);
  }
  return out;
}

}  // namespace

Napi::Value ModelWrap::AddLora(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = asObject(env, info[0], "addLora(options)");
  const char* ctx = "addLora";
  LoraConfig c;
  Napi::Value t = o.Get("targets");
  if (!t.IsArray()) typeError(env, "addLora: 'targets' must be an array of module names");
  Napi::Array ta = t.As<Napi::Array>();
  for (uint32_t i = 0; i < ta.Length(); ++i) {
    if (!ta.Get(i).IsString()) typeError(env, "addLora: 'targets' must hold strings");
    c.targets.push_back(ta.Get(i).As<Napi::String>().Utf8Value());
  }
  c.rank = getInt(env, o, "rank", ctx);
  c.alpha = float(getNumber(env, o, "alpha", ctx));
  c.rslora = o.Get("rslora").IsBoolean() && o.Get("rslora").As<Napi::Boolean>().Value();
  c.dropout = float(getNumberOr(env, o, "dropout", 0, ctx));
  c.seed = uint64_t(getNumberOr(env, o, "seed", 0, ctx));
  getOptionalBool(env, o, "gradientCheckpointing", ctx, c.gradientCheckpointing);
  model_->addLora(c);
  return env.Undefined();
  GUARD_END
}

Napi::Value ModelWrap::ForwardBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  TrainBatch b = parseBatch(env, asObject(env, info[0], "forwardBackward(batch)"), "forwardBackward");
  return resultToJs(env, model_->forwardBackward(b));
  GUARD_END
}

Napi::Value ModelWrap::EvalLoss(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  TrainBatch b = parseBatch(env, asObject(env, info[0], "evalLoss(batch)"), "evalLoss");
  return resultToJs(env, model_->evalLoss(b));
  GUARD_END
}

Napi::Value ModelWrap::OptimizerStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = asObject(env, info[0], "optimizerStep(options)");
  const char* ctx = "optimizerStep";
  AdamWOptions a;
  a.lr = float(getNumber(env, o, "lr", ctx));
  a.beta1 = float(getNumberOr(env, o, "beta1", 0.9, ctx));
  a.beta2 = float(getNumberOr(env, o, "beta2", 0.999, ctx));
  a.eps = float(getNumberOr(env, o, "eps", 1e-8, ctx));
  a.weightDecay = float(getNumberOr(env, o, "weightDecay", 0, ctx));
  a.maxGradNorm = float(getNumberOr(env, o, "maxGradNorm", 0, ctx));
  double norm = model_->optimizerStep(a);
  Napi::Object r = Napi::Object::New(env);
  r.Set("gradNorm", norm);
  r.Set("step", double(model_->optimizerState().step));
  return r;
  GUARD_END
}

// projectedExampleGrads({...batch, dim, seed}) -> Float32Array (batch, dim)
Napi::Value ModelWrap::ProjectedExampleGrads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  ProjectionRequest r = parseProjectionRequest(env, info[0], "projectedExampleGrads");
  std::vector<float> p = model_->projectedExampleGrads(r.batch, r.dim, r.seed);
  return toF32(env, p.data(), p.size());
  GUARD_END
}

// projectedTokenGrads({tokens, targets, batch: 1, seq, mask?, dim, seed}) ->
// { positions: Int32Array, grads: Float32Array (positions, dim) } of d log p(target_t)
Napi::Value ModelWrap::ProjectedTokenGrads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  ProjectionRequest q = parseProjectionRequest(env, info[0], "projectedTokenGrads");
  std::vector<int> pos;
  std::vector<float> g = model_->projectedTokenGrads(q.batch, q.dim, q.seed, pos);
  Napi::Object r = Napi::Object::New(env);
  auto pa = Napi::Int32Array::New(env, pos.size());
  for (size_t i = 0; i < pos.size(); ++i) pa[i] = pos[i];
  r.Set("positions", pa);
  r.Set("grads", toF32(env, g.data(), g.size()));
  return r;
  GUARD_END
}

Napi::Value ModelWrap::ReleaseTrainingBuffers(const Napi::CallbackInfo& info) {
  GUARD_BEGIN
  model_->releaseTrainingBuffers();
  return info.Env().Undefined();
  GUARD_END
}

Napi::Value ModelWrap::ZeroGrad(const Napi::CallbackInfo& info) {
  GUARD_BEGIN
  model_->zeroGrad();
  return info.Env().Undefined();
  GUARD_END
}

Napi::Value ModelWrap::GetLoraTensors(const Napi::CallbackInfo& info) {
  GUARD_BEGIN
  return loraTensorsToJs(info.Env(), *model_, false);
  GUARD_END
}
Napi::Value ModelWrap::GetLoraGrads(const Napi::CallbackInfo& info) {
  GUARD_BEGIN
  return loraTensorsToJs(info.Env(), *model_, true);
  GUARD_END
}

// setLoraTensors({name: Float32Array}): every name must be a known parameter; shapes must match.
Napi::Value ModelWrap::SetLoraTensors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = asObject(env, info[0], "setLoraTensors(tensors)");
  auto params = model_->loraParams();
  Napi::Array keys = o.GetPropertyNames();
  // Validate all first so a bad call changes nothing.
  std::vector<std::pair<std::vector<float>*, Napi::Float32Array>> todo;
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    std::string k = keys.Get(i).As<Napi::String>().Utf8Value();
    std::vector<float>* dst = nullptr;
    for (auto& p : params)
      if (p.name == k) dst = p.value;
    if (!dst) throw Napi::Error::New(env, "setLoraTensors: unknown LoRA tensor '" + k + "'");
    Napi::Value v = o.Get(k);
    if (v.IsObject() && !v.IsTypedArray()) v = v.As<Napi::Object>().Get("data");
    todo.emplace_back(dst, getFloat32Array(env, v, "setLoraTensors: '" + k + "'", dst->size()));
  }
  if (!todo.empty() && todo.size() < params.size()) model_->syncFromDevice(device::kValues);  // keep the tensors not given
  for (auto& t : todo) std::memcpy(t.first->data(), t.second.Data(), t.first->size() * sizeof(float));
  if (!todo.empty()) model_->syncToDevice(device::kValues);
  return env.Undefined();
  GUARD_END
}

Napi::Value ModelWrap::GetOptimizerState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  model_->syncFromDevice(device::kMoments);  // no-op on the CPU
  AdamWState& st = model_->optimizerState();
  auto params = model_->loraParams();
  Napi::Object o = Napi::Object::New(env);
  o.Set("step", double(st.step));
  o.Set("dropoutCounter", double(model_->dropoutCounter()));
  Napi::Object m = Napi::Object::New(env), v = Napi::Object::New(env);
  if (model_->fullTraining()) {
    // every parameter's moments, in its file layout (empty before the first step)
    if (st.step > 0)
      for (const auto& p : model_->fullParams()) {
        std::vector<float> mm = model_->fullParamRead(p, 2), vv = model_->fullParamRead(p, 3);
        m.Set(p.name, toF32(env, mm.data(), mm.size()));
        v.Set(p.name, toF32(env, vv.data(), vv.size()));
      }
  } else if (st.m.size() == params.size())
    for (size_t i = 0; i < params.size(); ++i) {
      m.Set(params[i].name, toF32(env, st.m[i].data(), st.m[i].size()));
      v.Set(params[i].name, toF32(env, st.v[i].data(), st.v[i].size()));
    }
  o.Set("m", m);
  o.Set("v", v);
  return o;
  GUARD_END
}

Napi::Value ModelWrap::SetOptimizerState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = asObject(env, info[0], "setOptimizerState(state)");
  const char* ctx = "setOptimizerState";
  auto params = model_->loraParams();
  AdamWState st;
  st.step = int64_t(getNumber(env, o, "step", ctx));
  uint64_t counter = uint64_t(getNumberOr(env, o, "dropoutCounter", 0, ctx));
  Napi::Object m = asObject(env, o.Get("m"), "setOptimizerState: m");
  Napi::Object v = asObject(env, o.Get("v"), "setOptimizerState: v");
  if (model_->fullTraining()) {
    // all moments validated before any is written; none given: fresh moments
    auto full = model_->fullParams();
    std::vector<std::pair<Napi::Float32Array, Napi::Float32Array>> mv;
    if (m.GetPropertyNames().Length() > 0)
      for (const auto& p : full)
        mv.emplace_back(getFloat32Array(env, m.Get(p.name), "setOptimizerState: m['" + p.name + "']", p.size()),
                        getFloat32Array(env, v.Get(p.name), "setOptimizerState: v['" + p.name + "']", p.size()));
    model_->optimizerState() = AdamWState();
    for (size_t i = 0; i < mv.size(); ++i) {
      model_->fullParamWrite(full[i], 2, mv[i].first.Data());
      model_->fullParamWrite(full[i], 3, mv[i].second.Data());
    }
    model_->optimizerState().step = st.step;
    model_->dropoutCounter() = counter;
    return env.Undefined();
  }
  if (m.GetPropertyNames().Length() > 0) {
    for (auto& p : params) {
      auto mm = getFloat32Array(env, m.Get(p.name), "setOptimizerState: m['" + p.name + "']", p.value->size());
      auto vv = getFloat32Array(env, v.Get(p.name), "setOptimizerState: v['" + p.name + "']", p.value->size());
      st.m.emplace_back(mm.Data(), mm.Data() + mm.ElementLength());
      st.v.emplace_back(vv.Data(), vv.Data() + vv.ElementLength());
    }
  }
  model_->optimizerState() = std::move(st);
  model_->dropoutCounter() = counter;
  model_->syncToDevice(device::kMoments);  // no-op on the CPU
  return env.Undefined();
  GUARD_END
}

}  // namespace js
}  // namespace engine
