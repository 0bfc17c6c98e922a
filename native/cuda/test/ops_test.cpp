// Compares every function of ops.cuh and every Blas path (blas.cuh) with the CPU engine on random
// inputs of awkward shapes (one row, widths that are not multiples of 32 or of the block size,
// T = 1, grouped-query heads, left padding, decoding at pos0 > 0 against a cache). Runs on a GPU
// (nvcc) or in the host emulator (g++ -DSTUDIO_CUDA_EMULATED, tools/cuda-test.sh).
// Prints one line per check; exits 1 if any check fails.
//
// Tolerances. A check passes when every element satisfies |got - want| <= tol * (|want| + rms),
// rms being the root mean square of the expected output: relative for large values, and relative
// to the output's scale for values near zero (where sums of cancelling terms have absolute, not
// relative, rounding errors).
//   kExact   0      dropout factors and outputs, copies (embed without positions, gather, KV
//                   cache moves): no arithmetic or the same single float operation.
//   kRow     2e-6   elementwise float formulas (gelu, swiglu, rope, bias, axpy, AdamW): the same
//                   expression, but the CPU's polynomial exp (rel. error < 2e-7) vs expf, and
//                   nvcc may fuse a*b+c into one rounding.
//   kReduce  1e-5   f32 sums done in another order (norm backward terms, attention, GEMM with K
//                   up to 300: error ~ sqrt(K)·6e-8 relative to the output's scale, with margin).
//   kDouble  1e-9   sums the CPU and the kernels both accumulate in double (loss, sum of squares).
//   bf16 (bf16 mode): roundToBf16 and the bf16 embedding are bit-exact (precision.h narrowing and
//   widening). Blas::gemmBf16 is compared with a reference that rounds both operands to bf16 and
//   sums in double: a product of two bf16 values is exact in f32 (8+8 significant bits), so the
//   only error left is the f32 summation, as for SGEMM: kReduce.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

// The CPU engine's headers (and the standard headers they pull in) come before the CUDA ones.
#include "adamw.h"
#include "gemm.h"
#include "layer_ops.h"
#include "ops.h"
#include "precision.h"
#include "rng.h"
// CUDA headers
#include "blas.cuh"
#include "ops.cuh"

namespace {

constexpr double kExact = 0, kRow = 2e-6, kReduce = 1e-5, kDouble = 1e-9;

int failures = 0;
std::mt19937 rng(1234);

void cudaOk(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    std::fprintf(stderr, "CUDA error in %s: %s\n", what, cudaGetErrorString(e));
    std::exit(2);
  }
}

