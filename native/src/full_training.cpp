// Full-parameter training: every weight of the model trainable (embeddings, norms, attention,
// MLP, head), as opposed to the LoRA mode where the base stays frozen.
//
// Storage: the weights stay where the forward pass reads them (matrices in their 64-row panels,
// widened to f32 once: that f32 copy is the master the optimizer updates). A matrix's gradient is
// kept as Wᵀ, (cols,rows) row-major, because that is what one GEMM writes (dWᵀ = Xᵀ·dY over the
// tokens); the AdamW moments share the gradient's layout, and the update maps each gradient
// element to its panel slot. Everything a JS caller sees (names, shapes, values, gradients,
// moments) is in the model files' own layout: exact permutations, so a checkpoint round-trips
// bit for bit.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "gemm.h"
#include "layer_ops.h"
#include "model.h"
#include "threadpool.h"
#include "weights.h"

namespace engine {

using namespace detail;

namespace {
// AdamW on n contiguous values, adamwStep's arithmetic element for element (adamw.cpp); zeroes the
// gradients it read (the step's zeroGrad, fused into the same pass over memory).
struct AdamRun {
  float beta1, beta2, eps, clip, stepSize, bc2Sqrt, decay;
  void apply(float* __restrict w, float* __restrict g, float* __restrict m, float* __restrict v, size_t n) const {
    for (size_t i = 0; i < n; ++i) {
      const float gc = g[i] * clip;
      m[i] = beta1 * m[i] + (1.f - beta1) * gc;
      v[i] = beta2 * v[i] + (1.f - beta2) * gc * gc;
      w[i] *= decay;
      w[i] -= stepSize * m[i] / (std::sqrt(v[i]) / bc2Sqrt + eps);
      g[i] = 0.f;
    }
  }
};

void widenToF32(WeightMatrix& W) {
  if (W.empty() || W.dtype == Dtype::F32) return;
  std::vector<float> rm = W.toRowMajor();
  W = WeightMatrix::fromRowMajor(rm.data(), W.rows, W.cols, Dtype::F32);
}
}  // namespace

void Model::enableFullTraining(const FullTrainConfig& cfg) {
  check(!hasLora_, "enableFullTraining: the model has a LoRA adapter; full-parameter training trains the weights themselves, without one");
  check(!device_, "enableFullTraining: full-parameter training runs on the CPU engine only (the CUDA backend computes no weight gradients yet); load the model with backend 'cpu'");
  fullCfg_ = cfg;
  if (fullTraining_) return;
  const ModelSpec& s = spec_;
  const int C = s.hiddenSize, V = s.vocabSize;
  widenToF32(wte);
  widenToF32(lmHead);
  dWte.assign(size_t(C) * V, 0.f);
  if (!lmHead.empty()) dLmHead.assign(size_t(C) * V, 0.f);
  if (!wpe.empty()) dWpe.assign(wpe.size(), 0.f);
  dLnfW.assign(lnfW.size(), 0.f);
  dLnfB.assign(lnfB.size(), 0.f);
  for (Layer& L : layers) {
    L.dNorm1W.assign(L.norm1W.size(), 0.f);
    L.dNorm1B.assign(L.norm1B.size(), 0.f);
    L.dNorm2W.assign(L.norm2W.size(), 0.f);
    L.dNorm2B.assign(L.norm2B.size(), 0.f);
    for (Linear* lin : L.linears()) {
      widenToF32(lin->W);
      lin->dWt.assign(size_t(lin->in) * lin->out, 0.f);
      lin->dBias.assign(lin->bias.size(), 0.f);
    }
  }
  opt_ = AdamWState();
  dropoutCounter_ = 0;
  fullTraining_ = true;
}

std::vector<Model::FullParam> Model::fullParams() {
  std::vector<FullParam> out;
  if (!fullTraining_) return out;
  const bool gpt2 = spec_.arch == Arch::Gpt2;
  auto mat = [&](const std::string& name, WeightMatrix& W, std::vector<float>& g, bool transposedInFile) {
    FullParam p;
    p.name = name;
    p.matrix = &W;
    p.grad = &g;
    p.fileTransposed = transposedInFile;
    p.shape = transposedInFile ? std::vector<int64_t>{W.cols, W.rows} : std::vector<int64_t>{W.rows, W.cols};
    out.push_back(p);
  };
  // Weight decay: every matrix, embeddings and positions included (as Hugging Face's Trainer and
  // nanoGPT decay them); never norms and biases.
  auto vec = [&](const std::string& name, std::vector<float>& v, std::vector<float>& g, std::vector<int64_t> shape, bool decay) {
    if (v.empty()) return;
    FullParam p;
    p.name = name;
    p.vec = &v;
    p.grad = &g;
    p.shape = std::move(shape);
    p.decay = decay;
    out.push_back(p);
  };
  const int64_t C = spec_.hiddenSize;
  auto linear = [&](Linear& lin, const std::string& base) {
    mat(base + ".weight", lin.W, lin.dWt, gpt2);
    vec(base + ".bias", lin.bias, lin.dBias, {int64_t(lin.out)}, false);
  };
  // GPT-2's module names are "transformer.h.0..." in PEFT terms; the file may carry no prefix.
  auto gptName = [&](const std::string& peft) { return gpt2Prefix + peft.substr(std::string("transformer.").size()); };
  const std::string pre = gpt2 ? gpt2Prefix : "model.";
  mat(gpt2 ? pre + "wte.weight" : "model.embed_tokens.weight", wte, dWte, false);
  if (gpt2) vec(pre + "wpe.weight", wpe, dWpe, {int64_t(spec_.maxPositions), C}, true);
  for (size_t i = 0; i < layers.size(); ++i) {
    Layer& L = layers[i];
    const std::string lp = gpt2 ? pre + "h." + std::to_string(i) + "." : "model.layers." + std::to_string(i) + ".";
    vec(lp + (gpt2 ? "ln_1.weight" : "input_layernorm.weight"), L.norm1W, L.dNorm1W, {C}, false);
    vec(lp + "ln_1.bias", L.norm1B, L.dNorm1B, {C}, false);
    for (Linear& lin : L.qkv) linear(lin, gpt2 ? gptName(lin.peftName) : lin.peftName);
    linear(L.o, gpt2 ? gptName(L.o.peftName) : L.o.peftName);
    vec(lp + (gpt2 ? "ln_2.weight" : "post_attention_layernorm.weight"), L.norm2W, L.dNorm2W, {C}, false);
    vec(lp + "ln_2.bias", L.norm2B, L.dNorm2B, {C}, false);
    for (Linear& lin : L.mlpIn) linear(lin, gpt2 ? gptName(lin.peftName) : lin.peftName);
    linear(L.down, gpt2 ? gptName(L.down.peftName) : L.down.peftName);
  }
  vec(gpt2 ? pre + "ln_f.weight" : "model.norm.weight", lnfW, dLnfW, {C}, false);
  vec(pre + "ln_f.bias", lnfB, dLnfB, {C}, false);
  if (!lmHead.empty()) mat("lm_head.weight", lmHead, dLmHead, false);
  return out;
}

std::vector<float> Model::fullParamRead(const FullParam& p, int what) {
  check(what >= 0 && what <= 3, "fullParamRead: unknown part");
  size_t index = 0;
  {
    std::vector<FullParam> all = fullParams();
    while (index < all.size() && all[index].name != p.name) ++index;
  }
  const std::vector<float>* src = what == 1 ? p.grad : nullptr;
  if (what >= 2) {
    if (opt_.m.size() <= index) return std::vector<float>(p.size(), 0.f);  // no step yet
    src = what == 2 ? &opt_.m[index] : &opt_.v[index];
  }
  if (p.vec) return what == 0 ? *p.vec : *src;
  const WeightMatrix& W = *p.matrix;
  if (what == 0) {
    std::vector<float> rm = W.toRowMajor();
    return p.fileTransposed ? transposed(rm, W.rows, W.cols) : rm;
  }
  // gradient layout (cols,rows) is the file layout exactly when the file is transposed
  return p.fileTransposed ? *src : transposed(*src, W.cols, W.rows);
}

void Model::fullParamWrite(const FullParam& p, int what, const float* src) {
  check(what >= 0 && what <= 3, "fullParamWrite: unknown part");
  const size_t n = p.size();
  std::vector<float>* dst = nullptr;
  if (what == 1) dst = p.grad;
  if (what >= 2) {
    std::vector<FullParam> all = fullParams();
    if (opt_.m.size() != all.size()) {
      opt_.m.clear();
      opt_.v.clear();
      for (const FullParam& q : all) {
        opt_.m.emplace_back(q.size(), 0.f);
        opt_.v.emplace_back(q.size(), 0.f);
      }
    }
    size_t index = 0;
    while (index < all.size() && all[index].name != p.name) ++index;
    check(index < all.size(), "fullParamWrite: unknown parameter '" + p.name + "'");
    dst = what == 2 ? &opt_.m[index] : &opt_.v[index];
  }
  if (p.vec) {
    std::vector<float>& d = what == 0 ? *p.vec : *dst;
    d.assign(src, src + n);
    return;
  }
  WeightMatrix& W = *p.matrix;
  if (what == 0) {
    W = p.fileTransposed ? WeightMatrix::fromTransposed(src, W.rows, W.cols, Dtype::F32) : WeightMatrix::fromRowMajor(src, W.rows, W.cols, Dtype::F32);
    return;
  }
  if (p.fileTransposed) dst->assign(src, src + n);
  else {
    std::vector<float> rm(src, src + n);
    *dst = transposed(rm, W.rows, W.cols);
  }
}

void Model::fullHeadBackward(const float* n, const float* dlogits, int N) {
  // dHeadᵀ(C,V) += n(N,C)ᵀ · dlogits(N,V); a tied head's gradient lands in the embedding's.
  const int C = spec_.hiddenSize, V = spec_.vocabSize;
  std::vector<float>& g = lmHead.empty() ? dWte : dLmHead;
  sgemm(true, false, C, V, N, 1.f, n, C, dlogits, V, 1.f, g.data(), V);
}

void Model::fullEmbeddingBackward(const int32_t* tokens, const float* dx, int B, int T) {
  const int C = spec_.hiddenSize, V = spec_.vocabSize, N = B * T;
  // Each task owns a block of embedding columns and adds the tokens in row order: one fixed sum
  // order per element whatever the thread count (a token repeated in the batch adds up in order).
  parallelFor(C, 16, [&](int64_t c0, int64_t c1) {
    for (int r = 0; r < N; ++r) {
      const float* d = dx + size_t(r) * C;
      float* g = dWte.data() + size_t(tokens[r]);
      for (int64_t c = c0; c < c1; ++c) g[size_t(c) * V] += d[c];
    }
  });
  if (dWpe.empty()) return;
  parallelFor(T, 4, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t)
      for (int b = 0; b < B; ++b) {
        const float* d = dx + (size_t(b) * T + t) * C;
        float* g = dWpe.data() + size_t(t) * C;
        for (int c = 0; c < C; ++c) g[c] += d[c];
      }
  });
}

