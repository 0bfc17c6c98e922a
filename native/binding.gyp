{
  "targets": [
    {
      "target_name": "engine",
      "sources": [
        "src/binding.cpp",
        "src/napi_args.cpp",
        "src/safetensors_binding.cpp",
        "src/gemm_binding.cpp",
        "src/projection_binding.cpp",
        "src/gradstore_binding.cpp",
        "src/suffix_array_binding.cpp",
        "src/model_binding.cpp",
        "src/training_binding.cpp",
        "src/full_training_binding.cpp",
        "src/session_binding.cpp",
        "src/lora_bank_binding.cpp",
        "src/safetensors.cpp",
        "src/threadpool.cpp",
        "src/gemm.cpp",
        "src/gemm_small.cpp",
        "src/gemv.cpp",
        "src/weightmatrix.cpp",
        "src/ops.cpp",
        "src/lora.cpp",
        "src/lora_segments.cpp",
        "src/adamw.cpp",
        "src/weights.cpp",
        "src/gpt2.cpp",
        "src/llama.cpp",
        "src/projection.cpp",
        "src/suffix_array.cpp",
        "src/layer_ops.cpp",
        "src/model.cpp",
        "src/model_training.cpp",
        "src/full_training.cpp",
        "src/model_device.cpp",
        "src/device_init.cpp",
        "src/device_loader.cpp",
        "src/device_self_test.cpp",
        "src/cancel.cpp",
        "src/cancel_binding.cpp",
        "src/datanet_hash.cpp",
        "src/datanet_text.cpp",
        "src/datanet_merkle.cpp",
        "src/parquet_snappy.cpp",
        "src/datanet_sha256.cpp",
        "src/datanet_binding.cpp"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      # NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: when a worker thread is terminated during a call,
      # throwing the call's JS error fails; without it node-addon-api turns that failure into a
      # C++ exception out of a V8 callback, std::terminate, and the whole app process dies.
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions", "-O2"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-O2"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fexceptions", "-Wall", "-Wno-unused-parameter"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-ffp-contract=off"]
      },
      "msvs_settings": {"VCCLCompilerTool": {"ExceptionHandling": 1}},
      "conditions": [["OS=='linux'", {"libraries": ["-ldl"]}]]
    }
  ]
}