std::vector<float> randn(size_t n, float scale = 1.f) {
  std::normal_distribution<float> nd(0.f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = nd(rng);
  return v;
}

// A device copy of a host vector; download() reads it back.
template <class T>
struct Dev {
  T* p = nullptr;
  size_t n = 0;
  explicit Dev(const std::vector<T>& h) : n(h.size()) {
    cudaOk(cudaMalloc(reinterpret_cast<void**>(&p), (n ? n : 1) * sizeof(T)), "cudaMalloc");
    if (n) cudaOk(cudaMemcpy(p, h.data(), n * sizeof(T), cudaMemcpyHostToDevice), "cudaMemcpy H2D");
  }
  explicit Dev(size_t count, T fill = T()) : Dev(std::vector<T>(count, fill)) {}
  ~Dev() { cudaFree(p); }
  Dev(const Dev&) = delete;
  Dev& operator=(const Dev&) = delete;
  std::vector<T> download() const {
    cudaOk(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    std::vector<T> h(n);
    if (n) cudaOk(cudaMemcpy(h.data(), p, n * sizeof(T), cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
    return h;
  }
};

template <class T>
void compare(const std::string& name, const std::vector<T>& got, const std::vector<T>& want, double tol) {
  double rms = 0;
  size_t counted = 0;
  for (T w : want)
    if (!std::isnan(double(w))) rms += double(w) * double(w), ++counted;
  rms = counted ? std::sqrt(rms / counted) : 0;
  double maxAbs = 0, maxRel = 0;
  size_t nanMismatches = 0;  // NaN where a number was expected or the reverse (NaN == NaN is fine)
  bool ok = got.size() == want.size();
  for (size_t i = 0; ok && i < want.size(); ++i) {
    double g = got[i], w = want[i], d = std::fabs(g - w);
    if (std::isnan(g) || std::isnan(w)) {
      nanMismatches += std::isnan(g) != std::isnan(w);
      continue;
    }
    maxAbs = std::fmax(maxAbs, d);
    maxRel = std::fmax(maxRel, d / (std::fabs(w) + rms + 1e-30));
    if (!(d <= tol * (std::fabs(w) + rms))) ok = false;
  }
  ok = ok && nanMismatches == 0;
  if (!ok) ++failures;
  std::printf("%-4s %-58s max abs %.3g  max rel %.3g  tol %.0e", ok ? "ok" : "FAIL", name.c_str(), maxAbs, maxRel, tol);
  if (got.size() != want.size()) std::printf("  size %zu, expected %zu", got.size(), want.size());
  if (nanMismatches) std::printf("  %zu NaN mismatch(es)", nanMismatches);
  std::printf("\n");
}

void expectThrow(const std::string& name, const std::function<void()>& fn) {
  bool threw = false;
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    threw = true;
    std::printf("ok   %-58s threw: %s\n", name.c_str(), e.what());
  }
  if (!threw) {
    ++failures;
    std::printf("FAIL %-58s did not throw std::invalid_argument\n", name.c_str());
  }
}

std::string shape(const char* fmt, int a, int b = 0, int c = 0, int d = 0, int e = 0, int f = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, a, b, c, d, e, f);
  return buf;
}

// ---- norms -------------------------------------------------------------------------------------

void testNorms(int N, int C) {
  const std::string tag = shape(" N=%d C=%d", N, C);
  auto x = randn(size_t(N) * C), w = randn(C), b = randn(C), dout = randn(size_t(N) * C), dx0 = randn(size_t(N) * C);
  for (auto& v : x) v += 0.5f;  // a non-zero mean
  Dev<float> dX(x), dW(w), dB(b), dDout(dout);
  {
    std::vector<float> out(x.size()), mean(N), rstd(N);
    engine::layerNormForward(x.data(), w.data(), b.data(), 1e-5f, N, C, out.data(), mean.data(), rstd.data());
    Dev<float> gOut(x.size()), gMean(N), gRstd(N);
    engine::cuda::layerNormForward(dX.p, dW.p, dB.p, 1e-5f, N, C, gOut.p, gMean.p, gRstd.p, 0);
    compare("layerNormForward out" + tag, gOut.download(), out, kReduce);
    compare("layerNormForward mean" + tag, gMean.download(), mean, kReduce);
    compare("layerNormForward rstd" + tag, gRstd.download(), rstd, kReduce);
    std::vector<float> dx = dx0;  // accumulates
    engine::layerNormBackward(x.data(), w.data(), mean.data(), rstd.data(), dout.data(), N, C, dx.data());
    Dev<float> gDx(dx0);
    Dev<float> dMean(mean), dRstd(rstd);
    engine::cuda::layerNormBackward(dX.p, dW.p, dMean.p, dRstd.p, dDout.p, N, C, gDx.p, 0);
    compare("layerNormBackward dx (+=)" + tag, gDx.download(), dx, kReduce);
    engine::layerNormForward(x.data(), w.data(), nullptr, 1e-5f, N, C, out.data(), nullptr, nullptr);
    engine::cuda::layerNormForward(dX.p, dW.p, nullptr, 1e-5f, N, C, gOut.p, nullptr, nullptr, 0);
    compare("layerNormForward no bias, no stats" + tag, gOut.download(), out, kReduce);
  }
  {
    std::vector<float> out(x.size()), rstd(N);
    engine::rmsNormForward(x.data(), w.data(), 1e-6f, N, C, out.data(), rstd.data());
    Dev<float> gOut(x.size()), gRstd(N);
    engine::cuda::rmsNormForward(dX.p, dW.p, 1e-6f, N, C, gOut.p, gRstd.p, 0);
    compare("rmsNormForward out" + tag, gOut.download(), out, kReduce);
    compare("rmsNormForward rstd" + tag, gRstd.download(), rstd, kReduce);
    std::vector<float> dx = dx0;
    engine::rmsNormBackward(x.data(), w.data(), rstd.data(), dout.data(), N, C, dx.data());
    Dev<float> gDx(dx0), dRstd(rstd);
    engine::cuda::rmsNormBackward(dX.p, dW.p, dRstd.p, dDout.p, N, C, gDx.p, 0);
    compare("rmsNormBackward dx (+=)" + tag, gDx.download(), dx, kReduce);
  }
}

// ---- activations -------------------------------------------------------------------------------

void testActivations(int N, int I) {
  const std::string tag = shape(" N=%d I=%d", N, I);
  const int64_t n = int64_t(N) * I;
  auto x = randn(n, 3.f), dout = randn(n);
  Dev<float> dX(x), dDout(dout), gOut(n);
  std::vector<float> out(n);
  engine::geluForward(x.data(), n, out.data());
  engine::cuda::geluForward(dX.p, n, gOut.p, 0);
  compare("geluForward" + tag, gOut.download(), out, kRow);
  engine::geluBackward(x.data(), dout.data(), n, out.data());
  engine::cuda::geluBackward(dX.p, dDout.p, n, gOut.p, 0);
  compare("geluBackward" + tag, gOut.download(), out, kRow);

  const int ld = 2 * I + 3, ldd = 2 * I + 1;  // gate|up side by side, plus slack
  auto gu = randn(size_t(N) * ld, 3.f), dact = randn(n);
  Dev<float> dGu(gu), dDact(dact), gAct(n);
  std::vector<float> act(n);
  engine::swigluForward(gu.data(), gu.data() + I, ld, N, I, act.data());
  engine::cuda::swigluForward(dGu.p, dGu.p + I, ld, N, I, gAct.p, 0);
  compare("swigluForward" + tag, gAct.download(), act, kRow);
  std::vector<float> dgu(size_t(N) * ldd, 7.f);  // untouched slack must stay 7
  engine::swigluBackward(gu.data(), gu.data() + I, ld, dact.data(), N, I, dgu.data(), dgu.data() + I, ldd);
  Dev<float> gDgu(size_t(N) * ldd, 7.f);
  engine::cuda::swigluBackward(dGu.p, dGu.p + I, ld, dDact.p, N, I, gDgu.p, gDgu.p + I, ldd, 0);
  compare("swigluBackward dgate|dup" + tag, gDgu.download(), dgu, kRow);
}

// ---- positions ---------------------------------------------------------------------------------

void testRopeEmbed(int B, int T, int pos0, bool padded) {
  const std::string tag = shape(" B=%d T=%d pos0=%d pad=%d", B, T, pos0, padded);
  const int N = B * T, heads = 3, D = 10, half = D / 2, ld = heads * D + 4, maxPos = pos0 + T + 1, C = 37, V = 11;
  std::vector<int> pad(B);
  for (int b = 0; b < B; ++b) pad[b] = padded ? (b * 2 + 1) % (T + 1) : 0;
  Dev<int> dPad(pad);
  const int* cpuPad = padded ? pad.data() : nullptr;
  const int* gpuPad = padded ? dPad.p : nullptr;
  std::vector<float> cosT(size_t(maxPos) * half), sinT(cosT.size());
  for (int p = 0; p < maxPos; ++p)
    for (int i = 0; i < half; ++i) {
      cosT[p * half + i] = std::cos(p * std::pow(100.f, -float(i) / half));
      sinT[p * half + i] = std::sin(p * std::pow(100.f, -float(i) / half));
    }
  Dev<float> dCos(cosT), dSin(sinT);
  for (bool inverse : {false, true}) {
    auto x = randn(size_t(N) * ld);
    Dev<float> dX(x);
    engine::ropeApply(x.data(), ld, N, T, pos0, heads, D, cosT.data(), sinT.data(), inverse, cpuPad);
    engine::cuda::ropeApply(dX.p, ld, N, T, pos0, heads, D, dCos.p, dSin.p, inverse, gpuPad, 0);
    compare(std::string("ropeApply") + (inverse ? " inverse" : "") + tag, dX.download(), x, kRow);
  }
  auto wte = randn(size_t(V) * C), wpe = randn(size_t(maxPos) * C);
  std::vector<int32_t> tokens(N);
  for (auto& t : tokens) t = int32_t(rng() % V);
  Dev<float> dWte(wte), dWpe(wpe), gX(size_t(N) * C);
  Dev<int32_t> dTok(tokens);
  for (bool gpt2 : {false, true}) {
    std::vector<float> x(size_t(N) * C);  // as model.cpp builds it
    for (int r = 0; r < N; ++r) {
      int pos = pos0 + r % T - (cpuPad ? cpuPad[r / T] : 0);
      for (int i = 0; i < C; ++i) x[size_t(r) * C + i] = wte[size_t(tokens[r]) * C + i] + (gpt2 ? wpe[size_t(pos < 0 ? 0 : pos) * C + i] : 0.f);
    }
    engine::cuda::embed(dWte.p, gpt2 ? dWpe.p : nullptr, dTok.p, N, T, C, pos0, gpuPad, gX.p, 0);
    compare(std::string("embed") + (gpt2 ? " +wpe" : "") + tag, gX.download(), x, kExact);
  }
}

// ---- elementwise -------------------------------------------------------------------------------

void testElementwise(int N, int out) {
  const std::string tag = shape(" N=%d width=%d", N, out);
  const int ldy = out + 5;
  const int64_t n = int64_t(N) * out;
  auto y = randn(size_t(N) * ldy), bias = randn(out), a = randn(n), b = randn(n);
  {
    Dev<float> dY(y), dBias(bias);
    std::vector<float> want = y;
    for (int r = 0; r < N; ++r)
      for (int j = 0; j < out; ++j) want[size_t(r) * ldy + j] += bias[j];
    engine::cuda::addBias(dY.p, ldy, dBias.p, N, out, 0);
    compare("addBias" + tag, dY.download(), want, kRow);
  }
  {
    std::vector<float> want(a);
    Dev<float> dY(a), dB(b);
    for (int64_t i = 0; i < n; ++i) want[i] += 0.37f * b[i];
    engine::cuda::axpy(dY.p, dB.p, n, 0.37f, 0);
    compare("axpy" + tag, dY.download(), want, kRow);
  }
  for (bool acc : {false, true}) {
    auto y0 = randn(n);
    std::vector<float> want(y0);
    for (int64_t i = 0; i < n; ++i) want[i] = acc ? want[i] + a[i] * b[i] : a[i] * b[i];
    Dev<float> dY(y0), dA(a), dB(b);
    engine::cuda::mul(dY.p, dA.p, dB.p, n, acc, 0);
    compare(std::string("mul") + (acc ? " accumulate" : "") + tag, dY.download(), want, kRow);
  }
  {
    // The CPU's draw (layer_ops.cpp linearForward) and the device's must agree bit for bit.
    const float p = 0.3f, keep = 1.f / (1.f - p);
    const uint64_t key = engine::hashKey(7, 11, 13, 0xD0);
    std::vector<float> fac(n), xd(n);
    for (int64_t i = 0; i < n; ++i) {
      fac[i] = engine::uniform01(engine::mix64(key ^ uint64_t(i) * 0x9E3779B97F4A7C15ull)) < p ? 0.f : keep;
      xd[i] = a[i] * fac[i];
    }
    Dev<float> dA(a), gFac(n), gXd(n);
    engine::cuda::dropout(dA.p, n, p, key, gFac.p, gXd.p, 0);
    compare("dropout factors" + tag, gFac.download(), fac, kExact);
    compare("dropout output" + tag, gXd.download(), xd, kExact);
  }
  {
    const int R = N + 2, lds = ldy, ldd = out + 1;
    std::vector<int32_t> map(R);
    for (auto& m : map) m = int32_t(rng() % N);
    std::vector<float> want(size_t(R) * ldd, -1.f);
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < out; ++c) want[size_t(r) * ldd + c] = y[size_t(map[r]) * lds + c];
    Dev<float> dSrc(y), dDst(size_t(R) * ldd, -1.f);
    Dev<int32_t> dMap(map);
    engine::cuda::gatherRows(dSrc.p, lds, dMap.p, R, out, dDst.p, ldd, 0);
    compare("gatherRows" + tag, dDst.download(), want, kExact);
  }
}

void testKvCache(int B, int T, int pos0) {
  const std::string tag = shape(" B=%d T=%d pos0=%d", B, T, pos0);
  const int H = 4, KV = 2, D = 6, HD = H * D, W = HD + 2 * KV * D + 3, cap = pos0 + T + 2, N = B * T;
  auto qkv = randn(size_t(N) * W), kc = randn(size_t(B) * KV * cap * D), vc = randn(kc.size());
  std::vector<float> wantK = kc, wantV = vc;
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      for (int kh = 0; kh < KV; ++kh)
        for (int d = 0; d < D; ++d) {
          size_t row = size_t(b * T + t) * W, slot = ((size_t(b) * KV + kh) * cap + pos0 + t) * D + d;
          wantK[slot] = qkv[row + HD + kh * D + d];
          wantV[slot] = qkv[row + HD + KV * D + kh * D + d];
        }
  Dev<float> dQkv(qkv), dKc(kc), dVc(vc);
  engine::cuda::kvAppend(dQkv.p, W, HD, KV, D, B, T, pos0, cap, dKc.p, dVc.p, 0);
  compare("kvAppend K" + tag, dKc.download(), wantK, kExact);
  compare("kvAppend V" + tag, dVc.download(), wantV, kExact);

  auto dK = randn(size_t(B) * KV * T * D), dV = randn(dK.size());
  std::vector<float> want = qkv;
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      for (int kh = 0; kh < KV; ++kh)
        for (int d = 0; d < D; ++d) {
          size_t row = size_t(b * T + t) * W, src = ((size_t(b) * KV + kh) * T + t) * D + d;
          want[row + HD + kh * D + d] = dK[src];
          want[row + HD + KV * D + kh * D + d] = dV[src];
        }
  Dev<float> gdK(dK), gdV(dV);
  engine::cuda::kvScatterGrad(gdK.p, gdV.p, W, HD, KV, D, B, T, dQkv.p, 0);
  compare("kvScatterGrad" + tag, dQkv.download(), want, kExact);
}

// ---- attention ---------------------------------------------------------------------------------

// The decoding kernel against a cache (B,KV,cap,D) holding pos0 + T keys (any T works; decoding
// uses T = 1).
void testAttention(int B, int H, int KV, int D, int T, int pos0, int cap, bool padded) {
  const std::string tag = shape(" B=%d H=%d KV=%d D=%d T=%d pos0=%d", B, H, KV, D, T, pos0) + (padded ? " pad" : "");
  engine::ModelSpec s;
  s.numHeads = H;
  s.numKvHeads = KV;
  s.headDim = D;
  const int HD = H * D, ldq = HD + 2 * KV * D, N = B * T, Tk = pos0 + T;
  std::vector<int> pad(B, 0);
  if (padded)
    for (int b = 0; b < B; ++b) pad[b] = (b * 3 + 2) % (Tk - 1);  // leaves at least two real keys
  Dev<int> dPad(pad);
  auto qkv = randn(size_t(N) * ldq), K = randn(size_t(B) * KV * cap * D), V = randn(K.size());
  std::vector<float> y(size_t(N) * HD);
  engine::detail::attentionForward(s, qkv.data(), ldq, K.data(), V.data(), cap, B, T, pos0, y.data(), nullptr, padded ? pad.data() : nullptr);
  Dev<float> dQkv(qkv), dK(K), dV(V), gY(y.size(), NAN);
  engine::cuda::attentionForward(dQkv.p, ldq, dK.p, dV.p, cap, B, H, KV, D, T, pos0, gY.p, padded ? dPad.p : nullptr, 0);
  compare("attentionForward y" + tag, gY.download(), y, kReduce);
}

// The keys [lo, hi] of query t of sequence b (layer_ops.cpp's masking, written out).
void softmaxKeys(int b, int t, int pos0, const std::vector<int>& pad, bool padded, int& lo, int& hi) {
  const int off = padded ? pad[size_t(b)] : 0;
  hi = pos0 + t;
  lo = hi < off ? hi : off;
}

// Masked entries must be exactly 0 and a padding query's row exactly one-hot: counts the entries
// where want is 0 or 1 and got is not that value, bit for bit.
void expectExactMask(const std::string& name, const std::vector<float>& got, const std::vector<float>& want, const std::vector<char>& exact) {
  size_t bad = 0, checked = 0;
  for (size_t i = 0; i < want.size(); ++i)
    if (exact[i]) {
      ++checked;
      bad += !(got.size() == want.size() && got[i] == want[i]);
    }
  if (bad) ++failures;
  std::printf("%-4s %-58s %zu of %zu masked/one-hot entries differ\n", bad ? "FAIL" : "ok", name.c_str(), bad, checked);
}

// causalSoftmax and softmaxBackward against plain loops in double over rows (B,H,T) of Tk =
// pos0 + T keys; pad values cover no padding, padding keys before the new queries, and (pad >
// pos0) padding queries among them.
void testSoftmax(int B, int H, int T, int pos0, bool padded) {
  const std::string tag = shape(" B=%d H=%d T=%d pos0=%d", B, H, T, pos0) + (padded ? " pad" : "");
  const int Tk = pos0 + T;
  const size_t n = size_t(B) * H * T * Tk;
  std::vector<int> pad(B, 0);
  if (padded)
    for (int b = 0; b < B; ++b) pad[b] = (b * 5 + 2) % Tk;
  auto S = randn(n, 3.f), dP = randn(n);
  std::vector<float> P(n, 0.f), dS(n, 0.f);
  std::vector<char> exact(n, 1);
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h)
      for (int t = 0; t < T; ++t) {
        const size_t r = ((size_t(b) * H + h) * T + t) * Tk;
        int lo, hi;
        softmaxKeys(b, t, pos0, pad, padded, lo, hi);
        double mx = -INFINITY, sum = 0, dot = 0;
        for (int j = lo; j <= hi; ++j) mx = std::fmax(mx, double(S[r + j]));
        for (int j = lo; j <= hi; ++j) sum += std::exp(double(S[r + j]) - mx);
        for (int j = lo; j <= hi; ++j) {
          P[r + j] = float(std::exp(double(S[r + j]) - mx) / sum);
          exact[r + j] = lo == hi;  // a lone key: exactly 1
        }
        for (int j = lo; j <= hi; ++j) dot += double(P[r + j]) * dP[r + j];
        for (int j = lo; j <= hi; ++j) dS[r + j] = float(P[r + j] * (double(dP[r + j]) - dot));
      }
  Dev<int> dPad(pad);
  Dev<float> gP(S);
  engine::cuda::causalSoftmax(gP.p, B, H, T, pos0, padded ? dPad.p : nullptr, 0);
  const std::vector<float> got = gP.download();
  compare("causalSoftmax" + tag, got, P, kReduce);
  expectExactMask("causalSoftmax exact zeros/one-hot" + tag, got, P, exact);
  // Backward from the reference P, so only softmaxBackward's own arithmetic is compared.
  Dev<float> gRef(P), gD(dP);
  engine::cuda::softmaxBackward(gRef.p, gD.p, B, H, T, pos0, padded ? dPad.p : nullptr, 0);
  const std::vector<float> gotD = gD.download();
  compare("softmaxBackward" + tag, gotD, dS, kReduce);
  expectExactMask("softmaxBackward exact zeros" + tag, gotD, dS, exact);  // one-hot rows: 1·(dP - dP)
}

