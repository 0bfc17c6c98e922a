#include "cancel_binding.h"

#include <atomic>

#include "addon_data.h"
#include "cancel.h"
#include "napi_args.h"

namespace engine {
namespace js {
namespace {

static_assert(sizeof(std::atomic<int32_t>) == sizeof(int32_t) && std::atomic<int32_t>::is_always_lock_free,
              "an Int32Array element is read in place as an atomic");

Napi::Value SetCancelSignal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  AddonData* data = env.GetInstanceData<AddonData>();
  if (info.Length() < 1 || info[0].IsNull() || info[0].IsUndefined()) {
    setCancelFlag(nullptr);
    data->cancelFlag.Reset();
    return env.Undefined();
  }
  // Only shared memory can be written by another thread while this one runs native code.
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw Napi::TypeError::New(env, "setCancelSignal: expected an Int32Array over a SharedArrayBuffer, or null");
  Napi::Int32Array flag = info[0].As<Napi::Int32Array>();
  Napi::Value buffer = flag.Get("buffer");
  Napi::Value sabCtor = env.Global().Get("SharedArrayBuffer");
  if (flag.ElementLength() < 1 || !sabCtor.IsFunction() || !buffer.As<Napi::Object>().InstanceOf(sabCtor.As<Napi::Function>()))
    throw Napi::TypeError::New(env, "setCancelSignal: expected an Int32Array over a SharedArrayBuffer, or null");
  data->cancelFlag = Napi::Persistent(flag);
  setCancelFlag(reinterpret_cast<const std::atomic<int32_t>*>(flag.Data()));
  return env.Undefined();
  GUARD_END
}

}  // namespace

void registerCancelBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("setCancelSignal", Napi::Function::New(env, SetCancelSignal, "setCancelSignal"));
}

}  // namespace js
}  // namespace engine
