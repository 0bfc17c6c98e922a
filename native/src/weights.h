// Helpers the architecture loaders share: take a named tensor out of the loaded map, checking
// that it exists and has the expected shape, with an error naming the tensor.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "safetensors.h"

namespace engine {

std::vector<float> takeTensor(std::map<std::string, Tensor>& t, const std::string& name, std::vector<int64_t> shape);
bool hasTensor(const std::map<std::string, Tensor>& t, const std::string& name);
// (rows,cols) -> (cols,rows)
std::vector<float> transposed(const std::vector<float>& a, int rows, int cols);

}  // namespace engine
