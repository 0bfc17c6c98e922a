// Model.loraBankAdd / loraBankLoad / loraBankRemove: adapters kept on the model for per-row serving. A session
// step given `adapters` (one bank id per row, -1 for the base) shares every base GEMM across the
// batch and adds each row's LoRA product per segment (lora_segments.h).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>

#include "model_binding.h"
#include "napi_args.h"
#include "safetensors.h"

namespace engine {
namespace js {

const LoraBankEntry& ModelWrap::bankEntry(int id) const {
  if (id < 0 || size_t(id) >= bank_.size() || !bank_[size_t(id)]) throw std::runtime_error("adapters: no bank adapter with id " + std::to_string(id));
  return *bank_[size_t(id)];
}

namespace {

// What loraBankAdd and loraBankLoad share: the model's linears by PEFT module name, the entry
// being built, and the slot of a named tensor (created on first use).
struct BankBuilder {
  std::vector<Linear*> lins;
  std::map<std::string, size_t> index;
  std::unique_ptr<LoraBankEntry> entry = std::make_unique<LoraBankEntry>();
  int rank;
  float scale;
  const char* ctx;

  BankBuilder(Model& model, int r, float s, const char* c) : rank(r), scale(s), ctx(c) {
    for (auto& layer : model.layers)
      for (Linear* l : layer.linears()) lins.push_back(l);
    for (size_t i = 0; i < lins.size(); ++i) index[lins[i]->peftName] = i;
    entry->perLinear.resize(lins.size());
  }

  // The factor a PEFT name stands for, sized (A: rank x in, B: out x rank) but not yet filled.
  std::vector<float>& slot(const std::string& name) {
    static const std::string prefix = "base_model.model.";
    std::string module;
    char which = 0;
    for (const char* suffix : {".lora_A.weight", ".lora_B.weight"}) {
      const size_t n = std::strlen(suffix);
      if (name.size() > prefix.size() + n && name.compare(0, prefix.size(), prefix) == 0 && name.compare(name.size() - n, n, suffix) == 0) {
        module = name.substr(prefix.size(), name.size() - prefix.size() - n);
        which = suffix[6];
      }
    }
    auto it = module.empty() ? index.end() : index.find(module);
    if (it == index.end()) throw std::runtime_error(std::string(ctx) + ": '" + name + "' is not a LoRA tensor of a module of this model");
    const Linear& L = *lins[it->second];
    auto& w = entry->perLinear[it->second];
    if (!w) {
      w = std::make_unique<LoraWeights>();
      w->in = L.in;
      w->out = L.out;
      w->rank = rank;
      w->scale = scale;
    }
    std::vector<float>& v = which == 'A' ? w->A : w->B;
    if (!v.empty()) throw std::runtime_error(std::string(ctx) + ": '" + name + "' given twice");
    v.resize(which == 'A' ? size_t(rank) * L.in : size_t(L.out) * rank);
    return v;
  }