double Model::fullOptimizerStep(const AdamWOptions& o) {
  std::vector<FullParam> params = fullParams();
  if (opt_.m.size() != params.size()) {
    opt_.m.clear();
    opt_.v.clear();
    for (const FullParam& p : params) {
      opt_.m.emplace_back(p.size(), 0.f);
      opt_.v.emplace_back(p.size(), 0.f);
    }
  }
  // Fixed pieces (from the shapes only): a matrix by whole gradient rows (one input column of W,
  // `rows` values), a vector by ranges. The norm's partial sums are per piece, added in piece
  // order, so the norm has the same bits for any thread count.
  struct Piece {
    size_t param, begin, end;  // gradient rows for matrices, elements for vectors
  };
  constexpr size_t kPiece = size_t(1) << 15;
  std::vector<Piece> pieces;
  for (size_t k = 0; k < params.size(); ++k) {
    const FullParam& p = params[k];
    const size_t units = p.matrix ? size_t(p.matrix->cols) : p.vec->size();
    const size_t per = p.matrix ? std::max<size_t>(1, kPiece / size_t(std::max(1, p.matrix->rows))) : kPiece;
    for (size_t b = 0; b < units; b += per) pieces.push_back({k, b, std::min(units, b + per)});
  }
  auto span = [&](const Piece& pc, size_t& g0, size_t& g1) {
    const FullParam& p = params[pc.param];
    const size_t unit = p.matrix ? size_t(p.matrix->rows) : 1;
    g0 = pc.begin * unit;
    g1 = pc.end * unit;
  };
  std::vector<double> partial(pieces.size());
  pool().run(int64_t(pieces.size()), [&](int64_t t, int) {
    size_t g0, g1;
    span(pieces[size_t(t)], g0, g1);
    const float* g = params[pieces[size_t(t)].param].grad->data();
    double s = 0;
    for (size_t i = g0; i < g1; ++i) s += double(g[i]) * g[i];
    partial[size_t(t)] = s;
  });
  double sum = 0;
  for (double s : partial) sum += s;
  const double norm = std::sqrt(sum);
  if (!std::isfinite(norm)) throw std::runtime_error("optimizer step: gradient norm is not finite (" + std::to_string(norm) + ")");
  if (!std::isfinite(o.lr)) throw std::runtime_error("optimizer step: learning rate is not finite");
  // From here on the arithmetic is adamwStep's (adamw.cpp), element for element.
  float clip = 1.f;
  if (o.maxGradNorm > 0 && norm > o.maxGradNorm) clip = float(o.maxGradNorm / (norm + 1e-6));
  opt_.step += 1;
  const double bc1 = 1.0 - std::pow(double(o.beta1), double(opt_.step));
  const double bc2 = 1.0 - std::pow(double(o.beta2), double(opt_.step));
  const float stepSize = float(o.lr / bc1);
  const float bc2Sqrt = float(std::sqrt(bc2));
  const float decayOn = 1.f - o.lr * o.weightDecay;
  pool().run(int64_t(pieces.size()), [&](int64_t t, int) {
    const Piece& pc = pieces[size_t(t)];
    const FullParam& p = params[pc.param];
    AdamRun r{o.beta1, o.beta2, o.eps, clip, stepSize, bc2Sqrt, p.decay ? decayOn : 1.f};
    float* g = p.grad->data();
    float* m = opt_.m[pc.param].data();
    float* v = opt_.v[pc.param].data();
    if (p.vec) {
      r.apply(p.vec->data() + pc.begin, g + pc.begin, m + pc.begin, v + pc.begin, pc.end - pc.begin);
      return;
    }
    // gradient (c, r) at c·rows + r; the weight (r, c) in its panel at ((r/64)·cols + c)·64 + r%64:
    // runs of up to 64 contiguous values in both
    WeightMatrix& W = *p.matrix;
    const size_t rows = size_t(W.rows), cols = size_t(W.cols);
    float* w = W.f32.data();
    for (size_t c = pc.begin; c < pc.end; ++c)
      for (size_t r0 = 0; r0 < rows; r0 += kPanel) {
        const size_t gi = c * rows + r0;
        r.apply(w + ((r0 / kPanel) * cols + c) * kPanel, g + gi, m + gi, v + gi, std::min<size_t>(kPanel, rows - r0));
      }
  });
  return norm;  // the update zeroed every gradient it read
}

}  // namespace engine
