#include "datanet_binding.h"

#include <algorithm>
#include <string>
#include <vector>

#include "datanet_hash.h"
#include "datanet_merkle.h"
#include "parquet_snappy.h"
#include "datanet_sha256.h"
#include "datanet_text.h"
#include "napi_args.h"
#include "threadpool.h"

namespace engine {
namespace js {
namespace {

// The strings are copied out on the JS thread (N-API values cannot be read elsewhere); the
// hashing of each record is independent, so the pool's split does not change any result.
Napi::Value DatanetHashes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsArray())
    throw Napi::TypeError::New(env, "datanetHashes: expected (normalized: string[], canonical: string[])");
  Napi::Array normalized = info[0].As<Napi::Array>();
  Napi::Array canonical = info[1].As<Napi::Array>();
  const uint32_t n = normalized.Length();
  if (canonical.Length() != n) throw Napi::TypeError::New(env, "datanetHashes: normalized and canonical must have the same length");
  std::vector<std::u16string> texts(n);
  std::vector<std::string> contents(n);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value a = normalized.Get(i);
    Napi::Value b = canonical.Get(i);
    if (!a.IsString() || !b.IsString()) throw Napi::TypeError::New(env, "datanetHashes: element " + std::to_string(i) + " is not a string");
    texts[i] = a.As<Napi::String>().Utf16Value();
    // Lone surrogates become U+FFFD, as TextEncoder (viem's stringToBytes) writes them.
    contents[i] = b.As<Napi::String>().Utf8Value();
  }
  // An optional third argument names the MinHash kernel (tests compare each with the reference).
  MinhashKernel kernel = MinhashKernel::Auto;
  if (info.Length() >= 3 && !info[2].IsUndefined()) {
    if (!info[2].IsString()) throw Napi::TypeError::New(env, "datanetHashes: kernel must be a string");
    const std::string name = info[2].As<Napi::String>().Utf8Value();
    if (name == "scalar") kernel = MinhashKernel::Scalar;
    else if (name == "avx2") kernel = MinhashKernel::Avx2;
    else if (name == "avx512") kernel = MinhashKernel::Avx512;
    else if (name != "auto") throw Napi::TypeError::New(env, "datanetHashes: unknown kernel '" + name + "' (auto, scalar, avx2, avx512)");
    if (!minhashKernelAvailable(kernel)) throw Napi::Error::New(env, "datanetHashes: kernel '" + name + "' is not available on this CPU");
  }
  Napi::Uint32Array minhash = Napi::Uint32Array::New(env, size_t(n) * kMinhashSlots);
  Napi::Uint8Array hashes = Napi::Uint8Array::New(env, size_t(n) * 32);
  uint32_t* mh = minhash.Data();
  uint8_t* kh = hashes.Data();
  parallelFor(n, 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) {
      minhashSignature(reinterpret_cast<const uint16_t*>(texts[i].data()), texts[i].size(), mh + i * kMinhashSlots, kernel);
      keccak256(reinterpret_cast<const uint8_t*>(contents[i].data()), contents[i].size(), kh + i * 32);
    }
  });
  Napi::Object out = Napi::Object::New(env);
  out.Set("minhash", minhash);
  out.Set("keccak", hashes);
  return out;
  GUARD_END
}

std::string stringAt(Napi::Array a, uint32_t i, const char* what) {
  Napi::Value v = a.Get(i);
  if (!v.IsString()) throw Napi::TypeError::New(a.Env(), std::string(what) + ": element " + std::to_string(i) + " is not a string");
  return v.As<Napi::String>().Utf8Value();
}

