#include "adamw.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace engine {

double gradNorm(const std::vector<ParamRef>& params) {
  double s = 0;
  for (const auto& p : params)
    for (size_t i = 0; i < p.n; ++i) s += double(p.g[i]) * p.g[i];
  return std::sqrt(s);
}

double adamwStep(const std::vector<ParamRef>& params, AdamWState& st, const AdamWOptions& o) {
  double norm = gradNorm(params);
  if (!std::isfinite(norm)) throw std::runtime_error("optimizer step: gradient norm is not finite (" + std::to_string(norm) + ")");
  if (!std::isfinite(o.lr)) throw std::runtime_error("optimizer step: learning rate is not finite");
  float clip = 1.f;
  if (o.maxGradNorm > 0 && norm > o.maxGradNorm) clip = float(o.maxGradNorm / (norm + 1e-6));
  if (st.m.size() != params.size()) {
    st.m.clear();
    st.v.clear();
    for (const auto& p : params) {
      st.m.emplace_back(p.n, 0.f);
      st.v.emplace_back(p.n, 0.f);
    }
  }
  st.step += 1;
  const double bc1 = 1.0 - std::pow(double(o.beta1), double(st.step));
  const double bc2 = 1.0 - std::pow(double(o.beta2), double(st.step));
  const float stepSize = float(o.lr / bc1);
  const float bc2Sqrt = float(std::sqrt(bc2));
  const float decay = 1.f - o.lr * o.weightDecay;
  for (size_t k = 0; k < params.size(); ++k) {
    const ParamRef& p = params[k];
    float* m = st.m[k].data();
    float* v = st.v[k].data();
    for (size_t i = 0; i < p.n; ++i) {
      float g = p.g[i] * clip;
      m[i] = o.beta1 * m[i] + (1.f - o.beta1) * g;
      v[i] = o.beta2 * v[i] + (1.f - o.beta2) * g * g;
      p.p[i] *= decay;
      p.p[i] -= stepSize * m[i] / (std::sqrt(v[i]) / bc2Sqrt + o.eps);
    }
  }
  return norm;
}

}  // namespace engine
