// JS class Model: wraps engine::Model. The constructor, forward and info are defined in
// model_binding.cpp; LoRA, training, optimizer state and per-example gradients in
// training_binding.cpp.
#pragma once
#include <napi.h>

#include <memory>
#include <string>

#include <vector>

#include "lora_segments.h"
#include "model.h"

namespace engine {
namespace js {

class ModelWrap : public Napi::ObjectWrap<ModelWrap> {
 public:
  static Napi::Function Init(Napi::Env env);
  // new Model({...spec, files})
  explicit ModelWrap(const Napi::CallbackInfo& info);
  Model& model() { return *model_; }
  // lora_bank_binding.cpp: the bank's entry for an id, or throws naming the id.
  const LoraBankEntry& bankEntry(int id) const;

 private:
  std::unique_ptr<Model> model_;
  std::string fallbackReason_;  // backend 'auto' that fell back to the CPU: why
  std::string precision_;       // the CUDA backend's precision ('fp32', 'tf32', 'bf16')

  // model_binding.cpp
  Napi::Value Forward(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);
  // training_binding.cpp
  Napi::Value AddLora(const Napi::CallbackInfo& info);
  Napi::Value ForwardBackward(const Napi::CallbackInfo& info);
  Napi::Value EvalLoss(const Napi::CallbackInfo& info);
  Napi::Value OptimizerStep(const Napi::CallbackInfo& info);
  Napi::Value ProjectedExampleGrads(const Napi::CallbackInfo& info);
  Napi::Value ProjectedTokenGrads(const Napi::CallbackInfo& info);
  Napi::Value ReleaseTrainingBuffers(const Napi::CallbackInfo& info);
  Napi::Value ZeroGrad(const Napi::CallbackInfo& info);
  Napi::Value GetLoraTensors(const Napi::CallbackInfo& info);
  Napi::Value GetLoraGrads(const Napi::CallbackInfo& info);
  Napi::Value SetLoraTensors(const Napi::CallbackInfo& info);
  Napi::Value GetOptimizerState(const Napi::CallbackInfo& info);
  Napi::Value SetOptimizerState(const Napi::CallbackInfo& info);
  // full_training_binding.cpp
  Napi::Value EnableFullTraining(const Napi::CallbackInfo& info);
  Napi::Value GetParameters(const Napi::CallbackInfo& info);
  Napi::Value GetParameterGrads(const Napi::CallbackInfo& info);
  Napi::Value SetParameters(const Napi::CallbackInfo& info);
  // lora_bank_binding.cpp: adapters served per row (segmented LoRA), beside any addLora adapter.
  std::vector<std::unique_ptr<LoraBankEntry>> bank_;  // null: removed id
  int storeBankEntry(std::unique_ptr<LoraBankEntry> entry);  // the id it gets
  Napi::Value LoraBankAdd(const Napi::CallbackInfo& info);
  Napi::Value LoraBankLoad(const Napi::CallbackInfo& info);
  Napi::Value LoraBankTensors(const Napi::CallbackInfo& info);
  Napi::Value LoraBankRemove(const Napi::CallbackInfo& info);
};

// deviceStatus() -> {available, devices, library?, reason?}: is the CUDA backend usable here
// (loads the backend library, creates no model).
Napi::Value DeviceStatus(const Napi::CallbackInfo& info);

}  // namespace js
}  // namespace engine
