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
#include "ops_check.h"

namespace {

using namespace opscheck;

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
  using namespace opscheck;
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
