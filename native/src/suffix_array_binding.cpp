#include "suffix_array_binding.h"

#include <cstdint>
#include <string>

#include "napi_args.h"
#include "suffix_array.h"

namespace engine {
namespace js {
namespace {

// suffixArray(text: Int32Array, alphabet: number) -> Int32Array: the suffixes of text in
// lexicographic order (a suffix that is a prefix of another first). Symbols in [0, alphabet).
Napi::Value SuffixArray(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  auto text = getInt32Array(env, info[0], "suffixArray: text", 0);
  if (!info[1].IsNumber()) typeError(env, "suffixArray: alphabet must be a number");
  const double alphabet = info[1].As<Napi::Number>().DoubleValue();
  if (!(alphabet >= 1 && alphabet <= 2147483647.0)) typeError(env, "suffixArray: alphabet must be in 1..2^31-1");
  auto sa = Napi::Int32Array::New(env, text.ElementLength());
  suffixArray(text.Data(), sa.Data(), int64_t(text.ElementLength()), int32_t(alphabet));
  return sa;
  GUARD_END
}

// tokenSuffixTable(tokens: Uint8Array, width: 2|4, ptrSize: number, threads?: number) ->
// Uint8Array: the infini-gram suffix table of a token file's bytes (byte offsets, ptrSize bytes
// little-endian each, in memcmp order of the suffixes).
Napi::Value TokenSuffixTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) typeError(env, "tokenSuffixTable: tokens must be a Uint8Array");
  auto bytes = info[0].As<Napi::Uint8Array>();
  if (!info[1].IsNumber() || !info[2].IsNumber()) typeError(env, "tokenSuffixTable: width and ptrSize must be numbers");
  const int width = info[1].As<Napi::Number>().Int32Value();
  const int ptrSize = info[2].As<Napi::Number>().Int32Value();
  const int threads = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 2;
  if (width != 2 && width != 4) typeError(env, "tokenSuffixTable: width must be 2 or 4");
  if (bytes.ByteLength() % size_t(width) != 0) typeError(env, "tokenSuffixTable: tokens' byte length " + std::to_string(bytes.ByteLength()) + " is not a multiple of " + std::to_string(width));
  const int64_t n = int64_t(bytes.ByteLength() / size_t(width));
  auto out = Napi::Uint8Array::New(env, size_t(n) * size_t(ptrSize > 0 ? ptrSize : 0));
  tokenSuffixTable(bytes.Data(), n, width, ptrSize, out.Data(), threads);
  return out;
  GUARD_END
}

}  // namespace

void registerSuffixArrayBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("suffixArray", Napi::Function::New(env, SuffixArray));
  exports.Set("tokenSuffixTable", Napi::Function::New(env, TokenSuffixTable));
}

}  // namespace js
}  // namespace engine
