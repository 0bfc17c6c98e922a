#include "llama.h"

#include "weights.h"

namespace engine {

void loadLlamaWeights(Model& m, std::map<std::string, Tensor>& t) {
  const ModelSpec& s = m.spec();
  const int C = s.hiddenSize, I = s.intermediateSize, V = s.vocabSize;
  const int HD = s.numHeads * s.headDim, KVD = s.numKvHeads * s.headDim;
  m.wte = takeWeight(t, "model.embed_tokens.weight", V, C, s.weightStorage);
  auto lin = [&](Linear& L, const std::string& name, const std::string& kind, int in, int out, bool bias) {
    L.kind = kind;
    L.peftName = name;
    L.in = in;
    L.out = out;
    L.W = takeWeight(t, name + ".weight", out, in, s.weightStorage);
    if (bias) L.bias = takeTensor(t, name + ".bias", {out});
  };
  m.layers.resize(size_t(s.numLayers));
  for (int i = 0; i < s.numLayers; ++i) {
    Layer& L = m.layers[size_t(i)];
    const std::string p = "model.layers." + std::to_string(i) + ".";
    L.norm1W = takeTensor(t, p + "input_layernorm.weight", {C});
    L.norm2W = takeTensor(t, p + "post_attention_layernorm.weight", {C});
    L.qkv.resize(3);
    lin(L.qkv[0], p + "self_attn.q_proj", "q", C, HD, s.attentionBias);
    lin(L.qkv[1], p + "self_attn.k_proj", "k", C, KVD, s.attentionBias);
    lin(L.qkv[2], p + "self_attn.v_proj", "v", C, KVD, s.attentionBias);
    lin(L.o, p + "self_attn.o_proj", "o", HD, C, false);
    L.mlpIn.resize(2);
    lin(L.mlpIn[0], p + "mlp.gate_proj", "gate", C, I, false);
    lin(L.mlpIn[1], p + "mlp.up_proj", "up", C, I, false);
    lin(L.down, p + "mlp.down_proj", "down", I, C, false);
  }
  m.lnfW = takeTensor(t, "model.norm.weight", {C});
  if (!s.tieWordEmbeddings) m.lmHead = takeWeight(t, "lm_head.weight", V, C, s.weightStorage);
}

}  // namespace engine
