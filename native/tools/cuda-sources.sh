# The CUDA backend's sources (native/cuda, without entry.cu, the library's exported entry point),
# for everything that compiles them: tools/cuda-build.sh (the library), tools/cuda-test.sh (the
# test programs), bench/gpu/run.sh. Sourced, not run.
cuda_sources=(blas gemm ops ops_attention cuda_model cuda_model_training)
