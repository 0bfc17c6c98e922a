// N-API binding (node-addon-api): registers the bindings of each concern on the addon's exports.
// Every entry point converts C++ exceptions into JS Errors (GUARD_BEGIN/GUARD_END, napi_args.h),
// so bad input never takes the process down. Calls are synchronous: the app runs them in workers.
// The JS API is documented in native/README.md.
#include <napi.h>

#include "addon_data.h"
#include "cancel_binding.h"
#include "gemm_binding.h"
#include "gradstore_binding.h"
#include "model_binding.h"
#include "projection_binding.h"
#include "safetensors_binding.h"
#include "session_binding.h"
#include "suffix_array_binding.h"

namespace {

using namespace engine::js;

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  registerSafetensorsBindings(env, exports);
  registerGemmBindings(env, exports);
  registerProjectionBindings(env, exports);
  registerGradStoreBindings(env, exports);
  registerSuffixArrayBindings(env, exports);
  Napi::Function modelCtor = ModelWrap::Init(env);
  auto* data = new AddonData();
  data->modelCtor = Napi::Persistent(modelCtor);
  env.SetInstanceData<AddonData>(data);  // freed by node-addon-api when the environment ends
  registerCancelBindings(env, exports);
  exports.Set("Model", modelCtor);
  exports.Set("Session", SessionWrap::Init(env));
  exports.Set("deviceStatus", Napi::Function::New(env, DeviceStatus, "deviceStatus"));
  return exports;
}

}  // namespace

NODE_API_MODULE(engine, Init)
