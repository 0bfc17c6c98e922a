// N-API binding (node-addon-api). Every entry point converts C++ exceptions into JS Errors, so
// bad input never takes the process down. Calls are synchronous: the app runs them in workers.
// The JS API is documented in native/README.md.
#include <napi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>

#include "gemm.h"
#include "model.h"
#include "projection.h"
#include "safetensors.h"
#include "threadpool.h"

using namespace engine;

namespace {

#define GUARD_BEGIN try {
#define GUARD_END                                                   \
  }                                                                 \
  catch (const Napi::Error&) {                                      \
    throw;                                                          \
  }                                                                 \
  catch (const std::exception& e) {                                 \
    throw Napi::Error::New(info.Env(), e.what());                   \
  }

[[noreturn]] void typeError(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }

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

// --- safetensors --------------------------------------------------------------------------

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

// --- GEMM, threads, peak -------------------------------------------------------------------

// Optional 'bDtype' of gemm/benchGemm: B is then a frozen weight (WeightMatrix, the layout and
// precision the model keeps its weights in: 'f32', 'f16', 'bf16'); without it B is a plain array.
bool getBDtype(Napi::Env env, const Napi::Object& o, const char* ctx, Dtype& out) {
  Napi::Value v = o.Get("bDtype");
  if (v.IsUndefined()) return false;
  std::string d = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (d == "f32") out = Dtype::F32;
  else if (d == "f16") out = Dtype::F16;
  else if (d == "bf16") out = Dtype::BF16;
  else typeError(env, std::string(ctx) + ": bDtype must be 'f32', 'f16' or 'bf16'");
  return true;
}


Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = asObject(env, info[0], "gemm(options)");
  const char* ctx = "gemm";
  bool ta = getBool(env, o, "transA", ctx), tb = getBool(env, o, "transB", ctx);
  int M = getInt(env, o, "M", ctx), N = getInt(env, o, "N", ctx), K = getInt(env, o, "K", ctx);
  float alpha = float(getNumberOr(env, o, "alpha", 1, ctx)), beta = float(getNumberOr(env, o, "beta", 0, ctx));
  auto A = getFloat32Array(env, o.Get("A"), "gemm: A", size_t(M) * K);
  auto B = getFloat32Array(env, o.Get("B"), "gemm: B", size_t(K) * N);
  std::vector<float> C(size_t(M) * N, 0.f);
  if (o.Get("C").IsTypedArray()) {
    auto Cin = getFloat32Array(env, o.Get("C"), "gemm: C", size_t(M) * N);
    std::memcpy(C.data(), Cin.Data(), C.size() * sizeof(float));
  }
  std::string kernel = o.Get("kernel").IsString() ? o.Get("kernel").As<Napi::String>().Utf8Value() : "auto";
  int lda = ta ? M : K, ldb = tb ? K : N;
  Dtype bt = Dtype::F32;
  const bool weight = getBDtype(env, o, ctx, bt);
  if (kernel == "reference" && weight) typeError(env, "gemm: the reference kernel takes a plain B only (no bDtype)");
  WeightMatrix Wm;
  if (weight) Wm = WeightMatrix::fromRowMajor(B.Data(), tb ? N : K, tb ? K : N, bt);
  if (kernel == "reference") {
    sgemmReference(ta, tb, M, N, K, alpha, A.Data(), lda, B.Data(), ldb, beta, C.data(), N);
  } else {
    std::string before = gemmKernel();
    if (!setGemmKernel(kernel.c_str())) throw Napi::Error::New(env, "gemm: kernel '" + kernel + "' is not available on this CPU");
    try {
      if (weight) sgemmW(ta, tb, M, N, K, alpha, A.Data(), lda, Wm, beta, C.data(), N);
      else sgemm(ta, tb, M, N, K, alpha, A.Data(), lda, B.Data(), ldb, beta, C.data(), N);
    } catch (...) {
      setGemmKernel(before.c_str());
      throw;
    }
    setGemmKernel(before.c_str());
  }
  return toF32(env, C.data(), C.size());
  GUARD_END
}

