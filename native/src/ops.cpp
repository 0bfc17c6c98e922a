#include "ops.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "threadpool.h"

namespace engine {

namespace {
// exp for f32 without a libm call, so the loops around it vectorise: 2^(x·log2 e) split into an
// integer power (exponent bits) and a degree-6 polynomial on [-0.5, 0.5]. Relative error < 2e-7.
inline float fastExp(float x) {
  x = x < -87.f ? -87.f : (x > 88.f ? 88.f : x);
  float t = x * 1.4426950408889634f;
  float r = (t + 12582912.f) - 12582912.f;  // round to nearest integer (1.5·2^23 trick)
  float f = (t - r) * 0.6931471805599453f;  // remainder, in natural-log units
  float p = 1.f + f * (1.f + f * (0.5f + f * (0.16666667f + f * (0.041666668f + f * (0.008333334f + f * 0.0013888889f)))));
  int32_t e = (int32_t(r) + 127) << 23;
  float s;
  std::memcpy(&s, &e, 4);
  return p * s;
}
}  // namespace

void layerNormForward(const float* x, const float* w, const float* b, float eps, int N, int C, float* out, float* mean, float* rstd) {
  parallelFor(N, 16, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = x + r * C;
      double m = 0;
      for (int i = 0; i < C; ++i) m += xr[i];
      m /= C;
      double v = 0;
      for (int i = 0; i < C; ++i) v += (xr[i] - m) * (xr[i] - m);
      v /= C;
      float s = float(1.0 / std::sqrt(v + eps));
      float* o = out + r * C;
      for (int i = 0; i < C; ++i) o[i] = (xr[i] - float(m)) * s * w[i] + (b ? b[i] : 0.f);
      if (mean) mean[r] = float(m);
      if (rstd) rstd[r] = s;
    }
  });
}

void layerNormBackward(const float* x, const float* w, const float* mean, const float* rstd, const float* dout, int N, int C, float* dx) {
  parallelFor(N, 16, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = x + r * C;
      const float* dy = dout + r * C;
      float m = mean[r], s = rstd[r];
      double sg = 0, sgx = 0;  // mean(g) and mean(g * xhat), g = dy * w
      for (int i = 0; i < C; ++i) {
        float g = dy[i] * w[i];
        sg += g;
        sgx += double(g) * (xr[i] - m) * s;
      }
      float mg = float(sg / C), mgx = float(sgx / C);
      float* d = dx + r * C;
      for (int i = 0; i < C; ++i) {
        float xh = (xr[i] - m) * s;
        d[i] += s * (dy[i] * w[i] - mg - xh * mgx);
      }
    }
  });
}

void normParamBackward(const float* x, const float* mean, const float* rstd, const float* dout, int N, int C, float* dw, float* db) {
  // Tasks own column blocks; inside, rows run in order so each sum has one fixed order.
  parallelFor(C, 64, [&](int64_t c0, int64_t c1) {
    for (int r = 0; r < N; ++r) {
      const float* xr = x + size_t(r) * C;
      const float* dy = dout + size_t(r) * C;
      const float m = mean ? mean[r] : 0.f, s = rstd[r];
      for (int64_t c = c0; c < c1; ++c) {
        const float xh = mean ? (xr[c] - m) * s : xr[c] * s;
        dw[c] += dy[c] * xh;
        if (db) db[c] += dy[c];
      }
    }
  });
}

void columnSumAdd(const float* dy, int N, int n, int ldy, float* db) {
  parallelFor(n, 64, [&](int64_t c0, int64_t c1) {
    for (int r = 0; r < N; ++r) {
      const float* d = dy + size_t(r) * ldy;
      for (int64_t c = c0; c < c1; ++c) db[c] += d[c];
    }
  });
}

void rmsNormForward(const float* x, const float* w, float eps, int N, int C, float* out, float* rstd) {
  parallelFor(N, 16, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = x + r * C;
      double ss = 0;
      for (int i = 0; i < C; ++i) ss += double(xr[i]) * xr[i];
      float s = float(1.0 / std::sqrt(ss / C + eps));
      float* o = out + r * C;
      for (int i = 0; i < C; ++i) o[i] = xr[i] * s * w[i];
      if (rstd) rstd[r] = s;
    }
  });
}

void rmsNormBackward(const float* x, const float* w, const float* rstd, const float* dout, int N, int C, float* dx) {
  parallelFor(N, 16, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = x + r * C;
      const float* dy = dout + r * C;
      float s = rstd[r];
      double sgx = 0;
      for (int i = 0; i < C; ++i) sgx += double(dy[i]) * w[i] * xr[i];
      // d/dx of x*s*w: s*g - x * s³ * mean(g*x)
      float k = float(sgx / C) * s * s * s;
      float* d = dx + r * C;
      for (int i = 0; i < C; ++i) d[i] += s * dy[i] * w[i] - xr[i] * k;
    }
  });
}

