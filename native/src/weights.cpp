#include "weights.h"

#include <stdexcept>

namespace engine {

namespace {
std::string shapeStr(const std::vector<int64_t>& s) {
  std::string o = "[";
  for (size_t i = 0; i < s.size(); ++i) o += (i ? "," : "") + std::to_string(s[i]);
  return o + "]";
}
}  // namespace

bool hasTensor(const std::map<std::string, Tensor>& t, const std::string& name) { return t.count(name) > 0; }

std::vector<float> takeTensor(std::map<std::string, Tensor>& t, const std::string& name, std::vector<int64_t> shape) {
  auto it = t.find(name);
  if (it == t.end()) throw std::runtime_error("model weights: tensor '" + name + "' is missing");
  if (it->second.shape != shape)
    throw std::runtime_error("model weights: tensor '" + name + "' has shape " + shapeStr(it->second.shape) + ", expected " + shapeStr(shape));
  std::vector<float> v = it->second.read ? it->second.read() : std::move(it->second.data);
  t.erase(it);
  return v;
}

WeightMatrix takeWeight(std::map<std::string, Tensor>& t, const std::string& name, int rows, int cols, WeightStorage storage, bool transpose) {
  auto it = t.find(name);
  const Dtype fileDtype = it == t.end() ? Dtype::F32 : it->second.fileDtype;
  const Dtype d = storage == WeightStorage::File ? fileDtype : storage == WeightStorage::F16 ? Dtype::F16 : storage == WeightStorage::BF16 ? Dtype::BF16 : Dtype::F32;
  if (transpose) {
    std::vector<float> v = takeTensor(t, name, {cols, rows});
    return WeightMatrix::fromTransposed(v.data(), rows, cols, d);
  }
  std::vector<float> v = takeTensor(t, name, {rows, cols});
  return WeightMatrix::fromRowMajor(v.data(), rows, cols, d);
}

std::vector<float> transposed(const std::vector<float>& a, int rows, int cols) {
  std::vector<float> o(a.size());
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) o[size_t(c) * rows + r] = a[size_t(r) * cols + c];
  return o;
}

}  // namespace engine
