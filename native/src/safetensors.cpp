#include "safetensors.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "json.h"

#ifdef _WIN32
#define fseeko _fseeki64
#define ftello _ftelli64
using off_t = long long;
#endif

namespace engine {

namespace {
// The Hugging Face reader refuses headers above 100 MB; so do we, before allocating.
constexpr uint64_t kMaxHeader = 100ull << 20;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error("safetensors file '" + path + "': " + what);
}
[[noreturn]] void failTensor(const std::string& path, const std::string& tensor, const std::string& what) {
  fail(path, "tensor '" + tensor + "': " + what);
}

struct FileCloser {
  void operator()(FILE* f) const { if (f) std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

FilePtr openFile(const std::string& path, uint64_t& size) {
  FilePtr f(std::fopen(path.c_str(), "rb"));
  if (!f) fail(path, "cannot open file");
  if (fseeko(f.get(), 0, SEEK_END) != 0) fail(path, "cannot seek");
  off_t s = ftello(f.get());
  if (s < 0) fail(path, "cannot tell size");
  size = uint64_t(s);
  return f;
}

void readAt(FILE* f, const std::string& path, uint64_t offset, void* dst, uint64_t n) {
  if (n == 0) return;
  if (fseeko(f, off_t(offset), SEEK_SET) != 0) fail(path, "cannot seek");
  if (std::fread(dst, 1, n, f) != n) fail(path, "short read (file truncated while reading?)");
}
}  // namespace

size_t dtypeSize(Dtype d) { return d == Dtype::F32 ? 4 : 2; }
const char* dtypeName(Dtype d) { return d == Dtype::F32 ? "F32" : d == Dtype::F16 ? "F16" : "BF16"; }

uint64_t TensorInfo::numel() const {
  uint64_t n = 1;
  for (auto s : shape) n *= uint64_t(s);
  return n;
}

const TensorInfo* SafetensorsHeader::find(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

SafetensorsHeader parseSafetensorsHeader(const std::string& path, const uint8_t* headerJson,
                                         uint64_t headerLen, uint64_t fileSize) {
  SafetensorsHeader h;
  h.path = path;
  if (fileSize < 8) fail(path, "file too short for the 8-byte header length");
  if (headerLen > fileSize - 8) fail(path, "header length " + std::to_string(headerLen) + " exceeds file size " + std::to_string(fileSize));
  if (headerLen > kMaxHeader) fail(path, "header length " + std::to_string(headerLen) + " above the 100 MB limit");
  if (headerLen < 2) fail(path, "header too short");
  h.dataStart = 8 + headerLen;
  h.dataSize = fileSize - h.dataStart;

  json::Value root;
  try {
    root = json::parse(reinterpret_cast<const char*>(headerJson), size_t(headerLen));
  } catch (const std::exception& e) {
    fail(path, e.what());
  }
  if (root.kind != json::Value::Kind::Object) fail(path, "header is not a JSON object");

  for (const auto& m : root.members) {
    const std::string& name = m.first;
    const json::Value& v = m.second;
    if (name == "__metadata__") {
      if (v.kind != json::Value::Kind::Object) fail(path, "field '__metadata__' is not an object");
      for (const auto& kv : v.members) {
        if (kv.second.kind != json::Value::Kind::String) fail(path, "field '__metadata__." + kv.first + "' is not a string");
        h.metadata[kv.first] = kv.second.text;
      }
      continue;
    }
    if (v.kind != json::Value::Kind::Object) failTensor(path, name, "entry is not an object");
    TensorInfo t;
    t.name = name;
    const json::Value* dt = v.get("dtype");
    if (!dt || dt->kind != json::Value::Kind::String) failTensor(path, name, "field 'dtype' missing or not a string");
    if (dt->text == "F32") t.dtype = Dtype::F32;
    else if (dt->text == "F16") t.dtype = Dtype::F16;
    else if (dt->text == "BF16") t.dtype = Dtype::BF16;
    else failTensor(path, name, "field 'dtype': unsupported dtype '" + dt->text + "' (F32, F16, BF16 are)");

    const json::Value* sh = v.get("shape");
    if (!sh || sh->kind != json::Value::Kind::Array) failTensor(path, name, "field 'shape' missing or not an array");
    if (sh->items.size() > 8) failTensor(path, name, "field 'shape': more than 8 dimensions");
    uint64_t numel = 1;
    bool overflow = false;
    for (const auto& d : sh->items) {
      uint64_t x;
      if (!d.asU64(x) || x > (1ull << 40)) failTensor(path, name, "field 'shape': dimension is not a non-negative integer in range");
      t.shape.push_back(int64_t(x));
      if (x != 0 && numel > UINT64_MAX / x) overflow = true;
      else numel *= x;
    }
    if (overflow || numel > UINT64_MAX / dtypeSize(t.dtype)) failTensor(path, name, "field 'shape': element count overflows");

    const json::Value* off = v.get("data_offsets");
    if (!off || off->kind != json::Value::Kind::Array || off->items.size() != 2)
      failTensor(path, name, "field 'data_offsets' missing or not [begin, end]");
    if (!off->items[0].asU64(t.begin) || !off->items[1].asU64(t.end))
      failTensor(path, name, "field 'data_offsets': not non-negative integers");
    if (t.begin > t.end) failTensor(path, name, "field 'data_offsets': begin > end");
    if (t.end > h.dataSize)
      failTensor(path, name, "field 'data_offsets': end " + std::to_string(t.end) + " beyond data section of " + std::to_string(h.dataSize) + " bytes");
    uint64_t bytes = numel * dtypeSize(t.dtype);
    if (bytes != t.end - t.begin)
      failTensor(path, name, "shape x dtype size = " + std::to_string(bytes) + " bytes but data_offsets span " + std::to_string(t.end - t.begin));
    for (const auto& k : v.members)
      if (k.first != "dtype" && k.first != "shape" && k.first != "data_offsets") failTensor(path, name, "unknown field '" + k.first + "'");
    h.tensors.push_back(std::move(t));
  }

  // No two tensors may share bytes: sort by begin and compare neighbours (empty tensors own none).
  std::vector<const TensorInfo*> order;
  for (const auto& t : h.tensors)
    if (t.end > t.begin) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](const TensorInfo* a, const TensorInfo* b) { return a->begin < b->begin; });
  for (size_t i = 1; i < order.size(); ++i)
    if (order[i]->begin < order[i - 1]->end)
      failTensor(path, order[i]->name, "field 'data_offsets' overlaps tensor '" + order[i - 1]->name + "'");
  return h;
}

SafetensorsHeader readSafetensorsHeader(const std::string& path) {
  uint64_t size = 0;
  FilePtr f = openFile(path, size);
  if (size < 8) fail(path, "file too short for the 8-byte header length");
  uint8_t lenBytes[8];
  readAt(f.get(), path, 0, lenBytes, 8);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | lenBytes[i];
  if (n > size - 8) fail(path, "header length " + std::to_string(n) + " exceeds file size " + std::to_string(size));
  if (n > kMaxHeader) fail(path, "header length " + std::to_string(n) + " above the 100 MB limit");
  std::vector<uint8_t> hdr(size_t(n) + 1);
  readAt(f.get(), path, 8, hdr.data(), n);
  return parseSafetensorsHeader(path, hdr.data(), n, size);
}

float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1F;
  uint32_t mant = h & 0x3FF;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) bits = sign;
    else {  // subnormal: renormalise
      int e = -1;
      do { mant <<= 1; ++e; } while ((mant & 0x400) == 0);
      mant &= 0x3FF;
      bits = sign | (uint32_t(127 - 15 - e) << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7F800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bf16ToFloat(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

void convertToF32(Dtype d, const uint8_t* src, uint64_t n, float* dst) {
  if (n == 0) return;  // empty tensors: dst may be null
  if (d == Dtype::F32) {
    std::memcpy(dst, src, n * 4);
    return;
  }
  for (uint64_t i = 0; i < n; ++i) {
    uint16_t v = uint16_t(src[2 * i] | (uint16_t(src[2 * i + 1]) << 8));
    dst[i] = d == Dtype::F16 ? halfToFloat(v) : bf16ToFloat(v);
  }
}

Tensor readTensor(const SafetensorsHeader& h, const TensorInfo& t) {
  uint64_t size = 0;
  FilePtr f = openFile(h.path, size);
  if (size != h.dataStart + h.dataSize) fail(h.path, "file changed size since its header was read");
  Tensor out;
  out.shape = t.shape;
  out.fileDtype = t.dtype;
  out.data.resize(size_t(t.numel()));
  if (t.dtype == Dtype::F32) {
    readAt(f.get(), h.path, h.dataStart + t.begin, out.data.data(), t.end - t.begin);
  } else {
    std::vector<uint8_t> raw(size_t(t.end - t.begin));
    readAt(f.get(), h.path, h.dataStart + t.begin, raw.data(), raw.size());
    convertToF32(t.dtype, raw.data(), t.numel(), out.data.data());
  }
  return out;
}

std::map<std::string, Tensor> loadSafetensorsFromMemory(const std::string& name, const uint8_t* bytes, uint64_t size) {
  if (size < 8) fail(name, "file too short for the 8-byte header length");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];
  if (n > size - 8) fail(name, "header length " + std::to_string(n) + " exceeds file size " + std::to_string(size));
  SafetensorsHeader h = parseSafetensorsHeader(name, bytes + 8, n, size);
  std::map<std::string, Tensor> out;
  for (const auto& t : h.tensors) {
    Tensor x;
    x.shape = t.shape;
    x.fileDtype = t.dtype;
    x.data.resize(size_t(t.numel()));
    convertToF32(t.dtype, bytes + h.dataStart + t.begin, t.numel(), x.data.data());
    out[t.name] = std::move(x);
  }
  return out;
}

std::map<std::string, Tensor> loadSafetensorsFilesLazy(const std::vector<std::string>& paths) {
  std::map<std::string, Tensor> out;
  for (const auto& p : paths) {
    auto h = std::make_shared<const SafetensorsHeader>(readSafetensorsHeader(p));
    for (size_t i = 0; i < h->tensors.size(); ++i) {
      const TensorInfo& t = h->tensors[i];
      if (out.count(t.name)) failTensor(p, t.name, "appears in more than one shard");
      Tensor x;
      x.shape = t.shape;
      x.fileDtype = t.dtype;
      x.read = [h, i] { return readTensor(*h, h->tensors[i]).data; };
      out[t.name] = std::move(x);
    }
  }
  return out;
}

std::map<std::string, Tensor> loadSafetensorsFiles(const std::vector<std::string>& paths) {
  std::map<std::string, Tensor> out;
  for (const auto& p : paths) {
    SafetensorsHeader h = readSafetensorsHeader(p);
    for (const auto& t : h.tensors) {
      if (out.count(t.name)) failTensor(p, t.name, "appears in more than one shard");
      out[t.name] = readTensor(h, t);
    }
  }
  return out;
}

}  // namespace engine