// ---- loss and optimizer ------------------------------------------------------------------------

void testCrossEntropy(int N, int V, bool weighted) {
  const std::string tag = shape(" N=%d V=%d", N, V) + (weighted ? " weighted" : "");
  auto logits = randn(size_t(N) * V, 4.f);
  std::vector<int32_t> targets(N);
  std::vector<float> weights(N);
  for (int r = 0; r < N; ++r) {
    targets[r] = r % 4 == 3 ? -100 : int32_t(rng() % V);  // every 4th row ignored
    weights[r] = !weighted ? 1.f : r % 5 == 1 ? 0.f : 0.25f + float(r % 3);  // weight 0 ignores too
  }
  Dev<int32_t> dT(targets);
  Dev<float> dW(weights);
  for (bool grad : {false, true}) {
    std::vector<float> l = logits;
    std::vector<double> loss(N);
    engine::crossEntropy(l.data(), N, V, targets.data(), weighted ? weights.data() : nullptr, 0.125f, grad, loss.data());
    Dev<float> dL(logits);
    Dev<double> gLoss(N, NAN);
    engine::cuda::crossEntropy(dL.p, N, V, dT.p, weighted ? dW.p : nullptr, 0.125f, grad, gLoss.p, 0);
    compare(std::string("crossEntropy rowLoss") + (grad ? " +grad" : "") + tag, gLoss.download(), loss, kReduce);
    compare(std::string("crossEntropy logits") + (grad ? " -> grad" : " untouched") + tag, dL.download(), l, kRow);
  }
}