  // Every module given needs both factors; nothing is stored before this passes.
  std::unique_ptr<LoraBankEntry> finish() {
    for (size_t i = 0; i < lins.size(); ++i) {
      auto& w = entry->perLinear[i];
      if (w && (w->A.empty() || w->B.empty()))
        throw std::runtime_error(std::string(ctx) + ": module '" + lins[i]->peftName + "' lacks its lora_" + (w->A.empty() ? "A" : "B") + " tensor");
    }
    return std::move(entry);
  }
};

struct BankOptions {
  int rank;
  float scale;
};

BankOptions bankOptions(Napi::Env env, const Napi::Value& v, const char* ctx) {
  Napi::Object o = asObject(env, v, ctx);
  const int r = getInt(env, o, "rank", ctx);
  const double alpha = getNumber(env, o, "alpha", ctx);
  bool rslora = false;
  getOptionalBool(env, o, "rslora", ctx, rslora);
  if (r < 1) throw std::runtime_error(std::string(ctx) + ": rank must be positive");
  return {r, float(rslora ? alpha / std::sqrt(double(r)) : alpha / double(r))};
}

// Closes the file on every path out, errors included.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void preadFully(int fd, uint8_t* dst, uint64_t n, uint64_t offset, const std::string& file, const std::string& tensor) {
  uint64_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, dst + done, size_t(n - done), off_t(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::runtime_error(file + ": tensor '" + tensor + "': read failed: " + std::strerror(errno));
    if (got == 0) throw std::runtime_error(file + ": tensor '" + tensor + "': the file ends at byte " + std::to_string(offset + done) + ", inside the tensor (truncated or changed since its header was read)");
    done += uint64_t(got);
  }
}

}  // namespace

int ModelWrap::storeBankEntry(std::unique_ptr<LoraBankEntry> entry) {
  for (size_t id = 0; id < bank_.size(); ++id)
    if (!bank_[id]) {
      bank_[id] = std::move(entry);
      return int(id);
    }
  bank_.push_back(std::move(entry));
  return int(bank_.size() - 1);
}

// loraBankAdd(tensors {PEFT name: Float32Array | {data}}, {rank, alpha, rslora?}) -> id.
// Names: base_model.model.<module>.lora_A.weight (rank,in) and .lora_B.weight (out,rank); every
// module needs both; modules left out keep the base. Checked whole before anything is stored.
Napi::Value ModelWrap::LoraBankAdd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (model_->device()) throw std::runtime_error("loraBankAdd: per-row adapters run on the CPU backend only");
  Napi::Object t = asObject(env, info[0], "loraBankAdd(tensors, options)");
  const BankOptions opt = bankOptions(env, info[1], "loraBankAdd");
  BankBuilder b(*model_, opt.rank, opt.scale, "loraBankAdd");
  Napi::Array keys = t.GetPropertyNames();
  for (uint32_t k = 0; k < keys.Length(); ++k) {
    const std::string name = keys.Get(k).As<Napi::String>().Utf8Value();
    std::vector<float>& dst = b.slot(name);
    Napi::Value v = t.Get(name);
    if (v.IsObject() && !v.IsTypedArray()) v = v.As<Napi::Object>().Get("data");
    Napi::Float32Array a = getFloat32Array(env, v, "loraBankAdd: '" + name + "'", dst.size());
    std::memcpy(dst.data(), a.Data(), dst.size() * sizeof(float));
  }
  return Napi::Number::New(env, double(storeBankEntry(b.finish())));
  GUARD_END
}

