// The pieces a decoder layer is made of, shared by the forward (model.cpp) and the training
// passes (model_training.cpp): LoRA-aware linear and causal attention, forward and backward,
// the activations a layer saves for its backward and the work buffers of a forward pass.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model.h"

namespace engine {

// Saved activations of one layer, enough to run its backward without recomputation.
struct LayerActs {
  std::vector<float> xin;             // (N,C) residual stream entering the layer (norm1 input)
  std::vector<float> n1, n1m, n1r;    // norm1 output (N,C), mean (N), rstd (N)
  std::vector<float> qkv;             // (N, qkvWidth) after RoPE
  std::vector<float> kc, vc;          // (B,KV,T,D) keys/values as the attention read them
  std::vector<float> P;               // (B,H,T,T) attention probabilities
  std::vector<float> y;               // (N,H*D) attention output before o
  std::vector<float> xmid;            // (N,C) residual after attention (norm2 input)
  std::vector<float> n2, n2m, n2r;
  std::vector<float> h;               // (N,I) c_fc output, or (N,2I) gate|up
  std::vector<float> g;               // (N,I) gelu(h) or silu(gate)*up: input of down
  std::vector<std::vector<float>> loraU;     // per linear: (N,r) = drop(x)·Aᵀ
  std::vector<std::vector<float>> loraDrop;  // per linear: (N,in) dropout factors, empty without dropout
};

// Work buffers of one forward pass, shared by its layers: (N, width) each.
struct LayerScratch {
  std::vector<float> n, qkv, y, tmp, h, g, mean, rstd;
  LayerScratch(const ModelSpec& s, int N) {
    const int W = (s.numHeads + 2 * s.numKvHeads) * s.headDim, I = s.intermediateSize;
    n.resize(size_t(N) * s.hiddenSize);
    qkv.resize(size_t(N) * W);
    y.resize(size_t(N) * s.numHeads * s.headDim);
    tmp.resize(size_t(N) * s.hiddenSize);
    h.resize(size_t(N) * (s.arch == Arch::Gpt2 ? I : 2 * I));
    g.resize(size_t(N) * I);
    mean.resize(size_t(N));
    rstd.resize(size_t(N));
  }
};

namespace detail {

// Throws std::runtime_error(msg) unless ok.
void check(bool ok, const std::string& msg);

int qkvWidth(const ModelSpec& s);

// y(N,out) (row stride ldy) = x(N,in)·Wᵀ + b + scale·(drop(x)·Aᵀ)·Bᵀ.
// When training with LoRA, u and the dropout factors are saved for backward.
void linearForward(const Linear& L, const float* x, int N, float* y, int ldy, bool train, float dropout,
                   uint64_t dropKey, std::vector<float>* saveU, std::vector<float>* saveDrop);

// Given dy (N,out, stride ldy): dx(N,in) (+)= dy·W, and LoRA gradients dA, dB accumulate.
void linearBackward(Linear& L, const float* x, int N, const float* dy, int ldy, float* dx, bool accumulate,
                    const std::vector<float>* u, const std::vector<float>* drop);

// Causal attention of T new queries per sequence against the cache's first pos0+T keys.
// q rows have stride ldq (head h at column h*D); K/V are (B,KV,cap,D); y is (N,H*D).
// P, when given, receives the probabilities (B,H,T,Tk).
// pad (B entries, or null): row b's keys [0, pad[b]) are masked out (left padding); a padding
// query attends only to itself, so its (unused) output stays finite.
void attentionForward(const ModelSpec& s, const float* q, int ldq, const float* K, const float* Vv, int cap,
                      int B, int T, int pos0, float* y, float* P, const int* pad = nullptr);

// Backward of attentionForward with pos0 = 0 (training). dy (N,HD); writes dq into dqkv's q
// columns (stride ldq) and dk/dv (B,KV,T,D) (zeroed here).
void attentionBackward(const ModelSpec& s, const LayerActs& a, int ldq, int B, int T, const float* dy,
                       float* dqkv, std::vector<float>& dK, std::vector<float>& dV);

}  // namespace detail
}  // namespace engine