void testOptimizer(int64_t n) {
  const std::string tag = " n=" + std::to_string(n);
  auto p = randn(n), g = randn(n, 0.1f);
  // Sum of squares, added into out[0], the same bits on every run.
  {
    double want = 1.5;
    for (float v : g) want += double(v) * v;
    Dev<float> dG(g);
    Dev<double> out(1, 1.5), scratch(engine::cuda::kSumSquaresScratch, 0.0);
    engine::cuda::addSumSquares(dG.p, n, out.p, scratch.p, 0);
    const double first = out.download()[0];
    compare("addSumSquares (+=)" + tag, std::vector<double>{first}, std::vector<double>{want}, kDouble);
    cudaOk(cudaMemset(out.p, 0, sizeof(double)), "cudaMemset");
    engine::cuda::addSumSquares(dG.p, n, out.p, scratch.p, 0);
    engine::cuda::addSumSquares(dG.p, n, out.p, scratch.p, 0);
    Dev<double> again(1, 0.0);
    engine::cuda::addSumSquares(dG.p, n, again.p, scratch.p, 0);
    engine::cuda::addSumSquares(dG.p, n, again.p, scratch.p, 0);
    compare("addSumSquares deterministic" + tag, out.download(), again.download(), kExact);
  }
  // Two AdamW steps (non-zero moments on the second), with clipping and weight decay, against
  // adamwStep; the step's scalars derived as adamw.cpp derives them.
  engine::AdamWOptions o;
  o.lr = 1e-2f;
  o.weightDecay = 0.1f;
  o.maxGradNorm = 0.5f;
  engine::AdamWState st;
  std::vector<float> cpuP = p;
  Dev<float> dP(p), dG(g), dM(n, 0.f), dV(n, 0.f);
  for (int step = 1; step <= 2; ++step) {
    double norm = engine::adamwStep({{cpuP.data(), g.data(), size_t(n)}}, st, o);
    float clip = norm > o.maxGradNorm ? float(o.maxGradNorm / (norm + 1e-6)) : 1.f;
    const double bc1 = 1.0 - std::pow(double(o.beta1), double(step)), bc2 = 1.0 - std::pow(double(o.beta2), double(step));
    engine::cuda::adamwUpdate(dP.p, dG.p, dM.p, dV.p, n, clip, o.beta1, o.beta2, o.eps, float(o.lr / bc1), float(std::sqrt(bc2)),
                              1.f - o.lr * o.weightDecay, 0);
    compare("adamwUpdate p, step " + std::to_string(step) + tag, dP.download(), cpuP, kRow);
    compare("adamwUpdate m, step " + std::to_string(step) + tag, dM.download(), st.m[0], kRow);
    compare("adamwUpdate v, step " + std::to_string(step) + tag, dV.download(), st.v[0], kRow);
  }
}

