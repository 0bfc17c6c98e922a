#include "model_binding.h"

#include <string>
#include <vector>

#include "device_init.h"
#include "device_loader.h"
#include "device_self_test.h"
#include "gemm.h"
#include "napi_args.h"
#include "safetensors.h"
#include "threadpool.h"

namespace engine {
namespace js {
namespace {

ModelSpec parseSpec(Napi::Env env, const Napi::Object& o) {
  const char* ctx = "model spec";
  ModelSpec s;
  Napi::Value arch = o.Get("arch");
  if (!arch.IsString()) typeError(env, "model spec: 'arch' must be 'gpt2' or 'llama'");
  std::string a = arch.As<Napi::String>().Utf8Value();
  if (a == "gpt2") s.arch = Arch::Gpt2;
  else if (a == "llama") s.arch = Arch::Llama;
  else throw Napi::Error::New(env, "model spec: unknown architecture '" + a + "' (gpt2 and llama are supported)");
  s.vocabSize = getInt(env, o, "vocabSize", ctx);
  s.hiddenSize = getInt(env, o, "hiddenSize", ctx);
  s.numLayers = getInt(env, o, "numLayers", ctx);
  s.numHeads = getInt(env, o, "numHeads", ctx);
  s.numKvHeads = getInt(env, o, "numKvHeads", ctx);
  s.headDim = getInt(env, o, "headDim", ctx);
  s.intermediateSize = getInt(env, o, "intermediateSize", ctx);
  s.maxPositions = getInt(env, o, "maxPositions", ctx);
  s.normEps = float(getNumber(env, o, "normEps", ctx));
  s.ropeTheta = getNumberOr(env, o, "ropeTheta", 10000, ctx);
  Napi::Value rs = o.Get("ropeScaling");
  if (!rs.IsNull() && !rs.IsUndefined()) {
    Napi::Object r = asObject(env, rs, "model spec: ropeScaling");
    Napi::Value type = r.Get("type");
    if (!type.IsString() || type.As<Napi::String>().Utf8Value() != "llama3") typeError(env, "model spec: ropeScaling.type must be 'llama3'");
    s.ropeScaling.enabled = true;
    s.ropeScaling.factor = getNumber(env, r, "factor", "ropeScaling");
    s.ropeScaling.lowFreqFactor = getNumber(env, r, "lowFreqFactor", "ropeScaling");
    s.ropeScaling.highFreqFactor = getNumber(env, r, "highFreqFactor", "ropeScaling");
    s.ropeScaling.originalMaxPositions = getNumber(env, r, "originalMaxPositions", "ropeScaling");
  }
  s.tieWordEmbeddings = getBool(env, o, "tieWordEmbeddings", ctx);
  s.attentionBias = getBool(env, o, "attentionBias", ctx);
  // optional: precision of the frozen weights in memory (default: as the files store them)
  Napi::Value wd = o.Get("weightDtype");
  if (!wd.IsUndefined() && !wd.IsNull()) {
    std::string d = wd.IsString() ? wd.As<Napi::String>().Utf8Value() : "";
    if (d == "f32") s.weightStorage = WeightStorage::F32;
    else if (d == "f16") s.weightStorage = WeightStorage::F16;
    else if (d == "bf16") s.weightStorage = WeightStorage::BF16;
    else if (d == "file") s.weightStorage = WeightStorage::File;
    else typeError(env, "model spec: 'weightDtype' must be 'f32', 'f16', 'bf16' or 'file'");
  }
  return s;
}

}  // namespace

Napi::Function ModelWrap::Init(Napi::Env env) {
  Napi::Function f = DefineClass(env, "Model",
                                 {InstanceMethod("forward", &ModelWrap::Forward),
                                  InstanceMethod("info", &ModelWrap::Info),
                                  InstanceMethod("addLora", &ModelWrap::AddLora),
                                  InstanceMethod("forwardBackward", &ModelWrap::ForwardBackward),
                                  InstanceMethod("evalLoss", &ModelWrap::EvalLoss),
                                  InstanceMethod("optimizerStep", &ModelWrap::OptimizerStep),
                                  InstanceMethod("zeroGrad", &ModelWrap::ZeroGrad),
                                  InstanceMethod("projectedExampleGrads", &ModelWrap::ProjectedExampleGrads),
                                  InstanceMethod("releaseTrainingBuffers", &ModelWrap::ReleaseTrainingBuffers),
                                  InstanceMethod("projectedTokenGrads", &ModelWrap::ProjectedTokenGrads),
                                  InstanceMethod("getLoraTensors", &ModelWrap::GetLoraTensors),
                                  InstanceMethod("getLoraGrads", &ModelWrap::GetLoraGrads),
                                  InstanceMethod("setLoraTensors", &ModelWrap::SetLoraTensors),
                                  InstanceMethod("loraBankAdd", &ModelWrap::LoraBankAdd),
                                  InstanceMethod("loraBankLoad", &ModelWrap::LoraBankLoad),
                                  InstanceMethod("loraBankTensors", &ModelWrap::LoraBankTensors),
                                  InstanceMethod("loraBankRemove", &ModelWrap::LoraBankRemove),
                                  InstanceMethod("getOptimizerState", &ModelWrap::GetOptimizerState),
                                  InstanceMethod("setOptimizerState", &ModelWrap::SetOptimizerState),
                                  InstanceMethod("enableFullTraining", &ModelWrap::EnableFullTraining),
                                  InstanceMethod("getParameters", &ModelWrap::GetParameters),
                                  InstanceMethod("getParameterGrads", &ModelWrap::GetParameterGrads),
                                  InstanceMethod("setParameters", &ModelWrap::SetParameters)});
  return f;
}

ModelWrap::ModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ModelWrap>(info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = asObject(env, info[0], "new Model(spec)");
  ModelSpec spec = parseSpec(env, o);
  Napi::Value files = o.Get("files");
  if (!files.IsArray()) typeError(env, "model spec: 'files' must be an array of safetensors paths");
  Napi::Array fa = files.As<Napi::Array>();
  std::vector<std::string> paths;
  for (uint32_t i = 0; i < fa.Length(); ++i) {
    if (!fa.Get(i).IsString()) typeError(env, "model spec: 'files' must hold strings");
    paths.push_back(fa.Get(i).As<Napi::String>().Utf8Value());
  }
  if (paths.empty()) typeError(env, "model spec: 'files' is empty");
  // optional: where to run, 'cpu' (default), 'cuda' (an error when unavailable) or 'auto'
  std::string backend = "cpu";
  Napi::Value bv = o.Get("backend");
  if (!bv.IsUndefined() && !bv.IsNull()) {
    backend = bv.IsString() ? bv.As<Napi::String>().Utf8Value() : "";
    if (backend != "cpu" && backend != "cuda" && backend != "auto") typeError(env, "model spec: 'backend' must be 'cpu', 'cuda' or 'auto'");
  }
  // optional, CUDA only (ignored on the CPU): 'fp32' (default), 'tf32' or 'bf16' (device_model.h)
  std::string precision = "fp32";
  Napi::Value pv = o.Get("precision");
  if (!pv.IsUndefined() && !pv.IsNull()) {
    precision = pv.IsString() ? pv.As<Napi::String>().Utf8Value() : "";
    if (precision != "fp32" && precision != "tf32" && precision != "bf16") typeError(env, "model spec: 'precision' must be 'fp32', 'tf32' or 'bf16'");
  }
  const int devicePrecision = precision == "bf16" ? device::kBf16 : precision == "tf32" ? device::kTf32 : device::kFp32;
  // Before reading the weights: asking for 'cuda' where there is none fails fast.
  const device::Entry* entry = nullptr;
  std::string why;
  if (backend != "cpu") {
    entry = loadDeviceBackend(&why);
    if (entry && entry->deviceCount(&why) <= 0) {
      entry = nullptr;
      if (why.empty()) why = "no CUDA device found";
    }
    if (entry) {
      const std::string wrong = deviceSelfTest(*entry, devicePrecision);
      if (!wrong.empty()) {
        entry = nullptr;
        why = "the CUDA backend failed its self-check against the CPU engine: " + wrong;
      }
    }
    if (!entry && backend == "cuda") throw Napi::Error::New(env, "backend 'cuda' is not available: " + why);
  }
  model_ = std::make_unique<Model>(spec, loadSafetensorsFilesLazy(paths));  // tensors read one at a time
  if (entry) {
    std::unique_ptr<device::Model> dev;
    {
      std::vector<std::vector<float>> keep;  // widened weights, freed once uploaded
      device::ModelInit init = makeDeviceInit(*model_, keep);
      init.precision = devicePrecision;
      std::string err;
      dev.reset(entry->create(init, 0, &err));
      if (!dev) why = "the CUDA backend could not load the model: " + (err.empty() ? std::string("unknown error") : err);
    }
    if (dev) {
      model_->attachDevice(std::move(dev));
      precision_ = precision;
    }
    else if (backend == "cuda") throw Napi::Error::New(env, "backend 'cuda' is not available: " + why);
  }
  if (!model_->device() && backend == "auto") fallbackReason_ = why;
  GUARD_END
}

Napi::Value DeviceStatus(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = Napi::Object::New(env);
  std::string why;
  const device::Entry* entry = loadDeviceBackend(&why);
  int n = 0;
  if (entry) {
    n = entry->deviceCount(&why);
    if (n < 0) n = 0;
    if (n == 0 && why.empty()) why = "no CUDA device found";
  }
  o.Set("available", n > 0);
  o.Set("devices", n);
  std::string lib = deviceBackendPath();
  if (!lib.empty()) o.Set("library", lib);
  if (n == 0) o.Set("reason", why);
  return o;
  GUARD_END
}

Napi::Value ModelWrap::Forward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[1].IsNumber() || !info[2].IsNumber()) typeError(env, "forward(tokens, batch, seq): batch and seq must be numbers");
  int B = info[1].As<Napi::Number>().Int32Value(), T = info[2].As<Napi::Number>().Int32Value();
  if (B <= 0 || T <= 0) typeError(env, "forward: batch and seq must be positive");
  auto tok = getInt32Array(env, info[0], "forward: tokens", size_t(B) * T);
  std::vector<float> l = model_->forward(tok.Data(), B, T);
  return toF32(env, l.data(), l.size());
  GUARD_END
}