// datanetTextTables(stopWords: [word, languageIndex[]][], englishStopWords: string[], bip39: string[]):
// the reference's word lists, held by the returned handle for datanetTextSignals.
Napi::Value DatanetTextTables(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (info.Length() < 3 || !info[0].IsArray() || !info[1].IsArray() || !info[2].IsArray())
    throw Napi::TypeError::New(env, "datanetTextTables: expected (stopWords: [word, languages[]][], english: string[], bip39: string[])");
  auto* tables = new TextSignalTables();
  try {
    Napi::Array stop = info[0].As<Napi::Array>();
    for (uint32_t i = 0; i < stop.Length(); i++) {
      Napi::Value entry = stop.Get(i);
      if (!entry.IsArray()) throw Napi::TypeError::New(env, "datanetTextTables: stop word entry " + std::to_string(i) + " is not [word, languages]");
      Napi::Array pair = entry.As<Napi::Array>();
      std::string_view word = tables->keep(stringAt(pair, 0, "datanetTextTables"));
      Napi::Value langs = pair.Get(1u);
      if (!langs.IsArray()) throw Napi::TypeError::New(env, "datanetTextTables: languages of " + std::string(word) + " is not an array");
      Napi::Array la = langs.As<Napi::Array>();
      tables->stopMinLen = std::min(tables->stopMinLen, word.size());
      tables->stopMaxLen = std::max(tables->stopMaxLen, word.size());
      TextSignalTables::StopWord& stopWord = tables->stopWords[word];
      stopWord.listed = true;
      for (uint32_t k = 0; k < la.Length(); k++) stopWord.languages.push_back(la.Get(k).As<Napi::Number>().Int32Value());
    }
    Napi::Array en = info[1].As<Napi::Array>();
    for (uint32_t i = 0; i < en.Length(); i++) {
      std::string_view w = tables->keep(stringAt(en, i, "datanetTextTables"));
      tables->stopWords[w].english = true;
      // English stop words are stop words of the language table too; the bounds cover both.
      tables->stopMinLen = std::min(tables->stopMinLen, w.size());
      tables->stopMaxLen = std::max(tables->stopMaxLen, w.size());
    }
    Napi::Array bip = info[2].As<Napi::Array>();
    for (uint32_t i = 0; i < bip.Length(); i++) {
      std::string_view w = tables->keep(stringAt(bip, i, "datanetTextTables"));
      tables->bip39Words.insert(w);
      tables->bip39MinLen = std::min(tables->bip39MinLen, w.size());
      tables->bip39MaxLen = std::max(tables->bip39MaxLen, w.size());
    }
    tables->index();
  } catch (...) {
    delete tables;
    throw;
  }
  return Napi::External<TextSignalTables>::New(env, tables, [](Napi::Env, TextSignalTables* t) { delete t; });
  GUARD_END
}

// datanetTextSignals(texts: string[], tables): Int32Array of kTextFigureFields per text, in
// TextFigures' field order; computed on the engine's pool (each text is independent).
Napi::Value DatanetTextSignals(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (info.Length() < 2 || !info[0].IsArray() || !info[1].IsExternal())
    throw Napi::TypeError::New(env, "datanetTextSignals: expected (texts: string[], tables from datanetTextTables)");
  Napi::Array arr = info[0].As<Napi::Array>();
  const TextSignalTables* tables = info[1].As<Napi::External<TextSignalTables>>().Data();
  const uint32_t n = arr.Length();
  std::vector<std::u16string> texts(n);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value v = arr.Get(i);
    if (!v.IsString()) throw Napi::TypeError::New(env, "datanetTextSignals: element " + std::to_string(i) + " is not a string");
    texts[i] = v.As<Napi::String>().Utf16Value();
  }
  static_assert(sizeof(TextFigures) == sizeof(int32_t) * kTextFigureFields, "TextFigures is kTextFigureFields int32 fields");
  Napi::Int32Array out = Napi::Int32Array::New(env, size_t(n) * kTextFigureFields);
  TextFigures* figures = reinterpret_cast<TextFigures*>(out.Data());
  parallelFor(n, 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) textFigures(reinterpret_cast<const uint16_t*>(texts[i].data()), texts[i].size(), *tables, figures + i);
  });
  return out;
  GUARD_END
}

// All of one batch's strings in one buffer each (offsets per string): a string costs a copy, not
// an allocation. UTF-16 as the JS string holds it, or UTF-8 (lone surrogates as U+FFFD, as
// TextEncoder and node:crypto write them).
template <class Unit>
struct StringBatch {
  std::vector<Unit> units;
  std::vector<size_t> offsets;  // n + 1
};
using Utf16Batch = StringBatch<char16_t>;
using Utf8Batch = StringBatch<char>;

// `get` is napi_get_value_string_utf16 or _utf8: sizes first, then one copy per string.
template <class Unit>
StringBatch<Unit> stringBatch(Napi::Env env, Napi::Array a, const char* what, napi_status (*get)(napi_env, napi_value, Unit*, size_t, size_t*)) {
  const uint32_t n = a.Length();
  std::vector<napi_value> values(n);
  StringBatch<Unit> out;
  out.offsets.resize(size_t(n) + 1, 0);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value v = a.Get(i);
    if (!v.IsString()) throw Napi::TypeError::New(env, std::string(what) + ": element " + std::to_string(i) + " is not a string");
    values[i] = v;
    size_t len = 0;
    NAPI_THROW_IF_FAILED(env, get(env, v, nullptr, 0, &len), StringBatch<Unit>());
    out.offsets[i + 1] = out.offsets[i] + len;
  }
  // One spare unit: napi writes a terminating NUL after the last string.
  out.units.resize(out.offsets[n] + 1);
  for (uint32_t i = 0; i < n; i++) {
    size_t got = 0;
    NAPI_THROW_IF_FAILED(env, get(env, values[i], out.units.data() + out.offsets[i], out.offsets[i + 1] - out.offsets[i] + 1, &got), StringBatch<Unit>());
  }
  return out;
}

