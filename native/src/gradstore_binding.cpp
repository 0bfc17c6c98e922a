#include "gradstore_binding.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "napi_args.h"
#include "precision.h"

namespace engine {
namespace js {
namespace {

#ifndef _WIN32
struct Mapping {
  void* addr;
  size_t len;
};

void unmap(Napi::Env, void*, Mapping* m) {
  munmap(m->addr, m->len);
  delete m;
}
#endif

// mapFile(path, {writable?}) -> ArrayBuffer backed by the file's pages (zero-copy). Read-only
// mappings are PROT_READ: a JS write into them faults, so readers must treat the buffer as
// immutable (openGradientStore never writes). writable maps MAP_SHARED read-write. The mapping
// lives until the ArrayBuffer is collected (the finalizer unmaps).
Napi::Value MapFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsString()) typeError(env, "mapFile: path must be a string");
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  bool writable = false;
  if (info[1].IsObject()) getOptionalBool(env, info[1].As<Napi::Object>(), "writable", "mapFile", writable);
#ifdef _WIN32
  throw Napi::Error::New(env, "mapFile: memory-mapping is not supported on Windows yet (" + path + ")");
#else
  int fd = open(path.c_str(), writable ? O_RDWR : O_RDONLY);
  if (fd < 0) throw Napi::Error::New(env, "mapFile: cannot open " + path + ": " + std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    throw Napi::Error::New(env, "mapFile: cannot stat " + path + ": " + std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    throw Napi::Error::New(env, "mapFile: " + path + " is not a regular file");
  }
  if (st.st_size == 0) {
    close(fd);
    throw Napi::Error::New(env, "mapFile: " + path + " is empty");
  }
  const size_t len = size_t(st.st_size);
  void* addr = mmap(nullptr, len, writable ? PROT_READ | PROT_WRITE : PROT_READ, writable ? MAP_SHARED : MAP_PRIVATE, fd, 0);
  int e = errno;
  close(fd);  // the mapping keeps its own reference to the file
  if (addr == MAP_FAILED) throw Napi::Error::New(env, "mapFile: cannot map " + path + ": " + std::strerror(e));
  auto* m = new Mapping{addr, len};
  napi_value ab;
  napi_status s = napi_create_external_arraybuffer(
      env, addr, len, [](napi_env env, void* data, void* hint) { unmap(Napi::Env(env), data, static_cast<Mapping*>(hint)); }, m, &ab);
  if (s == napi_ok) return Napi::ArrayBuffer(env, ab);
  // Runtimes with the V8 sandbox (Electron) refuse external buffers: fall back to one copy of
  // a read-only file (a writable mapping cannot be emulated by a copy).
  munmap(addr, len);
  delete m;
  if (writable) throw Napi::Error::New(env, "mapFile: this runtime refuses external buffers; cannot map " + path + " writable");
  int fd2 = open(path.c_str(), O_RDONLY);
  if (fd2 < 0) throw Napi::Error::New(env, "mapFile: cannot open " + path + ": " + std::strerror(errno));
  Napi::ArrayBuffer copy = Napi::ArrayBuffer::New(env, len);
  size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd2, static_cast<char*>(copy.Data()) + got, len - got);
    if (n <= 0) {
      close(fd2);
      throw Napi::Error::New(env, "mapFile: short read of " + path);
    }
    got += size_t(n);
  }
  close(fd2);
  return copy;
#endif
  GUARD_END
}

// The bytes [offset, offset + n·elt) of an ArrayBuffer, checked to lie inside it and aligned.
const uint8_t* checkedRange(Napi::Env env, const Napi::Value& v, double offset, double n, size_t elt, const char* ctx) {
  if (!v.IsArrayBuffer()) typeError(env, std::string(ctx) + ": buffer must be an ArrayBuffer");
  auto ab = v.As<Napi::ArrayBuffer>();
  const double len = double(ab.ByteLength());
  if (!(offset >= 0) || offset != double(uint64_t(offset)) || !(n >= 0) || offset + n * double(elt) > len)
    typeError(env, std::string(ctx) + ": range [" + std::to_string(uint64_t(offset)) + ", +" + std::to_string(uint64_t(n)) + "x" +
                       std::to_string(elt) + ") is outside the " + std::to_string(uint64_t(len)) + "-byte buffer");
  if (uint64_t(offset) % elt != 0) typeError(env, std::string(ctx) + ": offset is not aligned to the element size");
  return static_cast<const uint8_t*>(ab.Data()) + uint64_t(offset);
}