Napi::Value ModelWrap::Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ModelSpec& s = model_->spec();
  Napi::Object o = Napi::Object::New(env);
  o.Set("arch", s.arch == Arch::Gpt2 ? "gpt2" : "llama");
  o.Set("vocabSize", s.vocabSize);
  o.Set("hiddenSize", s.hiddenSize);
  o.Set("numLayers", s.numLayers);
  double lora = 0;
  for (auto& p : model_->loraParams()) lora += double(p.value->size());
  o.Set("loraParameters", lora);
  double full = 0;
  for (const auto& p : model_->fullParams()) full += double(p.size());
  o.Set("trainingMode", model_->fullTraining() ? "full" : model_->hasLora() ? "lora" : "none");
  o.Set("trainableParameters", model_->fullTraining() ? full : lora);
  o.Set("gemmKernel", gemmKernel());
  o.Set("weightBytes", double(model_->weightBytes()));
  o.Set("threads", threadCount());
  Napi::Object be = Napi::Object::New(env);
  be.Set("kind", model_->backendName());
  if (device::Model* d = model_->device()) {
    be.Set("device", d->describe());
    be.Set("deviceBytes", double(d->deviceBytes()));
    be.Set("precision", precision_);
  }
  if (!fallbackReason_.empty()) be.Set("fallbackReason", fallbackReason_);
  o.Set("backend", be);
  return o;
}

}  // namespace js
}  // namespace engine