namespace {
constexpr float kGeluC = 0.7978845608028654f;  // sqrt(2/pi)
}

void geluForward(const float* x, int64_t n, float* out) {
  parallelFor(n, 1 << 14, [&](int64_t a, int64_t b) {
    for (int64_t i = a; i < b; ++i) {
      float v = x[i];
      float t = 1.f - 2.f / (1.f + fastExp(2.f * kGeluC * (v + 0.044715f * v * v * v)));  // tanh
      out[i] = 0.5f * v * (1.f + t);
    }
  });
}

void geluBackward(const float* x, const float* dout, int64_t n, float* dx) {
  parallelFor(n, 1 << 14, [&](int64_t a, int64_t b) {
    for (int64_t i = a; i < b; ++i) {
      float v = x[i];
      float u = kGeluC * (v + 0.044715f * v * v * v);
      float t = 1.f - 2.f / (1.f + fastExp(2.f * u));  // tanh(u)
      float du = kGeluC * (1.f + 3.f * 0.044715f * v * v);
      float g = 0.5f * (1.f + t) + 0.5f * v * (1.f - t * t) * du;
      dx[i] = dout[i] * g;
    }
  });
}

void swigluForward(const float* gate, const float* up, int ld, int N, int I, float* act) {
  parallelFor(N, 8, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      for (int i = 0; i < I; ++i) {
        float g = gate[r * ld + i];
        float sg = g / (1.f + fastExp(-g));
        act[r * I + i] = sg * up[r * ld + i];
      }
  });
}

void swigluBackward(const float* gate, const float* up, int ld, const float* dact, int N, int I, float* dgate, float* dup, int ldd) {
  parallelFor(N, 8, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      for (int i = 0; i < I; ++i) {
        float g = gate[r * ld + i];
        float sig = 1.f / (1.f + fastExp(-g));
        float d = dact[r * I + i];
        dup[r * ldd + i] = d * g * sig;
        dgate[r * ldd + i] = d * up[r * ld + i] * sig * (1.f + g * (1.f - sig));
      }
  });
}

void ropeApply(float* x, int ld, int N, int T, int pos0, int heads, int D, const float* cosT, const float* sinT, bool inverse, const int* pad) {
  const int half = D / 2;
  parallelFor(N, 16, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      int pos = pos0 + int(r % T) - (pad ? pad[r / T] : 0);
      if (pos < 0) pos = 0;
      const float* c = cosT + size_t(pos) * half;
      const float* s = sinT + size_t(pos) * half;
      for (int h = 0; h < heads; ++h) {
        float* v = x + r * ld + h * D;
        for (int i = 0; i < half; ++i) {
          float a = v[i], b = v[i + half];
          float sn = inverse ? -s[i] : s[i];
          v[i] = a * c[i] - b * sn;
          v[i + half] = b * c[i] + a * sn;
        }
      }
    }
  });
}

double crossEntropy(float* logits, int N, int V, const int32_t* targets, const float* weights, float gradScale, bool writeGrad, double* rowLoss) {
  parallelFor(N, 4, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      float* l = logits + r * int64_t(V);
      int32_t t = targets[r];
      float w = weights ? weights[r] : 1.f;
      if (t < 0 || w == 0.f) {
        rowLoss[r] = 0;
        if (writeGrad)
          for (int i = 0; i < V; ++i) l[i] = 0.f;
        continue;
      }
      float mx = l[0];
      for (int i = 1; i < V; ++i) mx = l[i] > mx ? l[i] : mx;
      // 16 partial sums so the exp loop vectorises; combined in a fixed order
      float part[16] = {0};
      int i = 0;
      for (; i + 16 <= V; i += 16)
        for (int j = 0; j < 16; ++j) part[j] += fastExp(l[i + j] - mx);
      double se = 0;
      for (; i < V; ++i) se += fastExp(l[i] - mx);
      for (int j = 0; j < 16; ++j) se += part[j];
      double lse = mx + std::log(se);
      rowLoss[r] = w * (lse - l[t]);
      if (writeGrad) {
        float k = w * gradScale;
        float flse = float(lse);
        for (int q = 0; q < V; ++q) l[q] = fastExp(l[q] - flse) * k;
        l[t] -= k;
      }
    }
  });
  double total = 0;
  for (int r = 0; r < N; ++r) total += rowLoss[r];
  return total;
}

}  // namespace engine