int dtypeElt(Napi::Env env, const Napi::Value& v, const char* ctx) {
  std::string d = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (d == "f32") return 4;
  if (d == "f16") return 2;
  typeError(env, std::string(ctx) + ": dtype must be 'f32' or 'f16'");
}

// gradientDot(buffer, byteOffset, rows, k, dtype, query: Float32Array(k)) -> Float32Array(rows):
// out[r] = Σ_j M[r,j]·q[j], accumulated in double in j order (a plain loop: a (rows,k) matrix
// is read once, so this is memory-bound; the reference test compares with a JS loop).
Napi::Value GradientDot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  const char* ctx = "gradientDot";
  for (int i = 1; i <= 3; ++i)
    if (!info[i].IsNumber()) typeError(env, "gradientDot: byteOffset, rows and k must be numbers");
  const double offset = info[1].As<Napi::Number>().DoubleValue();
  const double rowsD = info[2].As<Napi::Number>().DoubleValue(), kD = info[3].As<Napi::Number>().DoubleValue();
  if (!(rowsD >= 0 && rowsD <= 4294967295.0 && rowsD == double(uint64_t(rowsD)))) typeError(env, "gradientDot: rows must be an integer in 0..2^32-1");
  if (!(kD >= 1 && kD <= 1048576 && kD == double(uint64_t(kD)))) typeError(env, "gradientDot: k must be an integer in 1..1048576");
  const size_t rows = size_t(rowsD), k = size_t(kD);
  const int elt = dtypeElt(env, info[4], ctx);
  const uint8_t* base = checkedRange(env, info[0], offset, rowsD * kD, size_t(elt), ctx);
  Napi::Float32Array q = getFloat32Array(env, info[5], "gradientDot: query", k);
  std::vector<float> qv(q.Data(), q.Data() + k);  // copy: the query may alias the buffer
  std::vector<float> out(rows);
  for (size_t r = 0; r < rows; ++r) {
    double acc = 0;
    if (elt == 4) {
      const float* row = reinterpret_cast<const float*>(base) + r * k;
      for (size_t j = 0; j < k; ++j) acc += double(row[j]) * double(qv[j]);
    } else {
      const uint16_t* row = reinterpret_cast<const uint16_t*>(base) + r * k;
      for (size_t j = 0; j < k; ++j) acc += double(halfWiden(row[j])) * double(qv[j]);
    }
    out[r] = float(acc);
  }
  return toF32(env, out.data(), out.size());
  GUARD_END
}

// toF16(Float32Array) -> Uint16Array: IEEE binary16, round to nearest even (precision.h).
Napi::Value ToF16(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) typeError(env, "toF16: values must be a Float32Array");
  auto a = info[0].As<Napi::Float32Array>();
  Napi::Uint16Array out = Napi::Uint16Array::New(env, a.ElementLength());
  for (size_t i = 0; i < a.ElementLength(); ++i) out[i] = floatToHalf(a[i]);
  return out;
  GUARD_END
}

// fromF16(buffer, byteOffset, n) -> Float32Array(n), exact widening.
Napi::Value FromF16(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[1].IsNumber() || !info[2].IsNumber()) typeError(env, "fromF16: byteOffset and n must be numbers");
  const double n = info[2].As<Napi::Number>().DoubleValue();
  if (!(n >= 0 && n == double(uint64_t(n)) && n <= 4294967295.0)) typeError(env, "fromF16: n must be a non-negative integer");
  const uint8_t* p = checkedRange(env, info[0], info[1].As<Napi::Number>().DoubleValue(), n, 2, "fromF16");
  std::vector<float> out(static_cast<size_t>(n));
  for (size_t i = 0; i < out.size(); ++i) {
    uint16_t h;
    std::memcpy(&h, p + 2 * i, 2);
    out[i] = halfWiden(h);
  }
  return toF32(env, out.data(), out.size());
  GUARD_END
}

}  // namespace

void registerGradStoreBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("mapFile", Napi::Function::New(env, MapFile));
  exports.Set("gradientDot", Napi::Function::New(env, GradientDot));
  exports.Set("toF16", Napi::Function::New(env, ToF16));
  exports.Set("fromF16", Napi::Function::New(env, FromF16));
}

}  // namespace js
}  // namespace engine
