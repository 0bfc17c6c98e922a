// Model.loraBankAdd / loraBankRemove: adapters kept on the model for per-row serving. A session
// step given `adapters` (one bank id per row, -1 for the base) shares every base GEMM across the
// batch and adds each row's LoRA product per segment (lora_segments.h).
#include <cmath>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>

#include "model_binding.h"
#include "napi_args.h"

namespace engine {
namespace js {

const LoraBankEntry& ModelWrap::bankEntry(int id) const {
  if (id < 0 || size_t(id) >= bank_.size() || !bank_[size_t(id)]) throw std::runtime_error("adapters: no bank adapter with id " + std::to_string(id));
  return *bank_[size_t(id)];
}

// loraBankAdd(tensors {PEFT name: Float32Array | {data}}, {rank, alpha, rslora?}) -> id.
// Names: base_model.model.<module>.lora_A.weight (rank,in) and .lora_B.weight (out,rank); every
// module needs both; modules left out keep the base. Checked whole before anything is stored.
Napi::Value ModelWrap::LoraBankAdd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  if (model_->device()) throw std::runtime_error("loraBankAdd: per-row adapters run on the CPU backend only");
  Napi::Object t = asObject(env, info[0], "loraBankAdd(tensors, options)");
  Napi::Object o = asObject(env, info[1], "loraBankAdd(tensors, options)");
  const int r = getInt(env, o, "rank", "loraBankAdd");
  const double alpha = getNumber(env, o, "alpha", "loraBankAdd");
  bool rslora = false;
  getOptionalBool(env, o, "rslora", "loraBankAdd", rslora);
  if (r < 1) throw std::runtime_error("loraBankAdd: rank must be positive");
  const float scale = float(rslora ? alpha / std::sqrt(double(r)) : alpha / double(r));

  std::vector<Linear*> lins;
  for (auto& layer : model_->layers)
    for (Linear* l : layer.linears()) lins.push_back(l);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < lins.size(); ++i) index[lins[i]->peftName] = i;

  auto entry = std::make_unique<LoraBankEntry>();
  entry->perLinear.resize(lins.size());
  const std::string prefix = "base_model.model.";
  Napi::Array keys = t.GetPropertyNames();
  for (uint32_t k = 0; k < keys.Length(); ++k) {
    const std::string name = keys.Get(k).As<Napi::String>().Utf8Value();
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
    if (it == index.end()) throw std::runtime_error("loraBankAdd: '" + name + "' is not a LoRA tensor of a module of this model");
    const Linear& L = *lins[it->second];
    auto& w = entry->perLinear[it->second];
    if (!w) {
      w = std::make_unique<LoraWeights>();
      w->in = L.in;
      w->out = L.out;
      w->rank = r;
      w->scale = scale;
    }
    Napi::Value v = t.Get(name);
    if (v.IsObject() && !v.IsTypedArray()) v = v.As<Napi::Object>().Get("data");
    const size_t expect = which == 'A' ? size_t(r) * L.in : size_t(L.out) * r;
    Napi::Float32Array a = getFloat32Array(env, v, "loraBankAdd: '" + name + "'", expect);
    (which == 'A' ? w->A : w->B).assign(a.Data(), a.Data() + expect);
  }
  for (size_t i = 0; i < lins.size(); ++i) {
    auto& w = entry->perLinear[i];
    if (w && (w->A.empty() || w->B.empty()))
      throw std::runtime_error("loraBankAdd: module '" + lins[i]->peftName + "' lacks its lora_" + (w->A.empty() ? "A" : "B") + " tensor");
  }
  for (size_t id = 0; id < bank_.size(); ++id)
    if (!bank_[id]) {
      bank_[id] = std::move(entry);
      return Napi::Number::New(env, double(id));
    }
  bank_.push_back(std::move(entry));
  return Napi::Number::New(env, double(bank_.size() - 1));
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