// loraBankLoad(path, tensors [{name, dtype 'F32'|'F16'|'BF16', offset, bytes}], {rank, alpha,
// rslora?}) -> id. The same bank entry loraBankAdd makes from the same values, read from a
// safetensors file straight into the bank's memory: one copy from the page cache (F32), or one
// read plus the widening (F16/BF16, bit for bit what the JS reader's conversion gives). The
// caller (inspectPeftAdapter) has validated the header and the shapes; the names, sizes and the
// file's length are checked again here, and a short read names the file and the tensor.
Napi::Value ModelWrap::LoraBankLoad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (model_->device()) throw std::runtime_error("loraBankLoad: per-row adapters run on the CPU backend only");
  if (!info[0].IsString()) typeError(env, "loraBankLoad(path, tensors, options): path must be a string");
  if (!info[1].IsArray()) typeError(env, "loraBankLoad(path, tensors, options): tensors must be an array");
  const std::string file = info[0].As<Napi::String>().Utf8Value();
  Napi::Array list = info[1].As<Napi::Array>();
  const BankOptions opt = bankOptions(env, info[2], "loraBankLoad");
  BankBuilder b(*model_, opt.rank, opt.scale, "loraBankLoad");
  Fd fd{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (fd.fd < 0) throw std::runtime_error(file + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) throw std::runtime_error(file + ": cannot stat: " + std::strerror(errno));
  std::vector<uint8_t> scratch;  // one 16-bit tensor at a time, cache-sized
  for (uint32_t k = 0; k < list.Length(); ++k) {
    Napi::Object t = asObject(env, list.Get(k), "loraBankLoad: tensors[i]");
    Napi::Value nameV = t.Get("name"), dtypeV = t.Get("dtype");
    if (!nameV.IsString() || !dtypeV.IsString()) typeError(env, "loraBankLoad: tensors[i] needs a string name and dtype");
    const std::string name = nameV.As<Napi::String>().Utf8Value();
    const std::string dt = dtypeV.As<Napi::String>().Utf8Value();
    const Dtype d = dt == "F32" ? Dtype::F32 : dt == "F16" ? Dtype::F16 : dt == "BF16" ? Dtype::BF16 : throw std::runtime_error(file + ": tensor '" + name + "': dtype " + dt + " is not F32, F16 or BF16");
    const double offD = getNumber(env, t, "offset", "loraBankLoad"), bytesD = getNumber(env, t, "bytes", "loraBankLoad");
    if (!(offD >= 0) || !(bytesD >= 0) || offD != std::floor(offD) || bytesD != std::floor(bytesD) || offD + bytesD > 9007199254740992.0)
      throw std::runtime_error(file + ": tensor '" + name + "': offset/bytes must be non-negative integers");
    const uint64_t off = uint64_t(offD), bytes = uint64_t(bytesD);
    std::vector<float>& dst = b.slot(name);
    if (bytes != dst.size() * dtypeSize(d))
      throw std::runtime_error(file + ": tensor '" + name + "': " + std::to_string(bytes) + " bytes of " + dt + " where the model's module needs " + std::to_string(dst.size()) + " values");
    if (off + bytes > uint64_t(st.st_size))
      throw std::runtime_error(file + ": tensor '" + name + "': bytes " + std::to_string(off) + ".." + std::to_string(off + bytes) + " run past the end of the " + std::to_string(st.st_size) + "-byte file (truncated or changed since its header was read)");
    if (d == Dtype::F32) {
      preadFully(fd.fd, reinterpret_cast<uint8_t*>(dst.data()), bytes, off, file, name);
    } else {
      scratch.resize(bytes);
      preadFully(fd.fd, scratch.data(), bytes, off, file, name);
      convertToF32(d, scratch.data(), dst.size(), dst.data());
    }
  }
  return Napi::Number::New(env, double(storeBankEntry(b.finish())));
  GUARD_END
}

// loraBankTensors(id) -> {PEFT name: {shape, data}}: a copy of what the bank holds for an adapter
// (tests compare the bank's bits across the ways of filling it).
Napi::Value ModelWrap::LoraBankTensors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsNumber()) typeError(env, "loraBankTensors(id): id must be a number");
  const LoraBankEntry& e = bankEntry(info[0].As<Napi::Number>().Int32Value());
  std::vector<Linear*> lins;
  for (auto& layer : model_->layers)
    for (Linear* l : layer.linears()) lins.push_back(l);
  Napi::Object out = Napi::Object::New(env);
  for (size_t i = 0; i < lins.size(); ++i) {
    const LoraWeights* w = e.perLinear[i].get();
    if (!w) continue;
    for (char which : {'A', 'B'}) {
      const std::vector<float>& v = which == 'A' ? w->A : w->B;
      Napi::Object t = Napi::Object::New(env);
      t.Set("shape", shapeToJs(env, which == 'A' ? std::vector<int64_t>{w->rank, w->in} : std::vector<int64_t>{w->out, w->rank}));
      t.Set("data", toF32(env, v.data(), v.size()));
      out.Set("base_model.model." + lins[i]->peftName + ".lora_" + which + ".weight", t);
    }
  }
  return out;
  GUARD_END
}

// loraBankRemove(id): frees the adapter; its id may be handed out again.
Napi::Value ModelWrap::LoraBankRemove(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (!info[0].IsNumber()) typeError(env, "loraBankRemove(id): id must be a number");
  const int id = info[0].As<Napi::Number>().Int32Value();
  bankEntry(id);
  bank_[size_t(id)].reset();
  return env.Undefined();
  GUARD_END
}

}  // namespace js
}  // namespace engine