Utf16Batch utf16Strings(Napi::Env env, Napi::Array a, const char* what) { return stringBatch<char16_t>(env, a, what, napi_get_value_string_utf16); }
Utf8Batch utf8Strings(Napi::Env env, Napi::Array a, const char* what) { return stringBatch<char>(env, a, what, napi_get_value_string_utf8); }

// datanetStageSignals(texts: string[], canonical: string[], tables, sha256Kernel?): what the
// import stages of each record that the engine can compute, in one pass per record on the pool:
// keccak256 of the canonical content's UTF-8 (every record) and, for a text of ASCII code units,
// its normal form (normalizeText.ts), that form's SHA-256 (first 16 bytes: the normHash), its
// MinHash and its text figures (datanetTextSignals' fields). A text with any other code unit
// gets figures with `handled` 0 and nothing else: the caller normalises it in JS.
Napi::Value DatanetStageSignals(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (info.Length() < 3 || !info[0].IsArray() || !info[1].IsArray() || !info[2].IsExternal())
    throw Napi::TypeError::New(env, "datanetStageSignals: expected (texts: string[], canonical: string[], tables from datanetTextTables)");
  Napi::Array textArr = info[0].As<Napi::Array>();
  Napi::Array canonArr = info[1].As<Napi::Array>();
  const TextSignalTables* tables = info[2].As<Napi::External<TextSignalTables>>().Data();
  const uint32_t n = textArr.Length();
  if (canonArr.Length() != n) throw Napi::TypeError::New(env, "datanetStageSignals: texts and canonical must have the same length");
  // An optional fourth argument names the SHA-256 kernel (tests compare each with node:crypto).
  Sha256Kernel shaKernel = Sha256Kernel::Auto;
  if (info.Length() >= 4 && !info[3].IsUndefined()) {
    if (!info[3].IsString()) throw Napi::TypeError::New(env, "datanetStageSignals: sha256 kernel must be a string");
    const std::string name = info[3].As<Napi::String>().Utf8Value();
    if (name == "scalar") shaKernel = Sha256Kernel::Scalar;
    else if (name == "shani") shaKernel = Sha256Kernel::ShaNi;
    else if (name != "auto") throw Napi::TypeError::New(env, "datanetStageSignals: unknown sha256 kernel '" + name + "' (auto, scalar, shani)");
    if (!sha256KernelAvailable(shaKernel)) throw Napi::Error::New(env, "datanetStageSignals: sha256 kernel '" + name + "' is not available on this CPU");
  }
  const Utf16Batch texts = utf16Strings(env, textArr, "datanetStageSignals");
  const Utf8Batch contents = utf8Strings(env, canonArr, "datanetStageSignals");
  Napi::Uint8Array keccak = Napi::Uint8Array::New(env, size_t(n) * 32);
  Napi::Uint8Array normHash = Napi::Uint8Array::New(env, size_t(n) * 16);
  Napi::Uint32Array minhash = Napi::Uint32Array::New(env, size_t(n) * kMinhashSlots);
  Napi::Int32Array figures = Napi::Int32Array::New(env, size_t(n) * kTextFigureFields);
  uint8_t* kh = keccak.Data();
  uint8_t* nh = normHash.Data();
  uint32_t* mh = minhash.Data();
  TextFigures* fig = reinterpret_cast<TextFigures*>(figures.Data());
  parallelFor(n, 16, [&](int64_t begin, int64_t end) {
    thread_local std::string ascii, normalized;
    for (int64_t i = begin; i < end; i++) {
      keccak256(reinterpret_cast<const uint8_t*>(contents.units.data() + contents.offsets[i]), contents.offsets[i + 1] - contents.offsets[i], kh + i * 32);
      fig[i] = TextFigures{};
      const uint16_t* text = reinterpret_cast<const uint16_t*>(texts.units.data() + texts.offsets[i]);
      if (!normalizeAscii(text, texts.offsets[i + 1] - texts.offsets[i], ascii, normalized)) continue;
      uint8_t digest[32];
      sha256(reinterpret_cast<const uint8_t*>(normalized.data()), normalized.size(), digest, shaKernel);
      std::copy(digest, digest + 16, nh + i * 16);
      minhashSignature(normalized.data(), normalized.size(), mh + i * kMinhashSlots);
      textFiguresAscii(ascii, *tables, fig + i);
    }
  });
  Napi::Object out = Napi::Object::New(env);
  out.Set("keccak", keccak);
  out.Set("normHash", normHash);
  out.Set("minhash", minhash);
  out.Set("figures", figures);
  return out;
  GUARD_END
}