// ---- BLAS --------------------------------------------------------------------------------------

void testGemm(engine::cuda::Blas& blas, const char* path, int M, int N, int K, bool tA, bool tB, float alpha, float beta) {
  const std::string tag = std::string(path) + shape(" %dx%dx%d tA=%d tB=%d", M, N, K, tA, tB) + (beta == 0.f ? " beta=0" : " beta=0.5");
  // Leading dimensions wider than the rows, as when operands are column slices of a buffer.
  const int lda = (tA ? M : K) + 3, ldb = (tB ? K : N) + 2, ldc = N + 1;
  auto A = randn(size_t(tA ? K : M) * lda), B = randn(size_t(tB ? N : K) * ldb), C = randn(size_t(M) * ldc);
  if (beta == 0.f)
    for (auto& c : C) c = NAN;  // beta = 0 must not read C
  std::vector<float> want = C;
  engine::sgemmReference(tA, tB, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, want.data(), ldc);
  for (int i = 0; i < M; ++i)  // the gap columns stay as they were (NaN compares equal to NaN)
    for (int j = N; j < ldc; ++j) want[size_t(i) * ldc + j] = C[size_t(i) * ldc + j];
  Dev<float> dA(A), dB(B), dC(C);
  blas.gemm(tA, tB, M, N, K, alpha, dA.p, lda, dB.p, ldb, beta, dC.p, ldc);
  compare("gemm " + tag, dC.download(), want, kReduce);
}

