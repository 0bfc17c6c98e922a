// Helpers the architecture loaders share: take a named tensor out of the loaded map, checking
// that it exists and has the expected shape, with an error naming the tensor.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "model.h"
#include "safetensors.h"
#include "weightmatrix.h"

namespace engine {

std::vector<float> takeTensor(std::map<std::string, Tensor>& t, const std::string& name, std::vector<int64_t> shape);
// A frozen weight (rows,cols) kept as `storage` says (File: the tensor's own file dtype). With
// `transpose`, the file holds it (cols,rows) (GPT-2's Conv1D [in,out]) and it is transposed.
WeightMatrix takeWeight(std::map<std::string, Tensor>& t, const std::string& name, int rows, int cols, WeightStorage storage, bool transpose = false);
bool hasTensor(const std::map<std::string, Tensor>& t, const std::string& name);
// (rows,cols) -> (cols,rows)
std::vector<float> transposed(const std::vector<float>& a, int rows, int cols);

}  // namespace engine