// benchGemm({transA, transB, M, N, K, iters}) -> seconds per call (best of iters), on
// matrices allocated here so no JS copies are timed.
Napi::Value BenchGemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = asObject(env, info[0], "benchGemm(options)");
  const char* ctx = "benchGemm";
  bool ta = getBool(env, o, "transA", ctx), tb = getBool(env, o, "transB", ctx);
  int M = getInt(env, o, "M", ctx), N = getInt(env, o, "N", ctx), K = getInt(env, o, "K", ctx);
  int iters = int(getNumberOr(env, o, "iters", 3, ctx));
  if (M <= 0 || N <= 0 || K <= 0 || double(M) * K > 4e8 || double(K) * N > 4e8 || double(M) * N > 4e8 || iters < 1)
    typeError(env, "benchGemm: sizes out of range");
  Dtype bt = Dtype::F32;
  const bool weight = getBDtype(env, o, ctx, bt);
  std::vector<float> A(size_t(M) * K), B(size_t(K) * N), C(size_t(M) * N);
  for (size_t i = 0; i < A.size(); ++i) A[i] = float(int(i % 17) - 8) * 0.01f;
  for (size_t i = 0; i < B.size(); ++i) B[i] = float(int(i % 13) - 6) * 0.01f;
  WeightMatrix Wm;
  if (weight) {
    Wm = WeightMatrix::fromRowMajor(B.data(), tb ? N : K, tb ? K : N, bt);
    B = std::vector<float>();
  }
  double best = 1e30;
  for (int it = 0; it < iters; ++it) {
    auto t0 = std::chrono::steady_clock::now();
    if (weight) sgemmW(ta, tb, M, N, K, 1.f, A.data(), ta ? M : K, Wm, 0.f, C.data(), N);
    else sgemm(ta, tb, M, N, K, 1.f, A.data(), ta ? M : K, B.data(), tb ? K : N, 0.f, C.data(), N);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return Napi::Number::New(env, best);
  GUARD_END
}

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

Napi::Value GemmKernels(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array a = Napi::Array::New(env);
  std::string cur = gemmKernel();
  uint32_t i = 0;
  for (const char* k : {"avx512", "avx2", "scalar"})
    if (setGemmKernel(k)) a.Set(i++, k);
  setGemmKernel(cur.c_str());
  return a;
}

Napi::Value GemmKernelName(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), gemmKernel()); }

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) typeError(env, "setThreads(n): n must be a number");
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n < 1 || n > 1024) typeError(env, "setThreads(n): n must be in 1..1024");
  setThreadCount(n);
  return env.Undefined();
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), threadCount()); }

Napi::Value PeakGflops(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int threads = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : threadCount();
  double seconds = info[1].IsNumber() ? info[1].As<Napi::Number>().DoubleValue() : 0.5;
  if (threads < 1 || threads > 1024 || !(seconds > 0 && seconds < 60)) typeError(env, "peakGflops(threads, seconds): out of range");
  return Napi::Number::New(env, measurePeakGflops(threads, seconds));
}

// --- Model and Session --------------------------------------------------------------------