void testGemmBatched(engine::cuda::Blas& blas, const char* path, bool tA, bool tB) {
  const int M = 9, N = 70, K = 33, count = 3, lda = (tA ? M : K), ldb = (tB ? K : N), ldc = N;
  const long long sA = 0, sB = (long long)(tB ? N : K) * ldb + 5, sC = (long long)M * ldc + 2;  // A shared by all
  auto A = randn(size_t(tA ? K : M) * lda), B = randn(size_t(sB) * count), C = randn(size_t(sC) * count);
  std::vector<float> want = C;
  for (int z = 0; z < count; ++z)
    engine::sgemmReference(tA, tB, M, N, K, 0.75f, A.data(), lda, B.data() + sB * z, ldb, 0.5f, want.data() + sC * z, ldc);
  Dev<float> dA(A), dB(B), dC(C);
  blas.gemmBatched(tA, tB, M, N, K, 0.75f, dA.p, lda, sA, dB.p, ldb, sB, 0.5f, dC.p, ldc, sC, count);
  compare(std::string("gemmBatched ") + path + shape(" %dx%dx%d x%d strideA=0 tA=%d tB=%d", M, N, K, count, tA, tB), dC.download(), want,
          kReduce);
}

void testBlas() {
  engine::cuda::Blas cublas(0, true), tiled(0, false);
  std::printf("     Blas(allowCublas=true):  %s\n     Blas(allowCublas=false): %s\n", cublas.describe(), tiled.describe());
  const int shapes[][3] = {{1, 1, 1}, {37, 71, 300}, {64, 64, 16}, {65, 130, 17}, {3, 5, 0}};
  for (auto* b : {&cublas, &tiled}) {
    const char* path = b == &cublas ? "[cublas]" : "[tiled]";
    for (auto& sh : shapes)
      for (int t = 0; t < 4; ++t)
        for (float beta : {0.f, 0.5f}) testGemm(*b, path, sh[0], sh[1], sh[2], t & 1, t & 2, 1.5f, beta);
    for (int t = 0; t < 4; ++t) testGemmBatched(*b, path, t & 1, t & 2);
  }
  expectThrow("Blas::gemm with lda < K", [&] { tiled.gemm(false, false, 4, 4, 8, 1.f, nullptr, 7, nullptr, 4, 0.f, nullptr, 4); });
}

// ---- bf16 (mixed precision) -------------------------------------------------------------------

uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float fromBits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// roundToBf16 bit for bit against precision.h floatToBf16: ties both ways, just above/below a
// tie, subnormals (ties among them, the largest rounding up to the smallest normal), the largest
// finite values (rounding to Inf or not), Inf, quiet and signalling NaNs of both signs, then random
// bit patterns over every exponent, read through a row stride wider than the row.
void testBf16Round() {
  std::vector<uint32_t> bits = {0x00000000u, 0x80000000u, 0x3F800000u, 0x3F808000u /* tie, even: down */, 0x3F818000u /* tie, odd: up */,
                                0x3F808001u, 0x3F807FFFu, 0xBF818000u, 0x00000001u, 0x00008000u /* subnormal tie, even */,
                                0x00018000u /* subnormal tie, odd */, 0x007FFFFFu /* -> smallest normal */, 0x807FFFFFu, 0x00800000u,
                                0x7F7FFFFFu /* -> Inf */, 0x7F7F7FFFu, 0x7F7F8000u /* tie, odd: -> Inf */, 0xFF7FFFFFu, 0x7F800000u, 0xFF800000u,
                                0x7FC00000u, 0x7F800001u /* signalling NaN */, 0xFF800001u, 0x7FFFFFFFu, 0xFFC12345u};
  std::uniform_int_distribution<uint32_t> any;
  while (bits.size() < 20000) bits.push_back(any(rng));
  const int cols = 37, ldx = 41, rows = int((bits.size() + cols - 1) / cols);
  std::vector<float> x(size_t(rows) * ldx, 0.f);
  for (size_t i = 0; i < bits.size(); ++i) x[i / cols * ldx + i % cols] = fromBits(bits[i]);
  std::vector<uint16_t> want(size_t(rows) * cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) want[size_t(r) * cols + c] = engine::floatToBf16(x[size_t(r) * ldx + c]);
  Dev<float> dX(x);
  Dev<uint16_t> dOut(want.size(), uint16_t(0xDEAD));
  engine::cuda::roundToBf16(dX.p, ldx, rows, cols, dOut.p, 0);
  std::vector<uint16_t> got = dOut.download();
  size_t bad = 0, firstBad = 0;
  for (size_t i = 0; i < want.size(); ++i)
    if (got[i] != want[i] && !bad++) firstBad = i;
  // A few cases spelled out, so the reference itself is pinned down.
  const bool spot = want[3] == 0x3F80 && want[4] == 0x3F82 && want[5] == 0x3F81 && want[9] == 0x0000 && want[10] == 0x0002 && want[11] == 0x0080 &&
                    want[14] == 0x7F80 && want[15] == 0x7F7F && want[16] == 0x7F80 && want[18] == 0x7F80 && want[19] == 0xFF80 &&
                    (want[21] & 0x7FC0) == 0x7FC0 && (want[22] & 0xFFC0) == 0xFFC0;
  const bool ok = bad == 0 && spot;
  if (!ok) ++failures;
  std::printf("%-4s %-58s %zu of %zu differ", ok ? "ok" : "FAIL", shape("roundToBf16 vs floatToBf16 (bits) rows=%d cols=%d ldx=%d", rows, cols, ldx).c_str(),
              bad, want.size());
  if (bad) std::printf(" (first: in %08x got %04x want %04x)", bitsOf(x[firstBad / cols * ldx + firstBad % cols]), got[firstBad], want[firstBad]);
  if (!spot) std::printf(" (precision.h spot checks failed)");
  std::printf("\n");
  // Empty input launches nothing and touches nothing.
  engine::cuda::roundToBf16(nullptr, 1, 0, 0, nullptr, 0);
}

// The bf16 embedding lookup widens the stored row exactly.
void testBf16Embed() {
  const int V = 13, C = 29, B = 2, T = 3, N = B * T, P = 8;
  auto w = randn(size_t(V) * C), wpe = randn(size_t(P) * C);
  std::vector<uint16_t> wb(w.size());
  for (size_t i = 0; i < w.size(); ++i) wb[i] = engine::floatToBf16(w[i]);
  std::vector<int32_t> tokens(N);
  for (auto& t : tokens) t = int32_t(rng() % V);
  Dev<uint16_t> dW(wb);
  Dev<float> dWpe(wpe), dX(size_t(N) * C);
  Dev<int32_t> dTok(tokens);
  for (bool gpt2 : {false, true}) {
    std::vector<float> want(size_t(N) * C);
    for (int r = 0; r < N; ++r)
      for (int c = 0; c < C; ++c)
        want[size_t(r) * C + c] = engine::bf16Widen(wb[size_t(tokens[r]) * C + c]) + (gpt2 ? wpe[size_t(1 + r % T) * C + c] : 0.f);
    engine::cuda::embed(dW.p, gpt2 ? dWpe.p : nullptr, dTok.p, N, T, C, 1, nullptr, dX.p, 0);
    compare(std::string("embed (bf16 wte)") + (gpt2 ? " +wpe" : ""), dX.download(), want, kExact);
  }
}

// Blas::gemmBf16 as the model calls it: A an f32 activation rounded on the device by roundToBf16
// (row stride wider than K), B bf16 weights; reference: both rounded by floatToBf16, summed in
// double.
void testGemmBf16(engine::cuda::Blas& blas, const char* path, int M, int N, int K, bool tA, bool tB, float alpha, float beta) {
  const std::string tag = std::string(path) + shape(" %dx%dx%d tA=%d tB=%d", M, N, K, tA, tB) + (beta == 0.f ? " beta=0" : " beta=0.5");
  const int arows = tA ? K : M, acols = tA ? M : K, ldx = acols + 5;
  const int lda = acols > 0 ? acols : 1, ldb = (tB ? K : N) + 2, ldc = N + 1;  // A dense, as roundToBf16 writes it
  auto X = randn(size_t(arows) * ldx), Bf = randn(size_t(tB ? N : K) * ldb), C = randn(size_t(M) * ldc);
  if (beta == 0.f)
    for (auto& c : C) c = NAN;
  std::vector<uint16_t> Bb(Bf.size());
  for (size_t i = 0; i < Bf.size(); ++i) Bb[i] = engine::floatToBf16(Bf[i]);
  auto a = [&](int i, int k) { return double(engine::bf16Widen(engine::floatToBf16(tA ? X[size_t(k) * ldx + i] : X[size_t(i) * ldx + k]))); };
  auto b = [&](int k, int j) { return double(engine::bf16Widen(tB ? Bb[size_t(j) * ldb + k] : Bb[size_t(k) * ldb + j])); };
  std::vector<float> want = C;
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      double acc = 0;
      for (int k = 0; k < K; ++k) acc += a(i, k) * b(k, j);
      float& w = want[size_t(i) * ldc + j];
      w = beta == 0.f ? float(alpha * acc) : float(beta * double(w) + alpha * acc);
    }
  Dev<float> dX(X), dC(C);
  Dev<uint16_t> dA(size_t(arows) * lda), dB(Bb);
  engine::cuda::roundToBf16(dX.p, ldx, arows, acols, dA.p, 0);  // (arows, acols) dense: stride lda
  blas.gemmBf16(tA, tB, M, N, K, alpha, dA.p, lda, dB.p, ldb, beta, dC.p, ldc);
  compare("gemmBf16 " + tag, dC.download(), want, kReduce);
}

