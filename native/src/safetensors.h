// Safetensors reader: validates the whole header before any tensor byte is read, and converts
// F32/F16/BF16 weights to f32. Every failure is a std::runtime_error naming the file and the
// tensor/field; the N-API layer turns it into a JS Error. Nothing here aborts or exits.
//
// File layout: u64 little-endian header length N, N bytes of JSON, then the data section.
// JSON: {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}
// with offsets relative to the start of the data section.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "precision.h"

namespace engine {


size_t dtypeSize(Dtype d);
const char* dtypeName(Dtype d);

struct TensorInfo {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte range inside the data section
  uint64_t end = 0;
  uint64_t numel() const;
};

struct SafetensorsHeader {
  std::string path;  // for messages only
  uint64_t dataStart = 0;  // absolute file offset of the data section
  uint64_t dataSize = 0;
  std::vector<TensorInfo> tensors;  // in header order
  std::map<std::string, std::string> metadata;
  const TensorInfo* find(const std::string& name) const;
};

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;  // f32, row-major (empty until read when `read` is set)
  Dtype fileDtype = Dtype::F32;  // what the file stored (weights may be kept in it, see model.h)
  // Set by loadSafetensorsFilesLazy: reads the data from its file on demand, so a model can be
  // built one tensor at a time (peak memory: one f32 tensor beyond what the model keeps).
  std::function<std::vector<float>()> read;
  uint64_t numel() const { return data.size(); }
};

// Parses and validates a header given its bytes and the file's total size.
SafetensorsHeader parseSafetensorsHeader(const std::string& path, const uint8_t* headerJson,
                                         uint64_t headerLen, uint64_t fileSize);

// Reads and validates the header of a file on disk.
SafetensorsHeader readSafetensorsHeader(const std::string& path);

// Converts n elements of raw little-endian bytes of dtype d to f32.
void convertToF32(Dtype d, const uint8_t* src, uint64_t n, float* dst);

// Reads one tensor of a validated header from its file, converted to f32.
Tensor readTensor(const SafetensorsHeader& h, const TensorInfo& t);

// Loads every tensor of an in-memory file (used by the fuzz harness and tests).
std::map<std::string, Tensor> loadSafetensorsFromMemory(const std::string& name, const uint8_t* bytes, uint64_t size);

// Loads every tensor of one or more files (shards); a name found twice is an error.
std::map<std::string, Tensor> loadSafetensorsFiles(const std::vector<std::string>& paths);
// The same, validating every header (and duplicate names) now but reading no data: each Tensor's
// `read` loads it later (the model loaders call it as they take tensors).
std::map<std::string, Tensor> loadSafetensorsFilesLazy(const std::vector<std::string>& paths);

float halfToFloat(uint16_t h);
float bf16ToFloat(uint16_t h);

}  // namespace engine