class ModelWrap : public Napi::ObjectWrap<ModelWrap> {
 public:
  static Napi::Function Init(Napi::Env env) {
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
                                    InstanceMethod("getOptimizerState", &ModelWrap::GetOptimizerState),
                                    InstanceMethod("setOptimizerState", &ModelWrap::SetOptimizerState)});
    return f;
  }

  explicit ModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ModelWrap>(info) {
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
    model_ = std::make_unique<Model>(spec, loadSafetensorsFilesLazy(paths));  // tensors read one at a time
    GUARD_END
  }

  Model& model() { return *model_; }

 private:
  std::unique_ptr<Model> model_;

  Napi::Value Forward(const Napi::CallbackInfo& info) {
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

  Napi::Value Info(const Napi::CallbackInfo& info) {
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
    o.Set("gemmKernel", gemmKernel());
    o.Set("weightBytes", double(model_->weightBytes()));
    o.Set("threads", threadCount());
    return o;
  }

  Napi::Value AddLora(const Napi::CallbackInfo& info) {
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
    Napi::Value gc = o.Get("gradientCheckpointing");
    if (!gc.IsUndefined()) {
      if (!gc.IsBoolean()) typeError(env, "addLora: 'gradientCheckpointing' must be a boolean");
      c.gradientCheckpointing = gc.As<Napi::Boolean>().Value();
    }
    model_->addLora(c);
    return env.Undefined();
    GUARD_END
  }

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
    Napi::Value d = o.Get("dropout");
    if (!d.IsUndefined()) {
      if (!d.IsBoolean()) typeError(env, std::string(ctx) + ": 'dropout' must be a boolean");
      b.dropout = d.As<Napi::Boolean>().Value();
    }
    Napi::Value ck = o.Get("checkpoint");
    if (!ck.IsUndefined()) {
      if (!ck.IsBoolean()) typeError(env, std::string(ctx) + ": 'checkpoint' must be a boolean");
      b.checkpoint = ck.As<Napi::Boolean>().Value() ? 1 : 0;
    }
    return b;
  }

  Napi::Value result(Napi::Env env, const TrainResult& r) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("loss", r.loss);
    o.Set("weight", r.weight);
    return o;
  }

  Napi::Value ForwardBackward(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    GUARD_BEGIN
    TrainBatch b = parseBatch(env, asObject(env, info[0], "forwardBackward(batch)"), "forwardBackward");
    return result(env, model_->forwardBackward(b));
    GUARD_END
  }

  Napi::Value EvalLoss(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    GUARD_BEGIN
    TrainBatch b = parseBatch(env, asObject(env, info[0], "evalLoss(batch)"), "evalLoss");
    return result(env, model_->evalLoss(b));
    GUARD_END
  }

  Napi::Value OptimizerStep(const Napi::CallbackInfo& info) {
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
  Napi::Value ProjectedExampleGrads(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    GUARD_BEGIN
    Napi::Object o = asObject(env, info[0], "projectedExampleGrads(options)");
    TrainBatch b = parseBatch(env, o, "projectedExampleGrads");
    int k = getInt(env, o, "dim", "projectedExampleGrads");
    uint64_t seed = uint64_t(getNumberOr(env, o, "seed", 0, "projectedExampleGrads"));
    std::vector<float> p = model_->projectedExampleGrads(b, k, seed);
    return toF32(env, p.data(), p.size());
    GUARD_END
  }

  // projectedTokenGrads({tokens, targets, batch: 1, seq, mask?, dim, seed}) ->
  // { positions: Int32Array, grads: Float32Array (positions, dim) } of d log p(target_t)
  Napi::Value ProjectedTokenGrads(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    GUARD_BEGIN
    Napi::Object o = asObject(env, info[0], "projectedTokenGrads(options)");
    TrainBatch b = parseBatch(env, o, "projectedTokenGrads");
    int k = getInt(env, o, "dim", "projectedTokenGrads");
    uint64_t seed = uint64_t(getNumberOr(env, o, "seed", 0, "projectedTokenGrads"));
    std::vector<int> pos;
    std::vector<float> g = model_->projectedTokenGrads(b, k, seed, pos);
    Napi::Object r = Napi::Object::New(env);
    auto pa = Napi::Int32Array::New(env, pos.size());
    for (size_t i = 0; i < pos.size(); ++i) pa[i] = pos[i];
    r.Set("positions", pa);
    r.Set("grads", toF32(env, g.data(), g.size()));
    return r;
    GUARD_END
  }

  Napi::Value ReleaseTrainingBuffers(const Napi::CallbackInfo& info) {
    model_->releaseTrainingBuffers();
    return info.Env().Undefined();
  }

  Napi::Value ZeroGrad(const Napi::CallbackInfo& info) {
    model_->zeroGrad();
    return info.Env().Undefined();
  }

  Napi::Value tensorsToJs(Napi::Env env, bool grads) {
    Napi::Object out = Napi::Object::New(env);
    for (auto& p : model_->loraParams()) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("shape", shapeToJs(env, p.shape));
      const std::vector<float>& v = grads ? *p.grad : *p.value;
      o.Set("data", toF32(env, v.data(), v.size()));
      out.Set(p.name, o);
    }
    return out;
  }

  Napi::Value GetLoraTensors(const Napi::CallbackInfo& info) { return tensorsToJs(info.Env(), false); }
  Napi::Value GetLoraGrads(const Napi::CallbackInfo& info) { return tensorsToJs(info.Env(), true); }

  // setLoraTensors({name: Float32Array}): every name must be a known parameter; shapes must match.
  Napi::Value SetLoraTensors(const Napi::CallbackInfo& info) {
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
    for (auto& t : todo) std::memcpy(t.first->data(), t.second.Data(), t.first->size() * sizeof(float));
    return env.Undefined();
    GUARD_END
  }

  Napi::Value GetOptimizerState(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    AdamWState& st = model_->optimizerState();
    auto params = model_->loraParams();
    Napi::Object o = Napi::Object::New(env);
    o.Set("step", double(st.step));
    o.Set("dropoutCounter", double(model_->dropoutCounter()));
    Napi::Object m = Napi::Object::New(env), v = Napi::Object::New(env);
    if (st.m.size() == params.size())
      for (size_t i = 0; i < params.size(); ++i) {
        m.Set(params[i].name, toF32(env, st.m[i].data(), st.m[i].size()));
        v.Set(params[i].name, toF32(env, st.v[i].data(), st.v[i].size()));
      }
    o.Set("m", m);
    o.Set("v", v);
    return o;
  }

  Napi::Value SetOptimizerState(const Napi::CallbackInfo& info) {
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
    return env.Undefined();
    GUARD_END
  }
};
// Per-environment data: each worker thread that loads the addon gets its own constructor
// reference (a process-wide static would mix up environments).
struct AddonData {
  Napi::FunctionReference modelCtor;
};

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Session",
                       {InstanceMethod("prefill", &SessionWrap::Prefill), InstanceMethod("step", &SessionWrap::Step),
                        InstanceMethod("reset", &SessionWrap::Reset), InstanceAccessor("position", &SessionWrap::Position, nullptr)});
  }

  // new Session(model, {batch, capacity})
  explicit SessionWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SessionWrap>(info) {
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

 private:
  Napi::ObjectReference modelRef_;  // keeps the model alive while the session is
  Model* model_ = nullptr;
  KVCache cache_;
  int pos_ = 0;

  Napi::Value run(const Napi::CallbackInfo& info, int T, bool lastOnly) {
    Napi::Env env = info.Env();
    int B = cache_.batch;
    auto tok = getInt32Array(env, info[0], "session: tokens", size_t(B) * T);
    std::vector<float> l = model_->decode(cache_, pos_, tok.Data(), B, T, lastOnly);
    pos_ += T;
    return toF32(env, l.data(), l.size());
  }

  // prefill(tokens (B,T) Int32Array, {allLogits?}) -> logits (B,V) of the last position, or (B,T,V)
  Napi::Value Prefill(const Napi::CallbackInfo& info) {
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
  Napi::Value Step(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    return run(info, 1, true);
    GUARD_END
  }

  Napi::Value Reset(const Napi::CallbackInfo& info) {
    pos_ = 0;
    return info.Env().Undefined();
  }
  Napi::Value Position(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), pos_); }
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("loadSafetensors", Napi::Function::New(env, LoadSafetensors));
  exports.Set("readSafetensorsHeader", Napi::Function::New(env, ReadSafetensorsHeader));
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("projectVector", Napi::Function::New(env, ProjectVector));
  exports.Set("benchGemm", Napi::Function::New(env, BenchGemm));
  exports.Set("gemmKernels", Napi::Function::New(env, GemmKernels));
  exports.Set("gemmKernel", Napi::Function::New(env, GemmKernelName));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads));
  exports.Set("peakGflops", Napi::Function::New(env, PeakGflops));
  Napi::Function modelCtor = ModelWrap::Init(env);
  auto* data = new AddonData();
  data->modelCtor = Napi::Persistent(modelCtor);
  env.SetInstanceData<AddonData>(data);  // freed by node-addon-api when the environment ends
  exports.Set("Model", modelCtor);
  exports.Set("Session", SessionWrap::Init(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(engine, Init)