void testBlasBf16() {
  engine::cuda::Blas cublas(0, true), tiled(0, false);
  const int shapes[][3] = {{1, 1, 1}, {37, 71, 300}, {64, 64, 16}, {65, 130, 17}, {3, 5, 0}};
  for (auto* b : {&cublas, &tiled}) {
    const char* path = b == &cublas ? "[cublas]" : "[tiled]";
    for (auto& sh : shapes)
      for (int t = 0; t < 4; ++t)  // the model uses tA=0 with tB=1 (x·Wᵀ) and tB=0 (dy·W); all four are checked
        for (float beta : {0.f, 0.5f}) testGemmBf16(*b, path, sh[0], sh[1], sh[2], t & 1, t & 2, 1.5f, beta);
  }
  expectThrow("Blas::gemmBf16 with ldb < N", [&] { tiled.gemmBf16(false, false, 4, 8, 4, 1.f, nullptr, 4, nullptr, 7, 0.f, nullptr, 8); });
}

void testArgumentChecks() {
  expectThrow("attentionForward with D > 256", [] {
    engine::cuda::attentionForward(nullptr, 600, nullptr, nullptr, 4, 1, 2, 1, 300, 4, 0, nullptr, nullptr, 0);
  });
  expectThrow("attentionForward with H % KV != 0", [] {
    engine::cuda::attentionForward(nullptr, 64, nullptr, nullptr, 4, 1, 3, 2, 8, 4, 0, nullptr, nullptr, 0);
  });
  expectThrow("causalSoftmax with pos0 < 0", [] { engine::cuda::causalSoftmax(nullptr, 1, 2, 4, -1, nullptr, 0); });
  expectThrow("softmaxBackward with a null P", [] { engine::cuda::softmaxBackward(nullptr, nullptr, 1, 2, 4, 0, nullptr, 0); });
  expectThrow("kvAppend past the cache capacity", [] {
    engine::cuda::kvAppend(nullptr, 64, 32, 2, 8, 1, 4, 6, 8, nullptr, nullptr, 0);
  });
  expectThrow("dropout with p = 1", [] { engine::cuda::dropout(nullptr, 4, 1.f, 0, nullptr, nullptr, 0); });
  expectThrow("layerNormForward with C = 0", [] {
    engine::cuda::layerNormForward(nullptr, nullptr, nullptr, 1e-5f, 4, 0, nullptr, nullptr, nullptr, 0);
  });
}

}  // namespace

int main() {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    // Built for the device (--device) on a machine without one: nothing was tested, so fail.
    std::printf("FAIL: no CUDA device to run on\n");
    return 1;
  }
  try {
    for (auto nc : {std::pair<int, int>{1, 1}, {3, 37}, {5, 768}, {2, 1000}}) testNorms(nc.first, nc.second);
    for (auto ni : {std::pair<int, int>{1, 1}, {3, 45}, {7, 300}}) testActivations(ni.first, ni.second);
    testRopeEmbed(1, 1, 0, false);
    testRopeEmbed(3, 5, 0, true);
    testRopeEmbed(2, 1, 6, true);
    testRopeEmbed(2, 3, 4, false);
    for (auto no : {std::pair<int, int>{1, 1}, {4, 33}, {3, 700}}) testElementwise(no.first, no.second);
    testKvCache(2, 3, 0);
    testKvCache(3, 1, 5);
    // the decoding kernel: T = 1 against a cache holding pos0 earlier keys, with and without
    // padding; also several queries (any T works), GQA, one kv head per head, more keys than
    // threads in a block (several keys per warp)
    testAttention(2, 4, 2, 40, 1, 9, 16, true);
    testAttention(2, 4, 2, 40, 1, 9, 16, false);
    testAttention(1, 2, 1, 128, 1, 0, 1, false);
    testAttention(1, 1, 1, 32, 1, 299, 300, false);
    testAttention(2, 4, 2, 16, 7, 0, 7, true);
    testAttention(1, 2, 1, 128, 3, 5, 12, false);
    testAttention(3, 4, 4, 33, 2, 4, 8, true);
    // the softmax of GEMM-based attention: training shape (pos0 = 0), padded prefill, new
    // queries after cached keys (Tk > T) with padding queries among them, one row, and rows
    // longer than a block of threads
    testSoftmax(2, 3, 7, 0, false);
    testSoftmax(3, 2, 6, 0, true);
    testSoftmax(3, 2, 4, 5, true);
    testSoftmax(2, 3, 3, 9, false);
    testSoftmax(1, 1, 1, 0, false);
    testSoftmax(1, 2, 300, 0, true);
    testSoftmax(1, 1, 2, 400, false);
    testCrossEntropy(1, 1, false);
    testCrossEntropy(8, 257, true);
    testCrossEntropy(5, 5000, false);
    testOptimizer(1);
    testOptimizer(100003);
    testBlas();
    testBf16Round();
    testBf16Embed();
    testBlasBf16();
    testArgumentChecks();
  } catch (const std::exception& e) {
    std::printf("FAIL exception: %s\n", e.what());
    return 1;
  }
  std::printf("%s: %d check(s) failed\n", failures ? "FAILED" : "passed", failures);
  return failures ? 1 : 0;
}
