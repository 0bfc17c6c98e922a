// JS class Session: a KV-cache decode session over a Model (prefill, step, reset, position).
#pragma once
#include <napi.h>

#include "model.h"

namespace engine {
namespace js {

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
 public:
  static Napi::Function Init(Napi::Env env);
  // new Session(model, {batch, capacity})
  explicit SessionWrap(const Napi::CallbackInfo& info);

 private:
  Napi::ObjectReference modelRef_;  // keeps the model alive while the session is
  Model* model_ = nullptr;
  KVCache cache_;
  int pos_ = 0;

  Napi::Value run(const Napi::CallbackInfo& info, int T, bool lastOnly);
  Napi::Value Prefill(const Napi::CallbackInfo& info);
  Napi::Value Step(const Napi::CallbackInfo& info);
  Napi::Value Reset(const Napi::CallbackInfo& info);
  Napi::Value Position(const Napi::CallbackInfo& info);
};

}  // namespace js
}  // namespace engine
