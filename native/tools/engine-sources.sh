# The CPU engine's sources (native/src, without the N-API bindings and the device loader), for the
# C++ test programs and benchmarks built outside node-gyp: tools/asan-test.sh, tools/cuda-test.sh,
# bench/gpu/run.sh. Sourced, not run. Keep in step with binding.gyp's sources.
engine_sources=(safetensors threadpool gemm gemm_small gemv weightmatrix ops lora lora_segments adamw weights gpt2 llama projection layer_ops model model_training full_training model_device device_init device_self_test cancel)