// datanetMerkleBegin(expectedLeaves): a Merkle builder (datanet_merkle.h) for
// datanetMerkleAdd(builder, pairs: Uint8Array of 52-byte (address, recordHash) pairs) and
// datanetMerkleFinish(builder, prove: value index or -1) -> { root: Uint8Array(32), proof:
// Uint8Array(32 * depth) }. The caller streams a version's leaves in batches.
VersionMerkle* merkleArg(const Napi::CallbackInfo& info, const char* what) {
  if (info.Length() < 1 || !info[0].IsExternal()) throw Napi::TypeError::New(info.Env(), std::string(what) + ": expected a builder from datanetMerkleBegin");
  return info[0].As<Napi::External<VersionMerkle>>().Data();
}

Napi::Value DatanetMerkleBegin(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "datanetMerkleBegin: expected (expectedLeaves: number)");
  const double expected = info[0].As<Napi::Number>().DoubleValue();
  auto* m = new VersionMerkle(expected > 0 && expected < 4e9 ? size_t(expected) : 0);
  return Napi::External<VersionMerkle>::New(env, m, [](Napi::Env, VersionMerkle* p) { delete p; });
  GUARD_END
}

Napi::Value DatanetMerkleAdd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  VersionMerkle* m = merkleArg(info, "datanetMerkleAdd");
  if (info.Length() < 2 || !info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(env, "datanetMerkleAdd: expected (builder, pairs: Uint8Array)");
  Napi::Uint8Array pairs = info[1].As<Napi::Uint8Array>();
  if (pairs.ByteLength() % VersionMerkle::kPairBytes != 0)
    throw Napi::TypeError::New(env, "datanetMerkleAdd: pairs must be whole 52-byte (address, recordHash) pairs");
  m->add(pairs.Data(), pairs.ByteLength() / VersionMerkle::kPairBytes);
  return env.Undefined();
  GUARD_END
}

Napi::Value DatanetMerkleFinish(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  VersionMerkle* m = merkleArg(info, "datanetMerkleFinish");
  if (info.Length() < 2 || !info[1].IsNumber()) throw Napi::TypeError::New(env, "datanetMerkleFinish: expected (builder, prove: number)");
  std::vector<Hash32> proof;
  const Hash32 root = m->finish(info[1].As<Napi::Number>().Int64Value(), proof);
  Napi::Uint8Array r = Napi::Uint8Array::New(env, 32);
  std::copy(root.begin(), root.end(), r.Data());
  Napi::Uint8Array p = Napi::Uint8Array::New(env, proof.size() * 32);
  for (size_t i = 0; i < proof.size(); i++) std::copy(proof[i].begin(), proof[i].end(), p.Data() + 32 * i);
  Napi::Object out = Napi::Object::New(env);
  out.Set("root", r);
  out.Set("proof", p);
  return out;
  GUARD_END
}

// parquetSnappy(input: Uint8Array) -> Uint8Array: a page compressed exactly as hyparquet-writer's
// JS snappy would (parquet_snappy.h), for the datanet snapshot writer.
Napi::Value ParquetSnappy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(env, "parquetSnappy: expected (input: Uint8Array)");
  Napi::Uint8Array input = info[0].As<Napi::Uint8Array>();
  std::vector<uint8_t> out;
  snappyCompressLikeHyparquet(input.Data(), input.ByteLength(), out);
  Napi::Uint8Array result = Napi::Uint8Array::New(env, out.size());
  std::copy(out.begin(), out.end(), result.Data());
  return result;
  GUARD_END
}

}  // namespace

void registerDatanetBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("datanetHashes", Napi::Function::New(env, DatanetHashes, "datanetHashes"));
  exports.Set("datanetTextTables", Napi::Function::New(env, DatanetTextTables, "datanetTextTables"));
  exports.Set("datanetTextSignals", Napi::Function::New(env, DatanetTextSignals, "datanetTextSignals"));
  exports.Set("datanetMerkleBegin", Napi::Function::New(env, DatanetMerkleBegin, "datanetMerkleBegin"));
  exports.Set("datanetMerkleAdd", Napi::Function::New(env, DatanetMerkleAdd, "datanetMerkleAdd"));
  exports.Set("parquetSnappy", Napi::Function::New(env, ParquetSnappy, "parquetSnappy"));
  exports.Set("datanetMerkleFinish", Napi::Function::New(env, DatanetMerkleFinish, "datanetMerkleFinish"));
  exports.Set("datanetStageSignals", Napi::Function::New(env, DatanetStageSignals, "datanetStageSignals"));
}

}  // namespace js
}  // namespace engine
